/* The local launcher: fork + exec of a trial in its own process group, its
 * output in files (never pipes that could fill up: FIELD-NOTES s1.9.2), an
 * exec failure reported back through a close-on-exec pipe, and a pidfd the
 * runner polls for the child's end. */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

enum child_step { STEP_CHDIR = 1, STEP_EXEC = 2 };

typedef struct child_failure {
    int step;
    int err;
} child_failure;

typedef struct child_fds {
    int in, out, err;   /* what becomes the child's 0, 1, 2 */
    int report[2];      /* close-on-exec pipe: silence means exec succeeded */
} child_fds;

/* ---- finding the program ------------------------------------------------ */

static int is_executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static char *search_path(const char *name)
{
    const char *path = getenv("PATH");
    const char *dir = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (dir) {
        const char *end = strchr(dir, ':');
        int len = end ? (int)(end - dir) : (int)strlen(dir);
        char *candidate = NULL;
        /* an empty PATH entry means the current directory, as for execvp */
        if (asprintf(&candidate, "%.*s%s%s", len, dir, len ? "/" : "", name) < 0)
            return NULL;
        if (is_executable_file(candidate))
            return candidate;
        free(candidate);
        dir = end ? end + 1 : NULL;
    }
    return NULL;
}

int igm_resolve_program(char **out, const char *name, const char *base_dir)
{
    *out = NULL;
    if (!strchr(name, '/')) {
        *out = search_path(name);
        return IGMOPT_OK;
    }
    if (name[0] == '/' || !base_dir) {
        *out = strdup(name);
    } else if (asprintf(out, "%s/%s", base_dir, name) < 0) {
        *out = NULL;
    }
    return *out ? IGMOPT_OK : igm_error_nomem();
}

/* ---- in the child, between fork and exec: async-signal-safe calls only -- */

static void report_and_exit(int fd, int step)
{
    child_failure f = {step, errno};
    ssize_t ignored = write(fd, &f, sizeof f);
    (void)ignored;
    _exit(127);
}

/* Handlers the parent installed (igmopt-run's SIGINT handler stops the
 * runner) must not run in the child before exec. */
static void reset_signals(void)
{
    sigset_t none;
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        struct sigaction old;
        if (sigaction(sig, NULL, &old) == 0 && old.sa_handler != SIG_IGN &&
            old.sa_handler != SIG_DFL)
            sigaction(sig, &dfl, NULL);
    }
    sigaction(SIGPIPE, &dfl, NULL);
    sigaction(SIGCHLD, &dfl, NULL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static void run_child(const igm_launch_request *req, const child_fds *fds, pid_t parent)
{
    setpgid(0, 0);
    /* the runner being killed must not leave the trial running unattended */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    if (dup2(fds->in, 0) < 0 || dup2(fds->out, 1) < 0 || dup2(fds->err, 2) < 0)
        report_and_exit(fds->report[1], STEP_EXEC);
    if (chdir(req->dir) != 0)
        report_and_exit(fds->report[1], STEP_CHDIR);
    syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    reset_signals();
    execve(req->path, req->argv, req->envp);
    report_and_exit(fds->report[1], STEP_EXEC);
}

/* ---- in the parent --------------------------------------------------------- */

/* Opened above 2, so the child's dup2 onto 0..2 never clobbers a source. */
static int open_high(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC, 0644), high;
    if (fd < 0 || fd > 2)
        return fd;
    high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    close(fd);
    return high;
}

static void close_fds(child_fds *fds)
{
    int *all[] = {&fds->in, &fds->out, &fds->err, &fds->report[0], &fds->report[1]};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        if (*all[i] >= 0)
            close(*all[i]);
        *all[i] = -1;
    }
}

/* stdout.txt or stderr.txt.  Trials can write into each other's
 * directories, so anything may sit under the name: open() of a FIFO
 * would wait for a reader forever, stalling the whole sweep.  So the open
 * cannot wait (a FIFO without a reader gives ENXIO), a symlink is not
 * followed, and only a regular file is taken.  -1 with errno set, or
 * NOT_REGULAR. */
#define NOT_REGULAR (-2)

static int open_output(const char *path)
{
    struct stat st;
    int fd = open_high(path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY);
    int flags;
    if (fd < 0)
        return errno == ENXIO || errno == ELOOP || errno == EISDIR ? NOT_REGULAR : -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return NOT_REGULAR;
    }
    if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* 1 with *reason when an output file is not a regular file (the trial
 * fails, the sweep goes on). */
