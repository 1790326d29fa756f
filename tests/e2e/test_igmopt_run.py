#!/usr/bin/python3
"""End-to-end tests of igmopt-run: real sweeps of small shell-script trials
in temporary directories, checked through what the trials wrote (argv,
environment, timestamps) and what the study holds (SQLite, and Optuna 3.1
as the reader for fail reasons).

    IGMOPT_RUN=build/tools/igmopt-run/igmopt-run /usr/bin/python3 \
        tests/e2e/test_igmopt_run.py [TestClass ...]

GLACIER_SIM (build/examples/glacier/glacier_sim) enables the glacier run.
"""
import json
import os
import pty
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

IGMOPT_RUN = os.path.abspath(os.environ.get("IGMOPT_RUN", "build/tools/igmopt-run/igmopt-run"))
GLACIER_SIM = os.environ.get("GLACIER_SIM") and os.path.abspath(os.environ["GLACIER_SIM"])
SEED_TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures",
                             "optuna_params.seed.yaml")
BUNDLED_EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                               "examples", "glacier", "optuna_params.yaml")
KILL_GRACE = "0.5"  # seconds from SIGTERM to SIGKILL in these runs

# Trial scripts share these lines: stamp NAME writes the time to a file in
# the trial directory (the cwd); score writes a one-objective score file.
SCRIPT_HEAD = """#!/bin/sh
stamp() { date +%s.%N > "$1"; }
score() { echo "{\\"cost\\": $1}" > _igm_score.json; }
n=$IGMOPT_TRIAL_NUMBER
"""


def config_text(study="e2e", n_trials=4, n_jobs=2, extra="", parameters=None,
                objectives=("cost",), command='["./child.sh"]',
                sampler=("  method: RandomSampler", "  seed: 7")):
    lines = ["objectives:"]
    for name in objectives:
        lines += ["  - name: %s" % name, "    direction: minimize"]
    lines += [
        "n_trials: %d" % n_trials,
        "n_jobs: %d" % n_jobs,
        "storage: sqlite:///optuna.db",
        "study_name: %s" % study,
        "sampler:",
        *sampler,
        "command: %s" % command,
        "parameters:",
    ]
    lines += (parameters or ["  - name: x", "    type: float", "    low: 0.0",
                             "    high: 1.0"])
    return "\n".join(lines) + "\n" + extra


class Sweep:
    """A directory holding optuna_params.yaml and the trial script."""

    def __init__(self, test, script, config):
        self.dir = tempfile.mkdtemp(prefix="igmopt-e2e-")
        test.addCleanup(shutil.rmtree, self.dir, True)
        self.write("child.sh", SCRIPT_HEAD + script, mode=0o755)
        self.write("optuna_params.yaml", config)
        self.db = os.path.join(self.dir, "optuna.db")

    def write(self, name, text, mode=0o644):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def env(self, extra=None):
        env = dict(os.environ, IGMOPT_KILL_GRACE=KILL_GRACE)
        env.pop("CUDA_VISIBLE_DEVICES", None)
        env.update(extra or {})
        return env

    def popen(self, *args, env=None, cwd=None, **kw):
        return subprocess.Popen([IGMOPT_RUN] + list(args), cwd=cwd or self.dir,
                                env=self.env(env), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, **kw)

    def run(self, *args, env=None, cwd=None, timeout=60):
        p = self.popen(*args, env=env, cwd=cwd)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()  # a hung runner must not outlive the test (its trials die with it)
            p.communicate()
            raise
        return p.returncode, out, err

    def trial_path(self, number, name=""):
        return os.path.join(self.dir, "multirun", str(number), name)

    def read(self, number, name):
        with open(self.trial_path(number, name)) as f:
            return f.read()

    def stamp(self, number, name):
        return float(self.read(number, name))

    def trials(self, study="e2e"):
        """number -> {state, values, fail_reason} straight from SQLite."""
        con = sqlite3.connect(self.db)
        try:
            rows = con.execute(
                "SELECT t.trial_id, t.number, t.state FROM trials t JOIN studies s "
                "USING (study_id) WHERE s.study_name = ? ORDER BY t.number", (study,))
            out = {}
            for trial_id, number, state in rows.fetchall():
                values = [v for (v,) in con.execute(
                    "SELECT value FROM trial_values WHERE trial_id = ? ORDER BY objective",
                    (trial_id,))]
                reason = con.execute(
                    "SELECT value_json FROM trial_system_attributes WHERE trial_id = ? AND "
                    "key = 'fail_reason'", (trial_id,)).fetchone()
                out[number] = {"state": state, "values": values,
                               "fail_reason": json.loads(reason[0]) if reason else None}
            return out
        finally:
            con.close()


def optuna_trials(db, study):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = optuna.storages.RDBStorage("sqlite:///" + db, skip_compatibility_check=True)
    return optuna.load_study(study_name=study, storage=storage).get_trials(deepcopy=False)


def wait_for(predicate, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0) but is no longer running
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


class TestScheduling(unittest.TestCase):
    def test_parallel_slots_overlap(self):
        sweep = Sweep(self, "stamp start; sleep 0.6; stamp end; score 1.0\n",
                      config_text(n_trials=4, n_jobs=2))
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        spans = [(sweep.stamp(n, "start"), sweep.stamp(n, "end")) for n in range(4)]
        most = max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)
        self.assertEqual(most, 2, spans)
        self.assertLess(spans[1][0], spans[0][1])  # trials 0 and 1 ran together

    def test_slow_trial_does_not_hold_back_the_next_launch(self):
        sweep = Sweep(self, 'stamp start\n[ "$n" = 0 ] && sleep 3 || sleep 0.1\n'
                            "stamp end; score 1.0\n",
                      config_text(n_trials=8, n_jobs=2))
        t0 = time.monotonic()
        rc, _, err = sweep.run()
        elapsed = time.monotonic() - t0
        self.assertEqual(rc, 0, err)
        slow_end = sweep.stamp(0, "end")
        for n in range(1, 8):
            self.assertLess(sweep.stamp(n, "end"), slow_end, "trial %d waited for trial 0" % n)
        self.assertLess(elapsed, 4.5)

    def test_timeout_counts_from_each_trial_start(self):
        # Three slots, five trials: the later ones start when a slot frees,
        # and each ends about trial_timeout after its own start.
        sweep = Sweep(self, "stamp start; exec sleep 30\n",
                      config_text(n_trials=5, n_jobs=3, extra="trial_timeout: 1\n"))
        t0 = time.monotonic()
        rc, _, err = sweep.run()
        elapsed = time.monotonic() - t0
        self.assertEqual(rc, 0, err)
        trials = sweep.trials()
        for n in range(5):
            self.assertEqual(trials[n]["state"], "FAIL")
            self.assertEqual(trials[n]["fail_reason"], "timeout after 1 s")
        self.assertLess(elapsed, 4.0, "5 trials on 3 slots with a 1 s limit take ~2 s, not 5")
        for t in optuna_trials(sweep.db, "e2e"):
            seconds = (t.datetime_complete - t.datetime_start).total_seconds()
            self.assertGreater(seconds, 0.95)
            self.assertLess(seconds, 1.8, "trial %d ran %.2f s" % (t.number, seconds))

    def test_timeout_kills_a_trial_ignoring_sigterm_after_the_grace(self):
        sweep = Sweep(self, "trap '' TERM; sleep 30\n",
                      config_text(n_trials=1, n_jobs=1, extra="trial_timeout: 0.5\n"))
        t0 = time.monotonic()
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        self.assertLess(time.monotonic() - t0, 2.5)  # 0.5 s limit + 0.5 s grace
        self.assertEqual(sweep.trials()[0]["fail_reason"], "timeout after 0.5 s")

    def test_output_goes_to_files_and_never_stalls_a_trial(self):
        # 2 MiB on stdout would block forever on an undrained pipe.
        sweep = Sweep(self, 'head -c 2097152 /dev/zero; echo "to stderr" >&2; pwd > cwd\n'
                            "score 1.0\n",
                      config_text(n_trials=2, n_jobs=2))
        rc, _, err = sweep.run(timeout=20)
        self.assertEqual(rc, 0, err)
        for n in range(2):
            self.assertEqual(os.path.getsize(sweep.trial_path(n, "stdout.txt")), 2097152)
            self.assertEqual(sweep.read(n, "stderr.txt"), "to stderr\n")
            self.assertEqual(os.path.realpath(sweep.read(n, "cwd").strip()),
                             os.path.realpath(sweep.trial_path(n)))

    def test_processes_a_trial_leaves_behind_do_not_outlive_it(self):
        sweep = Sweep(self, "sleep 30 & echo $! > bg; score 1.0\n",
                      config_text(n_trials=2, n_jobs=2))
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        for n in range(2):
            pid = int(sweep.read(n, "bg"))
            self.assertTrue(wait_for(lambda: not process_alive(pid), 2), "pid %d lives" % pid)


