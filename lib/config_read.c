/* Locations, messages and typed readers for config validation: every
 * problem is reported as "FILE:LINE: key 'a.b': what is wrong". */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

static void loc_join(igm_config_loc *child, const igm_config_loc *parent, const char *part)
{
    /* A path too long for the buffer is cut: it only labels a message. */
    size_t len = strlen(parent->path), room = sizeof child->path - 1;
    memmove(child->path, parent->path, len + 1);
    if (len && len < room)
        child->path[len++] = '.';
    for (; *part && len < room; part++)
        child->path[len++] = *part;
    child->path[len] = '\0';
    child->file = parent->file;
}

void igm_config_loc_key(igm_config_loc *child, const igm_config_loc *parent,
                        const igm_yaml_node *key)
{
    loc_join(child, parent, key->text);
    child->at = key;
}

void igm_config_loc_index(igm_config_loc *child, const igm_config_loc *parent, size_t index,
                          const igm_yaml_node *item)
{
    char part[32];
    snprintf(part, sizeof part, "%zu", index);
    loc_join(child, parent, part);
    child->at = item;
}

void igm_config_loc_missing(igm_config_loc *child, const igm_config_loc *parent,
                            const char *key)
{
    loc_join(child, parent, key);
    child->at = parent->at;
}

int igm_config_error(const igm_config_loc *loc, const char *fmt, ...)
{
    char what[700], where[700];
    const igm_yaml_node *at = loc->at;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (at && at->origin)
        snprintf(where, sizeof where, "%.300s", at->origin);
    else
        snprintf(where, sizeof where, "%.300s:%d", loc->file, at ? at->line : 1);
    if (!loc->path[0])
        return igm_error(IGMOPT_ECONFIG, "%s: %s", where, what);
    return igm_error(IGMOPT_ECONFIG, "%s: key '%.300s': %s", where, loc->path, what);
}

int igm_config_error_from_last(const igm_config_loc *loc, int rc)
{
    char message[600];
    if (rc == IGMOPT_ENOMEM)
        return rc;
    snprintf(message, sizeof message, "%s", igm_error_message());
    return igm_config_error(loc, "%s", message);
}

const igm_yaml_node *igm_config_blamed_kwarg(const igm_yaml_node *v, const char *message)
{
    const char *start = strstr(message, "option '"), *colon = strstr(message, ": ");
    char name[128];
    size_t len;
    igm_yaml_node *key = NULL;
    if (start)
        start += strlen("option '");
    else if (colon)
        start = colon + 2;
    else
        return NULL;
    len = strspn(start, "abcdefghijklmnopqrstuvwxyz_0123456789");
    if (len == 0 || len >= sizeof name)
        return NULL;
    memcpy(name, start, len);
    name[len] = '\0';
    return igm_yaml_get(v, name, &key) ? key : NULL;
}

void igm_config_describe(const igm_yaml_node *v, char *buf, size_t size)
{
    switch (v->type) {
    case IGM_YAML_NULL: snprintf(buf, size, "null"); break;
    case IGM_YAML_BOOL: snprintf(buf, size, "%s", v->boolean ? "true" : "false"); break;
    case IGM_YAML_INT:
    case IGM_YAML_FLOAT: snprintf(buf, size, "the number %.60s", v->text); break;
    case IGM_YAML_STRING: snprintf(buf, size, "the string '%.60s'", v->text); break;
    case IGM_YAML_SEQUENCE: snprintf(buf, size, "a list"); break;
    case IGM_YAML_MAPPING: snprintf(buf, size, "a mapping"); break;
    }
}

int igm_config_expect(const igm_config_loc *loc, const igm_yaml_node *v, igm_yaml_type type,
                      const char *what)
{
    char got[100];
    if (v->type == type)
        return IGMOPT_OK;
    igm_config_describe(v, got, sizeof got);
    return igm_config_error(loc, "must be %s (got %s)", what, got);
}

int igm_config_read_string(const igm_config_loc *loc, const igm_yaml_node *v, char **out)
{
    char got[100];
    if (v->type != IGM_YAML_STRING) {
        igm_config_describe(v, got, sizeof got);
        if (v->type == IGM_YAML_SEQUENCE || v->type == IGM_YAML_MAPPING ||
            v->type == IGM_YAML_NULL)
            return igm_config_error(loc, "must be a string (got %s)", got);
        return igm_config_error(loc, "must be a string (got %s; quote it to make it text)",
                                got);
    }
    if (!v->text[0])
        return igm_config_error(loc, "must not be empty");
    *out = strdup(v->text);
    return *out ? IGMOPT_OK : igm_error_nomem();
}

