# MPI integration tests: small MPI programs, built with each flavour's own
# compiler wrappers (mpicc.openmpi, mpif90.openmpi, mpicc.mpich,
# mpif90.mpich, found by configure), run with the flavour's launcher under a
# real geopmctl.  check_*.sh hold the tests; each test_mpi_*.sh runs one of
# them for one flavour.  A script whose MPI, program or preload library is
# missing skips; so make check builds the programs first (check_SCRIPTS).
mpi_test_cflags = -std=c11 -Wall -Wextra -Werror -O2
# One Fortran source serves the three bindings (counts.F90: the compiler
# runs the C preprocessor on .F90), picked by -DUSE_MPI, -DUSE_MPI_F08 or
# -DMPIF_H.
mpi_test_fcflags = -Wall -Werror -O2
# region_mpi is annotated: it links libgeopm, so that it also runs without
# the preload library (which, when there, provides the same functions).
mpi_test_prof = -I$(top_srcdir)/include -L$(abs_top_builddir)/preload/.libs \
    -Wl,-rpath,$(abs_top_builddir)/preload/.libs -lgeopm
mpi_test_programs =

if HAVE_OPENMPI
mpi_test_programs += \
    tests/mpi/counts_ompi$(EXEEXT) \
    tests/mpi/region_mpi_ompi$(EXEEXT) \
    tests/mpi/threads_ompi$(EXEEXT) \
    tests/mpi/barrier_self_ompi$(EXEEXT)
tests/mpi/counts_ompi$(EXEEXT): tests/mpi/counts.c
	$(AM_V_CCLD)$(MKDIR_P) tests/mpi && \
	$(MPICC_OPENMPI) $(mpi_test_cflags) -o $@ $(srcdir)/tests/mpi/counts.c
tests/mpi/region_mpi_ompi$(EXEEXT): tests/mpi/region_mpi.c include/geopm_prof.h preload/libgeopm.la
	$(AM_V_CCLD)$(MKDIR_P) tests/mpi && \
	$(MPICC_OPENMPI) $(mpi_test_cflags) -o $@ $(srcdir)/tests/mpi/region_mpi.c $(mpi_test_prof)
tests/mpi/threads_ompi$(EXEEXT): tests/mpi/threads.c
	$(AM_V_CCLD)$(MKDIR_P) tests/mpi && \
	$(MPICC_OPENMPI) $(mpi_test_cflags) -pthread -o $@ $(srcdir)/tests/mpi/threads.c
tests/mpi/barrier_self_ompi$(EXEEXT): tests/mpi/barrier_self.c
	$(AM_V_CCLD)$(MKDIR_P) tests/mpi && \
	$(MPICC_OPENMPI) $(mpi_test_cflags) -o $@ $(srcdir)/tests/mpi/barrier_self.c
endif

if HAVE_MPIF90_OPENMPI
mpi_test_programs += \
    tests/mpi/counts_usempi_ompi$(EXEEXT) \
    tests/mpi/counts_f08_ompi$(EXEEXT) \
    tests/mpi/counts_mpifh_ompi$(EXEEXT)
tests/mpi/counts_usempi_ompi$(EXEEXT): tests/mpi/counts.F90
	$(AM_V_GEN)$(MKDIR_P) tests/mpi && \
	$(MPIF90_OPENMPI) $(mpi_test_fcflags) -DUSE_MPI -o $@ $(srcdir)/tests/mpi/counts.F90
tests/mpi/counts_f08_ompi$(EXEEXT): tests/mpi/counts.F90
	$(AM_V_GEN)$(MKDIR_P) tests/mpi && \
	$(MPIF90_OPENMPI) $(mpi_test_fcflags) -DUSE_MPI_F08 -o $@ $(srcdir)/tests/mpi/counts.F90
tests/mpi/counts_mpifh_ompi$(EXEEXT): tests/mpi/counts.F90
	$(AM_V_GEN)$(MKDIR_P) tests/mpi && \
	$(MPIF90_OPENMPI) $(mpi_test_fcflags) -DMPIF_H -o $@ $(srcdir)/tests/mpi/counts.F90
endif

if HAVE_MPICH
mpi_test_programs += \
    tests/mpi/counts_mpich$(EXEEXT) \
    tests/mpi/region_mpi_mpich$(EXEEXT) \
    tests/mpi/threads_mpich$(EXEEXT) \
    tests/mpi/barrier_self_mpich$(EXEEXT)
tests/mpi/counts_mpich$(EXEEXT): tests/mpi/counts.c
	$(AM_V_CCLD)$(MKDIR_P) tests/mpi && \
	$(MPICC_MPICH) $(mpi_test_cflags) -o $@ $(srcdir)/tests/mpi/counts.c
