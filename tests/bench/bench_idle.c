/* The floor under the controller's cost: a process that does nothing but
 * sleep on absolute deadlines one period apart, as geopmctl's sampling
 * loop does, and wake.  Its CPU time per second is what any sampler at that
 * period costs on this machine before it reads anything.
 *
 * Usage: bench_idle PERIOD_S SECONDS
 * Prints: bench_idle: wakes N cpu_ns C per_wake_ns W percent_core P
 * A benchmark, not a test: it asserts nothing. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t clock_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    double period = argc > 1 ? strtod(argv[1], NULL) : 0.0;
    double seconds = argc > 2 ? strtod(argv[2], NULL) : 0.0;
    if (argc != 3 || !(period > 0.0 && period <= 60.0) || !(seconds > 0.0 && seconds <= 3600.0)) {
        fprintf(stderr, "usage: bench_idle PERIOD_S SECONDS\n");
        return 2;
    }
    uint64_t period_ns = (uint64_t)(period * 1e9);
    uint64_t start = clock_ns(CLOCK_MONOTONIC);
    uint64_t end = start + (uint64_t)(seconds * 1e9);
    uint64_t cpu_start = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    uint64_t deadline = start;
    long wakes = 0;
    for (;;) {
        uint64_t now = clock_ns(CLOCK_MONOTONIC);
        if (now >= end) {
            break;
        }
        deadline += period_ns;
        if (deadline <= now) {
            deadline = now + period_ns;
        }
        struct timespec wake = {(time_t)(deadline / UINT64_C(1000000000)),
                                (long)(deadline % UINT64_C(1000000000))};
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL);
        ++wakes;
    }
    uint64_t cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
    double wall = (double)(clock_ns(CLOCK_MONOTONIC) - start);
    printf("bench_idle: wakes %ld cpu_ns %llu per_wake_ns %.0f percent_core %.4f\n", wakes,
           (unsigned long long)cpu, wakes > 0 ? (double)cpu / (double)wakes : 0.0,
           100.0 * (double)cpu / wall);
    return 0;
}
