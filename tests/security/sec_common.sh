# shellcheck shell=bash
# Sourced by the security test scripts (bash), after which they have what
# tests/integration/common.sh gives, plus: other users, copies of the
# programs that other users can run, segments held by sec_segment, and
# fingerprints of files that must not change.

. "$(dirname "${BASH_SOURCE[0]}")/../integration/common.sh"
SEC_SEGMENT=$abs_top_builddir/tests/security/sec_segment
# The unprivileged users of the tests: nobody, and a uid that no file of
# the system belongs to (setuid needs no account for it).
# shellcheck disable=SC2034 # used by the scripts that source this file
SEC_NOBODY=65534
# shellcheck disable=SC2034
SEC_OTHER=65533

SEC_USERS=()    # accounts made by sec_add_user
SEC_HOLDERS=()  # pids of sec_segment hold
SEC_PATHS=()    # files, links, FIFOs and folders planted by the test

sec_cleanup() {
    local pid path name
    for pid in "${SEC_HOLDERS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${SEC_HOLDERS[@]}"; do
        wait "$pid" 2>/dev/null
    done
    it_cleanup
    for path in "${SEC_PATHS[@]}"; do
        if [ -d "$path" ] && [ ! -L "$path" ]; then
            rm -rf -- "$path"
        else
            rm -f -- "$path"
        fi
    done
    # Last: userdel refuses a user that still runs a process.
    for name in "${SEC_USERS[@]}"; do
        userdel "$name" 2>/dev/null
    done
}
trap sec_cleanup EXIT

# sec_require_root WHAT: skips the whole script unless it runs as root.
sec_require_root() {
    [ "$(id -u)" = 0 ] || tap_skip_all "$1 needs root (to act as other users), this is uid $(id -u)"
    command -v setpriv >/dev/null || tap_skip_all "setpriv (util-linux) is required"
    [ -x "$SEC_SEGMENT" ] || tap_skip_all "sec_segment is not built ($SEC_SEGMENT)"
}

# sec_track PATH: removes PATH (a file, link, FIFO or folder) at the end.
sec_track() {
    SEC_PATHS+=("$1")
}

# sec_add_user VAR: makes a system account with a group of its own, named
# after this test, sets VAR to its name; the cleanup removes it.
sec_add_user() {
    local name="geopmsec$$${#SEC_USERS[@]}"
    useradd --system --no-create-home --user-group --shell /usr/sbin/nologin "$name" ||
        bail_out "useradd $name failed"
    SEC_USERS+=("$name")
    printf -v "$1" '%s' "$name"
}

# sec_reachable_programs: copies the real programs (not libtool's wrapper
# scripts) and the shared libraries of the build into a folder every user
# can read, since the build may sit under a folder other users cannot
# enter.  Sets SEC_BIN (geopmctl, region_app, sec_segment there) and
# SEC_LIBS (for LD_LIBRARY_PATH).
sec_reachable_programs() {
    local program lib
    SEC_BIN=$IT_TMP/reachable
    SEC_LIBS=$SEC_BIN/lib
    mkdir -p "$SEC_LIBS" || bail_out "cannot make $SEC_LIBS"
    for program in controller/geopmctl tests/integration/region_app tests/security/sec_segment; do
        # libtool's execute mode replaces a wrapper script by the program it
        # runs; a program built without shared libraries is copied as it is.
        "$abs_top_builddir/libtool" --mode=execute cp "$abs_top_builddir/$program" "$SEC_BIN/" ||
            bail_out "cannot copy $program"
    done
    for lib in "$abs_top_builddir"/libshm/.libs/libgeopmd.so* \
        "$abs_top_builddir"/preload/.libs/libgeopm.so*; do
        [ -e "$lib" ] && cp -L "$lib" "$SEC_LIBS/"
    done
    # IT_TMP itself is private (mktemp -d); only the path down to the copies
    # is opened up.
    chmod 755 "$IT_TMP" "$SEC_BIN" "$SEC_LIBS"
}

# sec_command_as UID[:GID] PROGRAM: sets SEC_COMMAND to the command line
# that runs the copy of PROGRAM as UID and group GID (default UID), with no
# other groups, the copies' libraries and the caller's environment.  It
# starts with env, which setpriv and then PROGRAM replace: the pid of the
# command is the program's.
sec_command_as() {
    local uid=${1%%:*} gid=${1#*:}
    SEC_COMMAND=(env "LD_LIBRARY_PATH=$SEC_LIBS" setpriv --reuid="$uid" --regid="$gid"
        --clear-groups "$SEC_BIN/$2")
}

# sec_run_as UID[:GID] PROGRAM ARGS...: runs SEC_COMMAND, killed after
# SEC_RUN_LIMIT seconds (status 137): a hang must not hang the test.
SEC_RUN_LIMIT=10
sec_run_as() {
    sec_command_as "$1" "$2"
    shift 2
    timeout -s KILL "$SEC_RUN_LIMIT" "${SEC_COMMAND[@]}" "$@"
}

# sec_fingerprint PATH: one line with the type, owner, group, mode, inode,
# size and, for a regular file, the sha256 of the contents of PATH itself
# (a symlink is not followed, a FIFO is never opened).
sec_fingerprint() {
    local path=$1 what
    what=$(stat -c '%F %u:%g %a ino=%i size=%s' -- "$path") || return 1
    if [ -L "$path" ]; then
        what="$what -> $(readlink -- "$path")"
    elif [ -f "$path" ]; then
        what="$what sha256=$(sha256sum <"$path" | cut -d' ' -f1)"
    fi
    echo "$what"
}

# sec_hold NAME KEY ARGS...: runs sec_segment hold KEY ARGS in the
# background until the cleanup; bails out when the segment is not ready
# within 5 s.
sec_hold() {
    local name=$1 tries=0
    shift
    "$SEC_SEGMENT" hold "$@" >"$IT_TMP/$name.out" 2>"$IT_TMP/$name.err" &
    SEC_HOLDERS+=($!)
    while ! grep -q '^ready$' "$IT_TMP/$name.out" 2>/dev/null; do
        tries=$((tries + 1))
        if [ $tries -ge 500 ] || ! kill -0 "$!" 2>/dev/null; then
            bail_out "sec_segment hold $* did not get ready" "$IT_TMP/$name.out" "$IT_TMP/$name.err"
        fi
        sleep 0.01
    done
}

# same_result OUT1 OUT2: the two runs of region_app printed the same lines
# apart from the "measured" one (times and pid).
same_result() {
    diff <(grep -v '^region_app: measured ' "$1") <(grep -v '^region_app: measured ' "$2")
}

# has_words FILE WORD...: FILE holds every WORD (fixed strings); says which
# are missing.
has_words() {
    local file=$1 word missing=0
    shift
    for word in "$@"; do
        grep -qF -- "$word" "$file" || { echo "missing \"$word\""; missing=1; }
    done
    return $missing
}

# refused_with STATUS FILE CODE WORD...: sec_segment attach (STATUS, output
# in FILE) was refused with error CODE and a message holding every WORD.
refused_with() {
    local status=$1 file=$2 code=$3
    shift 3
    [ "$status" = 0 ] && has_words "$file" "refused: $code:" "$@"
}

# warned_once FILE WORD...: FILE (a program's stderr) is one line, saying
# the process is not profiled, and holding every WORD.
warned_once() {
    local file=$1
    shift
    [ "$(wc -l <"$file")" = 1 ] && has_words "$file" "not profiled" "$@"
}
