#!/bin/bash
# Fault 3: no controller at all, GEOPM_TIMEOUT=2.  Each of 4 processes makes
# its first marker within 2.2 s, exits 0, prints what it prints without the
# runtime, and exactly one warning on stderr; while it waits for the
# segment it sleeps: its CPU time over the wait (getrusage around its first
# geopm_prof call, which is the wait) is at most 5% of that wait.
. "$(dirname "$0")/faults_common.sh"
require_programs "$MARKER_APP"

NPROC=4
TIMEOUT=2
START_LIMIT_S=2.2
CPU_LIMIT=0.05
APP_ARGS=(1000 1 0 0)
new_key KEY none

RANK_PIDS=()
RANK_NAMES=()
start_marker plain "${APP_ARGS[@]}"
wait_ranks 30

RANK_PIDS=()
RANK_NAMES=()
start=$(now)
for i in $(seq 1 "$NPROC"); do
    GEOPM_PROFILE=faults-none GEOPM_SHMKEY=$KEY GEOPM_TIMEOUT=$TIMEOUT \
        start_marker "rank$i" "${APP_ARGS[@]}"
done
wait_ranks 30
wall=$(elapsed_since "$start")
echo "# $NPROC processes without a controller, GEOPM_TIMEOUT=$TIMEOUT: all ended $wall s after" \
    "their start"

bad=""
for i in "${!RANK_PIDS[@]}"; do
    [ "${RANK_STATUS[$i]}" = 0 ] || bad="$bad ${RANK_NAMES[$i]}:exit ${RANK_STATUS[$i]}"
done
check "no process hangs ($HUNG) and every one exits 0${bad:+:$bad}" test "$HUNG" = 0 -a -z "$bad"
check "stdout equals the run without the runtime (apart from the timing figures)" \
    same_results plain "${RANK_NAMES[@]}"

# one_warning NAME PID: stderr is one line, the runtime's warning for PID,
# naming the key.
one_warning() {
    local err=$IT_TMP/$1.err
    cat "$err"
    [ "$(wc -l <"$err")" -eq 1 ] &&
        grep -q "^geopm: warning: process $2 is not profiled: .*$KEY" "$err"
}
for i in "${!RANK_PIDS[@]}"; do
    name=${RANK_NAMES[$i]}
    check "$name: exactly one warning on stderr, naming its pid and the key" \
        one_warning "$name" "${RANK_PIDS[$i]}"
    attach=$(figure "$name" attach_s)
    cpu=$(figure "$name" attach_cpu_s)
    share=$(awk -v c="$cpu" -v a="$attach" 'BEGIN { printf "%.4f", (a > 0 ? c / a : 1) }')
    echo "# $name: first marker after $attach s (criterion <= $START_LIMIT_S s); CPU time" \
        "while waiting $cpu s = $(awk -v s="$share" 'BEGIN { printf "%.2f", 100 * s }')% of" \
        "one core (criterion <= $(awk -v l="$CPU_LIMIT" 'BEGIN { print 100 * l }')%)"
    check "$name starts within $START_LIMIT_S s ($attach s)" less_than "$attach" "$START_LIMIT_S"
    check "$name waited for the controller at least $((TIMEOUT - 1)) s ($attach s)" \
        less_than $((TIMEOUT - 1)) "$attach"
    check "$name uses at most $CPU_LIMIT of a core while waiting ($share)" \
        less_than "$share" "$CPU_LIMIT"
done
check "no segment was created at $(shm_path "$KEY")" test ! -e "$(shm_path "$KEY")"
tap_done
