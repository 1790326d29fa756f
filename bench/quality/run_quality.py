#!/usr/bin/python3
"""Sampler quality: libigmopt (bench/quality) beside Optuna, in one run.

For every benchmark function and sampler, runs N seeded studies of B trials
on both sides -- the C driver build/bench/quality, and the same objective in
Optuna through trial.suggest_* (same names, ranges and order, same seeds,
same budget) -- and prints, per function and sampler, the median and
quartiles of the best value (one objective, lower is better) or of the
hypervolume of the final Pareto front (several objectives, higher is
better), the ratio, and which side wins.

    ninja -C build && /usr/bin/python3 bench/quality/run_quality.py
    /usr/bin/python3 bench/quality/run_quality.py --quick --functions branin,zdt1

Needs Optuna (Debian's python3-optuna, 3.1.0, hence /usr/bin/python3).  Not a
test: it prints numbers and exits 0 unless a side crashes.  Formulas,
reference points and budgets: bench/quality/README.md.
"""
import argparse
import json
import math
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time

# One BLAS thread per worker: two workers on two CPUs, no oversubscription.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_QUALITY = os.path.join(HERE, "..", "..", "build", "bench", "quality")


# ---------------------------------------------------------------------------
# The benchmark functions, as bench/quality/functions.c defines them.
# ---------------------------------------------------------------------------

def suggest_box(trial, n, low, high):
    return [trial.suggest_float("x%d" % i, low, high) for i in range(n)]


def branin(trial):
    x = trial.suggest_float("x", -5.0, 10.0)
    y = trial.suggest_float("y", 0.0, 15.0)
    b, c, r, s, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6.0, 10.0, 1 / (8 * math.pi)
    return (y - b * x * x + c * x - r) ** 2 + s * (1 - t) * math.cos(x) + s


HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
              [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
              [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def hartmann6(trial):
    x = suggest_box(trial, 6, 0.0, 1.0)
    total = 0.0
    for alpha, a, p in zip(HARTMANN_ALPHA, HARTMANN_A, HARTMANN_P):
        total += alpha * math.exp(-sum(aj * (xj - pj * 1e-4) ** 2
                                       for aj, xj, pj in zip(a, x, p)))
    return -total


def rosenbrock10(trial):
    x = suggest_box(trial, 10, -5.0, 10.0)
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(9))


MIXED_PENALTY = {"adam": 0.0, "rmsprop": 0.5, "sgd": 1.0, "adagrad": 2.0}


def mixed(trial):
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    n_units = trial.suggest_int("n_units", 4, 64, step=4)
    optimizer = trial.suggest_categorical("optimizer", ["adam", "rmsprop", "sgd", "adagrad"])
    dropout = trial.suggest_float("dropout", 0.0, 0.5, step=0.05)
    return ((math.log10(lr) + 3) ** 2 + ((n_units - 16) / 8) ** 2 + MIXED_PENALTY[optimizer]
            + 10 * (dropout - 0.2) ** 2)


def zdt_g(x):
    return 1 + 9 * sum(x[1:]) / (len(x) - 1)


def zdt1(trial):
    x = suggest_box(trial, 10, 0.0, 1.0)
    g = zdt_g(x)
    return [x[0], g * (1 - math.sqrt(x[0] / g))]


def zdt2(trial):
    x = suggest_box(trial, 10, 0.0, 1.0)
    g = zdt_g(x)
    return [x[0], g * (1 - (x[0] / g) ** 2)]


def dtlz2(trial):
    x = suggest_box(trial, 12, 0.0, 1.0)
    g = sum((xi - 0.5) ** 2 for xi in x[2:])
    a, b = x[0] * math.pi / 2, x[1] * math.pi / 2
    return [(1 + g) * math.cos(a) * math.cos(b), (1 + g) * math.cos(a) * math.sin(b),
            (1 + g) * math.sin(a)]


# name -> (objective, n_objectives, optimum (one) or (reference, hv_max) (several))
FUNCTIONS = {
    "branin": (branin, 1, 0.397887357729738),
    "hartmann6": (hartmann6, 1, -3.32236801141551),
    "rosenbrock10": (rosenbrock10, 1, 0.0),
    "mixed": (mixed, 1, 0.0),
    "zdt1": (zdt1, 2, ([1.1, 11.0], 12.1 - 1 / 3)),
    "zdt2": (zdt2, 2, ([1.1, 11.0], 12.1 - 2 / 3)),
    "dtlz2": (dtlz2, 3, ([1.1, 1.1, 1.1], 1.1 ** 3 - math.pi / 6)),
}

# label -> (class name on both sides, constructor kwargs without the seed
# [, Optuna's kwargs when they differ]).  "TPE" is each library's defaults:
# libigmopt follows Optuna master (multivariate for one objective, uncapped
# multi-objective gamma, uniform below-weights), Optuna 3.1 is univariate.
# "TPE-uv" is univariate on both sides: for Optuna 3.1 that is its default,
# so the Optuna studies of "TPE" serve it (same class, kwargs, seeds).
SAMPLERS = {
    "Random": ("RandomSampler", {}),
    "TPE": ("TPESampler", {}),
    "TPE-uv": ("TPESampler", {"multivariate": False}, {}),
    "TPE-mv": ("TPESampler", {"multivariate": True}),
    "NSGAII": ("NSGAIISampler", {"population_size": 50}),
    "NSGAIII": ("NSGAIIISampler", {"population_size": 50}),
    # the next two get kwargs that depend on the objectives (OBJECTIVE_KWARGS)
    "NSGAIII-dj": ("NSGAIIISampler", {"population_size": 50}),
    "NSGAIII-1ref": ("NSGAIIISampler", {"population_size": 50}),
    "QMC": ("QMCSampler", {"scramble": True}),
}
SINGLE_SAMPLERS = ["Random", "TPE", "TPE-uv", "TPE-mv"]
MULTI_SAMPLERS = ["Random", "TPE", "NSGAII", "NSGAIII", "NSGAIII-dj"]
VERSUS = "TPE"  # every other libigmopt sampler is also set against Optuna's TPE
# libigmopt samplers also set against another libigmopt sampler (Optuna 3.1
# has no NSGAIIISampler: NSGA-III's yardstick is our NSGA-II).
C_VERSUS = {"NSGAIII": "NSGAII", "NSGAIII-dj": "NSGAII", "NSGAIII-1ref": "NSGAII"}


def deb_jain_dividing_parameter(m, population):
    """Deb & Jain 2014 (s V) size the reference set to the population: the
    largest p whose C(m + p - 1, p) Das-Dennis points stay below it (their
    population is the smallest multiple of 4 above the count); m = 3,
    population 50: p = 8, 45 points."""
    p = 1
    while math.comb(m + p, p + 1) < population:
        p += 1
    return p


# label -> kwargs(m objectives, population) added on libigmopt's side.
# NSGAIII-1ref is a control: with a single reference direction every niche
# pick but the first is random, so the last front is cut at random.
OBJECTIVE_KWARGS = {
    "NSGAIII-dj": lambda m, population: {
        "dividing_parameter": deb_jain_dividing_parameter(m, population)},
    "NSGAIII-1ref": lambda m, population: {"reference_points": [[1] * m]},
}

# Optuna 3.1's multi-objective TPE on 3 objectives selects its "below" set by
# greedy HSSP over WFG hypervolumes: ~1.3 s per trial from trial 50 to 100 and
# over 10 s per trial past 100 here, hours per 300-trial study.  Skipped unless
# --include-slow; the libigmopt side still runs.
SLOW = {("dtlz2", "TPE"), ("dtlz2", "TPE-mv")}


# ---------------------------------------------------------------------------
# One seed on each side
# ---------------------------------------------------------------------------

def hypervolume_wfg(points, reference):
    """Optuna's own WFG over the points <= reference (the rest add nothing)."""
    import numpy as np
    from optuna._hypervolume import WFG
    inside = [p for p in points if all(v <= r for v, r in zip(p, reference))]
    if not inside:
        return 0.0
    return float(WFG().compute(np.asarray(inside, dtype=float), np.asarray(reference)))


def true_front(function):
    """Points on the true Pareto front, for the IGD (Zitzler et al. 2003's
    inverted generational distance: mean distance from each of them to the
    nearest point found)."""
    import numpy as np
    if function == "dtlz2":  # Das-Dennis directions (p = 20) projected on the sphere
        p = 20
        d = np.array([(i, j, p - i - j) for i in range(p + 1) for j in range(p + 1 - i)], float)
        return d / np.linalg.norm(d, axis=1)[:, None]
    f1 = np.linspace(0.0, 1.0, 501)
    return np.column_stack([f1, 1 - np.sqrt(f1) if function == "zdt1" else 1 - f1 ** 2])


def pareto_front(values):
    """The non-dominated rows (all minimised)."""
    import numpy as np
    v = np.asarray(values, dtype=float)
    dominated = [bool(np.any(np.all(v <= row, axis=1) & np.any(v < row, axis=1))) for row in v]
    return v[~np.asarray(dominated)]


def igd(front, function):
    import numpy as np
    reference = true_front(function)
    front = np.asarray(front, dtype=float)
    gaps = np.linalg.norm(reference[:, None, :] - front[None, :, :], axis=2)
    return float(gaps.min(axis=1).mean())


def c_kwargs(label, function):
    kwargs = dict(SAMPLERS[label][1])
    if label in OBJECTIVE_KWARGS:
        kwargs.update(OBJECTIVE_KWARGS[label](FUNCTIONS[function][1], kwargs["population_size"]))
    return kwargs


def run_c(job):
    quality, function, label, seed, trials, storage, tmpdir = job[1:]
    method, kwargs = SAMPLERS[label][0], c_kwargs(label, function)
    cmd = [quality, "--function", function, "--sampler", method, "--options",
           json.dumps(kwargs), "--trials", str(trials), "--seeds", "1",
           "--first-seed", str(seed), "--storage", storage, "--dir", tmpdir]
    if FUNCTIONS[function][1] > 1:
        cmd.append("--front")
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return {"side": "c", "function": function, "label": label, "seed": seed,
                "status": "error", "wall": wall,
                "message": (proc.stderr.strip() or "exit %d" % proc.returncode)[-300:]}
    row = json.loads(lines[-1])
    row.update(side="c", label=label, wall=wall)
    if row["status"] == "ok" and "front" in row:
        reference = FUNCTIONS[function][2][0]
        front = row.pop("front")
        row["hv_wfg"] = hypervolume_wfg(front, reference)
        row["igd"] = igd(front, function)
    return row


def optuna_sampler(label, seed):
    import optuna
    method, kwargs = SAMPLERS[label][0], SAMPLERS[label][-1]
    return getattr(optuna.samplers, method)(seed=seed, **kwargs)


def optuna_key(function, label, seed):
    """Two labels whose Optuna samplers are the same share one Optuna study."""
    return function, SAMPLERS[label][0], json.dumps(SAMPLERS[label][-1], sort_keys=True), seed


def run_optuna(job):
    import warnings
    import optuna
    warnings.simplefilter("ignore")  # ExperimentalWarning for multivariate TPE etc.
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    function, label, seed, trials, storage, tmpdir = job[2:]
    objective, n_objectives, target = FUNCTIONS[function]
    if not hasattr(optuna.samplers, SAMPLERS[label][0]):
        return {"side": "optuna", "function": function, "label": label, "seed": seed,
                "status": "unavailable", "wall": 0.0, "message": "Optuna %s has no %s" %
                (optuna.__version__, SAMPLERS[label][0])}
    url = None
    if storage == "sqlite":
        url = "sqlite:///%s" % os.path.join(tmpdir, "optuna-%s-%s-%d.db" % (function, label, seed))
    start = time.perf_counter()
    study = optuna.create_study(sampler=optuna_sampler(label, seed), storage=url,
                                directions=["minimize"] * n_objectives)
    values = []
    loop, cpu = time.perf_counter(), time.process_time()
    for _ in range(trials):
        trial = study.ask()
        v = objective(trial)
        study.tell(trial, v)
        values.append(v)
    loop, cpu = time.perf_counter() - loop, time.process_time() - cpu
    row = {"side": "optuna", "function": function, "label": label, "seed": seed,
           "status": "ok", "ms_per_trial": loop * 1e3 / trials,
           "cpu_ms_per_trial": cpu * 1e3 / trials}
    if n_objectives == 1:
        row["best"] = min(values)
        row["regret"] = row["best"] - target
    else:
        row["hypervolume"] = hypervolume_wfg(values, target[0])
        row["igd"] = igd(pareto_front(values), function)
    if url:
        os.unlink(url[len("sqlite:///"):])
    row["wall"] = time.perf_counter() - start
    return row


def run_job(job):
    if job[0] == "optuna-skipped":
        return {"side": "optuna", "function": job[2], "label": job[3], "seed": job[4],
                "status": "skipped", "wall": 0.0}
    try:
        return run_c(job) if job[0] == "c" else run_optuna(job)
    except Exception as e:  # a crash on one side must not lose the other rows
        return {"side": job[0], "function": job[2], "label": job[3], "seed": job[4],
                "status": "error", "message": "%s: %s" % (type(e).__name__, e), "wall": 0.0}


# ---------------------------------------------------------------------------
# Statistics and the table
# ---------------------------------------------------------------------------

def quartiles(xs):
    import numpy as np
    q1, q2, q3 = np.percentile(np.asarray(xs, dtype=float), [25, 50, 75])
    return float(q1), float(q2), float(q3)


def mann_whitney_p(a, b):
    """Two-sided Mann-Whitney U p-value, normal approximation with ties."""
    n1, n2 = len(a), len(b)
    if n1 == 0 or n2 == 0:
        return float("nan")
    pooled = sorted([(v, 0) for v in a] + [(v, 1) for v in b])
    ranks, i = [0.0] * len(pooled), 0
    tie_term = 0.0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        t = j - i + 1
        tie_term += t ** 3 - t
        i = j + 1
    r1 = sum(r for r, (_, side) in zip(ranks, pooled) if side == 0)
    u = r1 - n1 * (n1 + 1) / 2
    n = n1 + n2
    var = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1)))
    if var <= 0:
        return 1.0
    z = (abs(u - n1 * n2 / 2) - 0.5) / math.sqrt(var)
    return math.erfc(max(z, 0.0) / math.sqrt(2))


def fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if v != 0 and (abs(v) >= 1e5 or abs(v) < 1e-3):
        return "%.3e" % v
    return "%.4g" % v


def summary(rows, key):
    ok = [r[key] for r in rows if r.get("status") == "ok" and r.get(key) is not None]
    if not ok:
        states = {r.get("status") for r in rows}
        for state in ("unavailable", "skipped", "error"):
            if state in states:
                return None, state
        return None, "-"
    return ok, "%s [%s, %s]" % tuple(fmt(v) for v in (lambda q: (q[1], q[0], q[2]))(
        quartiles(ok)))


def compare(c_rows, o_rows, multi, score=None, names=("libigmopt", "Optuna")):
    """(left cell, right cell, ratio, winner text, ms per trial left, right); the
    score is the best value (one objective), else the hypervolume or the IGD."""
    score = score or ("hypervolume" if multi else "best")
    c_vals, c_cell = summary(c_rows, score)
    o_vals, o_cell = summary(o_rows, score)
    c_ms = summary(c_rows, "cpu_ms_per_trial")[0]
    o_ms = summary(o_rows, "cpu_ms_per_trial")[0]
    ratio, winner = None, "-"
    if c_vals and o_vals:
        if score != "best":
            cm, om = quartiles(c_vals)[1], quartiles(o_vals)[1]
        else:  # regrets, so that a ratio means something for negative optima too
            cm = quartiles([r["regret"] for r in c_rows if r.get("status") == "ok"])[1]
            om = quartiles([r["regret"] for r in o_rows if r.get("status") == "ok"])[1]
        ratio = cm / om if om != 0 else (1.0 if cm == om else float("inf"))
        c_better = cm > om if score == "hypervolume" else cm < om
        p = mann_whitney_p(c_vals, o_vals)
        if cm == om:
            winner = "tie"
        else:
            winner = (names[0] if c_better else names[1]) + (
                " p=%.2g" % p if p < 0.05 else " (n.s. p=%.2g)" % p)
    ms = lambda v: fmt(quartiles(v)[1]) if v else "-"
    return c_cell, o_cell, ratio, winner, ms(c_ms), ms(o_ms)


