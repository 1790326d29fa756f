/* PolynomialMutation (Deb & Goyal, "A combined genetic adaptive search
 * (GeneAS) for engineering design", 1996; bounded form of Deb's NSGA-II C
 * code revision 1.1.6, as Optuna 5 uses): x moves by delta_q * (hi - lo),
 * delta_q drawn from a polynomial density that stays within the bounds. */
#include <math.h>

#include "crossover.h"

double igm_polynomial_mutation(igm_rng *rng, double x, double lo, double hi, double eta)
{
    double width = hi - lo, power = 1.0 / (eta + 1.0), u = igm_rng_uniform(rng), delta_q;
    if (!(width > 0))
        return x;
    x = fmin(fmax(x, lo), hi); /* keeps the bases below within [0, 1] */
    if (u <= 0.5) {
        double rest = (hi - x) / width; /* 1 - delta1 */
        delta_q = pow(2 * u + (1 - 2 * u) * pow(rest, eta + 1), power) - 1;
    } else {
        double rest = (x - lo) / width; /* 1 - delta2 */
        delta_q = 1 - pow(2 * (1 - u) + 2 * (u - 0.5) * pow(rest, eta + 1), power);
    }
    return fmin(fmax(x + delta_q * width, lo), hi);
}
