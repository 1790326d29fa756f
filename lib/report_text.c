/* The pieces the CSV and the summary share (report.h): column names and
 * order, values as plain text, durations from the stored datetimes. */
#include "report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* ---- columns -------------------------------------------------------------- */

static int config_names_objectives(const igmopt_config *cfg, size_t n_objectives)
{
    if (!cfg || cfg->n_objectives != n_objectives)
        return 0;
    for (size_t i = 0; i < n_objectives; i++)
        if (!cfg->objectives[i].name || !*cfg->objectives[i].name)
            return 0;
    return 1;
}

static int objective_names(igm_report_columns *c, const igmopt_study *study,
                           const igmopt_config *cfg)
{
    int named = config_names_objectives(cfg, study->n_objectives);
    c->objectives = calloc(study->n_objectives ? study->n_objectives : 1, sizeof *c->objectives);
    if (!c->objectives)
        return igm_error_nomem();
    c->n_objectives = study->n_objectives;
    for (size_t i = 0; i < c->n_objectives; i++) {
        igm_strbuf sb = IGM_STRBUF_INIT;
        if (named)
            igm_strbuf_append(&sb, cfg->objectives[i].name);
        else if (c->n_objectives == 1)
            igm_strbuf_append(&sb, "value");
        else
            igm_strbuf_appendf(&sb, "values_%zu", i);
        if (igm_strbuf_finish(&sb, &c->objectives[i]))
            return igm_error_nomem();
    }
    return IGMOPT_OK;
}

static int add_param_name(igm_report_columns *c, const char *name)
{
    for (size_t i = 0; i < c->n_params; i++)
        if (strcmp(c->params[i], name) == 0)
            return IGMOPT_OK;
    if (c->n_params == c->cap_params) {
        size_t cap = c->cap_params ? c->cap_params * 2 : 16;
        const char **grown = realloc(c->params, cap * sizeof *grown);
        if (!grown)
            return igm_error_nomem();
        c->params = grown;
        c->cap_params = cap;
    }
    c->params[c->n_params++] = name;
    return IGMOPT_OK;
}

static int param_names(igm_report_columns *c, const igmopt_config *cfg,
                       igm_frozen_trial *const *trials, size_t n)
{
    int rc = IGMOPT_OK;
    for (size_t i = 0; cfg && i < cfg->n_params && !rc; i++)
        if (cfg->params[i].name)
            rc = add_param_name(c, cfg->params[i].name);
    for (size_t i = 0; i < n && !rc; i++)
        for (size_t j = 0; j < trials[i]->n_params && !rc; j++)
            rc = add_param_name(c, trials[i]->params[j].name);
    return rc;
}

int igm_report_columns_build(igm_report_columns *c, const igmopt_study *study,
                             const igmopt_config *cfg, igm_frozen_trial *const *trials,
                             size_t n)
{
    int rc;
    memset(c, 0, sizeof *c);
    rc = objective_names(c, study, cfg);
    if (!rc)
        rc = param_names(c, cfg, trials, n);
    if (rc)
        igm_report_columns_clear(c);
    return rc;
}

void igm_report_columns_clear(igm_report_columns *c)
{
    for (size_t i = 0; c->objectives && i < c->n_objectives; i++)
        free(c->objectives[i]);
    free(c->objectives);
    free(c->params);
    memset(c, 0, sizeof *c);
}

/* ---- values as text ------------------------------------------------------- */

static void append_json_string_text(igm_strbuf *sb, const char *json)
{
    json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
    if (json_is_string(v))
        igm_strbuf_append(sb, json_string_value(v));
    else
        igm_strbuf_append(sb, json); /* not valid JSON: show it as stored */
    json_decref(v);
}

void igm_report_json_text(igm_strbuf *sb, const char *json)
{
    if (json[0] == '"')
        append_json_string_text(sb, json);
    else if (strcmp(json, "null") == 0)
        return;
    else if (strcmp(json, "NaN") == 0)
        igm_strbuf_append(sb, "nan");
    else if (strcmp(json, "Infinity") == 0)
        igm_strbuf_append(sb, "inf");
    else if (strcmp(json, "-Infinity") == 0)
        igm_strbuf_append(sb, "-inf");
    else
        igm_strbuf_append(sb, json);
}

void igm_report_param_text(igm_strbuf *sb, const igm_param *p)
{
    igm_strbuf json = IGM_STRBUF_INIT;
    igm_distribution_external_json(&json, p->distribution, p->internal);
    if (json.failed)
        sb->failed = 1;
    else if (json.data)
        igm_report_json_text(sb, json.data);
    igm_strbuf_release(&json);
}

void igm_report_double(igm_strbuf *sb, double v)
{
    char buf[32];
    igm_format_double(v, buf);
    igm_strbuf_append(sb, buf);
}

void igm_report_fail_reason(igm_strbuf *sb, const igm_frozen_trial *t)
{
    const char *reason = igm_attr_list_get(&t->system_attrs, "fail_reason");
    if (reason)
        igm_report_json_text(sb, reason);
}

/* ---- durations ------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* Microseconds since 1970 of "YYYY-MM-DD HH:MM:SS[.ffffff]" ('T' also
 * accepted, as databases written by other tools may hold it). */
static int datetime_micros(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec, used = 0;
    int64_t micros = 0, scale = 100000;
    if (sscanf(s, "%4d-%2d-%2d%*1[ T]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 ||
        !used || mo < 1 || mo > 12 || d < 1 || d > 31)
        return 0;
    if (s[used] == '.')
        for (const char *p = s + used + 1; *p >= '0' && *p <= '9' && scale; p++, scale /= 10)
            micros += (*p - '0') * scale;
    *out = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 24 + h) * 60 + mi) * 60 + sec;
    *out = *out * 1000000 + micros;
    return 1;
}

int igm_report_duration(const igm_frozen_trial *t, double *seconds)
{
    int64_t start, complete;
    if (!*t->datetime_complete || !datetime_micros(t->datetime_start, &start) ||
        !datetime_micros(t->datetime_complete, &complete))
        return 0;
    *seconds = (double)(complete - start) / 1e6;
    return 1;
}
