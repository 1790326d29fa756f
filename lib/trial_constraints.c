/* Constraint violation of a trial from its system attrs (shared by TPE and
 * the genetic samplers). */
#include "trial_constraints.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Adds max(0, c) for every number of a JSON number or list text; a token
 * that is not a number (null, a string) counts as NaN. */
static double violation_of_json(const char *s)
{
    double sum = 0;
    while (*s) {
        char *end;
        double c;
        if (strchr("[], \t\n\r", *s)) {
            s++;
            continue;
        }
        c = strtod(s, &end); /* also NaN, Infinity and -Infinity */
        if (end == s)
            return NAN;
        sum += c > 0 ? c : (isnan(c) ? NAN : 0.0);
        s = end;
    }
    return sum;
}

double igm_trial_violation(const igm_frozen_trial *t, int *has)
{
    double sum = 0;
    int found = 0;
    for (size_t i = 0; i < t->system_attrs.count; i++) {
        const igm_attr *a = &t->system_attrs.items[i];
        if (strncmp(a->key, "constraints", 11) != 0 || (a->key[11] && a->key[11] != ':'))
            continue;
        found = 1;
        sum += violation_of_json(a->value_json);
    }
    if (has)
        *has = found;
    return sum;
}
