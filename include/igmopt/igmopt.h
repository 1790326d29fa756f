/*
 * libigmopt: studies, trials, samplers and pruners with Optuna-compatible
 * storage, for simulation models.  This is the only public header.
 *
 * Conventions (see doc/conventions.md):
 *  - every function that can fail returns IGMOPT_OK (0) or a negative
 *    igmopt_status; igmopt_errmsg() then says what went wrong;
 *  - out-parameters come first; handles are opaque; every _new/_open/_create
 *    has a _free/_close that accepts NULL;
 *  - strings given to the library are copied; every char * the library hands
 *    over is owned by the caller and released with igmopt_free();
 *  - options that grow over time are JSON text (Optuna's kwarg names).
 */
#ifndef IGMOPT_H
#define IGMOPT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(IGMOPT_BUILDING) && defined(__GNUC__)
#define IGMOPT_API __attribute__((visibility("default")))
#else
#define IGMOPT_API
#endif

#define IGMOPT_VERSION_MAJOR 0
#define IGMOPT_VERSION_MINOR 1
#define IGMOPT_VERSION_PATCH 0
#define IGMOPT_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------ */
/* Handles, enums, status codes                                        */
/* ------------------------------------------------------------------ */

typedef struct igmopt_storage igmopt_storage;
typedef struct igmopt_study igmopt_study;
typedef struct igmopt_trial igmopt_trial;
typedef struct igmopt_sampler igmopt_sampler;
typedef struct igmopt_pruner igmopt_pruner;

typedef enum igmopt_direction { IGMOPT_MINIMIZE = 1, IGMOPT_MAXIMIZE = 2 } igmopt_direction;

typedef enum igmopt_trial_state {
    IGMOPT_RUNNING = 0,
    IGMOPT_COMPLETE = 1,
    IGMOPT_PRUNED = 2,
    IGMOPT_FAIL = 3,
    IGMOPT_WAITING = 4
} igmopt_trial_state;

typedef enum igmopt_status {
    IGMOPT_OK = 0,
    IGMOPT_EINVAL = -1,       /* a bad argument (named in the message) */
    IGMOPT_ENOMEM = -2,       /* out of memory */
    IGMOPT_ENOTFOUND = -3,    /* no such study, trial or parameter */
    IGMOPT_EEXISTS = -4,      /* a study of that name already exists */
    IGMOPT_ESTATE = -5,       /* the trial is finished and cannot change */
    IGMOPT_ESTORAGE = -6,     /* the storage failed (I/O, corrupt contents) */
    IGMOPT_EVERSION = -7,     /* storage schema this library cannot use */
    IGMOPT_EUNAVAILABLE = -8, /* the sampler/pruner is not available yet */
    IGMOPT_ETRIALFAIL = -9,   /* tell recorded the trial as FAIL instead */
    IGMOPT_ECONFIG = -10,     /* a configuration error (file:line: key named) */
    IGMOPT_EINTERRUPTED = -11, /* the sweep was stopped before its end */
    IGMOPT_ELIMIT = -12        /* the study's trial budget is spent */
} igmopt_status;

/* ------------------------------------------------------------------ */
/* Library                                                             */
/* ------------------------------------------------------------------ */

/* The library version, "MAJOR.MINOR.PATCH". */
IGMOPT_API const char *igmopt_version(void);

/* The message of this thread's last failure; never NULL ("" if none).
 * Valid until the next failing call on this thread. */
IGMOPT_API const char *igmopt_errmsg(void);

/* Releases a string or buffer handed over by the library; NULL is fine. */
IGMOPT_API void igmopt_free(void *p);

/* ------------------------------------------------------------------ */
/* Storage                                                             */
/* ------------------------------------------------------------------ */

/* url: NULL or ":memory:" for an in-memory storage; "sqlite:///rel.db" or
 * "sqlite:////abs/path.db" for an Optuna-compatible SQLite file.  Query
 * options: schema=v3.0.0.d|v3.2.0.a (stamp for new files), journal_mode=,
 * synchronous=, timeout= (seconds to wait on a busy lock).  A path that
 * exists and is not a regular file (a FIFO, a device) is IGMOPT_ESTORAGE,
 * before anything is opened. */
IGMOPT_API int igmopt_storage_open(igmopt_storage **out, const char *url);
IGMOPT_API void igmopt_storage_close(igmopt_storage *st);

