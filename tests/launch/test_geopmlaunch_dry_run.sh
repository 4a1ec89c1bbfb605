#!/bin/bash
# geopmlaunch's --geopm-dry-run output for each launcher, its refusals, and
# a few real runs with stand-in launchers and controller (no MPI needed).
# The checks are in check_geopmlaunch.py; they print TAP.
. "$(dirname "$0")/../tap.sh"

geopmlaunch=$abs_top_builddir/scripts/geopmlaunch
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 is not installed"
[ -f "$geopmlaunch" ] || tap_skip_all "$geopmlaunch is not built (make scripts/geopmlaunch)"
# The checks find geopmctl and the preload libraries from it.
export abs_top_builddir
exec python3 "$abs_top_srcdir/tests/launch/check_geopmlaunch.py" "$geopmlaunch"
