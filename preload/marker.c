#include <config.h>

#include "marker.h"

#include <pthread.h>
#include <stdbool.h>

#include "error_detail.h"
#include "job_clock.h"
#include "geopm_error.h"
#include "job_writer.h"
#include "runtime.h"

/* Where the calling thread is.  Initial-exec TLS: one instruction to
 * reach, no call to __tls_get_addr on the marker path. */
struct thread_markers {
    uint32_t lane_plus_one; /* 0 until the thread's first marker */
    uint32_t depth;
    uint32_t outer_index;
    uint32_t hint; /* the current hint */
    uint64_t outer_hash;
    uint64_t enter_ns;
    uint64_t hint_start_ns;
    uint64_t stack_id[GEOPM_MARKER_NEST_MAX];
    uint8_t stack_hint[GEOPM_MARKER_NEST_MAX]; /* the hint before each level */
};

static _Thread_local struct thread_markers t_markers __attribute__((tls_model("initial-exec")));

static inline enum geopm_job_lane thread_lane(struct thread_markers *markers)
{
    if (__builtin_expect(markers->lane_plus_one == 0, 0)) {
        bool is_main = pthread_equal(pthread_self(), geopm__g_runtime.main_thread);
        markers->lane_plus_one = 1 + (is_main ? GEOPM_JOB_LANE_MAIN : GEOPM_JOB_LANE_SHARED);
    }
    return (enum geopm_job_lane)(markers->lane_plus_one - 1);
}

/* Counted in the slot, and described for geopm_error_message(): off the
 * hot path, since only a wrong call gets here. */
static int refuse(const char *why, uint64_t id)
{
    return geopm__runtime_refuse(
        geopm__error(GEOPM_ERROR_REGION, "%s (region id 0x%llx)", why, (unsigned long long)id));
}

/* Ends the time of the current hint and starts that of another. */
static inline void switch_hint(struct geopm_job_slot *slot, struct thread_markers *markers,
                               enum geopm_job_lane lane, uint32_t hint)
{
    uint64_t now = geopm__clock_ns();
    geopm__job_region_hint_time(&slot->regions[markers->outer_index], lane, markers->hint,
                                now - markers->hint_start_ns);
    markers->hint = hint;
    markers->hint_start_ns = now;
    if (lane == GEOPM_JOB_LANE_MAIN) {
        geopm__job_publish_current(slot, markers->outer_hash, hint);
    }
}

static inline void enter_outermost(struct geopm_job_slot *slot, struct thread_markers *markers,
                                   enum geopm_job_lane lane, uint32_t index, uint64_t id)
{
    uint64_t now = geopm__clock_ns();
    markers->outer_index = index;
    markers->outer_hash = geopm_region_id_hash(id);
    markers->hint = (uint32_t)geopm_region_id_hint(id);
    markers->enter_ns = now;
    markers->hint_start_ns = now;
    if (lane == GEOPM_JOB_LANE_MAIN) {
        geopm__job_publish_current(slot, markers->outer_hash, markers->hint);
        atomic_store_explicit(&slot->status.progress_total, 0, memory_order_relaxed);
        atomic_store_explicit(&slot->status.progress_done, 0, memory_order_relaxed);
        geopm__job_ring_push(slot, GEOPM_JOB_EVENT_ENTER, id, now);
    }
}

static inline void exit_outermost(struct geopm_job_slot *slot, struct thread_markers *markers,
                                  enum geopm_job_lane lane, uint64_t id)
{
    uint64_t now = geopm__clock_ns();
    struct geopm_job_region *region = &slot->regions[markers->outer_index];
    geopm__job_region_visit(region, lane, now - markers->enter_ns);
    geopm__job_region_hint_time(region, lane, markers->hint, now - markers->hint_start_ns);
    if (lane == GEOPM_JOB_LANE_MAIN) {
        geopm__job_publish_current(slot, GEOPM_REGION_HASH_UNMARKED, GEOPM_REGION_HINT_UNSET);
        geopm__job_ring_push(slot, GEOPM_JOB_EVENT_EXIT, id, now);
    }
}

/* Enters region index of the registry, whose id is id.  Inlined in both
 * callers, so that neither pays for one more call. */
