/* The cheapest possible trial for bench/runner_overhead: writes a score
 * file in its working directory and exits. */
#include <stdio.h>

int main(void)
{
    FILE *f = fopen("_igm_score.json", "w");
    if (!f)
        return 1;
    fputs("{\"cost\": 0.5}\n", f);
    return fclose(f) == 0 ? 0 : 1;
}