def print_pairs(by, function, pairs, multi, score, out):
    """One row per (libigmopt label, other side, its label): Optuna's, or
    another libigmopt sampler's (shown as "C:<label>")."""
    for c_label, side, o_label in pairs:
        c_rows = by.get(("c", function, c_label), [])
        o_rows = by.get((side, function, o_label), [])
        names = ("libigmopt", "Optuna") if side == "optuna" else (c_label, o_label)
        c_cell, o_cell, ratio, winner, c_ms, o_ms = compare(c_rows, o_rows, multi, score, names)
        if (c_label, side) != (o_label, "optuna") and (
                c_cell in ("unavailable", "error", "-") or
                o_cell in ("unavailable", "skipped", "error", "-")):
            continue  # a cross row says nothing without both scores
        shown = o_label if side == "optuna" else "C:" + o_label
        print("  %-12s %-12s %-34s %-34s %-8s %-26s %-9s %-9s" %
              (c_label, shown, c_cell, o_cell, fmt(ratio), winner, c_ms, o_ms), file=out)


def print_table(results, functions, labels_for, args, out=sys.stdout):
    by = {}
    for r in results:
        by.setdefault((r["side"], r["function"], r["label"]), []).append(r)
    for function in functions:
        objective, n_objectives, target = FUNCTIONS[function]
        multi = n_objectives > 1
        trials, seeds = (args.mo_trials, args.mo_seeds) if multi else (args.trials, args.seeds)
        if multi:
            head = ("%s: hypervolume of the Pareto front after %d trials, HIGHER is better; "
                    "reference %s, true front %.6g; %d seeds; ratio = median HV libigmopt / "
                    "Optuna" % (function, trials, tuple(target[0]), target[1], seeds))
        else:
            head = ("%s: best value after %d trials, LOWER is better; optimum %.6g; %d seeds; "
                    "ratio = median regret (best - optimum) libigmopt / Optuna, < 1 favours "
                    "libigmopt" % (function, trials, target, seeds))
        print("\n" + head, file=out)
        header = ("  %-12s %-12s %-34s %-34s %-8s %-26s %-9s %-9s" %
                  ("libigmopt", "Optuna", "libigmopt median [q1, q3]", "Optuna median [q1, q3]",
                   "ratio", "winner", "C cpu ms", "Opt cpu ms"))
        print(header, file=out)
        labels = labels_for(function)
        pairs = [(l, "optuna", l) for l in labels]
        if VERSUS in labels:
            same = lambda a, b: (SAMPLERS[a][0], SAMPLERS[a][-1]) == (SAMPLERS[b][0],
                                                                    SAMPLERS[b][-1])
            pairs += [(l, "optuna", VERSUS) for l in labels if not same(l, VERSUS)]
        pairs += [(l, "c", C_VERSUS[l]) for l in labels if C_VERSUS.get(l) in labels]
        print_pairs(by, function, pairs, multi, None, out)
        if multi:
            print("  IGD to %d points of the true front, LOWER is better:" %
                  len(true_front(function)), file=out)
            print_pairs(by, function, pairs, multi, "igd", out)
        for c_label in labels:
            for r in by.get(("c", function, c_label), []):
                if r.get("status") in ("unavailable", "error"):
                    print("  libigmopt %s: %s" % (c_label, r.get("message", "")), file=out)
                    break
            for r in by.get(("optuna", function, c_label), [])[:1]:
                if r.get("status") == "unavailable":
                    print("  Optuna %s: %s" % (c_label, r.get("message", "")), file=out)
            if (function, c_label) in SLOW and not args.include_slow:
                print("  Optuna %s skipped: Optuna 3.1's 3-objective TPE takes hours per "
                      "study (HSSP over WFG); --include-slow runs it" % c_label, file=out)


