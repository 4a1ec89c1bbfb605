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
if ldd "$LMP" | grep -q 'libmpich\.so'; then
    use_flavour mpich
elif ldd "$LMP" | grep -q 'libmpi\.so'; then
    use_flavour openmpi
else
    tap_skip_all "cannot tell which MPI $LMP is linked with"
fi
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

# fastest TIME...: the smallest.
fastest() {
    printf '%s\n' "$@" | sort -g | head -n 1
}

plain_walls=()
walls=()
for round in $(seq 1 "$ROUNDS"); do
    # A copy of the input, with a thermo line every 10 steps for more to
    # compare, in a folder of its own for each run (LAMMPS writes there).
    for run in "plain$round" "run$round"; do
        mkdir "$MPI_TMP/$run.d"
        sed 's/^thermo[[:space:]].*/thermo 10/' "$INPUT" >"$MPI_TMP/$run.d/in.melt"
    done
    cd "$MPI_TMP/plain$round.d" || bail_out "no work folder"
    run_mpi "plain$round" "$RUN_TIMEOUT" "$NPROC" -- "$LMP" -in in.melt -log none
    check "round $round: without the runtime LAMMPS exits 0 (got $RUN_RC)" test "$RUN_RC" = 0
    plain_walls+=("$RUN_WALL")
    new_key KEY "lammps$round"
    REPORT=$MPI_TMP/report$round.yaml
    cd "$MPI_TMP/run$round.d" || bail_out "no work folder"
    start_controller "ctl$round" --key "$KEY" --report "$REPORT" --num-proc "$NPROC" --timeout 20
    run_mpi "run$round" "$RUN_TIMEOUT" "$NPROC" LD_PRELOAD="$MPI_PRELOAD" GEOPM_SHMKEY="$KEY" -- \
        "$LMP" -in in.melt -log none
    cd "$MPI_TMP" || bail_out "no temporary folder"
    check "round $round: with the runtime LAMMPS exits 0 (got $RUN_RC)" test "$RUN_RC" = 0
    walls+=("$RUN_WALL")
    thermo "plain$round" >"$MPI_TMP/plain$round.thermo"
    thermo "run$round" >"$MPI_TMP/run$round.thermo"
    rows=$(($(wc -l <"$MPI_TMP/plain$round.thermo") - 1))
    check "round $round: the thermo output has rows to compare ($rows)" test "$rows" -gt 1
    check "round $round: the thermo output is identical with and without the runtime" \
        same_output "$MPI_TMP/plain$round.thermo" "$MPI_TMP/run$round.thermo"
    check_profiled_run "$round" "$REPORT" "$(basename "$LMP")"
done
echo "# LAMMPS melt (250 steps, 4000 atoms), $NPROC ranks, wall time of mpirun:" \
    "$(fastest "${walls[@]}") s with the runtime, $(fastest "${plain_walls[@]}") s without" \
    "(fastest of $ROUNDS; all: ${walls[*]} / ${plain_walls[*]})"
show_on_failure plain1 run1 ctl1 "$MPI_TMP/report1.yaml"
tap_done
