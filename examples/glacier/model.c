/* SIA valley glacier: synthetic bed, ELA mass balance, explicit time stepping
 * and end-of-run diagnostics (volume, max surface speed, max thickness). */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Grid: NX cells along the valley (x, flow direction), NY across, DX metres. */
enum { NX = 60, NY = 23 };
static const double DX = 400.0;

/* Bed: exponential long profile, a steep cirque at x = 0 flattening to a
 * sloping valley floor, plus a parabolic (U-shaped) cross-section. L_HEAD
 * and WALL are tuned so that the "true" parameters (slidingco 0.1,
 * arrhenius 78, ELA 2900 m) give 18.0 km^3 and 200 m/a, the seed targets. */
static const double Z_END = 1260.0;   /* valley floor at the far end, m */
static const double Z_HEAD = 1700.0;  /* extra height of the cirque head, m */
static const double L_HEAD = 11315.0; /* e-folding length of the long profile, m */
static const double FLOOR_SLOPE = 0.04;
static const double WALL = 630.5;     /* wall height at the domain's sides, m */

static const double RHO_G = 917.0 * 9.81 * 1e-6; /* rho_ice g, MPa m^-1 */
static const double DT_MAX = 1.0;                /* years; bounds the SMB step */
static const double CFL = 0.8;                   /* fraction of the stability limit */

struct grid {
    double *bed, *thk, *surf, *smb, *qx, *qy;
};

static size_t at(int i, int j) { return (size_t)j * NX + (size_t)i; }

static double bed_elevation(double x, double y)
{
    double across = (y - 0.5 * NY * DX) / (0.5 * NY * DX); /* -1 .. 1 */
    return Z_END + FLOOR_SLOPE * (NX * DX - x) + Z_HEAD * exp(-x / L_HEAD) +
           WALL * across * across;
}

static int grid_alloc(struct grid *g)
{
    const size_t n = (size_t)NX * NY;
    double *block = calloc(6 * n, sizeof *block);
    if (!block)
        return -1;
    g->bed = block;
    g->thk = block + n;
    g->surf = block + 2 * n;
    g->smb = block + 3 * n;
    g->qx = block + 4 * n;
    g->qy = block + 5 * n;
    for (int j = 0; j < NY; j++)
        for (int i = 0; i < NX; i++)
            g->bed[at(i, j)] = bed_elevation((i + 0.5) * DX, (j + 0.5) * DX);
    return 0;
}

/* IGM's smb_simple: linear in (surface - ELA), with separate ablation and
 * accumulation gradients, accumulation capped at accmax (m ice a^-1). */
static double mass_balance(const struct model_params *p, double surf)
{
    double b = surf < p->ela ? p->gradabl * (surf - p->ela) : p->gradacc * (surf - p->ela);
    return b < p->accmax ? b : p->accmax;
}

/* Shallow-ice approximation (Hutter 1983; Cuffey & Paterson 2010) with
 * Glen's flow law, strain rate = A tau^n, n = 3, A in IGM's MPa^-3 a^-1
 * (78 for temperate ice; IGM's init_arrhenius), and Weertman sliding
 * tau_b = C |u_b|^(1/3), C in MPa m^-1/3 a^1/3 (IGM's init_slidingco).
 * With tau = rho g H |grad s| and u_b = (tau / C)^3:
 *   flux             q   = -(2A/(n+2) tau^n H^2 + u_b H) grad s / |grad s|
 *   surface velocity u_s = -(2A/(n+1) tau^n H   + u_b)   grad s / |grad s|
 * For n = 3 both are polynomials in H and grad s, e.g. q = -D grad s with
 * D = H^4 |grad s|^2 (flux_deform H + slide). */
struct flow_law {
    double flux_deform;    /* 2A/(n+2) (rho g)^n */
    double surface_deform; /* 2A/(n+1) (rho g)^n */
    double slide;          /* (rho g / C)^3 */
};

static struct flow_law flow_law_of(const struct model_params *p)
{
    double rg3 = RHO_G * RHO_G * RHO_G, c = p->slidingco;
    return (struct flow_law){0.4 * p->arrhenius * rg3, 0.5 * p->arrhenius * rg3,
                             rg3 / (c * c * c)};
}

/* A cell face: thickness averaged from its two cells, slope along it from
 * them and across it averaged over the four cells beside them. The face
 * joins cell c and c + step (step 1: x face, NX: y face). */
struct face {
    double thk, along, grad2;
};

static inline struct face face_at(const struct grid *g, size_t c, size_t step)
{
    const double *s = g->surf;
    size_t n = c + step, side = step == 1 ? NX : 1;
    double along = (s[n] - s[c]) / DX;
    double across = (s[c + side] + s[n + side] - s[c - side] - s[n - side]) / (4 * DX);
    return (struct face){0.5 * (g->thk[c] + g->thk[n]), along, along * along + across * across};
}

static double diffusivity(const struct flow_law *law, struct face f)
{
    double h2 = f.thk * f.thk;
    return h2 * h2 * f.grad2 * (law->flux_deform * f.thk + law->slide);
}

/* Surface velocity component along the face normal. */
static double surface_velocity(const struct flow_law *law, struct face f)
{
    double h3 = f.thk * f.thk * f.thk;
    return -h3 * f.grad2 * f.along * (law->surface_deform * f.thk + law->slide);
}

