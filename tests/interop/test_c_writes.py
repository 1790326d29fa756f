"""Optuna 3.1 reads what libigmopt writes.

Usage: /usr/bin/python3 test_c_writes.py <path to c_writer>

c_writer fills a fresh SQLite file (stamp v3.0.0.d) and prints the studies as
the library sees them; Optuna then loads the file normally and every field
must match, with the exact values c_writer wrote."""

import math
import os
import shutil
import sqlite3
import sys
import tempfile
import unittest
import warnings

import optuna
from optuna.distributions import (CategoricalDistribution, FloatDistribution,
                                  IntDistribution)
from optuna.trial import TrialState

from oracle import TrialComparison, run_c, sqlite_url

# FloatDistribution(0, 1, step=0.3) warns that high becomes 0.9: expected here.
warnings.filterwarnings("ignore", message="The distribution is specified by")
C_WRITER = None
CHOICES = (True, 1, 1.0, "1", None, "a")
SINGLE_DISTRIBUTIONS = {
    "x": FloatDistribution(-5, 5),
    "lr": FloatDistribution(1e-5, 1e-1, log=True),
    "dx": FloatDistribution(0, 1, step=0.25),
    "q": FloatDistribution(0, 1, step=0.3),
    "n": IntDistribution(0, 10),
    "k": IntDistribution(1, 1024, log=True),
    "m": IntDistribution(0, 100, step=5),
    "c": CategoricalDistribution(CHOICES),
}
INF = math.inf


