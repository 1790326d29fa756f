/* Checks on the names and keys stored in Optuna's tables: non-empty, at
 * most 512 characters (Optuna's VARCHAR(512)), valid UTF-8 (Python's
 * readers fail on the whole study otherwise). */
#ifndef IGM_NAME_CHECK_H
#define IGM_NAME_CHECK_H

#define IGM_MAX_NAME_LEN 512

/* IGMOPT_OK, or IGMOPT_EINVAL with a message naming `what`. */
int igm_check_name(const char *value, const char *what);
/* 1 when s is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int igm_utf8_valid(const char *s);

#endif
