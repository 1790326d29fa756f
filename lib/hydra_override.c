/* Hydra override values: which strings may stay bare, single-quote
 * escaping, and JSON values (config overrides, sampled parameters) turned
 * into override text.  IGM's own sweeper used Python str() here, so None
 * became the string "None" and "a,b" became a sweep (FIELD-NOTES s1.9.15). */
#include "hydra_override.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "json.h"

/* Characters every Hydra >= 1.1 reads as part of a bare string (ID and
 * UNQUOTED_CHAR tokens); backslash, '$', ':' and the rest need quotes. */
static int bare_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("_-/+.%*", c));
}

static int has_digit(const char *s)
{
    return strpbrk(s, "0123456789") != NULL;
}

/* Would Hydra read the bare text as an int, float, bool or null?  Erring
 * towards "yes" only adds harmless quotes. */
static int reads_as_other_type(const char *s)
{
    static const char *const words[] = {"true", "false", "null", "inf", "nan"};
    const char *unsigned_part = (*s == '+' || *s == '-') ? s + 1 : s;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcasecmp(s, words[i]) == 0 || strcasecmp(unsigned_part, words[i]) == 0)
            return 1;
    return has_digit(s) && strspn(unsigned_part, "0123456789_.eE+-") == strlen(unsigned_part);
}

/* A whole-value interpolation such as ${oc.env:HOME} stays bare so that
 * Hydra resolves it, as IGM's sweeper passed it. */
static int is_interpolation(const char *s)
{
    size_t n = strlen(s);
    return n > 3 && s[0] == '$' && s[1] == '{' && s[n - 1] == '}' &&
           strchr(s + 2, '}') == s + n - 1;
}

static int can_stay_bare(const char *s)
{
    if (!*s)
        return 0;
    if (is_interpolation(s))
        return 1;
    for (const char *p = s; *p; p++)
        if (!bare_char(*p))
            return 0;
    return !reads_as_other_type(s);
}

static void append_backslashes(igm_strbuf *sb, size_t n)
{
    for (size_t i = 0; i < n; i++)
        igm_strbuf_append(sb, "\\");
}

/* Hydra un-escapes only backslash runs that precede a quote (2k+1 of them
 * before an inner quote, 2k before the closing one); OmegaConf treats
 * "\${" as a literal "${" the same way. */
static void append_single_quoted(igm_strbuf *sb, const char *s)
{
    size_t pending = 0;
    igm_strbuf_append(sb, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '\\') {
            pending++;
            continue;
        }
        if (*p == '\'' || (p[0] == '$' && p[1] == '{')) {
            append_backslashes(sb, 2 * pending + 1);
        } else {
            append_backslashes(sb, pending);
        }
        pending = 0;
        igm_strbuf_append_len(sb, p, 1);
    }
    append_backslashes(sb, 2 * pending);
    igm_strbuf_append(sb, "'");
}

void igm_hydra_append_string(igm_strbuf *sb, const char *s)
{
    if (can_stay_bare(s))
        igm_strbuf_append(sb, s);
    else
        append_single_quoted(sb, s);
}

static int append_json(igm_strbuf *sb, const json_t *v);

static int append_json_object(igm_strbuf *sb, const json_t *v)
{
    const char *key;
    json_t *item;
    int first = 1, rc = IGMOPT_OK;
    igm_strbuf_append(sb, "{");
    json_object_foreach((json_t *)v, key, item) {
        if (!can_stay_bare(key) || is_interpolation(key))
            return igm_error(IGMOPT_EINVAL, "override value: the dict key '%s' cannot be "
                             "written in Hydra's override syntax", key);
        igm_strbuf_append(sb, first ? "" : ",");
        igm_strbuf_append(sb, key);
        igm_strbuf_append(sb, ":");
        if ((rc = append_json(sb, item)))
            return rc;
        first = 0;
    }
    igm_strbuf_append(sb, "}");
    return rc;
}

static int append_json(igm_strbuf *sb, const json_t *v)
{
    char buf[32];
    size_t i;
    json_t *item;
    int rc = IGMOPT_OK;
    switch (json_typeof(v)) {
    case JSON_OBJECT: return append_json_object(sb, v);
    case JSON_ARRAY:
        igm_strbuf_append(sb, "[");
        json_array_foreach((json_t *)v, i, item) {
            igm_strbuf_append(sb, i ? "," : "");
            if ((rc = append_json(sb, item)))
                return rc;
        }
        igm_strbuf_append(sb, "]");
        return rc;
    case JSON_STRING: igm_hydra_append_string(sb, json_string_value(v)); return rc;
    case JSON_INTEGER: igm_json_int(sb, json_integer_value(v)); return rc;
    case JSON_REAL:
        igm_format_double(json_real_value(v), buf);
        igm_strbuf_append(sb, buf);
        return rc;
    case JSON_TRUE: igm_strbuf_append(sb, "true"); return rc;
    case JSON_FALSE: igm_strbuf_append(sb, "false"); return rc;
    case JSON_NULL: igm_strbuf_append(sb, "null"); return rc;
    }
    return rc;
}

/* A bare JSON number keeps its exact text (a huge int stays exact); the
 * NaN/Infinity tokens become Hydra's nan/inf. */
static void append_number_token(igm_strbuf *sb, const char *token)
{
    if (strcmp(token, "NaN") == 0)
        igm_strbuf_append(sb, "nan");
    else if (strcmp(token, "Infinity") == 0)
        igm_strbuf_append(sb, "inf");
    else if (strcmp(token, "-Infinity") == 0)
        igm_strbuf_append(sb, "-inf");
    else
        igm_strbuf_append(sb, token);
}

static int is_number_start(char c)
{
    return c == '-' || c == 'N' || c == 'I' || (c >= '0' && c <= '9');
}

int igm_hydra_append_value(igm_strbuf *sb, const char *value_json)
{
    json_t *v;
    const char *p;
    int rc = igm_json_validate(value_json, "override value");
    if (rc)
        return rc;
    p = value_json + strspn(value_json, " \t\r\n");
    if (is_number_start(*p)) {
        char *token = strndup(p, strcspn(p, " \t\r\n"));
        if (!token)
            return igm_error_nomem();
        append_number_token(sb, token);
        free(token);
        return IGMOPT_OK;
    }
    if ((rc = igm_json_parse(p, "override value", &v)))
        return rc;
    rc = append_json(sb, v);
    json_decref(v);
    return rc;
}

int igm_hydra_override(char **out, const char *key, const char *value_json)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    int rc;
    *out = NULL;
    igm_strbuf_append(&sb, key);
    igm_strbuf_append(&sb, "=");
    rc = igm_hydra_append_value(&sb, value_json);
    if (rc) {
        igm_strbuf_release(&sb);
        return igm_error_wrap(rc, "override '%s'", key);
    }
    return igm_strbuf_finish(&sb, out) ? igm_error_nomem() : IGMOPT_OK;
}
