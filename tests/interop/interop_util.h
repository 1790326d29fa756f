/* Shared by the interop programs: stop on the first library error, and
 * print studies as one JSON document for the Python side to compare. */
#ifndef INTEROP_UTIL_H
#define INTEROP_UTIL_H

#include <stddef.h>

#include "igmopt/igmopt.h"

/* Exits with status 1 and the library's message when rc is an error. */
#define CHECK(call) check_rc((call), #call, __FILE__, __LINE__)
void check_rc(int rc, const char *what, const char *file, int line);

/* Prints {"names": [...], "studies": {name: {"trials": [...], "best": [...]}}}
 * for the given studies of st. */
void print_studies(igmopt_storage *st, const char *const *names, size_t n);

#endif
