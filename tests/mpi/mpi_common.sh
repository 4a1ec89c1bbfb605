# Sourced by the MPI integration test scripts (bash): TAP output, the MPI
# flavour under test, geopmctl and mpirun runs, and a cleanup that always
# runs and ends only what the script started (by pid).

. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"
MPI_REPORT=$abs_top_srcdir/tests/mpi/mpi_report.py
MPI_BIN=$abs_top_builddir/tests/mpi
PRELOAD_OPENMPI=$abs_top_builddir/preload/.libs/libgeopm_preload.so
PRELOAD_MPICH=$abs_top_builddir/preload/.libs/libgeopm_preload_mpich.so
# Four ranks on however many cores: oversubscription is the point.
# shellcheck disable=SC2034 # used by the scripts that source this file
NPROC=4

unset LD_PRELOAD
# The tests run as root in CI, with more ranks than cores.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1

# Waits poll every 20 ms: all_attached reads all of /proc each time, on
# cores the oversubscribed ranks need.
WAIT_POLL=0.02

# report CHECK ARGS...: one check of mpi_report.py.
report() {
    python3 "$MPI_REPORT" "$@"
}

# ---- the temporary folder, keys and the cleanup ----------------------------

MPI_TMP=$(mktemp -d "${TMPDIR:-/tmp}/geopm-mpi.XXXXXX") || tap_skip_all "cannot make a temporary folder"
MPI_KEYS=()
MPI_CONTROLLERS=()

# new_key VAR NAME: sets VAR to a segment key of this test only, which the
# cleanup removes.
new_key() {
    printf -v "$1" '%s' "/geopm-mpi-$$-$2"
    MPI_KEYS+=("${!1}")
}

# descendants PID: the pids of every process below PID, from one pass over
# /proc (no process is matched by name).
descendants() {
    local stat line rest pid queue
    local -A children=()
    for stat in /proc/[0-9]*/stat; do
        { read -r line <"$stat"; } 2>/dev/null || continue
        pid=${line%% *}
        rest=${line##*) }
        rest=${rest#* }
        children[${rest%% *}]+=" $pid"
    done
    queue=${children[$1]:-}
    while [ -n "${queue// /}" ]; do
        queue=${queue# }
        pid=${queue%% *}
        queue=${queue#"$pid"}
        echo "$pid"
        queue+=${children[$pid]:-}
    done
}

# kill_tree PID: SIGKILL to PID's descendants, then to PID.
kill_tree() {
    local pid
    for pid in $(descendants "$1"); do
        kill -KILL "$pid" 2>/dev/null
    done
    kill -KILL "$1" 2>/dev/null
}

mpi_cleanup() {
    local name pid key
    # Not a word about the jobs killed here.
    exec 2>/dev/null
    for name in "${MPI_CONTROLLERS[@]}"; do
        if [ ! -e "$MPI_TMP/$name.rc" ] && [ -s "$MPI_TMP/$name.pid" ]; then
            kill -KILL "$(cat "$MPI_TMP/$name.pid")" 2>/dev/null
        fi
    done
    for pid in $(jobs -p); do
        kill_tree "$pid"
    done
    for key in "${MPI_KEYS[@]}"; do
        rm -f "$(shm_path "$key")"
    done
    rm -rf "$MPI_TMP"
}
trap mpi_cleanup EXIT
trap 'exit 1' INT TERM HUP

# ---- the MPI flavour -------------------------------------------------------

# select_flavour openmpi|mpich: picks the launcher, the preload library and
# the suffix of the test programs (MPI_LAUNCH, MPI_PRELOAD, MPI_SUFFIX,
# MPI_NAME); returns 1, with the reason in FLAVOUR_MISSING, when that MPI
# or its preload library is not here.  configure's MPIRUN_OPENMPI and
# MPIEXEC_MPICH come first, then PATH.
select_flavour() {
    MPI_FLAVOUR=$1
    FLAVOUR_MISSING=
    case $1 in
    openmpi)
        MPI_LAUNCH=${MPIRUN_OPENMPI:-no}
        [ "$MPI_LAUNCH" = no ] && MPI_LAUNCH=$(command -v mpirun.openmpi)
        MPI_PRELOAD=$PRELOAD_OPENMPI
        MPI_SUFFIX=ompi
        MPI_NAME="Open MPI"
        ;;
    mpich)
        MPI_LAUNCH=${MPIEXEC_MPICH:-no}
        [ "$MPI_LAUNCH" = no ] && MPI_LAUNCH=$(command -v mpiexec.mpich)
        MPI_PRELOAD=$PRELOAD_MPICH
        MPI_SUFFIX=mpich
        MPI_NAME=MPICH
        ;;
    *)
        bail_out "unknown MPI flavour '$1'"
        ;;
    esac
    if [ -z "$MPI_LAUNCH" ]; then
        FLAVOUR_MISSING="$MPI_NAME is not installed (no launcher)"
    elif [ ! -f "$MPI_PRELOAD" ]; then
        FLAVOUR_MISSING="the $MPI_NAME preload library is not built ($MPI_PRELOAD)"
    fi
    [ -z "$FLAVOUR_MISSING" ]
}

# use_flavour openmpi|mpich: select_flavour, or skip the whole script; also
# skips it without geopmctl, python3's yaml or timeout.
use_flavour() {
    select_flavour "$1" || tap_skip_all "$FLAVOUR_MISSING"
    [ -x "$GEOPMCTL" ] || tap_skip_all "geopmctl is not built ($GEOPMCTL)"
    python3 -c 'import yaml' 2>/dev/null || tap_skip_all "python3 with yaml is required"
    command -v timeout >/dev/null || tap_skip_all "timeout (coreutils) is required"
}

# program NAME: the path of test program NAME built for the flavour.
program() {
    echo "$MPI_BIN/${1}_$MPI_SUFFIX"
}

# require_programs NAME...: skips the whole script when one is not built.
require_programs() {
    local name
    for name in "$@"; do
        [ -x "$(program "$name")" ] ||
            tap_skip_all "$(program "$name") is not built (no $MPI_NAME compiler?)"
    done
}

# mpi_command NP VAR=VALUE... -- COMMAND...: prints nothing, sets MPI_CMD to
# the launcher's command line that runs COMMAND on NP ranks with VAR=VALUE
# in the ranks' environment (and not in the launcher's own).
mpi_command() {
    local np=$1 setting
    shift
    MPI_CMD=("$MPI_LAUNCH")
    case $MPI_FLAVOUR in
    openmpi) MPI_CMD+=(-np "$np") ;;
    mpich) MPI_CMD+=(-n "$np") ;;
    esac
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        setting=$1
        shift
        case $MPI_FLAVOUR in
        openmpi) MPI_CMD+=(-x "$setting") ;;
        mpich) MPI_CMD+=(-genv "${setting%%=*}" "${setting#*=}") ;;
        esac
    done
    [ "${1:-}" = -- ] && shift
    MPI_CMD+=("$@")
}

