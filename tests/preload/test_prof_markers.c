/* Markers: outermost-region semantics, hints, epochs, progress, threads
 * and the event ring, read back from the process's slot. */
#include <config.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "geopm_prof.h"
#include "prof_test_util.h"

static struct geopm_job *g_job;
static struct geopm_job_slot *g_slot;

static int setup(void **state)
{
    (void)state;
    g_job = prof_test_job_create();
    g_slot = g_job == NULL ? NULL : &g_job->slots[0];
    return g_job == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    prof_test_job_destroy(g_job);
    return 0;
}

static uint64_t region(const char *name, uint64_t hint)
{
    uint64_t id = 0;
    assert_int_equal(geopm_prof_region(name, hint, &id), 0);
    return id;
}

static void test_attached_at_first_call(void **state)
{
    (void)state;
    region("first", GEOPM_REGION_HINT_COMPUTE);
    assert_int_equal(atomic_load(&g_slot->info.state), GEOPM_JOB_SLOT_ACTIVE);
    assert_int_equal(g_slot->info.rank, -1);
    assert_true(g_slot->info.start_ns > 0);
}

static void test_nested_region_changes_only_the_hint(void **state)
{
    (void)state;
    uint64_t outer = region("outer", GEOPM_REGION_HINT_COMPUTE);
    uint64_t inner = region("inner", GEOPM_REGION_HINT_NETWORK);
    assert_int_equal(geopm_prof_enter(outer), 0);
    assert_int_equal(atomic_load(&g_slot->status.current), outer);
    prof_test_spin_ns(2000000);
    assert_int_equal(geopm_prof_enter(inner), 0);
    /* The outermost region stays current; only the hint changes. */
    assert_int_equal(atomic_load(&g_slot->status.current),
                     geopm_region_id_make(geopm_region_id_hash(outer), GEOPM_REGION_HINT_NETWORK));
    prof_test_spin_ns(3000000);
    assert_int_equal(geopm_prof_exit(inner), 0);
    prof_test_spin_ns(1000000);
    assert_int_equal(geopm_prof_exit(outer), 0);
    assert_int_equal(atomic_load(&g_slot->status.current), GEOPM_REGION_HASH_UNMARKED);

    const struct geopm_job_region *outer_region = prof_test_region(g_slot, outer);
    const struct geopm_job_region *inner_region = prof_test_region(g_slot, inner);
    assert_int_equal(prof_test_count(outer_region), 1);
    assert_int_equal(prof_test_count(inner_region), 0);
    uint64_t total = prof_test_total_ns(outer_region);
    uint64_t compute = prof_test_hint_ns(outer_region, GEOPM_REGION_HINT_COMPUTE);
    uint64_t network = prof_test_hint_ns(outer_region, GEOPM_REGION_HINT_NETWORK);
    /* The hint times split the region's time at the same instants. */
    assert_int_equal(compute + network, total);
    /* At least the time spun; the upper bound only catches nonsense, since
     * a loaded machine or valgrind may stretch any wait. */
    assert_in_range(total, 6000000, 10000000000);
    assert_in_range(network, 3000000, 10000000000);
    assert_in_range(compute, 3000000, 10000000000);
}

static void test_bad_exits_change_nothing(void **state)
{
    (void)state;
    uint64_t a = region("bad-exit-a", GEOPM_REGION_HINT_COMPUTE);
    uint64_t b = region("bad-exit-b", GEOPM_REGION_HINT_MEMORY);
    uint64_t errors = atomic_load(&g_slot->info.error_count);
    assert_int_equal(geopm_prof_exit(a), GEOPM_ERROR_REGION);
    assert_int_equal(geopm_prof_enter(0x12345678), GEOPM_ERROR_REGION);
    assert_int_equal(geopm_prof_enter(a), 0);
    assert_int_equal(geopm_prof_exit(b), GEOPM_ERROR_REGION);
    assert_int_equal(atomic_load(&g_slot->info.error_count), errors + 3);
    /* The region entered is still open and ends normally. */
    assert_int_equal(geopm_prof_exit(a), 0);
    assert_int_equal(prof_test_count(prof_test_region(g_slot, a)), 1);
    assert_int_equal(prof_test_count(prof_test_region(g_slot, b)), 0);
}

static void test_epochs_are_counted(void **state)
{
    (void)state;
    uint64_t before = atomic_load(&g_slot->status.epoch_count);
    for (int i = 0; i < 3; ++i) {
        assert_int_equal(geopm_prof_epoch(), 0);
    }
    assert_int_equal(atomic_load(&g_slot->status.epoch_count), before + 3);
    assert_true(atomic_load(&g_slot->status.epoch_first_ns) <=
                atomic_load(&g_slot->status.epoch_last_ns));
    /* An epoch inside a region hinted "ignore" is not one. */
    uint64_t ignored = region("ignored", GEOPM_REGION_HINT_IGNORE);
    geopm_prof_enter(ignored);
    geopm_prof_epoch();
    geopm_prof_exit(ignored);
    assert_int_equal(atomic_load(&g_slot->status.epoch_count), before + 3);
}

