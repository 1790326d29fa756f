#!/usr/bin/python3
"""Ask+tell per-trial time: libigmopt (bench/ask_tell) beside Optuna.

Runs the C program, then the same loop in Optuna -- ask, suggest_float("x",
-10, 10), suggest_float("lr", 1e-5, 1e-1, log=True), suggest_int("n", 1,
100), tell COMPLETE -- with a seeded RandomSampler, in memory and on a fresh
SQLite file, and prints one table side by side.

    ninja -C build && /usr/bin/python3 bench/ask_tell_vs_optuna.py build/bench/ask_tell

Needs Optuna (Debian's python3-optuna, hence /usr/bin/python3).
"""
import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

TARGET_US = {"memory": 10.0, "sqlite": 100.0}  # bench/README.md


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("ask_tell", help="path to the built bench/ask_tell program")
    p.add_argument("--memory-trials", type=int, default=100000,
                   help="libigmopt in-memory trials (default 100000)")
    p.add_argument("--sqlite-trials", type=int, default=2000,
                   help="libigmopt SQLite trials per window (default 2000)")
    p.add_argument("--sqlite-at", type=int, default=10000,
                   help="existing trials before libigmopt's second SQLite window "
                        "(default 10000, 0 to skip)")
    p.add_argument("--optuna-memory-trials", type=int, default=2000,
                   help="Optuna in-memory trials (default 2000)")
    p.add_argument("--optuna-sqlite-trials", type=int, default=200,
                   help="Optuna SQLite trials (default 200)")
    p.add_argument("--warmup", type=int, default=10,
                   help="untimed trials before each timed window, both sides (default 10)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--dir", default=tempfile.gettempdir(),
                   help="directory for the temporary SQLite files (default: the temp dir); "
                        "its filesystem decides the cost of a commit")
    p.add_argument("--no-optuna", action="store_true", help="run only the C program")
    p.add_argument("--check", action="store_true",
                   help="exit 1 when libigmopt misses a target")
    return p.parse_args()


def run_c(args):
    cmd = [args.ask_tell, "--memory-trials", str(args.memory_trials),
           "--sqlite-trials", str(args.sqlite_trials), "--sqlite-at", str(args.sqlite_at),
           "--warmup", str(args.warmup), "--seed", str(args.seed), "--dir", args.dir]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        print("ask_tell_vs_optuna: %s exited with %d (see its message above); the table shows "
              "what it measured before" % (args.ask_tell, proc.returncode), file=sys.stderr)
    rows, version = [], "?"
    for line in proc.stdout.splitlines():
        fields = dict(f.split("=", 1) for f in line.split())
        if "libigmopt" in fields:
            version = fields["libigmopt"]
        elif "storage" in fields:
            rows.append(fields)
    return version, rows


def optuna_loop(storage, n, warmup, seed):
    import optuna

    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed),
                                storage=storage)

    def one():
        trial = study.ask()
        x = trial.suggest_float("x", -10, 10)
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        k = trial.suggest_int("n", 1, 100)
        study.tell(trial, (x - 2.0) ** 2 + abs(math.log10(lr) + 3.0) + k / 100.0)

    for _ in range(warmup):
        one()
    start = time.perf_counter()
    for _ in range(n):
        one()
    return (time.perf_counter() - start) / n * 1e6


def run_optuna(args):
    try:
        import optuna
    except ImportError:
        sys.exit("ask_tell_vs_optuna: optuna is not importable by %s; run this script with "
                 "/usr/bin/python3 (Debian's python3-optuna)" % sys.executable)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    results = {"memory": optuna_loop(None, args.optuna_memory_trials, args.warmup, args.seed)}
    tmp = tempfile.mkdtemp(prefix="optuna-bench-", dir=args.dir)
    try:
        url = "sqlite:///" + os.path.join(tmp, "bench.db")
        results["sqlite"] = optuna_loop(url, args.optuna_sqlite_trials, args.warmup,
                                        args.seed)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return optuna.__version__, results


def main():
    args = parse_args()
    version, c_rows = run_c(args)
    optuna_version, py = ("-", {}) if args.no_optuna else run_optuna(args)
    py_n = {"memory": args.optuna_memory_trials, "sqlite": args.optuna_sqlite_trials}

    head = ("storage", "libigmopt %s us/trial" % version,
            "Optuna %s us/trial" % optuna_version, "ratio")
    table, missed, notes = [], [], []
    fresh_kinds = {r["storage"] for r in c_rows if int(r["existing"]) <= args.warmup}
    for kind in ("memory", "sqlite"):  # a row even when the C side failed
        if kind not in fresh_kinds:
            c_rows.append({"storage": kind, "existing": "0", "failed": "1"})
    c_rows.sort(key=lambda r: (r["storage"] != "memory", int(r["existing"])))
    for r in c_rows:
        kind, existing = r["storage"], int(r["existing"])
        fresh = existing <= args.warmup
        label = kind if fresh else "%s @%d trials" % (kind, existing)
        c_us = None if "failed" in r else float(r["us_per_trial"])
        if c_us is None:
            c_cell = "failed"
        else:
            c_cell = "%.2f (n=%s, p50 %.2f, p99 %.2f)" % (
                c_us, r["trials"], float(r["p50_us"]), float(r["p99_us"]))
        py_cell, ratio = "-", "-"
        if fresh and kind in py:
            py_cell = "%.1f (n=%d)" % (py[kind], py_n[kind])
            if c_us is not None:
                ratio = "%.0fx" % (py[kind] / c_us)
        table.append((label, c_cell, py_cell, ratio))
        if kind == "sqlite" and c_us is not None and int(r.get("over_1ms", "0")) > 0:
            slow_us = float(r["over_1ms_us"])
            notes.append("%s: %s trial(s) over 1 ms (WAL checkpoints, a busy machine) took "
                         "%.1f ms in all, %.1f us of the mean; the rest averages %.2f us" % (
                             label, r["over_1ms"], slow_us / 1e3, slow_us / int(r["trials"]),
                             c_us - slow_us / int(r["trials"])))
        if c_us is None or c_us > TARGET_US[kind]:
            missed.append("%s: %s (target %.0f us/trial)" % (
                label, "failed" if c_us is None else "%.2f us/trial" % c_us, TARGET_US[kind]))

    widths = [max(len(row[i]) for row in [head] + table) for i in range(4)]
    fmt = "  ".join("%%-%ds" % w for w in widths[:1]) + "  " + \
          "  ".join("%%%ds" % w for w in widths[1:])
    print(fmt % head)
    print(fmt % tuple("-" * w for w in widths))
    for row in table:
        print(fmt % row)
    print("ratio = Optuna / libigmopt; SQLite files in %s; targets: memory < %.0f us, "
          "SQLite <= %.0f us per trial" % (args.dir, TARGET_US["memory"], TARGET_US["sqlite"]))
    for n in notes:
        print(n)
    for m in missed:
        print("MISSED TARGET: " + m)
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
