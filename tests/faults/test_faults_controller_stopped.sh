#!/bin/bash
# Fault 2: geopmctl is stopped (SIGSTOP) for 5 s while 4 processes make
# markers, then continued (SIGCONT).  No marker waits for it: the rings
# (1024 events per process) overflow during the stop, and the events that
# do not fit are dropped and counted, not waited for; the final report's
# region counts stay exact and its "trace events lost" counts the drops.
#
# The latency criterion: on this shared machine a marker of 50 ns is now
# and then preempted for tens of microseconds (a run without the runtime
# shows it too), so the worst single marker is printed but the pass
# criterion is the 99.9th percentile (at most 0.1% of the markers over
# 10 us), plus 0 markers that slept (a voluntary context switch inside a
# marker: waiting on a lock or a futex) and no marker over 100 ms (one that
# waited for the stopped controller would take seconds).
. "$(dirname "$0")/faults_common.sh"
require_programs "$MARKER_APP"

NPROC=4
PAIRS=6000  # with a pause of 1 ms after each: a run of about 7 s
PAUSE_US=1000
STOP_S=5
SLOW_US=10
SLOW_FRACTION=0.001
WORST_LIMIT_US=100000
EVENTS=$((3 * PAIRS)) # an epoch, an enter and an exit per pair
PROFILE=faults-stopped
new_key KEY stopped
REPORT=$IT_TMP/report.yaml

# The reference output: the same arguments without the runtime.
RANK_PIDS=()
RANK_NAMES=()
start_marker plain "$PAIRS" 1 0
wait_ranks 30

start_controller ctl --key "$KEY" --report "$REPORT" --num-proc "$NPROC" --profile "$PROFILE" \
    --timeout 10
expect_segment "$KEY" ctl
RANK_PIDS=()
RANK_NAMES=()
for i in $(seq 1 "$NPROC"); do
    GEOPM_PROFILE=$PROFILE GEOPM_SHMKEY=$KEY GEOPM_TIMEOUT=5 \
        start_marker "rank$i" "$PAIRS" 1 "$PAUSE_US"
done
attached=yes
wait_mapped "$KEY" 5 "${RANK_PIDS[@]}" || attached=no
sleep 0.2
kill -STOP "$CTL_PID"
sleep "$STOP_S"
running=0
for pid in "${RANK_PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null && running=$((running + 1))
done
kill -CONT "$CTL_PID"
check "the $NPROC processes attached ($attached) and all were still running when geopmctl was continued after $STOP_S s ($running were)" \
    test "$attached" = yes -a "$running" = "$NPROC"

wait_ranks 30
ctl_rc=$(wait_controller ctl 10)
check "no process hangs ($HUNG still running after 30 s)" test "$HUNG" = 0
check "every process exits 0, every call returns 0, nothing on stderr" ranks_ok
check "their results are the results without the runtime" same_results plain "${RANK_NAMES[@]}"
check "geopmctl ends normally after SIGCONT (status $ctl_rc)" test "$ctl_rc" = 0

markers=$(figures sum markers "${RANK_NAMES[@]}")
slow=$(figures sum slow_markers "${RANK_NAMES[@]}")
slept=$(figures sum slept_markers "${RANK_NAMES[@]}")
preempted=$(figures sum preempted_markers "${RANK_NAMES[@]}")
worst=$(figures max worst_marker_us "${RANK_NAMES[@]}")
worst_cpu=$(figures max worst_cpu_us "${RANK_NAMES[@]}")
p9999=$(figures max p9999_marker_us "${RANK_NAMES[@]}")
echo "# worst marker latency $worst us wall clock (target <= $SLOW_US us), $worst_cpu us of its" \
    "own CPU time; 99.99th percentile <= $p9999 us; over $SLOW_US us: $slow of $markers" \
    "markers; preempted inside a marker: $preempted; slept inside a marker: $slept"
check "at most $SLOW_FRACTION of the markers take over $SLOW_US us ($slow of $markers)" \
    less_than "$slow" "$(awk -v m="$markers" -v f="$SLOW_FRACTION" 'BEGIN { print m * f + 1 }')"
check "no marker slept ($slept with a voluntary context switch)" test "$slept" = 0
check "no marker waited for the stopped controller (worst $worst us < $WORST_LIMIT_US us)" \
    less_than "$worst" "$WORST_LIMIT_US"

expect_report "$REPORT" ctl
{
    printf '%s %s %s -' "$REPORT" "$PAIRS" "$PAIRS"
    printf ' %s' "${RANK_PIDS[@]}"
    echo
} >"$IT_TMP/manifest"
check "the report's counts are exact: $PAIRS markers and epochs for each process and the host" \
    fault_check jobs "$IT_TMP/manifest"
check "every event is delivered or counted lost, and the rings overflowed during the stop" \
    fault_check events "$REPORT" "$EVENTS" "${RANK_PIDS[@]}"
lost=$(report get "$REPORT" "Application Totals" "trace events lost" 2>/dev/null)
echo "# trace events lost during the $STOP_S s stop: ${lost:-?} of $((NPROC * EVENTS))"

if [ "$TAP_FAILED" -gt 0 ]; then
    show_file "geopmctl stderr" "$IT_TMP/ctl.err"
    for name in "${RANK_NAMES[@]}"; do
        show_file "$name stdout" "$IT_TMP/$name.out"
    done
fi
tap_done
