# Benchmarks: programs that print figures, built by make check but not run
# as tests (scripts/bench runs them).
check_PROGRAMS += tests/bench/bench_markers tests/bench/bench_writer tests/bench/bench_idle
tests_bench_bench_markers_SOURCES = tests/bench/bench_markers.c
tests_bench_bench_markers_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm -I$(top_srcdir)/preload
tests_bench_bench_markers_LDADD = preload/libgeopm_core.la
# The stress writer is linked as an annotated application is: with libgeopm.
tests_bench_bench_writer_SOURCES = tests/bench/bench_writer.c
tests_bench_bench_writer_LDADD = preload/libgeopm.la
# The floor under the controller's cost: sleeping and waking once a period.
tests_bench_bench_idle_SOURCES = tests/bench/bench_idle.c

# bench_mpi once per MPI flavour: compiled with the flavour's headers,
# linked by its own compiler wrapper, and never with libgeopm (the preload
# library brings the runtime when scripts/bench asks for it).
if HAVE_OPENMPI
check_PROGRAMS += tests/bench/bench_mpi_ompi
tests_bench_bench_mpi_ompi_SOURCES = tests/bench/bench_mpi.c
tests_bench_bench_mpi_ompi_CFLAGS = $(AM_CFLAGS) $(OPENMPI_CFLAGS)
tests_bench_bench_mpi_ompi_LINK = $(MPICC_OPENMPI) $(AM_CFLAGS) $(CFLAGS) $(AM_LDFLAGS) \
    $(LDFLAGS) -o $@
endif

if HAVE_MPICH
check_PROGRAMS += tests/bench/bench_mpi_mpich
tests_bench_bench_mpi_mpich_SOURCES = tests/bench/bench_mpi.c
tests_bench_bench_mpi_mpich_CFLAGS = $(AM_CFLAGS) $(MPICH_CFLAGS)
tests_bench_bench_mpi_mpich_LINK = $(MPICC_MPICH) $(AM_CFLAGS) $(CFLAGS) $(AM_LDFLAGS) \
    $(LDFLAGS) -o $@
endif
