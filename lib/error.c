/* The calling thread's last error message (igmopt_errmsg) and the helpers
 * internal code uses to set it. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define IGM_ERROR_MAX 1024

static _Thread_local char last_error[IGM_ERROR_MAX];

int igm_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return code;
}

int igm_error_nomem(void)
{
    return igm_error(IGMOPT_ENOMEM, "out of memory");
}

int igm_error_wrap(int code, const char *fmt, ...)
{
    char prefix[IGM_ERROR_MAX];
    char previous[IGM_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(previous, last_error, sizeof previous);
    snprintf(last_error, sizeof last_error, "%.500s: %.500s", prefix, previous);
    return code;
}

void igm_error_clear(void)
{
    last_error[0] = '\0';
}

const char *igm_error_message(void)
{
    return last_error;
}
