/* A 2-D heat equation solved by Jacobi iteration, split by rows across the
 * ranks: the example job of geopm-runtime.  Each step is an epoch, with a
 * "compute" region (the stencil), a "halo" region (the exchange of
 * boundary rows, whose MPI calls are that region's network time) and a
 * global MPI_Allreduce of the residual, left unannotated so that the MPI
 * wrappers show it as a region of its own.
 *
 *   heat [N [STEPS]]   (default 512 x 512 points, 400 steps) */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <mpi.h>

#include "geopm_prof.h"

struct grid {
    int n;          /* points per row */
    int rows;       /* rows of this rank, without the two halo rows */
    double *now;    /* (rows + 2) x n, row 0 and rows + 1 are halos */
    double *next;
};

static double *at(double *field, int n, int row, int column)
{
    return &field[(size_t)row * (size_t)n + (size_t)column];
}

/* The top edge of the plate is held at 100 degrees, the others at 0.
 * Returns 0, or -1 when the grid does not fit in memory. */
static int grid_init(struct grid *grid, int n, int rank, int size)
{
    grid->n = n;
    grid->rows = n / size + (rank < n % size ? 1 : 0);
    size_t points = (size_t)(grid->rows + 2) * (size_t)n;
    grid->now = calloc(points, sizeof(double));
    grid->next = calloc(points, sizeof(double));
    if (grid->now == NULL || grid->next == NULL) {
        return -1;
    }
    if (rank == 0) {
        for (int column = 0; column < n; ++column) {
            *at(grid->now, n, 0, column) = 100.0;
            *at(grid->next, n, 0, column) = 100.0;
        }
    }
    return 0;
}

static double compute(struct grid *grid)
{
    double change = 0.0;
    int n = grid->n;
    for (int row = 1; row <= grid->rows; ++row) {
        for (int column = 1; column < n - 1; ++column) {
            double value = 0.25 * (*at(grid->now, n, row - 1, column) +
                                   *at(grid->now, n, row + 1, column) +
                                   *at(grid->now, n, row, column - 1) +
                                   *at(grid->now, n, row, column + 1));
            double delta = value - *at(grid->now, n, row, column);
            change += delta * delta;
            *at(grid->next, n, row, column) = value;
        }
    }
    double *swap = grid->now;
    grid->now = grid->next;
    grid->next = swap;
    return change;
}

static void halo(struct grid *grid, int rank, int size)
{
    int n = grid->n;
    int up = rank > 0 ? rank - 1 : MPI_PROC_NULL;
    int down = rank < size - 1 ? rank + 1 : MPI_PROC_NULL;
    MPI_Sendrecv(at(grid->now, n, 1, 0), n, MPI_DOUBLE, up, 0,
                 at(grid->now, n, grid->rows + 1, 0), n, MPI_DOUBLE, down, 0, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    MPI_Sendrecv(at(grid->now, n, grid->rows, 0), n, MPI_DOUBLE, down, 1,
                 at(grid->now, n, 0, 0), n, MPI_DOUBLE, up, 1, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
}

/* Command-line argument INDEX as a whole number, FALLBACK when it is absent,
 * or -1 when it is not a number from 0 to INT_MAX (the usage is printed). */
static int int_argument(int argc, char **argv, int index, int fallback)
{
    if (argc <= index) {
        return fallback;
    }
    char *end = NULL;
    errno = 0;
    long value = strtol(argv[index], &end, 10);
    if (end == argv[index] || *end != '\0' || errno != 0 || value < 0 || value > INT_MAX) {
        return -1;
    }
    return (int)value;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank = 0;
    int size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int n = int_argument(argc, argv, 1, 512);
    int steps = int_argument(argc, argv, 2, 400);
    if (n < size + 2 || steps < 1) {
        if (rank == 0) {
            fprintf(stderr, "usage: heat [N >= ranks + 2 [STEPS >= 1]]\n");
        }
        MPI_Finalize();
        return 2;
    }
    uint64_t compute_id = 0;
    uint64_t halo_id = 0;
    geopm_prof_region("compute", GEOPM_REGION_HINT_COMPUTE, &compute_id);
    geopm_prof_region("halo", GEOPM_REGION_HINT_NETWORK, &halo_id);

    struct grid grid;
    if (grid_init(&grid, n, rank, size) != 0) {
        fprintf(stderr, "heat: no memory for a %d-column grid on rank %d\n", n, rank);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    double residual = 0.0;
    for (int step = 0; step < steps; ++step) {
        geopm_prof_epoch();
        geopm_prof_enter(halo_id);
        halo(&grid, rank, size);
        geopm_prof_exit(halo_id);
        geopm_prof_enter(compute_id);
        double change = compute(&grid);
        geopm_prof_exit(compute_id);
        MPI_Allreduce(&change, &residual, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    }
    double local_heat = 0.0;
    for (int row = 1; row <= grid.rows; ++row) {
        for (int column = 0; column < n; ++column) {
            local_heat += *at(grid.now, n, row, column);
        }
    }
    double heat = 0.0;
    MPI_Reduce(&local_heat, &heat, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        printf("heat: %d x %d points, %d steps on %d ranks: residual %.6e, total heat %.6f\n", n,
               n, steps, size, sqrt(residual), heat);
    }
    free(grid.now);
    free(grid.next);
    MPI_Finalize();
    return 0;
}
