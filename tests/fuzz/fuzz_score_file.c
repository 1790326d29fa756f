/* libFuzzer target for the score-file reader: the input is the content of
 * a trial's _igm_score.json.  Every input must give either both objectives
 * as finite numbers or a reason the trial fails, with no crash, leak or
 * sanitizer report. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "igmopt/igmopt.h"
#include "lib/score_file.h"

static const char *const objectives[] = {"cost_volume", "cost_speed"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    double values[2];
    char *reason = NULL;
    int rc = igm_score_file_read_buffer((const char *)data, size, "_igm_score.json",
                                        objectives, 2, values, &reason);
    if (rc == IGMOPT_OK && (reason || !isfinite(values[0]) || !isfinite(values[1])))
        abort();
    if (rc == 1 && (!reason || !reason[0]))
        abort();
    if (rc != IGMOPT_OK && rc != 1)
        abort(); /* the only other result, IGMOPT_ENOMEM, is not expected here */
    free(reason);
    return 0;
}
