/* The trials JSON the public API hands out: one object per trial with
 * Optuna's FrozenTrial fields, external parameter values and distributions. */
#include <stdlib.h>

#include "error.h"
#include "strbuf.h"
#include "study.h"

static void append_datetime(igm_strbuf *sb, const char *key, const char *value)
{
    igm_strbuf_appendf(sb, ", \"%s\": ", key);
    if (*value)
        igm_json_string(sb, value);
    else
        igm_strbuf_append(sb, "null");
}

static void append_values(igm_strbuf *sb, const igm_frozen_trial *t)
{
    igm_strbuf_append(sb, ", \"values\": ");
    if (!t->values) {
        igm_strbuf_append(sb, "null");
        return;
    }
    igm_strbuf_append(sb, "[");
    for (size_t i = 0; i < t->n_values; i++) {
        if (i)
            igm_strbuf_append(sb, ", ");
        igm_json_double(sb, t->values[i]);
    }
    igm_strbuf_append(sb, "]");
}

static void append_params(igm_strbuf *sb, const igm_frozen_trial *t, int distributions)
{
    igm_strbuf_append(sb, distributions ? ", \"distributions\": {" : ", \"params\": {");
    for (size_t i = 0; i < t->n_params; i++) {
        const igm_param *p = &t->params[i];
        if (i)
            igm_strbuf_append(sb, ", ");
        igm_json_string(sb, p->name);
        igm_strbuf_append(sb, ": ");
        if (distributions)
            igm_distribution_to_json(sb, p->distribution);
        else
            igm_distribution_external_json(sb, p->distribution, p->internal);
    }
    igm_strbuf_append(sb, "}");
}

static void append_attrs(igm_strbuf *sb, const char *key, const igm_attr_list *attrs)
{
    igm_strbuf_appendf(sb, ", \"%s\": {", key);
    for (size_t i = 0; i < attrs->count; i++) {
        if (i)
            igm_strbuf_append(sb, ", ");
        igm_json_string(sb, attrs->items[i].key);
        igm_strbuf_append(sb, ": ");
        igm_strbuf_append(sb, attrs->items[i].value_json);
    }
    igm_strbuf_append(sb, "}");
}

static void append_intermediate(igm_strbuf *sb, const igm_frozen_trial *t)
{
    igm_strbuf_append(sb, ", \"intermediate_values\": {");
    for (size_t i = 0; i < t->n_intermediate; i++) {
        igm_strbuf_appendf(sb, "%s\"%lld\": ", i ? ", " : "",
                           (long long)t->intermediate[i].step);
        igm_json_double(sb, t->intermediate[i].value);
    }
    igm_strbuf_append(sb, "}");
}

static void append_trial(igm_strbuf *sb, const igm_frozen_trial *t)
{
    igm_strbuf_appendf(sb, "{\"number\": %lld, \"state\": \"%s\"", (long long)t->number,
                       igm_trial_state_name(t->state));
    append_values(sb, t);
    append_params(sb, t, 0);
    append_params(sb, t, 1);
    append_attrs(sb, "user_attrs", &t->user_attrs);
    append_attrs(sb, "system_attrs", &t->system_attrs);
    append_intermediate(sb, t);
    append_datetime(sb, "datetime_start", t->datetime_start);
    append_datetime(sb, "datetime_complete", t->datetime_complete);
    igm_strbuf_append(sb, "}");
}

int igm_trials_to_json(const igm_frozen_trial *const *trials, size_t n, char **out)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    igm_strbuf_append(&sb, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            igm_strbuf_append(&sb, ", ");
        append_trial(&sb, trials[i]);
    }
    igm_strbuf_append(&sb, "]");
    return igm_strbuf_finish(&sb, out) ? igm_error_nomem() : IGMOPT_OK;
}
