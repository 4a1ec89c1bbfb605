# Unit tests of libgeopm; each runs against a live job segment it creates.
preload_tests = \
    tests/preload/test_prof_markers \
    tests/preload/test_prof_region \
    tests/preload/test_prof_unprofiled

check_PROGRAMS += $(preload_tests)
UNIT_TESTS += $(preload_tests)

preload_test_util = tests/preload/prof_test_util.c tests/preload/prof_test_util.h
preload_test_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm
preload_test_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
preload_test_ldadd = preload/libgeopm_core.la $(CMOCKA_LIBS)

tests_preload_test_prof_markers_SOURCES = tests/preload/test_prof_markers.c $(preload_test_util)
tests_preload_test_prof_markers_CPPFLAGS = $(preload_test_cppflags)
tests_preload_test_prof_markers_CFLAGS = $(preload_test_cflags)
tests_preload_test_prof_markers_LDADD = $(preload_test_ldadd)

tests_preload_test_prof_region_SOURCES = tests/preload/test_prof_region.c $(preload_test_util)
tests_preload_test_prof_region_CPPFLAGS = $(preload_test_cppflags)
tests_preload_test_prof_region_CFLAGS = $(preload_test_cflags)
tests_preload_test_prof_region_LDADD = $(preload_test_ldadd)

tests_preload_test_prof_unprofiled_SOURCES = tests/preload/test_prof_unprofiled.c
tests_preload_test_prof_unprofiled_CPPFLAGS = $(preload_test_cppflags)
tests_preload_test_prof_unprofiled_CFLAGS = $(preload_test_cflags)
tests_preload_test_prof_unprofiled_LDADD = $(preload_test_ldadd)
