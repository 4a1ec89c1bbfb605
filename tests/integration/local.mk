# Integration tests without MPI: region_app (an annotated program linked
# with libgeopm) run under a real geopmctl; each script prints TAP.
check_PROGRAMS += tests/integration/region_app
tests_integration_region_app_SOURCES = tests/integration/region_app.c
tests_integration_region_app_CFLAGS = $(AM_CFLAGS)
tests_integration_region_app_LDADD = preload/libgeopm.la

integration_tests = \
    tests/integration/test_core_report.sh \
    tests/integration/test_core_daemon.sh \
    tests/integration/test_core_dead_rank.sh \
    tests/integration/test_core_no_controller.sh \
    tests/integration/test_core_no_profile.sh \
    tests/integration/test_core_trace.sh

TESTS += $(integration_tests)
EXTRA_DIST += $(integration_tests) \
    tests/integration/common.sh \
    tests/integration/report_check.py
