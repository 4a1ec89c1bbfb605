#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "job_layout.h"
#include "job_reader.h"

#define FUZZ_ROUNDS 2000
#define HASH_ALPHA UINT64_C(0x12345678)
#define HASH_BETA UINT64_C(0x9abcdef0)

/* xorshift64*: the same bytes on every run, so a failure can be replayed. */
static uint64_t g_prng = UINT64_C(0x2545f4914f6cdd1d);

static uint64_t next_random(void)
{
    g_prng ^= g_prng >> 12;
    g_prng ^= g_prng << 25;
    g_prng ^= g_prng >> 27;
    return g_prng * UINT64_C(0x2545f4914f6cdd1d);
}

static void fill_random(void *buffer, size_t size)
{
    unsigned char *bytes = buffer;
    for (size_t i = 0; i < size; i += sizeof(uint64_t)) {
        uint64_t word = next_random();
        size_t part = size - i < sizeof(word) ? size - i : sizeof(word);
        memcpy(bytes + i, &word, part);
    }
}

static struct geopm_job_slot *new_slot(void)
{
    struct geopm_job_slot *slot = aligned_alloc(GEOPM_JOB_CACHE_LINE, sizeof(*slot));
    assert_non_null(slot);
    memset(slot, 0, sizeof(*slot));
    return slot;
}

static void add_name(struct geopm_job_slot *slot, uint32_t index, uint64_t id, const char *name)
{
    uint32_t used = atomic_load(&slot->info.name_pool_used);
    size_t length = strlen(name);
    memcpy(slot->name_pool + used, name, length + 1);
    slot->regions[index].id = id;
    slot->regions[index].name_offset = used;
    slot->regions[index].name_length = (uint32_t)length;
    atomic_store(&slot->info.name_pool_used, used + (uint32_t)length + 1);
}

/* A slot as a healthy process leaves it: two regions, both lanes used. */
static struct geopm_job_slot *well_formed_slot(void)
{
    struct geopm_job_slot *slot = new_slot();
    atomic_store(&slot->info.state, GEOPM_JOB_SLOT_ACTIVE);
    slot->info.pid = 4242;
    slot->info.rank = 3;
    slot->info.start_ns = 1000;
    snprintf(slot->info.program, sizeof(slot->info.program), "xhpl");
    atomic_store(&slot->info.error_count, 2);
    atomic_store(&slot->info.overhead_ns, 777);
    atomic_store(&slot->status.current,
                 geopm_region_id_make(HASH_ALPHA, GEOPM_REGION_HINT_COMPUTE));
    atomic_store(&slot->status.epoch_count, 9);
    atomic_store(&slot->status.epoch_first_ns, 2000);
    atomic_store(&slot->status.epoch_last_ns, 9000);
    atomic_store(&slot->status.progress_total, 8);
    atomic_store(&slot->status.progress_done, 2);
    atomic_store(&slot->producer.dropped, 5);

    add_name(slot, 0, geopm_region_id_make(HASH_ALPHA, GEOPM_REGION_HINT_COMPUTE), "alpha");
    add_name(slot, 1, geopm_region_id_make(HASH_BETA, GEOPM_REGION_HINT_NETWORK), "beta");
    struct geopm_job_totals *main_lane = &slot->regions[0].lane[GEOPM_JOB_LANE_MAIN];
    struct geopm_job_totals *shared_lane = &slot->regions[0].lane[GEOPM_JOB_LANE_SHARED];
    atomic_store(&main_lane->count, 3);
    atomic_store(&shared_lane->count, 4);
    atomic_store(&main_lane->total_ns, 100);
    atomic_store(&shared_lane->total_ns, 50);
    atomic_store(&main_lane->hint_ns[GEOPM_REGION_HINT_COMPUTE], 60);
    atomic_store(&shared_lane->hint_ns[GEOPM_REGION_HINT_COMPUTE], 40);
    atomic_store(&main_lane->hint_ns[GEOPM_REGION_HINT_NETWORK], 30);
    atomic_store(&shared_lane->hint_ns[GEOPM_REGION_HINT_NETWORK], 20);
    atomic_store(&slot->regions[1].lane[GEOPM_JOB_LANE_MAIN].count, 11);
    atomic_store(&slot->regions[1].lane[GEOPM_JOB_LANE_MAIN].total_ns, 1100);
    atomic_store(&slot->info.region_count, 2);
    return slot;
}