def print_times(results, functions, jobs, out=sys.stdout):
    print("\nwall time per function (seconds summed over seeds, i.e. one process; "
          "the run used %d processes):" % jobs, file=out)
    print("  %-13s %-12s %12s %12s" % ("function", "sampler", "libigmopt s", "Optuna s"), file=out)
    for function in functions:
        labels = sorted({r["label"] for r in results if r["function"] == function},
                        key=list(SAMPLERS).index)
        c_total = o_total = 0.0
        for label in labels:
            c = sum(r["wall"] for r in results if r["function"] == function
                    and r["label"] == label and r["side"] == "c")
            o = sum(r["wall"] for r in results if r["function"] == function
                    and r["label"] == label and r["side"] == "optuna")
            c_total, o_total = c_total + c, o_total + o
            print("  %-13s %-12s %12.2f %12.2f" % (function, label, c, o), file=out)
        print("  %-13s %-12s %12.2f %12.2f" % (function, "all", c_total, o_total), file=out)


def print_hv_check(results, out=sys.stdout):
    checked = [r for r in results if r["side"] == "c" and "hv_wfg" in r]
    if not checked:
        return
    worst = max(abs(r["hypervolume"] - r["hv_wfg"]) / max(abs(r["hv_wfg"]), 1e-300)
                if r["hv_wfg"] else abs(r["hypervolume"]) for r in checked)
    print("\nhypervolume check: libigmopt's bench routine vs Optuna's WFG on the same %d "
          "fronts: max relative difference %.2g%s" %
          (len(checked), worst, "" if worst < 1e-9 else "  <-- MISMATCH"), file=out)


