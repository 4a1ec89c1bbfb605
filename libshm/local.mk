# libgeopmd_core holds every object of libshm, so that libgeopmd and the
# parts built on it (libgeopm, geopmctl) share one build of them.
noinst_LTLIBRARIES += libshm/libgeopmd_core.la
libshm_libgeopmd_core_la_SOURCES = \
    libshm/error.c \
    libshm/error_detail.h \
    libshm/geopm_export.h \
    libshm/job.c \
    libshm/job.h \
    libshm/job_clock.c \
    libshm/job_clock.h \
    libshm/job_layout.h \
    libshm/job_peek.c \
    libshm/job_peek.h \
    libshm/job_reader.c \
    libshm/job_reader.h \
    libshm/job_writer.c \
    libshm/job_writer.h \
    libshm/proc_start.c \
    libshm/proc_start.h \
    libshm/shm.c \
    libshm/shm_attach.c \
    libshm/shm_create.c \
    libshm/shm_internal.h \
    libshm/shm_key.c \
    libshm/shm_key.h \
    libshm/shm_lock.c

lib_LTLIBRARIES += libshm/libgeopmd.la
libshm_libgeopmd_la_SOURCES =
libshm_libgeopmd_la_LIBADD = libshm/libgeopmd_core.la
libshm_libgeopmd_la_LDFLAGS = -version-info 0:0:0 \
    -export-symbols-regex '^geopm_(shm|error)_'

pkgconfig_DATA += libshm/geopmd.pc
EXTRA_DIST += libshm/geopmd.pc.in

dist_man_MANS += man/geopm_shm.3
