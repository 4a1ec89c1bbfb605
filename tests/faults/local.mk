# Fault scenarios (issue 6, part 1): the runtime survives its controller
# and its processes failing.  Without MPI: the "ranks" are marker_app
# processes under a real geopmctl (the MPI fault tests are in tests/mpi).
fault_programs = \
    tests/faults/marker_app \
    tests/faults/claim_victim \
    tests/faults/attach_race \
    tests/faults/stale_job

check_PROGRAMS += $(fault_programs)

tests_faults_marker_app_SOURCES = tests/faults/marker_app.c
tests_faults_marker_app_LDADD = preload/libgeopm.la
# A real program in the build tree, not a libtool wrapper script: the
# scenarios start it hundreds of times, some as another user.
tests_faults_marker_app_LDFLAGS = -no-install

# The victim sets geopm__job_claim_hook: it needs the runtime's internals.
tests_faults_claim_victim_SOURCES = tests/faults/claim_victim.c
tests_faults_claim_victim_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm
tests_faults_claim_victim_LDADD = preload/libgeopm_core.la

# The job API directly, without the runtime or geopmctl.
tests_faults_attach_race_SOURCES = tests/faults/attach_race.c
tests_faults_attach_race_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm
tests_faults_attach_race_LDADD = libshm/libgeopmd_core.la

tests_faults_stale_job_SOURCES = tests/faults/stale_job.c
tests_faults_stale_job_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm
tests_faults_stale_job_LDADD = libshm/libgeopmd_core.la

fault_tests = \
    tests/faults/test_faults_controller_killed.sh \
    tests/faults/test_faults_controller_stopped.sh \
    tests/faults/test_faults_no_controller.sh \
    tests/faults/test_faults_lock_holder_dies.sh \
    tests/faults/test_faults_crash_cleanup.sh \
    tests/faults/test_faults_attach_race.sh

TESTS += $(fault_tests)
EXTRA_DIST += $(fault_tests) \
    tests/faults/faults_common.sh \
    tests/faults/fault_check.py
