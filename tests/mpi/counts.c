/* An MPI program that makes a known number of MPI calls: the integration
 * tests compare the report's counts with the numbers given here.
 *
 * Usage: counts [BARRIERS [ALLREDUCES [SLEEP_MS]]]
 * Every rank calls MPI_Barrier BARRIERS times (default 10000) and
 * MPI_Allreduce ALLREDUCES times (default 1000), and sleeps SLEEP_MS
 * milliseconds (default 0) outside MPI after each allreduce, so that a
 * fault test can hit the program mid-run.  Rank 0 prints one result line
 * that depends only on the arguments and the number of ranks. */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../test_args.h"

static void sleep_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0) {
    }
}

int main(int argc, char **argv)
{
    long barriers = test_argument(argc, argv, 1, 10000, 0, LONG_MAX);
    long allreduces = test_argument(argc, argv, 2, 1000, 0, LONG_MAX);
    long pause_ms = test_argument(argc, argv, 3, 0, 0, LONG_MAX);

    MPI_Init(&argc, &argv);
    int rank = 0;
    int size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    for (long i = 0; i < barriers; ++i) {
        MPI_Barrier(MPI_COMM_WORLD);
    }
    long long total = 0;
    for (long i = 0; i < allreduces; ++i) {
        long long mine = (long long)(rank + 1) * (i + 1);
        long long sum = 0;
        MPI_Allreduce(&mine, &sum, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
        total += sum;
        if (pause_ms > 0) {
            sleep_ms(pause_ms);
        }
    }
    if (rank == 0) {
        printf("counts: ranks %d barriers %ld allreduces %ld total %lld\n", size, barriers,
               allreduces, total);
    }
    MPI_Finalize();
    return 0;
}
