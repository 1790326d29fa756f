/* igmopt-run: runs the sweep an IGM optuna_params.yaml describes, one
 * process per trial, then writes optimization_results.csv and prints the
 * summary.  A thin shell over igmopt_config_* and igmopt_runner_*. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "igmopt/igmopt.h"

#define EXIT_CONFIG 2
#define EXIT_RUNTIME 1
#define EXIT_INTERRUPTED 130
#define DEFAULT_CONFIG "optuna_params.yaml"
#define RESULTS_CSV "optimization_results.csv"

typedef struct options {
    const char *config_path;
    int config_given;
    int check;
    const char **sets; /* key=value, in order */
    size_t n_sets;
    const char *const *command; /* after "--" */
    size_t n_command;
} options;

typedef struct terminal_log {
    int tty;        /* stderr is a terminal: progress rewrites one line */
    int live;       /* a progress line is on screen */
    char *progress; /* the last progress line, redrawn after other lines */
} terminal_log;

/* The signal handlers reach the runner through this (nothing else does);
 * a stop that comes before there is a runner is counted in early_stops
 * and handed over once it exists. */
static igmopt_runner *volatile running_sweep;
static volatile sig_atomic_t early_stops;

static void usage(FILE *to)
{
    fputs("usage: igmopt-run [-c optuna_params.yaml] [--check] [key=value | ~key ...] "
          "[-- trial command ...]\n"
          "\n"
          "Runs the Optuna sweep of an IGM optuna_params.yaml: each trial is its own\n"
          "process in multirun/<trial number>/, recorded in the study's storage.\n"
          "\n"
          "  -c, --config FILE  the sweep configuration (default ./optuna_params.yaml)\n"
          "  --check            validate, print the resolved configuration, run nothing\n"
          "  key=value          override a configuration key (value read as YAML),\n"
          "                     e.g. n_trials=10 sampler.seed=3 parameters.0.high=2\n"
          "  ~key               remove a key or list item, e.g. ~sampler.population_size\n"
          "  -- command ...     the trial command instead of the configured one\n"
          "  -h, --help         this text\n"
          "  -V, --version      the version\n"
          "\n"
          "Ctrl-C stops launching, terminates the running trials (recorded FAIL) and\n"
          "exits 130; running it again with the same storage resumes the study.\n"
          "Exit status: 0 done, 1 runtime error, 2 configuration error, 130 interrupted.\n",
          to);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("igmopt-run: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see igmopt-run --help)\n", stderr);
    return EXIT_CONFIG;
}

/* -c FILE, -cFILE, --config FILE or --config=FILE, once: a second one
 * silently replacing the first would run another sweep than meant. */
static int take_config(options *o, const char *path)
{
    if (o->config_given)
        return usage_error("a second configuration file '%s': give -c only once", path);
    o->config_path = path;
    o->config_given = 1;
    return -1;
}

/* Returns -1 to go on, else the exit status. */
static int parse_arguments(int argc, char **argv, options *o)
{
    int status = -1;
    o->config_path = DEFAULT_CONFIG;
    o->sets = calloc((size_t)argc, sizeof *o->sets);
    if (!o->sets)
        return EXIT_RUNTIME;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
            printf("igmopt-run %s (libigmopt %s)\n", IGMOPT_VERSION_STRING, igmopt_version());
            return 0;
        } else if (strcmp(a, "--check") == 0) {
            o->check = 1;
        } else if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0) {
            if (++i == argc)
                return usage_error("%s needs a file name", a);
            status = take_config(o, argv[i]);
        } else if (strncmp(a, "--config=", 9) == 0) {
            status = take_config(o, a + 9);
        } else if (strncmp(a, "-c", 2) == 0) {
            status = take_config(o, a + 2);
        } else if (strcmp(a, "--") == 0) {
            o->command = (const char *const *)argv + i + 1;
            o->n_command = (size_t)(argc - i - 1);
            if (o->n_command == 0)
                return usage_error("%s", "'--' must be followed by the trial command");
            break;
        } else if ((a[0] != '-' && strchr(a, '=')) || (a[0] == '~' && a[1])) {
            o->sets[o->n_sets++] = a; /* key=value, or ~key to remove one */
        } else {
            return usage_error("unexpected argument '%s'", a);
        }
        if (status >= 0)
            return status;
    }
    return -1;
}

