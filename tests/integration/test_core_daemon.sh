#!/bin/bash
# geopmctl --daemon: the foreground process returns 0 only once the segment
# is ready, and the daemon serves the job, writes the report and goes away.
. "$(dirname "$0")/common.sh"
require_built

ITERATIONS=20
PROFILE=it-core-daemon
new_key KEY daemon
REPORT=$IT_TMP/report.yaml

# The daemon's pid: the process that maps the segment (the key is this
# test's own), found before any rank maps it.
daemon_pids() {
    grep -l -- "$(shm_path "$KEY")" /proc/[0-9]*/maps 2>/dev/null | cut -d/ -f3
}

start=$(now)
"$GEOPMCTL" --daemon --key "$KEY" --report "$REPORT" --num-proc 1 --profile "$PROFILE" \
    --timeout 10 >"$IT_TMP/ctl.out" 2>"$IT_TMP/ctl.err"
rc=$?
ready=$([ -e "$(shm_path "$KEY")" ] && echo yes || echo no)
daemon=$(daemon_pids)
read -ra found <<<"$daemon"
IT_DAEMONS+=("${found[@]}")
check "geopmctl --daemon returns 0 (got $rc, after $(elapsed_since "$start") s)" test "$rc" = 0
check "the segment exists when it returns (exists: $ready)" test "$ready" = yes
check "one daemon process serves the segment (pids: ${daemon:-none})" \
    test -n "$daemon" -a "$(echo "$daemon" | wc -w)" = 1

GEOPM_PROFILE=$PROFILE GEOPM_SHMKEY=$KEY GEOPM_TIMEOUT=5 \
    "$REGION_APP" --iterations "$ITERATIONS" --compute-ms 2 --memory-ms 1 >"$IT_TMP/app.out" \
    2>"$IT_TMP/app.err"
check "region_app exits 0 (got $?)" test $? = 0

# The daemon is not our child: wait for it to go away (a zombie that the
# container's init does not reap counts as gone).
running() {
    [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
gone=no
for _ in $(seq 500); do
    if [ -n "$daemon" ] && ! running "$daemon"; then
        gone=yes
        break
    fi
    sleep 0.01
done
check "the daemon ends once its process is done (ended: $gone)" test "$gone" = yes
check "no segment is left at $(shm_path "$KEY")" test ! -e "$(shm_path "$KEY")"
expect_report "$REPORT" ctl
check "the report is YAML with GEOPM's keys, fields and this host's section" report loads "$REPORT"
check "compute count is exactly $ITERATIONS" report region-count "$REPORT" compute "$ITERATIONS"
check "epoch count is exactly $ITERATIONS" report epoch-count "$REPORT" "$ITERATIONS"

if [ "$TAP_FAILED" -gt 0 ]; then
    show_file report "$REPORT"
    show_file "geopmctl stderr" "$IT_TMP/ctl.err"
    show_file "region_app stderr" "$IT_TMP/app.err"
fi
tap_done
