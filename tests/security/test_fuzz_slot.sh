#!/bin/bash
# Garbage in the segment (issue 6, scenario 7): libFuzzer runs the
# controller's readers of the job header and of a slot (fuzz_slot.c) on
# damaged input, under AddressSanitizer and UndefinedBehaviorSanitizer, for a
# bounded time: 0 crashes, 0 sanitizer reports.
#
# The automake build uses gcc, which has no libFuzzer: the target is built
# here with clang, from the libshm sources themselves, and kept in the build
# tree until a source changes.  GEOPM_FUZZ_SECONDS sets the run time (20 s
# here; scripts/fuzz runs it longer), GEOPM_FUZZ_CC the compiler.
# Read before tap.sh, which clears every GEOPM_* variable.
FUZZ_CC=${GEOPM_FUZZ_CC:-clang}
FUZZ_SECONDS=${GEOPM_FUZZ_SECONDS:-20}
. "$(dirname "$0")/../tap.sh"

case $FUZZ_SECONDS in
'' | *[!0-9]*) echo "GEOPM_FUZZ_SECONDS must be a whole number of seconds, not \"$FUZZ_SECONDS\"" >&2
    exit 2 ;;
esac
TARGET=$abs_top_builddir/tests/security/test_fuzz_slot
SOURCES=("$abs_top_srcdir/tests/security/fuzz_slot.c" "$abs_top_srcdir"/libshm/*.c)
# shellcheck disable=SC2054 # the commas are part of -fsanitize=
FUZZ_FLAGS=(-std=c11 -Wall -Wextra -Werror -Wshadow -g -O1 -fno-omit-frame-pointer
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/geopm-fuzz.XXXXXX") || tap_skip_all "cannot make a temporary folder"
trap 'rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM HUP

command -v "$FUZZ_CC" >/dev/null ||
    tap_skip_all "no $FUZZ_CC to build the fuzzer with (scripts/setup installs clang)"
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\n%s\n' \
    'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return (int)(d && n) * 0; }' \
    >"$WORK/probe.c"
"$FUZZ_CC" -fsanitize=fuzzer,address,undefined "$WORK/probe.c" -o "$WORK/probe" 2>/dev/null ||
    tap_skip_all "$FUZZ_CC has no libFuzzer runtime (Debian: libclang-rt-14-dev, which scripts/setup installs)"

# The target is kept with a checksum of what it was built from (sources,
# headers, flags, compiler), not judged by times: a copied tree keeps
# the sources' old times.
source_sum() {
    {
        cat "${SOURCES[@]}" "$abs_top_srcdir"/libshm/*.h "$abs_top_srcdir"/include/*.h \
            "$abs_top_builddir/config.h"
        echo "${FUZZ_FLAGS[*]}"
        "$FUZZ_CC" --version
    } 2>/dev/null | sha256sum | cut -d' ' -f1
}

# needs_build: true when the target is missing or was built from other sources.
needs_build() {
    [ -x "$TARGET" ] && [ "$(cat "$TARGET.sum" 2>/dev/null)" = "$(source_sum)" ] && return 1
    return 0
}

build_target() {
    mkdir -p "$(dirname "$TARGET")" &&
        "$FUZZ_CC" "${FUZZ_FLAGS[@]}" -I"$abs_top_builddir" -I"$abs_top_srcdir/include" \
            -I"$abs_top_srcdir/libshm" "${SOURCES[@]}" -o "$TARGET.tmp" &&
        mv "$TARGET.tmp" "$TARGET" && source_sum >"$TARGET.sum"
}

if needs_build; then
    check "the fuzz target builds with $FUZZ_CC -fsanitize=fuzzer,address,undefined" build_target ||
        bail_out "no fuzz target, no test"
else
    tap_ok "the fuzz target is up to date ($TARGET)"
fi

# Seeds: the control block is region_max (u16), event_max (u16), flags (u8)
# and the mapping size (u32), little-endian; patches follow (area u8,
# offset u16, length-1 u8, bytes).  An empty input reads the good slot.
mkdir -p "$WORK/seeds" "$WORK/corpus"
: >"$WORK/seeds/empty"
# Every region and event, and a mapping that holds the header and one slot.
printf '\x00\x01\x00\x04\x00\xc0\x61\x01\x00' >"$WORK/seeds/all"
# As above, with the region count (info + 96) raised to 4 and the ring's head
# (info + 192) moved behind its tail.
printf '\x00\x01\x00\x04\x00\xc0\x61\x01\x00\x01\x60\x00\x03\x04\x00\x00\x00\x01\xc0\x00\x07\x02\x00\x00\x00\x00\x00\x00\x00' \
    >"$WORK/seeds/damaged"

start=$EPOCHREALTIME
"$TARGET" -max_total_time="$FUZZ_SECONDS" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$WORK/" "$WORK/corpus" "$WORK/seeds" >"$WORK/fuzz.log" 2>&1
status=$?
took=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/fuzz.log")
coverage=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$WORK/fuzz.log" | tail -n 1 |
    sed -n 's/.*\(cov: [0-9]*\) \(ft: [0-9]*\) \(corp: [0-9/a-zA-Z]*\).*/\1 edges, \2 features, \3/p')
reports=$(grep -cE '^(==[0-9]+==ERROR|SUMMARY: |.*runtime error: )' "$WORK/fuzz.log")
crashes=$(find "$WORK" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'leak-*' \
    -o -maxdepth 1 -name 'timeout-*' -o -maxdepth 1 -name 'oom-*' | wc -l)
echo "# fuzzing: ${executions:-0} executions in $took s (asked $FUZZ_SECONDS s); ${coverage:-no coverage line}"
echo "# crashes: $crashes, sanitizer reports: $reports (criterion: 0 and 0)"
check "libFuzzer ran the readers ${executions:-0} times and ended normally (status $status)" \
    test "$status" = 0 -a "${executions:-0}" -gt 0
check "0 crashes and 0 sanitizer reports (found $crashes and $reports)" \
    test "$crashes" = 0 -a "$reports" = 0

if [ "$TAP_FAILED" -gt 0 ]; then
    grep -B2 -A30 -m1 -E '(ERROR|runtime error)' "$WORK/fuzz.log" | tap_comment
    for input in "$WORK"/crash-* "$WORK"/leak-* "$WORK"/timeout-*; do
        [ -e "$input" ] || continue
        echo "# input $(basename "$input"):"
        od -A d -t x1 "$input" | head -n 20 | tap_comment
    done
    tail -n 20 "$WORK/fuzz.log" | tap_comment
fi
tap_done
