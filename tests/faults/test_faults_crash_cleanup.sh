#!/bin/bash
# Fault 5: crash clean-up.  20 jobs (geopmctl and 2 marker_app processes
# each) are killed whole with SIGKILL, in two waves of 10 running side by
# side; each wave has one job on the default key (/geopm-shm-<uid>), the
# others on unique keys as geopmlaunch makes them (/geopm-<uid>-<pid>-<hex>).
# Then a live job starts on another key, wave B is killed, and one more
# segment is left whose controller pid now names a live process started at
# another time (a reused pid).  Criteria: every geopmctl start succeeds,
# never "File exists" (wave B's default-key job starts on wave A's dead
# segment); each start removes the dead jobs' segments (wave B's starts
# remove wave A's, the next start removes wave B's and the reused-pid one):
# 0 left in /dev/shm; the live jobs' segments are never touched, and the
# live job finishes with exact counts.
#
# The jobs run as a user of their own (an unused uid, through setpriv, when
# the test runs as root), so that the default key and the sweep of that
# user's segments meet no other test's jobs.
. "$(dirname "$0")/faults_common.sh"
require_programs "$MARKER_APP" "$STALE_JOB"

WAVE_JOBS=10
NPROC=2
PROFILE=faults-cleanup

if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || tap_skip_all "setpriv is needed to run the jobs as another user"
    JOB_UID=$((60000 + $$ % 5000))
    while [ -n "$(find /dev/shm -maxdepth 1 -user "$JOB_UID" -print -quit)" ] ||
        ps -u "$JOB_UID" >/dev/null 2>&1; do
        JOB_UID=$((JOB_UID + 1))
    done
    AS_USER=(setpriv --reuid="$JOB_UID" --regid="$JOB_UID" --clear-groups --)
else
    JOB_UID=$(id -u)
    AS_USER=()
fi
echo "# the jobs run as uid $JOB_UID"
chmod 711 "$IT_TMP"
mkdir "$IT_TMP/user" && chown "$JOB_UID" "$IT_TMP/user"

# geopmctl and marker_app as that user: start_controller and start_marker
# run "$GEOPMCTL" and "$MARKER_APP" in a background subshell, where exec
# keeps the pid they record.
REAL_GEOPMCTL=$GEOPMCTL
REAL_MARKER_APP=$MARKER_APP
user_geopmctl() { exec "${AS_USER[@]}" "$REAL_GEOPMCTL" "$@"; }
user_marker_app() { exec "${AS_USER[@]}" "$REAL_MARKER_APP" "$@"; }
GEOPMCTL=user_geopmctl
MARKER_APP=user_marker_app

DEFAULT_KEY=/geopm-shm-$JOB_UID
IT_KEYS+=("$DEFAULT_KEY")

# unique_key VAR: a key as geopmlaunch makes one, which the cleanup removes.
unique_key() {
    printf -v "$1" '/geopm-%s-%s-%04x%04x' "$JOB_UID" "$$" $RANDOM $RANDOM
    IT_KEYS+=("${!1}")
}

# start_job NAME KEY PAIRS PAUSE_US [--report PATH]: geopmctl on KEY
# ("default": no --key, no GEOPM_SHMKEY) and NPROC marker_app processes
# attached to it; false when geopmctl made no segment.  The processes'
# pids are in RANK_PIDS.
start_job() {
    local name=$1 key=$2 pairs=$3 pause=$4 i
    shift 4
    local key_args=(--key "$key") path=$key
    if [ "$key" = default ]; then
        key_args=()
        path=$DEFAULT_KEY
    fi
    start_controller "$name" "${key_args[@]}" --num-proc "$NPROC" --profile "$PROFILE" \
        --timeout 30 "$@"
    wait_for_file "$(shm_path "$path")" 5 || return 1
    RANK_PIDS=()
    RANK_NAMES=()
    for i in $(seq 1 "$NPROC"); do
        if [ "$key" = default ]; then
            GEOPM_PROFILE=$PROFILE GEOPM_TIMEOUT=5 start_marker "$name-p$i" "$pairs" 1 "$pause"
        else
            GEOPM_PROFILE=$PROFILE GEOPM_SHMKEY=$key GEOPM_TIMEOUT=5 \
                start_marker "$name-p$i" "$pairs" 1 "$pause"
        fi
    done
    wait_mapped "$path" 5 "${RANK_PIDS[@]}"
}

# run_wave NAME: starts WAVE_JOBS jobs that run until killed; the first on
# the default key.  Sets WAVE_KEYS (segment keys), WAVE_PIDS (all their
# processes, controllers first) and WAVE_STARTED (jobs fully started).
run_wave() {
    local j key
    WAVE_KEYS=()
    WAVE_PIDS=()
    WAVE_CTLS=()
    WAVE_STARTED=0
    for j in $(seq 1 "$WAVE_JOBS"); do
        if [ "$j" = 1 ]; then
            key=default
            WAVE_KEYS+=("$DEFAULT_KEY")
        else
            unique_key key
            WAVE_KEYS+=("$key")
        fi
        start_job "$1-$j" "$key" 1000000 1000 && WAVE_STARTED=$((WAVE_STARTED + 1))
        WAVE_CTLS+=("$1-$j")
        WAVE_PIDS+=("$CTL_PID" "${RANK_PIDS[@]}")
    done
}

