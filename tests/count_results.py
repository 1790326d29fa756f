"""Counts individual test cases in a meson testlog.json and prints
"<passed> <failed>" on its last line, after one line per failed case.

Usage: /usr/bin/python3 count_results.py <build dir>/meson-logs/testlog.json

A cmocka program counts its cases ("[  PASSED  ] N test(s)." and
"[  FAILED  ] N test(s)" per group), a Python unittest script its tests
("Ran N tests", minus the distinct tests named in FAIL:/ERROR: headers and
the skipped ones), any other test 1.  A program that failed without
reporting a failed case (crash, timeout, sanitizer report at exit) adds one
failure."""

import json
import re
import sys

CMOCKA_PASSED = re.compile(r"^\[  PASSED  \] (\d+) test\(s\)\.", re.M)
CMOCKA_FAILED = re.compile(r"^\[  FAILED  \] (\d+) test\(s\)", re.M)
CMOCKA_FAILED_NAME = re.compile(r"^\[  (?:FAILED|ERROR)   ?\] (\w+)$", re.M)
UNITTEST_RAN = re.compile(r"^Ran (\d+) tests? in ", re.M)
UNITTEST_FAILED_NAME = re.compile(r"^(?:FAIL|ERROR): (\w+) ", re.M)
UNITTEST_SKIPPED = re.compile(r"^(?:OK|FAILED) \(.*skipped=(\d+)", re.M)
GOOD_RESULTS = {"OK", "EXPECTEDFAIL"}


def count(test):
    """(passed, failed, names of failed cases) for one meson test."""
    output = (test.get("stdout") or "") + (test.get("stderr") or "")
    ok = test["result"] in GOOD_RESULTS
    if CMOCKA_PASSED.search(output) or CMOCKA_FAILED.search(output):
        passed = sum(map(int, CMOCKA_PASSED.findall(output)))
        failed = sum(map(int, CMOCKA_FAILED.findall(output)))
        names = sorted(set(CMOCKA_FAILED_NAME.findall(output)))
    elif UNITTEST_RAN.search(output):
        ran = int(UNITTEST_RAN.search(output).group(1))
        names = sorted(set(UNITTEST_FAILED_NAME.findall(output)))
        skipped = sum(map(int, UNITTEST_SKIPPED.findall(output)))
        failed = len(names)
        passed = ran - failed - skipped
    else:
        return (1, 0, []) if ok else (0, 1, [f"{test['result']} (returncode "
                                             f"{test.get('returncode')})"])
    if not ok and failed == 0:
        failed, names = 1, [f"exit: {test['result']} (returncode {test.get('returncode')})"]
    return passed, failed, names


def main(path):
    total_passed = total_failed = 0
    with open(path) as log:
        for line in log:
            test = json.loads(line)
            passed, failed, names = count(test)
            total_passed += passed
            total_failed += failed
            if failed:
                print(f"FAILED {test['name']}: {failed} case(s) {', '.join(names)}")
    print(total_passed, total_failed)


if __name__ == "__main__":
    main(sys.argv[1])
