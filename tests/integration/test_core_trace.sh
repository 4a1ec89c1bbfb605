#!/bin/bash
# GEOPM_TRACE (--trace) writes GEOPM's per-host trace: PATH-<hostname>,
# '#' lines, a header row of GEOPM's columns, one row per sample with the
# region being run and a non-decreasing epoch count.  geopmctl gets all its
# settings from GEOPM_* variables here.
. "$(dirname "$0")/common.sh"
require_built

ITERATIONS=60
COMPUTE_MS=10
MEMORY_MS=5
PROFILE=it-core-trace
new_key KEY trace
REPORT=$IT_TMP/report.yaml
TRACE=$IT_TMP/trace
TRACE_FILE=$TRACE-$HOSTNAME_NOW
# The run lasts ITERATIONS x 15 ms = 0.9 s; the default period is 5 ms,
# so about 180 samples.  Ask for a quarter of them.
MIN_ROWS=45

# This test gives geopmctl its settings through the environment, the way
# GEOPM's launcher does, rather than through options.
GEOPM_SHMKEY=$KEY GEOPM_REPORT=$REPORT GEOPM_TRACE=$TRACE GEOPM_NUM_PROC=1 \
    GEOPM_PROFILE=$PROFILE GEOPM_TIMEOUT=10 start_controller ctl
expect_segment "$KEY" ctl
RANK_PIDS=()
GEOPM_PROFILE=$PROFILE GEOPM_SHMKEY=$KEY GEOPM_TIMEOUT=5 \
    start_rank rank0 --iterations "$ITERATIONS" --compute-ms "$COMPUTE_MS" --memory-ms "$MEMORY_MS"
wait "${RANK_PIDS[0]}"
rank_rc=$?
ctl_rc=$(wait_controller ctl 10)
check "region_app exits 0 (got $rank_rc) and geopmctl exits 0 (got $ctl_rc)" \
    test "$rank_rc" = 0 -a "$ctl_rc" = 0

check "the trace is written to $TRACE-<hostname>" test -s "$TRACE_FILE"
if [ ! -s "$TRACE_FILE" ]; then
    echo "# files in the temporary folder:"
    find "$IT_TMP" -maxdepth 1 | tap_comment
fi
check "'#' lines, then a header row starting TIME|EPOCH_COUNT|REGION_HASH|REGION_HINT|REGION_PROGRESS" \
    report trace-format "$TRACE_FILE"
check "at least $MIN_ROWS rows (one per 5 ms sample over 0.9 s)" \
    report trace-rows "$TRACE_FILE" "$MIN_ROWS"
check "TIME increases from row to row" report trace-time "$TRACE_FILE"
check "some rows have the compute region's hash" report trace-hash "$TRACE_FILE" compute
check "some rows have the memory region's hash" report trace-hash "$TRACE_FILE" memory
check "EPOCH_COUNT never decreases and ends at $ITERATIONS" \
    report trace-epoch "$TRACE_FILE" "$ITERATIONS"
check "the report is written as well (GEOPM_REPORT)" report loads "$REPORT"
check "the report names the profile of GEOPM_PROFILE" report header "$REPORT" Profile "$PROFILE"

if [ "$TAP_FAILED" -gt 0 ]; then
    echo "# ---- the trace's first 40 lines ($TRACE_FILE)"
    head -n 40 "$TRACE_FILE" 2>/dev/null | tap_comment
    show_file "geopmctl stderr" "$IT_TMP/ctl.err"
fi
tap_done
