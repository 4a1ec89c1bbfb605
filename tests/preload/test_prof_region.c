/* Region ids and the checks of geopm_prof_region(). */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "geopm_prof.h"
#include "prof_test_util.h"

static struct geopm_job *g_job;

static int setup(void **state)
{
    (void)state;
    g_job = prof_test_job_create();
    return g_job == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    prof_test_job_destroy(g_job);
    return 0;
}

/* Expected values are zlib.crc32() of the names, as GEOPM computes them. */
static void test_ids_are_zlib_crc32_with_hint(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint64_t hint;
        uint64_t id;
    } cases[] = {
        {"MPI_Barrier", GEOPM_REGION_HINT_NETWORK, 0x482e72b30},
        {"MPI_Allreduce", GEOPM_REGION_HINT_NETWORK, 0x4ac41a07e},
        {"all2all", GEOPM_REGION_HINT_UNSET, 0x0d2255a7},
        {"dgemm", GEOPM_REGION_HINT_COMPUTE, 0x2a12de8ee},
        {"model-init", GEOPM_REGION_HINT_SPIN, 0xa68317b3c},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
        uint64_t id = 0;
        assert_int_equal(geopm_prof_region(cases[i].name, cases[i].hint, &id), 0);
        assert_int_equal(id, cases[i].id);
    }
}

static void test_same_name_same_id_one_region(void **state)
{
    (void)state;
    uint64_t first = 0;
    uint64_t second = 1;
    assert_int_equal(geopm_prof_region("repeated", GEOPM_REGION_HINT_MEMORY, &first), 0);
    uint32_t count = atomic_load(&g_job->slots[0].info.region_count);
    assert_int_equal(geopm_prof_region("repeated", GEOPM_REGION_HINT_MEMORY, &second), 0);
    assert_int_equal(first, second);
    assert_int_equal(atomic_load(&g_job->slots[0].info.region_count), count);
    const struct geopm_job_region *region = prof_test_region(&g_job->slots[0], first);
    assert_non_null(region);
    assert_int_equal(region->name_length, strlen("repeated"));
    assert_memory_equal(g_job->slots[0].name_pool + region->name_offset, "repeated", 9);
}

static void test_bad_arguments_are_refused_and_counted(void **state)
{
    (void)state;
    char long_name[GEOPM_JOB_NAME_MAX + 2];
    memset(long_name, 'x', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    uint64_t id = 42;
    uint64_t errors = atomic_load(&g_job->slots[0].info.error_count);

    assert_int_equal(geopm_prof_region(NULL, 0, &id), GEOPM_ERROR_INVALID);
    assert_int_equal(geopm_prof_region("", 0, &id), GEOPM_ERROR_INVALID);
    assert_int_equal(geopm_prof_region(long_name, 0, &id), GEOPM_ERROR_INVALID);
    assert_int_equal(geopm_prof_region("ok", GEOPM_NUM_REGION_HINT, &id), GEOPM_ERROR_INVALID);
    assert_int_equal(geopm_prof_region("ok", UINT64_MAX, &id), GEOPM_ERROR_INVALID);
    assert_int_equal(geopm_prof_region("ok", 0, NULL), GEOPM_ERROR_INVALID);
    assert_int_equal(id, 42);
    assert_int_equal(atomic_load(&g_job->slots[0].info.error_count), errors + 6);

    char message[256];
    geopm_prof_region("ok", 99, &id);
    geopm_error_message(GEOPM_ERROR_INVALID, message, sizeof(message));
    assert_non_null(strstr(message, "hint 99"));

    /* A name of exactly the longest length is accepted. */
    long_name[GEOPM_JOB_NAME_MAX] = '\0';
    assert_int_equal(geopm_prof_region(long_name, 0, &id), 0);
}

static void test_overhead_is_added_and_checked(void **state)
{
    (void)state;
    uint64_t before = atomic_load(&g_job->slots[0].info.overhead_ns);
    assert_int_equal(geopm_prof_overhead(0.25), 0);
    assert_int_equal(atomic_load(&g_job->slots[0].info.overhead_ns), before + 250000000u);
    uint64_t errors = atomic_load(&g_job->slots[0].info.error_count);
    assert_int_equal(geopm_prof_overhead(-1.0), GEOPM_ERROR_INVALID);
    assert_int_equal(geopm_prof_overhead(1.0 / 0.0), GEOPM_ERROR_INVALID);
    /* Refused calls are counted, as the other functions' are. */
    assert_int_equal(atomic_load(&g_job->slots[0].info.error_count), errors + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_are_zlib_crc32_with_hint),
        cmocka_unit_test(test_same_name_same_id_one_region),
        cmocka_unit_test(test_bad_arguments_are_refused_and_counted),
        cmocka_unit_test(test_overhead_is_added_and_checked),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
