/* An annotated MPI program: MPI calls inside a user region belong to that
 * region (its network time) and make no region of their own; MPI calls
 * outside any region make a region named after the function.
 *
 * Usage: region_mpi [ITERATIONS [ALLREDUCES [BARRIERS]]]
 * ITERATIONS (default 100) times, the region "compute" (compute hint) does
 * some arithmetic and ALLREDUCES (default 10) MPI_Allreduce calls; then,
 * outside any region, BARRIERS (default 50) MPI_Barrier calls.  Rank 0
 * prints a result that depends only on the arguments and the number of
 * ranks; every rank prints how many geopm_prof calls failed (none should:
 * they return 0 with or without a controller). */
#include <limits.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../test_args.h"

#include "geopm_prof.h"

/* Arithmetic the compiler cannot remove, so that the region has compute
 * time as well as network time. */
static double compute(long seed)
{
    volatile double x = (double)seed;
    for (int i = 0; i < 100000; ++i) {
        x = x * 0.999999 + 1.0;
    }
    return x;
}

int main(int argc, char **argv)
{
    long iterations = test_argument(argc, argv, 1, 100, 0, LONG_MAX);
    long allreduces = test_argument(argc, argv, 2, 10, 0, LONG_MAX);
    long barriers = test_argument(argc, argv, 3, 50, 0, LONG_MAX);

    MPI_Init(&argc, &argv);
    int rank = 0;
    int size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    int failed = 0;
    uint64_t compute_id = 0;
    failed += geopm_prof_region("compute", GEOPM_REGION_HINT_COMPUTE, &compute_id) != 0;
    long long total = 0;
    double sink = 0.0;
    for (long i = 0; i < iterations; ++i) {
        failed += geopm_prof_enter(compute_id) != 0;
        sink += compute(i);
        for (long j = 0; j < allreduces; ++j) {
            long long mine = (long long)(rank + 1) * (i + j + 1);
            long long sum = 0;
            MPI_Allreduce(&mine, &sum, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
            total += sum;
        }
        failed += geopm_prof_exit(compute_id) != 0;
        failed += geopm_prof_epoch() != 0;
    }
    for (long i = 0; i < barriers; ++i) {
        MPI_Barrier(MPI_COMM_WORLD);
    }
    if (rank == 0) {
        printf("region_mpi: ranks %d iterations %ld allreduces %ld barriers %ld total %lld\n", size,
               iterations, allreduces, barriers, total);
    }
    printf("region_mpi: rank %d geopm_prof calls failed %d%s\n", rank, failed,
           sink > 0.0 ? "" : " (no compute)");
    MPI_Finalize();
    return 0;
}