tests/mpi/region_mpi_mpich$(EXEEXT): tests/mpi/region_mpi.c include/geopm_prof.h preload/libgeopm.la
	$(AM_V_CCLD)$(MKDIR_P) tests/mpi && \
	$(MPICC_MPICH) $(mpi_test_cflags) -o $@ $(srcdir)/tests/mpi/region_mpi.c $(mpi_test_prof)
tests/mpi/threads_mpich$(EXEEXT): tests/mpi/threads.c
	$(AM_V_CCLD)$(MKDIR_P) tests/mpi && \
	$(MPICC_MPICH) $(mpi_test_cflags) -pthread -o $@ $(srcdir)/tests/mpi/threads.c
tests/mpi/barrier_self_mpich$(EXEEXT): tests/mpi/barrier_self.c
	$(AM_V_CCLD)$(MKDIR_P) tests/mpi && \
	$(MPICC_MPICH) $(mpi_test_cflags) -o $@ $(srcdir)/tests/mpi/barrier_self.c
endif

if HAVE_MPIF90_MPICH
mpi_test_programs += \
    tests/mpi/counts_usempi_mpich$(EXEEXT) \
    tests/mpi/counts_f08_mpich$(EXEEXT) \
    tests/mpi/counts_mpifh_mpich$(EXEEXT)
tests/mpi/counts_usempi_mpich$(EXEEXT): tests/mpi/counts.F90
	$(AM_V_GEN)$(MKDIR_P) tests/mpi && \
	$(MPIF90_MPICH) $(mpi_test_fcflags) -DUSE_MPI -o $@ $(srcdir)/tests/mpi/counts.F90
tests/mpi/counts_f08_mpich$(EXEEXT): tests/mpi/counts.F90
	$(AM_V_GEN)$(MKDIR_P) tests/mpi && \
	$(MPIF90_MPICH) $(mpi_test_fcflags) -DUSE_MPI_F08 -o $@ $(srcdir)/tests/mpi/counts.F90
tests/mpi/counts_mpifh_mpich$(EXEEXT): tests/mpi/counts.F90
	$(AM_V_GEN)$(MKDIR_P) tests/mpi && \
	$(MPIF90_MPICH) $(mpi_test_fcflags) -DMPIF_H -o $@ $(srcdir)/tests/mpi/counts.F90
endif

check_SCRIPTS += $(mpi_test_programs)
CLEANFILES += $(mpi_test_programs)

# The launchers configure found; the scripts fall back to PATH without them.
AM_TESTS_ENVIRONMENT += MPIRUN_OPENMPI='$(MPIRUN_OPENMPI)'; MPIEXEC_MPICH='$(MPIEXEC_MPICH)'; \
    export MPIRUN_OPENMPI MPIEXEC_MPICH;

# The long one first, so that a parallel make check starts it first.
mpi_tests = \
    tests/mpi/test_mpi_counts_mpich.sh \
    tests/mpi/test_mpi_counts_openmpi.sh \
    tests/mpi/test_mpi_fortran_openmpi.sh \
    tests/mpi/test_mpi_fortran_mpich.sh \
    tests/mpi/test_mpi_region_openmpi.sh \
    tests/mpi/test_mpi_region_mpich.sh \
    tests/mpi/test_mpi_threads_openmpi.sh \
    tests/mpi/test_mpi_threads_mpich.sh \
    tests/mpi/test_mpi_faults_openmpi.sh \
    tests/mpi/test_mpi_faults_mpich.sh \
    tests/mpi/test_mpi_cost_openmpi.sh \
    tests/mpi/test_mpi_cost_mpich.sh \
    tests/mpi/test_mpi_lammps.sh \
    tests/mpi/test_mpi_hpcc.sh \
    tests/mpi/test_mpi_exports.sh \
    tests/mpi/test_mpi_wrong_flavour.sh

TESTS += $(mpi_tests)
EXTRA_DIST += $(mpi_tests) \
    tests/mpi/check_cost.sh \
    tests/mpi/check_counts.sh \
    tests/mpi/check_faults.sh \
    tests/mpi/check_fortran.sh \
    tests/mpi/check_region.sh \
    tests/mpi/check_threads.sh \
    tests/mpi/mpi_common.sh \
    tests/mpi/mpi_report.py \
    tests/mpi/barrier_self.c \
    tests/mpi/counts.c \
    tests/mpi/counts.F90 \
    tests/mpi/region_mpi.c \
    tests/mpi/threads.c