__attribute__((always_inline)) static inline void enter(struct geopm_job_slot *slot, uint32_t index,
                                                        uint64_t id)
{
    struct thread_markers *markers = &t_markers;
    enum geopm_job_lane lane = thread_lane(markers);
    uint32_t depth = markers->depth;
    if (depth == 0) {
        enter_outermost(slot, markers, lane, index, id);
    }
    else if (depth < GEOPM_MARKER_NEST_MAX) {
        /* A nested region only changes the hint of the outermost one's
         * time; one without a hint keeps the current hint. */
        uint32_t hint = (uint32_t)geopm_region_id_hint(id);
        markers->stack_hint[depth] = (uint8_t)markers->hint;
        if (hint != GEOPM_REGION_HINT_UNSET && hint != markers->hint) {
            switch_hint(slot, markers, lane, hint);
        }
    }
    if (depth < GEOPM_MARKER_NEST_MAX) {
        markers->stack_id[depth] = id;
    }
    markers->depth = depth + 1;
}

int geopm__marker_enter(uint64_t id)
{
    struct geopm_job_slot *slot = geopm__runtime_slot();
    if (slot == NULL) {
        return 0;
    }
    int index = geopm__registry_find(&geopm__g_runtime.registry, id);
    if (index < 0) {
        return refuse("geopm_prof_enter: not an id geopm_prof_region returned in this process",
                      id);
    }
    enter(slot, (uint32_t)index, id);
    return 0;
}

void geopm__marker_enter_index(uint32_t index, uint64_t id)
{
    struct geopm_job_slot *slot = geopm__runtime_slot();
    if (slot != NULL) {
        enter(slot, index, id);
    }
}

int geopm__marker_exit(uint64_t id)
{
    struct geopm_job_slot *slot = geopm__runtime_slot();
    if (slot == NULL) {
        return 0;
    }
    struct thread_markers *markers = &t_markers;
    uint32_t depth = markers->depth;
    if (depth == 0) {
        return refuse("geopm_prof_exit: this thread is in no region", id);
    }
    if (depth <= GEOPM_MARKER_NEST_MAX && markers->stack_id[depth - 1] != id) {
        return refuse("geopm_prof_exit: not the region this thread entered last", id);
    }
    enum geopm_job_lane lane = thread_lane(markers);
    depth -= 1;
    markers->depth = depth;
    if (depth == 0) {
        exit_outermost(slot, markers, lane, id);
    }
    else if (depth < GEOPM_MARKER_NEST_MAX) {
        uint32_t hint = markers->stack_hint[depth];
        if (hint != markers->hint) {
            switch_hint(slot, markers, lane, hint);
        }
    }
    return 0;
}

int geopm__marker_epoch(void)
{
    struct geopm_job_slot *slot = geopm__runtime_slot();
    if (slot == NULL) {
        return 0;
    }
    struct thread_markers *markers = &t_markers;
    /* As in GEOPM, an epoch inside a region hinted "ignore" is not one. */
    if (markers->depth != 0 && markers->hint == GEOPM_REGION_HINT_IGNORE) {
        return 0;
    }
    uint64_t now = geopm__clock_ns();
    struct geopm_job_slot_status *status = &slot->status;
    if (atomic_fetch_add_explicit(&status->epoch_count, 1, memory_order_relaxed) == 0) {
        atomic_store_explicit(&status->epoch_first_ns, now, memory_order_relaxed);
    }
    atomic_store_explicit(&status->epoch_last_ns, now, memory_order_relaxed);
    if (thread_lane(markers) == GEOPM_JOB_LANE_MAIN) {
        geopm__job_ring_push(slot, GEOPM_JOB_EVENT_EPOCH, GEOPM_REGION_HASH_EPOCH, now);
    }
    return 0;
}

int geopm__marker_progress_init(uint32_t units)
{
    struct geopm_job_slot *slot = geopm__runtime_slot();
    if (slot != NULL) {
        atomic_fetch_add_explicit(&slot->status.progress_total, units, memory_order_relaxed);
    }
    return 0;
}

int geopm__marker_progress_post(void)
{
    struct geopm_job_slot *slot = geopm__runtime_slot();
    if (slot != NULL) {
        atomic_fetch_add_explicit(&slot->status.progress_done, 1, memory_order_relaxed);
    }
    return 0;
}
