#!/bin/bash
# Usage: check_counts.sh openmpi|mpich (run by test_mpi_counts_*.sh).
# Four ranks of counts.c call MPI_Barrier 10,000 times and MPI_Allreduce
# 1,000 times under the preload library and a real geopmctl: the report
# counts exactly that for the host and for every rank, all of it as network
# time, and under no other region.  Also prints the time from the launcher's
# start to the first marker (from the controller's trace).
. "$(dirname "$0")/mpi_common.sh"
use_flavour "$1"
require_programs counts

BARRIERS=10000
ALLREDUCES=1000
# MPICH 4.0 (ch4:ucx) busy-polls: four ranks on two cores take minutes
# for these counts, with or without the runtime.
case $MPI_FLAVOUR in
openmpi) RUN_TIMEOUT=120 ;;
mpich) RUN_TIMEOUT=540 ;;
esac
PROGRAM=$(program counts)
new_key KEY counts
REPORT=$MPI_TMP/report.yaml
TRACE=$MPI_TMP/trace

start_controller ctl --key "$KEY" --report "$REPORT" --trace "$TRACE" --num-proc "$NPROC" \
    --timeout 20
run_start=$(now)
run_mpi run "$RUN_TIMEOUT" "$NPROC" LD_PRELOAD="$MPI_PRELOAD" GEOPM_SHMKEY="$KEY" -- \
    "$PROGRAM" "$BARRIERS" "$ALLREDUCES"
echo "# $MPI_NAME, $NPROC ranks, $BARRIERS barriers and $ALLREDUCES allreduces each:" \
    "$RUN_WALL s with the runtime"
check "the launcher exits 0 within $RUN_TIMEOUT s (got $RUN_RC)" test "$RUN_RC" = 0
counts_line "$NPROC" "$BARRIERS" "$ALLREDUCES" >"$MPI_TMP/expected.out"
check "rank 0 prints the expected result" same_output "$MPI_TMP/expected.out" "$MPI_TMP/run.out"
check "the runtime writes nothing to stderr" test -z "$(grep '^geopm' "$MPI_TMP/run.err")"

ctl_rc=$(wait_controller ctl 30)
check "geopmctl exits 0 once the ranks are done (got $ctl_rc)" test "$ctl_rc" = 0
check "geopmctl removes its segment" test ! -e "$(shm_path "$KEY")"
[ -s "$REPORT" ] || bail_out "geopmctl wrote no report" "$MPI_TMP/ctl.err" "$MPI_TMP/run.err"

check "the report is GEOPM's YAML report" report loads "$REPORT"
check "the report lists ranks 0 to $((NPROC - 1)), each $(basename "$PROGRAM"), finished" \
    report processes "$REPORT" "$NPROC" "$(basename "$PROGRAM")"
check_exact_counts "" "$REPORT" "$BARRIERS" "$ALLREDUCES"
check "MPI_Barrier's time is all network time, above zero" \
    report network-is-runtime "$REPORT" MPI_Barrier
check "MPI_Allreduce's time is all network time, above zero" \
    report network-is-runtime "$REPORT" MPI_Allreduce
check "MPI_Barrier's hash is crc32(\"MPI_Barrier\")" report hash "$REPORT" MPI_Barrier

first=$(report first-marker "$TRACE-$(uname -n)" 2>/dev/null)
if [ -n "$first" ] && [ "$first" != "no row in a marked region" ]; then
    echo "# time from mpirun start to first marker: $(awk -v c="$CTL_START" -v f="$first" \
        -v r="$run_start" 'BEGIN { printf "%.3f", c + f - r }') s (from the trace, to within" \
        "one controller period)"
fi
barrier_s=$(report get "$REPORT" Regions MPI_Barrier "runtime (s)" 2>/dev/null)
[ -n "$barrier_s" ] && echo "# mean MPI_Barrier time per call in the report:" \
    "$(awk -v t="$barrier_s" -v n="$BARRIERS" 'BEGIN { printf "%.1f", t / n * 1e6 }') us"
if [ "$MPI_FLAVOUR" = openmpi ]; then
    run_mpi plain "$RUN_TIMEOUT" "$NPROC" -- "$PROGRAM" "$BARRIERS" "$ALLREDUCES"
    echo "# the same without the runtime: $RUN_WALL s (exit $RUN_RC)"
fi

show_on_failure run ctl "$REPORT"
tap_done