# run_mpi NAME SECONDS NP VAR=VALUE... -- COMMAND...: runs COMMAND on NP
# ranks under `timeout SECONDS` (which ends the launcher's process group),
# in the foreground; stdout and stderr go to NAME.out and NAME.err.  Sets
# RUN_RC (124 or 137 when it was stopped) and RUN_WALL (seconds).
run_mpi() {
    local name=$1 seconds=$2 start
    shift 2
    mpi_command "$@"
    start=$(now)
    timeout -k 10 "$seconds" "${MPI_CMD[@]}" >"$MPI_TMP/$name.out" 2>"$MPI_TMP/$name.err" </dev/null
    # shellcheck disable=SC2034 # used by the scripts that source this file
    RUN_RC=$?
    # shellcheck disable=SC2034
    RUN_WALL=$(elapsed_since "$start")
}

# start_mpi NAME SECONDS NP VAR=VALUE... -- COMMAND...: the same in the
# background; sets MPI_JOB to the pid of `timeout`, the launcher's parent.
start_mpi() {
    local name=$1 seconds=$2
    shift 2
    mpi_command "$@"
    timeout -k 10 "$seconds" "${MPI_CMD[@]}" >"$MPI_TMP/$name.out" 2>"$MPI_TMP/$name.err" </dev/null &
    # shellcheck disable=SC2034 # used by the scripts that source this file
    MPI_JOB=$!
}

# rank_pids JOB PROGRAM: the pids of the processes below JOB that run
# PROGRAM (by the name the kernel gives them: at most 15 characters).
rank_pids() {
    local comm pid want=${2:0:15}
    for pid in $(descendants "$1"); do
        comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
        [ "$comm" = "$want" ] && echo "$pid"
    done
}

