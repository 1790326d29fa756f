/* Library-wide entry points: version, last error, and freeing what the
 * library handed over. */
#include <stdlib.h>

#include "error.h"

IGMOPT_API const char *igmopt_version(void)
{
    return IGMOPT_VERSION_STRING;
}

IGMOPT_API const char *igmopt_errmsg(void)
{
    return igm_error_message();
}

IGMOPT_API void igmopt_free(void *p)
{
    free(p);
}
