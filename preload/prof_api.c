#include <config.h>

#include <math.h>
#include <string.h>

#include "crc32.h"
#include "error_detail.h"
#include "geopm_error.h"
#include "geopm_export.h"
#include "geopm_prof.h"
#include "job_layout.h"
#include "marker.h"
#include "runtime.h"

int geopm__prof_region(const char *region_name, uint64_t hint, uint64_t *region_id)
{
    /* Naming a region is the first call of most programs: it attaches. */
    geopm__runtime_slot();
    if (region_name == NULL || region_id == NULL) {
        return geopm__runtime_refuse(
            geopm__error(GEOPM_ERROR_INVALID, "geopm_prof_region: %s is NULL",
                         region_name == NULL ? "region_name" : "region_id"));
    }
    size_t length = strnlen(region_name, GEOPM_JOB_NAME_MAX + 1);
    if (length == 0 || length > GEOPM_JOB_NAME_MAX) {
        return geopm__runtime_refuse(geopm__error(
            GEOPM_ERROR_INVALID, "geopm_prof_region: region_name is %s (1 to %u bytes allowed)",
            length == 0 ? "empty" : "too long", GEOPM_JOB_NAME_MAX));
    }
    if (hint >= GEOPM_NUM_REGION_HINT) {
        return geopm__runtime_refuse(
            geopm__error(GEOPM_ERROR_INVALID,
                         "geopm_prof_region: region \"%.64s\": hint %llu is not a "
                         "geopm_region_hint_e value",
                         region_name, (unsigned long long)hint));
    }
    uint64_t id = geopm_region_id_make(geopm__crc32(region_name, length), hint);
    int index = geopm__runtime_add_region(id, region_name);
    if (index < 0) {
        return geopm__runtime_refuse(index);
    }
    *region_id = id;
    return 0;
}

GEOPM_EXPORT int geopm_prof_region(const char *region_name, uint64_t hint, uint64_t *region_id)
{
    return geopm__prof_region(region_name, hint, region_id);
}

GEOPM_EXPORT int geopm_prof_enter(uint64_t region_id)
{
    return geopm__marker_enter(region_id);
}

GEOPM_EXPORT int geopm_prof_exit(uint64_t region_id)
{
    return geopm__marker_exit(region_id);
}

GEOPM_EXPORT int geopm_prof_epoch(void)
{
    return geopm__marker_epoch();
}

GEOPM_EXPORT int geopm_prof_shutdown(void)
{
    geopm__runtime_finish();
    return 0;
}

GEOPM_EXPORT int geopm_tprof_init(uint32_t num_work_unit)
{
    if (num_work_unit == 0) {
        return geopm__runtime_refuse(
            geopm__error(GEOPM_ERROR_INVALID, "geopm_tprof_init: num_work_unit is 0"));
    }
    return geopm__marker_progress_init(num_work_unit);
}

GEOPM_EXPORT int geopm_tprof_post(void)
{
    return geopm__marker_progress_post();
}

GEOPM_EXPORT int geopm_prof_overhead(double overhead_sec)
{
    if (!isfinite(overhead_sec) || overhead_sec < 0.0 || overhead_sec > 1e9) {
        return geopm__runtime_refuse(
            geopm__error(GEOPM_ERROR_INVALID,
                         "geopm_prof_overhead: overhead_sec %g is not a number of seconds "
                         "from 0 to 1e9",
                         overhead_sec));
    }
    struct geopm_job_slot *slot = geopm__runtime_slot();
    if (slot != NULL) {
        atomic_fetch_add_explicit(&slot->info.overhead_ns, (uint64_t)(overhead_sec * 1e9),
                                  memory_order_relaxed);
    }
    return 0;
}