# ---------------------------------------------------------------------------

def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quality", default=DEFAULT_QUALITY,
                   help="the built C driver (default build/bench/quality)")
    p.add_argument("--functions", default=",".join(FUNCTIONS),
                   help="comma-separated subset of %s" % ",".join(FUNCTIONS))
    p.add_argument("--samplers", default=None,
                   help="comma-separated labels among %s (default: %s for one objective, "
                        "%s for several)" % (",".join(SAMPLERS), ",".join(SINGLE_SAMPLERS),
                                             ",".join(MULTI_SAMPLERS)))
    p.add_argument("--trials", type=int, default=None, help="one objective (default 100)")
    p.add_argument("--seeds", type=int, default=None, help="one objective (default 20)")
    p.add_argument("--mo-trials", type=int, default=None, help="several objectives (default 300)")
    p.add_argument("--mo-seeds", type=int, default=None, help="several objectives (default 10)")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 50 trials x 5 seeds, several objectives 100 x 4")
    p.add_argument("--storage", choices=["memory", "sqlite"], default="memory")
    p.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--dir", default=tempfile.gettempdir(), help="for SQLite files")
    p.add_argument("--no-optuna", action="store_true", help="the C side only")
    p.add_argument("--include-slow", action="store_true",
                   help="also run Optuna's TPE on dtlz2 (hours: 3-objective TPE in 3.1)")
    p.add_argument("--no-c", action="store_true", help="the Optuna side only")
    p.add_argument("--json", help="also write every per-seed row to this file")
    args = p.parse_args()
    quick = args.quick
    for name, full, small in (("trials", 100, 50), ("seeds", 20, 5), ("mo_trials", 300, 100),
                              ("mo_seeds", 10, 4)):
        if getattr(args, name) is None:
            setattr(args, name, small if quick else full)
    args.functions = [f for f in args.functions.split(",") if f]
    for f in args.functions:
        if f not in FUNCTIONS:
            p.error("unknown function %r (known: %s)" % (f, ", ".join(FUNCTIONS)))
    if args.samplers:
        args.samplers = [s for s in args.samplers.split(",") if s]
        for s in args.samplers:
            if s not in SAMPLERS:
                p.error("unknown sampler %r (known: %s)" % (s, ", ".join(SAMPLERS)))
    return args


