/* Parameter distributions with Optuna's semantics (FloatDistribution,
 * IntDistribution, CategoricalDistribution): validation, normalisation of
 * `high`, internal <-> external values and the distribution_json text that
 * Optuna stores.  OPTUNA-ALGORITHMS.md s1.1, OPTUNA-STORAGE.md s2.2. */
#ifndef IGM_DISTRIBUTION_H
#define IGM_DISTRIBUTION_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

typedef enum igm_dist_kind {
    IGM_DIST_FLOAT = 0,
    IGM_DIST_INT = 1,
    IGM_DIST_CATEGORICAL = 2
} igm_dist_kind;

typedef struct igm_distribution {
    igm_dist_kind kind;
    int log;
    double low, high, step;   /* float: step 0 means none */
    int64_t ilow, ihigh, istep; /* int */
    size_t n_choices;         /* categorical: choices as canonical JSON text */
    char **choices;
} igm_distribution;

/* Validate and build; `name` is the parameter name used in error messages.
 * high is normalised down to the last step multiple as Optuna does. */
int igm_distribution_float(igm_distribution **out, const char *name, double low, double high,
                           double step, int log);
int igm_distribution_int(igm_distribution **out, const char *name, int64_t low, int64_t high,
                         int64_t step, int log);
int igm_distribution_categorical(igm_distribution **out, const char *name,
                                 const char *choices_json);

int igm_distribution_copy(igm_distribution **out, const igm_distribution *d);
void igm_distribution_free(igm_distribution *d);

/* Parses Optuna's distribution_json (current and legacy class names, and
 * the abbreviated {"type": ...} form). */
int igm_distribution_from_json(igm_distribution **out, const char *json_text);
/* Writes the distribution_json exactly as Optuna 3.x json.dumps does. */
void igm_distribution_to_json(igm_strbuf *sb, const igm_distribution *d);

/* Same class, same log flag, same choices (Optuna's compatibility rule). */
int igm_distribution_compatible(const igm_distribution *a, const igm_distribution *b);
/* All fields equal (the intersection search space's test). */
int igm_distribution_equal(const igm_distribution *a, const igm_distribution *b);
/* Only one value is possible. */
int igm_distribution_single(const igm_distribution *d);
/* The internal value lies in the distribution (Optuna's _contains). */
int igm_distribution_contains(const igm_distribution *d, double internal);

/* The external value as JSON text (number, string, bool or null). */
void igm_distribution_external_json(igm_strbuf *sb, const igm_distribution *d,
                                    double internal);
/* Internal value of an external JSON value (enqueued params); IGMOPT_EINVAL
 * when it is not a value of this distribution. */
int igm_distribution_internal_from_json(const igm_distribution *d, const char *name,
                                        const char *value_json, double *internal);

#endif
