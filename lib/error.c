/* The calling thread's last error message (igmopt_errmsg) and the helpers
 * internal code uses to set it. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define IGM_ERROR_MAX 1024

static _Thread_local char last_error[IGM_ERROR_MAX];

static int has_control_char(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* A message is one line whatever it quotes (a value with a newline, an
 * escape sequence), escaped as the runner's log lines are.  A backslash is
 * left alone, so a message that holds an earlier one is not escaped twice.
 * Out of memory, it stays as it is. */
static void keep_on_one_line(void)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *escaped;
    if (!has_control_char(last_error))
        return;
    igm_strbuf_append_escaped(&sb, last_error, strlen(last_error));
    if (igm_strbuf_finish(&sb, &escaped) != IGMOPT_OK)
        return;
    snprintf(last_error, sizeof last_error, "%s", escaped);
    free(escaped);
}

int igm_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    keep_on_one_line();
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
    keep_on_one_line();
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
