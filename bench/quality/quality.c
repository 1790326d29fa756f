/* Sampler quality benchmark: runs independent seeded studies of one
 * benchmark function and prints one JSON line per seed with the best value
 * (one objective) or the hypervolume of the final Pareto front (several),
 * and the time per trial.  Public API only; bench/quality/run_quality.py
 * runs it beside Optuna.  Not a test: it prints numbers, it does not judge. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkdtemp */
#endif
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "functions.h"
#include "hypervolume.h"
#include "../bench_util.h"
#include "igmopt/igmopt.h"

#define EXIT_UNAVAILABLE 3

typedef struct quality_options {
    const quality_function *function;
    const char *sampler;
    const char *options;  /* sampler kwargs without the seed, JSON object */
    long trials, seeds, first_seed;
    const char *storage;  /* "memory" or "sqlite" */
    const char *dir;      /* where SQLite files go */
    int front;            /* print the Pareto front too */
} quality_options;

typedef struct seed_result {
    double best;        /* one objective */
    double hypervolume; /* several */
    size_t front_size;
    double *front;      /* front_size rows, owned */
    double seconds;     /* the whole loop: ask, suggests, objective, tell */
    double cpu_seconds; /* the same, CPU time of this thread (steadier when busy; the
                           process would also count OpenBLAS's idle spin at start) */
} seed_result;

static double clock_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "quality: %s failed (%d): %s\n", what, rc, igmopt_errmsg());
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: quality --function NAME --sampler METHOD [--options JSON] --trials B\n"
            "               --seeds N [--first-seed S] [--storage memory|sqlite] [--dir D]\n"
            "               [--front]\n"
            "       quality --list\n"
            "Runs N studies (sampler seeds S .. S+N-1, merged into --options) of B trials\n"
            "each and prints one JSON line per seed: the best value (one objective) or the\n"
            "hypervolume of the final Pareto front (several), and ms per trial.\n"
            "Exit 3 when the sampler is not available in this build.\n");
}

static void list_functions(void)
{
    for (size_t i = 0; i < quality_n_functions; i++) {
        const quality_function *f = &quality_functions[i];
        printf("%-13s %zu objective%s  %s\n", f->name, f->n_objectives,
               f->n_objectives > 1 ? "s" : " ", f->summary);
    }
}

static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    *out = strtol(s, &end, 10);
    return errno == 0 && end != s && *end == '\0';
}

/* 0: run; 1: exit 0 (help, list); -1: usage error. */
static int parse_args(int argc, char **argv, quality_options *o)
{
    *o = (quality_options){NULL, NULL, "{}", 0, 0, 0, "memory", NULL, 0};
    o->dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 1;
        } else if (!strcmp(a, "--list")) {
            list_functions();
            return 1;
        } else if (!strcmp(a, "--front")) {
            o->front = 1;
            continue;
        }
        if (!v) {
            fprintf(stderr, "quality: %s needs a value\n", a);
            return -1;
        }
        i++;
        if (!strcmp(a, "--function")) {
            if (!(o->function = quality_function_find(v))) {
                fprintf(stderr, "quality: unknown function '%s' (--list names them)\n", v);
                return -1;
            }
        } else if (!strcmp(a, "--sampler")) {
            o->sampler = v;
        } else if (!strcmp(a, "--options")) {
            o->options = v;
        } else if (!strcmp(a, "--storage")) {
            o->storage = v;
        } else if (!strcmp(a, "--dir")) {
            o->dir = v;
        } else if (!strcmp(a, "--trials") || !strcmp(a, "--seeds") ||
                   !strcmp(a, "--first-seed")) {
            long *dst = a[2] == 't' ? &o->trials : a[2] == 's' ? &o->seeds : &o->first_seed;
            if (!parse_long(v, dst) || *dst < 0) {
                fprintf(stderr, "quality: %s wants a non-negative integer, not '%s'\n", a, v);
                return -1;
            }
        } else {
            fprintf(stderr, "quality: unknown option %s\n", a);
            return -1;
        }
    }
    if (!o->function || !o->sampler || o->trials < 1 || o->seeds < 1) {
        fprintf(stderr, "quality: --function, --sampler, --trials >= 1 and --seeds >= 1 "
                        "are required\n");
        return -1;
    }
    if (strcmp(o->storage, "memory") && strcmp(o->storage, "sqlite")) {
        fprintf(stderr, "quality: --storage is memory or sqlite, not '%s'\n", o->storage);
        return -1;
    }
    return 0;
}

