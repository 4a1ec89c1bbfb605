#!/bin/bash
# Fault 4: a process dies holding the segment lock, 100 rounds.  Each round
# is a job of its own: geopmctl expecting 4 processes, claim_victim killed
# (SIGKILL, by geopm__job_claim_hook) inside the critical section of its
# slot claim, then 3 marker_app processes that must take the lock over
# from the dead holder.  Criteria: the 3 others attach and claim within
# 100 ms (their first geopm_prof call, timed by themselves), geopmctl keeps
# sampling and ends by itself with status 0, its report names the victim
# as died, and the others' counts are exact.
. "$(dirname "$0")/faults_common.sh"
require_programs "$MARKER_APP" "$CLAIM_VICTIM"

ROUNDS=${FAULT_ROUNDS:-100}
OTHERS=3
PAIRS=100
ATTACH_LIMIT_S=0.1
CTL_END_LIMIT_S=5
PROFILE=faults-lock
MANIFEST=$IT_TMP/manifest

victims_killed=0
ctl_ok=0
hung=0
others_ok=0
no_segment=0
names=()
start=$(now)
lap=$start
for round in $(seq 1 "$ROUNDS"); do
    new_key KEY "lock$round"
    report=$IT_TMP/round$round.yaml
    start_controller "ctl$round" --key "$KEY" --report "$report" --num-proc $((OTHERS + 1)) \
        --profile "$PROFILE" --period 0.001 --timeout 5
    if ! wait_for_file "$(shm_path "$KEY")" 5; then
        no_segment=$((no_segment + 1))
        continue
    fi
    export GEOPM_PROFILE=$PROFILE GEOPM_SHMKEY=$KEY GEOPM_TIMEOUT=5
    "$CLAIM_VICTIM" 1 >"$IT_TMP/victim$round.out" 2>&1 &
    victim=$!
    wait "$victim" 2>/dev/null
    [ $? = 137 ] && victims_killed=$((victims_killed + 1))
    RANK_PIDS=()
    RANK_NAMES=()
    for i in $(seq 1 "$OTHERS"); do
        start_marker "r${round}p$i" "$PAIRS" 1 0
    done
    unset GEOPM_PROFILE GEOPM_SHMKEY GEOPM_TIMEOUT
    wait_ranks 10
    hung=$((hung + HUNG))
    ranks_ok >/dev/null && others_ok=$((others_ok + 1))
    names+=("${RANK_NAMES[@]}")
    [ "$(wait_controller "ctl$round" "$CTL_END_LIMIT_S")" = 0 ] && ctl_ok=$((ctl_ok + 1))
    echo "$report $PAIRS $PAIRS $victim ${RANK_PIDS[*]}" >>"$MANIFEST"
    if [ $((round % 10)) = 0 ]; then
        echo "# rounds $((round - 9)) to $round took $(elapsed_since "$lap") s"
        lap=$(now)
    fi
done
echo "# $ROUNDS rounds in $(elapsed_since "$start") s"

check "geopmctl made its segment in every round ($no_segment rounds without)" \
    test "$no_segment" = 0
check "the victim died of SIGKILL inside the lock in every round ($victims_killed of $ROUNDS)" \
    test "$victims_killed" = "$ROUNDS"
check "no process hangs ($hung hung)" test "$hung" = 0
check "the others exit 0 with every call returning 0 and no stderr ($others_ok of $ROUNDS rounds)" \
    test "$others_ok" = "$ROUNDS"
worst_attach=$(figures max attach_s "${names[@]}")
echo "# the others' worst attach and claim after the holder died: $worst_attach s" \
    "(criterion <= $ATTACH_LIMIT_S s, ${#names[@]} processes)"
check "no other process waits more than $ATTACH_LIMIT_S s to attach and claim ($worst_attach s)" \
    less_than "$worst_attach" "$ATTACH_LIMIT_S"
check "geopmctl keeps sampling and ends by itself with status 0 ($ctl_ok of $ROUNDS rounds)" \
    test "$ctl_ok" = "$ROUNDS"
check "every report names the victim as died and counts the others exactly" \
    fault_check jobs "$MANIFEST"
if [ "$TAP_FAILED" -gt 0 ]; then
    show_file "geopmctl stderr, round 1" "$IT_TMP/ctl1.err"
    show_file "report, round 1" "$IT_TMP/round1.yaml"
fi
tap_done
