/* The cmocka fixtures shared by the suites that run every scenario once per
 * storage backend: the group state is a backend (in-memory, or a temporary
 * directory for SQLite files), each test's state an open storage on a
 * fresh database of that backend. */
#ifndef TESTS_STORAGE_FIXTURE_H
#define TESTS_STORAGE_FIXTURE_H

#include "igmopt/igmopt.h"

typedef struct backend {
    int file_based;
    char dir[64]; /* temp dir holding one database file per test */
    unsigned n_files;
} backend;

typedef struct fixture {
    backend *b;
    igmopt_storage *st;
    char path[128]; /* "" for the in-memory backend */
    char url[160];
} fixture;

int memory_backend_setup(void **state);
int sqlite_backend_setup(void **state);
int backend_teardown(void **state);
int storage_setup(void **state);
int storage_teardown(void **state);

#endif
