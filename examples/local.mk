# The example job, built with Open MPI's compiler and linked with libgeopm.
if HAVE_OPENMPI
noinst_PROGRAMS = examples/heat/heat
examples_heat_heat_SOURCES = examples/heat/heat.c
examples_heat_heat_LDADD = preload/libgeopm.la -lm
examples_heat_heat_LINK = $(LIBTOOL) $(AM_V_lt) --tag=CC $(AM_LIBTOOLFLAGS) \
    $(LIBTOOLFLAGS) --mode=link $(MPICC_OPENMPI) $(AM_CFLAGS) $(CFLAGS) $(AM_LDFLAGS) \
    $(LDFLAGS) -o $@
examples_heat_heat_CFLAGS = $(AM_CFLAGS) $(OPENMPI_CFLAGS)
endif