class TestEnvironment(unittest.TestCase):
    ENV_SCRIPT = ("env | grep -E '^(IGMOPT_|CUDA_VISIBLE_DEVICES|TF_FORCE)' | sort > env\n"
                  "stamp start; sleep 0.4; stamp end; score 1.0\n")

    def env_of(self, sweep, n):
        return dict(line.split("=", 1) for line in sweep.read(n, "env").splitlines())

    def devices(self, sweep, n_trials):
        return [self.env_of(sweep, n).get("CUDA_VISIBLE_DEVICES") for n in range(n_trials)]

    def test_trial_variables(self):
        sweep = Sweep(self, self.ENV_SCRIPT, config_text(n_trials=2))
        rc, _, err = sweep.run(env={"IGMOPT_TRIAL_NUMBER": "99"})
        self.assertEqual(rc, 0, err)
        env = self.env_of(sweep, 1)
        self.assertEqual(env["IGMOPT_STORAGE"], "sqlite:///" + sweep.db)
        self.assertEqual(env["IGMOPT_STUDY"], "e2e")
        self.assertEqual(env["IGMOPT_TRIAL_NUMBER"], "1")
        self.assertEqual(os.path.realpath(env["IGMOPT_TRIAL_DIR"]),
                         os.path.realpath(sweep.trial_path(1)))

    def test_descriptors_of_the_host_do_not_leak_into_trials(self):
        sweep = Sweep(self, '[ -e /proc/$$/fd/"$HOST_FD" ] && echo leaked > leak; score 1.0\n',
                      config_text(n_trials=1))
        with open(sweep.write("held.txt", ""), "r") as held:
            fd = held.fileno()
            os.set_inheritable(fd, True)
            p = subprocess.Popen([IGMOPT_RUN], cwd=sweep.dir, pass_fds=(fd,),
                                 env=sweep.env({"HOST_FD": str(fd)}),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            _, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0, err)
        self.assertFalse(os.path.exists(sweep.trial_path(0, "leak")))

    def test_option_a_memory_growth_only(self):
        sweep = Sweep(self, self.ENV_SCRIPT,
                      config_text(n_trials=2, extra="gpu_allow_growth: true\n"))
        rc, _, err = sweep.run(env={"CUDA_VISIBLE_DEVICES": "3"})
        self.assertEqual(rc, 0, err)
        for n in range(2):
            env = self.env_of(sweep, n)
            self.assertEqual(env["TF_FORCE_GPU_ALLOW_GROWTH"], "true")
            self.assertEqual(env["CUDA_VISIBLE_DEVICES"], "3")  # inherited, untouched

    def test_option_b_one_trial_per_gpu(self):
        sweep = Sweep(self, self.ENV_SCRIPT,
                      config_text(n_trials=4, n_jobs=2, extra="gpu_ids: [0, 1]\n"))
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        devices = self.devices(sweep, 4)
        self.assertEqual(sorted(devices), ["0", "0", "1", "1"])
        for n in range(4):  # trials that overlap never share a GPU
            for m in range(n):
                overlap = (sweep.stamp(n, "start") < sweep.stamp(m, "end") and
                           sweep.stamp(m, "start") < sweep.stamp(n, "end"))
                if overlap:
                    self.assertNotEqual(devices[n], devices[m])
        self.assertNotIn("TF_FORCE_GPU_ALLOW_GROWTH", self.env_of(sweep, 0))

    def test_option_c_several_trials_per_gpu(self):
        sweep = Sweep(self, self.ENV_SCRIPT,
                      config_text(n_trials=4, n_jobs=4,
                                  extra="gpu_ids: [0, 1]\ngpu_allow_growth: true\n"))
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        self.assertEqual(sorted(self.devices(sweep, 4)), ["0", "0", "1", "1"])
        self.assertEqual(self.env_of(sweep, 3)["TF_FORCE_GPU_ALLOW_GROWTH"], "true")

    def test_gpu_ids_index_an_inherited_device_list(self):
        sweep = Sweep(self, self.ENV_SCRIPT,
                      config_text(n_trials=4, n_jobs=4, extra="gpu_ids: [0, 1]\n"))
        rc, _, err = sweep.run(env={"CUDA_VISIBLE_DEVICES": "5,7"})
        self.assertEqual(rc, 0, err)
        self.assertEqual(sorted(self.devices(sweep, 4)), ["5", "5", "7", "7"])
        self.assertIn("on GPU 1 (CUDA_VISIBLE_DEVICES=7)", err)

    def test_gpu_id_outside_the_inherited_list_is_a_config_error(self):
        sweep = Sweep(self, self.ENV_SCRIPT, config_text(extra="gpu_ids: [2]\n"))
        for check in ([], ["--check"]):
            rc, _, err = sweep.run(*check, env={"CUDA_VISIBLE_DEVICES": "5,7"})
            self.assertEqual(rc, 2, check)
            self.assertRegex(err, r"optuna_params.yaml:\d+: key 'gpu_ids': 2 is not an index "
                             r"into the inherited CUDA_VISIBLE_DEVICES=5,7 ")
        self.assertFalse(os.path.exists(sweep.trial_path(0)))

    def test_relative_command_resolves_against_the_config_directory(self):
        sweep = Sweep(self, self.ENV_SCRIPT, config_text(n_trials=1))
        elsewhere = tempfile.mkdtemp(prefix="igmopt-e2e-cwd-")
        self.addCleanup(shutil.rmtree, elsewhere, True)
        rc, _, err = sweep.run("-c", os.path.join(sweep.dir, "optuna_params.yaml"),
                               cwd=elsewhere)
        self.assertEqual(rc, 0, err)
        self.assertEqual(sweep.trials()[0]["state"], "COMPLETE")

    def test_a_relative_command_typed_on_the_command_line_resolves_against_the_cwd(self):
        sweep = Sweep(self, "", config_text(n_trials=1, command='["./typed.sh"]'))
        elsewhere = tempfile.mkdtemp(prefix="igmopt-e2e-cwd-")
        self.addCleanup(shutil.rmtree, elsewhere, True)
        with open(os.path.join(elsewhere, "typed.sh"), "w") as f:
            f.write(SCRIPT_HEAD + "score 0.25\n")
        os.chmod(os.path.join(elsewhere, "typed.sh"), 0o755)
        config = os.path.join(sweep.dir, "optuna_params.yaml")
        rc, _, err = sweep.run("-c", config, "--check", cwd=elsewhere)
        self.assertEqual(rc, 2)
        self.assertIn("program './typed.sh' (in %s) cannot be run" % os.path.realpath(sweep.dir),
                      err)
        for typed in (["--", "./typed.sh"], ["command=[./typed.sh]"]):
            rc, _, err = sweep.run("-c", config, "n_trials=1", *typed, cwd=elsewhere)
            self.assertEqual(rc, 0, err)
        self.assertEqual([t["values"] for t in sweep.trials().values()], [[0.25], [0.25]])


class TestOverrides(unittest.TestCase):
    def test_values_arrive_in_hydra_syntax(self):
        parameters = [
            "  - name: lr", "    type: float", "    low: 1.0e-05", "    high: 1.0e-05",
            "  - name: n", "    type: int", "    low: 4503599627370497",
            "    high: 4503599627370497",
            "  - name: big", "    type: categorical", "    choices: [4611686018427387905]",
            "  - name: label", "    type: categorical", "    choices: ['a, b']",
            "  - name: none", "    type: categorical", "    choices: [null]",
            "  - name: flag", "    type: categorical", "    choices: [false]",
            "  - name: one", "    type: categorical", "    choices: ['1']",
        ]
        overrides = "\n".join([
            "overrides:",
            "  space: 'hello world'",
            "  comma: 'x,y'",
            "  nothing: null",
            "  yes: true",
            "  tiny: 1.0e-05",
            "  huge: 12345678901234567",
            "  beyond_64_bits: 12345678901234567890",
            "  beyond_64_bits_hex: 0x1_0000_0000_0000_0000",
            "  word_true: 'true'",
            "  word_null: 'null'",
            "  quote: \"it's\"",
            "  brackets: '[1]'",
            "  braces: '{a: 1}'",
            "  equals: 'a=b'",
            "  backslash_quote: \"a\\\\'b\"",
            "  path: some/dir-1.txt",
            "  interpolation: '${oc.env:HOME}'",
            "  empty: ''",
        ]) + "\n"
        sweep = Sweep(self, "printf '%s\\n' \"$@\" > argv; score 1.0\n",
                      config_text(n_trials=1, parameters=parameters, extra=overrides))
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        self.assertEqual(sweep.read(0, "argv").splitlines(), [
            "space='hello world'",
            "comma='x,y'",
            "nothing=null",
            "yes=true",
            "tiny=1e-05",
            "huge=12345678901234567",
            "beyond_64_bits=12345678901234567890",
            "beyond_64_bits_hex=18446744073709551616",
            "word_true='true'",
            "word_null='null'",
            "quote='it\\'s'",
            "brackets='[1]'",
            "braces='{a: 1}'",
            "equals='a=b'",
            "backslash_quote='a\\\\\\'b'",
            "path=some/dir-1.txt",
            "interpolation=${oc.env:HOME}",
            "empty=''",
            "lr=1e-05",
            "n=4503599627370497",
            "big=4611686018427387905",
            "label='a, b'",
            "none=null",
            "flag=false",
            "one='1'",
        ])


