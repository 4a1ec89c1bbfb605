#!/bin/bash
# Fault 6: processes start before the controller.  1,000 full geopmctl runs
# would take minutes here, so the race itself is run 1,000 times with the
# job API alone (attach_race: users forked first, the owner creates the
# segment 0 to 20 ms later; 0 hangs, 0 attaches to a segment not fully
# published), and then 20 times end to end: 3 marker_app processes start,
# geopmctl starts 0 to 20 ms later; every geopm_prof call returns 0, none
# hangs, and every report counts every process exactly.
. "$(dirname "$0")/faults_common.sh"
require_programs "$MARKER_APP" "$ATTACH_RACE"

RACE_ROUNDS=${FAULT_RACE_ROUNDS:-1000}
RACE_USERS=3
RACE_LANES=8
RUNS=${FAULT_RUNS:-20}
NPROC=3
PAIRS=50
PROFILE=faults-race
MANIFEST=$IT_TMP/manifest

# The driver's keys are /geopm-race-<its pid>-<lane>: removed by the
# cleanup below if it were killed mid-round.
"$ATTACH_RACE" "$RACE_ROUNDS" "$RACE_USERS" "$RACE_LANES" >"$IT_TMP/race.out" 2>&1 &
race_pid=$!
for lane in $(seq 0 $((RACE_LANES - 1))); do
    IT_KEYS+=("/geopm-race-$race_pid-$lane")
done
wait "$race_pid"
race_rc=$?
tap_comment <"$IT_TMP/race.out"
field() {
    sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$IT_TMP/race.out"
}
check "the job API race ran $RACE_ROUNDS rounds ($(field rounds)), all clean ($(field clean))" \
    test "$race_rc" = 0 -a "$(field rounds)" = "$RACE_ROUNDS"
check "0 hangs in $RACE_ROUNDS rounds ($(field hung))" test "$(field hung)" = 0
check "0 attaches to a segment not fully published ($(field unpublished))" \
    test "$(field unpublished)" = 0

hung=0
ok_runs=0
ctl_ok=0
names=()
start=$(now)
for run in $(seq 1 "$RUNS"); do
    new_key KEY "race$run"
    RANK_PIDS=()
    RANK_NAMES=()
    for i in $(seq 1 "$NPROC"); do
        GEOPM_PROFILE=$PROFILE GEOPM_SHMKEY=$KEY GEOPM_TIMEOUT=5 \
            start_marker "r${run}p$i" "$PAIRS" 1 0
    done
    sleep "$(random_ms 20)"
    start_controller "ctl$run" --key "$KEY" --report "$IT_TMP/run$run.yaml" --num-proc "$NPROC" \
        --profile "$PROFILE" --period 0.001 --timeout 5
    wait_ranks 10
    hung=$((hung + HUNG))
    ranks_ok >/dev/null && ok_runs=$((ok_runs + 1))
    names+=("${RANK_NAMES[@]}")
    [ "$(wait_controller "ctl$run" 5)" = 0 ] && ctl_ok=$((ctl_ok + 1))
    echo "$IT_TMP/run$run.yaml $PAIRS $PAIRS - ${RANK_PIDS[*]}" >>"$MANIFEST"
done
echo "# $RUNS runs with geopmctl started 0 to 20 ms after the processes: $(elapsed_since "$start") s"
check "no process hangs in $RUNS runs ($hung)" test "$hung" = 0
check "every process exits 0, every call returns 0, nothing on stderr ($ok_runs of $RUNS runs)" \
    test "$ok_runs" = "$RUNS"
check "geopmctl ends with status 0 ($ctl_ok of $RUNS runs)" test "$ctl_ok" = "$RUNS"
check "every report counts every process exactly" fault_check jobs "$MANIFEST"
echo "# the processes' worst wait for the late controller: $(figures max attach_s "${names[@]}") s"
if [ "$TAP_FAILED" -gt 0 ]; then
    show_file "geopmctl stderr, run 1" "$IT_TMP/ctl1.err"
    show_file "report, run 1" "$IT_TMP/run1.yaml"
fi
tap_done