/* ------------------------------------------------------------------ */
/* Samplers and pruners                                                */
/* ------------------------------------------------------------------ */

/* method: an Optuna sampler class name, NULL for the default sampler;
 * options_json: a JSON object of its constructor kwargs, or NULL.
 * A study keeps its own reference: the caller may free the sampler as soon
 * as no further study is created with it. */
IGMOPT_API int igmopt_sampler_new(igmopt_sampler **out, const char *method,
                                  const char *options_json);
IGMOPT_API void igmopt_sampler_free(igmopt_sampler *s);

/* method: an Optuna pruner class name, NULL for NopPruner. */
IGMOPT_API int igmopt_pruner_new(igmopt_pruner **out, const char *method,
                                 const char *options_json);
IGMOPT_API void igmopt_pruner_free(igmopt_pruner *p);

/* ------------------------------------------------------------------ */
/* Studies                                                             */
/* ------------------------------------------------------------------ */

/* Creates a study (name NULL: "no-name-<uuid4>") with one direction per
 * objective.  load_if_exists: an existing study of that name is loaded
 * instead (its directions must match).  sampler/pruner may be NULL for the
 * defaults.  The storage must outlive the study. */
IGMOPT_API int igmopt_study_create(igmopt_study **out, igmopt_storage *st, const char *name,
                                   const igmopt_direction *directions, size_t n_objectives,
                                   igmopt_sampler *sampler, igmopt_pruner *pruner,
                                   int load_if_exists);
IGMOPT_API int igmopt_study_load(igmopt_study **out, igmopt_storage *st, const char *name,
                                 igmopt_sampler *sampler, igmopt_pruner *pruner);
IGMOPT_API void igmopt_study_close(igmopt_study *study);
IGMOPT_API int igmopt_study_delete(igmopt_storage *st, const char *name);

/* A JSON array of the names of every study in the storage. */
IGMOPT_API int igmopt_study_names_json(igmopt_storage *st, char **json_out);

/* Names the objectives (n must equal the number of directions); stored as
 * Optuna's "study:metric_names" and the dashboard's objective names. */
IGMOPT_API int igmopt_study_set_metric_names(igmopt_study *study, const char *const *names,
                                             size_t n);
IGMOPT_API int igmopt_study_set_user_attr(igmopt_study *study, const char *key,
                                          const char *value_json);

/* Queues a trial whose parameters (a JSON object name -> external value)
 * are used by the next ask, as Optuna's enqueue_trial. */
IGMOPT_API int igmopt_study_enqueue(igmopt_study *study, const char *params_json);

/* Starts a trial: the oldest enqueued one first, else a new one. */
IGMOPT_API int igmopt_study_ask(igmopt_study *study, igmopt_trial **out);

/* igmopt_study_ask within a study-wide budget: IGMOPT_ELIMIT, and no trial,
 * once the study holds max_trials trials that are not WAITING (running or
 * finished, by any process).  The count and the start are one atomic step,
 * so processes sharing the study never overshoot.  max_trials <= 0: none. */
IGMOPT_API int igmopt_study_ask_capped(igmopt_study *study, int64_t max_trials,
                                       igmopt_trial **out);

/* Reopens a trial of this study by number (e.g. in the trial's own
 * process); suggestions return the values already recorded. */
IGMOPT_API int igmopt_study_trial(igmopt_study *study, int64_t number, igmopt_trial **out);

/* Heartbeats, as Optuna's RDBStorage(heartbeat_interval=...): a worker
 * calls igmopt_trial_heartbeat for each trial it runs, more often than the
 * grace period; igmopt_study_fail_stale_trials, from any process, finishes
 * as FAIL (system attr fail_reason "stale: ...") every RUNNING trial whose
 * last heartbeat is more than grace_seconds (>= 1: heartbeats are whole
 * seconds of UTC, as Optuna writes them) old.  A trial that never had a
 * heartbeat is never failed.  *numbers_json (NULL: not wanted) receives the
 * JSON array of the failed trials' numbers.  IGMOPT_ESTATE when the trial
 * beating is already finished. */
IGMOPT_API int igmopt_trial_heartbeat(igmopt_trial *t);
IGMOPT_API int igmopt_study_fail_stale_trials(igmopt_study *study, double grace_seconds,
                                              char **numbers_json);

