#include <config.h>

#include "prof_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct geopm_job *prof_test_job_create(void)
{
    char key[64];
    snprintf(key, sizeof(key), "/geopm-test-prof-%d", (int)getpid());
    struct geopm_job *job = NULL;
    if (geopm__job_create(key, 1, -1, -1, &job) != 0) {
        return NULL;
    }
    setenv("GEOPM_SHMKEY", key, 1);
    setenv("GEOPM_PROFILE", "unit-test", 1);
    setenv("GEOPM_TIMEOUT", "1", 1);
    return job;
}

void prof_test_job_destroy(struct geopm_job *job)
{
    geopm__job_destroy(job, true);
}

const struct geopm_job_region *prof_test_region(const struct geopm_job_slot *slot, uint64_t id)
{
    uint32_t count = atomic_load(&slot->info.region_count);
    for (uint32_t i = 0; i < count && i < GEOPM_JOB_REGION_MAX; ++i) {
        if (slot->regions[i].id == id) {
            return &slot->regions[i];
        }
    }
    return NULL;
}

static uint64_t lanes_sum(const _Atomic uint64_t *main_word, const _Atomic uint64_t *shared_word)
{
    return atomic_load(main_word) + atomic_load(shared_word);
}

uint64_t prof_test_count(const struct geopm_job_region *region)
{
    return lanes_sum(&region->lane[0].count, &region->lane[1].count);
}

uint64_t prof_test_total_ns(const struct geopm_job_region *region)
{
    return lanes_sum(&region->lane[0].total_ns, &region->lane[1].total_ns);
}

uint64_t prof_test_hint_ns(const struct geopm_job_region *region, uint64_t hint)
{
    return lanes_sum(&region->lane[0].hint_ns[hint], &region->lane[1].hint_ns[hint]);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void prof_test_spin_ns(uint64_t ns)
{
    uint64_t end = now_ns() + ns;
    while (now_ns() < end) {
    }
}
