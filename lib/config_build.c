/* The top level of optuna_params.yaml: which keys exist, their scalar
 * values and defaults, sampler/pruner checks by constructing them, and
 * paths resolved against the file's directory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../samplers/sampler.h"
#include "../storage/storage.h"
#include "config_internal.h"
#include "strbuf.h"

#define DEFAULT_SWEEP_DIR "multirun"
#define DEFAULT_SCORE_FILE "_igm_score.json"
#define DEFAULT_HEARTBEAT_INTERVAL 60.0

typedef int (*key_reader)(igm_config_build *b, const igm_config_loc *loc,
                          const igm_yaml_node *v);

/* ---- scalar keys ------------------------------------------------------ */

static int read_n_trials(igm_config_build *b, const igm_config_loc *loc, const igm_yaml_node *v)
{
    return igm_config_read_int_min(loc, v, 0, &b->cfg->n_trials);
}

static int read_max_trials(igm_config_build *b, const igm_config_loc *loc,
                           const igm_yaml_node *v)
{
    return igm_config_read_int_min(loc, v, 1, &b->cfg->max_trials);
}

/* Each running trial holds a process and a descriptor; beyond this a value
 * is a typo, not a machine. */
#define MAX_N_JOBS 10000

static int read_n_jobs(igm_config_build *b, const igm_config_loc *loc, const igm_yaml_node *v)
{
    int rc = igm_config_read_int_min(loc, v, 1, &b->cfg->n_jobs);
    if (rc == IGMOPT_OK && b->cfg->n_jobs > MAX_N_JOBS)
        return igm_config_error(loc, "must be <= %d trials at once (got %s)", MAX_N_JOBS,
                                v->text);
    return rc;
}

static int read_gpu_allow_growth(igm_config_build *b, const igm_config_loc *loc,
                                 const igm_yaml_node *v)
{
    return igm_config_read_bool(loc, v, &b->cfg->gpu_allow_growth);
}

static int read_gpu_ids(igm_config_build *b, const igm_config_loc *loc, const igm_yaml_node *v)
{
    igmopt_config *cfg = b->cfg;
    int rc;
    if ((rc = igm_config_expect(loc, v, IGM_YAML_SEQUENCE, "a list of GPU ids, e.g. [0, 1]")))
        return rc;
    if (v->n && !(cfg->gpu_ids = calloc(v->n, sizeof *cfg->gpu_ids)))
        return igm_error_nomem();
    for (size_t i = 0; i < v->n; i++) {
        igm_config_loc item_loc;
        igm_config_loc_index(&item_loc, loc, i, v->items[i]);
        if ((rc = igm_config_read_int_min(&item_loc, v->items[i], 0, &cfg->gpu_ids[i])))
            return rc;
        cfg->n_gpu_ids++;
    }
    return IGMOPT_OK;
}

static int read_trial_timeout(igm_config_build *b, const igm_config_loc *loc,
                              const igm_yaml_node *v)
{
    int rc = igm_config_read_number(loc, v, &b->cfg->trial_timeout);
    if (rc == IGMOPT_OK && b->cfg->trial_timeout <= 0)
        return igm_config_error(loc, "must be a number of seconds > 0 (got %s); omit it for "
                                "no timeout", v->text);
    return rc;
}

/* A number written with a non-zero digit before its exponent ("1e-400"
 * underflows to 0, which would silently mean "off"). */
static int written_non_zero(const char *text)
{
    for (; *text && *text != 'e' && *text != 'E'; text++)
        if (*text >= '1' && *text <= '9')
            return 1;
    return 0;
}

/* Heartbeats are whole seconds, as Optuna's (a positive integer there): a
 * shorter interval would only spin the loop. */
static int read_heartbeat_interval(igm_config_build *b, const igm_config_loc *loc,
                                   const igm_yaml_node *v)
{
    double *interval = &b->cfg->heartbeat_interval;
    int rc = igm_config_read_number(loc, v, interval);
    if (rc == IGMOPT_OK && (*interval != 0 || written_non_zero(v->text)) &&
        !(*interval >= 1 && *interval < 1e6))
        return igm_config_error(loc, "must be 0 (off) or a number of seconds >= 1 and < 1e6 "
                                "(got %s); heartbeats are whole seconds", v->text);
    return rc;
}

