#!/usr/bin/python3
"""TPE cost per trial at 1 000 and 10 000 finished trials: libigmopt beside Optuna.

Runs bench/tpe_speed (the C side), then the same measurement in Optuna 3.1 and
prints one table.  A study is filled with finished RandomSampler trials of the
bench/ask_tell trial (x float in [-10, 10], lr log float in [1e-5, 1e-1], n
int in [1, 100]), reloaded with TPESampler (default settings, seed 42), and
ask + 3 suggests + tell is timed for a few trials, in memory and on SQLite.

    ninja -C build && /usr/bin/python3 bench/tpe_speed_vs_optuna.py

Optuna is too slow to fill and time at 10 000 trials in a run: by default it is
measured at 1 000 and 2 000 finished trials and its 10 000 figure is a linear
extrapolation, marked "extrap." (`--optuna-at 1000,2000,10000` measures it).
Needs Optuna (Debian's python3-optuna, hence /usr/bin/python3).
"""
import argparse
import math
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET_MS_AT_1000 = 0.5  # bench/README.md: libigmopt TPE at 1 000 trials, per trial


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tpe-speed", default=os.path.join(HERE, "..", "build", "bench", "tpe_speed"),
                   help="the built C program (default build/bench/tpe_speed)")
    p.add_argument("--sampler", default="TPESampler",
                   help="libigmopt sampler (default TPESampler; RandomSampler to try the "
                        "harness); Optuna always runs TPESampler")
    p.add_argument("--at", default="1000,2000,10000",
                   help="libigmopt: finished trials before each window (default 1000,2000,10000)")
    p.add_argument("--trials", type=int, default=100,
                   help="libigmopt timed trials per window (default 100)")
    p.add_argument("--optuna-at", default="1000,2000",
                   help="Optuna: finished trials before each window (default 1000,2000)")
    p.add_argument("--optuna-trials", type=int, default=20,
                   help="Optuna timed trials per window at 1 000 (default 20, fewer further up: "
                        "n * 1000 / at, at least 5)")
    p.add_argument("--only", choices=["memory", "sqlite"], help="one storage")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--dir", default=tempfile.gettempdir(), help="for the SQLite files")
    p.add_argument("--no-optuna", action="store_true")
    return p.parse_args()


def run_c(args):
    cmd = [args.tpe_speed, "--sampler", args.sampler, "--at", args.at, "--trials",
           str(args.trials), "--seed", str(args.seed), "--dir", args.dir]
    if args.only:
        cmd += ["--only", args.only]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    rows, unavailable = {}, {}
    for line in proc.stdout.splitlines():
        if "status=unavailable" in line:
            storage = line.split()[0].split("=", 1)[1]
            unavailable[storage] = line.split("message=", 1)[1].strip('"')
        elif line.startswith("storage="):
            f = dict(kv.split("=", 1) for kv in line.split())
            rows[(f["storage"], int(f["at"]))] = f
    if proc.returncode not in (0, 3):
        print("tpe_speed_vs_optuna: %s exited with %d" % (args.tpe_speed, proc.returncode),
              file=sys.stderr)
    return rows, unavailable


# ---------------------------------------------------------------------------
# Optuna side
# ---------------------------------------------------------------------------

def objective_value(x, lr, n):
    return (x - 2.0) ** 2 + abs(math.log10(lr) + 3.0) + n / 100.0


def random_params(rng):
    x = rng.uniform(-10, 10)
    lr = math.exp(rng.uniform(math.log(1e-5), math.log(1e-1)))
    return x, lr, rng.randint(1, 100)


def fill_memory(optuna, n, rng):
    from optuna.distributions import FloatDistribution, IntDistribution
    dists = {"x": FloatDistribution(-10, 10), "lr": FloatDistribution(1e-5, 1e-1, log=True),
             "n": IntDistribution(1, 100)}
    study = optuna.create_study(study_name="speed")
    trials = []
    for _ in range(n):
        x, lr, k = random_params(rng)
        trials.append(optuna.trial.create_trial(params={"x": x, "lr": lr, "n": k},
                                                distributions=dists,
                                                value=objective_value(x, lr, k)))
    study.add_trials(trials)
    return study._storage


