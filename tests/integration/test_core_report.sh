#!/bin/bash
# Four annotated processes under one geopmctl: the report counts every
# region and epoch exactly, times them within 5%, accounts for the whole
# run, names regions by GEOPM's hash, and the controller leaves nothing
# behind.  Also prints geopmctl's CPU time for the run.
. "$(dirname "$0")/common.sh"
require_built

ITERATIONS=100
COMPUTE_MS=10
MEMORY_MS=5
NPROC=4
TOLERANCE=0.05
PROFILE=it-core-report
new_key KEY report
REPORT=$IT_TMP/report.yaml
APP_ARGS=(--iterations "$ITERATIONS" --compute-ms "$COMPUTE_MS" --memory-ms "$MEMORY_MS")

ctl_start=$(now)
start_controller ctl --key "$KEY" --report "$REPORT" --num-proc "$NPROC" --profile "$PROFILE" \
    --timeout 10
expect_segment "$KEY" ctl

# Half the processes end with geopm_prof_shutdown(), half by just exiting:
# both must be reported as finished.
RANK_PIDS=()
for i in $(seq 0 $((NPROC - 1))); do
    extra=()
    [ $((i % 2)) -eq 0 ] && extra=(--shutdown)
    GEOPM_PROFILE=$PROFILE GEOPM_SHMKEY=$KEY GEOPM_TIMEOUT=5 \
        start_rank "rank$i" "${APP_ARGS[@]}" "${extra[@]}"
done
rank_status=()
for i in "${!RANK_PIDS[@]}"; do
    wait "${RANK_PIDS[$i]}"
    rank_status+=($?)
done
ranks_end=$(now)

ctl_rc=$(wait_controller ctl 10)
ctl_end=$(now)
check "geopmctl exits with status 0 once the $NPROC processes end (got $ctl_rc)" \
    test "$ctl_rc" = 0
echo "# geopmctl ended $(elapsed_since "$ranks_end") s after the last process"
check "no segment is left at $(shm_path "$KEY")" test ! -e "$(shm_path "$KEY")"

# The processes themselves.
bad=""
for i in "${!RANK_PIDS[@]}"; do
    [ "${rank_status[$i]}" = 0 ] || bad="$bad rank$i(pid ${RANK_PIDS[$i]}):exit ${rank_status[$i]}"
    grep -q '^region_app: calls ok=[0-9]* failed=0$' "$IT_TMP/rank$i.out" ||
        bad="$bad rank$i:$(grep '^region_app: calls' "$IT_TMP/rank$i.out")"
    [ -s "$IT_TMP/rank$i.err" ] && bad="$bad rank$i:stderr"
done
if [ -z "$bad" ]; then
    tap_ok "every process exits 0, every geopm_prof call returns 0, nothing on stderr"
else
    tap_not_ok "every process exits 0, every geopm_prof call returns 0, nothing on stderr:$bad"
    for i in "${!RANK_PIDS[@]}"; do
        show_file "rank$i stdout" "$IT_TMP/rank$i.out"
        show_file "rank$i stderr" "$IT_TMP/rank$i.err"
    done
fi
# The result depends only on the iterations: a run without the runtime and
# without the waits must print the same line.
"$REGION_APP" --iterations "$ITERATIONS" --compute-ms 0 --memory-ms 0 >"$IT_TMP/plain.out"
check "the processes' results equal the result of a run without the runtime" \
    diff <(grep '^region_app: result' "$IT_TMP/plain.out") \
    <(grep -h '^region_app: result' "$IT_TMP"/rank*.out | sort -u)

# The report.
expect_report "$REPORT" ctl
check "the report is YAML with GEOPM's keys, fields and this host's section" report loads "$REPORT"
check "the report names the profile" report header "$REPORT" Profile "$PROFILE"
check "compute count is exactly $ITERATIONS" report region-count "$REPORT" compute "$ITERATIONS"
check "memory count is exactly $ITERATIONS" report region-count "$REPORT" memory "$ITERATIONS"
check "epoch count is exactly $ITERATIONS" report epoch-count "$REPORT" "$ITERATIONS"
for i in "${!RANK_PIDS[@]}"; do
    check "process $i (pid ${RANK_PIDS[$i]}) counts $ITERATIONS compute, memory and epochs" \
        process_counts "$REPORT" "${RANK_PIDS[$i]}" "$ITERATIONS" "$ITERATIONS" "$ITERATIONS"