/* ------------------------------------------------------------------ */
/* Trials (a trial handle must not outlive its study)                  */
/* ------------------------------------------------------------------ */

/* step 0: continuous; log: sample in log space (low > 0, no step). */
IGMOPT_API int igmopt_trial_suggest_float(igmopt_trial *t, const char *name, double low,
                                          double high, double step, int log, double *out);
/* step >= 1; log needs low >= 1 and step 1. */
IGMOPT_API int igmopt_trial_suggest_int(igmopt_trial *t, const char *name, int64_t low,
                                        int64_t high, int64_t step, int log, int64_t *out);
/* choices_json: a non-empty JSON array of null/bool/number/string; each
 * element is its own choice (true, 1, 1.0 and "1" differ).  The chosen
 * index is returned. */
IGMOPT_API int igmopt_trial_suggest_categorical(igmopt_trial *t, const char *name,
                                                const char *choices_json, size_t *index_out);
IGMOPT_API int igmopt_trial_report(igmopt_trial *t, int64_t step, double value);
IGMOPT_API int igmopt_trial_should_prune(igmopt_trial *t, int *prune);
IGMOPT_API int igmopt_trial_set_user_attr(igmopt_trial *t, const char *key,
                                          const char *value_json);
/* Records constraint values (feasible when all are <= 0) as Optuna's
 * "constraints" system attr; constrained samplers read them.  NaN is
 * refused.  Call before tell. */
IGMOPT_API int igmopt_trial_set_constraints(igmopt_trial *t, const double *values, size_t n);
IGMOPT_API int64_t igmopt_trial_number(const igmopt_trial *t);
IGMOPT_API void igmopt_trial_free(igmopt_trial *t);

/* Finishes a trial.  COMPLETE needs one finite or infinite value per
 * objective; NaN or a wrong count records FAIL (reason in the system attr
 * "fail_reason") and returns IGMOPT_ETRIALFAIL.  PRUNED and FAIL take no
 * values (PRUNED takes the last intermediate value for one objective). */
IGMOPT_API int igmopt_study_tell(igmopt_study *study, igmopt_trial *t, igmopt_trial_state state,
                                 const double *values, size_t n_values);
IGMOPT_API int igmopt_study_tell_number(igmopt_study *study, int64_t number,
                                        igmopt_trial_state state, const double *values,
                                        size_t n_values);

/* Every trial of the study as a JSON array of objects: number, state,
 * values, params, distributions, user_attrs, system_attrs,
 * intermediate_values, datetime_start, datetime_complete. */
IGMOPT_API int igmopt_study_trials_json(igmopt_study *study, char **json_out);
/* The best trial (one objective) or the Pareto front, in the same form. */
IGMOPT_API int igmopt_study_best_trials_json(igmopt_study *study, char **json_out);

/* ------------------------------------------------------------------ */
/* Sweep configuration (optuna_params.yaml, see doc/config.md)         */
/* ------------------------------------------------------------------ */

typedef struct igmopt_config igmopt_config;

/* Loads and validates an IGM optuna_params.yaml.  Errors name the file,
 * line and key.  Relative paths in it (storage, sweep_dir, CSV) resolve
 * against the file's directory. */
IGMOPT_API int igmopt_config_load(igmopt_config **out, const char *path);
/* Applies one command-line override "key=value" (dotted keys, e.g.
 * "n_trials=10", "sampler.seed=3", "parameters.0.high=2"; the value is read
 * as YAML) or "~key" (removes it) and re-validates.  On error the config is
 * unchanged. */
IGMOPT_API int igmopt_config_set(igmopt_config *cfg, const char *key_value);
/* Applies n overrides as igmopt_config_set does, all of them first, then
 * validates the result once (as Hydra), so their order does not matter:
 * "parameters.0.log=true" before "parameters.0.low=0.1" works.  On error
 * the config is unchanged. */
IGMOPT_API int igmopt_config_set_many(igmopt_config *cfg, const char *const *key_values,
                                      size_t n);
/* Loads the file, applies the n overrides (as igmopt_config_set_many) and,
 * if command is not NULL, the trial command (as igmopt_config_set_command),
 * then validates once, as Hydra composes before it checks: an override can
 * repair a value the file has wrong ("n_jobs=1" over "n_jobs: 0", "~key"
 * for an unknown key).  Errors about values from the file name its line;
 * about values from the overrides, the override. */
