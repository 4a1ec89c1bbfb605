#!/bin/bash
# One of four processes is killed (SIGKILL) in the middle of a region: the
# controller does not wait for it, ends within a few seconds of the others,
# names it as died in the report, and the others' counts stay exact.
. "$(dirname "$0")/common.sh"
require_built

ITERATIONS=60
COMPUTE_MS=5
MEMORY_MS=2
NPROC=4
DIE_AT=30 # the victim dies inside the compute region of this iteration
VICTIM=$((NPROC - 1))
END_LIMIT=5 # seconds the controller may take to end after the last process
PROFILE=it-core-dead
new_key KEY dead
REPORT=$IT_TMP/report.yaml
APP_ARGS=(--iterations "$ITERATIONS" --compute-ms "$COMPUTE_MS" --memory-ms "$MEMORY_MS")

start_controller ctl --key "$KEY" --report "$REPORT" --num-proc "$NPROC" --profile "$PROFILE" \
    --timeout 10
expect_segment "$KEY" ctl

RANK_PIDS=()
for i in $(seq 0 $((NPROC - 1))); do
    extra=()
    [ "$i" = "$VICTIM" ] && extra=(--die-at "$DIE_AT")
    GEOPM_PROFILE=$PROFILE GEOPM_SHMKEY=$KEY GEOPM_TIMEOUT=5 \
        start_rank "rank$i" "${APP_ARGS[@]}" "${extra[@]}"
done
rank_status=()
for i in "${!RANK_PIDS[@]}"; do
    wait "${RANK_PIDS[$i]}" 2>/dev/null # bash would say "Killed" on stderr
    rank_status+=($?)
done
ranks_end=$(now)
victim_pid=${RANK_PIDS[$VICTIM]}

check "the victim (pid $victim_pid) is killed by SIGKILL (status ${rank_status[$VICTIM]})" \
    test "${rank_status[$VICTIM]}" = 137
bad=""
for i in "${!RANK_PIDS[@]}"; do
    [ "$i" = "$VICTIM" ] && continue
    [ "${rank_status[$i]}" = 0 ] || bad="$bad rank$i:exit ${rank_status[$i]}"
    grep -q '^region_app: calls ok=[0-9]* failed=0$' "$IT_TMP/rank$i.out" ||
        bad="$bad rank$i:$(grep '^region_app: calls' "$IT_TMP/rank$i.out")"
done
if [ -z "$bad" ]; then
    tap_ok "the other processes exit 0 and every geopm_prof call of theirs returns 0"
else
    tap_not_ok "the other processes exit 0 and every geopm_prof call of theirs returns 0:$bad"
fi

ctl_rc=$(wait_controller ctl "$END_LIMIT")
ctl_after=$(elapsed_since "$ranks_end")
check "geopmctl ends within $END_LIMIT s of the last process (after $ctl_after s)" \
    test "$ctl_rc" != timeout
check "geopmctl exits with status 0 (got $ctl_rc)" test "$ctl_rc" = 0
if [ "$ctl_rc" = timeout ]; then
    # Let it write what it has, so that the report can still be checked.
    kill -TERM "$CTL_PID" 2>/dev/null
    ctl_rc=$(wait_controller ctl 5)
    echo "# after SIGTERM, geopmctl exited with $ctl_rc"
fi
check "no segment is left at $(shm_path "$KEY")" test ! -e "$(shm_path "$KEY")"

expect_report "$REPORT" ctl
check "the report is YAML with GEOPM's keys, fields and this host's section" report loads "$REPORT"
check "the report lists $NPROC processes" report process-count "$REPORT" "$NPROC"
check "the killed process (pid $victim_pid) is reported as died" \
    report process-status "$REPORT" "$victim_pid" died region_app
for i in "${!RANK_PIDS[@]}"; do
    [ "$i" = "$VICTIM" ] && continue
    check "process $i (pid ${RANK_PIDS[$i]}) is reported finished" \
        report process-status "$REPORT" "${RANK_PIDS[$i]}" finished region_app
done

for i in "${!RANK_PIDS[@]}"; do
    if [ "$i" = "$VICTIM" ]; then
        check "the victim's own counts are what it completed: $DIE_AT regions, $((DIE_AT + 1)) epochs" \
            process_counts "$REPORT" "$victim_pid" "$DIE_AT" "$DIE_AT" $((DIE_AT + 1))
    else
        check "process $i (pid ${RANK_PIDS[$i]}) counts exactly $ITERATIONS regions and epochs" \
            process_counts "$REPORT" "${RANK_PIDS[$i]}" "$ITERATIONS" "$ITERATIONS" "$ITERATIONS"
    fi
done

# The host's count is the average over its processes.  The victim completed
# DIE_AT compute and memory regions and made DIE_AT + 1 epoch calls; the
# others made ITERATIONS of each.  Whether the average includes the dead
# process or only the others, the others' counts must be exact, so both
# exact averages are accepted (the log says which one the report chose).
others=$((NPROC - 1))
with_dead() {
    awk -v o="$others" -v n="$ITERATIONS" -v d="$1" -v p="$NPROC" 'BEGIN { print (o * n + d) / p }'
}
check "compute count: the others' $ITERATIONS each, averaged with or without the victim's $DIE_AT" \
    report region-count "$REPORT" compute "$ITERATIONS" "$(with_dead "$DIE_AT")"
check "memory count: the others' $ITERATIONS each, averaged with or without the victim's $DIE_AT" \
    report region-count "$REPORT" memory "$ITERATIONS" "$(with_dead "$DIE_AT")"
check "epoch count: the others' $ITERATIONS each, averaged with or without the victim's $((DIE_AT + 1))" \
    report epoch-count "$REPORT" "$ITERATIONS" "$(with_dead $((DIE_AT + 1)))"

if [ "$TAP_FAILED" -gt 0 ]; then
    show_file report "$REPORT"
    show_file "geopmctl stderr" "$IT_TMP/ctl.err"
    for i in "${!RANK_PIDS[@]}"; do
        show_file "rank$i stderr" "$IT_TMP/rank$i.err"
    done
fi
tap_done
