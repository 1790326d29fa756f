/* The pruner registry (Optuna class names), NopPruner, and reference
 * counting.  OPTUNA-ALGORITHMS.md s8. */
#include <stdlib.h>
#include <string.h>

#include "../samplers/sampler.h"
#include "error.h"
#include "methods.h"
#include "pruner.h"

static int nop_prune(void *impl, igmopt_study *study, const igm_frozen_trial *trial, int *prune)
{
    *prune = 0;
    return IGMOPT_OK;
}

static void nop_free(void *impl)
{
}

static const igm_pruner_ops nop_pruner_ops = {"NopPruner", nop_free, nop_prune};

static const char *const later_pruners[] = {
    "MedianPruner", "PercentilePruner", "SuccessiveHalvingPruner", "HyperbandPruner",
    "ThresholdPruner", "PatientPruner", "WilcoxonPruner", NULL,
};

static int known_later(const char *method)
{
    for (size_t i = 0; later_pruners[i]; i++)
        if (strcmp(later_pruners[i], method) == 0)
            return 1;
    return 0;
}

IGMOPT_API int igmopt_pruner_new(igmopt_pruner **out, const char *method,
                                 const char *options_json)
{
    static const char *const no_options[] = {NULL};
    igmopt_pruner *p;
    json_t *options;
    int rc;
    if (!out)
        return igm_error(IGMOPT_EINVAL, "igmopt_pruner_new: out must not be NULL");
    *out = NULL;
    if (!method)
        method = "NopPruner";
    if (known_later(method))
        return igm_error(IGMOPT_EUNAVAILABLE, "pruner '%s' is not available yet in this "
                         "version of libigmopt", method);
    if (strcmp(method, "NopPruner") != 0)
        return igm_error(IGMOPT_EINVAL, "unknown pruner '%s'", method);
    if ((rc = igm_parse_kwargs(options_json, method, &options)))
        return rc;
    rc = igm_options_check_keys(options, method, no_options);
    json_decref(options);
    if (rc)
        return rc;
    p = calloc(1, sizeof *p);
    if (!p)
        return igm_error_nomem();
    p->ops = &nop_pruner_ops;
    p->refs = 1;
    *out = p;
    return IGMOPT_OK;
}

int igm_default_pruner(igmopt_pruner **out)
{
    return igmopt_pruner_new(out, NULL, NULL);
}

void igm_pruner_retain(igmopt_pruner *p)
{
    p->refs++;
}

IGMOPT_API void igmopt_pruner_free(igmopt_pruner *p)
{
    if (!p || --p->refs > 0)
        return;
    p->ops->free(p->impl);
    free(p);
}

const char *igm_pruner_available(size_t i)
{
    return i == 0 ? nop_pruner_ops.name : NULL;
}