def fill_sqlite(optuna, n, rng, path):
    """Optuna writes the study and trial 0; the other n - 1 trials are copies of
    its rows with new values, inserted in one transaction (add_trials costs
    ~60 ms a trial here, minutes for 2 000)."""
    url = "sqlite:///" + path
    study = optuna.create_study(study_name="speed", storage=url)
    trial = study.ask()
    x = trial.suggest_float("x", -10, 10)
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    k = trial.suggest_int("n", 1, 100)
    study.tell(trial, objective_value(x, lr, k))
    del study
    con = sqlite3.connect(path)
    (study_id, start, complete), = con.execute(
        "SELECT study_id, datetime_start, datetime_complete FROM trials")
    dists = dict(con.execute("SELECT param_name, distribution_json FROM trial_params"))
    with con:
        for number in range(1, n):
            x, lr, k = random_params(rng)
            cur = con.execute("INSERT INTO trials (number, study_id, state, datetime_start, "
                              "datetime_complete) VALUES (?, ?, 'COMPLETE', ?, ?)",
                              (number, study_id, start, complete))
            tid = cur.lastrowid
            con.executemany("INSERT INTO trial_params (trial_id, param_name, param_value, "
                            "distribution_json) VALUES (?, ?, ?, ?)",
                            [(tid, "x", x, dists["x"]), (tid, "lr", lr, dists["lr"]),
                             (tid, "n", float(k), dists["n"])])
            con.execute("INSERT INTO trial_values (trial_id, objective, value, value_type) "
                        "VALUES (?, 0, ?, 'FINITE')", (tid, objective_value(x, lr, k)))
    con.close()
    return url


