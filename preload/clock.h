/* The runtime's clock: CLOCK_MONOTONIC in nanoseconds, the time base of
 * every timestamp in the job segment, shared by ranks and controller. */
#ifndef GEOPM_CLOCK_H_INCLUDE
#define GEOPM_CLOCK_H_INCLUDE

#include <stdint.h>
#include <time.h>

static inline uint64_t geopm__clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

#endif