def main():
    args = parse_args()
    started = time.perf_counter()
    if not args.no_c and not os.access(args.quality, os.X_OK):
        sys.exit("run_quality: %s not found; build it with `ninja -C build`" % args.quality)

    def labels_for(function):
        multi = FUNCTIONS[function][1] > 1
        return args.samplers or (MULTI_SAMPLERS if multi else SINGLE_SAMPLERS)

    jobs, optuna_jobs, aliases = [], {}, []
    for function in args.functions:
        multi = FUNCTIONS[function][1] > 1
        trials, seeds = (args.mo_trials, args.mo_seeds) if multi else (args.trials, args.seeds)
        for label in labels_for(function):
            for seed in range(seeds):
                for side in ("optuna", "c"):
                    if (side == "c" and args.no_c) or (side == "optuna" and args.no_optuna):
                        continue
                    if side == "optuna" and (function, label) in SLOW and not args.include_slow:
                        side = "optuna-skipped"
                    if side == "optuna":
                        key = optuna_key(function, label, seed)
                        if key in optuna_jobs:
                            aliases.append((optuna_jobs[key], label))
                            continue
                        optuna_jobs[key] = (function, label, seed)
                    jobs.append((side, os.path.abspath(args.quality), function, label, seed,
                                 trials, args.storage, args.dir))
    # The slowest jobs (Optuna, several objectives, TPE) first keep both workers busy.
    jobs.sort(key=lambda j: (j[0] != "optuna", FUNCTIONS[j[2]][1] == 1, j[3] == "Random"))
    print("run_quality: %d studies (%d functions) on %d processes, storage %s; "
          "one objective %d trials x %d seeds, several %d x %d" %
          (len(jobs), len(args.functions), args.jobs, args.storage, args.trials, args.seeds,
           args.mo_trials, args.mo_seeds), file=sys.stderr)
    results = []
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        step = max(1, len(jobs) // 20)
        for i, row in enumerate(pool.imap_unordered(run_job, jobs), 1):
            results.append(row)
            if sys.stderr.isatty():
                print("\r  %d/%d done" % (i, len(jobs)), end="", file=sys.stderr, flush=True)
            elif i % step == 0 or i == len(jobs):  # a log file still shows progress
                print("  %d/%d done, %.0f s" % (i, len(jobs), time.perf_counter() - started),
                      file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    done = {(r["function"], r["label"], r["seed"]): r for r in results if r["side"] == "optuna"}
    for (function, label, seed), alias in aliases:
        if (function, label, seed) in done:
            results.append(dict(done[(function, label, seed)], label=alias, wall=0.0))

    import optuna
    print("libigmopt bench/quality vs Optuna %s; storage %s; %s" %
          (optuna.__version__, args.storage, time.strftime("%Y-%m-%d %H:%M")))
    print("TPE = each library's defaults: libigmopt follows Optuna master (multivariate for one "
          "objective, uncapped\nmulti-objective gamma, uniform below-weights), Optuna 3.1 is "
          "univariate; TPE-uv / TPE-mv set multivariate\nfalse / true on both sides.  Rows "
          "'X TPE' set libigmopt's X against Optuna's default TPE.")
    print_table(results, args.functions, labels_for, args)
    print_hv_check(results)
    print_times(results, args.functions, args.jobs)
    errors = [r for r in results if r.get("status") == "error"]
    for r in errors[:10]:
        print("ERROR %s %s %s seed %s: %s" % (r["side"], r["function"], r["label"], r["seed"],
                                              r.get("message", "")))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    print("\ntotal time %.1f s (wall, %d processes)" % (time.perf_counter() - started, args.jobs))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
