#!/bin/bash
# Usage: check_threads.sh openmpi|mpich (run by test_mpi_threads_*.sh).
# MPI_THREAD_MULTIPLE: in each rank, THREADS threads (the main one among
# them) call MPI_Allreduce and MPI_Sendrecv concurrently, each on its own
# communicator.  Nothing crashes or hangs, the result is the one without
# the runtime, and the report counts THREADS x ITERATIONS of each call per
# rank, exactly.
. "$(dirname "$0")/mpi_common.sh"
use_flavour "$1"
require_programs threads

THREADS=4
case $MPI_FLAVOUR in
openmpi) ITERATIONS=200 ;;
mpich) ITERATIONS=20 ;;
esac
CALLS=$((THREADS * ITERATIONS))
RUN_TIMEOUT=120
PROGRAM=$(program threads)
new_key KEY threads
REPORT=$MPI_TMP/report.yaml

start_controller ctl --key "$KEY" --report "$REPORT" --num-proc "$NPROC" --timeout 20
run_mpi run "$RUN_TIMEOUT" "$NPROC" LD_PRELOAD="$MPI_PRELOAD" GEOPM_SHMKEY="$KEY" -- \
    "$PROGRAM" "$THREADS" "$ITERATIONS"
echo "# with the runtime: $RUN_WALL s"
check "the launcher exits 0, no crash, no hang (got $RUN_RC)" test "$RUN_RC" = 0
multiple=0
grep -q '^threads: provided multiple$' "$MPI_TMP/run.out" && multiple=1
run_mpi plain "$RUN_TIMEOUT" "$NPROC" -- "$PROGRAM" "$THREADS" "$ITERATIONS"
echo "# without the runtime: $RUN_WALL s"
check "without the runtime it exits 0 too (got $RUN_RC)" test "$RUN_RC" = 0
check "the result is the same as without the runtime" \
    same_output <(grep '^threads: ' "$MPI_TMP/plain.out") <(grep '^threads: ' "$MPI_TMP/run.out")

ctl_rc=$(wait_controller ctl 30)
check "geopmctl exits 0 (got $ctl_rc)" test "$ctl_rc" = 0
[ -s "$REPORT" ] || bail_out "geopmctl wrote no report" "$MPI_TMP/ctl.err" "$MPI_TMP/run.err"
check "every rank attached and finished" \
    report processes "$REPORT" "$NPROC" "$(basename "$PROGRAM")"
if [ "$multiple" = 1 ]; then
    for call in MPI_Allreduce MPI_Sendrecv; do
        check "host $call count is exactly $THREADS threads x $ITERATIONS" \
            report region-count "$REPORT" "$call" "$CALLS"
        check "every rank counts exactly $CALLS $call" \
            report process-counts "$REPORT" "$call" "$CALLS" "$NPROC"
    done
else
    tap_skip "the counts of concurrent calls" "$MPI_NAME does not provide MPI_THREAD_MULTIPLE" \
        "($(head -n 1 "$MPI_TMP/run.out"))"
fi
check "host MPI_Comm_dup count is exactly $THREADS" \
    report region-count "$REPORT" MPI_Comm_dup "$THREADS"
for call in MPI_Allreduce MPI_Sendrecv; do
    check "$call's time is network time" report network-is-runtime "$REPORT" "$call"
done
for call in MPI_Allreduce MPI_Sendrecv; do
    echo "# $call runtime in the report: $(report get "$REPORT" Regions "$call" "runtime (s)" \
        2>/dev/null) s (the sum over the threads)"
done
echo "# process runtime in the report (rank 0): $(python3 -c '
import sys, yaml
r = yaml.safe_load(open(sys.argv[1]))
host = next(iter(r["Hosts"].values()))
print(next(p["runtime (s)"] for p in host["Processes"] if p["rank"] == 0))' "$REPORT" 2>/dev/null) s"
show_on_failure run plain ctl "$REPORT"
tap_done