static int read_grace_period(igm_config_build *b, const igm_config_loc *loc,
                             const igm_yaml_node *v)
{
    double *grace = &b->cfg->grace_period;
    int rc = igm_config_read_number(loc, v, grace);
    if (rc == IGMOPT_OK && !(*grace > 0 && *grace < 1e6))
        return igm_config_error(loc, "must be a number of seconds > 0 and < 1e6 (got %s)",
                                v->text);
    return rc;
}

static int read_study_name(igm_config_build *b, const igm_config_loc *loc,
                           const igm_yaml_node *v)
{
    return igm_config_read_string(loc, v, &b->cfg->study_name);
}

/* ---- paths -------------------------------------------------------------- */

/* Paths written in the file are relative to the file's directory; paths
 * typed on the command line to the current directory, as a shell user
 * expects. */
static int base_directory(const igm_config_build *b, const igm_yaml_node *v, char **owned,
                          const char **base)
{
    *owned = NULL;
    *base = b->cfg->base_dir;
    if (!v->origin)
        return IGMOPT_OK;
    if (!(*owned = getcwd(NULL, 0)))
        return igm_error(IGMOPT_ECONFIG, "cannot resolve a relative path: the current "
                         "directory is unknown");
    *base = *owned;
    return IGMOPT_OK;
}

static int join_path(const char *base, const char *relative, const char *prefix, char **out)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    igm_strbuf_appendf(&sb, "%s%s%s%s", prefix, base,
                       base[0] && base[strlen(base) - 1] == '/' ? "" : "/", relative);
    return igm_strbuf_finish(&sb, out);
}

static int sqlite_path_is_relative(const char *path)
{
    return path[0] != '\0' && path[0] != '/' && path[0] != '?' &&
           strncmp(path, ":memory:", 8) != 0;
}

#define SQLITE_PREFIX "sqlite:///"
#define STORAGE_FORMS "use sqlite:///relative/path.db, sqlite:////absolute/path.db or :memory:"

/* The URL forms the storage layer opens and their query options (the
 * SQLite backend's own parser), refused here rather than when the run
 * starts (where `--check` would not see them). */
static int check_storage_url(const igm_config_loc *loc, const char *url)
{
    const char *path = url + strlen(SQLITE_PREFIX);
    int rc;
    if (strcmp(url, ":memory:") == 0)
        return IGMOPT_OK;
    if (strncmp(url, SQLITE_PREFIX, strlen(SQLITE_PREFIX)) == 0 && path[0] && path[0] != '?') {
        rc = igm_sqlite_url_check(url);
        return rc ? igm_config_error_from_last(loc, rc) : IGMOPT_OK;
    }
    if (strncmp(url, SQLITE_PREFIX, strlen(SQLITE_PREFIX)) == 0)
        return igm_config_error(loc, "the storage URL '%s' names no file (" STORAGE_FORMS ")",
                                url);
    if (strncmp(url, "sqlite:", 7) == 0)
        return igm_config_error(loc, "'%s' is not a SQLite URL: a relative path follows "
                                "three slashes, an absolute one four (" STORAGE_FORMS ")",
                                url);
    return igm_config_error(loc, "unsupported storage URL '%s': this version stores studies "
                            "in SQLite only (" STORAGE_FORMS ")", url);
}

static int read_storage(igm_config_build *b, const igm_config_loc *loc, const igm_yaml_node *v)
{
    static const char sqlite_prefix[] = SQLITE_PREFIX;
    char *url = NULL, *cwd;
    const char *base, *path;
    int rc;
    if ((rc = igm_config_read_string(loc, v, &url)))
        return rc;
    if ((rc = check_storage_url(loc, url))) {
        free(url);
        return rc;
    }
    path = url + sizeof sqlite_prefix - 1;
    if (strncmp(url, sqlite_prefix, sizeof sqlite_prefix - 1) != 0 ||
        !sqlite_path_is_relative(path)) {
        b->cfg->storage = url;
        return IGMOPT_OK;
    }
    if ((rc = base_directory(b, v, &cwd, &base)) == IGMOPT_OK)
        rc = join_path(base, path, sqlite_prefix, &b->cfg->storage);
    free(cwd);
    free(url);
    return rc;
}

