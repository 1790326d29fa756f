/* TPE speed benchmark: the per-trial cost of ask, three suggests (float,
 * log float, int) and tell once a study holds 1 000 or 10 000 finished
 * trials, in memory and on SQLite, through the public API only.  The
 * history is filled with RandomSampler (cheap, and the same on Optuna's
 * side), then the study is loaded with the sampler under test.  Run by
 * bench/tpe_speed_vs_optuna.py beside Optuna; prints one "key=value" line
 * per measurement. */
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

#include "bench_util.h"
#include "igmopt/igmopt.h"

#define MAX_POINTS 16
#define EXIT_UNAVAILABLE 3

typedef struct speed_options {
    const char *sampler, *options; /* the sampler under test and its kwargs */
    long at[MAX_POINTS];           /* finished trials before each window */
    size_t n_at;
    long trials, warmup;           /* timed and untimed trials per window */
    long long seed;
    const char *only;              /* "memory", "sqlite" or NULL for both */
    const char *dir;
} speed_options;

static double clock_us(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static double now_us(void)
{
    return clock_us(CLOCK_MONOTONIC);
}

static int fail(const char *what, int rc)
{
    if (rc != IGMOPT_EUNAVAILABLE)
        fprintf(stderr, "tpe_speed: %s failed (%d): %s\n", what, rc, igmopt_errmsg());
    return rc;
}

/* The trial of bench_util.c: what a user writes. */
static int one_trial(igmopt_study *study)
{
    const char *call = NULL;
    int rc = bench_user_trial(study, &call);
    return rc ? fail(call, rc) : IGMOPT_OK;
}

/* The sampler kwargs with "seed" set (replacing any given); NULL if options
 * is not a JSON object. */
static char *options_with_seed(const char *options, long long seed)
{
    json_error_t err;
    json_t *obj = json_loads(options, 0, &err);
    char *text = NULL;
    if (!json_is_object(obj))
        fprintf(stderr, "tpe_speed: --options is not a JSON object: %s\n", options);
    else if (json_object_set_new(obj, "seed", json_integer(seed)) == 0)
        text = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(obj);
    return text;
}

/* The study "speed" reopened with a new sampler (method, kwargs + seed). */
static int reopen(igmopt_storage *st, igmopt_study **study, const char *method,
                  const char *options, long long seed, int create)
{
    const igmopt_direction dir = IGMOPT_MINIMIZE;
    igmopt_sampler *sampler;
    char *kwargs = options_with_seed(options, seed);
    int rc;
    if (!kwargs)
        return IGMOPT_EINVAL;
    igmopt_study_close(*study);
    *study = NULL;
    rc = igmopt_sampler_new(&sampler, method, kwargs);
    free(kwargs);
    if (rc)
        return fail("sampler_new", rc);
    rc = create ? igmopt_study_create(study, st, "speed", &dir, 1, sampler, NULL, 0)
                : igmopt_study_load(study, st, "speed", sampler, NULL);
    igmopt_sampler_free(sampler);
    return rc ? fail(create ? "study_create" : "study_load", rc) : IGMOPT_OK;
}

/* Times o->trials trials after o->warmup untimed ones; prints the line.
 * CPU is the calling thread's, where the library does all its work: the
 * process clock would also count OpenBLAS's worker thread, which spins for
 * about 0.1 s after the process starts, then sleeps (linked, not used here). */
static int window(igmopt_study *study, const speed_options *o, const char *storage, long at,
                  double fill_s)
{
    double *each = calloc((size_t)o->trials, sizeof *each), start, cpu_start;
    int rc = each ? IGMOPT_OK : IGMOPT_ENOMEM;
    for (long i = 0; rc == IGMOPT_OK && i < o->warmup; i++)
        rc = one_trial(study);
    start = now_us();
    cpu_start = clock_us(CLOCK_THREAD_CPUTIME_ID);
    for (long i = 0; rc == IGMOPT_OK && i < o->trials; i++) {
        double t0 = now_us();
        rc = one_trial(study);
        each[i] = now_us() - t0;
    }
    if (rc == IGMOPT_OK) {
        double total = now_us() - start;
        double cpu = clock_us(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
        qsort(each, (size_t)o->trials, sizeof *each, bench_cmp_double);
        printf("storage=%s sampler=%s at=%ld trials=%ld ms_per_trial=%.4f cpu_ms_per_trial=%.4f "
               "p50_ms=%.4f p99_ms=%.4f fill_s=%.2f\n", storage, o->sampler, at, o->trials,
               total / 1e3 / (double)o->trials, cpu / 1e3 / (double)o->trials,
               each[o->trials / 2] / 1e3,
               each[(size_t)((double)(o->trials - 1) * 0.99)] / 1e3, fill_s);
        fflush(stdout);
    }
    free(each);
    return rc;
}

/* For each point: random trials up to `at` finished, then the window. */
static int bench_storage(const speed_options *o, const char *storage, const char *url)
{
    igmopt_storage *st = NULL;
    igmopt_study *study = NULL;
    long done = 0;
    int rc = igmopt_storage_open(&st, url);
    if (rc)
        return fail("storage_open", rc);
    rc = reopen(st, &study, "RandomSampler", "{}", o->seed, 1);
    for (size_t k = 0; rc == IGMOPT_OK && k < o->n_at; k++) {
        double t0 = now_us();
        if (k > 0)
            rc = reopen(st, &study, "RandomSampler", "{}", o->seed + (long long)k, 0);
        for (; rc == IGMOPT_OK && done < o->at[k]; done++)
            rc = one_trial(study);
        if (rc || (rc = reopen(st, &study, o->sampler, o->options, o->seed, 0)))
            break;
        rc = window(study, o, storage, done, (now_us() - t0) / 1e6);
        done += o->warmup + o->trials;
    }
    if (rc == IGMOPT_EUNAVAILABLE) {
        printf("storage=%s sampler=%s status=unavailable message=\"%s\"\n", storage,
               o->sampler, igmopt_errmsg());
        fflush(stdout);
    }
    igmopt_study_close(study);
    igmopt_storage_close(st);
    return rc;
}

static int bench_sqlite(const speed_options *o)
{
    static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
    char dir[4096], db[4200], url[4300], path[4400];
    int rc;
    snprintf(dir, sizeof dir, "%s/igmopt-tpe-speed-XXXXXX", o->dir);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "tpe_speed: mkdtemp(%s): %s\n", dir, strerror(errno));
        return IGMOPT_ESTORAGE;
    }
    snprintf(db, sizeof db, "%s/speed.db", dir);
    snprintf(url, sizeof url, "sqlite:///%s", db);
    rc = bench_storage(o, "sqlite", url);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
        unlink(path);
    }
    rmdir(dir);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: tpe_speed [--sampler TPESampler] [--options JSON] [--at 1000,10000]\n"
               "                 [--trials 100] [--warmup 5] [--only memory|sqlite]\n"
               "                 [--seed 42] [--dir DIR]\n"
               "Fills a study with RandomSampler trials up to each --at count, loads it with\n"
               "--sampler and times --trials trials of ask + 3 suggests + tell.\n"
               "Exit 3 when the sampler is not available in this build.\n");
}