static void push_event(struct geopm_job_slot *slot, uint64_t time_ns, uint64_t kind, uint64_t id)
{
    uint64_t head = atomic_load(&slot->producer.head);
    slot->ring[head & (GEOPM_JOB_RING_SIZE - 1)].time_ns = time_ns;
    slot->ring[head & (GEOPM_JOB_RING_SIZE - 1)].what = kind << GEOPM_JOB_EVENT_KIND_SHIFT | id;
    atomic_store(&slot->producer.head, head + 1);
}

static void test_sample_well_formed(void **state)
{
    (void)state;
    struct geopm_job_slot *slot = well_formed_slot();
    struct geopm_job_sample sample;
    char why[128] = "";
    assert_int_equal(geopm__job_sample_slot(slot, &sample, why, sizeof(why)), 0);
    assert_int_equal(sample.state, GEOPM_JOB_SLOT_ACTIVE);
    assert_int_equal(sample.pid, 4242);
    assert_int_equal(sample.rank, 3);
    assert_int_equal(sample.region_count, 2);
    assert_int_equal(sample.start_ns, 1000);
    assert_int_equal(sample.end_ns, 0);
    assert_int_equal(geopm_region_id_hash(sample.current), HASH_ALPHA);
    assert_int_equal(geopm_region_id_hint(sample.current), GEOPM_REGION_HINT_COMPUTE);
    assert_int_equal(sample.epoch_count, 9);
    assert_int_equal(sample.epoch_first_ns, 2000);
    assert_int_equal(sample.epoch_last_ns, 9000);
    assert_true(sample.progress > 0.249 && sample.progress < 0.251);
    assert_int_equal(sample.error_count, 2);
    assert_int_equal(sample.overhead_ns, 777);
    assert_int_equal(sample.events_dropped, 5);
    assert_string_equal(sample.program, "xhpl");
    free(slot);
}

static void test_read_regions_sums_lanes(void **state)
{
    (void)state;
    struct geopm_job_slot *slot = well_formed_slot();
    struct geopm_job_region_record records[4];
    char why[128] = "";
    assert_int_equal(geopm__job_read_regions(slot, records, 4, why, sizeof(why)), 2);
    assert_string_equal(records[0].name, "alpha");
    assert_int_equal(records[0].id, geopm_region_id_make(HASH_ALPHA, GEOPM_REGION_HINT_COMPUTE));
    assert_int_equal(records[0].count, 7);
    assert_int_equal(records[0].total_ns, 150);
    assert_int_equal(records[0].hint_ns[GEOPM_REGION_HINT_COMPUTE], 100);
    assert_int_equal(records[0].hint_ns[GEOPM_REGION_HINT_NETWORK], 50);
    assert_int_equal(records[0].hint_ns[GEOPM_REGION_HINT_MEMORY], 0);
    assert_string_equal(records[1].name, "beta");
    assert_int_equal(records[1].count, 11);
    assert_int_equal(records[1].total_ns, 1100);
    /* Fewer room than regions: the first ones, no error. */
    assert_int_equal(geopm__job_read_regions(slot, records, 1, why, sizeof(why)), 1);
    assert_string_equal(records[0].name, "alpha");
    free(slot);
}

