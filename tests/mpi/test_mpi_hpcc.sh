#!/bin/bash
# A real application we did not write: Debian's HPC Challenge (hpcc), with a
# small problem (N=400, NB=40, P=2, Q=2) on four ranks, with the runtime
# (preload library and geopmctl) and without.  The report parses and lists
# MPI regions with counts above zero, and the deterministic parts of
# hpccoutf.txt are identical: the HPL residual, the residual checks, the
# error counts and the summary values that are not times or rates.  Prints
# the wall times of both runs.
. "$(dirname "$0")/mpi_common.sh"

HPCC=$(command -v hpcc)
[ -n "$HPCC" ] || tap_skip_all "hpcc is not installed"
use_flavour_of "$HPCC"
echo "# $HPCC ($MPI_NAME)"
RUN_TIMEOUT=240

# hpcc reads hpccinf.txt (HPL's input, then PTRANS's) from the current
# folder and writes hpccoutf.txt there; tests/hpccinf.txt.in is shared with
# the benchmarks, which run a larger N.
write_input() {
    sed -e "s/@N@/400/" -e "s/@NB@/40/" "$abs_top_srcdir/tests/hpccinf.txt.in"
}
# deterministic NAME: the parts of the run's hpccoutf.txt that do not depend
# on time: residuals and checks, error counts, and the summary's values
# other than times, rates and bandwidths.  (StarDGEMM's scaled residual is
# left out: its matrices are seeded from the clock; so are the
# RandomAccess updates executed, since HPCC bounds that test by time, and
# so how many times PTRANS repeats: each distinct PTRANS result counts once.)
deterministic() {
    awk '
        /^\|\|Ax-b\|\|/ || /residual checks/ || /^Found [0-9]+ errors/ || /^Node\(s\) with error/ ||
            /^Solution Validates/ { print; next }
        ($1 == "WALL" || $1 == "CPU") && NF == 11 {
            line = "PTRANS " $2 " " $3 " " $4 " " $5 " " $6 " " $7 " " $9 " " $11
            if (!seen[line]++) print line
            next
        }
        /^Begin of Summary section/ { summary = 1; next }
        /^End of Summary section/ { summary = 0; next }
        summary && !/[Tt]ime|[Ff]lops|GUPs|GBs|GBytes|usec|_Copy=|_Scale=|_Add=|_Triad=|ExeUpdates/ { print }
    ' "$MPI_TMP/$1.d/hpccoutf.txt"
}

# Two rounds, each a run without and a run with the runtime: the wall
# times are the fastest of each kind.
ROUNDS=2
for round in $(seq 1 "$ROUNDS"); do
    for run in "plain$round" "run$round"; do
        mkdir "$MPI_TMP/$run.d"
        write_input >"$MPI_TMP/$run.d/hpccinf.txt"
    done
    run_plain_and_profiled "$round" hpcc "$RUN_TIMEOUT" "$HPCC"
    deterministic "plain$round" >"$MPI_TMP/plain$round.det"
    deterministic "run$round" >"$MPI_TMP/run$round.det"
    check "round $round: hpcc completed its tests (Success=1)" \
        grep -q '^Success=1$' "$MPI_TMP/plain$round.det"
    check "round $round: the HPL residual and the residual checks are there to compare" \
        test "$(grep -c 'PASSED\|residual checks' "$MPI_TMP/plain$round.det")" -ge 3
    check "round $round: the deterministic results are identical with and without the runtime" \
        same_output "$MPI_TMP/plain$round.det" "$MPI_TMP/run$round.det"
    check_profiled_run "$round" hpcc
done
print_walls "HPCC (N=400, NB=40, P=Q=2)"
show_on_failure plain1 run1 ctl1 "$MPI_TMP/report1.yaml" "$MPI_TMP/run1.d/hpccoutf.txt"
tap_done
