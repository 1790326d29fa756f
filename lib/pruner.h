/* The internal pruner interface (Optuna's BasePruner.prune). */
#ifndef IGM_PRUNER_H
#define IGM_PRUNER_H

#include "frozen_trial.h"
#include "igmopt/igmopt.h"

typedef struct igm_pruner_ops {
    const char *name;
    void (*free)(void *impl);
    int (*prune)(void *impl, igmopt_study *study, const igm_frozen_trial *trial, int *prune);
} igm_pruner_ops;

struct igmopt_pruner {
    const igm_pruner_ops *ops;
    void *impl;
    int refs;
};

void igm_pruner_retain(igmopt_pruner *p);
int igm_default_pruner(igmopt_pruner **out);

#endif