static void test_drain_in_order(void **state)
{
    (void)state;
    struct geopm_job_slot *slot = well_formed_slot();
    struct geopm_job_event events[GEOPM_JOB_RING_SIZE];
    char why[128] = "";
    /* Start near the wrap of the ring, so that the copy wraps too. */
    atomic_store(&slot->producer.head, GEOPM_JOB_RING_SIZE - 2);
    atomic_store(&slot->consumer.tail, GEOPM_JOB_RING_SIZE - 2);
    for (uint64_t i = 0; i < 5; ++i) {
        push_event(slot, 100 + i, GEOPM_JOB_EVENT_ENTER, i);
    }
    assert_int_equal(geopm__job_drain_ring(slot, events, 3, why, sizeof(why)), 3);
    assert_int_equal(atomic_load(&slot->consumer.tail), GEOPM_JOB_RING_SIZE + 1);
    assert_int_equal(geopm__job_drain_ring(slot, events + 3, GEOPM_JOB_RING_SIZE, why,
                                           sizeof(why)),
                     2);
    for (uint64_t i = 0; i < 5; ++i) {
        assert_int_equal(events[i].time_ns, 100 + i);
        assert_int_equal(events[i].what & 0xff, i);
        assert_int_equal(events[i].what >> GEOPM_JOB_EVENT_KIND_SHIFT, GEOPM_JOB_EVENT_ENTER);
    }
    assert_int_equal(geopm__job_drain_ring(slot, events, GEOPM_JOB_RING_SIZE, why, sizeof(why)),
                     0);
    /* A full ring is consistent: exactly the ring size waiting. */
    atomic_store(&slot->producer.head, atomic_load(&slot->consumer.tail) + GEOPM_JOB_RING_SIZE);
    assert_int_equal(geopm__job_drain_ring(slot, events, GEOPM_JOB_RING_SIZE, why, sizeof(why)),
                     GEOPM_JOB_RING_SIZE);
    free(slot);
}

static void test_progress_bounds(void **state)
{
    (void)state;
    struct geopm_job_slot *slot = well_formed_slot();
    struct geopm_job_sample sample;
    char why[128];
    atomic_store(&slot->status.progress_total, 0);
    atomic_store(&slot->status.progress_done, 5);
    assert_int_equal(geopm__job_sample_slot(slot, &sample, why, sizeof(why)), 0);
    assert_true(sample.progress == 0.0);
    /* A torn pair of an old done and a new total is clamped, not corrupt. */
    atomic_store(&slot->status.progress_total, 4);
    atomic_store(&slot->status.progress_done, 9);
    assert_int_equal(geopm__job_sample_slot(slot, &sample, why, sizeof(why)), 0);
    assert_true(sample.progress == 1.0);
    free(slot);
}

/* Each way a slot can break the sample; the output is left alone. */
static void expect_sample_corrupt(struct geopm_job_slot *slot, const char *label)
{
    struct geopm_job_sample sample;
    memset(&sample, 0x5a, sizeof(sample));
    char why[128] = "";
    int rc = geopm__job_sample_slot(slot, &sample, why, sizeof(why));
    if (rc != GEOPM_ERROR_CORRUPT) {
        print_error("%s: sample returned %d, expected GEOPM_ERROR_CORRUPT\n", label, rc);
        fail();
    }
    assert_true(strlen(why) > 0);
    assert_int_equal(sample.pid, 0x5a5a5a5a);
}

