/* Shared by the interop programs: stop on the first library error, and
 * print studies as one JSON document for the Python side to compare. */
#ifndef INTEROP_UTIL_H
#define INTEROP_UTIL_H

#include <stddef.h>

#include "igmopt/igmopt.h"

/* Exits with status 1 and the library's message when rc is an error. */
#define CHECK(call) check_rc((call), #call, __FILE__, __LINE__)
void check_rc(int rc, const char *what, const char *file, int line);

/* The categorical choices of the shared search space: one per JSON type. */
#define INTEROP_CHOICES "[true, 1, 1.0, \"1\", null, \"a\"]"

/* The search space of the "single" studies: one parameter per distribution
 * kind (x, lr, dx, q, n, k, m, c), the same in C and Python. */
void suggest_every_kind(igmopt_trial *t);

/* The search space of the "multi" studies: x and c. */
void suggest_multi_space(igmopt_trial *t);

/* Prints {"names": [...], "studies": {name: {"trials": [...], "best": [...]}}}
 * for the given studies of st. */
void print_studies(igmopt_storage *st, const char *const *names, size_t n);

#endif
