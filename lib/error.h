/* The thread's last error: every failing internal call records its message
 * here and returns the status, so the public API only forwards codes. */
#ifndef IGM_ERROR_H
#define IGM_ERROR_H

#include "igmopt/igmopt.h"

#if defined(__GNUC__)
#define IGM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define IGM_PRINTF(a, b)
#endif

/* Records the message and returns code (so: return igm_error(...)). */
int igm_error(int code, const char *fmt, ...) IGM_PRINTF(2, 3);
int igm_error_nomem(void);
/* Prefixes the current message with "context: ". Returns code. */
int igm_error_wrap(int code, const char *fmt, ...) IGM_PRINTF(2, 3);
void igm_error_clear(void);
const char *igm_error_message(void);

#endif