def optuna_window(optuna, storage, n_timed, seed, warmup=2):
    study = optuna.load_study(study_name="speed", storage=storage,
                              sampler=optuna.samplers.TPESampler(seed=seed))

    def one():
        trial = study.ask()
        x = trial.suggest_float("x", -10, 10)
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        k = trial.suggest_int("n", 1, 100)
        study.tell(trial, objective_value(x, lr, k))

    for _ in range(warmup):  # the first ask on SQLite loads every trial into the cache
        one()
    each = []
    cpu = time.process_time()
    for _ in range(n_timed):
        t0 = time.perf_counter()
        one()
        each.append(time.perf_counter() - t0)
    cpu = time.process_time() - cpu
    each.sort()
    return sum(each) * 1e3 / n_timed, each[len(each) // 2] * 1e3, cpu * 1e3 / n_timed


def run_optuna(args, storages):
    import warnings
    import optuna
    warnings.simplefilter("ignore")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rows = {}
    for storage in storages:
        for at in [int(v) for v in args.optuna_at.split(",")]:
            rng = random.Random(args.seed + at)
            n_timed = max(5, args.optuna_trials * 1000 // max(at, 1))
            t0 = time.perf_counter()
            if storage == "memory":
                target = fill_memory(optuna, at, rng)
            else:
                fd, path = tempfile.mkstemp(suffix=".db", dir=args.dir)
                os.close(fd)
                os.unlink(path)
                target = fill_sqlite(optuna, at, rng, path)
            fill_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            mean_ms, p50_ms, cpu_ms = optuna_window(optuna, target, n_timed, args.seed)
            rows[(storage, at)] = {"ms_per_trial": mean_ms, "p50_ms": p50_ms,
                                   "cpu_ms_per_trial": cpu_ms, "trials": n_timed,
                                   "fill_s": fill_s, "window_s": time.perf_counter() - t0}
            if storage == "sqlite":
                os.unlink(path)
            print("  Optuna %s at %d: %.2f ms/trial, CPU %.2f (%d trials, fill %.1f s)" %
                  (storage, at, mean_ms, cpu_ms, n_timed, fill_s), file=sys.stderr, flush=True)
    return rows


def extrapolate(rows, storage, at, key):
    """Linear in the finished trials through Optuna's two lowest points."""
    points = sorted(a for (s, a) in rows if s == storage)
    if len(points) < 2:
        return None
    (a1, a2) = points[:2]
    t1, t2 = rows[(storage, a1)][key], rows[(storage, a2)][key]
    return t1 + (t2 - t1) * (at - a1) / (a2 - a1)


def main():
    args = parse_args()
    started = time.perf_counter()
    if not os.access(args.tpe_speed, os.X_OK):
        sys.exit("tpe_speed_vs_optuna: %s not found; build it with `ninja -C build`" %
                 args.tpe_speed)
    storages = [args.only] if args.only else ["memory", "sqlite"]
    c_rows, unavailable = run_c(args)
    o_rows = {} if args.no_optuna else run_optuna(args, storages)
    import optuna
    print("TPE cost per trial (ask + suggest float, log float, int + tell), ms; libigmopt "
          "%s (%s) vs Optuna %s TPESampler; seed %d" %
          (args.sampler, args.tpe_speed, optuna.__version__, args.seed))
    print("wall = mean wall ms per trial (p50), cpu = CPU ms per trial (libigmopt: its thread; Optuna: its process) (steadier on a busy "
          "machine); ratio = Optuna / libigmopt on CPU")
    print("%-7s %9s  %-30s %-40s %8s" % ("storage", "finished", "libigmopt wall (p50) cpu",
                                          "Optuna wall (p50) cpu", "ratio"))
    ats = sorted({a for (_, a) in c_rows} | {a for (_, a) in o_rows} |
                 {int(v) for v in args.at.split(",")})
    verdicts = []
    for storage in storages:
        for at in ats:
            c = c_rows.get((storage, at))
            o = o_rows.get((storage, at))
            c_cell = ("%.4f (%.4f) %.4f" % (float(c["ms_per_trial"]), float(c["p50_ms"]),
                                            float(c["cpu_ms_per_trial"])) if c
                      else "unavailable" if storage in unavailable else "-")
            o_cpu = None
            if o:
                o_cpu = o["cpu_ms_per_trial"]
                o_cell = "%.2f (%.2f) %.2f n=%d" % (o["ms_per_trial"], o["p50_ms"], o_cpu,
                                                    o["trials"])
            elif not args.no_optuna and extrapolate(o_rows, storage, at, "ms_per_trial"):
                o_cpu = extrapolate(o_rows, storage, at, "cpu_ms_per_trial")
                o_cell = "~%.0f ~%.0f extrapolated" % (
                    extrapolate(o_rows, storage, at, "ms_per_trial"), o_cpu)
            else:
                o_cell = "-"
            ratio = ("%.0fx" % (o_cpu / float(c["cpu_ms_per_trial"]))
                     if c and o_cpu and float(c["cpu_ms_per_trial"]) > 0 else "-")
            print("%-7s %9d  %-30s %-40s %8s" % (storage, at, c_cell, o_cell, ratio))
        first = c_rows.get((storage, 1000))
        last = c_rows.get((storage, max(ats)))
        for key, what in (("ms_per_trial", "wall"), ("cpu_ms_per_trial", "CPU")):
            if first:
                ms = float(first[key])
                verdicts.append("%s %s at 1000: %.3f ms, %s < %.1f ms" %
                                (storage, what, ms,
                                 "meets" if ms < TARGET_MS_AT_1000 else "MISSES",
                                 TARGET_MS_AT_1000))
            if first and last and max(ats) > 1000:
                growth = float(last[key]) / float(first[key])
                linear = max(ats) / 1000
                verdicts.append("%s %s 1000 -> %d: x%.1f (%s, linear would be x%.0f)" %
                                (storage, what, max(ats), growth,
                                 "at most linear" if growth <= linear else "MORE than linear",
                                 linear))
    for storage, message in unavailable.items():
        print("libigmopt %s (%s): %s" % (args.sampler, storage, message))
    for v in verdicts:
        print("target: " + v)
    print("total time %.1f s" % (time.perf_counter() - started))


if __name__ == "__main__":
    main()
