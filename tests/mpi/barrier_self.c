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

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long argument(int argc, char **argv, int index, long fallback)
{
    if (argc <= index) {
        return fallback;
    }
    char *end = NULL;
    long value = strtol(argv[index], &end, 10);
    if (*argv[index] == '\0' || *end != '\0' || value < 1) {
        fprintf(stderr, "barrier_self: bad argument \"%s\"\n", argv[index]);
        exit(2);
    }
    return value;
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    long calls = argument(argc, argv, 1, 200000);
    long batches = argument(argc, argv, 2, 5);

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
