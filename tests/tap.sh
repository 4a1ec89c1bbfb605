# Sourced by the test scripts (bash): where the build is, a clean GEOPM_*
# environment, TAP output for automake's TAP driver, and the clock, wait
# and segment-path helpers that every kind of test script uses.

# Where things are: make check exports abs_top_builddir and abs_top_srcdir;
# run by hand from a build in the source tree, the script's path gives both.
if [ -z "${abs_top_srcdir:-}" ]; then
    abs_top_srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fi
if [ -z "${abs_top_builddir:-}" ]; then
    abs_top_builddir=$abs_top_srcdir
fi
# shellcheck disable=SC2034 # used by the scripts that source this file
GEOPMCTL=$abs_top_builddir/controller/geopmctl

# The runtime and the controller read GEOPM_* from the environment: start
# from none, each test sets what it means to.
for name in $(env | sed -n 's/^\(GEOPM_[A-Za-z0-9_]*\)=.*/\1/p'); do
    unset "$name"
done

TAP_COUNT=0
TAP_FAILED=0

tap_skip_all() {
    echo "1..0 # SKIP $*"
    exit 0
}

# Prints what is on stdin as TAP comments, ending with a newline even if
# the input does not, so that the next TAP line stands on its own.
tap_comment() {
    sed -e 's/^/# /' -e '$a\'
}

tap_ok() {
    TAP_COUNT=$((TAP_COUNT + 1))
    echo "ok $TAP_COUNT - $*"
}

tap_not_ok() {
    TAP_COUNT=$((TAP_COUNT + 1))
    TAP_FAILED=$((TAP_FAILED + 1))
    echo "not ok $TAP_COUNT - $*"
}

# tap_result STATUS DESCRIPTION: ok when STATUS is 0.
tap_result() {
    local status=$1
    shift
    if [ "$status" = 0 ]; then tap_ok "$@"; else tap_not_ok "$@"; fi
}

tap_skip() {
    local description=$1
    shift
    TAP_COUNT=$((TAP_COUNT + 1))
    echo "ok $TAP_COUNT - $description # SKIP $*"
}

# check DESCRIPTION COMMAND...: one TAP result from the exit status of the
# command (0 pass, 77 skip, anything else a failure); its output follows
# as comments either way, so that the log says what was compared.
check() {
    local description=$1
    shift
    local output status
    output=$("$@" 2>&1)
    status=$?
    case $status in
    0) tap_ok "$description" ;;
    77) tap_skip "$description" "$(printf '%s\n' "$output" | tail -n 1)" ;;
    *) tap_not_ok "$description" ;;
    esac
    [ -n "$output" ] && printf '%s\n' "$output" | tap_comment
    return $status
}

# show_file TITLE PATH: the file as comments (for failure output).
show_file() {
    echo "# ---- $1 ($2)"
    if [ -f "$2" ]; then
        head -c 20000 "$2" | tap_comment
    else
        echo "# (missing)"
    fi
}

# bail_out REASON [FILE...]: shows the files, then stops the whole script
# (the TAP driver counts it as an error): for failures that make every later
# check meaningless, such as a controller that never starts.
bail_out() {
    local reason=$1 path
    shift
    for path in "$@"; do
        show_file "$(basename "$path")" "$path"
    done
    echo "Bail out! $reason"
    exit 1
}

tap_done() {
    echo "1..$TAP_COUNT"
    exit 0
}

# Seconds since the epoch, with microseconds.
now() {
    echo "$EPOCHREALTIME"
}

# elapsed_since START: seconds from START (a value of now) to now, as a
# decimal number.
elapsed_since() {
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'
}

# less_than A B: true when the decimal number A is below B.
less_than() {
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'
}

# wait_until SECONDS COMMAND...: true once COMMAND succeeds, false when
# SECONDS (a decimal number) pass first.  COMMAND is tried every WAIT_POLL
# seconds (default 0.01): a caller that times what it waits for sets a
# shorter one.
wait_until() {
    local deadline
    deadline=$(awk -v n="$EPOCHREALTIME" -v s="$1" 'BEGIN { printf "%.6f", n + s }')
    shift
    until "$@"; do
        less_than "$EPOCHREALTIME" "$deadline" || return 1
        sleep "${WAIT_POLL:-0.01}"
    done
}

# shm_path KEY: the file of the shared-memory segment KEY.
shm_path() {
    echo "/dev/shm/${1#/}"
}
