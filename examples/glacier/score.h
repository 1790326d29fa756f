/* The score file IGM's igm_run leaves in the run directory: json.dump of
 * state.score, here the three costs of IGM's eval_objective example. */
#ifndef GLACIER_SCORE_H
#define GLACIER_SCORE_H

#define SCORE_FILE "_igm_score.json"

struct score {
    double cost_volume;    /* |volume_km3 - target_volume| */
    double cost_speed;     /* |max surface speed - target_max_speed| */
    double cost_thickness; /* |max thickness - target_max_thk| */
};

/* Writes path atomically (a temporary file renamed over it), so a reader
 * never sees half a file. Returns 0, or -1 with a message on stderr. */
int score_write(const char *path, const struct score *s);

#endif
