/* Runner overhead per trial: igmopt-run's loop (ask, suggest, trial
 * directory, fork+exec, reap, score file, tell) around a no-op trial,
 * against spawning the same program directly with the same parallelism.
 *
 *   runner_overhead [--trials N] [--child PATH] [--dir DIR]
 *
 * Prints one line per storage and n_jobs, in ms per trial: the runner's
 * wall time, the direct spawn's, their difference (the overhead), and the
 * CPU time the runner process itself used (its loop, SQLite, fork). */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <igmopt/igmopt.h>

extern char **environ;

typedef struct bench {
    long trials;
    const char *child;
    char dir[4096];
} bench;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds this process used (the children are not counted). */
static double own_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

static int write_config(const bench *b, const char *path, const char *storage, long jobs,
                        const char *study)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "objectives:\n  - name: cost\n    direction: minimize\n"
               "n_trials: %ld\nn_jobs: %ld\n%s%s%s"
               "study_name: %s\nsampler:\n  method: RandomSampler\n  seed: 1\n"
               "command: [\"%s\"]\nsweep_dir: %s/multirun-%s\n"
               "parameters:\n  - name: x\n    type: float\n    low: 0.0\n    high: 1.0\n",
            b->trials, jobs, storage ? "storage: " : "", storage ? storage : "",
            storage ? "\n" : "", study, b->child, b->dir, study);
    return fclose(f);
}

/* Seconds for the runner to run b->trials no-op trials; *cpu: the CPU
 * seconds the runner itself spent. */
static double time_runner(const bench *b, const char *storage, long jobs, const char *study,
                          double *cpu)
{
    char path[4200];
    igmopt_config *cfg = NULL;
    igmopt_runner *r = NULL;
    double t0, t1 = -1;
    snprintf(path, sizeof path, "%s/%s.yaml", b->dir, study);
    if (write_config(b, path, storage, jobs, study) != 0 || igmopt_config_load(&cfg, path) ||
        igmopt_runner_new(&r, cfg)) {
        fprintf(stderr, "runner_overhead: %s\n", igmopt_errmsg());
        exit(1);
    }
    *cpu = own_cpu();
    t0 = now();
    if (igmopt_runner_run(r) == IGMOPT_OK)
        t1 = now();
    else
        fprintf(stderr, "runner_overhead: %s\n", igmopt_errmsg());
    *cpu = own_cpu() - *cpu;
    igmopt_runner_free(r);
    igmopt_config_free(cfg);
    return t1 < 0 ? -1 : t1 - t0;
}

/* Seconds to spawn the child b->trials times directly, `jobs` at a time. */
static double time_direct(const bench *b, long jobs)
{
    char *argv[] = {(char *)b->child, NULL};
    long started = 0, running = 0;
    double t0 = now();
    pid_t pid;
    int status;
    if (chdir(b->dir) != 0)
        return -1;
    while (started < b->trials || running > 0) {
        if (started < b->trials && running < jobs) {
            if (posix_spawn(&pid, b->child, NULL, NULL, argv, environ) != 0)
                return -1;
            started++;
            running++;
            continue;
        }
        if (wait(&status) > 0)
            running--;
    }
    return now() - t0;
}

static void measure(const bench *b, const char *label, const char *storage, long jobs)
{
    char study[64];
    double runner, direct, cpu, per_trial_ms = 1e3 / (double)b->trials;
    snprintf(study, sizeof study, "%s-%ld", label, jobs);
    runner = time_runner(b, storage, jobs, study, &cpu);
    direct = time_direct(b, jobs);
    if (runner < 0 || direct < 0) {
        fprintf(stderr, "runner_overhead: the %s run failed\n", study);
        exit(1);
    }
    printf("%-7s n_jobs %ld %5ld trials  runner %6.3f  direct %6.3f  overhead %6.3f  "
           "runner CPU %6.3f ms/trial\n", label, jobs, b->trials, runner * per_trial_ms,
           direct * per_trial_ms, (runner - direct) * per_trial_ms, cpu * per_trial_ms);
    fflush(stdout);
}

static void usage(void)
{
    puts("usage: runner_overhead [--trials N] [--child PATH] [--dir DIR]\n"
         "  --trials N   trials per configuration (default 500)\n"
         "  --child P    the no-op trial program (default: noop_trial beside this one)\n"
         "  --dir D      where the study files and trial directories go (default: a new\n"
         "               directory in $TMPDIR or /tmp, removed afterwards unless given)");
}

static int parse(int argc, char **argv, bench *b, const char **dir)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--trials") == 0 && i + 1 < argc)
            b->trials = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--child") == 0 && i + 1 < argc)
            b->child = argv[++i];
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            *dir = argv[++i];
        else
            return -1;
    }
    return b->trials > 0 ? 0 : -1;
}

static char *default_child(const char *self)
{
    char *path = realpath(self, NULL), *slash;
    char *child = NULL;
    if (path && (slash = strrchr(path, '/'))) {
        *slash = '\0';
        if (asprintf(&child, "%s/noop_trial", path) < 0)
            child = NULL;
    }
    free(path);
    return child;
}

int main(int argc, char **argv)
{
    bench b = {500, NULL, ""};
    const char *dir = NULL;
    char *child = NULL, storage[4300], cleanup[4200];
    if (parse(argc, argv, &b, &dir) != 0) {
        usage();
        return argc > 1 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
    }
    if (!b.child)
        b.child = child = default_child(argv[0]);
    if (dir) {
        snprintf(b.dir, sizeof b.dir, "%s", dir);
    } else {
        snprintf(b.dir, sizeof b.dir, "%s/igmopt-bench-XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(b.dir)) {
            perror("runner_overhead: mkdtemp");
            return 1;
        }
    }
    snprintf(storage, sizeof storage, "sqlite:///%s/bench.db", b.dir);
    for (long jobs = 1; jobs <= 2; jobs++) {
        measure(&b, "memory", NULL, jobs);
        measure(&b, "sqlite", storage, jobs);
    }
    if (!dir) {
        snprintf(cleanup, sizeof cleanup, "rm -rf '%s'", b.dir);
        if (system(cleanup) != 0)
            fprintf(stderr, "runner_overhead: could not remove %s\n", b.dir);
    }
    free(child);
    return 0;
}