static int fail(int status)
{
    fprintf(stderr, "igmopt-run: %s\n", igmopt_errmsg());
    return status;
}

static int interrupted_before_the_sweep(void)
{
    fputs("igmopt-run: interrupted before the sweep started\n", stderr);
    return EXIT_INTERRUPTED;
}

/* A stop signal interrupts a read blocked on a FIFO: that failure is the
 * stop, not a bad file. */
static int load_config(const options *o, igmopt_config **cfg)
{
    if (igmopt_config_load_with(cfg, o->config_path, o->sets, o->n_sets,
                                o->n_command ? o->command : NULL, o->n_command))
        return early_stops ? interrupted_before_the_sweep() : fail(EXIT_CONFIG);
    return -1;
}

static void newline_indent(int depth)
{
    putchar('\n');
    for (int i = 0; i < depth; i++)
        fputs("  ", stdout);
}

/* Re-indents JSON text without re-reading its numbers (a JSON library
 * would print 1e-05 back as 1.0000000000000001e-05). */
static void print_indented_json(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '"') {
            const char *end = p + 1;
            while (*end && *end != '"')
                end += end[0] == '\\' && end[1] ? 2 : 1;
            fwrite(p, 1, (size_t)(end - p) + (*end != '\0'), stdout);
            p = *end ? end : end - 1;
        } else if ((*p == '{' && p[1] == '}') || (*p == '[' && p[1] == ']')) {
            fwrite(p++, 1, 2, stdout);
        } else if (*p == '{' || *p == '[') {
            putchar(*p);
            newline_indent(++depth);
        } else if (*p == '}' || *p == ']') {
            newline_indent(--depth);
            putchar(*p);
        } else if (*p == ',') {
            putchar(',');
            newline_indent(depth);
        } else if (*p == ':') {
            fputs(": ", stdout);
        } else if (!strchr(" \t\r\n", *p)) {
            putchar(*p);
        }
    }
    putchar('\n');
}

/* --check: what the run would check first, then the configuration. */
static int check_and_print_config(const igmopt_config *cfg)
{
    char *text = NULL;
    if (igmopt_config_check(cfg))
        return fail(EXIT_CONFIG);
    if (igmopt_config_to_json(cfg, &text))
        return fail(EXIT_RUNTIME);
    print_indented_json(text);
    igmopt_free(text);
    return 0;
}

/* ---- log lines ------------------------------------------------------------ */

static void clear_live_line(terminal_log *t)
{
    if (t->live)
        fputs("\r\033[K", stderr);
}

static void log_line(void *user, int level, const char *message)
{
    terminal_log *t = user;
    if (level == 0 && t->tty) {
        clear_live_line(t);
        fputs(message, stderr);
        free(t->progress);
        t->progress = strdup(message);
        t->live = 1;
    } else if (level == 0) {
        fprintf(stderr, "progress: %s\n", message);
    } else {
        clear_live_line(t);
        fprintf(stderr, "%s%s\n", level >= 3 ? "error: " : "", message);
        if (t->live && t->progress)
            fputs(t->progress, stderr);
    }
    fflush(stderr);
}

static void end_live_line(terminal_log *t)
{
    if (t->live)
        fputc('\n', stderr);
    t->live = 0;
    free(t->progress);
    t->progress = NULL;
}

/* ---- the sweep ------------------------------------------------------------- */

static void on_stop_signal(int sig)
{
    igmopt_runner *runner = running_sweep;
    (void)sig;
    if (runner)
        igmopt_runner_stop(runner);
    else
        early_stops++;
}

/* First thing in main: a signal while the configuration loads (or the
 * storage opens) must end the program as a stop does, exit status 130,
 * not by the default action halfway through.  SIGHUP (the terminal or ssh
 * session closed) stops like Ctrl-C.  While the configuration loads, calls
 * are not restarted, so a read blocked on a FIFO (-c <(...)) gives way. */
