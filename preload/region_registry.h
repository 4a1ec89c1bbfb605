/* The process's regions: the id and name of every region it named, in the
 * order it named them.  The index of a region here is its index in the
 * process's slot of the job segment. */
#ifndef GEOPM_REGION_REGISTRY_H_INCLUDE
#define GEOPM_REGION_REGISTRY_H_INCLUDE

#include <stdint.h>

#include "job_layout.h"

/* Buckets of the id lookup table: twice the regions, a power of two. */
#define GEOPM_REGISTRY_BUCKETS (2 * GEOPM_JOB_REGION_MAX)

struct geopm_region_registry {
    /* id + 1 of the region in each bucket, 0 when empty; released after
     * index is written, so lookups need no lock. */
    _Atomic uint64_t bucket_key[GEOPM_REGISTRY_BUCKETS];
    uint16_t bucket_index[GEOPM_REGISTRY_BUCKETS];
    /* Written under the runtime's lock only. */
    uint32_t count;
    uint64_t id[GEOPM_JOB_REGION_MAX];
    char name[GEOPM_JOB_REGION_MAX][GEOPM_JOB_NAME_MAX + 1];
};

static inline uint32_t geopm__registry_bucket(uint64_t id)
{
    return (uint32_t)(((id ^ (id >> 29)) * UINT64_C(0x9e3779b97f4a7c15)) >> 55) &
           (GEOPM_REGISTRY_BUCKETS - 1);
}

/* The index of region id, or -1 if it was never added.  Safe from any
 * thread without a lock; this is on the marker path. */
static inline int geopm__registry_find(const struct geopm_region_registry *registry, uint64_t id)
{
    uint32_t bucket = geopm__registry_bucket(id);
    for (uint32_t probe = 0; probe < GEOPM_REGISTRY_BUCKETS; ++probe) {
        uint64_t key = atomic_load_explicit(&registry->bucket_key[bucket], memory_order_acquire);
        /* Empty first: id UINT64_MAX would otherwise match an empty
         * bucket's key (id + 1 wraps to 0). */
        if (key == 0) {
            return -1;
        }
        if (key == id + 1) {
            return registry->bucket_index[bucket];
        }
        bucket = (bucket + 1) & (GEOPM_REGISTRY_BUCKETS - 1);
    }
    return -1;
}

/* Adds region id named name (the caller holds the runtime's lock) and
 * returns its index, or its index if it is already there, or
 * GEOPM_ERROR_FULL. */
int geopm__registry_add(struct geopm_region_registry *registry, uint64_t id, const char *name);

#endif
