#!/bin/bash
# Truncation attack (issue 6, scenario 10): geopmctl, as root, serves a job
# of uid 65534; that user truncates and grows the job's segment 1,000 times
# while four of its processes are attached.  geopmctl never dies (no
# SIGBUS), warns that the segment changed size, reports the processes whose
# slots it could no longer read as corrupt, writes its report and removes
# the segment, with exit status 1.  Another job served beside it, under
# another key, is unaffected: exact counts, exit status 0.
. "$(dirname "$0")/sec_common.sh"
require_built
sec_require_root "a job of another user"
ATTACK=$abs_top_builddir/tests/security/test_truncation_attack
[ -x "$ATTACK" ] || tap_skip_all "test_truncation_attack is not built ($ATTACK)"

USER_UID=$SEC_NOBODY
OPS=1000
NPROC=4
ITERATIONS=100
SEED=${TRUNCATION_SEED:-$((RANDOM + 1))}
new_key KEY_A attacked
new_key KEY_B beside
REPORT_A=$IT_TMP/attacked.yaml
REPORT_B=$IT_TMP/beside.yaml

start_controller attacked --key "$KEY_A" --user "$USER_UID" --report "$REPORT_A" \
    --num-proc "$NPROC" --profile sec-truncated --timeout 10
ATTACKED_PID=$CTL_PID
expect_segment "$KEY_A" attacked
# The segment exists, root's, before geopmctl gives it to the user and
# publishes it: wait for the chown, a short while.
owner_of_a() {
    stat -c %u "$(shm_path "$KEY_A")" 2>/dev/null
}
for _ in $(seq 200); do
    [ "$(owner_of_a)" = "$USER_UID" ] && break
    sleep 0.01
done
check "the segment $KEY_A belongs to uid $USER_UID" test "$(owner_of_a)" = "$USER_UID"
start_controller beside --key "$KEY_B" --report "$REPORT_B" --num-proc "$NPROC" \
    --profile sec-beside --timeout 10
expect_segment "$KEY_B" beside

RANK_PIDS=()
for i in $(seq 0 $((NPROC - 1))); do
    GEOPM_PROFILE=sec-beside GEOPM_SHMKEY=$KEY_B GEOPM_TIMEOUT=5 \
        start_rank "beside$i" --iterations "$ITERATIONS" --compute-ms 5 --memory-ms 2
done

echo "# seed $SEED (TRUNCATION_SEED=$SEED repeats the sizes)"
attack_start=$EPOCHREALTIME
GEOPM_PROFILE=sec-truncated GEOPM_SHMKEY=$KEY_A GEOPM_TIMEOUT=5 \
    "$ATTACK" "$USER_UID" "$NPROC" "$OPS" "$SEED" >"$IT_TMP/attack.out" 2>"$IT_TMP/attack.err"
attack_status=$?
attack_took=$(elapsed_since "$attack_start")
for pid in "${RANK_PIDS[@]}"; do
    wait "$pid"
done
rc_a=$(wait_controller attacked 10)
rc_b=$(wait_controller beside 10)

done_ops=$(sed -n 's/^ops=\([0-9]*\) .*/\1/p' "$IT_TMP/attack.out")
changes=$(grep -c 'changed size from' "$IT_TMP/attacked.err")
corrupt=$(grep -c 'is corrupt: its part of the segment is gone' "$IT_TMP/attacked.err")
echo "# $(tr '\n' ';' <"$IT_TMP/attack.out") in $attack_took s"
echo "# truncate/grow operations: ${done_ops:-0} (criterion $OPS); size changes geopmctl saw:" \
    "$changes; processes reported corrupt: $corrupt of $NPROC; geopmctl status $rc_a"
check "uid $USER_UID truncated or grew the segment $OPS times, its $NPROC processes attached" \
    test "$attack_status" = 0 -a "${done_ops:-0}" = "$OPS"
check "the attacked geopmctl survives: exit status 1 for a damaged segment (got $rc_a)" \
    test "$rc_a" = 1
check "the attacked geopmctl warned that the segment changed size ($changes times)" \
    test "$changes" -gt 0
check "the attacked segment is removed" test ! -e "$(shm_path "$KEY_A")"
check "geopmctl is gone (pid $ATTACKED_PID)" test ! -d "/proc/$ATTACKED_PID"
expect_report "$REPORT_A" attacked
check "the attacked job's report lists its $NPROC processes" \
    report process-count "$REPORT_A" "$NPROC"
# A slot the controller read while it was cut is corrupt.  One it never saw
# cut (a grow came first) is died: the processes leave with _exit, without
# saying they finished (or finished, had they said so).  At least one must
# have been cut.
statuses=$(python3 - "$REPORT_A" <<'EOF'
import os, sys
sys.path.insert(0, os.path.join(os.environ["abs_top_srcdir"], "tests", "integration"))
from report_check import load_report, processes
_, entries = processes(load_report(sys.argv[1]))
print(" ".join(sorted(str(e.get("status")) for e in entries)))
EOF
)
check "the attacked job's processes are corrupt, finished or died, at least one corrupt ($statuses)" \
    bash -c '[[ " $1 " == *" corrupt "* ]] && [[ -z "$(tr " " "\n" <<<"$1" | grep -vx -e corrupt -e finished -e died)" ]]' \
    _ "$statuses"

check "the job beside it ends with status 0 (got $rc_b)" test "$rc_b" = 0
expect_report "$REPORT_B" beside
for i in "${!RANK_PIDS[@]}"; do
    check "beside: process $i (pid ${RANK_PIDS[$i]}) counts exactly $ITERATIONS regions and epochs" \
        process_counts "$REPORT_B" "${RANK_PIDS[$i]}" "$ITERATIONS" "$ITERATIONS" "$ITERATIONS"
done
check "beside: geopmctl said nothing of corruption or size changes" \
    bash -c '! grep -E "corrupt|changed size" "$1"' _ "$IT_TMP/beside.err"

if [ "$TAP_FAILED" -gt 0 ]; then
    show_file "attack stdout" "$IT_TMP/attack.out"
    show_file "attack stderr" "$IT_TMP/attack.err"
    show_file "attacked report" "$REPORT_A"
    show_file "attacked geopmctl stderr" "$IT_TMP/attacked.err"
    show_file "beside geopmctl stderr" "$IT_TMP/beside.err"
fi
tap_done
