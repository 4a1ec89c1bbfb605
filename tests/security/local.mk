# Security scenarios and bad input (issue 6): other users, squatting,
# chown races, layout mismatch, bad arguments and environment.

# Makes and attaches to job segments for the scripts (layout mismatch,
# squatting): it needs the job API of libshm, which libgeopmd does not export.
check_PROGRAMS += tests/security/sec_segment
tests_security_sec_segment_SOURCES = tests/security/sec_segment.c
tests_security_sec_segment_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm
tests_security_sec_segment_LDADD = libshm/libgeopmd_core.la

security_scripts = \
    tests/security/test_sec_env.sh \
    tests/security/test_sec_layout.sh \
    tests/security/test_sec_squat.sh \
    tests/security/test_sec_two_users.sh

TESTS += $(security_scripts)
EXTRA_DIST += $(security_scripts) tests/security/sec_common.sh

if HAVE_CMOCKA
security_unit_tests = \
    tests/security/test_sec_api_args \
    tests/security/test_sec_chown_race \
    tests/security/test_sec_users

check_PROGRAMS += $(security_unit_tests)
TESTS += $(security_unit_tests)
# Bad arguments to every API function: valgrind checks them too.  The other
# two are scenario programs: they switch users and race processes, which
# valgrind's own descriptors and slowness would distort; the ASan+UBSan
# build runs them.
UNIT_TESTS += tests/security/test_sec_api_args

tests_security_test_sec_api_args_SOURCES = tests/security/test_sec_api_args.c \
    tests/libshm/shm_test_util.c tests/preload/prof_test_util.c
tests_security_test_sec_api_args_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm \
    -I$(top_srcdir)/tests/libshm -I$(top_srcdir)/tests/preload
tests_security_test_sec_api_args_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_security_test_sec_api_args_LDADD = preload/libgeopm_core.la $(CMOCKA_LIBS)

tests_security_test_sec_chown_race_SOURCES = tests/security/test_sec_chown_race.c \
    tests/libshm/shm_test_util.c
tests_security_test_sec_chown_race_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/libshm
tests_security_test_sec_chown_race_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_security_test_sec_chown_race_LDADD = libshm/libgeopmd.la $(CMOCKA_LIBS)

tests_security_test_sec_users_SOURCES = tests/security/test_sec_users.c \
    tests/libshm/shm_test_util.c
tests_security_test_sec_users_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/libshm
tests_security_test_sec_users_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_security_test_sec_users_LDADD = libshm/libgeopmd.la $(CMOCKA_LIBS)
endif
