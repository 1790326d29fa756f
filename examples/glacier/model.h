/* The glacier model: a shallow-ice-approximation (SIA) valley glacier on a
 * fixed synthetic bed, grown from zero ice under an ELA-based surface mass
 * balance. Owns the grid, the bed, the time stepping and the diagnostics. */
#ifndef GLACIER_MODEL_H
#define GLACIER_MODEL_H

struct model_params {
    double slidingco; /* Weertman coefficient C, MPa m^-1/3 a^1/3 (IGM init_slidingco) */
    double arrhenius; /* Glen's rate factor A, MPa^-3 a^-1 (IGM init_arrhenius) */
    double gradabl;   /* SMB gradient below the ELA, m ice a^-1 per m */
    double gradacc;   /* SMB gradient above the ELA, m ice a^-1 per m */
    double ela;       /* equilibrium-line altitude, m */
    double accmax;    /* cap on accumulation, m ice a^-1 */
    double time_start, time_end; /* years */
};

struct model_result {
    double volume_km3;
    double max_speed;     /* max surface speed, m a^-1 */
    double max_thk;       /* max ice thickness, m */
    double area_km2;      /* ice-covered area (H > 1 m) */
    double length_km;     /* from the head to the furthest ice cell */
    int touches_edge;     /* the tongue (H > 1 m) reached the domain's far end */
    double years;         /* simulated time */
    long steps;
};

/* Integrates from zero ice over [time_start, time_end]. Returns 0, or -1 with
 * a message on stderr (out of memory, or a non-finite thickness). */
int model_run(const struct model_params *p, struct model_result *out);

#endif
