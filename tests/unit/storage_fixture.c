#include "storage_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int backend_setup(void **state, int file_based)
{
    backend *b = calloc(1, sizeof *b);
    if (!b)
        return -1;
    b->file_based = file_based;
    strcpy(b->dir, "/tmp/igm-test-storage-XXXXXX");
    if (file_based && !mkdtemp(b->dir)) {
        free(b);
        return -1;
    }
    *state = b;
    return 0;
}

int memory_backend_setup(void **state)
{
    return backend_setup(state, 0);
}

int sqlite_backend_setup(void **state)
{
    return backend_setup(state, 1);
}

int backend_teardown(void **state)
{
    backend *b = *state;
    if (b->file_based)
        rmdir(b->dir);
    free(b);
    return 0;
}

int storage_setup(void **state)
{
    backend *b = *state;
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->b = b;
    strcpy(f->url, ":memory:");
    if (b->file_based) {
        snprintf(f->path, sizeof f->path, "%s/%u.db", b->dir, b->n_files++);
        snprintf(f->url, sizeof f->url, "sqlite:///%s", f->path);
    }
    if (igmopt_storage_open(&f->st, f->url) != IGMOPT_OK) {
        fprintf(stderr, "storage_open(%s): %s\n", f->url, igmopt_errmsg());
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static void remove_database_files(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char name[160];
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
        unlink(name);
    }
}

int storage_teardown(void **state)
{
    fixture *f = *state;
    igmopt_storage_close(f->st);
    if (f->path[0])
        remove_database_files(f->path);
    *state = f->b;
    free(f);
    return 0;
}