static int read_sweep_dir(igm_config_build *b, const igm_config_loc *loc,
                          const igm_yaml_node *v)
{
    char *dir = NULL, *cwd;
    const char *base;
    int rc;
    if ((rc = igm_config_read_string(loc, v, &dir)))
        return rc;
    if (dir[0] == '/') {
        b->cfg->sweep_dir = dir;
        return IGMOPT_OK;
    }
    if ((rc = base_directory(b, v, &cwd, &base)) == IGMOPT_OK)
        rc = join_path(base, dir, "", &b->cfg->sweep_dir);
    free(cwd);
    free(dir);
    return rc;
}

static int read_score_file(igm_config_build *b, const igm_config_loc *loc,
                           const igm_yaml_node *v)
{
    int rc = igm_config_read_string(loc, v, &b->cfg->score_file);
    if (rc)
        return rc;
    if (strchr(v->text, '/') || strcmp(v->text, ".") == 0 || strcmp(v->text, "..") == 0)
        return igm_config_error(loc, "must be a plain file name (it is looked up in each "
                                "trial's directory), got '%s'", v->text);
    /* The runner truncates these at launch: every trial would fail "empty". */
    if (strcmp(v->text, "stdout.txt") == 0 || strcmp(v->text, "stderr.txt") == 0)
        return igm_config_error(loc, "'%s' names a file the runner writes (each trial's "
                                "stdout and stderr go to stdout.txt and stderr.txt); choose "
                                "another name", v->text);
    return IGMOPT_OK;
}

/* ---- command -------------------------------------------------------------- */

static int read_command_dir(igm_config_build *b, const igm_yaml_node *program)
{
    char *cwd;
    const char *base;
    int rc = base_directory(b, program, &cwd, &base);
    if (rc == IGMOPT_OK && !(b->cfg->command_dir = strdup(base)))
        rc = igm_error_nomem();
    free(cwd);
    return rc;
}

static int read_command(igm_config_build *b, const igm_config_loc *loc, const igm_yaml_node *v)
{
    igmopt_config *cfg = b->cfg;
    int rc;
    if (v->type != IGM_YAML_SEQUENCE || v->n == 0)
        return igm_config_error(loc, "must be a non-empty list of arguments, e.g. [igm_run, "
                                "+experiment=params]");
    if ((rc = read_command_dir(b, v->items[0])))
        return rc;
    if (!(cfg->command = calloc(v->n + 1, sizeof *cfg->command)))
        return igm_error_nomem();
    for (size_t i = 0; i < v->n; i++) {
        const igm_yaml_node *arg = v->items[i];
        igm_config_loc item_loc;
        igm_config_loc_index(&item_loc, loc, i, arg);
        if (arg->type == IGM_YAML_SEQUENCE || arg->type == IGM_YAML_MAPPING ||
            arg->type == IGM_YAML_NULL || (i == 0 && !arg->text[0]))
            return igm_config_error(&item_loc, "must be a %s string",
                                    i == 0 ? "non-empty program" : "single argument");
        /* Arguments are text as written: "- 3" means the argument "3". */
        if (!(cfg->command[i] = strdup(arg->text)))
            return igm_error_nomem();
        cfg->n_command++;
    }
    return IGMOPT_OK;
}

static int default_command(igmopt_config *cfg)
{
    static const char *const argv[] = {"igm_run", "+experiment=params"};
    if (!(cfg->command = calloc(3, sizeof *cfg->command)))
        return igm_error_nomem();
    for (; cfg->n_command < 2; cfg->n_command++)
        if (!(cfg->command[cfg->n_command] = strdup(argv[cfg->n_command])))
            return igm_error_nomem();
    return IGMOPT_OK;
}

/* ---- sampler and pruner ---------------------------------------------------- */

/* The reference's default is TPESampler; until this build has it, the
 * library's own default (RandomSampler) runs instead of failing. */
static const char *default_sampler_method(void)
{
    igmopt_sampler *s = NULL;
    if (igmopt_sampler_new(&s, "TPESampler", NULL) != IGMOPT_OK)
        return "RandomSampler";
    igmopt_sampler_free(s);
    return "TPESampler";
}

/* method: ... plus keyword arguments, split into the method name and a
 * JSON object of the rest (in file order). */
