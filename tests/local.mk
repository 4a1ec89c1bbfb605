# Unit tests are cmocka programs that print TAP (CMOCKA_MESSAGE_OUTPUT=TAP);
# integration tests are scripts that print TAP and find what they run
# through abs_top_builddir.
AM_TESTS_ENVIRONMENT = CMOCKA_MESSAGE_OUTPUT=TAP; export CMOCKA_MESSAGE_OUTPUT; \
    abs_top_builddir='$(abs_top_builddir)'; abs_top_srcdir='$(abs_top_srcdir)'; \
    export abs_top_builddir abs_top_srcdir; \
    PYTHONDONTWRITEBYTECODE=1; export PYTHONDONTWRITEBYTECODE;

EXTRA_DIST += tests/tap.sh tests/report_common.py tests/hpccinf.txt.in tests/test_args.h

include tests/bench/local.mk
include tests/integration/local.mk
include tests/launch/local.mk

if HAVE_CMOCKA
include tests/libshm/local.mk
include tests/preload/local.mk
include tests/controller/local.mk
endif

include tests/mpi/local.mk
include tests/faults/local.mk
include tests/security/local.mk
include tests/security/hostile.mk
