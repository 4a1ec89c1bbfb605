#!/bin/bash
# GEOPM_PROFILE unset: the runtime never attaches and never waits, whether
# or not a segment exists at GEOPM_SHMKEY, and says nothing.
. "$(dirname "$0")/common.sh"
require_built

TIMEOUT=10
APP_ARGS=(--iterations 20 --compute-ms 0 --memory-ms 0)
# The program's regions are empty (only the markers run), so that its own
# time does not depend on the load of the machine; waiting for a controller
# would take TIMEOUT seconds.  Its own measure (from its first geopm_prof
# call) must stay under NO_WAIT_LIMIT; the wall time, which adds the start
# of the process on a possibly busy machine, under WALL_LIMIT.
NO_WAIT_LIMIT=0.5
WALL_LIMIT=3

# run_unprofiled NAME KEY: runs region_app without GEOPM_PROFILE but with
# the other variables set; sets RUN_RC and RUN_ELAPSED.
run_unprofiled() {
    local start
    start=$(now)
    GEOPM_SHMKEY=$2 GEOPM_TIMEOUT=$TIMEOUT "$REGION_APP" "${APP_ARGS[@]}" \
        >"$IT_TMP/$1.out" 2>"$IT_TMP/$1.err"
    RUN_RC=$?
    RUN_ELAPSED=$(elapsed_since "$start")
}

# check_unprofiled NAME WHAT: the checks that hold in both cases.
check_unprofiled() {
    check "$2: exits 0 (got $RUN_RC)" test "$RUN_RC" = 0
    local total
    total=$(report mean-measured total_s "$IT_TMP/$1.out")
    check "$2: no wait, from the first geopm_prof call to the end in less than $NO_WAIT_LIMIT s (took $total s)" \
        less_than "$total" "$NO_WAIT_LIMIT"
    check "$2: no wait, the whole run in less than $WALL_LIMIT s (took $RUN_ELAPSED s)" \
        less_than "$RUN_ELAPSED" "$WALL_LIMIT"
    check "$2: nothing on stderr" test ! -s "$IT_TMP/$1.err"
    tap_comment <"$IT_TMP/$1.err"
    check "$2: same result as a plain run" \
        diff <(grep '^region_app: result' "$IT_TMP/plain.out") \
        <(grep '^region_app: result' "$IT_TMP/$1.out")
    check "$2: every geopm_prof call returns 0" \
        grep '^region_app: calls .* failed=0$' "$IT_TMP/$1.out"
}

"$REGION_APP" "${APP_ARGS[@]}" >"$IT_TMP/plain.out" 2>&1

# No segment at the key.
new_key KEY_NONE absent
run_unprofiled absent "$KEY_NONE"
check_unprofiled absent "no segment"
check "no segment: none was created at $(shm_path "$KEY_NONE")" test ! -e "$(shm_path "$KEY_NONE")"

# A controller waiting for one process: an unprofiled process must not be
# it.  Had it attached, the controller would have ended with it.
new_key KEY present
REPORT=$IT_TMP/report.yaml
start_controller ctl --key "$KEY" --report "$REPORT" --num-proc 1 --profile it-core-noprofile \
    --timeout 10
expect_segment "$KEY" ctl
run_unprofiled present "$KEY"
check_unprofiled present "a segment exists"
sleep 0.5
check "a segment exists: the controller still waits for its process (it saw none end)" \
    test ! -e "$IT_TMP/ctl.rc"
kill -TERM "$CTL_PID" 2>/dev/null
ctl_rc=$(wait_controller ctl 5)
check "on SIGTERM the controller ends (status $ctl_rc) and writes a report" test -s "$REPORT"
check "the report has no region of the unprofiled process" \
    python3 - "$REPORT" <<'EOF'
import sys, yaml
report = yaml.safe_load(open(sys.argv[1]))
names = [r.get("region") for host in report["Hosts"].values() for r in (host.get("Regions") or [])]
print(f"regions: {names}")
sys.exit(1 if "compute" in names or "memory" in names else 0)
EOF
check "no segment is left at $(shm_path "$KEY")" test ! -e "$(shm_path "$KEY")"

if [ "$TAP_FAILED" -gt 0 ]; then
    show_file report "$REPORT"
    show_file "geopmctl stderr" "$IT_TMP/ctl.err"
    show_file "region_app stdout (segment present)" "$IT_TMP/present.out"
fi
tap_done