static int parse_at(const char *s, speed_options *o)
{
    char *end;
    o->n_at = 0;
    while (*s && o->n_at < MAX_POINTS) {
        long v = strtol(s, &end, 10);
        if (end == s || v < 0 || (o->n_at && v < o->at[o->n_at - 1]))
            return 0;
        o->at[o->n_at++] = v;
        s = *end == ',' ? end + 1 : end;
        if (*end && *end != ',')
            return 0;
    }
    return o->n_at > 0;
}

static int parse_args(int argc, char **argv, speed_options *o)
{
    *o = (speed_options){"TPESampler", "{}", {1000, 10000}, 2, 100, 5, 42, NULL, NULL};
    o->dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 1;
        }
        if (!v) {
            fprintf(stderr, "tpe_speed: %s needs a value\n", a);
            return -1;
        }
        i++;
        if (!strcmp(a, "--sampler"))
            o->sampler = v;
        else if (!strcmp(a, "--options"))
            o->options = v;
        else if (!strcmp(a, "--only"))
            o->only = v;
        else if (!strcmp(a, "--dir"))
            o->dir = v;
        else if (!strcmp(a, "--at")) {
            if (!parse_at(v, o)) {
                fprintf(stderr, "tpe_speed: --at wants ascending counts, e.g. 1000,10000\n");
                return -1;
            }
        } else if (!strcmp(a, "--trials"))
            o->trials = atol(v);
        else if (!strcmp(a, "--warmup"))
            o->warmup = atol(v);
        else if (!strcmp(a, "--seed"))
            o->seed = atoll(v);
        else {
            fprintf(stderr, "tpe_speed: unknown option %s\n", a);
            return -1;
        }
    }
    if (o->trials < 1 || o->warmup < 0 ||
        (o->only && strcmp(o->only, "memory") && strcmp(o->only, "sqlite"))) {
        fprintf(stderr, "tpe_speed: --trials >= 1, --warmup >= 0, --only memory|sqlite\n");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    speed_options o;
    int parsed = parse_args(argc, argv, &o), rc = IGMOPT_OK;
    if (parsed)
        return parsed > 0 ? 0 : (usage(stderr), 2);
    printf("libigmopt=%s\n", igmopt_version());
    if (!o.only || !strcmp(o.only, "memory"))
        rc = bench_storage(&o, "memory", ":memory:");
    if ((rc == IGMOPT_OK || rc == IGMOPT_EUNAVAILABLE) && (!o.only || !strcmp(o.only, "sqlite")))
        rc = bench_sqlite(&o);
    return rc == IGMOPT_OK ? 0 : rc == IGMOPT_EUNAVAILABLE ? EXIT_UNAVAILABLE : 1;
}
