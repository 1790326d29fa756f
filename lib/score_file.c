/* Reading a trial's score file.  jansson cannot hold the NaN/Infinity
 * tokens Python's json.dump writes, so the object is walked with the
 * lib/json.c scanner and only the objectives' numbers are converted. */
#include "score_file.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "file_kind.h"
#include "json.h"

#define SCORE_FILE_MAX (16u << 20) /* a score dict, not a data set */
#define NO_REASON 0
#define HAS_REASON 1

typedef struct span {
    const char *start; /* NULL: absent */
    size_t len;
} span;

static int set_reason(char **reason, const char *fmt, ...) IGM_PRINTF(2, 3);

static int set_reason(char **reason, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vasprintf(reason, fmt, ap);
    va_end(ap);
    if (n < 0) {
        *reason = NULL;
        return igm_error_nomem();
    }
    return HAS_REASON;
}

typedef enum read_status {
    READ_OK,
    READ_FAILED,      /* errno says why */
    READ_NOT_REGULAR, /* a FIFO, a device, a directory, ... */
    READ_TOO_LARGE    /* more than SCORE_FILE_MAX bytes */
} read_status;

/* The file, NUL-terminated, reading at most SCORE_FILE_MAX + 1 bytes.  The
 * size fstat gave is only a first guess: the file may still grow. */
static read_status read_capped(int fd, off_t size_hint, char **text, size_t *len)
{
    size_t cap = (size_t)(size_hint < (off_t)SCORE_FILE_MAX ? size_hint : SCORE_FILE_MAX) + 1;
    char *buf = malloc(cap + 1), *bigger;
    ssize_t got;
    *len = 0;
    while (buf && *len <= SCORE_FILE_MAX) {
        if (*len == cap) {
            cap = cap > SCORE_FILE_MAX / 2 ? SCORE_FILE_MAX + 1 : 2 * cap;
            if (!(bigger = realloc(buf, cap + 1))) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
        }
        got = read(fd, buf + *len, cap - *len);
        if (got == 0) {
            buf[*len] = '\0';
            *text = buf;
            return READ_OK;
        }
        if (got < 0 && errno != EINTR) {
            int saved = errno;
            free(buf);
            errno = saved;
            return READ_FAILED;
        }
        *len += got > 0 ? (size_t)got : 0;
    }
    if (!buf) {
        errno = ENOMEM;
        return READ_FAILED;
    }
    free(buf);
    return READ_TOO_LARGE;
}

/* The whole file, NUL-terminated.  A trial may leave anything under the
 * score file's name: open() of a FIFO waits for a writer forever and a
 * link to /dev/zero never ends, so only a regular file is opened (stat
 * first, so no device is ever opened), the open cannot wait (O_NONBLOCK,
 * in case the name changed meanwhile) and the read is capped.  Symlinks
 * are followed: the trial runs as the same user, so a link to a regular
 * file (e.g. into a Hydra output directory) reveals nothing new. */
static read_status read_small_file(const char *path, char **text, size_t *len,
                                   mode_t *mode)
{
    struct stat st;
    read_status status;
    int fd, saved_errno;
    *text = NULL;
    if (stat(path, &st) != 0)
        return READ_FAILED;
    *mode = st.st_mode;
    if (!S_ISREG(st.st_mode))
        return READ_NOT_REGULAR;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0)
        return READ_FAILED;
    if (fstat(fd, &st) != 0) {
        status = READ_FAILED;
    } else if (!S_ISREG(st.st_mode)) {
        *mode = st.st_mode;
        status = READ_NOT_REGULAR;
    } else {
        status = read_capped(fd, st.st_size, text, len);
    }
    saved_errno = errno;
    close(fd);
    errno = saved_errno;
    return status;
}

static const char *skip_space(const char *p)
{
    return p + strspn(p, " \t\r\n");
}

static int not_json_reason(char **reason, const char *shown, const char *text, size_t len)
{
    const char *end;
    if (strlen(text) != len)
        return set_reason(reason, "score file %s truncated or not JSON: it holds NUL bytes",
                          shown);
    if (*skip_space(text) == '\0')
        return set_reason(reason, "score file %s truncated or not JSON: the file is empty",
                          shown);
    if (igm_json_scan(text, &end) != 0 && *end == '\0')
        return set_reason(reason, "score file %s truncated or not JSON: the text ends "
                          "inside a value after %zu bytes", shown, len);
    if (igm_json_scan(text, &end) != 0)
        return set_reason(reason, "score file %s truncated or not JSON: invalid JSON at "
                          "byte %ld", shown, (long)(end - text));
    if (*skip_space(end) != '\0')
        return set_reason(reason, "score file %s truncated or not JSON: extra text at byte "
                          "%ld", shown, (long)(skip_space(end) - text));
    return NO_REASON;
}