class TestOutcomes(unittest.TestCase):
    SCRIPT = """case $n in
0) exit 3 ;;
1) kill -9 $$ ;;
2) exec sleep 30 ;;
3) exit 0 ;;
4) printf '{"cost_volume": 1.0, ' > _igm_score.json ;;
5) echo '{"cost_volume": 1.0}' > _igm_score.json ;;
6) echo '{"cost_volume": NaN, "cost_speed": 1}' > _igm_score.json ;;
7) echo '{"cost_volume": 1, "cost_speed": -Infinity}' > _igm_score.json ;;
8) echo '{"cost_volume": 1, "cost_speed": "fast"}' > _igm_score.json ;;
9) echo '[1, 2]' > _igm_score.json ;;
10) echo '{"cost_volume": 0.25, "cost_speed": 2, "other": NaN}' > _igm_score.json ;;
11) echo '{"cost_volume": 0.5, "cost_speed": 3}' > _igm_score.json; exit 1 ;;
esac
"""
    EXPECTED = {
        0: "exit code 3",
        1: "killed by signal 9 (SIGKILL)",
        2: "timeout after 1 s",
        3: "score file _igm_score.json missing",
        4: "score file _igm_score.json truncated or not JSON: the text ends inside a value "
           "after 21 bytes",
        5: "score file _igm_score.json lacks objective 'cost_speed'",
        6: "objective 'cost_volume' is NaN",
        7: "objective 'cost_speed' is infinite",
        8: "objective 'cost_speed' is not a number (it is a string)",
        9: "score file _igm_score.json holds a list, not an object of named scores",
        11: "exit code 1",
    }

    def test_every_failure_is_recorded_with_its_reason(self):
        sweep = Sweep(self, self.SCRIPT, config_text(
            n_trials=12, n_jobs=4, objectives=("cost_volume", "cost_speed"),
            extra="trial_timeout: 1\n"))
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        trials = {t.number: t for t in optuna_trials(sweep.db, "e2e")}
        self.assertEqual(len(trials), 12)
        for number, reason in self.EXPECTED.items():
            self.assertEqual(trials[number].state.name, "FAIL", number)
            self.assertEqual(trials[number].system_attrs.get("fail_reason"), reason, number)
            self.assertIn("trial %d FAIL: %s (see multirun/%d/stderr.txt)"
                          % (number, reason, number), err)
        self.assertEqual(trials[10].state.name, "COMPLETE")
        self.assertEqual(trials[10].values, [0.25, 2.0])
        self.assertIn("trial 10 COMPLETE in ", err)

    # Trial 0 tells COMPLETE 99 itself (and writes a score of 0.7), trial 2
    # prunes itself and writes nothing; trial 1, running meanwhile, must not
    # be killed by the runner's own tells failing on them.
    SELF_TELL_SCRIPT = r"""case $n in
0|2) /usr/bin/python3 - <<'PY' || exit 9
import os, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
storage = optuna.storages.RDBStorage(os.environ["IGMOPT_STORAGE"],
                                     skip_compatibility_check=True)
study = optuna.load_study(study_name=os.environ["IGMOPT_STUDY"], storage=storage)
n = int(os.environ["IGMOPT_TRIAL_NUMBER"])
if n == 0:
    study.tell(n, 99.0)
else:
    study.tell(n, state=optuna.trial.TrialState.PRUNED)
PY
   [ "$n" = 0 ] && score 0.7 || exit 3 ;;
1) sleep 2; score 0.5 ;;
esac
"""

    def test_a_trial_that_tells_its_own_trial_keeps_what_it_recorded(self):
        sweep = Sweep(self, self.SELF_TELL_SCRIPT, config_text(n_trials=3, n_jobs=2))
        rc, _, err = sweep.run(timeout=60)
        self.assertEqual(rc, 0, err)
        trials = sweep.trials()
        self.assertEqual((trials[0]["state"], trials[0]["values"]), ("COMPLETE", [99.0]))
        self.assertEqual((trials[1]["state"], trials[1]["values"]), ("COMPLETE", [0.5]))
        self.assertEqual(trials[2]["state"], "PRUNED")
        self.assertIn("trial 0 finished by its own process: COMPLETE 99\n", err)
        self.assertIn("trial 2 finished by its own process: PRUNED\n", err)
        self.assertIn("trial 1 COMPLETE in ", err)
        self.assertNotIn("trial 0 COMPLETE", err)  # the score file's 0.7 was never stored
        self.assertNotIn("interrupted", err)
        self.assertIn("progress: 3/3 done, 0 running, 0 failed, best cost=0.5 (trial 1)", err)

    def test_a_bad_enqueued_trial_fails_and_the_sweep_goes_on(self):
        sweep = Sweep(self, "score 0.5\n", config_text(n_trials=3, n_jobs=1))
        self.assertEqual(sweep.run("n_trials=0")[0], 0)  # creates the study
        import optuna
        storage = optuna.storages.RDBStorage("sqlite:///" + sweep.db,
                                             skip_compatibility_check=True)
        study = optuna.load_study(study_name="e2e", storage=storage)
        study.enqueue_trial({"x": 5.0})
        study.enqueue_trial({"x": "str"})
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        trials = sweep.trials()
        self.assertEqual(trials[0]["fail_reason"],
                         "parameter 'x': fixed value 5.0 is not a value of its distribution")
        self.assertEqual(trials[1]["fail_reason"],
                         "parameter 'x': fixed value \"str\" is not a value of its distribution")
        self.assertEqual((trials[2]["state"], trials[2]["values"]), ("COMPLETE", [0.5]))
        self.assertIn("trial 0 FAIL: parameter 'x': fixed value 5.0 is not a value of its "
                      "distribution\n", err)
        self.assertFalse(os.path.exists(sweep.trial_path(0)))  # it never ran

    def test_a_parameter_the_study_holds_otherwise_stops_before_any_trial(self):
        sweep = Sweep(self, "score 0.5\n", config_text(n_trials=2, n_jobs=1))
        self.assertEqual(sweep.run()[0], 0)
        # x was a float in [0, 1] in the stored study; now it is categorical
        rc, _, err = sweep.run("n_trials=20",
                               "parameters.0={name: x, type: categorical, choices: [a, b]}")
        self.assertEqual(rc, 2, err)
        self.assertIn("key 'parameters.0': 'x' is not the parameter study 'e2e' holds under "
                      "that name (Optuna requires the same kind, log flag and choices)", err)
        self.assertEqual(sorted(sweep.trials()), [0, 1])

    def test_sampler_options_no_trial_can_start_with_stop_the_launches(self):
        sweep = Sweep(self, "sleep 1; score 0.5\n", config_text(n_trials=20, n_jobs=2,
                      sampler=("  method: GridSampler",
                               "  search_space: {y: [1, 2, 3, 4, 5, 6]}")))
        rc, _, err = sweep.run()
        self.assertEqual(rc, 2, err)
        self.assertIn("igmopt-run: 3 sampled trials in a row could not start (the last, "
                      "trial 2: GridSampler: parameter 'x' is not in search_space); no more "
                      "trials are launched", err)
        trials = sweep.trials()
        self.assertEqual(sorted(trials), [0, 1, 2])
        self.assertEqual({t["state"] for t in trials.values()}, {"FAIL"})

    def test_a_few_bad_grid_points_fail_alone(self):
        # y = 9 lies outside [1, 5]: that point fails, the others run, and
        # the running trials are never cut short.
        sweep = Sweep(self, "sleep 0.3; score 0.5\n", config_text(
            n_trials=6, n_jobs=3, parameters=["  - name: y", "    type: int", "    low: 1",
                                             "    high: 5"],
            sampler=("  method: GridSampler", "  seed: 2",
                     "  search_space: {y: [1, 2, 3, 4, 5, 9]}")))
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        states = sorted(t["state"] for t in sweep.trials().values())
        self.assertEqual(states, ["COMPLETE"] * 5 + ["FAIL"])

    def test_stale_score_file_is_ignored(self):
        sweep = Sweep(self, "exit 0\n", config_text(n_trials=1, n_jobs=1))
        sweep.write("multirun/0/_igm_score.json", '{"cost": 0.001}\n')
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        self.assertEqual(sweep.trials()[0]["fail_reason"], "score file _igm_score.json missing")
        self.assertFalse(os.path.exists(sweep.trial_path(0, "_igm_score.json")))

    def test_a_program_that_cannot_start_fails_its_trials(self):
        # Found and executable, so the configuration check passes; exec fails.
        sweep = Sweep(self, "", config_text(n_trials=2, command='["./bad.sh"]'))
        sweep.write("bad.sh", "#!/nonexistent/interpreter\n", mode=0o755)
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        for trial in sweep.trials().values():
            self.assertEqual(trial["fail_reason"],
                             "could not start './bad.sh': No such file or directory")

    # Whatever a trial leaves where the runner reads or writes (a FIFO, a
    # link to a device, a file in place of a directory) fails one trial
    # and never blocks the runner: open() of a FIFO used to hang it for
    # good, with timeouts and Ctrl-C no longer acted on.
    HOSTILE_SCRIPT = """case $n in
0) mkfifo _igm_score.json ;;
1) ln -s /dev/zero _igm_score.json ;;
2) echo '{"cost": 0.5}' > real.json; ln -s real.json _igm_score.json ;;
3) mkdir -p ../4 && mkfifo ../4/stdout.txt; : > ../5; score 1.0 ;;
*) score 2.0 ;;
esac
"""

    def test_hostile_trial_output_fails_trials_without_blocking_the_runner(self):
        sweep = Sweep(self, self.HOSTILE_SCRIPT, config_text(n_trials=7, n_jobs=1))
        t0 = time.monotonic()
        rc, _, err = sweep.run(timeout=20)
        self.assertEqual(rc, 0, err)
        self.assertLess(time.monotonic() - t0, 10)
        trials = sweep.trials()
        self.assertEqual(trials[0]["fail_reason"],
                         "score file _igm_score.json is not a regular file (it is a FIFO)")
        self.assertEqual(trials[1]["fail_reason"], "score file _igm_score.json is not a "
                         "regular file (it is a character device)")
        self.assertEqual((trials[2]["state"], trials[2]["values"]), ("COMPLETE", [0.5]))
        self.assertEqual((trials[3]["state"], trials[3]["values"]), ("COMPLETE", [1.0]))
        self.assertEqual(trials[4]["fail_reason"],
                         "cannot write the trial's output to stdout.txt: it is not a regular "
                         "file")
        self.assertRegex(trials[5]["fail_reason"],
                         r"^the trial directory /.*/multirun/5 is not a directory$")
        self.assertEqual((trials[6]["state"], trials[6]["values"]), ("COMPLETE", [2.0]))
        self.assertIn("trial 0 FAIL: score file _igm_score.json is not a regular file", err)

    def test_sigterm_is_acted_on_after_a_fifo_score_file(self):
        sweep = Sweep(self, '[ "$n" = 0 ] && { mkfifo _igm_score.json; exit 0; }\n'
                            "stamp start; sleep 30\n",
                      config_text(n_trials=3, n_jobs=1))
        p = sweep.popen()
        try:
            started = wait_for(lambda: os.path.exists(sweep.trial_path(1, "start")))
            p.send_signal(signal.SIGTERM)
            _, err = p.communicate(timeout=10)
        finally:
            if p.poll() is None:
                p.kill()
                p.communicate()
        self.assertTrue(started, "trial 1 never started: the runner hangs on trial 0")
        self.assertEqual(p.returncode, 130, err)
        self.assertEqual(sweep.trials()[1]["fail_reason"], "interrupted")


