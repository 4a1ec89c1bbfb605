/* Marker cost: ns per geopm_prof_enter + geopm_prof_exit pair, next to two
 * reads of the runtime's clock and two clock_gettime() calls, measured in
 * the same process and interleaved, so that all three see the same
 * machine.  Prints the median of several repetitions.  A benchmark, not a
 * test: it asserts nothing.
 *
 * Batches are timed with the thread's CPU time (CLOCK_THREAD_CPUTIME_ID):
 * on a machine shared with other work, time this thread spends waiting
 * for a core is not the cost of what it runs.  The pairs' wall time is
 * printed too.
 *
 * Usage: bench_markers [PAIRS [REPETITIONS]]  (defaults 2000000 and 7)
 *
 * With GEOPM_PROFILE and GEOPM_SHMKEY set it attaches to the live
 * controller serving that key, as an annotated application does; without
 * them it creates a segment of its own, in process, and attaches to that
 * (no controller drains its ring then).  It also prints how many pairs it
 * made in all, so that the report's count can be compared with it. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "geopm_prof.h"
#include "job.h"
#include "job_clock.h"
#include "../test_args.h"

enum { REPETITIONS_DEFAULT = 7, REPETITIONS_MAX = 101 };

static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now_s(void)
{
    return seconds(CLOCK_THREAD_CPUTIME_ID);
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
static long g_pairs_made;

/* Returns CPU ns per pair; wall ns per pair in *wall_ns. */
static double pairs_ns(uint64_t id, long iterations, double *wall_ns)
{
    double wall_begin = seconds(CLOCK_MONOTONIC);
    double begin = now_s();
    for (long i = 0; i < iterations; ++i) {
        geopm_prof_enter(id);
        geopm_prof_exit(id);
    }
    double end = now_s();
    *wall_ns = (seconds(CLOCK_MONOTONIC) - wall_begin) * 1e9 / (double)iterations;
    g_pairs_made += iterations;
    return (end - begin) * 1e9 / (double)iterations;
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
    long iterations = test_argument(argc, argv, 1, 2000000, 1, 1000000000L);
    int repetitions =
        (int)test_argument(argc, argv, 2, REPETITIONS_DEFAULT, 1, REPETITIONS_MAX);
    struct geopm_job *job = NULL;
    bool live = getenv("GEOPM_PROFILE") != NULL && getenv("GEOPM_SHMKEY") != NULL;
    if (!live) {
        char key[64];
        snprintf(key, sizeof(key), "/geopm-bench-markers-%d", (int)getpid());
        if (geopm__job_create(key, 1, -1, -1, &job) != 0) {
            fprintf(stderr, "bench_markers: cannot create a segment at %s\n", key);
            return 1;
        }
        setenv("GEOPM_SHMKEY", key, 1);
        setenv("GEOPM_PROFILE", "bench", 1);
    }
    /* Naming the first region attaches: the runtime's clock is the
     * controller's calibration from then on. */
    uint64_t id = 0;
    if (geopm_prof_region("bench", GEOPM_REGION_HINT_COMPUTE, &id) != 0) {
        fprintf(stderr, "bench_markers: geopm_prof_region failed\n");
        geopm__job_destroy(job, true);
        return 1;
    }
    /* Warm up the caches, the branch predictors and the CPU's clock. */
    double wall_ns = 0.0;
    pairs_ns(id, iterations / 10 + 1, &wall_ns);
    runtime_clock_ns(iterations / 10 + 1);
    clock_gettime_ns(iterations / 10 + 1);
    double pair[REPETITIONS_MAX], pair_wall[REPETITIONS_MAX];
    double runtime_clock[REPETITIONS_MAX], gettime[REPETITIONS_MAX];
    for (int r = 0; r < repetitions; ++r) {
        pair[r] = pairs_ns(id, iterations, &pair_wall[r]);
        runtime_clock[r] = runtime_clock_ns(iterations);
        gettime[r] = clock_gettime_ns(iterations);
    }
    double pair_median = median(pair, repetitions);
    double clock_median = median(runtime_clock, repetitions);
    double gettime_median = median(gettime, repetitions);
    printf("segment                  %s\n", live ? "live controller" : "in process");
    printf("runtime clock            %s\n", geopm__g_clock.tsc_mult != 0 ? "tsc" : "monotonic");
    printf("enter+exit pair          %8.2f ns\n", pair_median);
    printf("enter+exit pair (wall)   %8.2f ns\n", median(pair_wall, repetitions));
    printf("two runtime clock reads  %8.2f ns   ratio %.2f\n", clock_median,
           pair_median / clock_median);
    printf("two clock_gettime calls  %8.2f ns   ratio %.2f\n", gettime_median,
           pair_median / gettime_median);
    printf("segment bytes per rank   %8zu\n", sizeof(struct geopm_job_slot));
    printf("pairs made               %8ld\n", g_pairs_made);
    geopm_prof_shutdown();
    geopm__job_destroy(job, true);
    return 0;
}
