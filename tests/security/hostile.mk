# Hostile segment contents (issue 6, scenarios 7 and 10): the fuzzer over
# the controller's readers, live bit flips in a running job's slot, and a
# job user truncating and growing its segment under geopmctl.

# Damages one slot of a live segment: it needs the job layout and
# geopm__job_check_header, which libgeopmd does not export.
tests_security_test_bitflip_tool_SOURCES = tests/security/test_bitflip_tool.c
tests_security_test_bitflip_tool_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libshm \
    -I$(top_srcdir)/tests
tests_security_test_bitflip_tool_LDADD = libshm/libgeopmd_core.la

# Ranks and an attacker in forked processes of other users: the runtime is
# linked in, so that no other user has to run a program of the build tree.
tests_security_test_truncation_attack_SOURCES = tests/security/test_truncation_attack.c
tests_security_test_truncation_attack_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_security_test_truncation_attack_LDADD = preload/libgeopm_core.la

check_PROGRAMS += tests/security/test_bitflip_tool tests/security/test_truncation_attack

hostile_tests = \
    tests/security/test_fuzz_slot.sh \
    tests/security/test_bitflip.sh \
    tests/security/test_truncation.sh

TESTS += $(hostile_tests)
EXTRA_DIST += $(hostile_tests) tests/security/fuzz_slot.c scripts/fuzz
# test_fuzz_slot.sh builds the fuzz target with clang, outside automake.
CLEANFILES += tests/security/test_fuzz_slot tests/security/test_fuzz_slot.tmp \
    tests/security/test_fuzz_slot.sum
