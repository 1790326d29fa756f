/* FrozenTrial records: construction, copies, upserts of params, attrs and
 * intermediate values, and the trial-state names storage uses. */
#include "frozen_trial.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "error.h"

static const char *const state_names[] = {"RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"};

igm_frozen_trial *igm_frozen_trial_new(void)
{
    return calloc(1, sizeof(igm_frozen_trial));
}

void igm_frozen_trial_free(igm_frozen_trial *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_params; i++) {
        free(t->params[i].name);
        igm_distribution_free(t->params[i].distribution);
    }
    free(t->params);
    free(t->values);
    igm_attr_list_clear(&t->user_attrs);
    igm_attr_list_clear(&t->system_attrs);
    free(t->intermediate);
    free(t);
}

static int grow(void **items, size_t *cap, size_t need, size_t item_size)
{
    void *grown;
    size_t new_cap;
    if (need <= *cap)
        return IGMOPT_OK;
    new_cap = *cap ? *cap * 2 : 4;
    while (new_cap < need)
        new_cap *= 2;
    grown = realloc(*items, new_cap * item_size);
    if (!grown)
        return igm_error_nomem();
    *items = grown;
    *cap = new_cap;
    return IGMOPT_OK;
}

int igm_frozen_trial_add_param(igm_frozen_trial *t, const char *name, double internal,
                               const igm_distribution *d)
{
    igm_param p;
    int rc = grow((void **)&t->params, &t->cap_params, t->n_params + 1, sizeof *t->params);
    if (rc)
        return rc;
    p.name = strdup(name);
    p.internal = internal;
    p.distribution = NULL;
    if (!p.name)
        return igm_error_nomem();
    rc = igm_distribution_copy(&p.distribution, d);
    if (rc) {
        free(p.name);
        return rc;
    }
    t->params[t->n_params++] = p;
    return IGMOPT_OK;
}

const igm_param *igm_frozen_trial_param(const igm_frozen_trial *t, const char *name)
{
    for (size_t i = 0; i < t->n_params; i++)
        if (strcmp(t->params[i].name, name) == 0)
            return &t->params[i];
    return NULL;
}

int igm_frozen_trial_set_values(igm_frozen_trial *t, const double *values, size_t n)
{
    double *copy = NULL;
    if (values && n) {
        copy = malloc(n * sizeof *copy);
        if (!copy)
            return igm_error_nomem();
        memcpy(copy, values, n * sizeof *copy);
    }
    free(t->values);
    t->values = copy;
    t->n_values = copy ? n : 0;
    return IGMOPT_OK;
}

int igm_frozen_trial_set_intermediate(igm_frozen_trial *t, int64_t step, double value)
{
    size_t at = t->n_intermediate;
    int rc;
    while (at > 0 && t->intermediate[at - 1].step >= step)
        at--;
    if (at < t->n_intermediate && t->intermediate[at].step == step) {
        t->intermediate[at].value = value;
        return IGMOPT_OK;
    }
    rc = grow((void **)&t->intermediate, &t->cap_intermediate, t->n_intermediate + 1,
              sizeof *t->intermediate);
    if (rc)
        return rc;
    memmove(t->intermediate + at + 1, t->intermediate + at,
            (t->n_intermediate - at) * sizeof *t->intermediate);
    t->intermediate[at].step = step;
    t->intermediate[at].value = value;
    t->n_intermediate++;
    return IGMOPT_OK;
}

int igm_frozen_trial_copy(igm_frozen_trial **out, const igm_frozen_trial *t)
{
    igm_frozen_trial *c = igm_frozen_trial_new();
    int rc = IGMOPT_OK;
    *out = NULL;
    if (!c)
        return igm_error_nomem();
    c->trial_id = t->trial_id;
    c->number = t->number;
    c->state = t->state;
    memcpy(c->datetime_start, t->datetime_start, sizeof c->datetime_start);
    memcpy(c->datetime_complete, t->datetime_complete, sizeof c->datetime_complete);
    rc = igm_frozen_trial_set_values(c, t->values, t->n_values);
    for (size_t i = 0; rc == IGMOPT_OK && i < t->n_params; i++)
        rc = igm_frozen_trial_add_param(c, t->params[i].name, t->params[i].internal,
                                        t->params[i].distribution);
    if (rc == IGMOPT_OK)
        rc = igm_attr_list_copy(&c->user_attrs, &t->user_attrs);
    if (rc == IGMOPT_OK)
        rc = igm_attr_list_copy(&c->system_attrs, &t->system_attrs);
    for (size_t i = 0; rc == IGMOPT_OK && i < t->n_intermediate; i++)
        rc = igm_frozen_trial_set_intermediate(c, t->intermediate[i].step,
                                               t->intermediate[i].value);
    if (rc) {
        igm_frozen_trial_free(c);
        return rc;
    }
    *out = c;
    return IGMOPT_OK;
}

