/* MPI calls made concurrently by several threads of each rank
 * (MPI_THREAD_MULTIPLE): each thread has its own duplicate of
 * MPI_COMM_WORLD and makes ITERATIONS MPI_Allreduce and MPI_Sendrecv calls
 * on it, so that the report must count THREADS x ITERATIONS of each per
 * rank.  The main thread is one of the threads.
 *
 * Usage: threads [THREADS [ITERATIONS]]  (defaults 4 and 1000)
 * Prints "threads: provided multiple" or "threads: provided LEVEL" (then
 * the same calls are made, by the main thread alone, one thread's share
 * after the other), and on rank 0 a result that depends only on the
 * arguments and the number of ranks. */
#include <mpi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "../test_args.h"

#define THREADS_MAX 64

struct thread_work {
    MPI_Comm comm;
    int rank;
    int size;
    long iterations;
    long long total;
};

static void *work(void *argument_)
{
    struct thread_work *w = argument_;
    int right = (w->rank + 1) % w->size;
    int left = (w->rank + w->size - 1) % w->size;
    for (long i = 0; i < w->iterations; ++i) {
        long long mine = (long long)(w->rank + 1) * (i + 1);
        long long sum = 0;
        MPI_Allreduce(&mine, &sum, 1, MPI_LONG_LONG, MPI_SUM, w->comm);
        long long from_left = 0;
        MPI_Sendrecv(&mine, 1, MPI_LONG_LONG, right, 0, &from_left, 1, MPI_LONG_LONG, left, 0,
                     w->comm, MPI_STATUS_IGNORE);
        w->total += sum + from_left;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    long threads = test_argument(argc, argv, 1, 4, 1, THREADS_MAX);
    long iterations = test_argument(argc, argv, 2, 1000, 1, 100000000);

    int provided = MPI_THREAD_SINGLE;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
    int rank = 0;
    int size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        if (provided == MPI_THREAD_MULTIPLE) {
            printf("threads: provided multiple\n");
        }
        else {
            printf("threads: provided %d\n", provided);
        }
    }

    /* Communicators are made by the main thread, in the same order on every
     * rank, as MPI requires of collective calls. */
    struct thread_work work_of[THREADS_MAX];
    for (long t = 0; t < threads; ++t) {
        work_of[t] = (struct thread_work){.rank = rank, .size = size, .iterations = iterations};
        MPI_Comm_dup(MPI_COMM_WORLD, &work_of[t].comm);
    }
    pthread_t thread_of[THREADS_MAX];
    long started = 0;
    if (provided == MPI_THREAD_MULTIPLE) {
        for (long t = 1; t < threads; ++t) {
            if (pthread_create(&thread_of[t], NULL, work, &work_of[t]) != 0) {
                fprintf(stderr, "threads: cannot start a thread\n");
                MPI_Abort(MPI_COMM_WORLD, 1);
            }
            started = t;
        }
    }
    work(&work_of[0]);
    for (long t = 1; t <= started; ++t) {
        pthread_join(thread_of[t], NULL);
    }
    for (long t = started + 1; t < threads; ++t) {
        work(&work_of[t]);
    }

    long long total = 0;
    for (long t = 0; t < threads; ++t) {
        total += work_of[t].total;
        MPI_Comm_free(&work_of[t].comm);
    }
    long long all = 0;
    MPI_Reduce(&total, &all, 1, MPI_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        printf("threads: ranks %d threads %ld iterations %ld total %lld\n", size, threads,
               iterations, all);
    }
    MPI_Finalize();
    return 0;
}