static int open_fds(const igm_launch_request *req, child_fds *fds, char **reason)
{
    const char *failed = NULL;
    if ((fds->in = open_high("/dev/null", O_RDONLY)) < 0)
        failed = "/dev/null";
    else if ((fds->out = open_output(req->stdout_path)) < 0)
        failed = req->stdout_path;
    else if ((fds->err = open_output(req->stderr_path)) < 0)
        failed = req->stderr_path;
    else if (pipe2(fds->report, O_CLOEXEC) != 0)
        failed = "a pipe";
    if (!failed)
        return IGMOPT_OK;
    if (fds->out == NOT_REGULAR || fds->err == NOT_REGULAR) {
        if (asprintf(reason, "cannot write the trial's output to %s: it is not a regular "
                     "file", strrchr(failed, '/') ? strrchr(failed, '/') + 1 : failed) < 0) {
            *reason = NULL;
            return igm_error_nomem();
        }
        return 1;
    }
    return igm_error(IGMOPT_ESTORAGE, "cannot open %s for trial output: %s", failed,
                     strerror(errno));
}

/* What the child wrote before dying, or 0 bytes when exec succeeded. */
static ssize_t read_failure(int fd, child_failure *f)
{
    ssize_t got;
    do
        got = read(fd, f, sizeof *f);
    while (got < 0 && errno == EINTR);
    return got;
}

static int start_failed(const igm_launch_request *req, const child_failure *f, char **reason)
{
    int n;
    if (f->step == STEP_CHDIR)
        n = asprintf(reason, "could not enter trial directory '%s': %s", req->dir,
                     strerror(f->err));
    else
        n = asprintf(reason, "could not start '%s': %s", req->program, strerror(f->err));
    if (n < 0) {
        *reason = NULL;
        return igm_error_nomem();
    }
    return 1;
}

static int pidfd_of(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}

/* *status -1 when the status was lost (reaped by someone else). */
static void reap_blocking(pid_t pid, int *status)
{
    pid_t got;
    do
        got = waitpid(pid, status, 0);
    while (got < 0 && errno == EINTR);
    if (got != pid)
        *status = -1;
}

static int fork_child(const igm_launch_request *req, child_fds *fds, igm_child *child,
                      child_failure *failure)
{
    sigset_t all, old;
    pid_t parent = getpid(), pid;
    ssize_t got;
    int status;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid = fork();
    if (pid == 0)
        run_child(req, fds, parent);
    if (pid > 0)
        setpgid(pid, pid); /* also here: a signal may come before the child runs */
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0)
        return igm_error(IGMOPT_ESTORAGE, "cannot fork a trial process: %s", strerror(errno));
    close(fds->report[1]);
    fds->report[1] = -1;
    got = read_failure(fds->report[0], failure);
    if (got > 0) {
        reap_blocking(pid, &status);
        return 1;
    }
    child->pid = pid;
    child->pidfd = pidfd_of(pid);
    return IGMOPT_OK;
}

static int local_start(const igm_launch_request *req, igm_child *child, char **reason)
{
    child_fds fds = {-1, -1, -1, {-1, -1}};
    child_failure failure = {STEP_EXEC, ENOENT};
    int rc;
    *reason = NULL;
    child->pid = 0;
    child->pidfd = -1;
    if (!req->path)
        return start_failed(req, &failure, reason);
    rc = open_fds(req, &fds, reason);
    if (rc == IGMOPT_OK && (rc = fork_child(req, &fds, child, &failure)) == 1)
        rc = start_failed(req, &failure, reason);
    close_fds(&fds);
    return rc;
}

static void local_signal(const igm_child *child, int sig)
{
    if (child->pid > 0 && killpg(child->pid, sig) != 0)
        kill(child->pid, sig);
}

static int child_ended(const igm_child *child, int block)
{
    siginfo_t info;
    int rc;
    memset(&info, 0, sizeof info);
    do
        rc = waitid(P_PID, (id_t)child->pid, &info, WEXITED | WNOWAIT | (block ? 0 : WNOHANG));
    while (rc < 0 && errno == EINTR);
    /* ECHILD: someone else reaped it (SIGCHLD ignored); it has ended too */
    return (rc == 0 && info.si_pid == child->pid) || (rc < 0 && errno == ECHILD);
}

static int local_reap(igm_child *child, int block, int *status)
{
    if (child->pid <= 0 || !child_ended(child, block))
        return 0;
    /* The ended leader is not reaped yet, so its pid still names the group:
     * nothing the trial left behind outlives it (no orphans). */
    killpg(child->pid, SIGKILL);
    reap_blocking(child->pid, status);
    if (child->pidfd >= 0)
        close(child->pidfd);
    child->pid = 0;
    child->pidfd = -1;
    return 1;
}

const igm_launcher_ops igm_local_launcher = {
    "local", local_start, local_signal, local_reap,
};
