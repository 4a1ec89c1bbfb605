#!/bin/bash
# Issue 6, scenario 9 (the environment half): every GEOPM_* variable that
# geopmctl or the runtime reads, set to garbage (abc, -1, 1e999, empty, very
# long).  geopmctl never dies of a signal or hangs; a value it cannot use is
# refused with a message naming the variable.  An annotated program (no
# controller) never changes: it exits 0, prints what it prints without the
# runtime, and warns at most once, naming the variable when its value is
# what is wrong.  The variables are found in the sources (getenv) and in
# geopmctl --help, so that a new one is tested without editing this file.
# tests/controller/test_options.c checks the parser's codes and messages;
# this checks the programs.
. "$(dirname "$0")/sec_common.sh"
require_built

LONG_TEXT=$(printf 'x%.0s' $(seq 5000))
LONG_NUMBER=$(printf '9%.0s' $(seq 5000))
VALUES=(abc -1 1e999 "" "$LONG_TEXT" "$LONG_NUMBER")
value_name() {
    case $1 in
    "") echo "empty" ;;
    "$LONG_TEXT") echo "5000 x" ;;
    "$LONG_NUMBER") echo "5000 digits" ;;
    *) echo "\"$1\"" ;;
    esac
}

# Every variable: those geopmctl documents, and every getenv("GEOPM_...")
# of the runtime, the controller and the shared library.
mapfile -t VARIABLES < <(
    {
        "$GEOPMCTL" --help | grep -o '\[GEOPM_[A-Z0-9_]*\]' | tr -d '[]'
        grep -oh 'getenv("GEOPM_[A-Z0-9_]*")' "$abs_top_srcdir"/preload/*.c \
            "$abs_top_srcdir"/controller/*.c "$abs_top_srcdir"/libshm/*.c |
            sed 's/getenv("\(.*\)")/\1/'
    } | sort -u)
echo "# variables: ${VARIABLES[*]}"
[ "${#VARIABLES[@]}" -ge 8 ] || bail_out "found only ${#VARIABLES[@]} variables"

# ctl_must_refuse VAR VALUE: geopmctl cannot use VALUE for VAR.  A path,
# like a profile name, may be any non-empty text that can be created.
ctl_must_refuse() {
    case $1 in
    GEOPM_REPORT | GEOPM_TRACE) [ -z "$2" ] || [ "$2" = "$LONG_TEXT" ] || [ "$2" = "$LONG_NUMBER" ] ;;
    GEOPM_PROFILE) [ -z "$2" ] ;;
    GEOPM_PERIOD | GEOPM_TIMEOUT | GEOPM_NUM_PROC | GEOPM_USER | GEOPM_SHMKEY) true ;;
    *) false ;;
    esac
}

# app_must_warn VAR: a process reads a value from VAR, so garbage there is
# named in its warning.
app_must_warn() {
    case $1 in
    GEOPM_TIMEOUT | GEOPM_SHMKEY) true ;;
    *) false ;;
    esac
}

# The option of a variable (GEOPM_NUM_PROC: --num-proc), for the command
# line that must not override the variable under test.
option_of() {
    echo "--$(echo "${1#GEOPM_}" | tr 'A-Z_' 'a-z-')"
}

mkdir "$IT_TMP/cwd" || bail_out "cannot make a working folder"
new_key KEY env
new_key ABSENT_KEY absent

# ctl_run VAR VALUE: one geopmctl run, in a folder of its own (a report
# named "abc" lands there); no rank comes, so a run that starts ends at once.
ctl_run() {
    local var=$1 value=$2 args=()
    [ "$var" != GEOPM_TIMEOUT ] && args+=(--timeout 0)
    [ "$var" != GEOPM_SHMKEY ] && args+=(--key "$KEY")
    (cd "$IT_TMP/cwd" && env "$var=$value" timeout -s KILL "$SEC_RUN_LIMIT" "$GEOPMCTL" \
        "${args[@]}" >"$IT_TMP/ctl.out" 2>"$IT_TMP/ctl.err")
}

ctl_refusals=0
ctl_runs=0
for var in "${VARIABLES[@]}"; do
    for value in "${VALUES[@]}"; do
        ctl_run "$var" "$value"
        status=$?
        ctl_runs=$((ctl_runs + 1))
        what="geopmctl with $var=$(value_name "$value")"
        problem=""
        if [ "$status" -ge 124 ]; then
            problem="killed or hung (status $status)"
        elif [ "$status" = 2 ] || ctl_must_refuse "$var" "$value"; then
            # A path is refused once it is tried, by its option's name.
            option=$(option_of "$var")
            if [ "$status" != 2 ] && [ "$status" != 1 ]; then
                problem="not refused (status $status)"
            elif ! grep -qF -- "$var" "$IT_TMP/ctl.err" &&
                ! grep -q "^geopmctl: ${option#--}: " "$IT_TMP/ctl.err"; then
                problem="status $status, the message does not name $var"
            fi
            [ -z "$problem" ] && ctl_refusals=$((ctl_refusals + 1))
        fi
        if [ -n "$problem" ]; then
            tap_not_ok "$what: $problem"
            head -c 400 "$IT_TMP/ctl.err" | tap_comment
        else
            tap_ok "$what: status $status"
        fi
    done
done
echo "# geopmctl: $ctl_runs runs, $ctl_refusals refusals naming the variable, 0 signals or hangs expected"

"$REGION_APP" --iterations 3 --compute-ms 1 --memory-ms 1 >"$IT_TMP/plain.out" \
    2>"$IT_TMP/plain.err" || bail_out "region_app fails without the runtime" "$IT_TMP/plain.err"

app_runs=0
app_bad=0
for var in "${VARIABLES[@]}"; do
    for value in "${VALUES[@]}"; do
        # No controller: a process that would attach fails at once.
        env GEOPM_PROFILE=it-sec-env GEOPM_SHMKEY="$ABSENT_KEY" GEOPM_TIMEOUT=0 "$var=$value" \
            timeout -s KILL "$SEC_RUN_LIMIT" "$REGION_APP" --iterations 3 --compute-ms 1 \
            --memory-ms 1 >"$IT_TMP/app.out" 2>"$IT_TMP/app.err"
        status=$?
        app_runs=$((app_runs + 1))
        lines=$(wc -l <"$IT_TMP/app.err")
        what="region_app with $var=$(value_name "$value")"
        problem=""
        if [ "$status" != 0 ]; then
            problem="exit status $status"
        elif ! same_result "$IT_TMP/plain.out" "$IT_TMP/app.out" >/dev/null; then
            problem="its output changed"
        elif [ "$lines" -gt 1 ]; then
            problem="$lines lines on stderr"
        elif app_must_warn "$var" && ! warned_once "$IT_TMP/app.err" "$var" >/dev/null; then
            problem="no warning naming $var"
        fi
        if [ -n "$problem" ]; then
            app_bad=$((app_bad + 1))
            tap_not_ok "$what: $problem"
            head -c 400 "$IT_TMP/app.err" | tap_comment
        else
            tap_ok "$what: exit 0, same output, $lines warning"
        fi
    done
done
echo "# region_app: $app_runs runs, $app_bad changed or unclear (criterion 0)"
tap_done
