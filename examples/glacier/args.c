/* Parses Hydra-style overrides into a run_config: the table of accepted keys,
 * the value grammar (numbers, optionally quoted; no null), Hydra-like error
 * messages, and --help generated from the table. */
#include "args.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { NUMBER, PATH };
enum bound { ANY, POSITIVE, NON_NEGATIVE };

struct key {
    const char *name;
    enum kind kind;
    size_t offset; /* of the double (NUMBER) or const char * (PATH) in run_config */
    enum bound bound;
    const char *help;
};

/* Bounds the run time (~0.1 s per 300 years) against a stray time.end. */
static const double MAX_YEARS = 10000.0;

#define FIELD(member) offsetof(struct run_config, member)

/* IGM's names. smb_simple.array is IGM's table whose row 0 is the header
 * [time, gradabl, gradacc, ela, accmax]; row 1 holds the (constant) values. */
static const struct key KEYS[] = {
    {"processes.iceflow.physics.init_slidingco", NUMBER, FIELD(model.slidingco), POSITIVE,
     "Weertman sliding coefficient C, MPa m^-1/3 a^1/3"},
    {"processes.iceflow.physics.init_arrhenius", NUMBER, FIELD(model.arrhenius), POSITIVE,
     "Glen's rate factor A, MPa^-3 a^-1"},
    {"processes.smb_simple.array.1.1", NUMBER, FIELD(model.gradabl), NON_NEGATIVE,
     "ablation gradient, m ice a^-1 m^-1"},
    {"processes.smb_simple.array.1.2", NUMBER, FIELD(model.gradacc), NON_NEGATIVE,
     "accumulation gradient, m ice a^-1 m^-1"},
    {"processes.smb_simple.array.1.3", NUMBER, FIELD(model.ela), ANY,
     "equilibrium-line altitude (ELA), m"},
    {"processes.smb_simple.array.1.4", NUMBER, FIELD(model.accmax), NON_NEGATIVE,
     "maximum accumulation, m ice a^-1"},
    {"processes.eval_objective.target_volume", NUMBER, FIELD(target.volume), ANY,
     "target ice volume, km^3"},
    {"processes.eval_objective.target_max_speed", NUMBER, FIELD(target.max_speed), ANY,
     "target maximum surface speed, m a^-1"},
    {"processes.eval_objective.target_max_thk", NUMBER, FIELD(target.max_thk), ANY,
     "target maximum ice thickness, m"},
    {"time.start", NUMBER, FIELD(model.time_start), ANY, "start of the run, years"},
    {"time.end", NUMBER, FIELD(model.time_end), ANY, "end of the run, years"},
    {"hydra.run.dir", PATH, FIELD(run_dir), ANY, "directory to create and run in"},
};
enum { N_KEYS = sizeof KEYS / sizeof KEYS[0] };

void run_config_defaults(struct run_config *cfg)
{
    *cfg = (struct run_config){
        .model = {.slidingco = 0.1, .arrhenius = 78.0, .gradabl = 0.009, .gradacc = 0.005,
                  .ela = 2900.0, .accmax = 2.0, .time_start = 0.0, .time_end = 300.0},
        /* What the defaults above produce (README): all three costs ~0. */
        .target = {.volume = 18.0, .max_speed = 200.0, .max_thk = 287.98},
        .run_dir = NULL,
    };
}

static const struct key *key_find(const char *name, size_t len)
{
    for (size_t k = 0; k < N_KEYS; k++)
        if (strlen(KEYS[k].name) == len && strncmp(KEYS[k].name, name, len) == 0)
            return &KEYS[k];
    return NULL;
}

/* True if name[0..len) is a whole-component prefix of some key ("time",
 * "processes.iceflow"): a node of the config rather than a value. */
static int is_node(const char *name, size_t len)
{
    for (size_t k = 0; k < N_KEYS; k++)
        if (strncmp(KEYS[k].name, name, len) == 0 && KEYS[k].name[len] == '.')
            return 1;
    return 0;
}

/* Hydra names the first path component that does not exist. */
static void refuse_unknown(const char *arg, const char *name, size_t len)
{
    size_t known = 0; /* length of the longest existing node prefix */
    for (size_t i = 0; i < len; i++)
        if (name[i] == '.' && is_node(name, i))
            known = i + 1;
    size_t end = known;
    while (end < len && name[end] != '.')
        end++;
    fprintf(stderr,
            "Could not override '%.*s'.\n"
            "To append to your config use +%s\n"
            "Key '%.*s' is not in struct\n"
            "    full_key: %.*s\n"
            "    object_type=dict\n",
            (int)len, name, arg, (int)(end - known), name + known, (int)end, name);
}

static int refuse_value(const struct key *key, const char *raw, const char *why)
{
    fprintf(stderr, "Error merging override %s=%s\nValue '%s' %s\n    full_key: %s\n", key->name,
            raw, raw, why, key->name);
    return -1;
}

