/* The clock of every timestamp in a job segment: CLOCK_MONOTONIC in
 * nanoseconds.  Where the CPU's time stamp counter is invariant, ranks read
 * it instead (rdtsc costs a third of clock_gettime) and convert it with a
 * calibration the controller made once and published in the segment, so
 * that every rank converts alike. */
#ifndef GEOPM_JOB_CLOCK_H_INCLUDE
#define GEOPM_JOB_CLOCK_H_INCLUDE

#include <stdint.h>
#include <time.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

/* ns = ref_ns + (tsc - ref_tsc) * tsc_mult / 2^32; tsc_mult 0: no TSC. */
struct geopm_job_clock {
    uint64_t ref_tsc;
    uint64_t ref_ns;
    uint64_t tsc_mult;
};

/* The process's clock; all zero (CLOCK_MONOTONIC) until it attaches. */
extern struct geopm_job_clock geopm__g_clock;

static inline uint64_t geopm__clock_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

static inline uint64_t geopm__clock_ns(void)
{
#if defined(__x86_64__)
    if (geopm__g_clock.tsc_mult != 0) {
        int64_t ticks = (int64_t)(__rdtsc() - geopm__g_clock.ref_tsc);
        return geopm__g_clock.ref_ns +
               (uint64_t)(int64_t)(((__int128)ticks * geopm__g_clock.tsc_mult) >> 32);
    }
#endif
    return geopm__clock_monotonic_ns();
}

/* Measures the TSC against CLOCK_MONOTONIC, when the TSC is invariant
 * (constant_tsc and nonstop_tsc) and the kernel itself keeps time with it,
 * and GEOPM_CLOCK is not "monotonic"; otherwise leaves tsc_mult 0.  Takes
 * about 10 ms: the controller does it once, at start. */
void geopm__clock_calibrate(struct geopm_job_clock *clock);

/* Makes clock the process's clock. */
void geopm__clock_use(const struct geopm_job_clock *clock);

#endif
