# One cmocka program per unit of libshm; each prints TAP.
libshm_tests = \
    tests/libshm/test_shm_args \
    tests/libshm/test_shm_attach \
    tests/libshm/test_shm_chown \
    tests/libshm/test_shm_create \
    tests/libshm/test_shm_key \
    tests/libshm/test_shm_lock \
    tests/libshm/test_shm_race \
    tests/libshm/test_shm_share

check_PROGRAMS += $(libshm_tests)
UNIT_TESTS += $(libshm_tests)

libshm_test_util = tests/libshm/shm_test_util.c tests/libshm/shm_test_util.h
libshm_test_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
libshm_test_ldadd = libshm/libgeopmd.la $(CMOCKA_LIBS)

tests_libshm_test_shm_args_SOURCES = tests/libshm/test_shm_args.c $(libshm_test_util)
tests_libshm_test_shm_args_CFLAGS = $(libshm_test_cflags)
tests_libshm_test_shm_args_LDADD = $(libshm_test_ldadd)

tests_libshm_test_shm_attach_SOURCES = tests/libshm/test_shm_attach.c $(libshm_test_util)
tests_libshm_test_shm_attach_CFLAGS = $(libshm_test_cflags)
tests_libshm_test_shm_attach_LDADD = $(libshm_test_ldadd)

tests_libshm_test_shm_chown_SOURCES = tests/libshm/test_shm_chown.c $(libshm_test_util)
tests_libshm_test_shm_chown_CFLAGS = $(libshm_test_cflags)
tests_libshm_test_shm_chown_LDADD = $(libshm_test_ldadd)

tests_libshm_test_shm_create_SOURCES = tests/libshm/test_shm_create.c $(libshm_test_util)
tests_libshm_test_shm_create_CFLAGS = $(libshm_test_cflags)
tests_libshm_test_shm_create_LDADD = $(libshm_test_ldadd)

tests_libshm_test_shm_key_SOURCES = tests/libshm/test_shm_key.c $(libshm_test_util)
tests_libshm_test_shm_key_CFLAGS = $(libshm_test_cflags)
tests_libshm_test_shm_key_LDADD = $(libshm_test_ldadd)

tests_libshm_test_shm_lock_SOURCES = tests/libshm/test_shm_lock.c $(libshm_test_util)
tests_libshm_test_shm_lock_CFLAGS = $(libshm_test_cflags)
tests_libshm_test_shm_lock_LDADD = $(libshm_test_ldadd)

tests_libshm_test_shm_race_SOURCES = tests/libshm/test_shm_race.c $(libshm_test_util)
tests_libshm_test_shm_race_CFLAGS = $(libshm_test_cflags)
tests_libshm_test_shm_race_LDADD = $(libshm_test_ldadd)

tests_libshm_test_shm_share_SOURCES = tests/libshm/test_shm_share.c $(libshm_test_util)
tests_libshm_test_shm_share_CFLAGS = $(libshm_test_cflags)
tests_libshm_test_shm_share_LDADD = $(libshm_test_ldadd)
