/* The trials one TPE draw sees (OPTUNA-ALGORITHMS.md s2.2): COMPLETE and
 * PRUNED ones from the study's history, RUNNING ones under the constant
 * liar with the relative params their workers published, and the
 * observations of a search space on each side of the split, with each
 * numeric parameter's rows in sorted order for the bandwidths. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/error.h"
#include "../../lib/json.h"
#include "../../lib/strbuf.h"
#include "../../lib/study.h"
#include "tpe.h"
#include "tpe_history.h"

/* ---- the model's trials --------------------------------------------------- */

/* The relative params another worker published for its RUNNING trial:
 * the JSON object text split over string attrs :0, :1, ... */
static json_t *published_relative_params(const igm_frozen_trial *t)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    json_t *obj = NULL;
    char key[64], *text;
    for (size_t k = 0;; k++) {
        const char *chunk;
        json_t *s;
        snprintf(key, sizeof key, TPE_RELATIVE_PARAMS_KEY "%zu", k);
        if (!(chunk = igm_attr_list_get(&t->system_attrs, key)))
            break;
        s = json_loads(chunk, JSON_DECODE_ANY, NULL);
        if (json_is_string(s))
            igm_strbuf_append(&sb, json_string_value(s));
        json_decref(s);
    }
    if (!sb.len) { /* nothing published (yet) */
        igm_strbuf_release(&sb);
        return NULL;
    }
    if (igm_strbuf_finish(&sb, &text) != IGMOPT_OK || !text)
        return NULL;
    obj = json_loads(text, 0, NULL);
    free(text);
    if (obj && !json_is_object(obj)) {
        json_decref(obj);
        obj = NULL;
    }
    return obj;
}

void tpe_model_free(tpe_model *m)
{
    for (size_t i = 0; i < m->n; i++)
        json_decref(m->trials[i].relative);
    memset(m, 0, sizeof *m);
}

int tpe_model_collect(tpe_model *m, igmopt_study *study, const igm_frozen_trial *current,
                      int constant_liar, igm_arena *arena)
{
    int rc = igm_study_trials(study, &m->all, &m->n_all);
    m->trials = NULL;
    m->n = m->n_finished = 0;
    if (rc || (rc = tpe_history_of(study, &m->history)) ||
        (rc = tpe_history_update(m->history, m->all, m->n_all)))
        return rc;
    if (!(m->trials = igm_arena_array(arena, m->n_all, sizeof *m->trials)))
        return igm_error_nomem();
    for (size_t i = 0; i < m->n_all; i++) {
        const igm_frozen_trial *t = m->all[i];
        tpe_trial *mt = &m->trials[m->n];
        int finished = t->state == IGMOPT_COMPLETE || t->state == IGMOPT_PRUNED;
        if (t->number == current->number ||
            !(finished || (constant_liar && t->state == IGMOPT_RUNNING)))
            continue;
        mt->trial = t;
        mt->slot = i;
        mt->running = !finished;
        mt->violation = finished ? m->history->violation[i] : 0.0;
        mt->below = 0;
        mt->relative = finished ? NULL : published_relative_params(t);
        m->n_finished += finished;
        m->n++;
    }
    return IGMOPT_OK;
}

/* ---- a RUNNING trial's values ------------------------------------------------ */

/* A published (external) value as an internal one of d; 0 if it is not one. */
static int external_to_internal(const json_t *v, const igm_distribution *d, double *out)
{
    if (d->kind != IGM_DIST_CATEGORICAL) {
        if (!json_is_number(v))
            return 0;
        *out = json_number_value(v);
        return d->kind == IGM_DIST_FLOAT || *out == trunc(*out);
    }
    igm_strbuf sb = IGM_STRBUF_INIT;
    int found = 0;
    igm_json_dump_value(&sb, v);
    for (size_t c = 0; sb.data && c < d->n_choices && !found; c++) {
        if (strcmp(d->choices[c], sb.data) == 0) {
            *out = (double)c;
            found = 1;
        }
    }
    igm_strbuf_release(&sb);
    return found;
}

/* Same kind, log flag and number of choices: the cheap part of Optuna's
 * compatibility rule, which the library enforces at suggest time. */
static int usable(igm_dist_kind kind, int log, size_t n_choices, const igm_distribution *want)
{
    return kind == want->kind && log == want->log && n_choices == want->n_choices;
}

/* A RUNNING trial's value of name in kernel coordinates (log for log
 * distributions): its own param, else the relative value its worker
 * published; 0 when it has neither. */
static int running_value(const tpe_trial *mt, const char *name, const igm_distribution *d,
                         double *out)
{
    const igm_param *p = igm_frozen_trial_param(mt->trial, name);
    const json_t *v;
    int ok;
    if (p) {
        *out = p->internal;
        ok = usable(p->distribution->kind, p->distribution->log, p->distribution->n_choices,
                    d) && !isnan(*out);
    } else {
        v = mt->relative ? json_object_get(mt->relative, name) : NULL;
        ok = v && external_to_internal(v, d, out);
    }
    if (ok && d->log)
        *out = log(*out);
    return ok && !isnan(*out);
}