/* Sets *q to the flux through the face from cell c to c + step; returns D. */
static double face_flux(const struct flow_law *law, const struct grid *g, size_t c, size_t step,
                        double *q)
{
    if (g->thk[c] == 0.0 && g->thk[c + step] == 0.0) {
        *q = 0.0; /* most of the valley is ice-free: skip the arithmetic */
        return 0.0;
    }
    struct face f = face_at(g, c, step);
    double d = diffusivity(law, f);
    *q = -d * f.along;
    return d;
}

/* Fluxes on the faces between interior cells. The head and the valley sides
 * are closed (no flux); the far end is open: the last column is a ghost copy
 * of its neighbour, so ice leaves without a cliff. Returns the largest D. */
static double face_fluxes(const struct flow_law *law, struct grid *g)
{
    double dmax = 0.0;
    for (int j = 1; j < NY - 1; j++)
        for (int i = 1; i < NX - 1; i++) {
            double d = face_flux(law, g, at(i, j), 1, &g->qx[at(i, j)]);
            dmax = d > dmax ? d : dmax;
        }
    for (int j = 1; j < NY - 2; j++)
        for (int i = 1; i < NX - 1; i++) {
            double d = face_flux(law, g, at(i, j), NX, &g->qy[at(i, j)]);
            dmax = d > dmax ? d : dmax;
        }
    return dmax;
}

/* Surface elevation everywhere, after refreshing the ghost column. */
static void update_surface(struct grid *g)
{
    for (int j = 0; j < NY; j++)
        g->thk[at(NX - 1, j)] = g->thk[at(NX - 2, j)];
    for (size_t c = 0; c < (size_t)NX * NY; c++)
        g->surf[c] = g->bed[c] + g->thk[c];
}

/* One explicit step of dH/dt = b - div q; negative thickness is ablation of
 * ice-free ground and is set to zero. Returns the step taken. */
static double step(const struct model_params *p, const struct flow_law *law, struct grid *g,
                   double dt_left)
{
    update_surface(g);
    for (size_t c = 0; c < (size_t)NX * NY; c++)
        g->smb[c] = mass_balance(p, g->surf[c]);
    double dmax = face_fluxes(law, g);
    /* Linearised, the SIA spreads a thickness bump with n D along the flow
     * (q grows as |grad s|^n) and D across it, so the explicit 5-point
     * scheme is stable for dt <= dx^2 / (2 (n + 1) D_max). */
    double dt = dmax > 0.0 ? CFL * DX * DX / (8.0 * dmax) : DT_MAX;
    dt = fmin(fmin(dt, DT_MAX), dt_left);
    for (int j = 1; j < NY - 1; j++)
        for (int i = 1; i < NX - 1; i++) {
            size_t c = at(i, j);
            double div = (g->qx[c] - g->qx[c - 1] + g->qy[c] - g->qy[c - NX]) / DX;
            double h = g->thk[c] + dt * (g->smb[c] - div);
            g->thk[c] = h > 0.0 ? h : 0.0;
        }
    return dt;
}

/* Largest surface speed; a cell's velocity is the mean of its two faces'
 * in each direction, as on IGM's staggered grid (a cell-centred slope would
 * reach across the ice front and invent a fast cliff). */
static double max_surface_speed(const struct flow_law *law, const struct grid *g)
{
    double vmax = 0.0;
    for (int j = 1; j < NY - 1; j++)
        for (int i = 1; i < NX - 1; i++) {
            size_t c = at(i, j);
            if (g->thk[c] <= 0.0)
                continue;
            double u = 0.5 * (surface_velocity(law, face_at(g, c - 1, 1)) +
                              surface_velocity(law, face_at(g, c, 1)));
            double v = 0.5 * (surface_velocity(law, face_at(g, c - NX, NX)) +
                              surface_velocity(law, face_at(g, c, NX)));
            double speed = sqrt(u * u + v * v);
            vmax = speed > vmax ? speed : vmax;
        }
    return vmax;
}

/* Volume, extent and maxima over the interior cells (not the ghost column). */
static void diagnose(const struct flow_law *law, struct grid *g, struct model_result *out)
{
    double sum = 0.0, hmax = 0.0, xmax = 0.0;
    long icy = 0;
    update_surface(g);
    for (int j = 1; j < NY - 1; j++)
        for (int i = 1; i < NX - 1; i++) {
            double h = g->thk[at(i, j)];
            sum += h;
            hmax = fmax(h, hmax);
            if (h > 1.0) {
                icy++;
                xmax = fmax(xmax, (i + 1) * DX);
            }
        }
    out->volume_km3 = sum * DX * DX / 1e9;
    out->max_thk = hmax;
    out->area_km2 = (double)icy * DX * DX / 1e6;
    out->length_km = xmax / 1e3;
    out->touches_edge = xmax >= (NX - 1) * DX;
    out->max_speed = max_surface_speed(law, g);
}

int model_run(const struct model_params *p, struct model_result *out)
{
    struct grid g;
    if (grid_alloc(&g) != 0) {
        fprintf(stderr, "glacier_sim: out of memory\n");
        return -1;
    }
    const struct flow_law law = flow_law_of(p);
    double t = p->time_start;
    long steps = 0;
    while (t < p->time_end) {
        t += step(p, &law, &g, p->time_end - t);
        steps++;
    }
    diagnose(&law, &g, out);
    out->years = t - p->time_start;
    out->steps = steps;
    free(g.bed);
    if (!isfinite(out->volume_km3) || !isfinite(out->max_speed)) {
        fprintf(stderr, "glacier_sim: the ice thickness became non-finite after %ld steps\n",
                steps);
        return -1;
    }
    return 0;
}
