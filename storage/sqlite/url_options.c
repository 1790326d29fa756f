/* The storage URL: "sqlite:///FILE?k=v&k=v" into the file's path and the
 * options schema, journal_mode, synchronous and timeout, each checked with
 * a message naming the URL. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/error.h"
#include "storage/sqlite/sqlite_internal.h"

#define URL_PREFIX "sqlite:///"
#define DEFAULT_TIMEOUT_S 60.0

static int option_in(const char *value, const char *const *allowed, char *out, size_t size)
{
    for (size_t i = 0; allowed[i]; i++) {
        if (strcasecmp(value, allowed[i]) == 0) {
            snprintf(out, size, "%s", allowed[i]);
            return 1;
        }
    }
    return 0;
}

static int set_schema(sqlite_options *o, const char *url, const char *value)
{
    if (strcmp(value, STAMP_CURRENT) == 0 || strcmp(value, STAMP_LEGACY) == 0) {
        o->stamp = strcmp(value, STAMP_CURRENT) == 0 ? STAMP_CURRENT : STAMP_LEGACY;
        return IGMOPT_OK;
    }
    return igm_error(IGMOPT_EINVAL, "storage URL '%s': schema=%s: use " STAMP_CURRENT
                     " (Optuna >= 3.2, the default) or " STAMP_LEGACY " (Optuna 3.0-3.1)",
                     url, value);
}

static int set_journal_mode(sqlite_options *o, const char *url, const char *value)
{
    static const char *const journal_modes[] = {"delete", "truncate", "persist", "memory",
                                                "wal",    "off",      NULL};
    if (option_in(value, journal_modes, o->journal_mode, sizeof o->journal_mode))
        return IGMOPT_OK;
    return igm_error(IGMOPT_EINVAL, "storage URL '%s': journal_mode=%s: use delete, "
                     "truncate, persist, memory, wal or off", url, value);
}

static int set_synchronous(sqlite_options *o, const char *url, const char *value)
{
    static const char *const sync_modes[] = {"off", "normal", "full", "extra",
                                             "0",   "1",      "2",    "3", NULL};
    if (option_in(value, sync_modes, o->synchronous, sizeof o->synchronous))
        return IGMOPT_OK;
    return igm_error(IGMOPT_EINVAL, "storage URL '%s': synchronous=%s: use off, normal, "
                     "full or extra", url, value);
}

static int set_timeout(sqlite_options *o, const char *url, const char *value)
{
    char *end;
    double t = strtod(value, &end);
    if (*value && !*end && isfinite(t) && t >= 0) {
        o->timeout_s = t;
        return IGMOPT_OK;
    }
    return igm_error(IGMOPT_EINVAL, "storage URL '%s': timeout=%s: expected seconds "
                     "(a number >= 0)", url, value);
}

static const struct url_option {
    const char *key;
    int (*set)(sqlite_options *o, const char *url, const char *value);
} url_options[] = {
    {"schema", set_schema},
    {"journal_mode", set_journal_mode},
    {"synchronous", set_synchronous},
    {"timeout", set_timeout},
};

static int option_set(sqlite_options *o, const char *url, const char *key, const char *value)
{
    for (size_t i = 0; i < sizeof url_options / sizeof *url_options; i++)
        if (strcmp(key, url_options[i].key) == 0)
            return url_options[i].set(o, url, value);
    return igm_error(IGMOPT_EINVAL, "storage URL '%s': unknown option '%s' (known: schema, "
                     "journal_mode, synchronous, timeout)", url, key);
}

/* query: "k=v&k=v", modified in place. */
static int options_parse_query(sqlite_options *o, const char *url, char *query)
{
    char *save = NULL;
    for (char *item = strtok_r(query, "&", &save); item; item = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(item, '=');
        if (!eq)
            return igm_error(IGMOPT_EINVAL, "storage URL '%s': option '%s' has no '=value'",
                             url, item);
        *eq = '\0';
        int status = option_set(o, url, item, eq + 1);
        if (status)
            return status;
    }
    return IGMOPT_OK;
}

/* "sqlite:///rel.db" names rel.db, "sqlite:////abs.db" names /abs.db
 * (SQLAlchemy's convention, so the URLs Optuna users have work here). */
int igm_sqlite_options_parse(sqlite_options *o, const char *url)
{
    o->stamp = STAMP_CURRENT;
    o->timeout_s = DEFAULT_TIMEOUT_S;
    if (!url || strncmp(url, URL_PREFIX, strlen(URL_PREFIX)) != 0)
        return igm_error(IGMOPT_EINVAL, "storage URL '%s' does not start with " URL_PREFIX,
                         url ? url : "(null)");
    char *rest = strdup(url + strlen(URL_PREFIX));
    if (!rest)
        return igm_error_nomem();
    char *query = strchr(rest, '?');
    if (query)
        *query++ = '\0';
    int status = IGMOPT_OK;
    if (!rest[0])
        status = igm_error(IGMOPT_EINVAL, "storage URL '%s' names no file", url);
    if (!status && query)
        status = options_parse_query(o, url, query);
    if (!status)
        o->path = strdup(rest);
    if (!status && !o->path)
        status = igm_error_nomem();
    free(rest);
    return status;
}

/* The whole URL checked as opening it would check it, without touching
 * the file: a configuration refuses a bad option before anything runs. */
int igm_sqlite_url_check(const char *url)
{
    sqlite_options o = {0};
    int status = igm_sqlite_options_parse(&o, url);
    free(o.path);
    return status;
}
