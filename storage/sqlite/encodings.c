/* How values sit in Optuna's columns (OPTUNA-STORAGE.md §1.1, §2.1, §2.3,
 * §2.5): the 512-character key limit, direction names, values with their
 * *_type column, and the DATETIME texts writers leave. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "lib/error.h"
#include "storage/sqlite/sqlite_internal.h"

#define MAX_KEY_LEN 512 /* VARCHAR(512), enforced by MySQL/PostgreSQL (§1.1) */

int igm_sqlite_check_key(const char *what, const char *key)
{
    if (!key || strlen(key) > MAX_KEY_LEN)
        return igm_error(IGMOPT_EINVAL, "%s '%.60s%s' must be 1 to %d characters", what,
                         key ? key : "(null)", key && strlen(key) > 60 ? "..." : "",
                         MAX_KEY_LEN);
    return IGMOPT_OK;
}

const char *igm_sqlite_direction_name(igmopt_direction d)
{
    return d == IGMOPT_MAXIMIZE ? "MAXIMIZE" : "MINIMIZE";
}

int igm_sqlite_direction_from_name(const char *name, igmopt_direction *out)
{
    if (name && strcmp(name, "MINIMIZE") == 0)
        *out = IGMOPT_MINIMIZE;
    else if (name && strcmp(name, "MAXIMIZE") == 0)
        *out = IGMOPT_MAXIMIZE;
    else
        return -1;
    return 0;
}

/* NaN only exists for intermediate values; objective values never hold it. */
static const char *value_type_name(double v)
{
    if (isnan(v))
        return "NAN";
    if (isinf(v))
        return v > 0 ? "INF_POS" : "INF_NEG";
    return "FINITE";
}

/* SQLite stores NULL for the non-finite ones; the type column says which. */
void igm_sqlite_bind_typed_value(sqlite3_stmt *st, int value_col, int type_col, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(st, value_col, v);
    else
        sqlite3_bind_null(st, value_col);
    sqlite3_bind_text(st, type_col, value_type_name(v), -1, SQLITE_STATIC);
}

/* Accepts what writers leave in DATETIME columns: with or without a
 * fraction of any length, 'T' or ' ', and a zone suffix that is ignored as
 * SQLAlchemy 1.4 ignores it (§2.5); yields "YYYY-MM-DD HH:MM:SS.ffffff". */
int igm_sqlite_datetime_normalize(const char *text, char out[IGM_DATETIME_LEN])
{
    static const char shape[] = "dddd-dd-dd dd:dd:dd";
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        int ok = shape[i] == 'd' ? isdigit((unsigned char)text[i])
                                 : text[i] == shape[i] || (i == 10 && text[i] == 'T');
        if (!ok)
            return -1;
    }
    memcpy(out, text, 19);
    out[10] = ' ';
    out[19] = '.';
    const char *p = text + 19;
    size_t digits = 0;
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p); p++, digits++)
            if (digits < 6)
                out[20 + digits] = *p;
        if (digits == 0)
            return -1;
    }
    for (size_t i = digits < 6 ? digits : 6; i < 6; i++)
        out[20 + i] = '0';
    out[26] = '\0';
    return *p == '\0' || *p == '+' || *p == '-' || *p == 'Z' ? 0 : -1;
}