/* The sampler kwargs with "seed" set (replacing any given). */
static char *options_with_seed(const char *options, long seed)
{
    json_error_t err;
    json_t *obj = json_loads(options, 0, &err);
    char *text = NULL;
    if (!json_is_object(obj)) {
        fprintf(stderr, "quality: --options is not a JSON object: %s\n", options);
    } else if (json_object_set_new(obj, "seed", json_integer(seed)) == 0) {
        text = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    }
    json_decref(obj);
    return text;
}

static int run_trials(igmopt_study *study, const quality_options *o, seed_result *r)
{
    const quality_function *f = o->function;
    size_t m = f->n_objectives, done = 0;
    double *values = malloc((size_t)o->trials * m * sizeof *values), start, cpu_start;
    int rc = IGMOPT_OK;
    if (!values)
        return fail("malloc", IGMOPT_ENOMEM);
    r->best = INFINITY;
    start = clock_s(CLOCK_MONOTONIC);
    cpu_start = clock_s(CLOCK_THREAD_CPUTIME_ID);
    for (long i = 0; i < o->trials && rc == IGMOPT_OK; i++) {
        igmopt_trial *t;
        double *v = values + done * m;
        if ((rc = igmopt_study_ask(study, &t))) {
            fail("ask", rc);
            break;
        }
        if ((rc = f->evaluate(t, v))) {
            fail("suggest", rc);
        } else if ((rc = igmopt_study_tell(study, t, IGMOPT_COMPLETE, v, m))) {
            fail("tell", rc);
        } else {
            done++;
            if (m == 1 && v[0] < r->best)
                r->best = v[0];
        }
        igmopt_trial_free(t);
    }
    r->seconds = clock_s(CLOCK_MONOTONIC) - start;
    r->cpu_seconds = clock_s(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
    if (rc == IGMOPT_OK && m > 1) {
        r->front_size = quality_pareto_front(values, done, m);
        r->front = values;
        /* the hypervolume routine reorders and filters: give it a copy */
        double *copy = malloc((r->front_size ? r->front_size : 1) * m * sizeof *copy);
        if (!copy)
            return fail("malloc", IGMOPT_ENOMEM);
        memcpy(copy, values, r->front_size * m * sizeof *copy);
        r->hypervolume = quality_hypervolume(copy, r->front_size, m, f->reference);
        free(copy);
        return IGMOPT_OK;
    }
    free(values);
    return rc;
}

/* One study of o->trials trials with this sampler; rc as the library's. */
static int run_seed(const quality_options *o, igmopt_sampler *sampler, seed_result *r)
{
    igmopt_direction dirs[QUALITY_MAX_OBJECTIVES];
    char dir[4096] = "", db[4200] = "", url[4300] = ":memory:";
    igmopt_storage *st = NULL;
    igmopt_study *study = NULL;
    int rc;
    for (size_t k = 0; k < QUALITY_MAX_OBJECTIVES; k++)
        dirs[k] = IGMOPT_MINIMIZE;
    if (!strcmp(o->storage, "sqlite")) {
        snprintf(dir, sizeof dir, "%s/igmopt-quality-XXXXXX", o->dir);
        if (!mkdtemp(dir)) {
            fprintf(stderr, "quality: mkdtemp(%s): %s\n", dir, strerror(errno));
            return IGMOPT_ESTORAGE;
        }
        snprintf(db, sizeof db, "%s/quality.db", dir);
        snprintf(url, sizeof url, "sqlite:///%s", db);
    }
    if ((rc = igmopt_storage_open(&st, url))) {
        fail("storage_open", rc);
    } else if ((rc = igmopt_study_create(&study, st, "quality", dirs,
                                         o->function->n_objectives, sampler, NULL, 0))) {
        fail("study_create", rc);
    } else {
        rc = run_trials(study, o, r);
    }
    igmopt_study_close(study);
    igmopt_storage_close(st);
    if (*db)
        bench_remove_db(dir, db);
    return rc;
}

static void print_number(double v)
{
    if (isfinite(v))
        printf("%.17g", v);
    else
        printf("null");
}

static void print_head(const quality_options *o, long seed, const char *seeded)
{
    printf("{\"function\": \"%s\", \"sampler\": \"%s\", \"options\": %s, \"seed\": %ld, "
           "\"storage\": \"%s\", \"trials\": %ld, ",
           o->function->name, o->sampler, seeded, seed, o->storage, o->trials);
}

static void print_result(const quality_options *o, long seed, const char *seeded,
                         const seed_result *r)
{
    const quality_function *f = o->function;
    size_t m = f->n_objectives;
    print_head(o, seed, seeded);
    if (m == 1) {
        printf("\"status\": \"ok\", \"score\": \"best\", \"direction\": \"lower is better\", "
               "\"best\": ");
        print_number(r->best);
        printf(", \"optimum\": %.17g, \"regret\": ", f->optimum);
        print_number(r->best - f->optimum);
    } else {
        printf("\"status\": \"ok\", \"score\": \"hypervolume\", "
               "\"direction\": \"higher is better\", \"hypervolume\": ");
        print_number(r->hypervolume);
        printf(", \"reference\": [");
        for (size_t k = 0; k < m; k++)
            printf("%s%.17g", k ? ", " : "", f->reference[k]);
        printf("], \"hv_max\": %.17g, \"front_size\": %zu", f->hv_max, r->front_size);
        if (o->front) {
            printf(", \"front\": [");
            for (size_t i = 0; i < r->front_size; i++) {
                printf("%s[", i ? ", " : "");
                for (size_t k = 0; k < m; k++)
                    printf("%s%.17g", k ? ", " : "", r->front[i * m + k]);
                printf("]");
            }
            printf("]");
        }
    }
    printf(", \"ms_per_trial\": %.6f, \"cpu_ms_per_trial\": %.6f}\n",
           r->seconds * 1e3 / (double)o->trials, r->cpu_seconds * 1e3 / (double)o->trials);
    fflush(stdout);
}

static void print_unavailable(const quality_options *o, long seed, const char *seeded)
{
    json_t *msg = json_string(igmopt_errmsg());
    char *text = json_dumps(msg, JSON_ENCODE_ANY);
    print_head(o, seed, seeded);
    printf("\"status\": \"unavailable\", \"message\": %s}\n", text ? text : "\"\"");
    fflush(stdout);
    free(text);
    json_decref(msg);
}

int main(int argc, char **argv)
{
    quality_options o;
    int parsed = parse_args(argc, argv, &o), status = 0;
    if (parsed)
        return parsed > 0 ? 0 : (usage(stderr), 2);
    for (long seed = o.first_seed; seed < o.first_seed + o.seeds; seed++) {
        char *seeded = options_with_seed(o.options, seed);
        igmopt_sampler *sampler = NULL;
        seed_result r = {0};
        int rc;
        if (!seeded)
            return 2;
        rc = igmopt_sampler_new(&sampler, o.sampler, seeded);
        if (rc == IGMOPT_EUNAVAILABLE) {
            print_unavailable(&o, seed, seeded);
            status = EXIT_UNAVAILABLE;
        } else if (rc) {
            fail("sampler_new", rc);
            status = 1;
        } else if ((rc = run_seed(&o, sampler, &r)) == IGMOPT_EUNAVAILABLE) {
            print_unavailable(&o, seed, seeded); /* a sampler that refuses at its first ask */
            status = EXIT_UNAVAILABLE;
        } else if (rc) {
            status = 1;
        } else {
            print_result(&o, seed, seeded, &r);
        }
        free(r.front);
        igmopt_sampler_free(sampler);
        free(seeded);
        if (status == 1)
            break;
    }
    return status;
}
