/* igmopt_config_to_json: the configuration in force (defaults filled in,
 * paths resolved) as one JSON object in json.dumps form, with the keys
 * named as in optuna_params.yaml. */
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "strbuf.h"

static void key(igm_strbuf *sb, const char *name)
{
    igm_strbuf_append(sb, ", ");
    igm_json_string(sb, name);
    igm_strbuf_append(sb, ": ");
}

static void string_or_null(igm_strbuf *sb, const char *s)
{
    if (s)
        igm_json_string(sb, s);
    else
        igm_strbuf_append(sb, "null");
}

static void objectives_json(igm_strbuf *sb, const igmopt_config *cfg)
{
    igm_strbuf_append(sb, "[");
    for (size_t i = 0; i < cfg->n_objectives; i++) {
        igm_strbuf_append(sb, i ? ", {\"name\": " : "{\"name\": ");
        igm_json_string(sb, cfg->objectives[i].name);
        igm_strbuf_appendf(sb, ", \"direction\": \"%s\"}",
                           cfg->objectives[i].direction == IGMOPT_MAXIMIZE ? "maximize"
                                                                           : "minimize");
    }
    igm_strbuf_append(sb, "]");
}

static void param_json(igm_strbuf *sb, const igm_config_param *p)
{
    static const char *const type_names[] = {"float", "int", "categorical"};
    igm_strbuf_append(sb, "{\"name\": ");
    igm_json_string(sb, p->name);
    igm_strbuf_appendf(sb, ", \"type\": \"%s\"", type_names[p->type]);
    if (p->type == IGM_PARAM_CATEGORICAL) {
        igm_strbuf_appendf(sb, ", \"choices\": %s}", p->choices_json);
        return;
    }
    igm_strbuf_append(sb, ", \"low\": ");
    if (p->type == IGM_PARAM_INT) {
        igm_json_int(sb, p->ilow);
        igm_strbuf_append(sb, ", \"high\": ");
        igm_json_int(sb, p->ihigh);
        igm_strbuf_append(sb, ", \"step\": ");
        igm_json_int(sb, p->istep);
    } else {
        igm_json_double(sb, p->low);
        igm_strbuf_append(sb, ", \"high\": ");
        igm_json_double(sb, p->high);
        igm_strbuf_append(sb, ", \"step\": ");
        if (p->step != 0)
            igm_json_double(sb, p->step);
        else
            igm_strbuf_append(sb, "null");
    }
    igm_strbuf_appendf(sb, ", \"log\": %s}", p->log ? "true" : "false");
}

static void parameters_json(igm_strbuf *sb, const igmopt_config *cfg)
{
    igm_strbuf_append(sb, "[");
    for (size_t i = 0; i < cfg->n_params; i++) {
        if (i)
            igm_strbuf_append(sb, ", ");
        param_json(sb, &cfg->params[i]);
    }
    igm_strbuf_append(sb, "]");
}

static void overrides_json(igm_strbuf *sb, const igmopt_config *cfg)
{
    igm_strbuf_append(sb, "{");
    for (size_t i = 0; i < cfg->n_overrides; i++) {
        if (i)
            igm_strbuf_append(sb, ", ");
        igm_json_string(sb, cfg->overrides[i].key);
        igm_strbuf_appendf(sb, ": %s", cfg->overrides[i].value_json);
    }
    igm_strbuf_append(sb, "}");
}

static void gpu_ids_json(igm_strbuf *sb, const igmopt_config *cfg)
{
    if (!cfg->gpu_ids) {
        igm_strbuf_append(sb, "null");
        return;
    }
    igm_strbuf_append(sb, "[");
    for (size_t i = 0; i < cfg->n_gpu_ids; i++) {
        if (i)
            igm_strbuf_append(sb, ", ");
        igm_json_int(sb, cfg->gpu_ids[i]);
    }
    igm_strbuf_append(sb, "]");
}

/* {"method": M, kwargs...}: the YAML mapping again, method first. */
static void method_json(igm_strbuf *sb, const char *method, const char *kwargs_json)
{
    if (!method) {
        igm_strbuf_append(sb, "null");
        return;
    }
    igm_strbuf_append(sb, "{\"method\": ");
    igm_json_string(sb, method);
    if (kwargs_json && strcmp(kwargs_json, "{}") != 0) {
        igm_strbuf_append(sb, ", ");
        igm_strbuf_append(sb, kwargs_json + 1); /* our own "{...}" text */
    } else {
        igm_strbuf_append(sb, "}");
    }
}

static void command_json(igm_strbuf *sb, const igmopt_config *cfg)
{
    igm_strbuf_append(sb, "[");
    for (size_t i = 0; i < cfg->n_command; i++) {
        if (i)
            igm_strbuf_append(sb, ", ");
        igm_json_string(sb, cfg->command[i]);
    }
    igm_strbuf_append(sb, "]");
}

static void numbers_json(igm_strbuf *sb, const igmopt_config *cfg)
{
    key(sb, "n_trials");
    igm_json_int(sb, cfg->n_trials);
    key(sb, "max_trials");
    if (cfg->max_trials)
        igm_json_int(sb, cfg->max_trials);
    else
        igm_strbuf_append(sb, "null");
    key(sb, "n_jobs");
    igm_json_int(sb, cfg->n_jobs);
    key(sb, "gpu_allow_growth");
    igm_strbuf_append(sb, cfg->gpu_allow_growth ? "true" : "false");
    key(sb, "gpu_ids");
    gpu_ids_json(sb, cfg);
    key(sb, "trial_timeout");
    if (cfg->trial_timeout > 0)
        igm_json_double(sb, cfg->trial_timeout);
    else
        igm_strbuf_append(sb, "null");
    key(sb, "heartbeat_interval");
    igm_json_double(sb, cfg->heartbeat_interval);
    key(sb, "grace_period");
    if (cfg->heartbeat_interval > 0)
        igm_json_double(sb, cfg->grace_period);
    else
        igm_strbuf_append(sb, "null");
}

IGMOPT_API int igmopt_config_to_json(const igmopt_config *cfg, char **json_out)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    if (!cfg || !json_out)
        return igm_error(IGMOPT_EINVAL, "igmopt_config_to_json: cfg and json_out must not be "
                         "NULL");
    *json_out = NULL;
    igm_strbuf_append(&sb, "{\"config_file\": ");
    igm_json_string(&sb, cfg->path);
    key(&sb, "objectives");
    objectives_json(&sb, cfg);
    key(&sb, "parameters");
    parameters_json(&sb, cfg);
    key(&sb, "overrides");
    overrides_json(&sb, cfg);
    numbers_json(&sb, cfg);
    key(&sb, "storage");
    string_or_null(&sb, cfg->storage);
    key(&sb, "study_name");
    string_or_null(&sb, cfg->study_name);
    key(&sb, "sampler");
    method_json(&sb, cfg->sampler_method, cfg->sampler_kwargs_json);
    key(&sb, "pruner");
    method_json(&sb, cfg->pruner_method, cfg->pruner_kwargs_json);
    key(&sb, "command");
    command_json(&sb, cfg);
    key(&sb, "sweep_dir");
    igm_json_string(&sb, cfg->sweep_dir);
    key(&sb, "score_file");
    igm_json_string(&sb, cfg->score_file);
    igm_strbuf_append(&sb, "}");
    return igm_strbuf_finish(&sb, json_out);
}
