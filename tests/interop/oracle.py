"""Helpers the interop tests share: run a C program, and compare what it
printed (igmopt trials JSON) with Optuna's own FrozenTrials, field by field,
Python types included (True, 1, 1.0 and "1" are different here)."""

import json
import math
import os
import subprocess

import optuna

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def run_c(program, *args, timeout=120):
    """Runs a C interop program; returns its stdout parsed as JSON."""
    done = subprocess.run([program, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"{os.path.basename(program)} exited {done.returncode}: "
                             f"{done.stderr.strip()}")
    return json.loads(done.stdout)


def sqlite_url(path, schema=None):
    url = "sqlite:///" + os.path.abspath(path)
    return url + f"?schema={schema}" if schema else url


def same_float(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def same_json(a, b):
    """Deep equality that also tells bool from int from float, and NaN == NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return same_float(a, b)
    return a == b


def datetime_text(dt):
    return None if dt is None else dt.strftime(DATETIME_FORMAT)


class TrialComparison:
    """Mixin for unittest.TestCase: compares C JSON trials with FrozenTrials."""

    def assertSameJson(self, got, expected, what):
        self.assertTrue(same_json(got, expected), f"{what}: {got!r} != {expected!r}")

    def assertTrialMatches(self, frozen, c_trial):
        where = f"trial {frozen.number}"
        self.assertEqual(c_trial["number"], frozen.number, where)
        self.assertEqual(c_trial["state"], frozen.state.name, where)
        self.assertSameJson(c_trial["values"], frozen.values, f"{where} values")
        self.assertSameJson(c_trial["params"], frozen.params, f"{where} params")
        c_dists = c_trial["distributions"]
        # Key order is not compared: Optuna 3.1 itself returns params sorted by name.
        self.assertEqual(sorted(c_dists), sorted(frozen.distributions), f"{where} param names")
        for name, dist in frozen.distributions.items():
            expected = json.loads(optuna.distributions.distribution_to_json(dist))
            self.assertSameJson(c_dists[name], expected, f"{where} distribution {name}")
        self.assertSameJson(c_trial["user_attrs"], frozen.user_attrs, f"{where} user_attrs")
        self.assertSameJson(c_trial["system_attrs"], frozen.system_attrs,
                            f"{where} system_attrs")
        intermediate = {int(k): v for k, v in c_trial["intermediate_values"].items()}
        self.assertSameJson(intermediate, frozen.intermediate_values,
                            f"{where} intermediate_values")
        self.assertEqual(c_trial["datetime_start"], datetime_text(frozen.datetime_start), where)
        self.assertEqual(c_trial["datetime_complete"],
                         datetime_text(frozen.datetime_complete), where)

    def assertTrialsMatch(self, frozen_trials, c_trials):
        self.assertEqual([t["number"] for t in c_trials], [t.number for t in frozen_trials])
        for frozen, c_trial in zip(frozen_trials, c_trials):
            self.assertTrialMatches(frozen, c_trial)

    def assertInDistributions(self, frozen):
        """Every parameter lies in its distribution (Optuna's _contains)."""
        for name, value in frozen.params.items():
            dist = frozen.distributions[name]
            self.assertTrue(dist._contains(dist.to_internal_repr(value)),
                            f"trial {frozen.number}: {name}={value!r} outside {dist}")
