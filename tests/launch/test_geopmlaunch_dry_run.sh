#!/bin/sh
# geopmlaunch's --geopm-dry-run output for each launcher, its refusals, and
# a few real runs with stand-in launchers and controller (no MPI needed).
# The checks are in check_geopmlaunch.py; they print TAP.

# make check exports both; run by hand from a build in the source tree,
# the script's own path gives them.
if [ -z "${abs_top_srcdir:-}" ]; then
    abs_top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
fi
abs_top_builddir=${abs_top_builddir:-$abs_top_srcdir}
export abs_top_builddir

geopmlaunch=$abs_top_builddir/scripts/geopmlaunch
if ! command -v python3 >/dev/null 2>&1; then
    echo "1..0 # SKIP python3 is not installed"
    exit 0
fi
if [ ! -f "$geopmlaunch" ]; then
    echo "1..0 # SKIP $geopmlaunch is not built (make scripts/geopmlaunch)"
    exit 0
fi
exec python3 "$abs_top_srcdir/tests/launch/check_geopmlaunch.py" "$geopmlaunch"
