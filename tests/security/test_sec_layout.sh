#!/bin/bash
# Issue 6, scenario 8: a job segment of another layout version, or of another
# slot size, is refused at attach with a message naming both versions (or
# both sizes), and an annotated program run against it is not profiled: it
# warns once, exits 0, prints what it prints without the runtime, and leaves
# the segment as it was.
. "$(dirname "$0")/sec_common.sh"
require_built --no-controller
[ -x "$SEC_SEGMENT" ] || tap_skip_all "sec_segment is not built ($SEC_SEGMENT)"

APP_ARGS=(--iterations 5 --compute-ms 1 --memory-ms 1)
ATTACH_LIMIT=1 # seconds: a refused segment is refused at once, not waited for
read -r VERSION SLOT_SIZE < <("$SEC_SEGMENT" layout)

"$REGION_APP" "${APP_ARGS[@]}" >"$IT_TMP/plain.out" 2>"$IT_TMP/plain.err" ||
    bail_out "region_app fails without the runtime" "$IT_TMP/plain.err"

# refused NAME HOLD_ARGS WORD...: holds a segment made with HOLD_ARGS, then
# checks that the job API refuses it with a message holding every WORD, and
# that region_app runs unprofiled against it.
refused() {
    local name=$1 hold_args=$2
    shift 2
    local key before status start took warnings words
    words=$(printf '"%s" ' "$@")
    new_key key "$name"
    # shellcheck disable=SC2086 # HOLD_ARGS is a list of options
    sec_hold "$name" "$key" $hold_args
    before=$(sec_fingerprint "$(shm_path "$key")")

    "$SEC_SEGMENT" attach "$key" >"$IT_TMP/$name.attach" 2>&1
    status=$?
    echo "# $name: $(cat "$IT_TMP/$name.attach")"
    check "$name: attach is refused with GEOPM_ERROR_LAYOUT, naming $words" \
        refused_with "$status" "$IT_TMP/$name.attach" -10005 "$@"

    start=$(now)
    GEOPM_PROFILE=it-sec-layout GEOPM_SHMKEY=$key GEOPM_TIMEOUT=5 \
        "$REGION_APP" "${APP_ARGS[@]}" >"$IT_TMP/$name.out" 2>"$IT_TMP/$name.err"
    status=$?
    took=$(elapsed_since "$start")
    echo "# $name: region_app exited $status after $took s (criterion: 0 within $ATTACH_LIMIT s)"
    check "$name: region_app exits 0" test "$status" = 0
    check "$name: region_app does not wait for its timeout" less_than "$took" "$ATTACH_LIMIT"
    check "$name: region_app prints what it prints without the runtime" \
        same_result "$IT_TMP/plain.out" "$IT_TMP/$name.out"
    warnings=$(wc -l <"$IT_TMP/$name.err")
    check "$name: region_app warns once ($warnings lines), naming $words" \
        warned_once "$IT_TMP/$name.err" "$@"
    [ "$warnings" = 1 ] || show_file "$name stderr" "$IT_TMP/$name.err"
    check "$name: the segment is unchanged (no slot claimed)" \
        test "$before" = "$(sec_fingerprint "$(shm_path "$key")")"
}

echo "# this runtime: layout version $VERSION, slots of $SLOT_SIZE bytes"
newer=$((VERSION + 1))
refused newer-version "--layout-version $newer" "layout version $newer" "uses version $VERSION"
if [ "$VERSION" -gt 1 ]; then
    older=$((VERSION - 1))
    refused older-version "--layout-version $older" "layout version $older" \
        "uses version $VERSION"
fi
other=$((SLOT_SIZE + 64))
refused other-slot-size "--slot-size $other" "slot $other bytes" "uses $SLOT_SIZE"

tap_done
