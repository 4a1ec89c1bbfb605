# Benchmarks: programs that print figures, built by make check but not run
# as tests (scripts/bench runs them).
check_PROGRAMS += tests/bench/bench_markers
tests_bench_bench_markers_SOURCES = tests/bench/bench_markers.c
tests_bench_bench_markers_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm -I$(top_srcdir)/preload
tests_bench_bench_markers_LDADD = preload/libgeopm_core.la
