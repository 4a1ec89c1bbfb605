/* Times MPI_Barrier(MPI_COMM_SELF), a call that does almost nothing, so
 * that a run with the preload library and one without show what the
 * wrapper adds to each call.
 *
 * Usage: barrier_self [CALLS [BATCHES]]  (defaults 200000 and 5)
 * Makes one warm-up batch and BATCHES timed batches of CALLS calls each,
 * and prints the fastest batch's time per call and the number of calls
 * made in all:
 *   barrier_self: calls N ns_per_call X */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../test_args.h"

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    long calls = test_argument(argc, argv, 1, 200000, 1, LONG_MAX);
    long batches = test_argument(argc, argv, 2, 5, 1, LONG_MAX);

    MPI_Init(&argc, &argv);
    double best = -1.0;
    for (long batch = 0; batch <= batches; ++batch) {
        double start = now_ns();
        for (long i = 0; i < calls; ++i) {
            MPI_Barrier(MPI_COMM_SELF);
        }
        double per_call = (now_ns() - start) / (double)calls;
        if (batch > 0 && (best < 0.0 || per_call < best)) {
            best = per_call;
        }
    }
    printf("barrier_self: calls %ld ns_per_call %.2f\n", calls * (batches + 1), best);
    MPI_Finalize();
    return 0;
}
