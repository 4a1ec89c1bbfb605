#!/bin/bash
# A preload library of the wrong MPI flavour: the Open MPI build under
# mpiexec.mpich with an MPICH program.  It is detected at MPI_Init: the
# program completes with exit 0 and its correct output, each rank warns
# once, naming both flavours, and no rank attaches to the controller.
# The reverse (the MPICH build under Open MPI) too: the wrappers pass
# handles on as whole registers (preload/mpi_abi.h), so Open MPI's pointer
# handles reach Open MPI intact through the MPICH build.
. "$(dirname "$0")/mpi_common.sh"
[ -x "$GEOPMCTL" ] || tap_skip_all "geopmctl is not built ($GEOPMCTL)"
python3 -c 'import yaml' 2>/dev/null || tap_skip_all "python3 with yaml is required"

BARRIERS=50
ALLREDUCES=5
RUN_TIMEOUT=60
CTL_TIMEOUT=3
counts_line "$NPROC" "$BARRIERS" "$ALLREDUCES" >"$MPI_TMP/expected.out"

# wrong_flavour NAME RUN_AS PRELOAD_OF PRELOAD_NAME [TODO]: runs the counts
# program of flavour RUN_AS with the preload library of flavour PRELOAD_OF.
wrong_flavour() {
    local name=$1 run_as=$2 preload_of=$3 todo=${4:-} preload program_name key
    select_flavour "$preload_of" || {
        tap_skip "$name" "$FLAVOUR_MISSING"
        return
    }
    preload=$MPI_PRELOAD
    preload_name=$MPI_NAME
    select_flavour "$run_as" || {
        tap_skip "$name" "$FLAVOUR_MISSING"
        return
    }
    [ -x "$(program counts)" ] || {
        tap_skip "$name" "$(program counts) is not built"
        return
    }
    program_name=$(basename "$(program counts)")
    new_key key "$name"
    start_controller "$name.ctl" --key "$key" --report "$MPI_TMP/$name.yaml" --num-proc "$NPROC" \
        --timeout "$CTL_TIMEOUT"
    run_mpi "$name" "$RUN_TIMEOUT" "$NPROC" LD_PRELOAD="$preload" GEOPM_SHMKEY="$key" \
        GEOPM_TIMEOUT=1 -- "$(program counts)" "$BARRIERS" "$ALLREDUCES"
    local what="$preload_name preload, $MPI_NAME program"
    local directive=""
    [ -n "$todo" ] && directive=" # TODO $todo"
    # A TODO case is reported with the directive: automake counts a failure
    # as expected and a pass as unexpected (an error), which says the TODO
    # can go.  Only its outcome is checked then: whether its ranks warn
    # before the crash is a race.
    test "$RUN_RC" = 0
    tap_result $? "$what: the launcher exits 0 (got $RUN_RC)$directive"
    same_output "$MPI_TMP/expected.out" "$MPI_TMP/$name.out" >"$MPI_TMP/$name.diff" 2>&1
    tap_result $? "$what: rank 0 prints the expected result$directive"
    tap_comment <"$MPI_TMP/$name.diff"
    grep '^geopm' "$MPI_TMP/$name.err" >"$MPI_TMP/$name.warnings"
    tap_comment <"$MPI_TMP/$name.warnings"
    local warnings naming ctl_rc
    warnings=$(wc -l <"$MPI_TMP/$name.warnings")
    naming=$(grep -c "built for $preload_name but the program uses \"$MPI_NAME" \
        "$MPI_TMP/$name.warnings")
    ctl_rc=$(wait_controller "$name.ctl" $((CTL_TIMEOUT + 20)))
    echo "# $what: $RUN_WALL s ($program_name); geopmctl ended with status $ctl_rc"
    if [ -n "$todo" ]; then
        [ "$RUN_RC" = 0 ] || show_file "$name stderr" "$MPI_TMP/$name.err"
        return
    fi
    check "$what: one warning per rank, naming both flavours ($naming of $warnings warnings)" \
        test "$warnings" = "$NPROC" -a "$naming" = "$NPROC"
    if [ -s "$MPI_TMP/$name.yaml" ]; then
        check "$what: no rank attached to the controller" \
            report process-count "$MPI_TMP/$name.yaml" 0
    else
        tap_ok "$what: no rank attached to the controller (no report: no rank came)"
    fi
    [ "$RUN_RC" = 0 ] || show_run "$name"
}

wrong_flavour ompi_under_mpich mpich openmpi
wrong_flavour mpich_under_ompi openmpi mpich
tap_done
