"""libigmopt reads (and continues) what Optuna 3.1 writes.

Usage: TZ=UTC /usr/bin/python3 test_optuna_writes.py <path to c_reader>

Optuna 3.1 fills a fresh SQLite file (it stamps v3.0.0.d) with studies of
the same kinds as c_writer's; c_reader prints them and every field must
equal Optuna's own FrozenTrials.  Then c_reader continues two studies and
Optuna reads them again.  Optuna 3.1 stores naive local time, so the
comparison of datetime text runs in UTC."""

import json
import math
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import unittest
import warnings

import optuna
from optuna.distributions import (CategoricalDistribution, FloatDistribution,
                                  IntDistribution)
from optuna.trial import TrialState

from oracle import TrialComparison, run_c

# FloatDistribution(0, 1, step=0.3) warns that high becomes 0.9: expected here.
warnings.filterwarnings("ignore", message="The distribution is specified by")
os.environ["TZ"] = "UTC"
time.tzset()

C_READER = None
INF = math.inf
NAN = math.nan
CHOICES = (True, 1, 1.0, "1", None, "a")
SINGLE_SPACE = {
    "x": FloatDistribution(-5, 5),
    "lr": FloatDistribution(1e-5, 1e-1, log=True),
    "dx": FloatDistribution(0, 1, step=0.25),
    "q": FloatDistribution(0, 1, step=0.3),
    "n": IntDistribution(0, 10),
    "k": IntDistribution(1, 1024, log=True),
    "m": IntDistribution(0, 100, step=5),
    "c": CategoricalDistribution(CHOICES),
}
MULTI_SPACE = {"x": FloatDistribution(-1, 1), "c": CategoricalDistribution(("a", "b", 3))}
STUDY_NAMES = ["single", "single_max", "multi", "empty"]


def write_single(storage):
    study = optuna.create_study(study_name="single", storage=storage,
                                sampler=optuna.samplers.RandomSampler(seed=3))
    study.set_user_attr("owner", "glacier")
    study.set_user_attr("config", {"n": 3, "tags": ["a", "b"]})
    study.enqueue_trial({"x": 1.5, "lr": 0.001, "dx": 0.75, "q": 0.3, "n": 4, "k": 16,
                         "m": 35, "c": "1"})

    t = study.ask(SINGLE_SPACE)  # 0: the enqueued one
    for step, value in enumerate([3.0, NAN, INF, -INF]):
        t.report(value, step)
    t.set_user_attr("note", {"nested": [1, "two", None]})
    t.set_user_attr("weird", NAN)
    t.set_user_attr("big", [INF, -INF])
    study.tell(t, 1.25)
    study.tell(study.ask(SINGLE_SPACE), -INF)  # 1
    study.tell(study.ask(SINGLE_SPACE), 0.5)  # 2
    t = study.ask(SINGLE_SPACE)  # 3
    t.report(2.0, 0)
    t.report(1.5, 1)
    study.tell(t, state=TrialState.PRUNED)
    study.tell(study.ask(SINGLE_SPACE), state=TrialState.FAIL)  # 4
    study.tell(study.ask(SINGLE_SPACE), NAN)  # 5: FAIL
    for choice in CHOICES:  # 6..11
        study.enqueue_trial({"c": choice})
    for i in range(len(CHOICES)):
        study.tell(study.ask(SINGLE_SPACE), 10.0 + i)
    study.ask(SINGLE_SPACE)  # 12: left RUNNING
    study.enqueue_trial({"x": -2.5, "c": None, "n": 7})  # 13: WAITING


def write_single_max(storage):
    study = optuna.create_study(study_name="single_max", storage=storage, direction="maximize",
                                sampler=optuna.samplers.RandomSampler(seed=4))
    for value in (INF, 2.0, -INF):
        study.tell(study.ask({"x": FloatDistribution(0, 1)}), value)


def write_multi(storage):
    study = optuna.create_study(study_name="multi", storage=storage,
                                directions=["minimize", "maximize"],
                                sampler=optuna.samplers.NSGAIISampler(seed=5))
    for values in ((1, 1), (2, 2), (INF, INF), (0, -INF), (1, 0)):
        study.tell(study.ask(MULTI_SPACE), values)
    study.tell(study.ask(MULTI_SPACE), state=TrialState.FAIL)
    study.ask(MULTI_SPACE)  # left RUNNING


def write_studies(storage):
    write_single(storage)
    write_single_max(storage)
    write_multi(storage)
    optuna.create_study(study_name="empty", storage=storage)