static int read_method_mapping(const igm_config_loc *loc, const igm_yaml_node *v,
                               char **method, char **kwargs, igm_config_loc *method_loc)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    igm_config_loc kwarg_loc;
    size_t n = 0;
    int rc = igm_config_expect(loc, v, IGM_YAML_MAPPING,
                               "a mapping: method plus the constructor's keyword arguments");
    *method_loc = *loc;
    igm_strbuf_append(&sb, "{");
    for (size_t i = 0; rc == IGMOPT_OK && i < v->n; i++) {
        if (strcmp(v->keys[i]->text, "method") == 0) {
            igm_config_loc_key(method_loc, loc, v->keys[i]);
            rc = igm_config_read_string(method_loc, v->items[i], method);
            continue;
        }
        igm_config_loc_key(&kwarg_loc, loc, v->keys[i]);
        if ((rc = igm_config_check_option_numbers(&kwarg_loc, v->items[i])))
            break;
        igm_strbuf_append(&sb, n++ ? ", " : "");
        igm_json_string(&sb, v->keys[i]->text);
        igm_strbuf_append(&sb, ": ");
        igm_yaml_to_json(&sb, v->items[i]);
    }
    igm_strbuf_append(&sb, "}");
    if (rc) {
        igm_strbuf_release(&sb);
        return rc;
    }
    return igm_strbuf_finish(&sb, kwargs);
}

/* The constructor's message at the kwarg it blames, else at loc. */
static int kwarg_error(const igm_config_loc *loc, const igm_yaml_node *v, int rc)
{
    const igm_yaml_node *key = v->type == IGM_YAML_MAPPING
                                   ? igm_config_blamed_kwarg(v, igm_error_message()) : NULL;
    igm_config_loc key_loc;
    if (!key)
        return igm_config_error_from_last(loc, rc);
    igm_config_loc_key(&key_loc, loc, key);
    return igm_config_error_from_last(&key_loc, rc);
}

/* A method Optuna has but this build lacks (IGMOPT_EUNAVAILABLE) loads:
 * the runner reports it, and the seed template (NSGAIISampler) must load.
 * Built once with its kwargs, since some samplers have required ones
 * (GridSampler's search_space); an unknown name is blamed on the method. */
static int check_sampler(const igm_config_loc *loc, const igm_config_loc *method_loc,
                         const igm_yaml_node *v, const char *method, const char *kwargs)
{
    igmopt_sampler *s = NULL;
    int rc = igmopt_sampler_new(&s, method, kwargs);
    if (rc == IGMOPT_EUNAVAILABLE)
        return IGMOPT_OK;
    if (rc && !igm_sampler_method_known(method))
        return igm_config_error_from_last(method_loc, rc);
    if (rc)
        return kwarg_error(loc, v, rc);
    igmopt_sampler_free(s);
    return IGMOPT_OK;
}

static int check_pruner(const igm_config_loc *loc, const igm_config_loc *method_loc,
                        const igm_yaml_node *v, const char *method, const char *kwargs)
{
    igmopt_pruner *p = NULL;
    int rc = igmopt_pruner_new(&p, method, NULL);
    if (rc == IGMOPT_EUNAVAILABLE)
        return IGMOPT_OK;
    if (rc)
        return igm_config_error_from_last(method_loc, rc);
    igmopt_pruner_free(p);
    if ((rc = igmopt_pruner_new(&p, method, kwargs)))
        return kwarg_error(loc, v, rc);
    igmopt_pruner_free(p);
    return IGMOPT_OK;
}

static int read_sampler(igm_config_build *b, const igm_config_loc *loc, const igm_yaml_node *v)
{
    igmopt_config *cfg = b->cfg;
    igm_config_loc method_loc;
    int rc = read_method_mapping(loc, v, &cfg->sampler_method, &cfg->sampler_kwargs_json,
                                 &method_loc);
    if (rc)
        return rc;
    if (!cfg->sampler_method && !(cfg->sampler_method = strdup(default_sampler_method())))
        return igm_error_nomem();
    return check_sampler(loc, &method_loc, v, cfg->sampler_method, cfg->sampler_kwargs_json);
}

static int read_pruner(igm_config_build *b, const igm_config_loc *loc, const igm_yaml_node *v)
{
    igmopt_config *cfg = b->cfg;
    igm_config_loc method_loc;
    int rc = read_method_mapping(loc, v, &cfg->pruner_method, &cfg->pruner_kwargs_json,
                                 &method_loc);
    if (rc)
        return rc;
    if (!cfg->pruner_method) {
        igm_config_loc_missing(&method_loc, loc, "method");
        return igm_config_error(&method_loc, "missing (the pruner class, e.g. MedianPruner)");
    }
    return check_pruner(loc, &method_loc, v, cfg->pruner_method, cfg->pruner_kwargs_json);
}

