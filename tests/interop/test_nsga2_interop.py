"""NSGAIISampler studies written by libigmopt, read and continued by Optuna 3.1.

Usage: TZ=UTC /usr/bin/python3 test_nsga2_interop.py <path to c_nsga2>

(a) C runs NSGA-II for several generations into SQLite; Optuna 3.1 reads every
trial as C printed it, the generation attrs follow [H]'s rule, and each stored
parent population is an elite selection as Optuna 3.1's own NSGA-II code makes
it (whole fronts, the cut front by its crowding distance).  (b) Two C processes
with different seeds alternate on one study and build one population: one
generation sequence, one parent population per generation.  (c) Optuna 3.1's
NSGA-II keeps its own keys (nsga2:generation), so the two do not share
generations: C continues a study Optuna's NSGA-II started (its trials count in
no C generation, C's bookkeeping starts at generation 0) and Optuna continues
C's, both without error."""

import json
import math
import os
import sys
import tempfile
import time
import unittest
import warnings

import optuna
from optuna.samplers.nsgaii._sampler import _calc_crowding_distance
from optuna.trial import TrialState

from oracle import TrialComparison, run_c, sqlite_url

os.environ["TZ"] = "UTC"  # Optuna 3.1 stores naive local time; C and Python agree in UTC
time.tzset()
warnings.simplefilter("ignore", FutureWarning)  # study.system_attrs: what we read here

C_PROGRAM = None
GENERATION = "NSGAIISampler:generation"
PARENT = "NSGAIISampler:parent:"


def mixed(trial):
    """The "mixed" problem of c_nsga2.c."""
    x = trial.suggest_float("x", 0, 1)
    y = trial.suggest_float("y", -2, 2, step=0.5)
    lr = trial.suggest_float("lr", 1e-3, 1, log=True)
    n = trial.suggest_int("n", 0, 10)
    c = trial.suggest_categorical("c", ("a", "b", 3))
    f1 = x + 0.1 * abs(n - 3) + (0 if c == "a" else 0.5) + y * y / 8 + abs(math.log(lr)) / 10
    f2 = 1 - math.sqrt(x) + 0.1 * abs(n - 7) + (0 if c == 3 else 0.5) + (y - 1) ** 2 / 8
    return f1, f2


def c_run(url, name, mode, problem, population, seed, k, running=0):
    return run_c(C_PROGRAM, url, name, mode, problem, population, seed, k, running)


def elite_selection(sampler, study, pool):
    """Optuna 3.1's fronts and crowding distances of the pool."""
    fronts = sampler._fast_non_dominated_sort(list(pool), study.directions)
    return fronts, [_calc_crowding_distance(list(front)) for front in fronts]


class Nsga2Checks(TrialComparison):
    def load(self, url, name):
        return optuna.load_study(study_name=name, storage=url)

    def assertGenerations(self, trials, population, start=0):
        """Sequential runs: trial i is of generation i // population."""
        for i, trial in enumerate(trials):
            self.assertEqual(trial.system_attrs.get(GENERATION), (start + i) // population,
                             f"trial {trial.number}")

    def assertParentsAreElites(self, study, population):
        """Every stored parent population: Optuna 3.1's fronts of (COMPLETE
        trials of g - 1) + (parents of g - 1) taken whole while they fit, the
        front that does not fit cut by crowding distance (ties either way)."""
        attrs = study.system_attrs
        by_id = {t._trial_id: t for t in study.trials}
        last = max(t.system_attrs.get(GENERATION, -1) for t in study.trials)
        parents = []
        sampler = optuna.samplers.NSGAIISampler(population_size=population)
        self.assertIsNone(attrs.get(PARENT + "0"))
        for g in range(1, last + 1):
            stored = attrs.get(PARENT + str(g))
            self.assertIsNotNone(stored, f"parents of generation {g}")
            pool = [t for t in study.trials if t.state == TrialState.COMPLETE and
                    t.system_attrs.get(GENERATION) == g - 1] + parents
            self.assertEqual(len(stored), min(population, len(pool)), f"generation {g}")
            self.assertEqual(len(set(stored)), len(stored))
            self.assertFrontsThenCrowding(sampler, study, pool, {by_id[i].number for i in stored},
                                          g)
            parents = [by_id[i] for i in stored]
        self.assertIsNone(attrs.get(PARENT + str(last + 1)))

    def assertFrontsThenCrowding(self, sampler, study, pool, chosen, g):
        fronts, distances = elite_selection(sampler, study, pool)
        for front, distance in zip(fronts, distances):
            numbers = {t.number for t in front}
            if numbers <= chosen:
                chosen = chosen - numbers
                continue
            kept = [distance[n] for n in numbers & chosen]
            left = [distance[n] for n in numbers - chosen]
            self.assertEqual(len(kept), len(chosen), f"generation {g}: a later front chosen")
            # Duplicated points get different distances depending on sort
            # order; they are interchangeable: the same points as Optuna's cut,
            # or members no less distant than any left out (ties either way).
            theirs = sorted(front, key=lambda t: distance[t.number], reverse=True)[:len(kept)]
            same_points = (sorted(tuple(t.values) for t in theirs) ==
                           sorted(tuple(t.values) for t in front if t.number in chosen))
            if kept and not same_points:
                self.assertGreaterEqual(min(kept), max(left), f"generation {g}: crowding cut")
            return
        self.assertEqual(chosen, set())


