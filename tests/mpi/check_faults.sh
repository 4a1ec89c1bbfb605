#!/bin/bash
# Usage: check_faults.sh openmpi|mpich (run by test_mpi_faults_*.sh).
# The application never depends on the runtime:
# - with no controller, the ranks run to completion with exit 0, at most
#   one warning each, and otherwise the output of a run without the runtime;
# - with the controller killed (SIGKILL) mid-run, they still complete, exit
#   0, and do not hang;
# - with one rank killed (SIGKILL) mid-run, the launcher ends as it does
#   without the runtime (the same non-zero status, no hang), and geopmctl
#   notices the dead rank, reports it, ends and removes its segment.
. "$(dirname "$0")/mpi_common.sh"
use_flavour "$1"
require_programs counts

PROGRAM=$(program counts)
NAME=$(basename "$PROGRAM")
RUN_TIMEOUT=120
case $MPI_FLAVOUR in
openmpi) SHORT=(1000 100) ;;
mpich) SHORT=(100 10) ;;
esac
# No barrier, 500 allreduces 10 ms apart: a run of more than 5 s, mostly
# asleep, to be hit in the middle.
LONG=(0 500 10)

# rank_with JOB NUMBER: the pid of rank NUMBER below JOB.
rank_with() {
    local pid
    for pid in $(rank_pids "$1" "$NAME"); do
        [ "$(rank_of "$pid")" = "$2" ] && echo "$pid" && return 0
    done
    return 1
}

# ranks_started JOB: true when all the ranks below JOB run the program.
# shellcheck disable=SC2317 # called through wait_until
ranks_started() {
    [ "$(rank_pids "$1" "$NAME" | wc -l)" -eq "$NPROC" ]
}

# kill_rank JOB: SIGKILL to rank 1 below JOB; sets VICTIM and KILL_TIME.
kill_rank() {
    VICTIM=$(rank_with "$1" 1)
    KILL_TIME=$(now)
    [ -n "$VICTIM" ] && kill -KILL "$VICTIM"
}

# ---- no controller -----------------------------------------------------------
run_mpi plain "$RUN_TIMEOUT" "$NPROC" -- "$PROGRAM" "${SHORT[@]}"
plain_rc=$RUN_RC
plain_wall=$RUN_WALL
new_key ABSENT absent
run_mpi alone "$RUN_TIMEOUT" "$NPROC" LD_PRELOAD="$MPI_PRELOAD" GEOPM_SHMKEY="$ABSENT" \
    GEOPM_TIMEOUT=1 -- "$PROGRAM" "${SHORT[@]}"
echo "# no controller (GEOPM_TIMEOUT=1): $RUN_WALL s; without the runtime: $plain_wall s"
check "no controller: the launcher exits 0 (got $RUN_RC; without the runtime $plain_rc)" \
    test "$RUN_RC" = 0
check "no controller: stdout is the same as without the runtime" \
    same_output "$MPI_TMP/plain.out" "$MPI_TMP/alone.out"
grep '^geopm' "$MPI_TMP/alone.err" >"$MPI_TMP/alone.warnings"
warnings=$(wc -l <"$MPI_TMP/alone.warnings")
warned_pids=$(sed -n 's/^geopm: warning: process \([0-9]*\) .*/\1/p' "$MPI_TMP/alone.warnings" |
    sort -u | wc -l)
tap_comment <"$MPI_TMP/alone.warnings"
check "no controller: at most one warning per rank ($warnings warnings, $warned_pids ranks)" \
    test "$warnings" -le "$NPROC" -a "$warnings" = "$warned_pids"
check "no controller: stderr apart from the warnings is the same as without the runtime" \
    same_output "$MPI_TMP/plain.err" <(grep -v '^geopm' "$MPI_TMP/alone.err")
check "no controller: no segment was made" test ! -e "$(shm_path "$ABSENT")"

# ---- the controller killed mid-run -------------------------------------------
new_key KEY ctlkill
start_controller ctlkill --key "$KEY" --report "$MPI_TMP/ctlkill.yaml" --num-proc "$NPROC" \
    --timeout 20
