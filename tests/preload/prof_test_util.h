/* A live job segment for the tests of libgeopm, and readers of its slot. */
#ifndef PROF_TEST_UTIL_H_INCLUDE
#define PROF_TEST_UTIL_H_INCLUDE

#include <stdint.h>

#include "job.h"

/* Creates a job segment with one slot under a key unique to this process,
 * and points GEOPM_SHMKEY and GEOPM_PROFILE at it. */
struct geopm_job *prof_test_job_create(void);
/* Unlinks and unmaps it. */
void prof_test_job_destroy(struct geopm_job *job);

/* The region of the slot with this id, or NULL. */
const struct geopm_job_region *prof_test_region(const struct geopm_job_slot *slot, uint64_t id);
/* Count, total time, and time under hint of a region, both lanes summed. */
uint64_t prof_test_count(const struct geopm_job_region *region);
uint64_t prof_test_total_ns(const struct geopm_job_region *region);
uint64_t prof_test_hint_ns(const struct geopm_job_region *region, uint64_t hint);

/* Busy-waits for ns nanoseconds of CLOCK_MONOTONIC. */
void prof_test_spin_ns(uint64_t ns);

#endif
