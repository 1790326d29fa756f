"""A TPE study Optuna 3.1 started is continued by libigmopt, and the reverse.

Usage: TZ=UTC /usr/bin/python3 test_tpe_continue.py <path to c_tpe_continue>

The space is Branin's (x in [-5, 10], y in [0, 15]) plus an int n and a
categorical c; c_tpe_continue.c computes the same objectives as objectives()
below.  (a) Optuna 3.1 runs 30 TPE trials, C continues 30 with TPESampler and
must use that history; Optuna reads the 60 trials back and goes on with its
own TPE, also next to a RUNNING C trial carrying tpe:relative_params.
(b) C creates the study (stamp v3.0.0.d) and runs 30, Optuna 30, C 10.
(c) Two objectives: C 20 TPE trials, Optuna 10 with NSGA-II (3.1's
create_study default for several objectives; load_study's default, its
multi-objective TPE, on a copy), C 10 more.  Every step compares the whole study as C and
Optuna see it."""

import math
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import unittest
import warnings

import optuna
from optuna.distributions import (CategoricalDistribution, FloatDistribution,
                                  IntDistribution)
from optuna.trial import TrialState

from oracle import TrialComparison, run_c, sqlite_url

os.environ["TZ"] = "UTC"  # Optuna 3.1 stores naive local time; C and Python agree in UTC
time.tzset()

C_PROGRAM = None
CHOICES = ("a", "b", 3)
SPACE = {
    "x": FloatDistribution(-5, 10),
    "y": FloatDistribution(0, 15),
    "n": IntDistribution(0, 10),
    "c": CategoricalDistribution(CHOICES),
}
PY_SEED = 1
C_SEEDS = (5, 6, 7)  # the first is the one the study goes on with


def branin(x, y):
    b, c, t = 5.1 / (4.0 * math.pi * math.pi), 5.0 / math.pi, 1.0 / (8.0 * math.pi)
    u = y - b * x * x + c * x - 6.0
    return u * u + 10.0 * (1.0 - t) * math.cos(x) + 10.0


def objectives(params):
    x, y, n, c = params["x"], params["y"], params["n"], params["c"]
    f1 = branin(x, y) + 0.5 * abs(n - 3) + (0.0 if c == "b" else 1.0)
    f2 = (x - 2) ** 2 + (y - 3) ** 2 / 4 + 0.5 * abs(n - 7) + (0.0 if c == 3 else 1.0)
    return f1, f2


def suggest(trial):
    return {"x": trial.suggest_float("x", -5, 10), "y": trial.suggest_float("y", 0, 15),
            "n": trial.suggest_int("n", 0, 10), "c": trial.suggest_categorical("c", CHOICES)}


def single_objective(trial):
    return objectives(suggest(trial))[0]


def two_objectives(trial):
    return objectives(suggest(trial))


def c_run(url, name, mode, kind, sampler, seed, k, running=0):
    return run_c(C_PROGRAM, url, name, mode, kind, sampler, seed, k, running)


class Continuation(TrialComparison):
    """Checks shared by the scenarios."""

    def assertStudyIntact(self, frozen, n_trials, n_objectives, c_trials=None):
        """n_trials COMPLETE trials numbered 0.., all in SPACE, with the values
        objectives() gives for their params; equal to C's view when given."""
        self.assertEqual([t.number for t in frozen], list(range(n_trials)))
        for trial in frozen:
            where = f"trial {trial.number}"
            self.assertEqual(trial.state, TrialState.COMPLETE, where)
            self.assertEqual(trial.distributions, SPACE, where)
            self.assertInDistributions(trial)
            expected = objectives(trial.params)[:n_objectives]
            self.assertEqual(len(trial.values), n_objectives, where)
            for got, want in zip(trial.values, expected):
                self.assertTrue(math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12),
                                f"{where}: value {got} != objective {want}")
        if c_trials is not None:
            self.assertTrialsMatch(frozen, c_trials)

    def assertNotRandom(self, tpe_trials, random_trials):
        """C's TPE proposals are not what RandomSampler with the same seed
        proposes (TPE's startup trials are exactly those: a TPE that missed
        the history would repeat them)."""
        self.assertEqual(len(tpe_trials), len(random_trials))
        for tpe, rnd in zip(tpe_trials, random_trials):
            self.assertEqual(tpe["number"], rnd["number"])
            self.assertNotEqual(tpe["params"], rnd["params"], f"trial {tpe['number']}")


