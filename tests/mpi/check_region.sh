#!/bin/bash
# Usage: check_region.sh openmpi|mpich (run by test_mpi_region_*.sh).
# MPI calls inside a user region: region_mpi.c enters "compute" (compute
# hint) ITERATIONS times and makes MPI_Allreduce calls inside it, then
# MPI_Barrier calls outside any region.  The report counts "compute"
# exactly, gives it network time as well as compute time, lists no
# MPI_Allreduce region (the calls were the region's), and does list
# MPI_Barrier with its exact count.  The program's result is the same as
# without the runtime.
. "$(dirname "$0")/mpi_common.sh"
use_flavour "$1"
require_programs region_mpi

# MPICH busy-polls (four ranks on two cores): small counts there.
case $MPI_FLAVOUR in
openmpi) ITERATIONS=100 ALLREDUCES=10 BARRIERS=1000 ;;
mpich) ITERATIONS=20 ALLREDUCES=5 BARRIERS=50 ;;
esac
RUN_TIMEOUT=120
PROGRAM=$(program region_mpi)
ARGS=("$ITERATIONS" "$ALLREDUCES" "$BARRIERS")
new_key KEY region
REPORT=$MPI_TMP/report.yaml

start_controller ctl --key "$KEY" --report "$REPORT" --num-proc "$NPROC" --timeout 20
run_mpi run "$RUN_TIMEOUT" "$NPROC" LD_PRELOAD="$MPI_PRELOAD" GEOPM_SHMKEY="$KEY" -- \
    "$PROGRAM" "${ARGS[@]}"
echo "# with the runtime: $RUN_WALL s"
check "the launcher exits 0 (got $RUN_RC)" test "$RUN_RC" = 0
check "every geopm_prof call returns 0 on every rank" \
    test "$(grep -c '^region_mpi: rank [0-9]* geopm_prof calls failed 0$' "$MPI_TMP/run.out")" = "$NPROC"

# The same program without the preload library and without a controller:
# libgeopm answers the geopm_prof calls, and nothing is profiled.
run_mpi plain "$RUN_TIMEOUT" "$NPROC" -- "$PROGRAM" "${ARGS[@]}"
echo "# without the runtime: $RUN_WALL s"
check "without the runtime it exits 0 too (got $RUN_RC)" test "$RUN_RC" = 0
check "the result is the same as without the runtime" \
    same_output <(grep '^region_mpi: ranks' "$MPI_TMP/plain.out") \
    <(grep '^region_mpi: ranks' "$MPI_TMP/run.out")

ctl_rc=$(wait_controller ctl 30)
check "geopmctl exits 0 (got $ctl_rc)" test "$ctl_rc" = 0
[ -s "$REPORT" ] || bail_out "geopmctl wrote no report" "$MPI_TMP/ctl.err" "$MPI_TMP/run.err"
check "the report is GEOPM's YAML report" report loads "$REPORT"
check "every rank attached and finished" \
    report processes "$REPORT" "$NPROC" "$(basename "$PROGRAM")"
check "host compute count is exactly $ITERATIONS" \
    report region-count "$REPORT" compute "$ITERATIONS"
check "every rank counts exactly $ITERATIONS compute" \
    report process-counts "$REPORT" compute "$ITERATIONS" "$NPROC"
check "compute's hash is crc32(\"compute\")" report hash "$REPORT" compute
check "the MPI_Allreduce calls in compute are network time of compute" \
    report hint-positive "$REPORT" compute network
check "compute keeps its own compute time" report hint-positive "$REPORT" compute compute
check "compute's hint times add up to its runtime" report hints-add-up "$REPORT" compute
check "the host section has no MPI_Allreduce region" \
    report no-host-region "$REPORT" MPI_Allreduce
check "no process section lists an MPI_Allreduce region" \
    report no-process-region "$REPORT" MPI_Allreduce
check "the MPI_Barrier calls outside any region are counted exactly: $BARRIERS" \
    report region-count "$REPORT" MPI_Barrier "$BARRIERS"
check "MPI_Barrier's time is network time" report network-is-runtime "$REPORT" MPI_Barrier
check "the regions are exactly compute and MPI_Barrier" \
    report regions-exactly "$REPORT" compute MPI_Barrier
show_on_failure run plain ctl "$REPORT"
tap_done