static void catch_stop_signals(int restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* optimization_results.csv goes beside the configuration file. */
static char *results_path(const char *config_path)
{
    char *copy = strdup(config_path), *dir, *real, *path = NULL;
    if (!copy)
        return NULL;
    dir = strrchr(copy, '/') ? copy : NULL;
    if (dir)
        *strrchr(copy, '/') = '\0';
    real = realpath(dir ? (*copy ? copy : "/") : ".", NULL);
    if (real && asprintf(&path, "%s%s%s", real, strcmp(real, "/") ? "/" : "", RESULTS_CSV) < 0)
        path = NULL;
    free(real);
    free(copy);
    return path;
}

static int write_reports(igmopt_runner *runner, const igmopt_config *cfg,
                         const char *config_path)
{
    igmopt_study *study = igmopt_runner_study(runner);
    char *csv = results_path(config_path), *summary = NULL;
    int status = 0;
    if (!csv) {
        fprintf(stderr, "igmopt-run: cannot resolve the directory of %s: %s\n", config_path,
                strerror(errno));
        return EXIT_RUNTIME;
    }
    if (igmopt_report_csv(study, cfg, csv))
        status = fail(EXIT_RUNTIME);
    if (igmopt_report_summary(study, cfg, &summary))
        status = fail(EXIT_RUNTIME);
    else
        fputs(summary, stdout);
    if (status == 0)
        fprintf(stderr, "results: %s\n", csv);
    igmopt_free(summary);
    free(csv);
    return status;
}

/* Stops that came while the runner was being built reach it now: its loop
 * acts on them before launching anything. */
static void hand_over_early_stops(igmopt_runner *runner)
{
    running_sweep = runner;
    for (sig_atomic_t i = early_stops; i > 0; i--)
        igmopt_runner_stop(runner);
}

static int run_sweep(const igmopt_config *cfg, const char *config_path)
{
    terminal_log t = {isatty(STDERR_FILENO), 0, NULL};
    igmopt_runner *runner;
    int rc, status, report_status;
    if (early_stops)
        return interrupted_before_the_sweep();
    if ((rc = igmopt_runner_new(&runner, cfg)))
        return fail(rc == IGMOPT_ECONFIG ? EXIT_CONFIG : EXIT_RUNTIME);
    igmopt_runner_set_log(runner, log_line, &t);
    hand_over_early_stops(runner);
    rc = igmopt_runner_run(runner);
    end_live_line(&t);
    status = rc == IGMOPT_OK             ? 0
             : rc == IGMOPT_EINTERRUPTED ? EXIT_INTERRUPTED
             : rc == IGMOPT_ECONFIG      ? EXIT_CONFIG
                                         : EXIT_RUNTIME;
    if (status)
        fail(status);
    /* Also after a runtime error: the study holds whatever ran before it. */
    report_status = write_reports(runner, cfg, config_path);
    status = status ? status : report_status;
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    running_sweep = NULL;
    igmopt_runner_free(runner);
    return status;
}

/* Each running trial holds a few descriptors: take what the hard limit
 * allows (the runner refuses an n_jobs beyond it). */
static void raise_open_file_limit(void)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

/* As coreutils' close_stdout: the summary or --check's JSON that could not
 * be written (a full disk, a closed pipe) is a failure, not exit 0. */
static int close_stdout(int status)
{
    int failed = ferror(stdout);
    errno = 0;
    failed |= fclose(stdout) != 0;
    if (!failed)
        return status;
    fprintf(stderr, "igmopt-run: write error on standard output%s%s\n", errno ? ": " : "",
            errno ? strerror(errno) : "");
    return status ? status : EXIT_RUNTIME;
}

int main(int argc, char **argv)
{
    options o;
    igmopt_config *cfg = NULL;
    int status;
    catch_stop_signals(0);
    raise_open_file_limit();
    memset(&o, 0, sizeof o);
    status = parse_arguments(argc, argv, &o);
    if (status < 0)
        status = load_config(&o, &cfg);
    catch_stop_signals(1);
    if (status < 0 && o.check)
        status = early_stops ? interrupted_before_the_sweep() : check_and_print_config(cfg);
    else if (status < 0)
        status = run_sweep(cfg, o.config_path);
    igmopt_config_free(cfg);
    free(o.sets);
    return close_stdout(status);
}