class CWritesOptunaReads(TrialComparison, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        cls.tmp = tempfile.TemporaryDirectory(prefix="igm-interop-cw-")
        cls.path = os.path.join(cls.tmp.name, "c.db")
        cls.c = run_c(C_WRITER, sqlite_url(cls.path, "v3.0.0.d"))
        cls.storage = "sqlite:///" + cls.path
        cls.studies = {name: optuna.load_study(study_name=name, storage=cls.storage)
                       for name in ("single", "single_max", "multi")}

    @classmethod
    def tearDownClass(cls):
        cls.studies = None
        cls.tmp.cleanup()

    def trials(self, name):
        return self.studies[name].get_trials(deepcopy=False)

    def c_trials(self, name):
        return self.c["studies"][name]["trials"]

    # -- the file itself ---------------------------------------------------

    def test_file_has_the_optuna_3_1_stamp(self):
        with sqlite3.connect(self.path) as db:
            self.assertEqual(db.execute("SELECT version_num FROM alembic_version").fetchall(),
                             [("v3.0.0.d",)])
            self.assertEqual(db.execute("SELECT schema_version FROM version_info").fetchall(),
                             [(12,)])
            self.assertEqual(db.execute("PRAGMA journal_mode").fetchone(), ("delete",))

    def test_study_names_and_directions(self):
        summaries = optuna.get_all_study_summaries(self.storage)
        self.assertEqual([s.study_name for s in summaries], ["single", "single_max", "multi"])
        self.assertEqual(self.c["names"], ["single", "single_max", "multi"])
        self.assertEqual(self.studies["single"].direction, optuna.study.StudyDirection.MINIMIZE)
        self.assertEqual(self.studies["single_max"].direction,
                         optuna.study.StudyDirection.MAXIMIZE)
        self.assertEqual(self.studies["multi"].directions,
                         [optuna.study.StudyDirection.MINIMIZE,
                          optuna.study.StudyDirection.MAXIMIZE])

    # -- every field equals the C view ---------------------------------------

    def test_every_trial_field_matches_the_c_json(self):
        for name in self.studies:
            with self.subTest(study=name):
                self.assertTrialsMatch(self.trials(name), self.c_trials(name))

    # -- the exact values c_writer wrote ---------------------------------------

    def test_states_and_values(self):
        got = [(t.state, t.values) for t in self.trials("single")]
        self.assertEqual(got[:6], [
            (TrialState.COMPLETE, [1.25]),
            (TrialState.COMPLETE, [-INF]),
            (TrialState.COMPLETE, [0.5]),
            (TrialState.PRUNED, [1.5]),
            (TrialState.FAIL, None),
            (TrialState.FAIL, None),
        ])
        self.assertEqual(got[6:12], [(TrialState.COMPLETE, [10.0 + i]) for i in range(6)])
        self.assertEqual(got[12], (TrialState.RUNNING, None))
        self.assertEqual([t.values for t in self.trials("single_max")], [[INF], [2.0], [-INF]])
        multi = [(t.state, t.values) for t in self.trials("multi")]
        self.assertEqual(multi, [
            (TrialState.COMPLETE, [1.0, 1.0]),
            (TrialState.COMPLETE, [2.0, 2.0]),
            (TrialState.COMPLETE, [INF, INF]),
            (TrialState.COMPLETE, [0.0, -INF]),
            (TrialState.COMPLETE, [1.0, 0.0]),
            (TrialState.FAIL, None),
            (TrialState.RUNNING, None),
        ])

    def test_enqueued_trial_used_its_fixed_params_with_their_types(self):
        first = self.trials("single")[0]
        expected = {"x": 1.5, "lr": 0.001, "dx": 0.75, "q": 0.3, "n": 4, "k": 16, "m": 35,
                    "c": "1"}
        self.assertSameJson(first.params, expected, "params")
        self.assertSameJson(first.system_attrs, {"fixed_params": expected}, "system_attrs")

    def test_each_categorical_choice_keeps_its_python_type(self):
        got = [self.trials("single")[n].params["c"] for n in range(6, 12)]
        self.assertEqual([type(v) for v in got], [bool, int, float, str, type(None), str])
        self.assertSameJson(got, list(CHOICES), "choices")

    def test_distributions_are_the_ones_suggested(self):
        for trial in self.trials("single"):
            self.assertEqual(trial.distributions, SINGLE_DISTRIBUTIONS, f"trial {trial.number}")
            self.assertInDistributions(trial)
        for trial in self.trials("multi"):
            self.assertEqual(trial.distributions,
                             {"x": FloatDistribution(-1, 1),
                              "c": CategoricalDistribution(("a", "b", 3))})

    def test_intermediate_values_keep_nan_and_infinities(self):
        first, pruned = self.trials("single")[0], self.trials("single")[3]
        self.assertEqual(sorted(first.intermediate_values), [0, 1, 2, 3])
        self.assertEqual(first.intermediate_values[0], 3.0)
        self.assertTrue(math.isnan(first.intermediate_values[1]))
        self.assertEqual(first.intermediate_values[2], INF)
        self.assertEqual(first.intermediate_values[3], -INF)
        self.assertEqual(pruned.intermediate_values, {0: 2.0, 1: 1.5})

    def test_user_and_system_attrs(self):
        single = self.studies["single"]
        self.assertEqual(single.user_attrs, {"owner": "glacier",
                                             "config": {"n": 3, "tags": ["a", "b"]}})
        self.assertEqual(single.system_attrs, {"study:metric_names": ["loss"],
                                               "dashboard:objective_names": ["loss"]})
        self.assertEqual(self.studies["multi"].system_attrs,
                         {"study:metric_names": ["loss", "acc"],
                          "dashboard:objective_names": ["loss", "acc"]})
        if hasattr(single, "metric_names"):  # Optuna >= 3.2 only
            self.assertEqual(single.metric_names, ["loss"])
            self.assertEqual(self.studies["multi"].metric_names, ["loss", "acc"])
        self.assertEqual(self.trials("single")[0].user_attrs,
                         {"note": {"nested": [1, "two", None]}})
        self.assertIn("nan", self.trials("single")[5].system_attrs["fail_reason"])
        self.assertIn("number of the values", self.trials("multi")[5].system_attrs["fail_reason"])

    def test_datetimes(self):
        for name in self.studies:
            for trial in self.trials(name):
                self.assertIsNotNone(trial.datetime_start)
                finished = trial.state.is_finished()
                self.assertEqual(trial.datetime_complete is not None, finished)
                if finished:
                    self.assertLessEqual(trial.datetime_start, trial.datetime_complete)

    def test_best_trial_single_objective(self):
        # -inf is stored as NULL, which SQLite sorts first: Optuna 3.1 agrees here.
        self.assertEqual(self.studies["single"].best_trial.number, 1)
        self.assertEqual(self.studies["single"].best_value, -INF)
        self.assertEqual([t["number"] for t in self.c["studies"]["single"]["best"]], [1])
        # 3.1's SQL puts +inf (NULL) last when maximizing; the true best is the +inf trial.
        self.assertEqual([t["number"] for t in self.c["studies"]["single_max"]["best"]], [0])

    def test_best_trials_pareto_front(self):
        expected = sorted(t.number for t in self.studies["multi"].best_trials)
        self.assertEqual(expected, [0, 1, 2, 3])
        self.assertEqual([t["number"] for t in self.c["studies"]["multi"]["best"]], expected)

    def test_trials_dataframe_columns_and_values(self):
        df = self.studies["single"].trials_dataframe()
        params = [f"params_{n}" for n in sorted(SINGLE_DISTRIBUTIONS)]
        self.assertEqual(list(df.columns),
                         ["number", "value", "datetime_start", "datetime_complete", "duration",
                          *params, "user_attrs_note", "system_attrs_fail_reason",
                          "system_attrs_fixed_params", "state"])
        self.assertEqual(len(df), 13)
        self.assertEqual(df["value"][1], -INF)
        self.assertEqual(df["params_c"][9], "1")
        self.assertEqual(df["state"][12], "RUNNING")
        multi = self.studies["multi"].trials_dataframe()
        self.assertEqual(list(multi.columns),
                         ["number", "values_0", "values_1", "datetime_start",
                          "datetime_complete", "duration", "params_c", "params_x",
                          "system_attrs_fail_reason", "state"])
        self.assertEqual(multi["values_1"][3], -INF)

    def test_python_continues_the_c_study(self):
        copy = os.path.join(self.tmp.name, "continued.db")
        shutil.copyfile(self.path, copy)
        storage = "sqlite:///" + copy
        study = optuna.load_study(study_name="single", storage=storage,
                                  sampler=optuna.samplers.RandomSampler(seed=1))
        trial = study.ask(SINGLE_DISTRIBUTIONS)
        study.tell(trial, 0.125)
        self.assertEqual(trial.number, 13)
        again = optuna.load_study(study_name="single", storage=storage)
        self.assertEqual(again.trials[13].values, [0.125])
        self.assertEqual(again.trials[13].distributions, SINGLE_DISTRIBUTIONS)


if __name__ == "__main__":
    C_WRITER = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