class OptunaWritesCReads(TrialComparison, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        optuna.logging.set_verbosity(optuna.logging.ERROR)
        warnings.simplefilter("ignore")
        cls.tmp = tempfile.TemporaryDirectory(prefix="igm-interop-ow-")
        cls.path = os.path.join(cls.tmp.name, "py.db")
        cls.storage = "sqlite:///" + cls.path
        write_studies(cls.storage)
        cls.c = run_c(C_READER, cls.storage, "dump", *STUDY_NAMES)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def load(self, name):
        return optuna.load_study(study_name=name, storage=self.storage)

    def c_continue(self, name, rounds):
        """c_reader continues the study in a copy of the file; returns (url, C view)."""
        copy = os.path.join(self.tmp.name, f"continued-{name}.db")
        shutil.copyfile(self.path, copy)
        url = "sqlite:///" + copy
        return url, run_c(C_READER, url, "continue", name, rounds)["studies"][name]

    # -- reading ---------------------------------------------------------------

    def test_names_in_creation_order(self):
        self.assertEqual(self.c["names"], STUDY_NAMES)

    def test_every_trial_field_matches_optuna(self):
        for name in STUDY_NAMES:
            with self.subTest(study=name):
                self.assertTrialsMatch(self.load(name).trials, self.c["studies"][name]["trials"])

    def test_what_optuna_wrote_is_what_c_sees(self):
        trials = self.c["studies"]["single"]["trials"]
        self.assertEqual([t["state"] for t in trials],
                         ["COMPLETE", "COMPLETE", "COMPLETE", "PRUNED", "FAIL", "FAIL"] +
                         ["COMPLETE"] * 6 + ["RUNNING", "WAITING"])
        self.assertEqual(trials[1]["values"], [-INF])
        self.assertEqual(trials[3]["values"], [1.5])
        self.assertSameJson(trials[0]["params"],
                            {"x": 1.5, "lr": 0.001, "dx": 0.75, "q": 0.3, "n": 4, "k": 16,
                             "m": 35, "c": "1"}, "enqueued params")
        # Optuna stores a categorical by choices.index(value): 1 and 1.0 become True.
        self.assertSameJson([t["params"]["c"] for t in trials[6:12]],
                            [True, True, True, "1", None, "a"], "choices")
        self.assertEqual(trials[0]["intermediate_values"]["2"], INF)
        self.assertTrue(math.isnan(trials[0]["intermediate_values"]["1"]))
        self.assertTrue(math.isnan(trials[0]["user_attrs"]["weird"]))
        self.assertEqual(trials[0]["user_attrs"]["big"], [INF, -INF])
        self.assertSameJson(trials[13]["system_attrs"],
                            {"fixed_params": {"x": -2.5, "c": None, "n": 7}}, "WAITING attrs")
        self.assertIsNone(trials[13]["datetime_start"])
        multi = self.c["studies"]["multi"]["trials"]
        self.assertEqual(multi[0]["system_attrs"], {"nsga2:generation": 0})
        self.assertEqual(multi[3]["values"], [0.0, -INF])

    def test_distributions_as_optuna_writes_them(self):
        for trial in self.c["studies"]["single"]["trials"][:13]:
            for name, dist in SINGLE_SPACE.items():
                self.assertSameJson(trial["distributions"][name],
                                    {"name": type(dist).__name__,
                                     "attributes": self.attributes(dist)}, name)

    @staticmethod
    def attributes(dist):
        return json.loads(optuna.distributions.distribution_to_json(dist))["attributes"]

    def test_best_trials(self):
        best = {name: [t["number"] for t in self.c["studies"][name]["best"]]
                for name in STUDY_NAMES}
        self.assertEqual(best["single"], [self.load("single").best_trial.number])
        self.assertEqual(best["single"], [1])
        self.assertEqual(best["single_max"], [0])  # +inf, whatever 3.1's SQL says
        self.assertEqual(best["multi"], sorted(t.number for t in self.load("multi").best_trials))
        self.assertEqual(best["multi"], [0, 1, 2, 3])
        self.assertEqual(best["empty"], [])
        self.assertEqual(self.c["studies"]["empty"]["trials"], [])

    # -- continuing --------------------------------------------------------

    def test_c_continues_single_popping_the_waiting_trial(self):
        url, c_view = self.c_continue("single", 3)
        study = optuna.load_study(study_name="single", storage=url)
        trials = study.trials
        self.assertEqual(len(trials), 16)
        self.assertTrialsMatch(trials, c_view["trials"])
        self.assertTrialsMatch(trials[:13], self.c["studies"]["single"]["trials"][:13])
        popped = trials[13]
        self.assertEqual(popped.state, TrialState.COMPLETE)
        self.assertEqual(popped.values, [100.0])
        self.assertSameJson({k: popped.params[k] for k in ("x", "c", "n")},
                            {"x": -2.5, "c": None, "n": 7}, "fixed params")
        self.assertEqual([t.values for t in trials[14:]], [[101.0], [102.0]])
        for trial in trials[13:]:
            self.assertEqual(trial.distributions, SINGLE_SPACE, f"trial {trial.number}")
            self.assertInDistributions(trial)
            self.assertLessEqual(trial.datetime_start, trial.datetime_complete)
        with sqlite3.connect(url[len("sqlite:///"):]) as db:
            self.assertEqual(db.execute("SELECT version_num FROM alembic_version").fetchall(),
                             [("v3.0.0.d",)])

    def test_c_continues_multi(self):
        url, c_view = self.c_continue("multi", 2)
        trials = optuna.load_study(study_name="multi", storage=url).trials
        self.assertEqual(len(trials), 9)
        self.assertTrialsMatch(trials, c_view["trials"])
        self.assertEqual([t.values for t in trials[7:]], [[100.0, -100.0], [101.0, -101.0]])
        for trial in trials[7:]:
            self.assertEqual(trial.distributions, MULTI_SPACE)
            self.assertInDistributions(trial)

    def test_python_goes_on_after_c(self):
        url, _ = self.c_continue("single", 2)  # pops 13, creates 14
        study = optuna.load_study(study_name="single", storage=url)
        trial = study.ask(SINGLE_SPACE)
        study.tell(trial, 7.0)
        self.assertEqual(trial.number, 15)
        self.assertEqual(optuna.load_study(study_name="single", storage=url).trials[15].values,
                         [7.0])


if __name__ == "__main__":
    C_READER = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
