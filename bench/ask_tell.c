/* Ask+tell benchmark: the per-trial cost of ask, three suggests and tell on
 * the in-memory and the SQLite storage, through the public API only.  Run
 * by bench/ask_tell_vs_optuna.py beside the same loop in Optuna; prints one
 * "key=value" line per measurement. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkdtemp */
#endif
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "igmopt/igmopt.h"

typedef struct bench_options {
    long memory_trials;  /* timed trials on the in-memory storage */
    long sqlite_trials;  /* timed trials on a fresh SQLite study */
    long sqlite_at;      /* trials existing before the second SQLite window */
    long warmup;         /* untimed trials before each window starts */
    long long seed;
    const char *dir;     /* where the SQLite file goes (a fresh temp dir in it) */
    const char *only;    /* "memory", "sqlite" or NULL for both */
    const char *query;   /* URL query options for SQLite, "" for the defaults */
    int keep;            /* keep the SQLite file */
} bench_options;

typedef struct window {
    double total_us, p50_us, p99_us, max_us;
    double slow_us; /* time in trials over 1 ms (SQLite: checkpoint stalls) */
    long n, n_slow;
} window;

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "ask_tell: %s failed (%d): %s\n", what, rc, igmopt_errmsg());
    return rc;
}

/* The trial of bench_util.c: what a user writes. */
static int one_trial(igmopt_study *study)
{
    const char *call = NULL;
    int rc = bench_user_trial(study, &call);
    return rc ? fail(call, rc) : IGMOPT_OK;
}

/* Runs n trials timing each; the mean is total/n, as the driver reports. */
static int timed_trials(igmopt_study *study, long n, window *w)
{
    double *each = malloc((size_t)(n > 0 ? n : 1) * sizeof *each);
    double start, t0;
    int rc = each ? IGMOPT_OK : IGMOPT_ENOMEM;
    if (each) /* touch the pages now, not inside the timed trials */
        memset(each, 0, (size_t)(n > 0 ? n : 1) * sizeof *each);
    start = now_us();
    for (long i = 0; rc == IGMOPT_OK && i < n; i++) {
        t0 = now_us();
        rc = one_trial(study);
        each[i] = now_us() - t0;
    }
    if (rc == IGMOPT_OK) {
        w->n = n;
        w->total_us = now_us() - start;
        qsort(each, (size_t)n, sizeof *each, bench_cmp_double);
        w->p50_us = each[n / 2];
        w->p99_us = each[(size_t)((double)(n - 1) * 0.99)];
        w->max_us = each[n - 1];
        w->slow_us = 0;
        w->n_slow = 0;
        for (long i = 0; i < n; i++)
            if (each[i] > 1000.0) {
                w->slow_us += each[i];
                w->n_slow++;
            }
    }
    free(each);
    return rc;
}

static int untimed_trials(igmopt_study *study, long n)
{
    int rc = IGMOPT_OK;
    for (long i = 0; rc == IGMOPT_OK && i < n; i++)
        rc = one_trial(study);
    return rc;
}

static void print_window(const char *storage, long existing, const window *w)
{
    printf("storage=%s existing=%ld trials=%ld us_per_trial=%.3f p50_us=%.3f p99_us=%.3f "
           "max_us=%.3f over_1ms=%ld over_1ms_us=%.0f\n", storage, existing, w->n,
           w->total_us / (double)w->n, w->p50_us, w->p99_us, w->max_us, w->n_slow, w->slow_us);
    fflush(stdout);
}

static int open_study(igmopt_storage *st, long long seed, igmopt_study **study)
{
    const igmopt_direction dir = IGMOPT_MINIMIZE;
    igmopt_sampler *sampler;
    char options[64];
    int rc;
    snprintf(options, sizeof options, "{\"seed\": %lld}", seed);
    if ((rc = igmopt_sampler_new(&sampler, "RandomSampler", options)))
        return fail("sampler_new", rc);
    rc = igmopt_study_create(study, st, "bench", &dir, 1, sampler, NULL, 0);
    igmopt_sampler_free(sampler);
    return rc ? fail("study_create", rc) : IGMOPT_OK;
}

static int bench_memory(const bench_options *o)
{
    igmopt_storage *st = NULL;
    igmopt_study *study = NULL;
    window w;
    int rc = igmopt_storage_open(&st, ":memory:");
    if (rc)
        return fail("storage_open(:memory:)", rc);
    if ((rc = open_study(st, o->seed, &study)) == IGMOPT_OK &&
        (rc = untimed_trials(study, o->warmup)) == IGMOPT_OK &&
        (rc = timed_trials(study, o->memory_trials, &w)) == IGMOPT_OK)
        print_window("memory", o->warmup, &w);
    igmopt_study_close(study);
    igmopt_storage_close(st);
    return rc;
}

