#!/bin/bash
# Issue 6, scenario 14: two jobs of two users on one node with the same
# default settings (no GEOPM_SHMKEY, no --key).  First each user runs
# geopmctl and two region_app processes at the same time; then root runs
# geopmctl --user for each of them at once.  Both jobs succeed, and each
# report lists exactly its own two processes, with exact counts.
. "$(dirname "$0")/sec_common.sh"
require_built
sec_require_root "two jobs of two users"
if ! command -v useradd >/dev/null || ! command -v userdel >/dev/null; then
    tap_skip_all "useradd and userdel are required to make two users"
fi
sec_reachable_programs

ITERATIONS=20
APP_ARGS=(--iterations "$ITERATIONS" --compute-ms 2 --memory-ms 1)
CTL_ARGS=(--num-proc 2 --timeout 10)
END_LIMIT=10 # seconds for a controller to end once its ranks are done

sec_add_user USER_A
sec_add_user USER_B
USERS=("$USER_A" "$USER_B")
for user in "${USERS[@]}"; do
    IT_KEYS+=("/geopm-shm-$(id -u "$user")") # the default key, for the cleanup
    if ! mkdir -m 700 "$IT_TMP/$user" || ! chown "$user:$(id -g "$user")" "$IT_TMP/$user"; then
        bail_out "cannot make a folder for $user"
    fi
done

# run_jobs HOW: HOW is "user" (each user runs geopmctl) or "root" (root
# runs geopmctl --user USER); then the checks of both jobs.
run_jobs() {
    local how=$1 user id report
    declare -A pids=()
    for user in "${USERS[@]}"; do
        id="$(id -u "$user"):$(id -g "$user")"
        report=$IT_TMP/$user/$how-report.yaml
        if [ "$how" = user ]; then
            sec_command_as "$id" geopmctl
            GEOPMCTL=${SEC_COMMAND[0]} start_controller "$how-$user" "${SEC_COMMAND[@]:1}" \
                --report "$report" "${CTL_ARGS[@]}"
        else
            start_controller "$how-$user" --user "$user" --report "$report" "${CTL_ARGS[@]}"
        fi
    done
    for user in "${USERS[@]}"; do
        expect_segment "/geopm-shm-$(id -u "$user")" "$how-$user"
    done
    RANK_PIDS=()
    for user in "${USERS[@]}"; do
        sec_command_as "$(id -u "$user"):$(id -g "$user")" region_app
        for rank in 0 1; do
            GEOPM_PROFILE=it-sec-two REGION_APP=${SEC_COMMAND[0]} \
                start_rank "$how-$user-$rank" "${SEC_COMMAND[@]:1}" "${APP_ARGS[@]}"
            pids[$user]="${pids[$user]} ${RANK_PIDS[-1]}"
        done
    done
    local pid status bad=""
    for pid in "${RANK_PIDS[@]}"; do
        wait "$pid"
        status=$?
        [ "$status" = 0 ] || bad="$bad $pid:$status"
    done
    check "$how: the 4 processes exit 0${bad:+ (not:$bad)}" test -z "$bad"
    for user in "${USERS[@]}"; do
        report=$IT_TMP/$user/$how-report.yaml
        status=$(wait_controller "$how-$user" "$END_LIMIT")
        check "$how: the controller of $user exits 0 (got $status)" test "$status" = 0
        [ -s "$report" ] || show_file "geopmctl stderr" "$IT_TMP/$how-$user.err"
        check "$how: the report of $user lists 2 processes" report process-count "$report" 2
        for pid in ${pids[$user]}; do
            check "$how: the report of $user has its process $pid, finished" \
                report process-status "$report" "$pid" finished region_app
            check "$how: process $pid of $user counts exactly $ITERATIONS regions and epochs" \
                process_counts "$report" "$pid" "$ITERATIONS" "$ITERATIONS" "$ITERATIONS"
        done
    done
}

run_jobs user
run_jobs root
tap_done
