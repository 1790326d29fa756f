/* Pieces the benchmarks share. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include "igmopt/igmopt.h"

/* One trial as a user writes it (ask, suggest x, log lr and int n, tell a
 * cheap objective): the trial of bench/ask_tell and bench/tpe_speed, and
 * of their Python twins.  On failure *failed_call names the call. */
int bench_user_trial(igmopt_study *study, const char **failed_call);

/* qsort order of doubles. */
int bench_cmp_double(const void *a, const void *b);

/* Removes a SQLite database with its side files, then its directory. */
void bench_remove_db(const char *dir, const char *db);

#endif
