/* A stress writer that stands in for an MPI rank in the controller's cost
 * benchmark: it attaches to the controller named by GEOPM_SHMKEY (with
 * GEOPM_PROFILE set, as any annotated program without MPI does) and writes
 * enter/exit pairs of one region for SECONDS seconds.
 *
 * Usage: bench_writer SECONDS [BURST [PAUSE_US [stdin]]]  (defaults: 1000, 0)
 *
 * It writes BURST pairs at full speed, then sleeps PAUSE_US microseconds,
 * and again, until SECONDS have passed.  A burst of more than half the
 * ring (GEOPM_JOB_RING_SIZE events, two per pair) in every period fills
 * the ring before each sample, so the controller has the most to read and
 * drain per rank; the pauses only keep hundreds of writers from taking
 * both cores of a small machine away from the controller.  PAUSE_US 0
 * never sleeps.  With "stdin" it attaches, then waits for the end of its
 * standard input before it writes: a driver that starts hundreds of writers
 * holds a pipe open until the last one is started, then closes it, and all
 * of them start together.  Prints the pairs it made ("bench_writer: pairs
 * N"), for a comparison with the report's count. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "geopm_prof.h"
#include "../test_args.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_writer SECONDS [BURST [PAUSE_US [stdin]]]\n");
        return 2;
    }
    long seconds = test_argument(argc, argv, 1, 1, 1, 86400);
    long burst = test_argument(argc, argv, 2, 1000, 1, 1000000000L);
    long pause_us = test_argument(argc, argv, 3, 0, 0, 60000000L);
    uint64_t id = 0;
    if (geopm_prof_region("bench_writer", GEOPM_REGION_HINT_COMPUTE, &id) != 0) {
        fprintf(stderr, "bench_writer: geopm_prof_region failed\n");
        return 1;
    }
    if (argc > 4 && strcmp(argv[4], "stdin") == 0) {
        /* Attached (naming the region attaches): the driver waits for
         * this line from every writer before it lets them start. */
        printf("bench_writer: attached\n");
        fflush(stdout);
        char byte;
        while (read(STDIN_FILENO, &byte, 1) > 0) {
        }
    }
    struct timespec pause = {(time_t)(pause_us / 1000000), (long)(pause_us % 1000000) * 1000};
    uint64_t end = now_ns() + (uint64_t)seconds * UINT64_C(1000000000);
    long pairs = 0;
    while (now_ns() < end) {
        for (long i = 0; i < burst; ++i) {
            geopm_prof_enter(id);
            geopm_prof_exit(id);
        }
        pairs += burst;
        if (pause_us > 0) {
            nanosleep(&pause, NULL);
        }
    }
    printf("bench_writer: pairs %ld\n", pairs);
    return 0;
}