static void test_sample_corrupt_fields(void **state)
{
    (void)state;
    struct geopm_job_slot *slot = well_formed_slot();
    atomic_store(&slot->info.state, 4);
    expect_sample_corrupt(slot, "state 4");
    atomic_store(&slot->info.state, UINT32_MAX);
    expect_sample_corrupt(slot, "state max");
    free(slot);

    slot = well_formed_slot();
    atomic_store(&slot->info.region_count, GEOPM_JOB_REGION_MAX + 1);
    expect_sample_corrupt(slot, "region count 257");
    atomic_store(&slot->info.region_count, UINT32_MAX);
    expect_sample_corrupt(slot, "region count max");
    free(slot);

    slot = well_formed_slot();
    atomic_store(&slot->info.name_pool_used, GEOPM_JOB_NAME_POOL_SIZE + 1);
    expect_sample_corrupt(slot, "name pool use");
    free(slot);

    slot = well_formed_slot();
    slot->info.pid = -5;
    expect_sample_corrupt(slot, "negative pid");
    slot->info.pid = 0;
    expect_sample_corrupt(slot, "pid 0 in an active slot");
    free(slot);

    slot = well_formed_slot();
    slot->info.rank = -2;
    expect_sample_corrupt(slot, "rank -2");
    free(slot);

    slot = well_formed_slot();
    atomic_store(&slot->info.end_ns, 999);
    expect_sample_corrupt(slot, "end before start");
    free(slot);

    slot = well_formed_slot();
    atomic_store(&slot->status.current, geopm_region_id_make(HASH_ALPHA, GEOPM_NUM_REGION_HINT));
    expect_sample_corrupt(slot, "hint 11");
    atomic_store(&slot->status.current, UINT64_C(1) << 63 | HASH_ALPHA);
    expect_sample_corrupt(slot, "high bits in current");
    free(slot);

    slot = well_formed_slot();
    atomic_store(&slot->info.end_ns, 0);
    atomic_store(&slot->info.state, GEOPM_JOB_SLOT_FINISHED);
    expect_sample_corrupt(slot, "finished without an end time");
    free(slot);

    slot = well_formed_slot();
    memset(slot->info.program, 'x', sizeof(slot->info.program));
    expect_sample_corrupt(slot, "program without NUL");
    /* Still named: what it claims to be, the program cut to its buffer. */
    struct geopm_job_sample identity;
    memset(&identity, 0x55, sizeof(identity));
    assert_int_equal(geopm__job_slot_identity(slot, &identity), 0);
    assert_int_equal(identity.pid, slot->info.pid);
    assert_int_equal(identity.rank, slot->info.rank);
    assert_int_equal(strlen(identity.program), sizeof(identity.program) - 1);
    assert_int_equal(identity.state, 0);
    assert_int_equal(identity.region_count, 0);
    assert_int_equal(geopm__job_slot_identity(NULL, &identity), GEOPM_ERROR_INVALID);
    assert_int_equal(geopm__job_slot_identity(slot, NULL), GEOPM_ERROR_INVALID);
    free(slot);
}

static void test_free_and_claimed_slots(void **state)
{
    (void)state;
    struct geopm_job_slot *slot = new_slot();
    struct geopm_job_sample sample;
    char why[128];
    /* Free: only the state is looked at, whatever the rest holds. */
    slot->info.pid = -7;
    atomic_store(&slot->info.region_count, UINT32_MAX);
    assert_int_equal(geopm__job_sample_slot(slot, &sample, why, sizeof(why)), 0);
    assert_int_equal(sample.state, GEOPM_JOB_SLOT_FREE);
    assert_int_equal(sample.pid, 0);
    slot->info.pid = 0;
    atomic_store(&slot->info.region_count, 0);
    atomic_store(&slot->info.state, GEOPM_JOB_SLOT_CLAIMED);
    assert_int_equal(geopm__job_sample_slot(slot, &sample, why, sizeof(why)), 0);
    assert_int_equal(sample.state, GEOPM_JOB_SLOT_CLAIMED);
    assert_int_equal(sample.pid, 0);
    free(slot);
}

static void expect_regions_corrupt(struct geopm_job_slot *slot, const char *label)
{
    struct geopm_job_region_record records[GEOPM_JOB_REGION_MAX];
    char why[128] = "";
    int rc = geopm__job_read_regions(slot, records, GEOPM_JOB_REGION_MAX, why, sizeof(why));
    if (rc != GEOPM_ERROR_CORRUPT) {
        print_error("%s: read_regions returned %d, expected GEOPM_ERROR_CORRUPT\n", label, rc);
        fail();
    }
    assert_true(strlen(why) > 0);
}

