#!/bin/bash
# Usage: check_cost.sh openmpi|mpich (run by test_mpi_cost_*.sh).
# What the wrapper adds to an MPI call: one rank times MPI_Barrier on
# MPI_COMM_SELF (barrier_self.c), with the preload library attached to a
# controller and without it, alternately, ROUNDS times each; the figure is
# the difference of the fastest runs ("# wrapper cost: X ns per call").
# No assertion on time (a benchmark, not a test of speed); the report of
# each attached run must count every call exactly.
. "$(dirname "$0")/mpi_common.sh"
use_flavour "$1"
require_programs barrier_self

ROUNDS=3
CALLS=200000
BATCHES=5
TOTAL=$((CALLS * (BATCHES + 1)))
RUN_TIMEOUT=60
PROGRAM=$(program barrier_self)

# ns_per_call NAME: the figure barrier_self printed in run NAME.
ns_per_call() {
    sed -n 's/^barrier_self: calls [0-9]* ns_per_call \([0-9.]*\)$/\1/p' "$MPI_TMP/$1.out"
}

with=()
without=()
for round in $(seq 1 "$ROUNDS"); do
    new_key KEY "cost$round"
    REPORT=$MPI_TMP/cost$round.yaml
    start_controller "ctl$round" --key "$KEY" --report "$REPORT" --num-proc 1 --timeout 20
    run_mpi "with$round" "$RUN_TIMEOUT" 1 LD_PRELOAD="$MPI_PRELOAD" GEOPM_SHMKEY="$KEY" -- \
        "$PROGRAM" "$CALLS" "$BATCHES"
    check "round $round with the runtime: exits 0 and prints its figure (got $RUN_RC)" \
        test "$RUN_RC" = 0 -a -n "$(ns_per_call "with$round")"
    with+=("$(ns_per_call "with$round")")
    ctl_rc=$(wait_controller "ctl$round" 30)
    check "round $round: geopmctl exits 0 (got $ctl_rc)" test "$ctl_rc" = 0
    check "round $round: the report counts all $TOTAL MPI_Barrier calls" \
        report region-count "$REPORT" MPI_Barrier "$TOTAL"
    run_mpi "without$round" "$RUN_TIMEOUT" 1 -- "$PROGRAM" "$CALLS" "$BATCHES"
    check "round $round without the runtime: exits 0 and prints its figure (got $RUN_RC)" \
        test "$RUN_RC" = 0 -a -n "$(ns_per_call "without$round")"
    without+=("$(ns_per_call "without$round")")
done

echo "# MPI_Barrier(MPI_COMM_SELF), $MPI_NAME, ns per call with the runtime: ${with[*]};" \
    "without: ${without[*]}"
best() {
    printf '%s\n' "$@" | grep . | sort -g | head -n 1
}
best_with=$(best "${with[@]}")
best_without=$(best "${without[@]}")
if [ -n "$best_with" ] && [ -n "$best_without" ]; then
    echo "# wrapper cost: $(awk -v a="$best_with" -v b="$best_without" \
        'BEGIN { printf "%.1f", a - b }') ns per call ($MPI_NAME; fastest of $ROUNDS runs:" \
        "$best_with ns with the runtime, $best_without ns without)"
fi
show_on_failure with1 without1 ctl1
tap_done