class CWritesOptunaReads(Nsga2Checks, unittest.TestCase):
    """(a) C: mixed space, population 6, 40 trials; DTLZ2, population 8, 60."""

    @classmethod
    def setUpClass(cls):
        optuna.logging.set_verbosity(optuna.logging.ERROR)
        cls.tmp = tempfile.TemporaryDirectory(prefix="igm-interop-nsga2-")
        cls.url = sqlite_url(os.path.join(cls.tmp.name, "c.db"), "v3.0.0.d")
        cls.mixed = c_run(cls.url, "mixed", "create", "mixed", 6, 3, 40)
        cls.dtlz2 = c_run(cls.url, "dtlz2", "create", "dtlz2", 8, 4, 60)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_optuna_reads_every_trial_as_c_printed_it(self):
        for name, c, n, m in (("mixed", self.mixed, 40, 2), ("dtlz2", self.dtlz2, 60, 3)):
            study = self.load(self.url, name)
            self.assertEqual(c["ran"], list(range(n)))
            self.assertEqual(len(study.directions), m)
            self.assertTrialsMatch(study.trials, c["trials"])
            for trial in study.trials:
                self.assertEqual(trial.state, TrialState.COMPLETE)
                self.assertInDistributions(trial)
            if name == "mixed":
                for trial in study.trials:
                    self.assertEqual(list(mixed(optuna.trial.FixedTrial(trial.params))),
                                     trial.values, f"trial {trial.number}")

    def test_generations_follow_the_completed_count(self):
        self.assertGenerations(self.load(self.url, "mixed").trials, 6)
        self.assertGenerations(self.load(self.url, "dtlz2").trials, 8)

    def test_parent_populations_are_optunas_elite_selections(self):
        self.assertParentsAreElites(self.load(self.url, "mixed"), 6)
        self.assertParentsAreElites(self.load(self.url, "dtlz2"), 8)

    def test_children_come_from_parents(self):
        """With one parameter per child mutated on average, most children of
        generation >= 1 share most parameter values with some parent."""
        study = self.load(self.url, "dtlz2")
        by_id = {t._trial_id: t for t in study.trials}
        inherited = 0
        for trial in study.trials[8:]:
            g = trial.system_attrs[GENERATION]
            parents = [by_id[i] for i in study.system_attrs[PARENT + str(g)]]
            for name, value in trial.params.items():
                inherited += any(p.params[name] == value for p in parents)
        self.assertGreater(inherited, 0.8 * 52 * 12)


class CAlternatesWithC(Nsga2Checks, unittest.TestCase):
    """(b) Two C processes, seeds 11 and 12, 7 trials each in turn."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="igm-interop-nsga2-")
        self.url = sqlite_url(os.path.join(self.tmp.name, "cc.db"), "v3.0.0.d")

    def tearDown(self):
        self.tmp.cleanup()

    def test_one_population_across_processes(self):
        ran = []
        for turn in range(6):
            mode = "create" if turn == 0 else "load"
            ran += c_run(self.url, "cc", mode, "mixed", 5, 11 + turn % 2, 7)["ran"]
        self.assertEqual(ran, list(range(42)))
        study = self.load(self.url, "cc")
        self.assertGenerations(study.trials, 5)
        self.assertParentsAreElites(study, 5)

    def test_running_trials_of_another_process_do_not_count(self):
        c_run(self.url, "cc", "create", "mixed", 5, 11, 4, 3)  # 4 told, 3 left RUNNING
        c = c_run(self.url, "cc", "load", "mixed", 5, 12, 2)
        generations = [t["system_attrs"][GENERATION] for t in c["trials"]]
        # trial 7 sees 4 COMPLETE trials (the 3 RUNNING ones do not count):
        # generation 0; trial 8 sees 5: generation 1
        self.assertEqual(generations, [0, 0, 0, 0, 0, 0, 0, 0, 1])


class OptunaAndCKeepTheirOwnGenerations(Nsga2Checks, unittest.TestCase):
    """(c) Optuna 3.1 NSGA-II 12 trials, C 14, Optuna 6, C 4."""

    def setUp(self):
        optuna.logging.set_verbosity(optuna.logging.ERROR)
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        self.tmp = tempfile.TemporaryDirectory(prefix="igm-interop-nsga2-")
        self.url = sqlite_url(os.path.join(self.tmp.name, "py.db"))

    def tearDown(self):
        self.tmp.cleanup()

    def py_study(self):
        return optuna.create_study(
            study_name="py", storage=self.url, directions=["minimize"] * 2, load_if_exists=True,
            sampler=optuna.samplers.NSGAIISampler(population_size=6, seed=1))

    def test_c_continues_optunas_study_from_generation_0(self):
        self.py_study().optimize(mixed, n_trials=12)
        c = c_run(self.url, "py", "load", "mixed", 6, 5, 14)
        self.assertEqual(c["ran"], list(range(12, 26)))
        study = self.load(self.url, "py")
        for trial in study.trials[:12]:
            self.assertNotIn(GENERATION, trial.system_attrs)
        self.assertGenerations(study.trials[12:], 6)
        self.assertParentsAreElites(study, 6)

        self.py_study().optimize(mixed, n_trials=6)
        study = self.load(self.url, "py")
        self.assertEqual([t.state for t in study.trials], [TrialState.COMPLETE] * 32)
        for trial in study.trials[26:]:
            self.assertIn("nsga2:generation", trial.system_attrs)
            self.assertNotIn(GENERATION, trial.system_attrs)

        c = c_run(self.url, "py", "load", "mixed", 6, 6, 4)
        study = self.load(self.url, "py")
        self.assertTrialsMatch(study.trials, c["trials"])
        self.assertGenerations(study.trials[32:], 6, start=14)
        self.assertParentsAreElites(study, 6)


if __name__ == "__main__":
    C_PROGRAM = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