static void test_regions_corrupt(void **state)
{
    (void)state;
    struct geopm_job_slot *slot = well_formed_slot();
    atomic_store(&slot->info.region_count, GEOPM_JOB_REGION_MAX + 1);
    expect_regions_corrupt(slot, "region count 257");
    atomic_store(&slot->info.region_count, UINT32_MAX);
    expect_regions_corrupt(slot, "huge region count");
    free(slot);

    slot = well_formed_slot();
    slot->regions[1].name_offset = GEOPM_JOB_NAME_POOL_SIZE - 2;
    slot->regions[1].name_length = 4;
    expect_regions_corrupt(slot, "name beyond the pool");
    slot->regions[1].name_offset = UINT32_MAX - 1;
    slot->regions[1].name_length = 4;
    expect_regions_corrupt(slot, "offset that wraps around");
    slot->regions[1].name_offset = GEOPM_JOB_NAME_POOL_SIZE - 1;
    slot->regions[1].name_length = 0;
    slot->name_pool[GEOPM_JOB_NAME_POOL_SIZE - 1] = 'z';
    expect_regions_corrupt(slot, "last byte of the pool is not a NUL");
    free(slot);

    slot = well_formed_slot();
    slot->regions[0].name_length = GEOPM_JOB_NAME_MAX + 1;
    expect_regions_corrupt(slot, "name too long");
    free(slot);

    slot = well_formed_slot();
    /* "alpha" followed by its NUL: length 3 leaves 'h', not a NUL. */
    slot->regions[0].name_length = 3;
    expect_regions_corrupt(slot, "missing NUL");
    free(slot);

    slot = well_formed_slot();
    /* "alpha\0beta\0": length 10 from offset 0 holds a NUL inside. */
    slot->regions[0].name_length = 10;
    expect_regions_corrupt(slot, "NUL inside the name");
    free(slot);

    slot = well_formed_slot();
    slot->regions[1].id = geopm_region_id_make(HASH_BETA, 200);
    expect_regions_corrupt(slot, "hint 200 in an id");
    free(slot);
}

static void expect_ring_corrupt(struct geopm_job_slot *slot, uint64_t head, uint64_t tail,
                                const char *label)
{
    struct geopm_job_event events[GEOPM_JOB_RING_SIZE];
    char why[128] = "";
    atomic_store(&slot->producer.head, head);
    atomic_store(&slot->consumer.tail, tail);
    int rc = geopm__job_drain_ring(slot, events, GEOPM_JOB_RING_SIZE, why, sizeof(why));
    if (rc != GEOPM_ERROR_CORRUPT) {
        print_error("%s: drain returned %d, expected GEOPM_ERROR_CORRUPT\n", label, rc);
        fail();
    }
    assert_true(strlen(why) > 0);
    /* Reset to empty from the controller's side: the next drain is fine. */
    assert_int_equal(atomic_load(&slot->consumer.tail), head);
    assert_int_equal(geopm__job_drain_ring(slot, events, GEOPM_JOB_RING_SIZE, why, sizeof(why)),
                     0);
}

static void test_ring_corrupt(void **state)
{
    (void)state;
    struct geopm_job_slot *slot = well_formed_slot();
    expect_ring_corrupt(slot, 5, 6, "head behind tail");
    expect_ring_corrupt(slot, GEOPM_JOB_RING_SIZE + 1, 0, "one more than the ring");
    expect_ring_corrupt(slot, UINT64_MAX, 0, "huge head");
    expect_ring_corrupt(slot, 0, UINT64_MAX, "huge tail");
    free(slot);
}

static void test_null_arguments(void **state)
{
    (void)state;
    struct geopm_job_slot *slot = well_formed_slot();
    struct geopm_job_sample sample;
    assert_int_equal(geopm__job_sample_slot(NULL, &sample, NULL, 0), GEOPM_ERROR_INVALID);
    assert_int_equal(geopm__job_sample_slot(slot, NULL, NULL, 0), GEOPM_ERROR_INVALID);
    assert_int_equal(geopm__job_read_regions(slot, NULL, 4, NULL, 0), GEOPM_ERROR_INVALID);
    assert_int_equal(geopm__job_drain_ring(NULL, NULL, 4, NULL, 0), GEOPM_ERROR_INVALID);
    /* No buffer: the events are released uncopied, and counted. */
    uint64_t tail = atomic_load(&slot->consumer.tail);
    atomic_store(&slot->producer.head, tail + 3);
    assert_int_equal(geopm__job_drain_ring(slot, NULL, 4, NULL, 0), 3);
    assert_int_equal(atomic_load(&slot->consumer.tail), tail + 3);
    /* A NULL message buffer is allowed: the code is what matters. */
    atomic_store(&slot->info.state, 9);
    assert_int_equal(geopm__job_sample_slot(slot, &sample, NULL, 0), GEOPM_ERROR_CORRUPT);
    free(slot);
}

