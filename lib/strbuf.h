/* A growable string and the JSON emitters built on it.  The JSON text we
 * write follows Python's json.dumps defaults (", " and ": " separators,
 * ASCII-only strings, repr() floats, bare NaN/Infinity tokens), because
 * Optuna stores and compares what json.dumps produced. */
#ifndef IGM_STRBUF_H
#define IGM_STRBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct igm_strbuf {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    int failed; /* an allocation failed: every later append is a no-op */
} igm_strbuf;

#define IGM_STRBUF_INIT {NULL, 0, 0, 0}

void igm_strbuf_append(igm_strbuf *sb, const char *s);
void igm_strbuf_append_len(igm_strbuf *sb, const char *s, size_t n);
void igm_strbuf_appendf(igm_strbuf *sb, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* n bytes of s kept on one line: control characters (a newline in a
 * value or name, an escape sequence that would drive the terminal) as
 * \n, \r, \t or \xHH.  The log lines and the console summary use it. */
void igm_strbuf_append_escaped(igm_strbuf *sb, const char *s, size_t n);
/* Hands the text over (caller frees); IGMOPT_ENOMEM if an append failed. */
int igm_strbuf_finish(igm_strbuf *sb, char **out);
void igm_strbuf_release(igm_strbuf *sb);

/* Python repr() of a double: shortest round-trip digits, "1.0", "1e-05",
 * "1e+16", "inf"/"nan" as Python spells them.  buf needs 32 bytes. */
void igm_format_double(double v, char *buf);

/* JSON number for a double: like igm_format_double, but NaN, Infinity,
 * -Infinity as json.dumps writes them. */
void igm_json_double(igm_strbuf *sb, double v);
void igm_json_int(igm_strbuf *sb, int64_t v);
/* A JSON string literal with ensure_ascii escaping. */
void igm_json_string(igm_strbuf *sb, const char *s);

#endif
