/* Reading the trials JSON of the public API in tests (see the header). */
#include "trials_json_reader.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *const tokens[] = {"-Infinity", "Infinity", "NaN"};

/* Copies text, quoting each bare token found outside strings. */
static char *quote_tokens(const char *text)
{
    size_t len = strlen(text);
    char *out = malloc(2 * len + 1), *o = out;
    int in_string = 0;
    if (!out)
        return NULL;
    for (const char *p = text; *p;) {
        if (in_string) {
            if (*p == '\\' && p[1]) {
                *o++ = *p++;
            } else if (*p == '"') {
                in_string = 0;
            }
            *o++ = *p++;
            continue;
        }
        if (*p == '"')
            in_string = 1;
        size_t i = 0;
        while (i < 3 && strncmp(p, tokens[i], strlen(tokens[i])) != 0)
            i++;
        if (i < 3) {
            o += sprintf(o, "\"%s\"", tokens[i]);
            p += strlen(tokens[i]);
            continue;
        }
        *o++ = *p++;
    }
    *o = '\0';
    return out;
}

json_t *tjr_parse(const char *text)
{
    char *quoted = quote_tokens(text);
    json_t *root = quoted ? json_loads(quoted, JSON_DECODE_ANY, NULL) : NULL;
    free(quoted);
    return root;
}

double tjr_number(const json_t *v)
{
    const char *s = json_string_value(v);
    if (json_is_number(v))
        return json_number_value(v);
    assert_non_null(s);
    if (strcmp(s, "NaN") == 0)
        return NAN;
    if (strcmp(s, "Infinity") == 0)
        return INFINITY;
    assert_string_equal(s, "-Infinity");
    return -INFINITY;
}

json_t *tjr_trial(const json_t *trials, int64_t number)
{
    size_t i;
    json_t *t;
    json_array_foreach((json_t *)trials, i, t)
        if (json_integer_value(json_object_get(t, "number")) == number)
            return t;
    return NULL;
}

const char *tjr_state(const json_t *trial)
{
    return json_string_value(json_object_get(trial, "state"));
}

json_t *tjr_param(const json_t *trial, const char *name)
{
    return json_object_get(json_object_get(trial, "params"), name);
}

json_t *tjr_distribution_attr(const json_t *trial, const char *name, const char *attr)
{
    json_t *d = json_object_get(json_object_get(trial, "distributions"), name);
    return json_object_get(json_object_get(d, "attributes"), attr);
}

size_t tjr_n_params(const json_t *trial)
{
    return json_object_size(json_object_get(trial, "params"));
}