static void test_thread_progress(void **state)
{
    (void)state;
    uint64_t loop = region("loop", GEOPM_REGION_HINT_PARALLEL);
    geopm_prof_enter(loop);
    assert_int_equal(geopm_tprof_init(4), 0);
    assert_int_equal(geopm_tprof_init(4), 0);
    assert_int_equal(geopm_tprof_init(0), GEOPM_ERROR_INVALID);
    for (int i = 0; i < 3; ++i) {
        assert_int_equal(geopm_tprof_post(), 0);
    }
    assert_int_equal(atomic_load(&g_slot->status.progress_total), 8);
    assert_int_equal(atomic_load(&g_slot->status.progress_done), 3);
    geopm_prof_exit(loop);
}

enum { THREADS = 4, VISITS = 10000 };

static void *visit_many(void *arg)
{
    uint64_t id = *(const uint64_t *)arg;
    for (int i = 0; i < VISITS; ++i) {
        geopm_prof_enter(id);
        geopm_prof_exit(id);
    }
    return NULL;
}

static void test_threads_counts_are_exact(void **state)
{
    (void)state;
    uint64_t id = region("threaded", GEOPM_REGION_HINT_COMPUTE);
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; ++i) {
        assert_int_equal(pthread_create(&threads[i], NULL, visit_many, &id), 0);
    }
    visit_many(&id);
    for (int i = 0; i < THREADS; ++i) {
        pthread_join(threads[i], NULL);
    }
    const struct geopm_job_region *threaded = prof_test_region(g_slot, id);
    assert_int_equal(prof_test_count(threaded), (THREADS + 1) * VISITS);
    assert_int_equal(atomic_load(&threaded->lane[GEOPM_JOB_LANE_MAIN].count), VISITS);
}

static void test_ring_keeps_order_and_counts_drops(void **state)
{
    (void)state;
    uint64_t id = region("ringed", GEOPM_REGION_HINT_MEMORY);
    struct geopm_job_ring_producer *producer = &g_slot->producer;
    uint64_t head = atomic_load(&producer->head);
    uint64_t dropped = atomic_load(&producer->dropped);
    assert_true(head + 2 <= GEOPM_JOB_RING_SIZE);
    geopm_prof_enter(id);
    geopm_prof_exit(id);
    const struct geopm_job_event *enter = &g_slot->ring[head];
    const struct geopm_job_event *exit = &g_slot->ring[head + 1];
    assert_int_equal(enter->what, ((uint64_t)GEOPM_JOB_EVENT_ENTER << 60) | id);
    assert_int_equal(exit->what, ((uint64_t)GEOPM_JOB_EVENT_EXIT << 60) | id);
    assert_true(enter->time_ns <= exit->time_ns);
    /* Nobody drains this ring: past its size, every event is dropped and
     * counted, and none overwrites an unread one. */
    uint64_t pushed = 2 + 2 * GEOPM_JOB_RING_SIZE;
    for (int i = 0; i < (int)GEOPM_JOB_RING_SIZE; ++i) {
        geopm_prof_enter(id);
        geopm_prof_exit(id);
    }
    assert_int_equal(atomic_load(&producer->head), GEOPM_JOB_RING_SIZE);
    assert_int_equal(atomic_load(&producer->dropped) - dropped,
                     pushed - (GEOPM_JOB_RING_SIZE - head));
    assert_int_equal(g_slot->ring[head].what, enter->what);
}

static void test_shutdown_finishes_the_slot(void **state)
{
    (void)state;
    uint64_t id = region("after-shutdown", GEOPM_REGION_HINT_COMPUTE);
    assert_int_equal(geopm_prof_shutdown(), 0);
    assert_int_equal(atomic_load(&g_slot->info.state), GEOPM_JOB_SLOT_FINISHED);
    assert_true(atomic_load(&g_slot->info.end_ns) >= g_slot->info.start_ns);
    assert_int_equal(geopm_prof_enter(id), 0);
    assert_int_equal(geopm_prof_exit(id), 0);
    assert_int_equal(prof_test_count(prof_test_region(g_slot, id)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attached_at_first_call),
        cmocka_unit_test(test_nested_region_changes_only_the_hint),
        cmocka_unit_test(test_bad_exits_change_nothing),
        cmocka_unit_test(test_epochs_are_counted),
        cmocka_unit_test(test_thread_progress),
        cmocka_unit_test(test_ring_keeps_order_and_counts_drops),
        cmocka_unit_test(test_threads_counts_are_exact),
        cmocka_unit_test(test_shutdown_finishes_the_slot),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