class OptunaStartsCContinues(Continuation, unittest.TestCase):
    """(a) Optuna 3.1 runs 30 TPE trials; C continues 30; Optuna goes on."""

    @classmethod
    def setUpClass(cls):
        optuna.logging.set_verbosity(optuna.logging.ERROR)
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        cls.tmp = tempfile.TemporaryDirectory(prefix="igm-interop-tpe-")
        base = cls.file("py30.db")
        study = optuna.create_study(study_name="branin", storage=sqlite_url(base),
                                    sampler=optuna.samplers.TPESampler(seed=PY_SEED))
        study.optimize(single_objective, n_trials=30)
        cls.py30 = study.trials
        # C continues copies of that file: TPE and RandomSampler, several seeds.
        cls.c_tpe, cls.c_random = {}, {}
        for seed in C_SEEDS:
            for sampler, out in (("TPESampler", cls.c_tpe), ("RandomSampler", cls.c_random)):
                path = cls.file(f"{sampler}-{seed}.db")
                shutil.copyfile(base, path)
                out[seed] = c_run(sqlite_url(path), "branin", "load", "single", sampler, seed, 30)
        cls.url = sqlite_url(cls.file(f"TPESampler-{C_SEEDS[0]}.db"))
        cls.c60 = cls.c_tpe[C_SEEDS[0]]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def file(cls, name):
        return os.path.join(cls.tmp.name, name)

    def copy(self, name):
        """A copy of the 60-trial study, so that each test continues its own."""
        path = self.file(name)
        shutil.copyfile(self.url[len("sqlite:///"):], path)
        return sqlite_url(path)

    def test_c_trials_continue_the_numbering_in_the_space(self):
        for seed in C_SEEDS:
            for runs in (self.c_tpe, self.c_random):
                with self.subTest(seed=seed):
                    c = runs[seed]
                    self.assertEqual(c["ran"], list(range(30, 60)))
                    self.assertEqual(c["running"], [])
                    trials = c["trials"]
                    self.assertEqual([t["number"] for t in trials], list(range(60)))
                    # Python's 30 trials are untouched.
                    self.assertTrialsMatch(self.py30, trials[:30])
                    for t in trials[30:]:
                        self.assertEqual(t["state"], "COMPLETE")
                        self.assertEqual(sorted(t["params"]), ["c", "n", "x", "y"])

    def test_c_tpe_used_optuna_history(self):
        medians_tpe, medians_random = [], []
        for seed in C_SEEDS:
            with self.subTest(seed=seed):
                tpe = self.c_tpe[seed]["trials"][30:]
                rnd = self.c_random[seed]["trials"][30:]
                self.assertNotRandom(tpe, rnd)
                # TPE's draws carry the multivariate (one objective, [H]) joint draw.
                for t in tpe:
                    self.assertIn("tpe:relative_params:0", t["system_attrs"], t["number"])
                medians_tpe.append(statistics.median(t["values"][0] for t in tpe))
                medians_random.append(statistics.median(t["values"][0] for t in rnd))
                self.assertLess(medians_tpe[-1], medians_random[-1])
        # Concentrated near Branin's minima: well below the random continuation.
        self.assertLess(statistics.median(medians_tpe), 0.6 * statistics.median(medians_random),
                        f"TPE medians {medians_tpe}, random medians {medians_random}")

    def test_optuna_reads_the_60_trials(self):
        study = optuna.load_study(study_name="branin", storage=self.url)
        self.assertStudyIntact(study.trials, 60, 1, self.c60["trials"])
        self.assertEqual(study.best_trial.number,
                         min(range(60), key=lambda i: (study.trials[i].value, i)))

    def test_optuna_tpe_goes_on(self):
        url = self.copy("py-goes-on.db")
        study = optuna.load_study(study_name="branin", storage=url,
                                  sampler=optuna.samplers.TPESampler(seed=PY_SEED + 1))
        study.optimize(single_objective, n_trials=10)
        self.assertStudyIntact(study.trials, 70, 1)
        # And C reads the 70 back as Optuna does.
        c = c_run(url, "branin", "load", "single", "TPESampler", 1, 0)
        self.assertTrialsMatch(optuna.load_study(study_name="branin", storage=url).trials,
                               c["trials"])

    def test_optuna_multivariate_liar_goes_on_next_to_a_running_c_trial(self):
        # C leaves trial 60 RUNNING with its joint draw in tpe:relative_params:0.
        url = self.copy("py-liar.db")
        c = c_run(url, "branin", "load", "single", "TPESampler", 2, 0, 1)
        self.assertEqual(c["running"], [60])
        running = c["trials"][60]
        self.assertEqual(running["state"], "RUNNING")
        self.assertIn("tpe:relative_params:0", running["system_attrs"])
        study = optuna.load_study(
            study_name="branin", storage=url,
            sampler=optuna.samplers.TPESampler(seed=PY_SEED + 2, multivariate=True,
                                               group=True, constant_liar=True))
        study.optimize(single_objective, n_trials=10)
        trials = study.trials
        self.assertEqual(len(trials), 71)
        self.assertEqual(trials[60].state, TrialState.RUNNING)
        self.assertTrialMatches(trials[60], running)
        self.assertStudyIntact(trials[:60], 60, 1, c["trials"][:60])
        self.assertEqual([t.number for t in trials[61:]], list(range(61, 71)))
        for trial in trials[61:]:
            self.assertEqual(trial.state, TrialState.COMPLETE)
            self.assertEqual(trial.distributions, SPACE)
            self.assertInDistributions(trial)