/* ---- observations ------------------------------------------------------------- */

#define NO_ROW ((size_t)-1)

typedef struct running_row {
    double v;
    size_t row;
} running_row;

static int running_less(const running_row *a, const running_row *b)
{
    return a->v < b->v || (a->v == b->v && a->row < b->row);
}

/* Rows of one side by value of parameter j, ties by row: the column's
 * sorted finished trials merged with the side's few RUNNING rows. */
static int sorted_rows(const tpe_model *m, const tpe_column *col, const size_t *row_of,
                       const unsigned char *side_of, int side, const double *rows,
                       size_t n_rows, size_t d, size_t j, igm_arena *arena, size_t **out)
{
    size_t *order = igm_arena_array(arena, n_rows, sizeof *order), n_run = 0, r = 0, n = 0;
    running_row *run = igm_arena_array(arena, n_rows, sizeof *run);
    if (!order || !run)
        return igm_error_nomem();
    for (size_t i = 0; i < m->n; i++) {
        const tpe_trial *mt = &m->trials[i];
        if (!mt->running || side_of[mt->slot] != side)
            continue;
        running_row x = {rows[row_of[mt->slot] * d + j], row_of[mt->slot]};
        size_t at = n_run++;
        for (; at > 0 && running_less(&x, &run[at - 1]); at--)
            run[at] = run[at - 1];
        run[at] = x;
    }
    for (size_t s = 0; col && s < col->n_sorted; s++) {
        size_t slot = col->sorted[s];
        if (side_of[slot] != side)
            continue;
        running_row x = {col->u[slot], row_of[slot]};
        while (r < n_run && running_less(&run[r], &x))
            order[n++] = run[r++].row;
        order[n++] = x.row;
    }
    while (r < n_run)
        order[n++] = run[r++].row;
    *out = order;
    return n == n_rows ? IGMOPT_OK
                       : igm_error(IGMOPT_ESTORAGE, "TPESampler: trial history out of step");
}

/* The history's column of a parameter, if its values are of d's kind. */
static const tpe_column *usable_column(const tpe_history *h, const char *name,
                                       const igm_distribution *d)
{
    const tpe_column *col = tpe_history_column(h, name);
    return col && usable(col->kind, col->log, col->n_choices, d) ? col : NULL;
}

/* Rows of the trials that have every parameter of the space, in trial
 * order, to the side the split put them on (s2.2: the split first, the
 * filter after), in kernel coordinates. */
int tpe_observations_collect(const tpe_model *m, const igm_search_space *space,
                             igm_arena *arena, tpe_observations *o)
{
    size_t d = space->count, *row_of = igm_arena_array(arena, m->n_all, sizeof *row_of);
    unsigned char *side_of = igm_arena_alloc(arena, m->n_all);
    const tpe_column **cols = igm_arena_array(arena, d, sizeof *cols);
    double *row = igm_arena_array(arena, d, sizeof *row);
    int rc = IGMOPT_OK;
    memset(o, 0, sizeof *o);
    for (int side = 0; side < 2; side++) {
        o->rows[side] = igm_arena_array(arena, m->n * d, sizeof *o->rows[side]);
        o->sorted[side] = igm_arena_array(arena, d, sizeof *o->sorted[side]);
        if (!o->rows[side] || !o->sorted[side])
            return igm_error_nomem();
    }
    if (!row_of || !side_of || !cols || !row)
        return igm_error_nomem();
    memset(side_of, TPE_SIDE_NONE, m->n_all);
    for (size_t j = 0; j < d; j++)
        cols[j] = usable_column(m->history, space->names[j], space->dists[j]);
    for (size_t i = 0; i < m->n; i++) {
        const tpe_trial *mt = &m->trials[i];
        int side = mt->below ? TPE_SIDE_BELOW : TPE_SIDE_ABOVE;
        size_t j = 0;
        for (; j < d; j++) {
            if (mt->running ? !running_value(mt, space->names[j], space->dists[j], &row[j])
                            : (!cols[j] || isnan(row[j] = cols[j]->u[mt->slot])))
                break;
        }
        if (j < d)
            continue;
        row_of[mt->slot] = o->n[side];
        side_of[mt->slot] = (unsigned char)side;
        memcpy(o->rows[side] + d * o->n[side]++, row, d * sizeof *row);
    }
    for (int side = 0; rc == IGMOPT_OK && side < 2; side++)
        for (size_t j = 0; rc == IGMOPT_OK && j < d; j++)
            o->sorted[side][j] = NULL;
    for (int side = 0; rc == IGMOPT_OK && side < 2; side++)
        for (size_t j = 0; rc == IGMOPT_OK && j < d; j++)
            if (space->dists[j]->kind != IGM_DIST_CATEGORICAL)
                rc = sorted_rows(m, cols[j], row_of, side_of, side, o->rows[side], o->n[side], d,
                                 j, arena, &o->sorted[side][j]);
    return rc;
}