done

mean() {
    python3 "$REPORT_CHECK" mean-measured "$1" "$IT_TMP"/rank*.out
}
compute_measured=$(mean compute_s)
memory_measured=$(mean memory_s)
echo "# the processes measured on average: compute $compute_measured s, memory $memory_measured s"
check "compute runtime is within 5% of the time the processes spent in it" \
    report region-runtime "$REPORT" compute "$compute_measured" "$TOLERANCE"
check "memory runtime is within 5% of the time the processes spent in it" \
    report region-runtime "$REPORT" memory "$memory_measured" "$TOLERANCE"
compute_nominal=$(awk -v n="$ITERATIONS" -v ms="$COMPUTE_MS" 'BEGIN { print n * ms / 1000 }')
memory_nominal=$(awk -v n="$ITERATIONS" -v ms="$MEMORY_MS" 'BEGIN { print n * ms / 1000 }')
check "compute runtime is within 5% of $ITERATIONS x $COMPUTE_MS ms" \
    report region-nominal "$REPORT" compute "$compute_nominal" "$TOLERANCE" "$compute_measured"
check "memory runtime is within 5% of $ITERATIONS x $MEMORY_MS ms" \
    report region-nominal "$REPORT" memory "$memory_nominal" "$TOLERANCE" "$memory_measured"
check "regions and unmarked time add up to the application runtime within 5%" \
    report totals-add-up "$REPORT" "$TOLERANCE"
check "compute's time is all under the compute hint" \
    report region-hint-time "$REPORT" compute compute "$TOLERANCE"
check "memory's time is all under the memory hint" \
    report region-hint-time "$REPORT" memory memory "$TOLERANCE"
check "compute's hash is crc32(\"compute\")" report region-hash "$REPORT" compute
check "memory's hash is crc32(\"memory\")" report region-hash "$REPORT" memory
check "the report lists $NPROC processes" report process-count "$REPORT" "$NPROC"
for i in "${!RANK_PIDS[@]}"; do
    how="exit"
    [ $((i % 2)) -eq 0 ] && how="geopm_prof_shutdown"
    check "process $i (pid ${RANK_PIDS[$i]}, ended by $how) is reported finished" \
        report process-status "$REPORT" "${RANK_PIDS[$i]}" finished region_app
done
check "Application Totals has 'GEOPM overhead (s)'" report app-field "$REPORT" "GEOPM overhead (s)"
check "Application Totals has 'geopmctl memory HWM (B)'" \
    report app-field "$REPORT" "geopmctl memory HWM (B)"

# The figure the lead needs: geopmctl's CPU time over the run.
if [ -s "$IT_TMP/ctl.times" ]; then
    read -r ctl_user ctl_sys <<<"$(children_cpu "$IT_TMP/ctl.times")"
    ctl_wall=$(awk -v a="$ctl_start" -v b="$ctl_end" 'BEGIN { printf "%.3f", b - a }')
    echo "# geopmctl CPU time: user ${ctl_user} s, system ${ctl_sys} s over ${ctl_wall} s of wall" \
        "time ($(awk -v u="$ctl_user" -v s="$ctl_sys" -v w="$ctl_wall" \
            'BEGIN { printf "%.2f%%", 100 * (u + s) / w }') of one CPU; $NPROC processes," \
        "default period)"
    hwm=$(report get "$REPORT" "Application Totals" "geopmctl memory HWM (B)" 2>/dev/null)
    echo "# geopmctl memory HWM (B) in the report: ${hwm:-?}"
fi

if [ "$TAP_FAILED" -gt 0 ]; then
    show_file report "$REPORT"
    show_file "geopmctl stderr" "$IT_TMP/ctl.err"
    show_file "geopmctl stdout" "$IT_TMP/ctl.out"
fi
tap_done
