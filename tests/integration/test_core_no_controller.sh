#!/bin/bash
# GEOPM_PROFILE set but no controller: the program waits for the segment
# at most GEOPM_TIMEOUT seconds, without spinning a core, prints one warning
# and then runs exactly as it does without the runtime.
. "$(dirname "$0")/common.sh"
require_built --no-controller

TIMEOUT=1
new_key KEY none
APP_ARGS=(--iterations 20 --compute-ms 0 --memory-ms 0)

"$REGION_APP" "${APP_ARGS[@]}" >"$IT_TMP/plain.out" 2>"$IT_TMP/plain.err"
check "without the runtime, region_app exits 0" test $? = 0

# The subshell's `times` gives the CPU time of its one child.
start=$(now)
(
    GEOPM_PROFILE=it-core-none GEOPM_SHMKEY=$KEY GEOPM_TIMEOUT=$TIMEOUT \
        "$REGION_APP" "${APP_ARGS[@]}" >"$IT_TMP/app.out" 2>"$IT_TMP/app.err"
    echo $? >"$IT_TMP/app.rc"
    times >"$IT_TMP/app.times"
)
elapsed=$(elapsed_since "$start")
rc=$(cat "$IT_TMP/app.rc")
read -r cpu_user cpu_sys <<<"$(children_cpu "$IT_TMP/app.times")"

check "with GEOPM_PROFILE and no controller, region_app exits 0 (got $rc)" test "$rc" = 0
check "its result equals the result without the runtime" \
    diff <(grep '^region_app: result' "$IT_TMP/plain.out") \
    <(grep '^region_app: result' "$IT_TMP/app.out")
lines=$(wc -l <"$IT_TMP/app.err")
check "exactly one line on stderr (got $lines)" test "$lines" -eq 1
tap_comment <"$IT_TMP/app.err"
check "the warning names the key $KEY" grep -qF -- "$KEY" "$IT_TMP/app.err"
check "every geopm_prof call returns 0, as without the runtime" \
    grep '^region_app: calls .* failed=0$' "$IT_TMP/app.out"
# Its own measure, from the first geopm_prof call, holds the wait but not
# the start of the process, which a busy machine can make slow: it gets
# the tight limit, the wall time a looser one.
total=$(report mean-measured total_s "$IT_TMP/app.out")
check "from its first geopm_prof call it ends in less than GEOPM_TIMEOUT + 1 s (took $total s)" \
    less_than "$total" $((TIMEOUT + 1))
check "the whole run takes less than GEOPM_TIMEOUT + 2 s (took $elapsed s)" \
    less_than "$elapsed" $((TIMEOUT + 2))
check "it waits for a controller for about GEOPM_TIMEOUT (took $total s, at least 0.9 s)" \
    less_than 0.9 "$total"
# The program's regions are empty; waiting for the segment must sleep.
check "waiting costs no CPU: user ${cpu_user} s + system ${cpu_sys} s < 0.3 s" \
    less_than "$(awk -v u="$cpu_user" -v s="$cpu_sys" 'BEGIN { print u + s }')" 0.3
check "no segment was created at $(shm_path "$KEY")" test ! -e "$(shm_path "$KEY")"

if [ "$TAP_FAILED" -gt 0 ]; then
    show_file "stdout without the runtime" "$IT_TMP/plain.out"
    show_file "stdout with GEOPM_PROFILE" "$IT_TMP/app.out"
    show_file "stderr with GEOPM_PROFILE" "$IT_TMP/app.err"
fi
tap_done
