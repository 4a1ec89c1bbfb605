# The runtime behind geopm_prof.h.  libgeopm_core holds it once, for
# libgeopm and (with the MPI wrappers) libgeopm_preload.
noinst_LTLIBRARIES += preload/libgeopm_core.la
preload_libgeopm_core_la_SOURCES = \
    preload/crc32.c \
    preload/crc32.h \
    preload/marker.c \
    preload/marker.h \
    preload/prof_api.c \
    preload/prof_config.c \
    preload/prof_config.h \
    preload/region_registry.c \
    preload/region_registry.h \
    preload/runtime.c \
    preload/runtime.h
preload_libgeopm_core_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm
preload_libgeopm_core_la_LIBADD = libshm/libgeopmd_core.la -lm

lib_LTLIBRARIES += preload/libgeopm.la
preload_libgeopm_la_SOURCES =
preload_libgeopm_la_LIBADD = preload/libgeopm_core.la
preload_libgeopm_la_LDFLAGS = -version-info 0:0:0 \
    -export-symbols-regex '^geopm_(prof|tprof)_'

include_HEADERS += include/geopm_prof.h include/geopm_hint.h
dist_man_MANS += man/geopm_prof.3

pkgconfig_DATA += preload/geopm.pc
EXTRA_DIST += preload/geopm.pc.in

# The MPI wrappers, once per MPI flavour, with the runtime inside: they
# export the MPI and PMPI functions they wrap and the geopm_prof API (so
# that an annotated application and the wrappers share one runtime), and
# nothing else.  They do not link the MPI library: it is found at run time.
mpi_preload_sources = \
    preload/mpi_abi.h \
    preload/mpi_call.c \
    preload/mpi_call.h \
    preload/mpi_functions.h \
    preload/mpi_init.c \
    preload/mpi_signatures.c \
    preload/mpi_wrappers.c \
    preload/mpi_wrappers.h
mpi_preload_ldflags = -module -avoid-version -shared \
    -export-symbols-regex '^(P?MPI_|geopm_prof_|geopm_tprof_)'

if HAVE_OPENMPI
lib_LTLIBRARIES += preload/libgeopm_preload.la
preload_libgeopm_preload_la_SOURCES = $(mpi_preload_sources)
preload_libgeopm_preload_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm $(OPENMPI_CFLAGS)
preload_libgeopm_preload_la_LIBADD = preload/libgeopm_core.la -ldl
preload_libgeopm_preload_la_LDFLAGS = $(mpi_preload_ldflags)
endif

if HAVE_MPICH
lib_LTLIBRARIES += preload/libgeopm_preload_mpich.la
preload_libgeopm_preload_mpich_la_SOURCES = $(mpi_preload_sources)
preload_libgeopm_preload_mpich_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm $(MPICH_CFLAGS)
preload_libgeopm_preload_mpich_la_LIBADD = preload/libgeopm_core.la -ldl
preload_libgeopm_preload_mpich_la_LDFLAGS = $(mpi_preload_ldflags)
endif
