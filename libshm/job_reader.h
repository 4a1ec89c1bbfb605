/* The controller's reader of slots.  Everything in a slot was written by
 * a process the controller does not trust: every index, length and state
 * is checked before use, and a slot that fails a check is reported as
 * corrupt, never followed. */
#ifndef GEOPM_JOB_READER_H_INCLUDE
#define GEOPM_JOB_READER_H_INCLUDE

#include <stddef.h>
#include <stdint.h>

#include "job_layout.h"

/* What one sample of a slot sees: cheap, read every period. */
struct geopm_job_sample {
    uint32_t state; /* enum geopm_job_slot_state */
    int32_t pid;
    int32_t rank;
    uint32_t region_count;
    uint64_t start_ns;
    uint64_t end_ns;
    uint64_t current; /* hash | hint << 32 */
    uint64_t epoch_count;
    uint64_t epoch_first_ns;
    uint64_t epoch_last_ns;
    double progress; /* 0 to 1; 0 when no work units were declared */
    uint64_t error_count;
    uint64_t overhead_ns;
    uint64_t events_dropped;
    char program[GEOPM_JOB_PROGRAM_MAX];
};

/* One region of a slot, both lanes summed. */
struct geopm_job_region_record {
    uint64_t id;
    uint64_t count;
    uint64_t total_ns;
    uint64_t hint_ns[GEOPM_NUM_REGION_HINT];
    char name[GEOPM_JOB_NAME_MAX + 1];
};

/* Reads the cheap fields of a slot.  Returns 0, or GEOPM_ERROR_CORRUPT with
 * a message in why (state, counts or program name out of range, finished
 * without an end time). */
int geopm__job_sample_slot(const struct geopm_job_slot *slot, struct geopm_job_sample *sample,
                           char *why, size_t why_size);

/* The pid, rank and program a slot claims, as they are (the program cut to
 * its buffer), in an otherwise zeroed identity: to name a slot found
 * corrupt before any good sample of it.  Returns 0 or GEOPM_ERROR_INVALID. */
int geopm__job_slot_identity(const struct geopm_job_slot *slot,
                             struct geopm_job_sample *identity);

/* Copies the slot's regions, at most max of them, into records.  Returns
 * the number copied, or GEOPM_ERROR_CORRUPT with a message in why (a
 * region count, name offset or name length out of range, a name without
 * its NUL). */
int geopm__job_read_regions(const struct geopm_job_slot *slot,
                            struct geopm_job_region_record *records, uint32_t max, char *why,
                            size_t why_size);

/* Moves up to max events of the slot's ring into events, oldest first, and
 * releases their space to the process; with events NULL they are released
 * uncopied (counted only), at a cost that does not grow with their number.
 * Returns the number moved, or GEOPM_ERROR_CORRUPT when head and tail are
 * inconsistent (the ring is then reset to empty from the controller's
 * side). */
int geopm__job_drain_ring(struct geopm_job_slot *slot, struct geopm_job_event *events,
                          uint32_t max, char *why, size_t why_size);

#endif
