/* The launch step: starting one trial's process and following it to its
 * end.  The runner sees only igm_launcher_ops, so a Slurm launcher can sit
 * beside the local one (DESIGN.md s7). */
#ifndef IGM_LAUNCH_H
#define IGM_LAUNCH_H

#include <sys/types.h>

typedef struct igm_launch_request {
    const char *program; /* the command's argv[0] as configured, for messages */
    const char *path;    /* the executable to run; NULL when none was found */
    char *const *argv;
    char *const *envp;
    const char *dir;     /* working directory */
    const char *stdout_path, *stderr_path; /* truncated, then the output */
} igm_launch_request;

typedef struct igm_child {
    pid_t pid; /* also its process group; 0 when none */
    int pidfd; /* readable once it ended; -1: the caller polls reap */
} igm_child;

typedef struct igm_launcher_ops {
    const char *name;
    /* IGMOPT_OK with *child running; 1 with *reason (malloc'd) when the
     * trial could not start (e.g. "could not start 'igm_run': No such file
     * or directory"); a negative status when the runner itself failed. */
    int (*start)(const igm_launch_request *req, igm_child *child, char **reason);
    /* Sends sig to the child's whole process group. */
    void (*signal)(const igm_child *child, int sig);
    /* 1 when the child ended: *status as waitpid reports it, whatever was
     * left of its process group killed, the child reaped and closed.
     * 0 while it runs (block: wait for the end instead). */
    int (*reap)(igm_child *child, int block, int *status);
} igm_launcher_ops;

/* fork + exec on this machine, each trial in its own process group. */
extern const igm_launcher_ops igm_local_launcher;

/* The executable for a command's argv[0]: a name without '/' is looked up
 * in PATH, a relative path resolves against base_dir.  *out is NULL when
 * nothing executable was found there. */
int igm_resolve_program(char **out, const char *name, const char *base_dir);

#endif