/* Whatever the bytes, nothing crashes (ASan and valgrind check the reads),
 * every result is a count or CORRUPT, and what is out of range is refused. */
static void check_random_slot(struct geopm_job_slot *slot, int *corrupt_seen)
{
    struct geopm_job_sample sample;
    struct geopm_job_region_record *records = calloc(GEOPM_JOB_REGION_MAX, sizeof(*records));
    struct geopm_job_event *events = calloc(GEOPM_JOB_RING_SIZE, sizeof(*events));
    assert_non_null(records);
    assert_non_null(events);
    char why[128];

    uint32_t state_word = atomic_load(&slot->info.state);
    uint32_t region_count = atomic_load(&slot->info.region_count);
    uint64_t head = atomic_load(&slot->producer.head);
    uint64_t tail = atomic_load(&slot->consumer.tail);

    int rc = geopm__job_sample_slot(slot, &sample, why, sizeof(why));
    assert_true(rc == 0 || rc == GEOPM_ERROR_CORRUPT);
    /* A free slot is not read beyond its state: its claimer may be
     * filling it in. */
    if (state_word > GEOPM_JOB_SLOT_FINISHED ||
        (state_word != GEOPM_JOB_SLOT_FREE && region_count > GEOPM_JOB_REGION_MAX)) {
        assert_int_equal(rc, GEOPM_ERROR_CORRUPT);
    }
    if (state_word == GEOPM_JOB_SLOT_FREE) {
        assert_int_equal(rc, 0);
        assert_int_equal(sample.pid, 0);
        assert_int_equal(sample.region_count, 0);
    }
    if (rc == 0) {
        assert_true(sample.state <= GEOPM_JOB_SLOT_FINISHED);
        assert_true(sample.region_count <= GEOPM_JOB_REGION_MAX);
        assert_true(sample.progress >= 0.0 && sample.progress <= 1.0);
        assert_non_null(memchr(sample.program, '\0', sizeof(sample.program)));
    }
    *corrupt_seen += rc == GEOPM_ERROR_CORRUPT;

    rc = geopm__job_read_regions(slot, records, GEOPM_JOB_REGION_MAX, why, sizeof(why));
    assert_true(rc >= 0 || rc == GEOPM_ERROR_CORRUPT);
    if (region_count > GEOPM_JOB_REGION_MAX) {
        assert_int_equal(rc, GEOPM_ERROR_CORRUPT);
    }
    for (int i = 0; i < rc; ++i) {
        size_t length = strnlen(records[i].name, sizeof(records[i].name));
        assert_true(length <= GEOPM_JOB_NAME_MAX);
        assert_int_equal(length, slot->regions[i].name_length);
        assert_true(geopm_region_id_hint(records[i].id) < GEOPM_NUM_REGION_HINT);
    }

    rc = geopm__job_drain_ring(slot, events, GEOPM_JOB_RING_SIZE, why, sizeof(why));
    bool consistent = head >= tail && head - tail <= GEOPM_JOB_RING_SIZE;
    if (consistent) {
        assert_int_equal(rc, (int)(head - tail));
    }
    else {
        assert_int_equal(rc, GEOPM_ERROR_CORRUPT);
    }
    assert_int_equal(atomic_load(&slot->consumer.tail), head);
    free(records);
    free(events);
}