class TestInterrupt(unittest.TestCase):
    SCRIPT = ('echo $$ > pid; stamp start\n[ -n "$FAST" ] || sleep 30\n'
              "score 1.0\n")

    def start_and_wait_for(self, sweep, numbers, env=None):
        p = sweep.popen(env=env)
        started = wait_for(lambda: all(os.path.exists(sweep.trial_path(n, "start"))
                                       for n in numbers))
        if not started:
            p.kill()
            p.communicate()
            self.fail("trials %s never started" % (numbers,))
        return p

    def test_ctrl_c_stops_and_a_rerun_resumes(self):
        sweep = Sweep(self, self.SCRIPT, config_text(n_trials=10, n_jobs=2))
        p = self.start_and_wait_for(sweep, [0, 1])
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=10)
        self.assertEqual(p.returncode, 130, err)
        self.assertLess(time.monotonic() - t0, 2.0)
        for n in (0, 1):
            self.assertFalse(process_alive(int(sweep.read(n, "pid"))))
        trials = sweep.trials()
        self.assertEqual(sorted(trials), [0, 1])
        for n in (0, 1):
            self.assertEqual(trials[n]["state"], "FAIL")
            self.assertEqual(trials[n]["fail_reason"], "interrupted")
        self.assertTrue(os.path.exists(os.path.join(sweep.dir, "optimization_results.csv")))

        rc, _, err = sweep.run("n_trials=3", env={"FAST": "1"})
        self.assertEqual(rc, 0, err)
        states = {t.number: t.state.name for t in optuna_trials(sweep.db, "e2e")}
        self.assertEqual(states, {0: "FAIL", 1: "FAIL", 2: "COMPLETE", 3: "COMPLETE",
                                  4: "COMPLETE"})

    def test_second_ctrl_c_kills_trials_that_ignore_sigterm(self):
        sweep = Sweep(self, "trap '' TERM; stamp start; sleep 30\n",
                      config_text(n_trials=4, n_jobs=2))
        p = self.start_and_wait_for(sweep, [0, 1], env={"IGMOPT_KILL_GRACE": "30"})
        p.send_signal(signal.SIGINT)
        time.sleep(0.3)
        self.assertIsNone(p.poll(), "the trials ignore SIGTERM: the grace period runs")
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=10)
        self.assertEqual(p.returncode, 130, err)
        self.assertLess(time.monotonic() - t0, 1.5)
        self.assertEqual({t["state"] for t in sweep.trials().values()}, {"FAIL"})

    def test_sigterm_and_sighup_stop_like_ctrl_c(self):
        for sig in (signal.SIGTERM, signal.SIGHUP):
            sweep = Sweep(self, self.SCRIPT, config_text(n_trials=4, n_jobs=1))
            p = self.start_and_wait_for(sweep, [0])
            p.send_signal(sig)
            p.communicate(timeout=10)
            self.assertEqual(p.returncode, 130, sig)
            self.assertEqual(sweep.trials()[0]["fail_reason"], "interrupted", sig)
            self.assertTrue(os.path.exists(os.path.join(sweep.dir,
                                                        "optimization_results.csv")), sig)

    def test_a_signal_while_the_configuration_loads_exits_130(self):
        # The configuration is a FIFO nobody writes: igmopt-run blocks
        # opening it.  The default action used to kill it there (no status
        # 130), and a restarted open() kept it there for good.
        sweep = Sweep(self, "score 1.0\n", config_text(n_trials=2))
        fifo = os.path.join(sweep.dir, "fifo.yaml")
        os.mkfifo(fifo)
        p = sweep.popen("-c", "fifo.yaml")
        try:
            def catches_stop_signals():
                with open("/proc/%d/status" % p.pid) as f:
                    caught = int(dict(line.split(":", 1) for line in f)["SigCgt"], 16)
                return all(caught >> (sig - 1) & 1 for sig in (signal.SIGINT, signal.SIGTERM))
            self.assertTrue(wait_for(catches_stop_signals), "no handlers installed")
            p.send_signal(signal.SIGTERM)
            out, err = p.communicate(timeout=10)
        finally:
            if p.poll() is None:
                p.kill()
                p.communicate()
        self.assertEqual(p.returncode, 130, err)
        self.assertEqual(err, "igmopt-run: interrupted before the sweep started\n")
        self.assertFalse(os.path.exists(sweep.db))
        self.assertFalse(os.path.exists(sweep.trial_path(0)))

    def test_trials_die_with_a_killed_runner(self):
        sweep = Sweep(self, self.SCRIPT, config_text(n_trials=4, n_jobs=2))
        p = self.start_and_wait_for(sweep, [0, 1])
        p.kill()
        p.communicate(timeout=10)
        for n in (0, 1):
            pid = int(sweep.read(n, "pid"))
            self.assertTrue(wait_for(lambda: not process_alive(pid), 2), "trial %d lives" % n)

    def test_startup_leaves_other_workers_running_trials_alone(self):
        sweep = Sweep(self, "score 0.5\n", config_text(n_trials=1, n_jobs=1))
        self.assertEqual(sweep.run()[0], 0)
        import optuna
        storage = optuna.storages.RDBStorage("sqlite:///" + sweep.db,
                                             skip_compatibility_check=True)
        study = optuna.load_study(study_name="e2e", storage=storage)
        other = study.ask()  # a live trial of another worker
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        self.assertEqual(sweep.trials()[other.number]["state"], "RUNNING")
        study.tell(other, 0.25)
        self.assertEqual(sweep.trials()[other.number]["state"], "COMPLETE")

    HEARTBEAT = "heartbeat_interval: 1\ngrace_period: 2.5\n"

    def test_a_killed_workers_trials_are_failed_once_their_heartbeat_is_stale(self):
        sweep = Sweep(self, self.SCRIPT, config_text(n_trials=4, n_jobs=2,
                                                     extra=self.HEARTBEAT))
        p = self.start_and_wait_for(sweep, [0, 1])
        p.kill()  # the node dies: no clean-up, trials 0 and 1 stay RUNNING
        p.communicate()
        for n in (0, 1):
            os.kill(int(sweep.read(n, "pid")), signal.SIGKILL)
        self.assertEqual({t["state"] for t in sweep.trials().values()}, {"RUNNING"})
        time.sleep(3.6)  # grace_period + 1 s: heartbeats are whole seconds
        rc, _, err = sweep.run("n_trials=1", env={"FAST": "1"})
        self.assertEqual(rc, 0, err)
        self.assertIn("trials [0, 1] of study 'e2e' had no heartbeat for over 2.5 s (their "
                      "worker stopped): set FAIL", err)
        trials = sweep.trials()
        for n in (0, 1):
            self.assertEqual(trials[n]["state"], "FAIL")
            self.assertEqual(trials[n]["fail_reason"],
                             "stale: no heartbeat for over 2.5 s (its worker stopped)")
        self.assertEqual(trials[2]["state"], "COMPLETE")

    def test_a_long_lock_makes_no_live_trial_stale(self):
        # Another process holds the write lock for longer than the grace
        # period: the heartbeats wait for it and are written when they get
        # it; the round that waited looks for stale trials only later.
        sweep = Sweep(self, "sleep 8; score 1.0\n",
                      config_text(n_trials=2, n_jobs=2, extra="heartbeat_interval: 1\n"))
        procs = [sweep.popen() for _ in range(2)]
        try:
            self.assertTrue(wait_for(lambda: all(os.path.exists(sweep.trial_path(n))
                                                 for n in range(4))))
            holder = sqlite3.connect(sweep.db, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            time.sleep(4.5)  # the default grace period is 3 s
            holder.rollback()
            holder.close()
            for p in procs:
                _, err = p.communicate(timeout=30)
                self.assertEqual(p.returncode, 0, err)
                self.assertNotIn("set FAIL", err)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.communicate()
        self.assertEqual({t["state"] for t in sweep.trials().values()}, {"COMPLETE"})

    def test_live_workers_keep_each_others_trials_alive(self):
        # Each trial outlives the grace period several times over; both
        # workers beat for their own trials and fail nothing of the other's.
        sweep = Sweep(self, "sleep 6; score 1.0\n",
                      config_text(n_trials=2, n_jobs=2, extra=self.HEARTBEAT))
        procs = [sweep.popen() for _ in range(2)]
        for p in procs:
            _, err = p.communicate(timeout=30)
            self.assertEqual(p.returncode, 0, err)
            self.assertNotIn("heartbeat", err)
        trials = sweep.trials()
        self.assertEqual(sorted(trials), [0, 1, 2, 3])
        self.assertEqual({t["state"] for t in trials.values()}, {"COMPLETE"})

    def test_a_worker_whose_trial_another_failed_as_stale_says_so(self):
        # Worker A beats every 60 s; B, with a 2.5 s grace period, fails A's
        # live trial.  The FAIL stands (as in Optuna); A's log names the cause.
        sweep = Sweep(self, "sleep 6; score 1.0\n", config_text(n_trials=1, n_jobs=1))
        a = sweep.popen()
        try:
            self.assertTrue(wait_for(lambda: os.path.exists(sweep.trial_path(0))))
            rc, _, err_b = sweep.run("heartbeat_interval=1", "grace_period=2.5")
            self.assertEqual(rc, 0, err_b)
            _, err_a = a.communicate(timeout=30)
        finally:
            if a.poll() is None:
                a.kill()
                a.communicate()
        self.assertIn("trial 0 was failed by another worker while it ran here (FAIL: stale: no "
                      "heartbeat for over 2.5 s (its worker stopped)); workers sharing a study "
                      "need the same heartbeat_interval and grace_period\n", err_a)
        self.assertNotIn("finished by its own process", err_a)
        self.assertEqual(sweep.trials()[0]["state"], "FAIL")


class TestWorkers(unittest.TestCase):
    # Trial 0 holds the storage's write lock for 2 s (as another worker or
    # a trial writing to the study can); trial 1 ends while it is held, so
    # its tell waits the URL's 0.2 s timeout and fails.
    LOCK_SCRIPT = r"""case $n in
0) /usr/bin/python3 - <<'PY'
import os, sqlite3, time
con = sqlite3.connect(os.environ["IGMOPT_STORAGE"][len("sqlite:///"):].split("?")[0],
                      isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
open("locked", "w").close()
time.sleep(2)
con.rollback()
PY
   score 0.25 ;;
1) while [ ! -e ../0/locked ]; do sleep 0.02; done; score 0.5 ;;
esac
"""

    def test_a_tell_that_meets_a_lock_is_retried(self):
        sweep = Sweep(self, self.LOCK_SCRIPT, config_text(n_trials=2, n_jobs=2).replace(
            "sqlite:///optuna.db", "sqlite:///optuna.db?timeout=0.2"))
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        self.assertIn("trial 1: cannot record its outcome yet (", err)
        self.assertIn("database is locked: still busy after 0.2 s (raise it with ?timeout=)); "
                      "retrying in 0.25 s\n", err)
        # the outcome is logged once stored, never before
        self.assertLess(err.index("retrying in 0.25 s"), err.index("trial 1 COMPLETE in "))
        trials = sweep.trials()
        self.assertEqual([(trials[n]["state"], trials[n]["values"]) for n in (0, 1)],
                         [("COMPLETE", [0.25]), ("COMPLETE", [0.5])])

    def test_ctrl_c_cuts_the_retries_short(self):
        sweep = Sweep(self, 'echo $$ > pid\n'
                            "while [ ! -e ../../locked ]; do sleep 0.02; done; score 0.5\n",
                      config_text(n_trials=1, n_jobs=1).replace(
                          "sqlite:///optuna.db", "sqlite:///optuna.db?timeout=0.1"))
        p = sweep.popen()
        holder = None
        try:
            self.assertTrue(wait_for(lambda: os.path.exists(sweep.trial_path(0, "pid"))))
            holder = sqlite3.connect(sweep.db, isolation_level=None)
            holder.execute("BEGIN EXCLUSIVE")
            sweep.write("locked", "")
            pid = int(sweep.read(0, "pid"))
            self.assertTrue(wait_for(lambda: not process_alive(pid)))
            time.sleep(0.5)  # into the retries (0.25 s, then 0.5 s)
            t0 = time.monotonic()
            p.send_signal(signal.SIGINT)
            _, err = p.communicate(timeout=10)
            elapsed = time.monotonic() - t0
        finally:
            if p.poll() is None:
                p.kill()
                p.communicate()
            if holder:
                holder.rollback()
                holder.close()
        self.assertLess(elapsed, 1.0, err)
        self.assertNotIn("retrying in 2 s", err)
        self.assertEqual(p.returncode, 1, err)  # a trial is left RUNNING: not a clean stop
        self.assertIn("error: trial 0 is left RUNNING in the study: its outcome (COMPLETE "
                      "cost=0.5) could not be recorded: ", err)
        self.assertEqual(sweep.trials()[0]["state"], "RUNNING")

    def test_storage_that_stays_locked_leaves_only_unrecorded_trials_running(self):
        # The test holds the lock until igmopt-run has given up: trial 1's
        # tell exhausts its retries, trial 0 is terminated, and the last
        # attempt for both fails too.
        sweep = Sweep(self, 'echo $$ > pid; stamp start\n[ "$n" = 0 ] && exec sleep 30\n'
                            "while [ ! -e ../../locked ]; do sleep 0.02; done; score 0.5\n",
                      config_text(n_trials=6, n_jobs=2).replace(
                          "sqlite:///optuna.db", "sqlite:///optuna.db?timeout=0.1"))
        p = sweep.popen()
        holder = None
        try:
            self.assertTrue(wait_for(lambda: all(os.path.exists(sweep.trial_path(n, "start"))
                                                 for n in (0, 1))))
            holder = sqlite3.connect(sweep.db, isolation_level=None)
            holder.execute("BEGIN EXCLUSIVE")
            sweep.write("locked", "")
            t0 = time.monotonic()
            _, err = p.communicate(timeout=30)
            elapsed = time.monotonic() - t0
        finally:
            if p.poll() is None:
                p.kill()
                p.communicate()
            if holder:
                holder.rollback()
                holder.close()
        self.assertEqual(p.returncode, 1, err)
        self.assertLess(elapsed, 12, "the retries are bounded in time")
        for delay in ("0.25", "0.5", "1", "2"):
            self.assertIn("; retrying in %s s\n" % delay, err)
        self.assertIn("trial 1 ended (COMPLETE cost=0.5) but the storage did not take it: ", err)
        self.assertIn("error: trial 0 is left RUNNING in the study: its outcome (FAIL: "
                      "interrupted: the runner failed) could not be recorded: ", err)
        self.assertIn("error: trial 1 is left RUNNING in the study: its outcome (COMPLETE "
                      "cost=0.5) could not be recorded: ", err)
        self.assertNotIn("trial 1 COMPLETE", err)
        self.assertFalse(process_alive(int(sweep.read(0, "pid"))))
        trials = sweep.trials()
        self.assertEqual(sorted(trials), [0, 1], "nothing was launched after the failure")
        self.assertEqual({t["state"] for t in trials.values()}, {"RUNNING"})

    def test_two_processes_share_one_study(self):
        sweep = Sweep(self, "sleep 0.1; score 1.0\n", config_text(n_trials=5, n_jobs=2))
        procs = [sweep.popen() for _ in range(2)]
        for p in procs:
            _, err = p.communicate(timeout=30)
            self.assertEqual(p.returncode, 0, err)
        trials = sweep.trials()
        self.assertEqual(sorted(trials), list(range(10)))
        self.assertEqual({t["state"] for t in trials.values()}, {"COMPLETE"})
        for n in range(10):
            self.assertTrue(os.path.exists(sweep.trial_path(n, "_igm_score.json")))

    def test_max_trials_caps_the_study_across_processes(self):
        # The budget check and the trial's start are one transaction, so
        # three workers racing for the last places never overshoot.
        sweep = Sweep(self, "sleep 0.05; score 1.0\n",
                      config_text(n_trials=50, n_jobs=2, extra="max_trials: 8\n"))
        procs = [sweep.popen() for _ in range(3)]
        for p in procs:
            _, err = p.communicate(timeout=30)
            self.assertEqual(p.returncode, 0, err)
            self.assertIn("max_trials reached", err)
        trials = sweep.trials()
        self.assertEqual(sorted(trials), list(range(8)))
        self.assertEqual({t["state"] for t in trials.values()}, {"COMPLETE"})

    def test_grid_sampler_ends_the_sweep_after_its_last_point(self):
        sweep = Sweep(self, "score 1.0\n", config_text(n_trials=10, n_jobs=1, sampler=(
            "  method: GridSampler", "  search_space: {x: [0.0, 0.5, 1.0]}")))
        code, _, err = sweep.run()
        self.assertEqual(code, 0, err)
        self.assertIn("the sampler ended study 'e2e'", err)
        trials = sweep.trials()
        self.assertEqual(sorted(trials), [0, 1, 2])
        self.assertEqual({t["state"] for t in trials.values()}, {"COMPLETE"})


class TestCli(unittest.TestCase):
    def test_exit_status_0_after_a_sweep_with_reports(self):
        sweep = Sweep(self, "score 0.5\n", config_text(n_trials=2))
        rc, out, err = sweep.run()
        self.assertEqual(rc, 0, err)
        self.assertIn("trial 0 started: params x=", err)
        self.assertIn("progress: 2/2 done, 0 running, 0 failed, best cost=0.5", err)
        self.assertTrue(out.strip(), "the summary goes to stdout")
        self.assertTrue(os.path.exists(os.path.join(sweep.dir, "optimization_results.csv")))

    def test_exit_status_2_for_configuration_errors(self):
        sweep = Sweep(self, "", config_text() + "n_trails: 3\n")
        for args in ([], ["-c", "missing.yaml"], ["--bogus"], ["n_trials=-1"], ["--"]):
            rc, _, err = sweep.run(*args)
            self.assertEqual(rc, 2, args)
            self.assertTrue(err.startswith("igmopt-run: "), err)
        self.assertFalse(os.path.exists(os.path.join(sweep.dir, "multirun")))

    def test_n_jobs_beyond_the_open_file_limit_is_a_configuration_error(self):
        import resource
        sweep = Sweep(self, "score 1.0\n", config_text(n_trials=300, n_jobs=200))
        hard = (64, 64)
        p = subprocess.run([IGMOPT_RUN], cwd=sweep.dir, capture_output=True, text=True,
                           timeout=30, preexec_fn=lambda: resource.setrlimit(
                               resource.RLIMIT_NOFILE, hard))
        self.assertEqual(p.returncode, 2, p.stderr)
        # stdin, stdout and stderr are open already
        self.assertIn("key 'n_jobs': 200 trials at once need about 215 open files (3 open "
                      "already, 12 for the runner and its storage, 1 per running trial), and "
                      "this process may open 64: lower n_jobs or raise the limit (ulimit -n)",
                      p.stderr)
        self.assertFalse(os.path.exists(sweep.trial_path(0)))

    def test_one_trial_at_a_time_fits_a_small_open_file_limit(self):
        import resource

        def run_with_limit(n):
            return subprocess.run([IGMOPT_RUN], cwd=sweep.dir, capture_output=True, text=True,
                                  timeout=30, preexec_fn=lambda: resource.setrlimit(
                                      resource.RLIMIT_NOFILE, (n, n)))
        sweep = Sweep(self, "score 1.0\n", config_text(n_trials=2, n_jobs=1))
        p = run_with_limit(30)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = run_with_limit(12)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("key 'n_jobs': 1 trial at once needs about 16 open files (3 open already, "
                      "12 for the runner and its storage, 1 per running trial), and this process "
                      "may open 12: raise the limit (ulimit -n)\n", p.stderr)

    def test_exit_status_1_for_runtime_errors(self):
        sweep = Sweep(self, "", config_text())
        # /proc exists (so the configuration is sound) but holds no new file
        rc, _, err = sweep.run("storage=sqlite:////proc/no.db")
        self.assertEqual(rc, 1, err)
        self.assertTrue(err.startswith("igmopt-run: "), err)

    def test_a_database_this_user_cannot_write_is_named_as_such(self):
        sweep = Sweep(self, "score 1.0\n", config_text(n_trials=1))
        self.assertEqual(sweep.run()[0], 0)
        os.chmod(sweep.db, 0o444)
        os.chmod(sweep.dir, 0o755)  # readable, not writable: no journal either
        as_nobody = {"user": 65534} if os.geteuid() == 0 else {}  # root writes any file
        p = subprocess.run([IGMOPT_RUN], cwd=sweep.dir, env=sweep.env(), capture_output=True,
                           text=True, timeout=30, **as_nobody)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("igmopt-run: %s: the database cannot be written (creating the study: "
                      "attempt to write a readonly database): check the permissions of the "
                      "file and its directory\n" % sweep.db, p.stderr)

    def test_a_write_error_on_stdout_fails_the_run(self):
        sweep = Sweep(self, "score 1.0\n", config_text(n_trials=1))
        for args in (["--check"], []):
            with open("/dev/full", "w") as full:
                p = subprocess.run([IGMOPT_RUN] + args, cwd=sweep.dir, env=sweep.env(),
                                   stdout=full, stderr=subprocess.PIPE, text=True, timeout=30)
            self.assertEqual(p.returncode, 1, args)
            self.assertTrue(p.stderr.endswith("igmopt-run: write error on standard output: No "
                                              "space left on device\n"), p.stderr)
        self.assertEqual(sweep.trials()[0]["state"], "COMPLETE")

    def test_the_configuration_is_given_once_in_any_getopt_form(self):
        sweep = Sweep(self, "", config_text())
        os.rename(os.path.join(sweep.dir, "optuna_params.yaml"),
                  os.path.join(sweep.dir, "sweep.yaml"))
        for args in (["-csweep.yaml"], ["-c", "sweep.yaml"], ["--config=sweep.yaml"],
                     ["--config", "sweep.yaml"]):
            rc, out, err = sweep.run("--check", *args)
            self.assertEqual(rc, 0, err)
            self.assertEqual(json.loads(out)["config_file"], "sweep.yaml")
        rc, out, err = sweep.run("--check", "-c", "sweep.yaml", "-cother.yaml")
        self.assertEqual((rc, out), (2, ""))
        self.assertEqual(err, "igmopt-run: a second configuration file 'other.yaml': give -c "
                              "only once (see igmopt-run --help)\n")

    def test_check_prints_the_resolved_config_and_runs_nothing(self):
        sweep = Sweep(self, "", config_text())
        rc, out, err = sweep.run("--check", "n_trials=9", "--", "./child.sh", "a b")
        self.assertEqual(rc, 0, err)
        resolved = json.loads(out)
        self.assertEqual(resolved["n_trials"], 9)
        self.assertEqual(resolved["command"], ["./child.sh", "a b"])
        self.assertIn("\n  \"n_trials\": 9,\n", out)
        self.assertFalse(os.path.exists(sweep.db))
        self.assertFalse(os.path.exists(os.path.join(sweep.dir, "multirun")))

    def seed_sweep(self):
        sweep = Sweep(self, "score 0.5\n", "")
        shutil.copy(SEED_TEMPLATE, os.path.join(sweep.dir, "seed.yml"))
        return sweep

    def test_tilde_arguments_remove_keys(self):
        sweep = self.seed_sweep()
        rc, out, err = sweep.run("-c", "seed.yml", "~sampler.population_size",
                                 "sampler.method=RandomSampler", "--check", "--", "./child.sh")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["sampler"], {"method": "RandomSampler"})
        rc, _, err = sweep.run("-c", "seed.yml", "~no_such_key", "--check")
        self.assertEqual(rc, 2)
        self.assertIn("command line: ~no_such_key: key 'no_such_key': no such key to remove",
                      err)

    def test_overrides_are_all_applied_before_the_check(self):
        sweep = Sweep(self, "", config_text())
        for order in (("parameters.0.log=true", "parameters.0.low=0.1"),
                      ("parameters.0.low=0.1", "parameters.0.log=true")):
            rc, out, err = sweep.run("--check", *order)
            self.assertEqual(rc, 0, err)
            self.assertEqual(json.loads(out)["parameters"][0]["log"], True)

    def test_overrides_repair_mistakes_in_the_file(self):
        sweep = Sweep(self, "", config_text(n_jobs=0, command="[]",
                                            sampler=("  method: RandomSampler", "  seed: -1"),
                                            extra="colour: blue\n"))
        rc, _, err = sweep.run("--check", "n_trials=3")
        self.assertEqual(rc, 2)
        self.assertEqual(err, "igmopt-run: optuna_params.yaml:5: key 'n_jobs': must be >= 1 "
                              "(got 0)\n")
        rc, out, err = sweep.run("--check", "n_jobs=1", "sampler.seed=1", "~colour",
                                 "--", "./child.sh")
        self.assertEqual(rc, 0, err)
        resolved = json.loads(out)
        self.assertEqual((resolved["n_jobs"], resolved["sampler"]["seed"]), (1, 1))

    def test_an_unavailable_sampler_is_a_configuration_error(self):
        # An Optuna sampler this version lacks loads, but neither --check nor
        # a run may pretend it can run, and the run must not leave an empty
        # optuna.db behind.
        sweep = self.seed_sweep()
        for args in (["--check"], []):
            rc, out, err = sweep.run("-c", "seed.yml", "~sampler.population_size",
                                     "sampler.method=GPSampler", *args, "--", "./child.sh")
            self.assertEqual(rc, 2, args)
            self.assertEqual(out, "")
            self.assertRegex(err, r"^igmopt-run: command line: sampler\.method=GPSampler: key "
                                  r"'sampler\.method': GPSampler is not available yet in this "
                                  r"version of libigmopt \(available samplers: RandomSampler, "
                                  r"TPESampler, NSGAIISampler")
        self.assertFalse(os.path.exists(sweep.db))
        self.assertFalse(os.path.exists(os.path.join(sweep.dir, "multirun")))

    def test_an_unavailable_pruner_is_a_configuration_error(self):
        sweep = Sweep(self, "", config_text())
        rc, _, err = sweep.run("pruner.method=MedianPruner")
        self.assertEqual(rc, 2)
        self.assertEqual(err, "igmopt-run: command line: pruner.method=MedianPruner: key "
                              "'pruner.method': MedianPruner is not available yet in this "
                              "version of libigmopt (available pruners: NopPruner)\n")
        self.assertFalse(os.path.exists(sweep.db))

    def test_storage_urls_that_cannot_open_are_configuration_errors(self):
        forms = ("(use sqlite:///relative/path.db, sqlite:////absolute/path.db or "
                 ":memory:)")
        sweep = Sweep(self, "", config_text())
        rc, _, err = sweep.run("--check", "storage=postgres://u@host/db")
        self.assertEqual(rc, 2)
        self.assertEqual(err, "igmopt-run: command line: storage=postgres://u@host/db: key "
                              "'storage': unsupported storage URL 'postgres://u@host/db': "
                              "this version stores studies in SQLite only " + forms + "\n")
        sweep.write("optuna_params.yaml",
                    config_text().replace("sqlite:///optuna.db", "sqlite://x.db"))
        rc, _, err = sweep.run("--check")
        self.assertEqual(rc, 2)
        self.assertEqual(err, "igmopt-run: optuna_params.yaml:6: key 'storage': "
                              "'sqlite://x.db' is not a SQLite URL: a relative path follows "
                              "three slashes, an absolute one four " + forms + "\n")

    def test_the_bundled_examples_program_is_looked_up_in_path_only(self):
        # As its comment says: not in the build tree, wherever igmopt-run is.
        sweep = Sweep(self, "", "")
        shutil.copy(BUNDLED_EXAMPLE, os.path.join(sweep.dir, "optuna_params.yaml"))
        rc, _, err = sweep.run("--check", env={"PATH": "/usr/bin:/bin"})
        self.assertEqual(rc, 2, err)
        self.assertIn("key 'command': program 'glacier_sim' not found in PATH\n", err)

    def test_a_storage_path_that_is_not_a_regular_file_is_refused(self):
        sweep = Sweep(self, "score 0.5\n", config_text())
        os.mkfifo(os.path.join(sweep.dir, "fifo.db"))
        for args, path, kind in ((["--check", "storage=sqlite:///fifo.db"],
                                  os.path.join(sweep.dir, "fifo.db"), "a FIFO"),
                                 (["storage=sqlite:////dev/null"], "/dev/null",
                                  "a character device")):
            rc, _, err = sweep.run(*args)
            self.assertEqual(rc, 2, err)
            self.assertTrue(err.endswith("key 'storage': %s: not a regular file (it is %s): the "
                                         "database must be one, or not exist yet\n"
                                         % (path, kind)), err)
        self.assertFalse(os.path.exists(sweep.trial_path(0)))

    def test_a_storage_link_to_a_missing_directory_fails_the_check(self):
        sweep = Sweep(self, "score 0.5\n", config_text())
        os.symlink("/nonexistent/x.db", os.path.join(sweep.dir, "dangling.db"))
        for args in (["--check"], []):
            rc, _, err = sweep.run("storage=sqlite:///dangling.db", *args)
            self.assertEqual(rc, 2, err)
            self.assertEqual(err, "igmopt-run: command line: storage=sqlite:///dangling.db: key "
                                  "'storage': %s: a symbolic link to the missing "
                                  "/nonexistent/x.db, whose directory /nonexistent does not "
                                  "exist: the database cannot be created there\n"
                             % os.path.join(os.path.realpath(sweep.dir), "dangling.db"))
        self.assertFalse(os.path.exists(sweep.trial_path(0)))

    def test_storage_url_options_are_checked_before_anything_runs(self):
        # The SQLite backend's own option parser, at load: these used to pass
        # --check and stop the run with exit status 1.
        sweep = Sweep(self, "score 0.5\n", config_text())
        for query, why in [
                ("foo=1", "unknown option 'foo' (known: schema, journal_mode, synchronous, "
                          "timeout)"),
                ("journal_mode=bogus", "journal_mode=bogus: use delete, truncate, persist, "
                                       "memory, wal or off"),
                ("timeout=-5", "timeout=-5: expected seconds (a number >= 0)"),
                ("timeout=abc", "timeout=abc: expected seconds (a number >= 0)"),
                ("synchronous=maybe", "synchronous=maybe: use off, normal, full or extra"),
                ("schema=v9", "schema=v9: use v3.2.0.a (Optuna >= 3.2, the default) or "
                              "v3.0.0.d (Optuna 3.0-3.1)")]:
            url = "sqlite:///optuna.db?" + query
            sweep.write("optuna_params.yaml",
                        config_text().replace("sqlite:///optuna.db", url))
            for args in (["--check"], []):
                rc, out, err = sweep.run(*args)
                self.assertEqual(rc, 2, (query, args, err))
                self.assertEqual(out, "")
                self.assertEqual(err, "igmopt-run: optuna_params.yaml:6: key 'storage': storage "
                                      "URL '%s': %s\n" % (url, why))
        sweep.write("optuna_params.yaml", config_text())
        rc, _, err = sweep.run("--check", "storage=sqlite:///o.db?timeout=abc")
        self.assertEqual(rc, 2)
        self.assertEqual(err, "igmopt-run: command line: storage=sqlite:///o.db?timeout=abc: "
                              "key 'storage': storage URL 'sqlite:///o.db?timeout=abc': "
                              "timeout=abc: expected seconds (a number >= 0)\n")
        self.assertFalse(os.path.exists(sweep.db))
        self.assertFalse(os.path.exists(os.path.join(sweep.dir, "multirun")))

    def test_a_score_file_the_runner_writes_is_refused(self):
        sweep = Sweep(self, "score 0.5\n", config_text())
        for name in ("stdout.txt", "stderr.txt"):
            rc, _, err = sweep.run("score_file=" + name)
            self.assertEqual(rc, 2)
            self.assertEqual(err, "igmopt-run: command line: score_file=%s: key 'score_file': "
                                  "'%s' names a file the runner writes (each trial's stdout "
                                  "and stderr go to stdout.txt and stderr.txt); choose another "
                                  "name\n" % (name, name))
        self.assertFalse(os.path.exists(sweep.db))

    def test_the_summary_escapes_control_characters_as_the_log_does(self):
        # An objective name holding a newline, in the best trial's line and
        # in a fail reason that names it.
        sweep = Sweep(self, r"""[ "$n" = 0 ] && printf '%s' '{"co\nst": 0.5}' > _igm_score.json
[ "$n" = 1 ] && echo '{"other": 1}' > _igm_score.json
exit 0
""", config_text(n_trials=2, n_jobs=1, objectives=('"co\\nst"',)))
        rc, out, err = sweep.run()
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"(?m)^Best trial 0: co\\nst=0\.5 params: x=\S+ \(completed .*\)$")
        self.assertIn("\n  trial 1: score file _igm_score.json lacks objective 'co\\nst'\n", out)
        self.assertIn("trial 1 FAIL: score file _igm_score.json lacks objective 'co\\nst'", err)
        self.assertNotIn("co\nst", out)
        self.assertEqual(len(out.splitlines()), 4, out)

    def test_a_command_that_cannot_be_found_is_a_configuration_error(self):
        sweep = Sweep(self, "", config_text(command='["igmopt_no_such_cmd"]'))
        for args in (["--check"], []):
            rc, _, err = sweep.run(*args)
            self.assertEqual(rc, 2, args)
            self.assertEqual(err, "igmopt-run: optuna_params.yaml:11: key 'command': program "
                                  "'igmopt_no_such_cmd' not found in PATH\n")
        rc, _, err = sweep.run("--check", "--", "/nonexistent/prog")
        self.assertEqual(rc, 2)
        self.assertEqual(err, "igmopt-run: command line: the trial command: key 'command': "
                              "program '/nonexistent/prog' cannot be run: No such file or "
                              "directory\n")
        sweep.write("data.txt", "not a program\n")
        rc, _, err = sweep.run("--", "./data.txt")
        self.assertEqual(rc, 2)
        self.assertEqual(err, "igmopt-run: command line: the trial command: key 'command': "
                              "program './data.txt' (in %s) is not an executable file\n"
                              % os.path.realpath(sweep.dir))
        self.assertFalse(os.path.exists(sweep.db))
        self.assertFalse(os.path.exists(os.path.join(sweep.dir, "multirun")))

    def test_objectives_that_differ_from_the_study_are_a_configuration_error(self):
        sweep = Sweep(self, "score 0.5\n", config_text(n_trials=1))
        self.assertEqual(sweep.run()[0], 0)
        rc, _, err = sweep.run("objectives.0.direction=maximize")
        self.assertEqual(rc, 2, err)
        self.assertEqual(err, "igmopt-run: optuna_params.yaml:1: key 'objectives': study 'e2e' "
                              "in sqlite:///%s optimizes [minimize], this configuration "
                              "[maximize] (keep the study's objectives, or choose another "
                              "study_name)\n" % os.path.join(os.path.realpath(sweep.dir),
                                                               "optuna.db"))
        self.assertEqual(len(sweep.trials()), 1)

    def test_a_value_with_a_newline_stays_on_its_log_line(self):
        parameters = ["  - name: label", "    type: categorical",
                      '    choices: ["a\\nb\\u001b[2Jc"]']
        sweep = Sweep(self, "printf '%s|' \"$@\" > argv; score 0.5\n",
                      config_text(n_trials=1, parameters=parameters))
        rc, _, err = sweep.run()
        self.assertEqual(rc, 0, err)
        self.assertIn("trial 0 started: params label='a\\nb\\x1b[2Jc'\n", err)
        self.assertNotIn("\x1b", err)
        self.assertEqual(sweep.read(0, "argv"), "label='a\nb\x1b[2Jc'|")  # the value itself

    def test_reports_are_written_after_a_runtime_error(self):
        sweep = Sweep(self, "score 0.5\n", config_text(n_trials=2))
        sweep.write("multirun", "a file where the sweep directory belongs\n")
        rc, out, err = sweep.run()
        self.assertEqual(rc, 1, err)
        self.assertIn("igmopt-run: cannot create trial directory ", err)
        self.assertIn("results: ", err)
        with open(os.path.join(sweep.dir, "optimization_results.csv")) as f:
            rows = f.read().splitlines()
        self.assertEqual(len(rows), 2, rows)  # the header and trial 0
        self.assertTrue(rows[1].startswith("0,FAIL,"), rows)
        self.assertTrue(out.strip(), "the summary goes to stdout")

    def test_command_after_double_dash_replaces_the_configured_one(self):
        sweep = Sweep(self, 'printf "%s\\n" "$@" > argv; score 1.0\n',
                      config_text(n_trials=1, command='["false"]'))
        rc, _, err = sweep.run("--", "./child.sh", "first arg")
        self.assertEqual(rc, 0, err)
        self.assertEqual(sweep.read(0, "argv").splitlines()[0], "first arg")

    def test_help_and_version(self):
        for flag in ("--help", "-h"):
            r = subprocess.run([IGMOPT_RUN, flag], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0)
            self.assertIn("usage: igmopt-run", r.stdout)
        r = subprocess.run([IGMOPT_RUN, "--version"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^igmopt-run \d+\.\d+\.\d+")

    def test_progress_is_one_rewritten_line_on_a_terminal(self):
        sweep = Sweep(self, "score 0.5\n", config_text(n_trials=2))
        master, slave = pty.openpty()
        p = subprocess.Popen([IGMOPT_RUN], cwd=sweep.dir, env=sweep.env(),
                             stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        output = b""
        while True:
            ready, _, _ = select.select([master], [], [], 10)
            try:
                chunk = os.read(master, 4096) if ready else b""
            except OSError:  # EIO: the process closed the terminal
                chunk = b""
            if not chunk:
                break
            output += chunk
        os.close(master)
        self.assertEqual(p.wait(timeout=10), 0)
        self.assertIn(b"\r\x1b[K2/2 done", output)
        self.assertNotIn(b"progress: ", output)


REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class TestQuickStart(unittest.TestCase):
    """tools/build-and-run-example in a copy of the repository's layout, with
    stand-ins for install-deps, ninja (noisy, as meson's progress bars on
    stderr are) and igmopt-run (prints the configuration it was given)."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="igmopt-quickstart-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        os.makedirs(os.path.join(self.dir, "tools"))
        os.makedirs(os.path.join(self.dir, "examples", "glacier"))
        os.makedirs(os.path.join(self.dir, "build", "tools", "igmopt-run"))
        os.makedirs(os.path.join(self.dir, "bin"))
        shutil.copy(os.path.join(REPOSITORY, "tools", "build-and-run-example"),
                    os.path.join(self.dir, "tools"))
        shutil.copy(os.path.join(REPOSITORY, "examples", "glacier", "optuna_params.yaml"),
                    os.path.join(self.dir, "examples", "glacier"))
        self.write("tools/install-deps", "#!/bin/sh\nexit 0\n")
        self.write("build/build.ninja", "")
        self.write("bin/ninja", '#!/bin/sh\necho "[1/2] Compiling"; echo "progress 50%" >&2\n'
                                'exit "${NINJA_STATUS_CODE:-0}"\n')
        self.write("build/tools/igmopt-run/igmopt-run", '#!/bin/sh\ncat "$2"\n')

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)

    def run_script(self, **env):
        env = dict(os.environ, PATH=os.path.join(self.dir, "bin") + ":" + os.environ["PATH"],
                   **env)
        return subprocess.run([os.path.join(self.dir, "tools", "build-and-run-example")],
                              env=env, capture_output=True, text=True, timeout=30)

    def test_build_output_stays_off_stderr_and_edits_are_kept(self):
        r = self.run_script()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertIn("seed: 42", r.stdout)
        edited = os.path.join(self.dir, "glacier-sweep", "optuna_params.yaml")
        with open(edited, "a") as f:
            f.write("# my edit\n")
        r = self.run_script()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.endswith("# my edit\n"), "the user's file was overwritten")
        self.assertIn("using glacier-sweep/optuna_params.yaml as it is", r.stderr)
        self.assertNotIn("progress", r.stderr)

    def test_a_failed_build_shows_its_output(self):
        r = self.run_script(NINJA_STATUS_CODE="1")
        self.assertEqual(r.returncode, 1)
        self.assertIn("[1/2] Compiling", r.stderr)
        self.assertIn("progress 50%", r.stderr)
        self.assertIn("build-and-run-example: 'ninja -C build' failed", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "glacier-sweep")))


@unittest.skipUnless(GLACIER_SIM and os.path.exists(GLACIER_SIM or ""), "no glacier_sim")
class TestGlacier(unittest.TestCase):
    def test_glacier_sweep(self):
        parameters = [
            "  - name: processes.iceflow.physics.init_slidingco", "    type: float",
            "    low: 0.01", "    high: 1.0", "    log: true",
            "  - name: processes.smb_simple.array.1.3", "    type: float",
            "    low: 2500.0", "    high: 3200.0",
        ]
        sweep = Sweep(self, "", config_text(
            n_trials=6, n_jobs=2, objectives=("cost_volume", "cost_speed"),
            parameters=parameters, command=json.dumps([GLACIER_SIM]),
            extra="overrides:\n  processes.eval_objective.target_volume: 18.0\n"))
        rc, out, err = sweep.run(timeout=60)
        self.assertEqual(rc, 0, err)
        trials = optuna_trials(sweep.db, "e2e")
        self.assertEqual(len(trials), 6)
        self.assertEqual({t.state.name for t in trials}, {"COMPLETE"}, err)
        self.assertIn("Pareto", out + err)

    def test_the_bundled_example_calibrates_the_simulator(self):
        # examples/glacier/optuna_params.yaml as the README's main job runs
        # it (there the simulator is found on PATH), fewer trials.
        sweep = Sweep(self, "", "")
        shutil.copy(BUNDLED_EXAMPLE, os.path.join(sweep.dir, "optuna_params.yaml"))
        env = {"PATH": os.path.dirname(GLACIER_SIM) + os.pathsep + os.environ["PATH"]}
        rc, out, err = sweep.run("--check", env=env)
        self.assertEqual(rc, 0, err)
        rc, out, err = sweep.run("n_trials=16", env=env, timeout=100)
        self.assertEqual(rc, 0, err)
        trials = optuna_trials(sweep.db, "glacier_calibration")
        self.assertEqual(len(trials), 16)
        self.assertEqual({t.state.name for t in trials}, {"COMPLETE"}, err)
        # The summary's front is the one Optuna computes from the study.
        import optuna
        storage = optuna.storages.RDBStorage("sqlite:///" + sweep.db,
                                             skip_compatibility_check=True)
        front = optuna.load_study(study_name="glacier_calibration", storage=storage).best_trials
        summary = out[out.index("Pareto front: "):]
        self.assertIn("Pareto front: %d trial(s)" % len(front), summary)
        for t in front:
            self.assertIn("  trial %d: cost_volume=%r, cost_speed=%r" % (t.number, *t.values),
                          summary)
        with open(os.path.join(sweep.dir, "optimization_results.csv")) as f:
            self.assertEqual(len(f.read().splitlines()), 17)

    def test_seed_template_runs_nsga2_generations(self):
        # The seed's optuna_params.yaml unchanged (NSGAIISampler, population
        # 10, two objectives), 30 trials two at a time.
        sweep = Sweep(self, "", "")
        shutil.copy(SEED_TEMPLATE, os.path.join(sweep.dir, "seed.yml"))
        rc, out, err = sweep.run("-c", "seed.yml", "n_trials=30", "--", GLACIER_SIM,
                                 timeout=100)
        self.assertEqual(rc, 0, err)
        trials = optuna_trials(sweep.db, "my_experiment")
        self.assertEqual(len(trials), 30)
        self.assertEqual({t.state.name for t in trials}, {"COMPLETE"}, err)
        generations = [t.system_attrs["NSGAIISampler:generation"] for t in trials]
        self.assertEqual(generations, sorted(generations))
        self.assertGreaterEqual(generations[-1], 2)
        for g in range(generations[-1] + 1):  # two at a time: 10 or 11 trials each
            self.assertIn(generations.count(g), (10, 11) if g < generations[-1] else
                          range(1, 12), g)
        con = sqlite3.connect(sweep.db)
        try:
            parents = dict(con.execute("SELECT key, value_json FROM study_system_attributes "
                                       "WHERE key LIKE 'NSGAIISampler:parent:%'").fetchall())
        finally:
            con.close()
        self.assertEqual(sorted(parents), ["NSGAIISampler:parent:%d" % g
                                           for g in range(1, generations[-1] + 1)])
        ids = {t._trial_id for t in trials}
        for value in parents.values():
            self.assertEqual(len(json.loads(value)), 10)
            self.assertLessEqual(set(json.loads(value)), ids)
        self.assertIn("Pareto", out + err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
