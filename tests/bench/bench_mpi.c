/* The MPI calls whose cost the wrappers change, timed the same way with and
 * without the preload library (scripts/bench runs the two alternately).
 * Built once per MPI flavour.
 *
 * Usage: bench_mpi MODE [CALLS [BATCHES]]  (defaults 200000 and 7)
 *   self      MPI_Barrier(MPI_COMM_SELF)
 *   barrier   MPI_Barrier(MPI_COMM_WORLD)
 *   pingpong  an 8-byte MPI_Send/MPI_Recv round trip between ranks 0 and 1
 *             (the others wait)
 *   rank, size, wtime
 *             MPI_Comm_rank, MPI_Comm_size, MPI_Wtime: local queries
 *   init      only the time each rank spends in MPI_Init
 * Each rank makes one warm-up batch and BATCHES timed batches of CALLS
 * calls; rank 0 prints the median batch's time per call:
 *   bench_mpi: mode M ranks N calls C barriers B ns_per_call X
 * where C is the calls each rank made of the timed function and B the
 * MPI_Barrier calls each rank made in all, for a comparison with the
 * report's counts.  Batches are timed with the calling thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID), so that time spent waiting for a core that
 * other work holds does not count; the ranks busy-poll, so a call's own
 * waiting is CPU time too.  init prints the mean and the largest wall
 * time over the ranks:
 *   bench_mpi: mode init ranks N mean_ns X max_ns Y
 * A benchmark, not a test: it asserts nothing. */
#define _POSIX_C_SOURCE 200809L

#include <mpi.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../test_args.h"

enum { BATCHES_MAX = 101 };

static volatile double g_sink;
static long g_barriers;

static double clock_ns(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static void barrier(MPI_Comm comm)
{
    MPI_Barrier(comm);
    ++g_barriers;
}

/* One batch of calls of the mode's function; returns ns per call. */
static double batch(const char *mode, long calls, int rank)
{
    char buffer[8] = {0};
    double sum = 0.0;
    int value = 0;
    double start = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    if (strcmp(mode, "self") == 0) {
        for (long i = 0; i < calls; ++i) {
            barrier(MPI_COMM_SELF);
        }
    }
    else if (strcmp(mode, "barrier") == 0) {
        for (long i = 0; i < calls; ++i) {
            barrier(MPI_COMM_WORLD);
        }
    }
    else if (strcmp(mode, "pingpong") == 0) {
        for (long i = 0; i < calls && rank < 2; ++i) {
            if (rank == 0) {
                MPI_Send(buffer, 8, MPI_CHAR, 1, 0, MPI_COMM_WORLD);
                MPI_Recv(buffer, 8, MPI_CHAR, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            }
            else {
                MPI_Recv(buffer, 8, MPI_CHAR, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(buffer, 8, MPI_CHAR, 0, 0, MPI_COMM_WORLD);
            }
        }
    }
    else if (strcmp(mode, "rank") == 0) {
        for (long i = 0; i < calls; ++i) {
            MPI_Comm_rank(MPI_COMM_WORLD, &value);
            sum += value;
        }
    }
    else if (strcmp(mode, "size") == 0) {
        for (long i = 0; i < calls; ++i) {
            MPI_Comm_size(MPI_COMM_WORLD, &value);
            sum += value;
        }
    }
    else {
        for (long i = 0; i < calls; ++i) {
            sum += MPI_Wtime();
        }
    }
    g_sink = sum;
    return (clock_ns(CLOCK_THREAD_CPUTIME_ID) - start) / (double)calls;
}

static bool known_mode(const char *mode)
{
    static const char *const modes[] = {"self", "barrier", "pingpong", "rank",
                                        "size", "wtime",   "init"};
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); ++i) {
        if (strcmp(mode, modes[i]) == 0) {
            return true;
        }
    }
    return false;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !known_mode(argv[1])) {
        fprintf(stderr, "usage: bench_mpi self|barrier|pingpong|rank|size|wtime|init "
                        "[CALLS [BATCHES]]\n");
        return 2;
    }
    const char *mode = argv[1];
    long calls = test_argument(argc, argv, 2, 200000, 1, 1000000000L);
    int batches = (int)test_argument(argc, argv, 3, 7, 1, BATCHES_MAX);

    double init_start = clock_ns(CLOCK_MONOTONIC);
    MPI_Init(&argc, &argv);
    double init_ns = clock_ns(CLOCK_MONOTONIC) - init_start;
    int rank = 0;
    int size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (strcmp(mode, "init") == 0) {
        double sum = 0.0;
        double most = 0.0;
        MPI_Reduce(&init_ns, &sum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
        MPI_Reduce(&init_ns, &most, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
        if (rank == 0) {
            printf("bench_mpi: mode init ranks %d mean_ns %.0f max_ns %.0f\n", size,
                   sum / size, most);
        }
        MPI_Finalize();
        return 0;
    }
    if (strcmp(mode, "pingpong") == 0 && size < 2) {
        fprintf(stderr, "bench_mpi: pingpong needs 2 ranks\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    /* The ranks start timing together: one rank still in MPI_Init would
     * make the others' first batch wait for it. */
    barrier(MPI_COMM_WORLD);
    double per_call[BATCHES_MAX];
    batch(mode, calls, rank);
    for (int b = 0; b < batches; ++b) {
        per_call[b] = batch(mode, calls, rank);
    }
    qsort(per_call, (size_t)batches, sizeof(per_call[0]), compare);
    if (rank == 0) {
        printf("bench_mpi: mode %s ranks %d calls %ld barriers %ld ns_per_call %.2f\n", mode,
               size, calls * (batches + 1), g_barriers, per_call[batches / 2]);
    }
    MPI_Finalize();
    return 0;
}
