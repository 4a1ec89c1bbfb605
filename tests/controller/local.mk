# One cmocka program per unit of the controller; each prints TAP.
controller_tests = \
    tests/controller/test_job_reader \
    tests/controller/test_monitor \
    tests/controller/test_options \
    tests/controller/test_read_guard \
    tests/controller/test_report \
    tests/controller/test_stale

check_PROGRAMS += $(controller_tests)
UNIT_TESTS += $(controller_tests)

controller_test_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm -I$(top_srcdir)/controller
controller_test_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
controller_test_ldadd = controller/libgeopmctl.la $(CMOCKA_LIBS)

tests_controller_test_job_reader_SOURCES = tests/controller/test_job_reader.c
tests_controller_test_job_reader_CPPFLAGS = $(controller_test_cppflags)
tests_controller_test_job_reader_CFLAGS = $(controller_test_cflags)
tests_controller_test_job_reader_LDADD = libshm/libgeopmd_core.la $(CMOCKA_LIBS)

tests_controller_test_monitor_SOURCES = tests/controller/test_monitor.c
tests_controller_test_monitor_CPPFLAGS = $(controller_test_cppflags)
tests_controller_test_monitor_CFLAGS = $(controller_test_cflags)
tests_controller_test_monitor_LDADD = $(controller_test_ldadd)

tests_controller_test_options_SOURCES = tests/controller/test_options.c
tests_controller_test_options_CPPFLAGS = $(controller_test_cppflags)
tests_controller_test_options_CFLAGS = $(controller_test_cflags)
tests_controller_test_options_LDADD = $(controller_test_ldadd)

tests_controller_test_report_SOURCES = tests/controller/test_report.c
tests_controller_test_report_CPPFLAGS = $(controller_test_cppflags)
tests_controller_test_report_CFLAGS = $(controller_test_cflags)
tests_controller_test_report_LDADD = $(controller_test_ldadd)

# Tests that make real segments share the libshm tests' helpers.
controller_shm_test_util = tests/libshm/shm_test_util.c tests/libshm/shm_test_util.h

tests_controller_test_read_guard_SOURCES = tests/controller/test_read_guard.c \
    $(controller_shm_test_util)
tests_controller_test_read_guard_CPPFLAGS = $(controller_test_cppflags)
tests_controller_test_read_guard_CFLAGS = $(controller_test_cflags)
tests_controller_test_read_guard_LDADD = $(controller_test_ldadd)

tests_controller_test_stale_SOURCES = tests/controller/test_stale.c $(controller_shm_test_util)
tests_controller_test_stale_CPPFLAGS = $(controller_test_cppflags)
tests_controller_test_stale_CFLAGS = $(controller_test_cflags)
tests_controller_test_stale_LDADD = $(controller_test_ldadd)