static int check_numbers(const igm_config_loc *loc, const igm_yaml_node *v, int finite)
{
    int rc = IGMOPT_OK;
    if (v->type == IGM_YAML_INT && v->big)
        return igm_config_error(loc, "the integer %.200s does not fit in 64 bits", v->text);
    if (finite && v->type == IGM_YAML_FLOAT && !isfinite(v->number))
        return igm_config_error(loc, "must be a finite number (got %.200s): sampler and pruner "
                                "options travel as JSON, which has no infinity or NaN", v->text);
    for (size_t i = 0; rc == IGMOPT_OK && i < v->n; i++) {
        igm_config_loc item_loc;
        if (v->keys)
            igm_config_loc_key(&item_loc, loc, v->keys[i]);
        else
            igm_config_loc_index(&item_loc, loc, i, v->items[i]);
        rc = check_numbers(&item_loc, v->items[i], finite);
    }
    return rc;
}

int igm_config_check_ints_fit(const igm_config_loc *loc, const igm_yaml_node *v)
{
    return check_numbers(loc, v, 0);
}

int igm_config_check_option_numbers(const igm_config_loc *loc, const igm_yaml_node *v)
{
    return check_numbers(loc, v, 1);
}

int igm_config_read_int(const igm_config_loc *loc, const igm_yaml_node *v, int64_t *out)
{
    int rc = igm_config_expect(loc, v, IGM_YAML_INT, "an integer");
    if (rc == IGMOPT_OK && (rc = igm_config_check_ints_fit(loc, v)) == IGMOPT_OK)
        *out = v->integer;
    return rc;
}

int igm_config_read_int_min(const igm_config_loc *loc, const igm_yaml_node *v, int64_t min,
                            int64_t *out)
{
    int rc = igm_config_read_int(loc, v, out);
    if (rc == IGMOPT_OK && *out < min)
        return igm_config_error(loc, "must be >= %lld (got %lld)", (long long)min,
                                (long long)*out);
    return rc;
}

int igm_config_read_number(const igm_config_loc *loc, const igm_yaml_node *v, double *out)
{
    char got[100];
    int rc;
    if (v->type != IGM_YAML_INT && v->type != IGM_YAML_FLOAT) {
        igm_config_describe(v, got, sizeof got);
        return igm_config_error(loc, "must be a number (got %s)", got);
    }
    if ((rc = igm_config_check_ints_fit(loc, v)))
        return rc;
    if (!isfinite(v->number))
        return igm_config_error(loc, "must be a finite number (got %s)", v->text);
    *out = v->number;
    return IGMOPT_OK;
}

int igm_config_read_bool(const igm_config_loc *loc, const igm_yaml_node *v, int *out)
{
    int rc = igm_config_expect(loc, v, IGM_YAML_BOOL, "true or false");
    if (rc == IGMOPT_OK)
        *out = v->boolean;
    return rc;
}

static int min3(int a, int b, int c)
{
    return a < b ? (a < c ? a : c) : (b < c ? b : c);
}

/* Optimal string alignment distance (edits plus swaps of neighbours), so a
 * swapped pair like "grwoth" counts as one typo. */
static int edit_distance(const char *a, const char *b)
{
    enum { W = 40 };
    int d[W + 1][W + 1];
    size_t n = strlen(a), m = strlen(b);
    if (n > W || m > W)
        return W;
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int cost = a[i - 1] != b[j - 1];
            d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    }
    return d[n][m];
}

const char *igm_config_suggest(const char *word, const char *const *allowed)
{
    const char *best = NULL;
    int best_distance = 3;
    for (size_t i = 0; allowed[i]; i++) {
        int distance = edit_distance(word, allowed[i]);
        if (distance < best_distance && (size_t)distance < strlen(allowed[i])) {
            best = allowed[i];
            best_distance = distance;
        }
    }
    return best;
}

static int is_allowed(const char *key, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(key, allowed[i]) == 0)
            return 1;
    return 0;
}

int igm_config_check_keys(const igm_config_loc *loc, const igm_yaml_node *map,
                          const char *const *allowed, const char *hint)
{
    for (size_t i = 0; i < map->n; i++) {
        igm_config_loc key_loc;
        const char *suggestion;
        if (is_allowed(map->keys[i]->text, allowed))
            continue;
        igm_config_loc_key(&key_loc, loc, map->keys[i]);
        suggestion = igm_config_suggest(map->keys[i]->text, allowed);
        if (suggestion)
            return igm_config_error(&key_loc, "unknown key (did you mean '%s'?)", suggestion);
        return igm_config_error(&key_loc, "unknown key (%s)", hint);
    }
    return IGMOPT_OK;
}
