#!/bin/bash
# Issue 6, scenario 12: squatting.  Before geopmctl starts, something else
# is planted at the job's key: a regular file of another user, a root file
# that is not a segment, a symlink to a root-owned canary, a FIFO, a
# folder, and a live segment of another user that anyone may open.
# geopmctl (root) refuses each with an error naming what is there, never
# opens the FIFO (every run is bounded by `timeout`), and leaves each thing
# as it was; ranks (region_app, as root and as another user) and the job
# API never attach to any of them; the canary's owner, mode and contents
# are unchanged.
. "$(dirname "$0")/sec_common.sh"
require_built
sec_require_root "planting files of other users"
sec_reachable_programs

APP_ARGS=(--iterations 3 --compute-ms 1 --memory-ms 1)
"$REGION_APP" "${APP_ARGS[@]}" >"$IT_TMP/plain.out" 2>"$IT_TMP/plain.err" ||
    bail_out "region_app fails without the runtime" "$IT_TMP/plain.err"

CANARY_DIR=$(mktemp -d /tmp/geopm-sec-canary.XXXXXX) || bail_out "cannot make a folder"
sec_track "$CANARY_DIR"
CANARY=$CANARY_DIR/canary
echo "root's canary, not a segment" >"$CANARY"
chmod 644 "$CANARY"
canary_before=$(sec_fingerprint "$CANARY")

# plant NAME: puts thing NAME at a new key of this test; sets KEY.
plant() {
    new_key KEY "squat-$1"
    local path
    path=$(shm_path "$KEY")
    sec_track "$path"
    case $1 in
    other-file)
        echo "a file of uid $SEC_NOBODY" >"$path" && chown "$SEC_NOBODY:$SEC_NOBODY" "$path" &&
            chmod 666 "$path" ;;
    root-file)
        head -c 200000 /dev/urandom >"$path" && chmod 600 "$path" ;;
    symlink)
        ln -s "$CANARY" "$path" ;;
    fifo)
        mkfifo -m 666 "$path" ;;
    folder)
        mkdir -m 755 "$path" ;;
    other-segment)
        sec_hold "$1" "$KEY" --uid "$SEC_NOBODY" --mode 666 ;;
    esac || bail_out "cannot plant $1 at $path"
}

# What geopmctl's error must say about each thing, ';' between the words.
declare -A NAMED=(
    [other-file]="another user;uid $SEC_NOBODY"
    [root-file]="not a published job segment;uid 0"
    [symlink]="symbolic link"
    [fifo]="FIFO"
    [folder]="directory"
    [other-segment]="another user;uid $SEC_NOBODY"
)

# rank_refused NAME WHO STATUS OUT ERR: region_app (run as WHO) ran unprofiled.
rank_refused() {
    local name=$1 who=$2 status=$3 out=$4 err=$5
    check "$name: region_app as $who exits 0 (status $status, criterion 0)" test "$status" = 0
    check "$name: region_app as $who prints what it prints without the runtime" \
        same_result "$IT_TMP/plain.out" "$out"
    check "$name: region_app as $who warns once that it is not profiled" warned_once "$err"
}

for thing in other-file root-file symlink fifo folder other-segment; do
    plant "$thing"
    path=$(shm_path "$KEY")
    before=$(sec_fingerprint "$path")

    timeout -s KILL "$SEC_RUN_LIMIT" "$GEOPMCTL" --key "$KEY" --timeout 1 --num-proc 1 \
        >"$IT_TMP/$thing.ctl.out" 2>"$IT_TMP/$thing.ctl.err"
    status=$?
    echo "# $thing: geopmctl exited $status: $(head -c 300 "$IT_TMP/$thing.ctl.err")"
    check "$thing: geopmctl ends at once (status $status, not killed after $SEC_RUN_LIMIT s)" \
        test "$status" != 137
    check "$thing: geopmctl refuses the key with exit status 1" test "$status" = 1
    IFS=';' read -ra words <<<"${NAMED[$thing]}"
    check "$thing: geopmctl's error names the key and what is there (${NAMED[$thing]})" \
        has_words "$IT_TMP/$thing.ctl.err" "\"$KEY\"" "${words[@]}"
    check "$thing: it is still there, unchanged, after geopmctl" \
        test "$before" = "$(sec_fingerprint "$path")"

    timeout -s KILL "$SEC_RUN_LIMIT" env GEOPM_PROFILE=it-sec-squat GEOPM_SHMKEY="$KEY" \
        GEOPM_TIMEOUT=1 "$REGION_APP" "${APP_ARGS[@]}" >"$IT_TMP/$thing.root.out" \
        2>"$IT_TMP/$thing.root.err"
    rank_refused "$thing" root $? "$IT_TMP/$thing.root.out" "$IT_TMP/$thing.root.err"
    GEOPM_PROFILE=it-sec-squat GEOPM_SHMKEY=$KEY GEOPM_TIMEOUT=1 \
        sec_run_as "$SEC_OTHER" region_app "${APP_ARGS[@]}" \
        >"$IT_TMP/$thing.other.out" 2>"$IT_TMP/$thing.other.err"
    rank_refused "$thing" "uid $SEC_OTHER" $? "$IT_TMP/$thing.other.out" "$IT_TMP/$thing.other.err"

    timeout -s KILL "$SEC_RUN_LIMIT" "$SEC_SEGMENT" attach "$KEY" >"$IT_TMP/$thing.attach" 2>&1
    status=$?
    echo "# $thing: job API as root: $(cat "$IT_TMP/$thing.attach")"
    check "$thing: the job API's attach as root refuses it" test "$status" = 0
    sec_run_as "$SEC_OTHER" sec_segment attach "$KEY" >"$IT_TMP/$thing.attach" 2>&1
    status=$?
    echo "# $thing: job API as uid $SEC_OTHER: $(cat "$IT_TMP/$thing.attach")"
    check "$thing: the job API's attach as uid $SEC_OTHER refuses it" test "$status" = 0

    check "$thing: it is still there, unchanged, after the ranks" \
        test "$before" = "$(sec_fingerprint "$path")"
done

canary_after=$(sec_fingerprint "$CANARY")
echo "# canary before: $canary_before"
echo "# canary after:  $canary_after"
check "the canary's owner, mode and contents are unchanged" test "$canary_before" = "$canary_after"

tap_done