static void test_random_slots(void **state)
{
    (void)state;
    struct geopm_job_slot *slot = new_slot();
    int corrupt_seen = 0;
    for (int round = 0; round < FUZZ_ROUNDS; ++round) {
        fill_random(slot, sizeof(*slot));
        /* Most rounds keep the few words that gate deeper checks in range,
         * so that the region and ring paths are reached, not only the
         * first test of each function. */
        if (round % 4 != 0) {
            atomic_store(&slot->info.state, (uint32_t)(next_random() % 4));
            atomic_store(&slot->info.region_count,
                         (uint32_t)(next_random() % (GEOPM_JOB_REGION_MAX + 1)));
            atomic_store(&slot->info.name_pool_used,
                         (uint32_t)(next_random() % GEOPM_JOB_NAME_POOL_SIZE));
            slot->info.pid = (int32_t)(next_random() % 100000) + 1;
            slot->info.rank = (int32_t)(next_random() % 64);
            slot->info.program[next_random() % GEOPM_JOB_PROGRAM_MAX] = '\0';
            atomic_store(&slot->status.current, next_random() & GEOPM_REGION_HASH_MASK);
            uint64_t tail = next_random();
            atomic_store(&slot->consumer.tail, tail);
            atomic_store(&slot->producer.head, tail + next_random() % (GEOPM_JOB_RING_SIZE + 1));
            for (uint32_t r = 0; r < GEOPM_JOB_REGION_MAX; ++r) {
                if (round % 2 == 0) {
                    slot->regions[r].name_offset =
                        (uint32_t)(next_random() % GEOPM_JOB_NAME_POOL_SIZE);
                    slot->regions[r].name_length =
                        (uint32_t)(next_random() % (GEOPM_JOB_NAME_MAX + 1));
                    slot->regions[r].id &= UINT64_C(0x7ffffffff);
                }
            }
        }
        check_random_slot(slot, &corrupt_seen);
    }
    /* Random words are almost never in range: a quarter of the rounds at
     * least must have been refused. */
    assert_true(corrupt_seen >= FUZZ_ROUNDS / 4);
    free(slot);
}

/* A slot whose regions pass every check: names made by a writer that keeps
 * to the rules, then random lanes.  All regions come back, exactly. */
static void test_random_valid_regions(void **state)
{
    (void)state;
    struct geopm_job_slot *slot = new_slot();
    struct geopm_job_region_record *records = calloc(GEOPM_JOB_REGION_MAX, sizeof(*records));
    assert_non_null(records);
    char why[128];
    for (int round = 0; round < 50; ++round) {
        memset(slot, 0, sizeof(*slot));
        uint32_t count = (uint32_t)(next_random() % (GEOPM_JOB_REGION_MAX + 1));
        uint64_t expect_count[GEOPM_JOB_REGION_MAX];
        for (uint32_t r = 0; r < count; ++r) {
            char name[32];
            snprintf(name, sizeof(name), "r%u-%llu", r, (unsigned long long)(next_random() % 1000));
            add_name(slot, r, geopm_region_id_make(next_random(), next_random() % 11), name);
            uint64_t a = next_random() >> 2;
            uint64_t b = next_random() >> 2;
            atomic_store(&slot->regions[r].lane[0].count, a);
            atomic_store(&slot->regions[r].lane[1].count, b);
            expect_count[r] = a + b;
        }
        atomic_store(&slot->info.region_count, count);
        assert_int_equal(geopm__job_read_regions(slot, records, GEOPM_JOB_REGION_MAX, why,
                                                 sizeof(why)),
                         (int)count);
        for (uint32_t r = 0; r < count; ++r) {
            assert_int_equal(records[r].count, expect_count[r]);
            assert_memory_equal(records[r].name, slot->name_pool + slot->regions[r].name_offset,
                                slot->regions[r].name_length + 1);
        }
    }
    free(records);
    free(slot);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_well_formed),
        cmocka_unit_test(test_read_regions_sums_lanes),
        cmocka_unit_test(test_drain_in_order),
        cmocka_unit_test(test_progress_bounds),
        cmocka_unit_test(test_sample_corrupt_fields),
        cmocka_unit_test(test_free_and_claimed_slots),
        cmocka_unit_test(test_regions_corrupt),
        cmocka_unit_test(test_ring_corrupt),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_random_slots),
        cmocka_unit_test(test_random_valid_regions),
    };
    return cmocka_run_group_tests_name("job_reader", tests, NULL, NULL);
}
