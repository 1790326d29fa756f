/* The score file a trial writes (IGM: _igm_score.json, json.dump of
 * state.score), read into the study's objective values. */
#ifndef IGM_SCORE_FILE_H
#define IGM_SCORE_FILE_H

#include <stddef.h>

/* Reads path, a JSON object that must hold every name in objectives as a
 * finite number (Python's NaN/Infinity tokens parse, then fail the trial).
 * Returns IGMOPT_OK with values[i] for objectives[i]; or 1 with *reason
 * (malloc'd) saying why the trial fails, e.g. "score file _igm_score.json
 * missing", "objective 'cost' is NaN"; or IGMOPT_ENOMEM.  shown_name is the
 * file name used in reasons. */
int igm_score_file_read(const char *path, const char *shown_name,
                        const char *const *objectives, size_t n, double *values,
                        char **reason);

/* igm_score_file_read on the file's content in memory: len bytes at text,
 * which need not end in a NUL (fuzzing, tests). */
int igm_score_file_read_buffer(const char *text, size_t len, const char *shown_name,
                               const char *const *objectives, size_t n, double *values,
                               char **reason);

#endif