/* ---- the top level ------------------------------------------------------------ */

static const struct top_key {
    const char *name;
    key_reader read;
    int required;
} top_keys[] = {
    {"objectives", igm_config_read_objectives, 1},
    {"parameters", igm_config_read_parameters, 1},
    {"overrides", igm_config_read_overrides, 0},
    {"n_trials", read_n_trials, 1},
    {"max_trials", read_max_trials, 0},
    {"n_jobs", read_n_jobs, 0},
    {"gpu_allow_growth", read_gpu_allow_growth, 0},
    {"gpu_ids", read_gpu_ids, 0},
    {"trial_timeout", read_trial_timeout, 0},
    {"heartbeat_interval", read_heartbeat_interval, 0},
    {"grace_period", read_grace_period, 0},
    {"storage", read_storage, 0},
    {"study_name", read_study_name, 0},
    {"sampler", read_sampler, 0},
    {"pruner", read_pruner, 0},
    {"command", read_command, 0},
    {"sweep_dir", read_sweep_dir, 0},
    {"score_file", read_score_file, 0},
};

#define N_TOP_KEYS (sizeof top_keys / sizeof *top_keys)

/* Keys IGM's sweeper knows (or once knew) that igmopt deliberately refuses. */
static const struct retired_key {
    const char *name;
    const char *why;
} retired_keys[] = {
    {"direction", "not supported: give each objective a name instead, e.g. objectives: "
                  "[{name: cost, direction: minimize}]"},
    {"conditional_overrides", "not supported by igmopt yet"},
};

static int unknown_top_key(const igm_config_loc *key_loc, const char *key)
{
    const char *names[N_TOP_KEYS + 1];
    const char *suggestion;
    for (size_t i = 0; i < sizeof retired_keys / sizeof *retired_keys; i++)
        if (strcmp(key, retired_keys[i].name) == 0)
            return igm_config_error(key_loc, "%s", retired_keys[i].why);
    for (size_t i = 0; i < N_TOP_KEYS; i++)
        names[i] = top_keys[i].name;
    names[N_TOP_KEYS] = NULL;
    suggestion = igm_config_suggest(key, names);
    if (suggestion)
        return igm_config_error(key_loc, "unknown key (did you mean '%s'?)", suggestion);
    return igm_config_error(key_loc, "unknown key (the keys are listed in doc/config.md)");
}

static const struct top_key *find_top_key(const char *name)
{
    for (size_t i = 0; i < N_TOP_KEYS; i++)
        if (strcmp(top_keys[i].name, name) == 0)
            return &top_keys[i];
    return NULL;
}

static int read_top_level(igm_config_build *b, const igm_config_loc *root_loc)
{
    const igm_yaml_node *root = b->root;
    for (size_t i = 0; i < root->n; i++) {
        const struct top_key *key = find_top_key(root->keys[i]->text);
        igm_config_loc loc;
        int rc;
        igm_config_loc_key(&loc, root_loc, root->keys[i]);
        if (!key)
            return unknown_top_key(&loc, root->keys[i]->text);
        if (!key->required && root->items[i]->type == IGM_YAML_NULL)
            continue; /* null means "the default", as an absent key */
        if ((rc = key->read(b, &loc, root->items[i])))
            return rc;
    }
    return IGMOPT_OK;
}

static int check_required(const igm_config_build *b, const igm_config_loc *root_loc)
{
    for (size_t i = 0; i < N_TOP_KEYS; i++) {
        igm_config_loc loc;
        if (!top_keys[i].required || igm_yaml_get(b->root, top_keys[i].name, NULL))
            continue;
        igm_config_loc_missing(&loc, root_loc, top_keys[i].name);
        return igm_config_error(&loc, "missing (objectives, parameters and n_trials are "
                                "required)");
    }
    return IGMOPT_OK;
}

static int check_root(const igm_config_loc *root_loc, const igm_yaml_node *root)
{
    char got[100];
    if (root->type == IGM_YAML_MAPPING)
        return IGMOPT_OK;
    if (root->type == IGM_YAML_NULL)
        return igm_config_error(root_loc, "the file is empty (it needs objectives, "
                                "parameters and n_trials)");
    igm_config_describe(root, got, sizeof got);
    return igm_config_error(root_loc, "the file must be a mapping of keys such as "
                            "objectives, parameters and n_trials (got %s)", got);
}