start_mpi ctlkill_run "$RUN_TIMEOUT" "$NPROC" LD_PRELOAD="$MPI_PRELOAD" GEOPM_SHMKEY="$KEY" -- \
    "$PROGRAM" "${LONG[@]}"
job=$MPI_JOB
check "controller killed: the $NPROC ranks attach first" \
    wait_until 20 all_attached "$job" "$NAME" "$KEY" "$NPROC"
sleep 0.5
kill -KILL "$CTL_PID"
killed=$(now)
wait "$job"
rc=$?
echo "# controller killed: the ranks ended $(elapsed_since "$killed") s later"
check "controller killed: the launcher exits 0, no hang (got $rc)" test "$rc" = 0
counts_line "$NPROC" "${LONG[0]}" "${LONG[1]}" >"$MPI_TMP/long.expected"
check "controller killed: rank 0 prints the expected result" \
    same_output "$MPI_TMP/long.expected" "$MPI_TMP/ctlkill_run.out"
[ -s "$MPI_TMP/ctlkill_run.err" ] && show_file "stderr" "$MPI_TMP/ctlkill_run.err"

# ---- a rank killed mid-run ---------------------------------------------------
# Without the runtime first: what the launcher does then is the reference.
start_mpi rankkill_plain "$RUN_TIMEOUT" "$NPROC" -- "$PROGRAM" "${LONG[@]}"
job=$MPI_JOB
VICTIM=
KILL_TIME=$(now)
if wait_until 20 ranks_started "$job"; then
    sleep 1
    kill_rank "$job"
fi
wait "$job"
plain_rc=$?
echo "# rank killed without the runtime: rank 1 (pid ${VICTIM:-none}) killed, the launcher" \
    "exited $plain_rc $(elapsed_since "$KILL_TIME") s later"

new_key KEY rankkill
REPORT=$MPI_TMP/rankkill.yaml
start_controller rankkill_ctl --key "$KEY" --report "$REPORT" --num-proc "$NPROC" --timeout 10
start_mpi rankkill "$RUN_TIMEOUT" "$NPROC" LD_PRELOAD="$MPI_PRELOAD" GEOPM_SHMKEY="$KEY" -- \
    "$PROGRAM" "${LONG[@]}"
job=$MPI_JOB
VICTIM=
KILL_TIME=$(now)
check "rank killed: the $NPROC ranks attach first" \
    wait_until 20 all_attached "$job" "$NAME" "$KEY" "$NPROC" && sleep 1 && kill_rank "$job"
wait "$job"
rc=$?
after=$(elapsed_since "$KILL_TIME")
echo "# rank killed with the runtime: rank 1 (pid ${VICTIM:-none}) killed, the launcher" \
    "exited $rc $after s later"
check "rank killed: the launcher ends non-zero, without hanging (got $rc after $after s)" \
    test "$rc" != 0 -a -n "$VICTIM" -a "$(awk -v a="$after" 'BEGIN { print (a < 60) }')" = 1
check "rank killed: the launcher's status is the one without the runtime ($plain_rc)" \
    test "$rc" = "$plain_rc"
ctl_rc=$(wait_controller rankkill_ctl 30)
echo "# geopmctl ended $(elapsed_since "$KILL_TIME") s after the kill, with status $ctl_rc"
check "rank killed: geopmctl ends by itself (got $ctl_rc)" test "$ctl_rc" != timeout
check "rank killed: geopmctl leaves no segment in /dev/shm" test ! -e "$(shm_path "$KEY")"
if [ -s "$REPORT" ]; then
    check "rank killed: the report says the killed rank (pid $VICTIM) died" \
        report process-status "$REPORT" "$VICTIM" died
else
    tap_not_ok "rank killed: geopmctl writes its report"
fi
show_on_failure plain alone ctlkill ctlkill_run rankkill_plain rankkill rankkill_ctl "$REPORT"
tap_done
