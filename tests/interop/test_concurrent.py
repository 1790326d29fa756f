"""8 processes x 200 ask/tell on one SQLite file: every trial number exactly
once, no error, and Optuna 3.1 sees 1600 COMPLETE trials.

Usage: /usr/bin/python3 test_concurrent.py <path to c_concurrent>"""

import os
import sqlite3
import sys
import tempfile
import unittest

import optuna
from optuna.trial import TrialState

from oracle import run_c, sqlite_url

C_CONCURRENT = None
N_PROCS, N_TRIALS = 8, 200
TOTAL = N_PROCS * N_TRIALS


class ConcurrentWriters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        cls.tmp = tempfile.TemporaryDirectory(prefix="igm-interop-cc-")
        cls.path = os.path.join(cls.tmp.name, "concurrent.db")
        cls.url = sqlite_url(cls.path)
        cls.c = run_c(C_CONCURRENT, cls.url, N_PROCS, N_TRIALS, timeout=280)
        cls.c_trials = cls.c["studies"]["concurrent"]["trials"]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_number_exactly_once(self):
        self.assertEqual(self.c["names"], ["concurrent"])
        self.assertEqual(sorted(t["number"] for t in self.c_trials), list(range(TOTAL)))

    def test_every_trial_complete_with_its_own_value(self):
        self.assertEqual({t["state"] for t in self.c_trials}, {"COMPLETE"})
        for t in self.c_trials:
            self.assertEqual(t["values"], [t["params"]["x"]], f"trial {t['number']}")

    def test_numbers_follow_trial_ids(self):
        with sqlite3.connect(self.path) as db:
            numbers = [n for (n,) in db.execute("SELECT number FROM trials ORDER BY trial_id")]
            self.assertEqual(numbers, list(range(TOTAL)))
            self.assertEqual(db.execute("SELECT count(*) FROM studies").fetchone(), (1,))

    def test_file_is_back_in_rollback_journal_mode(self):
        with sqlite3.connect(self.path) as db:
            self.assertEqual(db.execute("PRAGMA journal_mode").fetchone(), ("delete",))
            self.assertEqual(db.execute("SELECT version_num FROM alembic_version").fetchall(),
                             [("v3.2.0.a",)])
        self.assertFalse(os.path.exists(self.path + "-wal"))

    def test_optuna_3_1_sees_all_trials_complete(self):
        storage = optuna.storages.RDBStorage("sqlite:///" + self.path,
                                             skip_compatibility_check=True)
        trials = optuna.load_study(study_name="concurrent", storage=storage).trials
        self.assertEqual(len(trials), TOTAL)
        self.assertEqual([t.number for t in trials], list(range(TOTAL)))
        self.assertTrue(all(t.state == TrialState.COMPLETE for t in trials))
        self.assertTrue(all(t.value == t.params["x"] for t in trials))


if __name__ == "__main__":
    C_CONCURRENT = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
