/* Writes _igm_score.json the way Python's json.dump writes IGM's score dict:
 * {"name": value, ...} with floats in repr form, via temp file + rename. */
#include "score.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Python's float repr: the fewest digits that read back exactly, positional
 * for 1e-4 <= |x| < 1e16 (always with a decimal point), else exponential. */
static void format_float(char *buf, size_t size, double x)
{
    int digits;
    for (digits = 1;; digits++) {
        snprintf(buf, size, "%.*e", digits - 1, x);
        if (digits == 17 || strtod(buf, NULL) == x)
            break;
    }
    int exp10 = x == 0.0 ? 0 : atoi(strchr(buf, 'e') + 1);
    if (exp10 < -4 || exp10 >= 16)
        return;
    int decimals = digits - 1 - exp10;
    snprintf(buf, size, "%.*f", decimals > 1 ? decimals : 1, x);
}

int score_write(const char *path, const struct score *s)
{
    char tmp[4096], volume[32], speed[32], thickness[32];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    format_float(volume, sizeof volume, s->cost_volume);
    format_float(speed, sizeof speed, s->cost_speed);
    format_float(thickness, sizeof thickness, s->cost_thickness);

    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "glacier_sim: cannot create %s: %s\n", tmp, strerror(errno));
        return -1;
    }
    fprintf(f, "{\"cost_volume\": %s, \"cost_speed\": %s, \"cost_thickness\": %s}", volume,
            speed, thickness);
    int failed = fflush(f) != 0 || fsync(fileno(f)) != 0;
    failed |= fclose(f) != 0;
    if (failed || rename(tmp, path) != 0) {
        fprintf(stderr, "glacier_sim: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
