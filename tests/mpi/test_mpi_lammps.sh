#!/bin/bash
# A real application we did not write: Debian's LAMMPS (lmp) on its "melt"
# example (3d Lennard-Jones, 4000 atoms, 250 steps), on four ranks, with the
# runtime (preload library and geopmctl) and without.  The report parses
# and lists MPI regions with counts above zero, and the thermo output
# (step, temperature, energies, pressure) is identical: it is deterministic
# for a fixed seed and rank count.  Prints the wall times of both runs.
. "$(dirname "$0")/mpi_common.sh"

LMP=$(command -v lmp || command -v lmp_openmpi || command -v lmp_mpich)
[ -n "$LMP" ] || tap_skip_all "LAMMPS (lmp) is not installed"
INPUT=
for candidate in /usr/share/lammps/examples/melt/in.melt \
    /usr/share/doc/lammps-examples/examples/melt/in.melt; do
    [ -f "$candidate" ] && INPUT=$candidate && break
done
[ -n "$INPUT" ] || tap_skip_all "LAMMPS's melt example (in.melt) is not installed"
# The preload library must be the one of the MPI that lmp is linked with.
use_flavour_of "$LMP"
echo "# $LMP ($MPI_NAME), input $INPUT"
RUN_TIMEOUT=180
# Two rounds, each a run without and a run with the runtime: the wall
# times are the fastest of each kind.
ROUNDS=2

# thermo NAME: the thermo table of the run (rows of numbers after the
# "Step ..." header, up to "Loop time").
thermo() {
    awk '/^ *Step /{on = 1; print; next} /^Loop time/{on = 0} on' "$MPI_TMP/$1.out"
}

for round in $(seq 1 "$ROUNDS"); do
    # A copy of the input, with a thermo line every 10 steps for more to
    # compare, in a folder of its own for each run (LAMMPS writes there).
    for run in "plain$round" "run$round"; do
        mkdir "$MPI_TMP/$run.d"
        sed 's/^thermo[[:space:]].*/thermo 10/' "$INPUT" >"$MPI_TMP/$run.d/in.melt"
    done
    run_plain_and_profiled "$round" LAMMPS "$RUN_TIMEOUT" "$LMP" -in in.melt -log none
    thermo "plain$round" >"$MPI_TMP/plain$round.thermo"
    thermo "run$round" >"$MPI_TMP/run$round.thermo"
    rows=$(($(wc -l <"$MPI_TMP/plain$round.thermo") - 1))
    check "round $round: the thermo output has rows to compare ($rows)" test "$rows" -gt 1
    check "round $round: the thermo output is identical with and without the runtime" \
        same_output "$MPI_TMP/plain$round.thermo" "$MPI_TMP/run$round.thermo"
    check_profiled_run "$round" "$(basename "$LMP")"
done
print_walls "LAMMPS melt (250 steps, 4000 atoms)"
show_on_failure plain1 run1 ctl1 "$MPI_TMP/report1.yaml"
tap_done
