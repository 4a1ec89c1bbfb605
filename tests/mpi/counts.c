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
    if (*argv[index] == '\0' || *end != '\0' || value < 0) {
        fprintf(stderr, "counts: bad argument \"%s\"\n", argv[index]);
        exit(2);
    }
    return value;
}

static void sleep_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0) {
    }
}

int main(int argc, char **argv)
{
    long barriers = argument(argc, argv, 1, 10000);
    long allreduces = argument(argc, argv, 2, 1000);
    long pause_ms = argument(argc, argv, 3, 0);

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
