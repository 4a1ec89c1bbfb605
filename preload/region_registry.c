#include <config.h>

#include "region_registry.h"

#include <stdio.h>

#include "error_detail.h"
#include "geopm_error.h"

int geopm__registry_add(struct geopm_region_registry *registry, uint64_t id, const char *name)
{
    int found = geopm__registry_find(registry, id);
    if (found >= 0) {
        return found;
    }
    if (registry->count == GEOPM_JOB_REGION_MAX) {
        return geopm__error(GEOPM_ERROR_FULL,
                            "region \"%.64s\": this process already named %u regions", name,
                            GEOPM_JOB_REGION_MAX);
    }
    uint32_t index = registry->count;
    registry->id[index] = id;
    snprintf(registry->name[index], sizeof(registry->name[index]), "%s", name);
    uint32_t bucket = geopm__registry_bucket(id);
    while (atomic_load_explicit(&registry->bucket_key[bucket], memory_order_relaxed) != 0) {
        bucket = (bucket + 1) & (GEOPM_REGISTRY_BUCKETS - 1);
    }
    registry->bucket_index[bucket] = (uint16_t)index;
    atomic_store_explicit(&registry->bucket_key[bucket], id + 1, memory_order_release);
    registry->count = index + 1;
    return (int)index;
}
