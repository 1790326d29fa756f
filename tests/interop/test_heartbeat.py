"""Heartbeats across C and Optuna 3.1: Optuna's fail_stale_trials reads the
heartbeats C writes, and C's igmopt_study_fail_stale_trials reads the ones
Optuna's RDBStorage.record_heartbeat writes; live trials are left alone on
both sides.

Usage: /usr/bin/python3 test_heartbeat.py <path to c_heartbeat>"""

import os
import sys
import tempfile
import time
import unittest

import optuna
from optuna.trial import TrialState

from oracle import run_c, sqlite_url

C_HEARTBEAT = None


class Heartbeats(unittest.TestCase):
    def setUp(self):
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        self.tmp = tempfile.TemporaryDirectory(prefix="igm-interop-hb-")
        self.path = os.path.join(self.tmp.name, "heartbeat.db")
        self.url = sqlite_url(self.path)

    def tearDown(self):
        self.tmp.cleanup()

    def optuna_study(self, **heartbeat):
        storage = optuna.storages.RDBStorage("sqlite:///" + self.path,
                                             skip_compatibility_check=True, **heartbeat)
        return optuna.load_study(study_name="hb", storage=storage), storage

    def states(self):
        study, _ = self.optuna_study()
        return {t.number: t.state for t in study.get_trials(deepcopy=False)}

    def test_optuna_fails_the_c_trials_whose_heartbeat_is_stale(self):
        # Optuna 3.1 counts whole seconds of (now - heartbeat) and needs more
        # than grace_period: 2 s plus the truncation of its now.
        self.assertEqual(run_c(C_HEARTBEAT, self.url, "hb", "beat", 2)["numbers"], [0, 1])
        time.sleep(4.1)
        fresh = run_c(C_HEARTBEAT, self.url, "hb", "beat", 1)["numbers"]
        self.assertEqual(fresh, [2])
        study, _ = self.optuna_study(heartbeat_interval=1, grace_period=2)
        optuna.storages.fail_stale_trials(study)
        self.assertEqual(self.states(), {0: TrialState.FAIL, 1: TrialState.FAIL,
                                         2: TrialState.RUNNING})

    def test_c_fails_the_optuna_trials_whose_heartbeat_is_stale(self):
        run_c(C_HEARTBEAT, self.url, "hb", "beat", 0)  # creates the study
        study, storage = self.optuna_study(heartbeat_interval=1)
        old, silent = study.ask(), study.ask()
        storage.record_heartbeat(old._trial_id)
        time.sleep(1.5)
        fresh = study.ask()
        storage.record_heartbeat(fresh._trial_id)
        self.assertEqual(run_c(C_HEARTBEAT, self.url, "hb", "fail", 1.0)["failed"],
                         [old.number])
        self.assertEqual(self.states(), {old.number: TrialState.FAIL,
                                         silent.number: TrialState.RUNNING,
                                         fresh.number: TrialState.RUNNING})
        failed = self.optuna_study()[0].trials[old.number]
        self.assertEqual(failed.system_attrs["fail_reason"],
                         "stale: no heartbeat for over 1 s (its worker stopped)")
        self.assertIsNotNone(failed.datetime_complete)


if __name__ == "__main__":
    C_HEARTBEAT = sys.argv.pop(1)
    unittest.main(verbosity=2)
