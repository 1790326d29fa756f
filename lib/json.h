/* Reading JSON text.  Optuna's JSON may hold the bare tokens NaN, Infinity
 * and -Infinity (json.dumps allow_nan), which strict parsers refuse; these
 * helpers accept them. */
#ifndef IGM_JSON_H
#define IGM_JSON_H

#include <jansson.h>
#include <stddef.h>

/* Checks that text is one JSON value (NaN/Infinity tokens allowed).
 * Returns IGMOPT_OK or IGMOPT_EINVAL with the message naming `what`. */
int igm_json_validate(const char *text, const char *what);

/* Scans one JSON value at text (leading white space skipped; NaN/Infinity
 * allowed).  Returns 0 with *end just past it, or -1 with *end where the
 * text stops being JSON (at its NUL when it was cut short). */
int igm_json_scan(const char *text, const char **end);

/* Parses text with jansson; `what` names the argument in errors.  Bare
 * NaN/Infinity tokens are refused with a clear message. */
int igm_json_parse(const char *text, const char *what, json_t **out);

/* Re-emits one parsed JSON value in Python's json.dumps form. */
struct igm_strbuf;
void igm_json_dump_value(struct igm_strbuf *sb, const json_t *v);

/* Reads a JSON number that may be a NaN/Infinity token: "1.5", "NaN",
 * "-Infinity".  Returns 0 on success. */
int igm_json_read_double(const char *text, double *out);

#endif
