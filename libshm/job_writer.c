#include <config.h>

#include "job_writer.h"

#include <string.h>

#include "geopm_error.h"

int geopm__job_slot_add_region(struct geopm_job_slot *slot, uint32_t index, uint64_t id,
                               const char *name)
{
    if (index >= GEOPM_JOB_REGION_MAX) {
        return GEOPM_ERROR_FULL;
    }
    struct geopm_job_region *region = &slot->regions[index];
    uint32_t used = atomic_load_explicit(&slot->info.name_pool_used, memory_order_relaxed);
    size_t length = strnlen(name, GEOPM_JOB_NAME_MAX);
    int err = 0;
    region->id = id;
    if (used + length + 1 <= GEOPM_JOB_NAME_POOL_SIZE) {
        memcpy(slot->name_pool + used, name, length);
        slot->name_pool[used + length] = '\0';
        region->name_offset = used;
        region->name_length = (uint32_t)length;
        atomic_store_explicit(&slot->info.name_pool_used, used + (uint32_t)length + 1,
                              memory_order_relaxed);
    }
    else {
        region->name_offset = 0;
        region->name_length = 0;
        err = GEOPM_ERROR_FULL;
    }
    atomic_store_explicit(&slot->info.region_count, index + 1, memory_order_release);
    return err;
}