/* Does the scanned JSON string token spell name? */
static int key_is(const char *start, size_t len, const char *name, int *equal)
{
    json_error_t err;
    json_t *v = json_loadb(start, len, JSON_DECODE_ANY, &err);
    *equal = v && json_is_string(v) && strcmp(json_string_value(v), name) == 0;
    json_decref(v);
    /* jansson refuses "\u0000" in keys: such a key is simply no objective */
    return v || json_error_code(&err) != json_error_out_of_memory ? IGMOPT_OK
                                                                  : igm_error_nomem();
}

/* Finds each objective's value in a validated JSON object (last
 * duplicate wins, as in Python). */
static int find_objectives(const char *text, const char *const *objectives, size_t n,
                           span *found)
{
    const char *p = skip_space(text) + 1, *key, *end;
    size_t key_len;
    int equal, rc = IGMOPT_OK;
    while (rc == IGMOPT_OK && *(p = skip_space(p)) == '"') {
        key = p;
        igm_json_scan(p, &end);
        key_len = (size_t)(end - p);
        p = skip_space(skip_space(end) + 1); /* past ':' */
        igm_json_scan(p, &end);
        for (size_t i = 0; rc == IGMOPT_OK && i < n; i++)
            if ((rc = key_is(key, key_len, objectives[i], &equal)) == IGMOPT_OK && equal)
                found[i] = (span){p, (size_t)(end - p)};
        p = skip_space(end);
        p += *p == ',';
    }
    return rc;
}

static const char *json_kind(char first)
{
    switch (first) {
    case '"': return "a string";
    case '[': return "a list";
    case '{': return "an object";
    case 'n': return "null";
    case 't':
    case 'f': return "a bool";
    default: return "a number";
    }
}

static int number_of(const span *v, const char *name, double *out, char **reason)
{
    char *token;
    if (!strchr("-0123456789NI", v->start[0]))
        return set_reason(reason, "objective '%s' is not a number (it is %s)", name,
                          json_kind(v->start[0]));
    if (!(token = strndup(v->start, v->len)))
        return igm_error_nomem();
    igm_json_read_double(token, out); /* the scanner already checked the syntax */
    free(token);
    if (isnan(*out))
        return set_reason(reason, "objective '%s' is NaN", name);
    if (isinf(*out))
        return set_reason(reason, "objective '%s' is infinite", name);
    return NO_REASON;
}

static int values_of(const char *text, const char *shown, const char *const *objectives,
                     size_t n, double *values, char **reason)
{
    span *found;
    int rc = NO_REASON;
    if (*skip_space(text) != '{')
        return set_reason(reason, "score file %s holds %s, not an object of named scores",
                          shown, json_kind(*skip_space(text)));
    if (!(found = calloc(n ? n : 1, sizeof *found)))
        return igm_error_nomem();
    rc = find_objectives(text, objectives, n, found);
    for (size_t i = 0; rc == NO_REASON && i < n; i++) {
        if (!found[i].start)
            rc = set_reason(reason, "score file %s lacks objective '%s'", shown,
                            objectives[i]);
        else
            rc = number_of(&found[i], objectives[i], &values[i], reason);
    }
    free(found);
    return rc;
}

int igm_score_file_read_buffer(const char *text, size_t len, const char *shown_name,
                               const char *const *objectives, size_t n, double *values,
                               char **reason)
{
    char *copy; /* the scanner stops at a NUL, so the text gets one */
    int rc;
    *reason = NULL;
    if (len > SCORE_FILE_MAX)
        return set_reason(reason, "score file %s is larger than %u MiB", shown_name,
                          SCORE_FILE_MAX >> 20);
    if (!(copy = malloc(len + 1)))
        return igm_error_nomem();
    memcpy(copy, text, len);
    copy[len] = '\0';
    rc = not_json_reason(reason, shown_name, copy, len);
    if (rc == NO_REASON)
        rc = values_of(copy, shown_name, objectives, n, values, reason);
    free(copy);
    return rc;
}

int igm_score_file_read(const char *path, const char *shown_name,
                        const char *const *objectives, size_t n, double *values,
                        char **reason)
{
    size_t len = 0;
    char *text;
    mode_t mode = 0;
    int rc;
    *reason = NULL;
    switch (read_small_file(path, &text, &len, &mode)) {
    case READ_OK:
        break;
    case READ_NOT_REGULAR:
        return set_reason(reason, "score file %s is not a regular file (it is %s)", shown_name,
                          igm_file_kind(mode));
    case READ_TOO_LARGE:
        return set_reason(reason, "score file %s is larger than %u MiB", shown_name,
                          SCORE_FILE_MAX >> 20);
    case READ_FAILED:
        if (errno == ENOMEM)
            return igm_error_nomem();
        if (errno == ENOENT)
            return set_reason(reason, "score file %s missing", shown_name);
        return set_reason(reason, "score file %s unreadable: %s", shown_name,
                          strerror(errno));
    }
    rc = igm_score_file_read_buffer(text, len, shown_name, objectives, n, values, reason);
    free(text);
    return rc;
}