/* A fresh study: window 1 right after the warm-up, then trials up to
 * sqlite_at existing, then window 2 (does a grown study cost more?). */
static int bench_sqlite(const bench_options *o)
{
    char dir[4096], db[4200], url[4800];
    igmopt_storage *st = NULL;
    igmopt_study *study = NULL;
    window w;
    long done;
    int rc;
    snprintf(dir, sizeof dir, "%s/igmopt-bench-XXXXXX", o->dir);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "ask_tell: mkdtemp(%s): %s\n", dir, strerror(errno));
        return -1;
    }
    snprintf(db, sizeof db, "%s/bench.db", dir);
    /* An absolute db gives four slashes; the query is for experiments only. */
    snprintf(url, sizeof url, "sqlite:///%s%s%s", db, *o->query ? "?" : "", o->query);
    rc = igmopt_storage_open(&st, url);
    if (rc) {
        fail("storage_open(sqlite)", rc);
        goto cleanup;
    }
    if ((rc = open_study(st, o->seed, &study)) || (rc = untimed_trials(study, o->warmup)) ||
        (rc = timed_trials(study, o->sqlite_trials, &w)))
        goto cleanup;
    print_window("sqlite", o->warmup, &w);
    done = o->warmup + o->sqlite_trials;
    if (o->sqlite_at > 0) {
        if (o->sqlite_at > done && (rc = untimed_trials(study, o->sqlite_at - done)))
            goto cleanup;
        done = o->sqlite_at > done ? o->sqlite_at : done;
        if ((rc = timed_trials(study, o->sqlite_trials, &w)))
            goto cleanup;
        print_window("sqlite", done, &w);
    }
cleanup:
    igmopt_study_close(study);
    igmopt_storage_close(st);
    if (o->keep)
        fprintf(stderr, "ask_tell: kept %s\n", db);
    else
        bench_remove_db(dir, db);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: ask_tell [--memory-trials N] [--sqlite-trials N] [--sqlite-at N]\n"
               "                [--warmup N] [--seed S] [--dir DIR] [--only memory|sqlite]\n"
               "                [--sqlite-query OPTIONS] [--keep]\n"
               "Per-trial time of ask + 3 suggests + tell (RandomSampler, seeded).\n"
               "Defaults: 100000 memory trials, 2000 SQLite trials measured on a fresh\n"
               "study and again at 10000 existing trials, warm-up 10, seed 42,\n"
               "DIR $TMPDIR or /tmp, the SQLite URL without query options (the\n"
               "defaults; --sqlite-query 'synchronous=off' e.g. for experiments).\n");
}

static int parse_args(int argc, char **argv, bench_options *o)
{
    const char *tmp = getenv("TMPDIR");
    *o = (bench_options){100000, 2000, 10000, 10, 42, tmp && *tmp ? tmp : "/tmp", NULL, "", 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--keep") == 0) {
            o->keep = 1;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        }
        if (!v) {
            usage(stderr);
            return -1;
        }
        i++;
        if (strcmp(a, "--memory-trials") == 0)
            o->memory_trials = atol(v);
        else if (strcmp(a, "--sqlite-trials") == 0)
            o->sqlite_trials = atol(v);
        else if (strcmp(a, "--sqlite-at") == 0)
            o->sqlite_at = atol(v);
        else if (strcmp(a, "--warmup") == 0)
            o->warmup = atol(v);
        else if (strcmp(a, "--seed") == 0)
            o->seed = atoll(v);
        else if (strcmp(a, "--dir") == 0)
            o->dir = v;
        else if (strcmp(a, "--only") == 0)
            o->only = v;
        else if (strcmp(a, "--sqlite-query") == 0)
            o->query = v;
        else {
            usage(stderr);
            return -1;
        }
    }
    if (o->memory_trials < 1 || o->sqlite_trials < 1 || o->warmup < 0 || o->sqlite_at < 0) {
        fprintf(stderr, "ask_tell: trial counts must be >= 1 (warm-up, --sqlite-at >= 0)\n");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    bench_options o;
    int rc = 0;
    if (parse_args(argc, argv, &o))
        return 2;
    printf("libigmopt=%s\n", igmopt_version());
    if (!o.only || strcmp(o.only, "memory") == 0)
        rc = bench_memory(&o);
    if (rc == 0 && (!o.only || strcmp(o.only, "sqlite") == 0))
        rc = bench_sqlite(&o);
    return rc ? 1 : 0;
}