# rank_of PID: the MPI rank of a rank process, from its environment.
rank_of() {
    tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null |
        sed -n 's/^\(OMPI_COMM_WORLD_RANK\|PMI_RANK\)=//p' | head -n 1
}

# maps_segment PID KEY: true while PID maps the segment of KEY.
maps_segment() {
    grep -qF -- "$(shm_path "$2")" "/proc/$1/maps" 2>/dev/null
}

# all_attached JOB PROGRAM KEY N: true when N processes run PROGRAM below
# JOB and each maps the segment.
all_attached() {
    local pid count=0
    for pid in $(rank_pids "$1" "$2"); do
        maps_segment "$pid" "$3" || return 1
        count=$((count + 1))
    done
    [ "$count" -eq "$4" ]
}

# ---- real applications ---------------------------------------------------

# use_flavour_of PROGRAM: use_flavour for the MPI that PROGRAM is linked
# with, since the preload library must be that MPI's; skips the whole
# script when it cannot tell.
use_flavour_of() {
    if ldd "$1" | grep -q 'libmpich\.so'; then
        use_flavour mpich
    elif ldd "$1" | grep -q 'libmpi\.so'; then
        use_flavour openmpi
    else
        tap_skip_all "cannot tell which MPI $1 is linked with"
    fi
}

# run_plain_and_profiled ROUND LABEL SECONDS COMMAND...: runs COMMAND on
# NPROC ranks twice, each in a work folder of its own that the caller has
# prepared: without the runtime (run plainROUND, folder plainROUND.d), then
# with the preload library under geopmctl (run runROUND, folder runROUND.d,
# controller ctlROUND, report reportROUND.yaml).  Checks that both exit 0
# and appends their wall times to PLAIN_WALLS and WALLS.
PLAIN_WALLS=()
WALLS=()
run_plain_and_profiled() {
    local round=$1 label=$2 seconds=$3 key
    shift 3
    cd "$MPI_TMP/plain$round.d" || bail_out "no work folder"
    run_mpi "plain$round" "$seconds" "$NPROC" -- "$@"
    check "round $round: without the runtime $label exits 0 (got $RUN_RC)" test "$RUN_RC" = 0
    PLAIN_WALLS+=("$RUN_WALL")
    new_key key "$label$round"
    cd "$MPI_TMP/run$round.d" || bail_out "no work folder"
    start_controller "ctl$round" --key "$key" --report "$MPI_TMP/report$round.yaml" \
        --num-proc "$NPROC" --timeout 20
    run_mpi "run$round" "$seconds" "$NPROC" LD_PRELOAD="$MPI_PRELOAD" GEOPM_SHMKEY="$key" -- "$@"
    cd "$MPI_TMP" || bail_out "no temporary folder"
    check "round $round: with the runtime $label exits 0 (got $RUN_RC)" test "$RUN_RC" = 0
    WALLS+=("$RUN_WALL")
}

# print_walls WHAT: the figure of run_plain_and_profiled's rounds: the
# fastest wall time with and without the runtime, and all of them.
print_walls() {
    local fastest plain_fastest
    fastest=$(printf '%s\n' "${WALLS[@]}" | sort -g | head -n 1)
    plain_fastest=$(printf '%s\n' "${PLAIN_WALLS[@]}" | sort -g | head -n 1)
    echo "# $1, $NPROC ranks, wall time of mpirun: $fastest s with the runtime," \
        "$plain_fastest s without (fastest of ${#WALLS[@]}; all: ${WALLS[*]} / ${PLAIN_WALLS[*]})"
}

# ---- the controller --------------------------------------------------------

# start_controller NAME ARGS...: runs geopmctl --ready-line ARGS in the
# background, records its pid (NAME.pid) and exit status (NAME.rc), and
# waits for its ready line; bails out when it does not come within 10 s.
# Sets CTL_PID and CTL_START (when it was started).
start_controller() {
    local name=$1
    shift
    local base=$MPI_TMP/$name
    # shellcheck disable=SC2034 # used by the scripts that source this file
    CTL_START=$(now)
    (
        "$GEOPMCTL" --ready-line "$@" >"$base.out" 2>"$base.err" </dev/null &
        echo $! >"$base.pid"
        wait $!
        echo $? >"$base.rc"
    ) 2>/dev/null &
    MPI_CONTROLLERS+=("$name")
    if ! wait_until 10 grep -q '^geopmctl ready ' "$base.out" 2>/dev/null; then
        bail_out "geopmctl ($name) printed no ready line within 10 s" "$base.out" "$base.err"
    fi
    # shellcheck disable=SC2034 # used by the scripts that source this file
    CTL_PID=$(cat "$base.pid")
}