/* Adds key (not in l) with its value. */
static int attr_list_append(igm_attr_list *l, const char *key, const char *value_json)
{
    char *value = strdup(value_json), *key_copy = strdup(key);
    int rc = value && key_copy
                 ? grow((void **)&l->items, &l->cap, l->count + 1, sizeof *l->items)
                 : igm_error_nomem();
    if (rc) {
        free(key_copy);
        free(value);
        return rc;
    }
    l->items[l->count].key = key_copy;
    l->items[l->count].value_json = value;
    l->count++;
    return IGMOPT_OK;
}

int igm_attr_list_set(igm_attr_list *l, const char *key, const char *value_json)
{
    for (size_t i = 0; i < l->count; i++) {
        if (strcmp(l->items[i].key, key) == 0) {
            char *value = strdup(value_json);
            if (!value)
                return igm_error_nomem();
            free(l->items[i].value_json);
            l->items[i].value_json = value;
            return IGMOPT_OK;
        }
    }
    return attr_list_append(l, key, value_json);
}

const char *igm_attr_list_get(const igm_attr_list *l, const char *key)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].key, key) == 0)
            return l->items[i].value_json;
    return NULL;
}

/* src's keys are distinct: into an empty list they go without a search
 * each (a study may hold thousands of attrs). */
int igm_attr_list_copy(igm_attr_list *dst, const igm_attr_list *src)
{
    int fresh = dst->count == 0;
    for (size_t i = 0; i < src->count; i++) {
        const igm_attr *a = &src->items[i];
        int rc = fresh ? attr_list_append(dst, a->key, a->value_json)
                       : igm_attr_list_set(dst, a->key, a->value_json);
        if (rc)
            return rc;
    }
    return IGMOPT_OK;
}

void igm_attr_list_clear(igm_attr_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].key);
        free(l->items[i].value_json);
    }
    free(l->items);
    l->items = NULL;
    l->count = l->cap = 0;
}

int igm_trial_state_finished(igmopt_trial_state s)
{
    return s == IGMOPT_COMPLETE || s == IGMOPT_PRUNED || s == IGMOPT_FAIL;
}

const char *igm_trial_state_name(igmopt_trial_state s)
{
    if ((int)s < 0 || (size_t)s >= sizeof state_names / sizeof *state_names)
        return "UNKNOWN";
    return state_names[s];
}

int igm_trial_state_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof state_names / sizeof *state_names; i++)
        if (strcmp(state_names[i], name) == 0)
            return (int)i;
    return -1;
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * civil_from_days). */
static void civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = (int64_t)yoe + era * 400 + (*month <= 2);
}

static char *put_digits(char *p, unsigned value, int width)
{
    for (int i = width - 1; i >= 0; i--, value /= 10)
        p[i] = (char)('0' + value % 10);
    return p + width;
}

/* Written by hand: gmtime_r + strftime + snprintf cost about a third of an
 * in-memory ask+tell (bench/ask_tell), and every trial takes two or three. */
static void datetime_format(const struct timespec *ts, char out[IGM_DATETIME_LEN])
{
    int64_t secs, days, year;
    unsigned month, day, sod;
    char *p = out;
    secs = (int64_t)ts->tv_sec;
    days = (secs >= 0 ? secs : secs - 86399) / 86400;
    sod = (unsigned)(secs - days * 86400);
    civil_from_days(days, &year, &month, &day);
    p = put_digits(p, (unsigned)(year < 0 ? 0 : year > 9999 ? 9999 : year), 4);
    *p++ = '-';
    p = put_digits(p, month, 2);
    *p++ = '-';
    p = put_digits(p, day, 2);
    *p++ = ' ';
    p = put_digits(p, sod / 3600, 2);
    *p++ = ':';
    p = put_digits(p, sod / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, sod % 60, 2);
    *p++ = '.';
    p = put_digits(p, (unsigned)(ts->tv_nsec / 1000) % 1000000u, 6);
    *p = '\0';
}

void igm_datetime_now(char out[IGM_DATETIME_LEN])
{
    igm_datetime_ago(0, out);
}

void igm_datetime_ago(double seconds, char out[IGM_DATETIME_LEN])
{
    struct timespec ts;
    int64_t usec;
    clock_gettime(CLOCK_REALTIME, &ts);
    usec = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 - (int64_t)llround(seconds * 1e6);
    ts.tv_sec = (time_t)(usec >= 0 ? usec / 1000000 : (usec - 999999) / 1000000);
    ts.tv_nsec = (long)(usec - (int64_t)ts.tv_sec * 1000000) * 1000;
    datetime_format(&ts, out);
}
