/* Marker cost: ns per geopm_prof_enter + geopm_prof_exit pair on a live
 * segment, next to two reads of the runtime's clock and two
 * clock_gettime() calls, measured in the same process.  Prints the median
 * of several repetitions.  A benchmark, not a test: it asserts nothing. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "job_clock.h"
#include "geopm_prof.h"
#include "job.h"

enum { REPETITIONS = 7 };

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values, int count)
{
    qsort(values, (size_t)count, sizeof(*values), compare);
    return values[count / 2];
}

static volatile uint64_t g_sink;

static double pairs_ns(uint64_t id, long iterations)
{
    double begin = now_s();
    for (long i = 0; i < iterations; ++i) {
        geopm_prof_enter(id);
        geopm_prof_exit(id);
    }
    return (now_s() - begin) * 1e9 / (double)iterations;
}

static double runtime_clock_ns(long iterations)
{
    double begin = now_s();
    uint64_t sum = 0;
    for (long i = 0; i < iterations; ++i) {
        sum += geopm__clock_ns();
        sum += geopm__clock_ns();
    }
    g_sink = sum;
    return (now_s() - begin) * 1e9 / (double)iterations;
}

static double clock_gettime_ns(long iterations)
{
    double begin = now_s();
    uint64_t sum = 0;
    struct timespec ts;
    for (long i = 0; i < iterations; ++i) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        sum += (uint64_t)ts.tv_nsec;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        sum += (uint64_t)ts.tv_nsec;
    }
    g_sink = sum;
    return (now_s() - begin) * 1e9 / (double)iterations;
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 2000000;
    char key[64];
    snprintf(key, sizeof(key), "/geopm-bench-markers-%d", (int)getpid());
    struct geopm_job *job = NULL;
    if (geopm__job_create(key, 1, -1, -1, &job) != 0) {
        fprintf(stderr, "bench_markers: cannot create a segment at %s\n", key);
        return 1;
    }
    setenv("GEOPM_SHMKEY", key, 1);
    setenv("GEOPM_PROFILE", "bench", 1);
    uint64_t id = 0;
    geopm_prof_region("bench", GEOPM_REGION_HINT_COMPUTE, &id);
    double pair[REPETITIONS], runtime_clock[REPETITIONS], gettime[REPETITIONS];
    for (int r = 0; r < REPETITIONS; ++r) {
        pair[r] = pairs_ns(id, iterations);
        runtime_clock[r] = runtime_clock_ns(iterations);
        gettime[r] = clock_gettime_ns(iterations);
    }
    double pair_median = median(pair, REPETITIONS);
    double clock_median = median(runtime_clock, REPETITIONS);
    double gettime_median = median(gettime, REPETITIONS);
    printf("enter+exit pair          %8.1f ns\n", pair_median);
    printf("two runtime clock reads  %8.1f ns   ratio %.2f\n", clock_median,
           pair_median / clock_median);
    printf("two clock_gettime calls  %8.1f ns   ratio %.2f\n", gettime_median,
           pair_median / gettime_median);
    printf("segment bytes per rank   %8zu\n", sizeof(struct geopm_job_slot));
    geopm__job_destroy(job, true);
    return 0;
}