/* A live trial's heartbeat is up to one interval plus one second old
 * (heartbeats are whole seconds): a shorter grace period fails it. */
static int check_grace_period(const igm_config_build *b, const igm_config_loc *root_loc)
{
    const igmopt_config *cfg = b->cfg;
    igm_yaml_node *grace_key = NULL;
    igm_config_loc loc;
    if (!igm_yaml_get(b->root, "grace_period", &grace_key) || cfg->heartbeat_interval == 0 ||
        cfg->grace_period > cfg->heartbeat_interval + 1)
        return IGMOPT_OK;
    igm_config_loc_key(&loc, root_loc, grace_key);
    return igm_config_error(&loc, "must be longer than heartbeat_interval + 1 s (%g s; "
                            "heartbeats are whole seconds), or live trials would look "
                            "stale; the default is twice heartbeat_interval, at least "
                            "heartbeat_interval + 2",
                            cfg->heartbeat_interval + 1);
}

static int strdup_default(char **field, const char *value)
{
    if (*field)
        return IGMOPT_OK;
    *field = strdup(value);
    return *field ? IGMOPT_OK : igm_error_nomem();
}

static int fill_defaults(igmopt_config *cfg)
{
    int rc;
    if (!cfg->sampler_method && (rc = strdup_default(&cfg->sampler_method,
                                                     default_sampler_method())))
        return rc;
    if ((rc = strdup_default(&cfg->sampler_kwargs_json, "{}")) ||
        (rc = strdup_default(&cfg->score_file, DEFAULT_SCORE_FILE)))
        return rc;
    if (!cfg->command && (rc = default_command(cfg)))
        return rc;
    if ((rc = strdup_default(&cfg->command_dir, cfg->base_dir)))
        return rc;
    if (cfg->grace_period == 0) /* Optuna's 2 x interval, but past interval + 1 */
        cfg->grace_period = fmax(2 * cfg->heartbeat_interval, cfg->heartbeat_interval + 2);
    if (!cfg->sweep_dir)
        return join_path(cfg->base_dir, DEFAULT_SWEEP_DIR, "", &cfg->sweep_dir);
    return IGMOPT_OK;
}

int igm_config_build_fields(igmopt_config *cfg, const igm_yaml_node *root)
{
    igm_config_build b = {.cfg = cfg, .root = root};
    igm_config_loc root_loc = {.file = cfg->path, .at = root, .path = ""};
    int rc;
    cfg->n_jobs = 1;
    cfg->heartbeat_interval = DEFAULT_HEARTBEAT_INTERVAL;
    if ((rc = check_root(&root_loc, root)) || (rc = read_top_level(&b, &root_loc)) ||
        (rc = check_required(&b, &root_loc)) ||
        (rc = igm_config_check_conflicts(&b, &root_loc)) ||
        (rc = check_grace_period(&b, &root_loc)) || (rc = fill_defaults(cfg)))
        igm_config_free_fields(cfg);
    return rc;
}

static void free_strings(char **strings, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(strings[i]);
    free(strings);
}

void igm_config_free_fields(igmopt_config *cfg)
{
    for (size_t i = 0; i < cfg->n_objectives; i++)
        free(cfg->objectives[i].name);
    for (size_t i = 0; i < cfg->n_params; i++) {
        free(cfg->params[i].name);
        free(cfg->params[i].choices_json);
    }
    for (size_t i = 0; i < cfg->n_overrides; i++) {
        free(cfg->overrides[i].key);
        free(cfg->overrides[i].value_json);
    }
    free(cfg->objectives);
    free(cfg->params);
    free(cfg->overrides);
    free(cfg->gpu_ids);
    free(cfg->storage);
    free(cfg->study_name);
    free(cfg->sampler_method);
    free(cfg->sampler_kwargs_json);
    free(cfg->pruner_method);
    free(cfg->pruner_kwargs_json);
    free_strings(cfg->command, cfg->n_command);
    free(cfg->command_dir);
    free(cfg->sweep_dir);
    free(cfg->score_file);
    *cfg = (igmopt_config){.path = cfg->path, .base_dir = cfg->base_dir, .tree = cfg->tree};
}