# kill_wave: the whole of every job of the wave, at once.
kill_wave() {
    local pid name
    kill -KILL "${WAVE_PIDS[@]}" 2>/dev/null
    for name in "${WAVE_CTLS[@]}"; do
        wait_controller "$name" 5 >/dev/null
    done
    for pid in "${WAVE_PIDS[@]}"; do
        wait "$pid" 2>/dev/null
    done
}

# segments_left KEY...: how many of the keys have a file in /dev/shm.
segments_left() {
    local key count=0
    for key in "$@"; do
        [ -e "$(shm_path "$key")" ] && count=$((count + 1))
    done
    echo "$count"
}

# no_file_exists: no geopmctl of this test said "File exists" or failed
# because its key was taken.
no_file_exists() {
    ! grep -H -e 'File exists' -e 'is taken' -e 'in use' "$IT_TMP"/*.err
}

run_wave a
wave_a_keys=("${WAVE_KEYS[@]}")
wave_a_started=$WAVE_STARTED
kill_wave
dead_a=$(segments_left "${wave_a_keys[@]}")
check "wave A: $WAVE_JOBS jobs started ($wave_a_started), were killed whole and left $dead_a dead segments" \
    test "$wave_a_started" = "$WAVE_JOBS" -a "$dead_a" = "$WAVE_JOBS"

run_wave b
wave_b_keys=("${WAVE_KEYS[@]}")
wave_b_alive=$(segments_left "${wave_b_keys[@]}")
left_a=$(segments_left "${wave_a_keys[@]:1}")
check "wave B: $WAVE_JOBS jobs started ($WAVE_STARTED), the first on wave A's dead default key" \
    test "$WAVE_STARTED" = "$WAVE_JOBS"
check "wave B's starts removed wave A's dead segments on unique keys ($left_a of $((WAVE_JOBS - 1)) left)" \
    test "$left_a" = 0
check "wave B's own live segments stayed while its jobs started ($wave_b_alive of $WAVE_JOBS)" \
    test "$wave_b_alive" = "$WAVE_JOBS"

# The live job, started before wave B dies: about 2 s of markers, to outlive
# the next start.
LIVE_PAIRS=2000
unique_key live_key
start_job live "$live_key" "$LIVE_PAIRS" 1000 --report "$IT_TMP/user/live.yaml"
live_started=$?
live_pids=("${RANK_PIDS[@]}")
live_names=("${RANK_NAMES[@]}")
check "the live job started on $live_key" test "$live_started" = 0
kill_wave
dead_b=$(segments_left "${wave_b_keys[@]}")
check "wave B was killed whole and left $dead_b dead segments" test "$dead_b" = "$WAVE_JOBS"

# A dead controller whose pid now names a live process: this shell, which
# started long before the segment's recorded controller start.
unique_key reused_key
"${AS_USER[@]}" "$STALE_JOB" "$reused_key" "$$"
check "a segment whose controller pid ($$) was reused by a live process is in place" \
    test -e "$(shm_path "$reused_key")"

# The next start: a short job of its own.
unique_key next_key
start_job next "$next_key" 100 1000
next_started=$?
next_rc=$(wait_controller next 10)
left_b=$(segments_left "${wave_b_keys[@]}")
left_all=$(segments_left "${wave_a_keys[@]}" "${wave_b_keys[@]}" "$reused_key")
live_running=0
for pid in "${live_pids[@]}"; do
    running "$pid" && live_running=$((live_running + 1))
done
check "the next geopmctl start ran its job (status $next_rc)" test "$next_started" = 0 -a "$next_rc" = 0
check "it removed wave B's dead segments ($left_b of $WAVE_JOBS left) and the reused pid's" \
    test "$left_b" = 0 -a ! -e "$(shm_path "$reused_key")"
echo "# dead segments left in /dev/shm: $left_all of $((2 * WAVE_JOBS + 1)) (criterion 0)"
check "0 dead segments are left ($left_all)" test "$left_all" = 0
check "the live job's segment is untouched while it runs ($live_running of $NPROC processes running)" \
    test -e "$(shm_path "$live_key")" -a "$live_running" = "$NPROC"
removed=$(cat "$IT_TMP"/*.err | grep -c 'removed the stale segment')
echo "# geopmctl starts reported $removed stale segments removed (expected $((2 * WAVE_JOBS + 1)))"
check "geopmctl named each segment it removed ($removed messages)" \
    test "$removed" = $((2 * WAVE_JOBS + 1))
check "no geopmctl start failed with \"File exists\" or a taken key" no_file_exists

RANK_PIDS=("${live_pids[@]}")
RANK_NAMES=("${live_names[@]}")
wait_ranks 30
live_rc=$(wait_controller live 10)
check "the live job's processes exit 0, every call returns 0" ranks_ok
check "the live job's geopmctl ends with status 0 ($live_rc)" test "$live_rc" = 0
echo "$IT_TMP/user/live.yaml $LIVE_PAIRS $LIVE_PAIRS - ${live_pids[*]}" >"$IT_TMP/manifest"
check "the live job's report counts its processes exactly" fault_check jobs "$IT_TMP/manifest"
if [ "$TAP_FAILED" -gt 0 ]; then
    for name in a-1 b-1 live next; do
        show_file "geopmctl $name stderr" "$IT_TMP/$name.err"
    done
fi
tap_done