# wait_controller NAME SECONDS: prints the controller's exit status once it
# has exited, or "timeout".
wait_controller() {
    if wait_until "$2" test -e "$MPI_TMP/$1.rc"; then
        cat "$MPI_TMP/$1.rc"
    else
        echo timeout
    fi
}

# ---- common checks ---------------------------------------------------------

# counts_line RANKS BARRIERS ALLREDUCES: the line counts.c (and counts.F90)
# print on rank 0 for these arguments.
counts_line() {
    awk -v n="$1" -v b="$2" -v a="$3" 'BEGIN {
        printf "counts: ranks %d barriers %d allreduces %d total %d\n", n, b, a,
               a * (a + 1) / 2 * n * (n + 1) / 2 }'
}

# check_exact_counts PREFIX REPORT BARRIERS ALLREDUCES: the checks of a run
# of counts.c or counts.F90 (descriptions start with PREFIX): the report
# counts exactly these calls for the host and for each of the NPROC ranks,
# and no region other than theirs.
check_exact_counts() {
    local prefix=$1 report_path=$2 barriers=$3 allreduces=$4
    check "${prefix}host MPI_Barrier count is exactly $barriers" \
        report region-count "$report_path" MPI_Barrier "$barriers"
    check "${prefix}host MPI_Allreduce count is exactly $allreduces" \
        report region-count "$report_path" MPI_Allreduce "$allreduces"
    check "${prefix}every rank counts exactly $barriers MPI_Barrier" \
        report process-counts "$report_path" MPI_Barrier "$barriers" "$NPROC"
    check "${prefix}every rank counts exactly $allreduces MPI_Allreduce" \
        report process-counts "$report_path" MPI_Allreduce "$allreduces" "$NPROC"
    check "${prefix}no other region: MPI's own inner calls are not counted" \
        report regions-exactly "$report_path" MPI_Allreduce MPI_Barrier
}

# same_output EXPECTED_FILE GOT_FILE: the files (or pipes) are equal; the
# diff, or the number of equal lines, as output.
same_output() {
    local expected got
    expected=$(cat "$1") || return 2
    got=$(cat "$2") || return 2
    diff <(printf '%s\n' "$expected") <(printf '%s\n' "$got") &&
        echo "equal ($(printf '%s' "$got" | grep -c '') lines)"
}

# show_run NAME: the run's output files, as comments.
show_run() {
    show_file "$1 stdout" "$MPI_TMP/$1.out"
    show_file "$1 stderr" "$MPI_TMP/$1.err"
}

# show_on_failure FILE...: when a check failed, shows each file (a path,
# or the name of a run or controller in the temporary folder).
show_on_failure() {
    local item
    [ "$TAP_FAILED" -gt 0 ] || return 0
    for item in "$@"; do
        if [ -e "$item" ]; then
            show_file "$(basename "$item")" "$item"
        else
            show_run "$item"
        fi
    done
}

# check_profiled_run ROUND PROGRAM: the checks of a real application run
# under the runtime by run_plain_and_profiled ROUND: nothing from the
# runtime on stderr, geopmctl's exit, and a report of the NPROC ranks of
# PROGRAM, finished, with MPI regions.
check_profiled_run() {
    local round=$1 program_name=$2 report_path=$MPI_TMP/report$1.yaml ctl_rc
    check "round $round: the runtime writes nothing to stderr" \
        test -z "$(grep '^geopm' "$MPI_TMP/run$round.err")"
    ctl_rc=$(wait_controller "ctl$round" 30)
    check "round $round: geopmctl exits 0 (got $ctl_rc)" test "$ctl_rc" = 0
    [ -s "$report_path" ] || bail_out "geopmctl wrote no report" "$MPI_TMP/ctl$round.err" \
        "$MPI_TMP/run$round.err"
    check "round $round: the report is GEOPM's YAML report" report loads "$report_path"
    check "round $round: the report lists the $NPROC ranks of $program_name, finished" \
        report processes "$report_path" "$NPROC" "$program_name"
    check "round $round: the report lists MPI regions, counts above zero, network time" \
        report mpi-regions "$report_path"
}
