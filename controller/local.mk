# geopmctl: main.c alone is the program; everything else is a convenience
# library, so that the unit tests link the very objects geopmctl runs.
noinst_LTLIBRARIES += controller/libgeopmctl.la
controller_libgeopmctl_la_SOURCES = \
    controller/host_info.c \
    controller/host_info.h \
    controller/monitor.c \
    controller/monitor.h \
    controller/options.c \
    controller/options.h \
    controller/output_file.c \
    controller/output_file.h \
    controller/proc_watch.c \
    controller/proc_watch.h \
    controller/read_guard.c \
    controller/read_guard.h \
    controller/report.c \
    controller/report.h \
    controller/report_fields.h \
    controller/segment.c \
    controller/segment.h \
    controller/stale.c \
    controller/stale.h \
    controller/sync_time.c \
    controller/sync_time.h \
    controller/trace.c \
    controller/trace.h \
    controller/yaml_out.c \
    controller/yaml_out.h
controller_libgeopmctl_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm
controller_libgeopmctl_la_LIBADD = libshm/libgeopmd_core.la -lm

bin_PROGRAMS += controller/geopmctl
controller_geopmctl_SOURCES = controller/main.c
controller_geopmctl_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm
controller_geopmctl_LDADD = controller/libgeopmctl.la

dist_man_MANS += man/geopmctl.1
