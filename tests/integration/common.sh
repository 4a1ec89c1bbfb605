# Sourced by the integration test scripts: where the built programs are,
# TAP output, a private temporary folder and a cleanup that always runs.
# Needs bash.

. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"
REGION_APP=$abs_top_builddir/tests/integration/region_app
REPORT_CHECK=$abs_top_srcdir/tests/integration/report_check.py
# shellcheck disable=SC2034 # used by the scripts that source this file
HOSTNAME_NOW=$(uname -n)

# report CHECK ARGS...: runs one check of report_check.py.
report() {
    python3 "$REPORT_CHECK" "$@"
}

# expect_segment KEY NAME: passes once geopmctl (started as NAME) has made
# the segment; bails out when it has not within 5 s (or has exited).
expect_segment() {
    wait_until 5 test -e "$(shm_path "$1")" -o -e "$IT_TMP/$2.rc"
    if [ -e "$(shm_path "$1")" ]; then
        tap_ok "geopmctl creates the segment $1"
    else
        tap_not_ok "geopmctl creates the segment $1 within 5 s"
        [ -e "$IT_TMP/$2.rc" ] && echo "# geopmctl exited with status $(cat "$IT_TMP/$2.rc")"
        bail_out "no segment, no test" "$IT_TMP/$2.err"
    fi
}

# expect_report PATH NAME: bails out when geopmctl (started as NAME) wrote no
# report at PATH, rather than failing every check of it the same way.
expect_report() {
    [ -s "$1" ] || bail_out "geopmctl wrote no report at $1" "$IT_TMP/$2.err" "$IT_TMP/$2.out"
}

# ---- processes, segments and the temporary folder ------------------------

IT_KEYS=()
IT_CONTROLLERS=() # names given to start_controller
IT_DAEMONS=()     # pids of daemons, which are not our children
IT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/geopm-it.XXXXXX") || tap_skip_all "cannot make a temporary folder"

# maps_our_segment PID: true while PID maps one of this test's segments
# (then the pid is surely still the process this test started).
maps_our_segment() {
    local key
    for key in "${IT_KEYS[@]}"; do
        grep -qF -- "$(shm_path "$key")" "/proc/$1/maps" 2>/dev/null && return 0
    done
    return 1
}

# Kills what this test started and is still running, by pid only: the
# controllers that have not exited, the daemons that still map this test's
# segments, then the background jobs of this shell (ranks, subshells).
it_cleanup() {
    local pid name key
    for name in "${IT_CONTROLLERS[@]}"; do
        if [ ! -e "$IT_TMP/$name.rc" ] && [ -s "$IT_TMP/$name.pid" ]; then
            kill -KILL "$(cat "$IT_TMP/$name.pid")" 2>/dev/null
        fi
    done
    for pid in "${IT_DAEMONS[@]}"; do
        maps_our_segment "$pid" && kill -KILL "$pid" 2>/dev/null
    done
    for pid in $(jobs -p); do
        kill -KILL "$pid" 2>/dev/null
    done
    for key in "${IT_KEYS[@]}"; do
        rm -f "$(shm_path "$key")"
    done
    rm -rf "$IT_TMP"
}
trap it_cleanup EXIT
trap 'exit 1' INT TERM HUP

# new_key VAR NAME: sets VAR to a segment key of this test only, which the
# cleanup removes.  (Not echo: a $(...) subshell would lose IT_KEYS.)
new_key() {
    printf -v "$1" '%s' "/geopm-it-$$-$2"
    IT_KEYS+=("${!1}")
}

# require_built [--no-controller]: skips the whole script when something it
# runs is missing.
require_built() {
    if [ "${1:-}" != --no-controller ]; then
        [ -x "$GEOPMCTL" ] || tap_skip_all "geopmctl is not built ($GEOPMCTL)"
    fi
    [ -x "$REGION_APP" ] || tap_skip_all "region_app is not built ($REGION_APP)"
    python3 -c 'import yaml' 2>/dev/null || tap_skip_all "python3 with yaml is required"
}

# start_controller NAME ARGS...: runs geopmctl ARGS in the background, in a
# subshell that records its exit status (NAME.rc) and its CPU time (NAME.times,
# from the shell's `times`: the children's user and system time).  Sets
# CTL_PID to geopmctl's pid.
start_controller() {
    local name=$1
    shift
    local base=$IT_TMP/$name
    (
        "$GEOPMCTL" "$@" >"$base.out" 2>"$base.err" &
        echo $! >"$base.pid"
        wait $!
        rc=$?
        times >"$base.times"
        echo "$rc" >"$base.rc"
    ) &
    IT_CONTROLLERS+=("$name")
    local tries=0
    while [ ! -s "$base.pid" ] && [ $tries -lt 500 ]; do
        sleep 0.01
        tries=$((tries + 1))
    done
    # shellcheck disable=SC2034 # used by the scripts that source this file
    CTL_PID=$(cat "$base.pid")
}

# wait_for_file PATH SECONDS: true once PATH exists.
wait_for_file() {
    wait_until "$2" test -e "$1"
}

# wait_controller NAME SECONDS: waits for the controller started as NAME to
# exit; prints its exit status, or "timeout".
wait_controller() {
    if wait_for_file "$IT_TMP/$1.rc" "$2"; then
        cat "$IT_TMP/$1.rc"
    else
        echo timeout
    fi
}

# children_cpu FILE: the children's user and system CPU seconds, "USER SYS",
# from the output of the shell's `times` saved in FILE.
children_cpu() {
    sed -n 2p "$1" | awk '
        function sec(t,  m) { m = t; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", t); sub(/s$/, "", t);
                              return m * 60 + t }
        { printf "%.3f %.3f", sec($1), sec($2) }'
}

# start_rank NAME ARGS...: runs region_app ARGS in the background with the
# environment of the caller; its output goes to NAME.out and NAME.err.
# Appends its pid to RANK_PIDS.
start_rank() {
    local name=$1
    shift
    "$REGION_APP" "$@" >"$IT_TMP/$name.out" 2>"$IT_TMP/$name.err" &
    RANK_PIDS+=($!)
}

# process_counts REPORT PID COMPUTE MEMORY EPOCHS: the process's own counts
# of the compute and memory regions and of epochs are exactly these.
process_counts() {
    local status=0
    report process-region-count "$1" "$2" compute "$3" || status=1
    report process-region-count "$1" "$2" memory "$4" || status=1
    report process-field "$1" "$2" "epoch count" "$5" || status=1
    return $status
}