/* A number per Hydra's grammar as IGM's sweeper writes it (Python str() of
 * a float, e.g. 1e-05), optionally quoted with '...' or "...". */
static int parse_number(const struct key *key, const char *raw, double *out)
{
    const char *v = raw;
    size_t len = strlen(v);
    while (len > 0 && isspace((unsigned char)*v))
        v++, len--;
    while (len > 0 && isspace((unsigned char)v[len - 1]))
        len--;
    int quoted = len >= 2 && (v[0] == '\'' || v[0] == '"') && v[len - 1] == v[0];
    if (quoted)
        v++, len -= 2;
    if (!quoted && len == 4 && strncmp(v, "null", 4) == 0)
        return refuse_value(key, raw, "is not allowed: the key needs a number");
    if (len == 0 || isspace((unsigned char)*v))
        return refuse_value(key, raw, "could not be converted to a number");
    char *end;
    double d = strtod(v, &end);
    if (end != v + len)
        return refuse_value(key, raw, "could not be converted to a number");
    if (!isfinite(d))
        return refuse_value(key, raw, "is out of range: the key needs a finite number");
    if (key->bound == POSITIVE && !(d > 0))
        return refuse_value(key, raw, "is out of range: the key needs a number > 0");
    if (key->bound == NON_NEGATIVE && !(d >= 0))
        return refuse_value(key, raw, "is out of range: the key needs a number >= 0");
    *out = d;
    return 0;
}

/* argv strings are writable: a quoted path loses its quotes in place. */
static const char *parse_path(char *v)
{
    size_t len = strlen(v);
    if (len >= 2 && (v[0] == '\'' || v[0] == '"') && v[len - 1] == v[0]) {
        v[len - 1] = '\0';
        return v + 1;
    }
    return v;
}

/* One override: key=value, +key=value (append), ++key=value (force). */
static int apply(struct run_config *cfg, char *arg)
{
    if (arg[0] == '~') {
        fprintf(stderr, "Could not delete '%s': glacier_sim has no optional keys\n", arg + 1);
        return -1;
    }
    int plus = arg[0] != '+' ? 0 : arg[1] != '+' ? 1 : 2;
    char *name = arg + plus, *eq = strchr(name, '=');
    if (!eq || eq == name) {
        fprintf(stderr, "Error parsing override '%s'\nmissing EQUAL or key: expected key=value\n",
                arg);
        return -1;
    }
    size_t len = (size_t)(eq - name);
    int append = plus == 1;
    if (append && len == strlen("experiment") && strncmp(name, "experiment", len) == 0)
        return 0; /* IGM's experiment file: this stand-in has its settings built in */
    const struct key *key = key_find(name, len);
    if (append) {
        if (key)
            fprintf(stderr, "Could not append to config. An item is already at '%.*s'.\n",
                    (int)len, name);
        else
            fprintf(stderr, "Could not append '%.*s': glacier_sim only accepts +experiment=...\n",
                    (int)len, name);
        return -1;
    }
    if (!key) {
        if (is_node(name, len))
            fprintf(stderr, "Could not override '%.*s': it is a node of the config, not a value\n",
                    (int)len, name);
        else
            refuse_unknown(arg, name, len);
        return -1;
    }
    char *field = (char *)cfg + key->offset;
    if (key->kind == PATH) {
        const char *path = parse_path(eq + 1);
        if (*path == '\0') {
            fprintf(stderr, "Error merging override %s\n'%s' needs a directory\n", arg, key->name);
            return -1;
        }
        *(const char **)field = path;
        return 0;
    }
    return parse_number(key, eq + 1, (double *)field);
}

static void print_usage(const struct run_config *defaults)
{
    printf("usage: glacier_sim [+experiment=NAME] [key=value ...]\n"
           "A shallow-ice valley glacier run from zero ice; writes _igm_score.json.\nKeys:\n");
    for (size_t k = 0; k < N_KEYS; k++) {
        const char *field = (const char *)defaults + KEYS[k].offset;
        if (KEYS[k].kind == NUMBER)
            printf("  %-44s %s (default %g)\n", KEYS[k].name, KEYS[k].help,
                   *(const double *)field);
        else
            printf("  %-44s %s\n", KEYS[k].name, KEYS[k].help);
    }
}

int run_config_parse(struct run_config *cfg, int argc, char **argv)
{
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
            struct run_config defaults;
            run_config_defaults(&defaults);
            print_usage(&defaults);
            return 1;
        }
        if (argv[a][0] == '-') {
            fprintf(stderr, "glacier_sim: unknown option '%s' (try --help)\n", argv[a]);
            return -1;
        }
        if (apply(cfg, argv[a]) != 0)
            return -1;
    }
    double years = cfg->model.time_end - cfg->model.time_start;
    if (!(years > 0 && years <= MAX_YEARS)) {
        fprintf(stderr, "glacier_sim: time.end (%g) must be after time.start (%g), by at most "
                        "%g years\n", cfg->model.time_end, cfg->model.time_start, MAX_YEARS);
        return -1;
    }
    return 0;
}
