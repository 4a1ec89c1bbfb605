#!/bin/bash
# Fault 1: geopmctl is killed (SIGKILL) while 4 processes each make
# 1,000,000 enter/exit pairs (2,000,000 markers): every process exits 0,
# none hangs, their results are those of a run without the runtime, and the
# run takes no more than 1 s longer than that run without the runtime.
. "$(dirname "$0")/faults_common.sh"
require_programs "$MARKER_APP"

NPROC=4
PAIRS=1000000
WORK=100 # arithmetic inside each pair, so that a run lasts a fraction of a second
LIMIT_S=1
HANG_S=30
APP_ARGS=("$PAIRS" 1 0 "$WORK")

# run_job PREFIX: starts the NPROC processes with the caller's environment.
run_job() {
    RANK_PIDS=()
    RANK_NAMES=()
    local i
    for i in $(seq 1 "$NPROC"); do
        start_marker "$1$i" "${APP_ARGS[@]}"
    done
}

# Without the runtime: the reference wall time.
start=$(now)
run_job plain
wait_ranks "$HANG_S"
plain_wall=$(elapsed_since "$start")
check "without the runtime, the $NPROC processes run and exit 0" ranks_ok
plain_names=("${RANK_NAMES[@]}")

# With the runtime, and the controller killed once they all attached.
new_key KEY killed
start_controller ctl --key "$KEY" --num-proc "$NPROC" --timeout 10
expect_segment "$KEY" ctl
start=$(now)
GEOPM_PROFILE=faults-killed GEOPM_SHMKEY=$KEY GEOPM_TIMEOUT=5 run_job rank
attached=yes
wait_mapped "$KEY" 5 "${RANK_PIDS[@]}" || attached=no
kill -KILL "$CTL_PID"
killed_after=$(elapsed_since "$start")
running=0
for pid in "${RANK_PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null && running=$((running + 1))
done
check "the $NPROC processes attached ($attached); $running were still making markers when geopmctl was killed, $killed_after s after their start" \
    test "$attached" = yes -a "$running" = "$NPROC"
wait_ranks "$HANG_S"
wall=$(elapsed_since "$start")
ctl_rc=$(wait_controller ctl 5)

echo "# wall time of the $NPROC processes: $wall s with the runtime and its controller killed," \
    "$plain_wall s without the runtime (criterion: at most $LIMIT_S s more)"
check "no process hangs ($HUNG still running after $HANG_S s)" test "$HUNG" = 0
check "every process exits 0, every call returns 0, nothing on stderr" ranks_ok
check "their results are the results without the runtime" \
    same_results "${plain_names[0]}" "${plain_names[@]:1}" "${RANK_NAMES[@]}"
check "with the controller killed, the run takes at most $LIMIT_S s more ($wall s against $plain_wall s)" \
    less_than "$wall" "$(awk -v p="$plain_wall" -v l="$LIMIT_S" 'BEGIN { print p + l }')"
check "geopmctl died of SIGKILL (status $ctl_rc)" test "$ctl_rc" = 137
worst=$(figures max worst_marker_us "${RANK_NAMES[@]}")
echo "# worst single marker with the controller killed: $worst us (wall clock, all" \
    "$((NPROC * PAIRS * 2)) markers, on a shared machine: preemption included)"
tap_done
