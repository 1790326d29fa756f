/* Reading JSON: jansson for structure, plus a validator that also accepts
 * the NaN/Infinity tokens Python's json module writes and reads. */
#include "json.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "name_check.h"
#include "strbuf.h"

#define JSON_MAX_DEPTH 512

typedef struct scanner {
    const char *p;
    int depth;
} scanner;

static void skip_space(scanner *s)
{
    while (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')
        s->p++;
}

/* Stops at the first byte that differs, so a cut-short "tr" ends on its NUL. */
static int scan_literal(scanner *s, const char *word)
{
    while (*word && *s->p == *word) {
        s->p++;
        word++;
    }
    return *word ? -1 : 0;
}

static int scan_string(scanner *s)
{
    s->p++; /* opening quote */
    while (*s->p && *s->p != '"') {
        if ((unsigned char)*s->p < 0x20)
            return -1;
        if (*s->p == '\\') {
            s->p++;
            if (*s->p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!isxdigit((unsigned char)s->p[i]))
                        return -1;
                s->p += 4;
            } else if (!*s->p || !strchr("\"\\/bfnrt", *s->p)) {
                return -1;
            }
        }
        s->p++;
    }
    if (*s->p != '"')
        return -1;
    s->p++;
    return 0;
}

static int scan_number(scanner *s)
{
    const char *start = s->p;
    if (*s->p == '-')
        s->p++;
    if (*s->p == 'I')
        return scan_literal(s, "Infinity");
    if (*s->p == '0')
        s->p++;
    else if (isdigit((unsigned char)*s->p))
        while (isdigit((unsigned char)*s->p))
            s->p++;
    else
        return -1;
    if (*s->p == '.') {
        s->p++;
        if (!isdigit((unsigned char)*s->p))
            return -1;
        while (isdigit((unsigned char)*s->p))
            s->p++;
    }
    if (*s->p == 'e' || *s->p == 'E') {
        s->p++;
        if (*s->p == '+' || *s->p == '-')
            s->p++;
        if (!isdigit((unsigned char)*s->p))
            return -1;
        while (isdigit((unsigned char)*s->p))
            s->p++;
    }
    return s->p > start ? 0 : -1;
}

static int scan_value(scanner *s);

static int scan_container(scanner *s, char close, int with_keys)
{
    if (++s->depth > JSON_MAX_DEPTH)
        return -1;
    s->p++;
    skip_space(s);
    if (*s->p == close) {
        s->p++;
        s->depth--;
        return 0;
    }
    for (;;) {
        skip_space(s);
        if (with_keys) {
            if (*s->p != '"' || scan_string(s) != 0)
                return -1;
            skip_space(s);
            if (*s->p != ':') /* *end stays on the NUL of a cut-short text */
                return -1;
            s->p++;
        }
        if (scan_value(s) != 0)
            return -1;
        skip_space(s);
        if (*s->p == ',') {
            s->p++;
            continue;
        }
        if (*s->p != close)
            return -1;
        s->p++;
        s->depth--;
        return 0;
    }
}

static int scan_value(scanner *s)
{
    skip_space(s);
    switch (*s->p) {
    case '{': return scan_container(s, '}', 1);
    case '[': return scan_container(s, ']', 0);
    case '"': return scan_string(s);
    case 't': return scan_literal(s, "true");
    case 'f': return scan_literal(s, "false");
    case 'n': return scan_literal(s, "null");
    case 'N': return scan_literal(s, "NaN");
    default: return scan_number(s);
    }
}

int igm_json_scan(const char *text, const char **end)
{
    scanner s = {text, 0};
    int rc = scan_value(&s);
    *end = s.p;
    return rc;
}

int igm_json_validate(const char *text, const char *what)
{
    scanner s = {text, 0};
    if (!text)
        return igm_error(IGMOPT_EINVAL, "%s: JSON text is NULL", what);
    if (!igm_utf8_valid(text))
        return igm_error(IGMOPT_EINVAL, "%s: JSON text is not valid UTF-8", what);
    if (scan_value(&s) == 0) {
        skip_space(&s);
        if (*s.p == '\0')
            return IGMOPT_OK;
    }
    return igm_error(IGMOPT_EINVAL, "%s: invalid JSON at offset %ld: %.40s", what,
                     (long)(s.p - text), text);
}

int igm_json_parse(const char *text, const char *what, json_t **out)
{
    json_error_t err;
    *out = NULL;
    if (!text)
        return igm_error(IGMOPT_EINVAL, "%s: JSON text is NULL", what);
    *out = json_loads(text, JSON_DECODE_ANY, &err);
    if (*out)
        return IGMOPT_OK;
    /* Our validator accepts NaN/Infinity and lone surrogates, jansson does
     * not: when only jansson refuses, its own reason says which. */
    if (igm_json_validate(text, what) == IGMOPT_OK)
        return igm_error(IGMOPT_EINVAL, "%s: not accepted here: %s (NaN/Infinity tokens, "
                         "\\u0000 and numbers beyond 64 bits cannot be used in this argument)",
                         what, err.text);
    return igm_error(IGMOPT_EINVAL, "%s: invalid JSON at line %d column %d: %s", what,
                     err.line, err.column, err.text);
}

static void dump_object(igm_strbuf *sb, const json_t *v)
{
    const char *key;
    json_t *item;
    int first = 1;
    igm_strbuf_append(sb, "{");
    json_object_foreach((json_t *)v, key, item) {
        if (!first)
            igm_strbuf_append(sb, ", ");
        first = 0;
        igm_json_string(sb, key);
        igm_strbuf_append(sb, ": ");
        igm_json_dump_value(sb, item);
    }
    igm_strbuf_append(sb, "}");
}

void igm_json_dump_value(igm_strbuf *sb, const json_t *v)
{
    size_t i;
    json_t *item;
    switch (json_typeof(v)) {
    case JSON_OBJECT: dump_object(sb, v); break;
    case JSON_ARRAY:
        igm_strbuf_append(sb, "[");
        json_array_foreach((json_t *)v, i, item) {
            if (i)
                igm_strbuf_append(sb, ", ");
            igm_json_dump_value(sb, item);
        }
        igm_strbuf_append(sb, "]");
        break;
    case JSON_STRING: igm_json_string(sb, json_string_value(v)); break;
    case JSON_INTEGER: igm_json_int(sb, json_integer_value(v)); break;
    case JSON_REAL: igm_json_double(sb, json_real_value(v)); break;
    case JSON_TRUE: igm_strbuf_append(sb, "true"); break;
    case JSON_FALSE: igm_strbuf_append(sb, "false"); break;
    case JSON_NULL: igm_strbuf_append(sb, "null"); break;
    }
}

int igm_json_read_double(const char *text, double *out)
{
    char *end;
    while (isspace((unsigned char)*text))
        text++;
    if (strcmp(text, "NaN") == 0) {
        *out = NAN;
        return 0;
    }
    if (strcmp(text, "Infinity") == 0 || strcmp(text, "-Infinity") == 0) {
        *out = text[0] == '-' ? -INFINITY : INFINITY;
        return 0;
    }
    *out = strtod(text, &end);
    while (isspace((unsigned char)*end))
        end++;
    return (end == text || *end) ? -1 : 0;
}
