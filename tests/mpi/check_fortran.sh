#!/bin/bash
# Usage: check_fortran.sh openmpi|mpich (run by test_mpi_fortran_*.sh).
# The counts program in Fortran, three ways: "use mpi", "use mpi_f08" and
# "include 'mpif.h'".  Whatever path the Fortran bindings take to the C
# library, every call is counted exactly once, and the ranks attach.
. "$(dirname "$0")/mpi_common.sh"
use_flavour "$1"

# MPICH busy-polls (four ranks on two cores): small counts there.
case $MPI_FLAVOUR in
openmpi) BARRIERS=10000 ALLREDUCES=1000 ;;
mpich) BARRIERS=200 ALLREDUCES=20 ;;
esac
RUN_TIMEOUT=120

counts_line "$NPROC" "$BARRIERS" "$ALLREDUCES" >"$MPI_TMP/expected.out"
ran=0
for binding in usempi f08 mpifh; do
    case $binding in
    usempi) what="use mpi" ;;
    f08) what="use mpi_f08" ;;
    mpifh) what="include 'mpif.h'" ;;
    esac
    PROGRAM=$(program "counts_$binding")
    if [ ! -x "$PROGRAM" ]; then
        tap_skip "$what: counts exact" "$PROGRAM is not built (no $MPI_NAME Fortran compiler?)"
        continue
    fi
    ran=$((ran + 1))
    new_key KEY "$binding"
    REPORT=$MPI_TMP/$binding.yaml
    start_controller "ctl_$binding" --key "$KEY" --report "$REPORT" --num-proc "$NPROC" \
        --timeout 20
    run_mpi "$binding" "$RUN_TIMEOUT" "$NPROC" LD_PRELOAD="$MPI_PRELOAD" GEOPM_SHMKEY="$KEY" -- \
        "$PROGRAM" "$BARRIERS" "$ALLREDUCES"
    echo "# $what: $RUN_WALL s"
    check "$what: the launcher exits 0 (got $RUN_RC)" test "$RUN_RC" = 0
    check "$what: rank 0 prints the expected result" \
        same_output "$MPI_TMP/expected.out" "$MPI_TMP/$binding.out"
    ctl_rc=$(wait_controller "ctl_$binding" 30)
    check "$what: geopmctl exits 0 (got $ctl_rc)" test "$ctl_rc" = 0
    if [ ! -s "$REPORT" ]; then
        tap_not_ok "$what: geopmctl writes a report"
        show_file "geopmctl stderr" "$MPI_TMP/ctl_$binding.err"
        continue
    fi
    check "$what: every rank attached and finished" \
        report processes "$REPORT" "$NPROC" "$(basename "$PROGRAM")"
    check_exact_counts "$what: " "$REPORT" "$BARRIERS" "$ALLREDUCES"
    check "$what: the calls' time is network time" \
        report network-is-runtime "$REPORT" MPI_Barrier
    show_on_failure "$binding" "ctl_$binding" "$REPORT"
done
[ "$ran" -gt 0 ] || tap_skip_all "no Fortran program is built for $MPI_NAME"
tap_done
