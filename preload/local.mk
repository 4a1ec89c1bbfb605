# The runtime behind geopm_prof.h.  libgeopm_core holds it once, for
# libgeopm and (with the MPI wrappers) libgeopm_preload.
noinst_LTLIBRARIES += preload/libgeopm_core.la
preload_libgeopm_core_la_SOURCES = \
    preload/clock.h \
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
