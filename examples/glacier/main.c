/* glacier_sim: a small stand-in for IGM's igm_run. Takes Hydra-style
 * overrides, grows a valley glacier for a few hundred years, and scores it
 * against targets like IGM's eval_objective example, in _igm_score.json. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "model.h"
#include "score.h"

/* Hydra (with IGM's hydra.job.chdir: True) creates the run dir and runs there. */
static int enter_run_dir(const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        fprintf(stderr, "glacier_sim: hydra.run.dir is too long\n");
        return -1;
    }
    for (char *p = path + 1;; p++) {
        int last = *p == '\0';
        if (*p == '/' || last) {
            *p = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST) {
                fprintf(stderr, "glacier_sim: cannot create %s: %s\n", path, strerror(errno));
                return -1;
            }
            if (last)
                break;
            *p = '/';
        }
    }
    if (chdir(path) != 0) {
        fprintf(stderr, "glacier_sim: cannot enter %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void print_log(const struct run_config *cfg, const struct model_result *r,
                      const struct score *s)
{
    const struct model_params *m = &cfg->model;
    printf("glacier_sim: slidingco %g MPa m^-1/3 a^1/3, arrhenius %g MPa^-3 a^-1, ELA %g m\n",
           m->slidingco, m->arrhenius, m->ela);
    printf("glacier_sim: simulated %g years (%g to %g) in %ld steps\n", r->years, m->time_start,
           m->time_end, r->steps);
    printf("glacier_sim: volume %.4f km3, max surface speed %.3f m/a, max thickness %.3f m\n",
           r->volume_km3, r->max_speed, r->max_thk);
    printf("glacier_sim: area %.2f km2, length %.1f km\n", r->area_km2, r->length_km);
    if (r->touches_edge)
        printf("glacier_sim: note: the tongue reached the end of the domain; ice flowing out "
               "of it is not counted\n");
    printf("glacier_sim: cost_volume %.6g, cost_speed %.6g, cost_thickness %.6g -> %s\n",
           s->cost_volume, s->cost_speed, s->cost_thickness, SCORE_FILE);
}

int main(int argc, char **argv)
{
    struct run_config cfg;
    run_config_defaults(&cfg);
    int parsed = run_config_parse(&cfg, argc, argv);
    if (parsed != 0)
        return parsed > 0 ? 0 : 1;
    if (cfg.run_dir && enter_run_dir(cfg.run_dir) != 0)
        return 1;
    /* A score left by an earlier run must not outlive a failure of this one. */
    if (unlink(SCORE_FILE) != 0 && errno != ENOENT) {
        fprintf(stderr, "glacier_sim: cannot remove the old %s: %s\n", SCORE_FILE,
                strerror(errno));
        return 1;
    }
    struct model_result r;
    if (model_run(&cfg.model, &r) != 0)
        return 1;
    struct score s = {fabs(r.volume_km3 - cfg.target.volume),
                      fabs(r.max_speed - cfg.target.max_speed),
                      fabs(r.max_thk - cfg.target.max_thk)};
    print_log(&cfg, &r, &s);
    return score_write(SCORE_FILE, &s) == 0 ? 0 : 1;
}
