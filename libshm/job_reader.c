#include <config.h>

#include "job_reader.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "error_detail.h"
#include "geopm_error.h"

/*
 * Every value is read from the slot once, into a local, and checked there:
 * the process may rewrite the slot between two reads, so a check on one
 * read and a use of another would prove nothing.  Only what a correct
 * writer can never produce, at any moment of any interleaving, is called
 * corrupt: the controller skips a corrupt slot for good, so a false alarm
 * would lose a healthy rank.
 */

static int corrupt(char *why, size_t why_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int corrupt(char *why, size_t why_size, const char *fmt, ...)
{
    char message[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof(message), fmt, args);
    va_end(args);
    if (why != NULL && why_size > 0) {
        snprintf(why, why_size, "%s", message);
    }
    return geopm__error(GEOPM_ERROR_CORRUPT, "%s", message);
}

/* Relaxed loads suffice for the counters: each is meaningful on its own,
 * and the state, loaded with acquire first, orders them after the fields
 * the process wrote before changing it. */
static uint64_t load64(const _Atomic uint64_t *word)
{
    return atomic_load_explicit(word, memory_order_relaxed);
}

static double progress_of(uint64_t done, uint64_t total)
{
    if (total == 0) {
        return 0.0;
    }
    /* A region change rewrites total and done one after the other, so a
     * sample may pair an old done with a new total: clamp, do not judge. */
    double progress = (double)done / (double)total;
    return progress > 1.0 ? 1.0 : progress;
}

int geopm__job_sample_slot(const struct geopm_job_slot *slot, struct geopm_job_sample *sample,
                           char *why, size_t why_size)
{
    if (slot == NULL || sample == NULL) {
        return geopm__error(GEOPM_ERROR_INVALID, "geopm__job_sample_slot: NULL argument");
    }
    const struct geopm_job_slot_info *info = &slot->info;
    const struct geopm_job_slot_status *status = &slot->status;
    struct geopm_job_sample s;
    memset(&s, 0, sizeof(s));

    s.state = atomic_load_explicit(&info->state, memory_order_acquire);
    if (s.state > GEOPM_JOB_SLOT_FINISHED) {
        return corrupt(why, why_size, "state %u is not a slot state", s.state);
    }
    if (s.state == GEOPM_JOB_SLOT_FREE) {
        /* Its claimer may be writing it right now: nothing in it is read
         * until the acquire above sees it claimed. */
        *sample = s;
        return 0;
    }
    /* Written before the slot was claimed, so ordered by the acquire. */
    s.pid = info->pid;
    s.rank = info->rank;
    /* Written after the claim, before the slot becomes active: a plain
     * field that may be written while it is read. */
    s.start_ns = atomic_load_explicit(&info->start_ns, memory_order_relaxed);
    s.end_ns = load64(&info->end_ns);
    s.region_count = atomic_load_explicit(&info->region_count, memory_order_relaxed);
    uint32_t pool_used = atomic_load_explicit(&info->name_pool_used, memory_order_relaxed);
    s.error_count = load64(&info->error_count);
    s.overhead_ns = load64(&info->overhead_ns);

    s.current = load64(&status->current);
    s.epoch_count = load64(&status->epoch_count);
    s.epoch_first_ns = load64(&status->epoch_first_ns);
    s.epoch_last_ns = load64(&status->epoch_last_ns);
    s.progress = progress_of(load64(&status->progress_done), load64(&status->progress_total));
    s.events_dropped = load64(&slot->producer.dropped);

    if (s.pid < 0 || (s.pid == 0 && s.state != GEOPM_JOB_SLOT_CLAIMED)) {
        return corrupt(why, why_size, "pid %d in a slot in state %u", (int)s.pid, s.state);
    }
    if (s.rank < -1) {
        return corrupt(why, why_size, "rank %d is negative", (int)s.rank);
    }
    if (s.region_count > GEOPM_JOB_REGION_MAX) {
        return corrupt(why, why_size, "region count %u is over the maximum of %u",
                       s.region_count, GEOPM_JOB_REGION_MAX);
    }
    if (pool_used > GEOPM_JOB_NAME_POOL_SIZE) {
        return corrupt(why, why_size, "name pool use %u is over its size of %u", pool_used,
                       GEOPM_JOB_NAME_POOL_SIZE);
    }
    /* A process stores its end time before it says it finished. */
    if (s.state == GEOPM_JOB_SLOT_FINISHED && s.end_ns == 0) {
        return corrupt(why, why_size, "finished without an end time");
    }
    if (s.end_ns != 0 && s.end_ns < s.start_ns) {
        return corrupt(why, why_size, "end time %llu is before start time %llu",
                       (unsigned long long)s.end_ns, (unsigned long long)s.start_ns);
    }
    uint64_t hint = geopm_region_id_hint(s.current);
    if (hint >= GEOPM_NUM_REGION_HINT || (s.current >> 40) != 0) {
        return corrupt(why, why_size, "current region 0x%016llx has no valid hint",
                       (unsigned long long)s.current);
    }
    /* The program name is copied as it is; only its end is required. */
    memcpy(s.program, info->program, sizeof(s.program));
    if (memchr(s.program, '\0', sizeof(s.program)) == NULL) {
        return corrupt(why, why_size, "program name has no NUL within %u bytes",
                       GEOPM_JOB_PROGRAM_MAX);
    }
    *sample = s;
    return 0;
}

int geopm__job_slot_identity(const struct geopm_job_slot *slot,
                             struct geopm_job_sample *identity)
{
    if (slot == NULL || identity == NULL) {
        return geopm__error(GEOPM_ERROR_INVALID, "geopm__job_slot_identity: NULL argument");
    }
    struct geopm_job_sample s;
    memset(&s, 0, sizeof(s));
    s.pid = slot->info.pid;
    s.rank = slot->info.rank;
    memcpy(s.program, slot->info.program, sizeof(s.program) - 1);
    *identity = s;
    return 0;
}

/* Checks one region entry and copies it, names and both lanes, into record. */
static int read_region(const struct geopm_job_slot *slot, uint32_t index,
                       struct geopm_job_region_record *record, char *why, size_t why_size)
{
    const struct geopm_job_region *region = &slot->regions[index];
    uint64_t id = region->id;
    uint32_t offset = region->name_offset;
    uint32_t length = region->name_length;

    if (geopm_region_id_hint(id) >= GEOPM_NUM_REGION_HINT || (id >> 40) != 0) {
        return corrupt(why, why_size, "region %u: id 0x%016llx has no valid hint", index,
                       (unsigned long long)id);
    }
    if (length > GEOPM_JOB_NAME_MAX) {
        return corrupt(why, why_size, "region %u: name length %u is over the maximum of %u",
                       index, length, GEOPM_JOB_NAME_MAX);
    }
    /* 64-bit sum: offset + length cannot wrap around. */
    if ((uint64_t)offset + length + 1 > GEOPM_JOB_NAME_POOL_SIZE) {
        return corrupt(why, why_size,
                       "region %u: name at offset %u, length %u, ends beyond the pool of %u",
                       index, offset, length, GEOPM_JOB_NAME_POOL_SIZE);
    }
    if (slot->name_pool[offset + length] != '\0') {
        return corrupt(why, why_size, "region %u: name at offset %u has no NUL after %u bytes",
                       index, offset, length);
    }
    memcpy(record->name, slot->name_pool + offset, length);
    record->name[length] = '\0';
    if (memchr(record->name, '\0', length) != NULL) {
        return corrupt(why, why_size, "region %u: name at offset %u is shorter than %u bytes",
                       index, offset, length);
    }
    record->id = id;
    record->count = 0;
    record->total_ns = 0;
    memset(record->hint_ns, 0, sizeof(record->hint_ns));
    for (int lane = 0; lane < GEOPM_JOB_LANES; ++lane) {
        const struct geopm_job_totals *totals = &region->lane[lane];
        record->count += load64(&totals->count);
        record->total_ns += load64(&totals->total_ns);
        for (int hint = 0; hint < GEOPM_NUM_REGION_HINT; ++hint) {
            record->hint_ns[hint] += load64(&totals->hint_ns[hint]);
        }
    }
    return 0;
}

int geopm__job_read_regions(const struct geopm_job_slot *slot,
                            struct geopm_job_region_record *records, uint32_t max, char *why,
                            size_t why_size)
{
    if (slot == NULL || (records == NULL && max > 0)) {
        return geopm__error(GEOPM_ERROR_INVALID, "geopm__job_read_regions: NULL argument");
    }
    /* Acquire: every entry below the count, and its name, is complete. */
    uint32_t count = atomic_load_explicit(&slot->info.region_count, memory_order_acquire);
    if (count > GEOPM_JOB_REGION_MAX) {
        return corrupt(why, why_size, "region count %u is over the maximum of %u", count,
                       GEOPM_JOB_REGION_MAX);
    }
    uint32_t copied = count < max ? count : max;
    for (uint32_t index = 0; index < copied; ++index) {
        int err = read_region(slot, index, &records[index], why, why_size);
        if (err != 0) {
            return err;
        }
    }
    return (int)copied;
}

int geopm__job_drain_ring(struct geopm_job_slot *slot, struct geopm_job_event *events,
                          uint32_t max, char *why, size_t why_size)
{
    if (slot == NULL) {
        return geopm__error(GEOPM_ERROR_INVALID, "geopm__job_drain_ring: NULL argument");
    }
    /* Acquire: the events below head are written before head moves. */
    uint64_t head = atomic_load_explicit(&slot->producer.head, memory_order_acquire);
    uint64_t tail = atomic_load_explicit(&slot->consumer.tail, memory_order_relaxed);
    if (head < tail || head - tail > GEOPM_JOB_RING_SIZE) {
        atomic_store_explicit(&slot->consumer.tail, head, memory_order_release);
        return corrupt(why, why_size, "event ring head %llu and tail %llu are inconsistent",
                       (unsigned long long)head, (unsigned long long)tail);
    }
    uint64_t available = head - tail;
    uint32_t moved = available < max ? (uint32_t)available : max;
    for (uint32_t index = 0; events != NULL && index < moved; ++index) {
        events[index] = slot->ring[(tail + index) & (GEOPM_JOB_RING_SIZE - 1)];
    }
    /* Release: the process may reuse the space only once it is copied. */
    atomic_store_explicit(&slot->consumer.tail, tail + moved, memory_order_release);
    return (int)moved;
}
