#!/bin/sh
# End-to-end checks of glacier_sim, the IGM stand-in: the true parameters
# score ~0, wrong ones do not, bad overrides are refused as Hydra refuses
# them, and _igm_score.json is the JSON IGM's sweeper reads.
#   test_glacier.sh path/to/glacier_sim
set -u
SIM=${1:?usage: test_glacier.sh path/to/glacier_sim}
case $SIM in /*) ;; *) SIM=$PWD/$SIM ;; esac
PY=/usr/bin/python3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
failed=0

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; failed=1; }

SLIDE=processes.iceflow.physics.init_slidingco
ARRH=processes.iceflow.physics.init_arrhenius
ELA=processes.smb_simple.array.1.3
TARGETS="processes.eval_objective.target_volume=18.0 processes.eval_objective.target_max_speed=200.0"

# The score file's keys and values, one "name value" a line; fails unless it
# is a JSON object of exactly the three IGM cost names with finite numbers.
read_score() {
    $PY -c '
import json, math, sys
d = json.load(open("_igm_score.json"))
assert isinstance(d, dict) and sorted(d) == ["cost_speed", "cost_thickness", "cost_volume"], d
for k in ("cost_volume", "cost_speed", "cost_thickness"):
    assert isinstance(d[k], float) and math.isfinite(d[k]) and d[k] >= 0, (k, d[k])
    print(k, d[k])'
}

# cost_NAME from the score lines $1 compared with awk: cost_below LINES name limit
cost_of() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# 1. The true parameters, passed as igmopt-run passes them, score ~0.
start=$(date +%s.%N)
if "$SIM" +experiment=params $TARGETS "$SLIDE=0.1" "$ARRH=78" "$ELA=2900" >true.log 2>&1; then
    end=$(date +%s.%N)
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    echo "glacier_sim with the true parameters ran in $seconds s:"
    sed 's/^/    /' true.log
    if scores=$(read_score); then
        ok "_igm_score.json is a JSON object with exactly the three cost keys"
        v=$(cost_of "$scores" cost_volume) s=$(cost_of "$scores" cost_speed)
        t=$(cost_of "$scores" cost_thickness)
        if below "$v" 0.05 && below "$s" 0.5 && below "$t" 0.5; then
            ok "true parameters: costs $v km3, $s m/a, $t m are ~0"
        else
            bad "true parameters: costs $v km3, $s m/a, $t m (want < 0.05, 0.5, 0.5)"
        fi
    else
        bad "_igm_score.json is not the expected JSON:"; cat _igm_score.json; echo
    fi
    below "$seconds" 5 && ok "runtime $seconds s < 5 s" || bad "runtime $seconds s >= 5 s"
else
    bad "true parameters: glacier_sim exited $?"; cat true.log
fi

# 2. A wrong parameter set scores clearly worse on every cost.
if "$SIM" $TARGETS "$SLIDE=0.01" "$ARRH=150" "$ELA=2500" >wrong.log 2>&1 && scores=$(read_score)
then
    v=$(cost_of "$scores" cost_volume) s=$(cost_of "$scores" cost_speed)
    t=$(cost_of "$scores" cost_thickness)
    if below 2 "$v" && below 50 "$s" && below 20 "$t"; then
        ok "wrong parameters: costs $v km3, $s m/a, $t m are large"
    else
        bad "wrong parameters: costs $v km3, $s m/a, $t m (want > 2, 50, 20)"
    fi
else
    bad "wrong parameters: no score"; cat wrong.log
fi

# 3. Values may come quoted per Hydra's grammar; the defaults are the truth.
if "$SIM" "$SLIDE='0.1'" "$ARRH=\"78\"" "$ELA= 2900 " >quoted.log 2>&1 && scores=$(read_score) &&
    below "$(cost_of "$scores" cost_volume)" 0.05; then
    ok "quoted values are accepted"
else
    bad "quoted values"; cat quoted.log
fi

# refused ARGS... MESSAGE: exit status 1, stderr naming MESSAGE, no score file
refused() {
    message=$1; shift
    rm -f _igm_score.json
    "$SIM" "$@" >refused.out 2>refused.err
    status=$?
    if [ $status -eq 1 ] && grep -qF -- "$message" refused.err && [ ! -e _igm_score.json ]; then
        ok "refused $* ($(head -n 1 refused.err))"
    else
        bad "$* gave exit $status, stderr:"; cat refused.err
    fi
}

# 4. Unknown keys are refused the way Hydra refuses them.
refused "Could not override 'processes.iceflow.physics.init_slidingcoo'" \
    "processes.iceflow.physics.init_slidingcoo=0.1"
refused "Key 'init_slidingcoo' is not in struct" "processes.iceflow.physics.init_slidingcoo=0.1"
refused "Key 'foo' is not in struct" "foo.bar=1"
refused "processes.iceflow" "processes.iceflow=1"
refused "missing EQUAL" "$SLIDE"

# 5. So are values that are not finite numbers, or out of range.
refused "Value 'abc' could not be converted to a number" "$ARRH=abc"
refused "could not be converted" "$ELA=2900m"
refused "could not be converted" "$ELA="
refused "Value 'null' is not allowed" "$SLIDE=null"
refused "out of range" "$ARRH=nan"
refused "out of range" "$ARRH=inf"
refused "out of range" "$SLIDE=0"
refused "time.end" "time.end=-5"
refused "needs a directory" "hydra.run.dir="
refused "An item is already at" "+$SLIDE=0.1"

# 6. hydra.run.dir: created and used as the working directory, as by Hydra.
if "$SIM" "hydra.run.dir=runs/3" "time.end=20" >rundir.log 2>&1 &&
    (cd runs/3 && read_score >/dev/null); then
    ok "hydra.run.dir=runs/3 holds the score"
else
    bad "hydra.run.dir"; cat rundir.log
fi

"$SIM" --help | grep -q "processes.smb_simple.array.1.3" && ok "--help lists the keys" ||
    bad "--help"

if [ $failed -ne 0 ]; then
    echo "test_glacier.sh: FAILED"
    exit 1
fi
echo "test_glacier.sh: all checks passed"
