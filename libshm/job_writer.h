/* A process's writes to its own slot.  The process is the slot's only
 * writer (but for the ring's tail), so the marker path needs no lock: a
 * value a reader may see mid-update is a single aligned word. */
#ifndef GEOPM_JOB_WRITER_H_INCLUDE
#define GEOPM_JOB_WRITER_H_INCLUDE

#include <stdint.h>

#include "job_layout.h"

/* Adds value to a word that only this thread writes: a plain load and
 * store, no read-modify-write instruction. */
static inline void geopm__job_add_single(_Atomic uint64_t *word, uint64_t value)
{
    atomic_store_explicit(word, atomic_load_explicit(word, memory_order_relaxed) + value,
                          memory_order_relaxed);
}

/* Adds to a lane: the main lane has one writer, the shared lane many. */
static inline void geopm__job_lane_add(_Atomic uint64_t *word, enum geopm_job_lane lane,
                                       uint64_t value)
{
    if (lane == GEOPM_JOB_LANE_MAIN) {
        geopm__job_add_single(word, value);
    }
    else {
        atomic_fetch_add_explicit(word, value, memory_order_relaxed);
    }
}

/* Records one completed outermost visit of a region. */
static inline void geopm__job_region_visit(struct geopm_job_region *region,
                                           enum geopm_job_lane lane, uint64_t elapsed_ns)
{
    struct geopm_job_totals *totals = &region->lane[lane];
    geopm__job_lane_add(&totals->count, lane, 1);
    geopm__job_lane_add(&totals->total_ns, lane, elapsed_ns);
}

static inline void geopm__job_region_hint_time(struct geopm_job_region *region,
                                               enum geopm_job_lane lane, uint64_t hint,
                                               uint64_t elapsed_ns)
{
    geopm__job_lane_add(&region->lane[lane].hint_ns[hint], lane, elapsed_ns);
}

/* Publishes the outermost region and the current hint as one word. */
static inline void geopm__job_publish_current(struct geopm_job_slot *slot, uint64_t hash,
                                              uint64_t hint)
{
    atomic_store_explicit(&slot->status.current, geopm_region_id_make(hash, hint),
                          memory_order_relaxed);
}

/* Appends an event to the ring for the trace; when the controller has not
 * made room, the event is dropped and counted: a process never waits for
 * the controller.  One producer: the slot's main thread. */
static inline void geopm__job_ring_push(struct geopm_job_slot *slot,
                                        enum geopm_job_event_kind kind, uint64_t id,
                                        uint64_t time_ns)
{
    struct geopm_job_ring_producer *producer = &slot->producer;
    uint64_t head = atomic_load_explicit(&producer->head, memory_order_relaxed);
    if (head - producer->tail_seen >= GEOPM_JOB_RING_SIZE) {
        /* Read the controller's line only when the cached tail says full. */
        producer->tail_seen = atomic_load_explicit(&slot->consumer.tail, memory_order_acquire);
        if (head - producer->tail_seen >= GEOPM_JOB_RING_SIZE) {
            geopm__job_add_single(&producer->dropped, 1);
            return;
        }
    }
    struct geopm_job_event *event = &slot->ring[head & (GEOPM_JOB_RING_SIZE - 1)];
    event->time_ns = time_ns;
    event->what = ((uint64_t)kind << GEOPM_JOB_EVENT_KIND_SHIFT) | id;
    atomic_store_explicit(&producer->head, head + 1, memory_order_release);
}

/* Writes region index (id, name) into the slot and then publishes it by
 * raising region_count.  Regions are written in index order.  A name that
 * no longer fits in the pool is kept empty (the region is reported by its
 * hash).  Returns 0, or GEOPM_ERROR_FULL when the name was left out. */
int geopm__job_slot_add_region(struct geopm_job_slot *slot, uint32_t index, uint64_t id,
                               const char *name);

#endif
