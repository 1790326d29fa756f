/* Opening and closing a storage: the URL picks the backend (in-memory or
 * an Optuna SQLite file); every later call goes through its ops table. */
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "storage/storage.h"

#define SQLITE_URL_PREFIX "sqlite:///"

IGMOPT_API int igmopt_storage_open(igmopt_storage **out, const char *url)
{
    if (!out)
        return igm_error(IGMOPT_EINVAL, "igmopt_storage_open: out is NULL");
    *out = NULL;
    if (!url || strcmp(url, ":memory:") == 0)
        return igm_memory_storage_open(out);
    if (strncmp(url, SQLITE_URL_PREFIX, strlen(SQLITE_URL_PREFIX)) == 0)
        return igm_sqlite_storage_open(out, url);
    return igm_error(IGMOPT_EINVAL,
                     "igmopt_storage_open: unsupported storage URL '%s' (use NULL or "
                     "\":memory:\" for in-memory, \"sqlite:///relative.db\" or "
                     "\"sqlite:////absolute/path.db\" for SQLite)",
                     url);
}

IGMOPT_API void igmopt_storage_close(igmopt_storage *st)
{
    if (!st)
        return;
    st->ops->close(st->impl);
    free(st);
}