IGMOPT_API int igmopt_config_load_with(igmopt_config **out, const char *path,
                                       const char *const *key_values, size_t n,
                                       const char *const *command, size_t command_argc);
/* Replaces the trial command (argv[0] is looked up in PATH; a relative path
 * with a '/' resolves against the current directory, as typed in a shell). */
IGMOPT_API int igmopt_config_set_command(igmopt_config *cfg, const char *const *argv,
                                         size_t argc);
/* Checks what a run needs beyond a valid file: the sampler and pruner
 * classes are built in this version (loading accepts every class Optuna
 * has, so IGM's template loads unchanged) and the trial command's program
 * is found (PATH, or the path as given).  igmopt_runner_new checks the
 * same.  IGMOPT_ECONFIG names the file, line and key. */
IGMOPT_API int igmopt_config_check(const igmopt_config *cfg);
/* The resolved configuration as JSON (every key with its value in force). */
IGMOPT_API int igmopt_config_to_json(const igmopt_config *cfg, char **json_out);
IGMOPT_API void igmopt_config_free(igmopt_config *cfg);

/* ------------------------------------------------------------------ */
/* Runner: trials as subprocesses (doc/igmopt-run.md)                  */
/* ------------------------------------------------------------------ */

typedef struct igmopt_runner igmopt_runner;

/* level: 0 progress (may be rewritten in place on a terminal), 1 info,
 * 2 warning, 3 error.  The library never prints: igmopt-run passes a
 * callback that does. */
typedef void (*igmopt_log_fn)(void *user, int level, const char *message);

/* Checks cfg (igmopt_config_check), builds the sampler and pruner, then
 * opens the storage and creates or loads the study (other processes'
 * RUNNING trials are left alone); nothing is created when a check fails.
 * A study of that name with other directions is IGMOPT_ECONFIG at the key
 * 'objectives'.  The runner reads cfg until
 * igmopt_runner_free: keep it alive and unchanged meanwhile. */
IGMOPT_API int igmopt_runner_new(igmopt_runner **out, const igmopt_config *cfg);
IGMOPT_API void igmopt_runner_set_log(igmopt_runner *r, igmopt_log_fn fn, void *user);
/* Runs the sweep to its end (n_trials launched by this runner, or
 * max_trials finished in the study, or a stop).  IGMOPT_OK when it ran to
 * its end, IGMOPT_EINTERRUPTED after igmopt_runner_stop.  A trial that
 * fails (exit status, signal, timeout, score file) is recorded FAIL with
 * the reason in its system attr "fail_reason" and the sweep goes on.
 * After 3 sampled trials in a row that could not get their parameters (a
 * sampler option contradicts them) nothing more is launched, the running
 * trials finish, and the result is IGMOPT_ECONFIG.  Any other error stops
 * the sweep, and every path returns with no child left.  igmopt_runner_new
 * refuses (IGMOPT_ECONFIG) a parameter the stored study holds with another
 * distribution, and an n_jobs beyond the open-file limit. */
IGMOPT_API int igmopt_runner_run(igmopt_runner *r);
/* Asks a running sweep to stop: no new launches, children terminated and
 * their trials recorded FAIL ("interrupted"); a second call kills them at
 * once.  Async-signal-safe. */
IGMOPT_API void igmopt_runner_stop(igmopt_runner *r);
/* The study the runner feeds (valid until igmopt_runner_free). */
IGMOPT_API igmopt_study *igmopt_runner_study(igmopt_runner *r);
IGMOPT_API void igmopt_runner_free(igmopt_runner *r);

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

/* optimization_results.csv: number, state, one column per objective name,
 * datetime_start, datetime_complete, duration, every parameter seen in any
 * trial, fail_reason. */
IGMOPT_API int igmopt_report_csv(igmopt_study *study, const igmopt_config *cfg,
                                 const char *path);
/* The console summary: best trial or Pareto front with values and params. */
IGMOPT_API int igmopt_report_summary(igmopt_study *study, const igmopt_config *cfg,
                                     char **text_out);

#ifdef __cplusplus
}
#endif

#endif /* IGMOPT_H */
