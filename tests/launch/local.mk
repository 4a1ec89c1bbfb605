# geopmlaunch: its dry-run output for each launcher, its refusals, and real
# runs with stand-in launchers (fake_mpi.py); no MPI needed.  The test runs
# the script that make generates, so make check builds it first.
check_SCRIPTS += scripts/geopmlaunch
TESTS += tests/launch/test_geopmlaunch_dry_run.sh
EXTRA_DIST += \
    tests/launch/test_geopmlaunch_dry_run.sh \
    tests/launch/check_geopmlaunch.py \
    tests/launch/fake_mpi.py
