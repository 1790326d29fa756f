/* The one internal storage interface (Optuna's BaseStorage, reduced to
 * what the study needs).  Backends know nothing of samplers or studies'
 * caches; the study layer validates arguments before calling them.
 *
 * Rules every backend keeps:
 *  - trial numbers are 0-based, unique and contiguous per study, assigned
 *    atomically when the trial is created (also for WAITING trials);
 *  - only a RUNNING trial may change: writes to a finished (or WAITING)
 *    trial return IGMOPT_ESTATE and change nothing;
 *  - each call is one atomic change; on error nothing is written;
 *  - errors are recorded with igm_error() and returned. */
#ifndef IGM_STORAGE_H
#define IGM_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/frozen_trial.h"
#include "igmopt/igmopt.h"

typedef enum igm_attr_kind { IGM_ATTR_USER = 0, IGM_ATTR_SYSTEM = 1 } igm_attr_kind;

typedef struct igm_storage_ops {
    const char *name;
    void (*close)(void *impl);

    /* IGMOPT_EEXISTS when the name is taken.  Study and directions are
     * written in one transaction, directions in objective order. */
    int (*create_study)(void *impl, const char *name, const igmopt_direction *dirs,
                        size_t n_dirs, int64_t *study_id);
    /* IGMOPT_ENOTFOUND when there is no such study.  *dirs is malloc'd. */
    int (*find_study)(void *impl, const char *name, int64_t *study_id, igmopt_direction **dirs,
                      size_t *n_dirs);
    /* Deletes the study with all its trials and attributes. */
    int (*delete_study)(void *impl, int64_t study_id);
    /* *names is a malloc'd array of malloc'd strings, in study id order. */
    int (*study_names)(void *impl, char ***names, size_t *n);
    int (*set_study_attr)(void *impl, int64_t study_id, igm_attr_kind kind, const char *key,
                          const char *value_json);
    int (*get_study_attrs)(void *impl, int64_t study_id, igm_attr_kind kind,
                           igm_attr_list *out);

    /* tmpl NULL: a new RUNNING trial started now.  Otherwise a trial built
     * from the template (state, datetimes, values, params, attrs,
     * intermediate values), e.g. a WAITING trial for enqueue.
     * max_started > 0 (a new RUNNING trial only): IGMOPT_ELIMIT, checked in
     * the same transaction, when the study already holds that many trials
     * that are not WAITING. */
    int (*create_trial)(void *impl, int64_t study_id, const igm_frozen_trial *tmpl,
                        int64_t max_started, int64_t *trial_id, int64_t *number);
    /* Atomically turns the oldest WAITING trial of the study RUNNING (with
     * datetime_start now).  IGMOPT_ENOTFOUND when there is none;
     * IGMOPT_ELIMIT as create_trial's max_started. */
    int (*pop_waiting_trial)(void *impl, int64_t study_id, int64_t max_started,
                             int64_t *trial_id, int64_t *number);
    int (*set_trial_param)(void *impl, int64_t trial_id, const char *name, double internal,
                           const igm_distribution *d);
    /* Finishes a RUNNING trial: state, values (NULL/0 for none) and
     * datetime_complete in one transaction. */
    int (*finish_trial)(void *impl, int64_t trial_id, igmopt_trial_state state,
                        const double *values, size_t n_values);
    int (*set_trial_intermediate)(void *impl, int64_t trial_id, int64_t step, double value);
    int (*set_trial_attr)(void *impl, int64_t trial_id, igm_attr_kind kind, const char *key,
                          const char *value_json);

    /* Heartbeats (OPTUNA-STORAGE.md §2.10): a RUNNING trial's worker
     * records it is alive, at the moment of the write (after any wait for
     * the lock), in whole seconds of UTC (igm_heartbeat_now). */
    int (*record_heartbeat)(void *impl, int64_t trial_id);
    /* Finishes as FAIL, with system attr fail_reason = reason_json, every
     * RUNNING trial of the study whose heartbeat is older than
     * stale_before (a datetime text); trials without a heartbeat are left
     * alone.  *numbers (malloc'd, may be NULL when *n is 0) lists them. */
    int (*fail_stale_trials)(void *impl, int64_t study_id, const char *stale_before,
                             const char *reason_json, int64_t **numbers, size_t *n);

    /* The study's trials whose trial_id is > after_trial_id or listed in
     * also_ids, sorted by trial_id.  *out is a malloc'd array the caller
     * owns (free each with igm_frozen_trial_free). */
    int (*read_trials)(void *impl, int64_t study_id, int64_t after_trial_id,
                       const int64_t *also_ids, size_t n_also, igm_frozen_trial ***out,
                       size_t *n_out);
} igm_storage_ops;

struct igmopt_storage {
    const igm_storage_ops *ops;
    void *impl;
};

/* Backend constructors; url is the part the backend understands. */
int igm_memory_storage_open(igmopt_storage **out);
int igm_sqlite_storage_open(igmopt_storage **out, const char *url);
/* Checks a "sqlite:///..." URL and its options as igm_sqlite_storage_open
 * would (IGMOPT_EINVAL naming the URL), without opening anything. */
int igm_sqlite_url_check(const char *url);
/* The URL's file is a regular file or does not exist yet (IGMOPT_ESTORAGE
 * naming it and what it is instead), as igm_sqlite_storage_open checks
 * before opening it. */
int igm_sqlite_file_check(const char *url);

#endif
