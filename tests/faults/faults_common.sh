# Sourced by the fault scenario scripts (bash): the integration tests'
# helpers (common.sh: controllers, keys, cleanup, report checks) and what the
# fault scenarios add: marker_app processes, the figures they print, waits
# that notice a hang instead of hanging, and checks of many reports at once.

. "$(dirname "${BASH_SOURCE[0]}")/../integration/common.sh"
MARKER_APP=$abs_top_builddir/tests/faults/marker_app
CLAIM_VICTIM=$abs_top_builddir/tests/faults/claim_victim
ATTACH_RACE=$abs_top_builddir/tests/faults/attach_race
STALE_JOB=$abs_top_builddir/tests/faults/stale_job
FAULT_CHECK=$abs_top_srcdir/tests/faults/fault_check.py

# require_programs PATH...: skips the whole script when geopmctl, one of the
# PATHs or python3 with yaml is missing.
require_programs() {
    local path
    for path in "$GEOPMCTL" "$@"; do
        [ -x "$path" ] || tap_skip_all "$(basename "$path") is not built ($path)"
    done
    python3 -c 'import yaml' 2>/dev/null || tap_skip_all "python3 with yaml is required"
}

# fault_check CHECK ARGS...: runs one check of fault_check.py.
fault_check() {
    python3 "$FAULT_CHECK" "$@"
}

# start_marker NAME ARGS...: runs marker_app ARGS in the background with the
# caller's environment, its output in NAME.out and NAME.err; appends its pid
# to RANK_PIDS and its name to RANK_NAMES.
start_marker() {
    local name=$1
    shift
    "$MARKER_APP" "$@" >"$IT_TMP/$name.out" 2>"$IT_TMP/$name.err" &
    RANK_PIDS+=($!)
    RANK_NAMES+=("$name")
}

# running PID: true while PID runs (a zombie still answers kill -0).
running() {
    [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# none_running PID...: true when none of the PIDs runs any more.
none_running() {
    local pid
    for pid in "$@"; do
        running "$pid" && return 1
    done
    return 0
}

# wait_ranks SECONDS: waits for every pid of RANK_PIDS, but no longer than
# SECONDS in all; those still running then are hung: they are killed and
# counted in HUNG.  Sets RANK_STATUS (exit statuses, in RANK_PIDS' order)
# and RANKS_END (when the last one ended, to 5 ms).
wait_ranks() {
    local pid
    HUNG=0
    if ! WAIT_POLL=0.005 wait_until "$1" none_running "${RANK_PIDS[@]}"; then
        for pid in "${RANK_PIDS[@]}"; do
            if running "$pid"; then
                HUNG=$((HUNG + 1))
                kill -KILL "$pid" 2>/dev/null
            fi
        done
    fi
    RANKS_END=$(now)
    RANK_STATUS=()
    for pid in "${RANK_PIDS[@]}"; do
        wait "$pid" 2>/dev/null # bash would say "Killed" on stderr
        RANK_STATUS+=($?)
    done
}

# wait_mapped KEY SECONDS PID...: true once every PID maps the segment at
# KEY (it has attached); false after SECONDS, or at once if one has ended.
wait_mapped() {
    local path deadline pid
    path=$(shm_path "$1")
    deadline=$(awk -v n="$EPOCHREALTIME" -v s="$2" 'BEGIN { printf "%.6f", n + s }')
    shift 2
    for pid in "$@"; do
        until grep -qF -- "$path" "/proc/$pid/maps" 2>/dev/null; do
            running "$pid" && less_than "$EPOCHREALTIME" "$deadline" || return 1
            sleep 0.005
        done
    done
}

# figure NAME KEY: the value of KEY in the figures line of marker_app NAME.
figure() {
    sed -n "s/^marker_app: figures.* $2=\([^ ]*\).*/\1/p" "$IT_TMP/$1.out"
}

# figures AGGREGATE KEY NAME...: the max or sum of a figure over processes;
# "missing" (which fails less_than) when one of them printed none.
figures() {
    local aggregate=$1 key=$2 name
    shift 2
    for name in "$@"; do
        figure "$name" "$key"
    done | awk -v a="$aggregate" -v n=$# '
        { if (a == "sum") v += $1; else if (NR == 1 || $1 > v) v = $1 }
        END { if (NR < n) print "missing"; else printf "%g", v }'
}

# same_results PLAIN NAME...: every NAME printed the result and calls
# lines of the run without the runtime, PLAIN (figures aside).
same_results() {
    local plain=$1 name status=0
    shift
    for name in "$@"; do
        if ! diff <(grep -v '^marker_app: figures' "$IT_TMP/$plain.out") \
            <(grep -v '^marker_app: figures' "$IT_TMP/$name.out"); then
            echo "$name differs from $plain"
            status=1
        fi
    done
    [ $status = 0 ] && echo "$# processes print: $(grep '^marker_app: result' "$IT_TMP/$plain.out")"
    return $status
}

# ranks_ok: every rank of RANK_PIDS exited 0, every geopm_prof call of theirs
# returned 0, and none printed on stderr; prints what went wrong.
ranks_ok() {
    local i bad=""
    for i in "${!RANK_PIDS[@]}"; do
        local name=${RANK_NAMES[$i]}
        [ "${RANK_STATUS[$i]}" = 0 ] || bad="$bad $name:exit ${RANK_STATUS[$i]}"
        grep -q '^marker_app: calls ok=[0-9]* failed=0$' "$IT_TMP/$name.out" ||
            bad="$bad $name:$(grep '^marker_app: calls' "$IT_TMP/$name.out" || echo no-output)"
        [ -s "$IT_TMP/$name.err" ] && bad="$bad $name:stderr($(head -c 200 "$IT_TMP/$name.err"))"
    done
    [ -z "$bad" ] && echo "${#RANK_PIDS[@]} processes: exit 0, every call returned 0, no stderr"
    [ -n "$bad" ] && echo "failed:$bad"
    [ -z "$bad" ]
}

# random_ms MAX: a random delay from 0 to MAX milliseconds, in seconds.
random_ms() {
    printf '0.%03d' $((RANDOM % ($1 + 1)))
}