class CStartsOptunaContinues(Continuation, unittest.TestCase):
    """(b) C creates the study and runs 30 TPE trials; Optuna 30; C 10."""

    def setUp(self):
        optuna.logging.set_verbosity(optuna.logging.ERROR)
        self.tmp = tempfile.TemporaryDirectory(prefix="igm-interop-tpe-")
        self.path = os.path.join(self.tmp.name, "c.db")

    def tearDown(self):
        self.tmp.cleanup()

    def test_c_optuna_c(self):
        c = c_run(sqlite_url(self.path, "v3.0.0.d"), "branin", "create", "single",
                  "TPESampler", 3, 30)
        url = sqlite_url(self.path)
        self.assertEqual(c["ran"], list(range(30)))
        study = optuna.load_study(study_name="branin", storage=url,
                                  sampler=optuna.samplers.TPESampler(seed=PY_SEED))
        self.assertEqual(study.direction, optuna.study.StudyDirection.MINIMIZE)
        self.assertStudyIntact(study.trials, 30, 1, c["trials"])

        study.optimize(single_objective, n_trials=30)
        self.assertStudyIntact(study.trials, 60, 1)
        py60 = study.trials
        self.assertTrialsMatch(py60[:30], c["trials"])  # Optuna left C's trials alone

        c = c_run(url, "branin", "load", "single", "TPESampler", 4, 10)
        self.assertEqual(c["ran"], list(range(60, 70)))
        self.assertTrialsMatch(py60, c["trials"][:60])
        study = optuna.load_study(study_name="branin", storage=url)
        self.assertStudyIntact(study.trials, 70, 1, c["trials"])
        with sqlite3.connect(self.path) as db:
            self.assertEqual(db.execute("SELECT version_num FROM alembic_version").fetchall(),
                             [("v3.0.0.d",)])


class MultiObjective(Continuation, unittest.TestCase):
    """(c) Two objectives: C 20 TPE trials, Optuna 10 (NSGA-II), C 10."""

    def setUp(self):
        optuna.logging.set_verbosity(optuna.logging.ERROR)
        self.tmp = tempfile.TemporaryDirectory(prefix="igm-interop-tpe-")
        self.path = os.path.join(self.tmp.name, "mo.db")

    def tearDown(self):
        self.tmp.cleanup()

    def test_c_nsga2_c(self):
        c = c_run(sqlite_url(self.path, "v3.0.0.d"), "mo", "create", "multi", "TPESampler",
                  8, 20)
        url = sqlite_url(self.path)
        self.assertEqual(c["ran"], list(range(20)))
        # NSGA-II: what Optuna 3.1's create_study gives several objectives.
        study = optuna.load_study(study_name="mo", storage=url,
                                  sampler=optuna.samplers.NSGAIISampler(seed=PY_SEED))
        self.assertEqual(study.directions, [optuna.study.StudyDirection.MINIMIZE] * 2)
        self.assertStudyIntact(study.trials, 20, 2, c["trials"])

        # load_study's default is TPESampler, multi-objective in 3.1: it reads
        # C's 20 trials too (on a copy).
        copy = os.path.join(self.tmp.name, "mo-tpe.db")
        shutil.copyfile(self.path, copy)
        other = optuna.load_study(study_name="mo", storage=sqlite_url(copy))
        self.assertIsInstance(other.sampler, optuna.samplers.TPESampler)
        other.optimize(two_objectives, n_trials=10)
        self.assertStudyIntact(other.trials, 30, 2)

        study.optimize(two_objectives, n_trials=10)
        self.assertStudyIntact(study.trials, 30, 2)
        py30 = study.trials
        for trial in py30[20:]:
            self.assertEqual(trial.system_attrs.get("nsga2:generation"), 0, trial.number)

        base = os.path.join(self.tmp.name, "mo30.db")
        shutil.copyfile(self.path, base)
        c = c_run(url, "mo", "load", "multi", "TPESampler", 9, 10)
        self.assertEqual(c["ran"], list(range(30, 40)))
        self.assertTrialsMatch(py30, c["trials"][:30])
        study = optuna.load_study(study_name="mo", storage=url)
        self.assertStudyIntact(study.trials, 40, 2, c["trials"])

        # The TPE continuation is past its startup: not RandomSampler's draws.
        rnd = c_run(sqlite_url(base), "mo", "load", "multi", "RandomSampler", 9, 10)
        self.assertNotRandom(c["trials"][30:], rnd["trials"][30:])


if __name__ == "__main__":
    C_PROGRAM = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
