/* Leaves a job segment behind whose controller pid now names another,
 * live process: the segment of a controller that died and whose pid was
 * reused.  It creates the segment at KEY as a controller would (so the
 * header records this process's own start time), writes PID as the
 * controller's pid, and exits without removing it.
 *
 * Usage: stale_job KEY PID */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>

#include "geopm_error.h"
#include "job.h"
#include "../test_args.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: stale_job KEY PID\n");
        return 2;
    }
    long pid = test_argument(argc, argv, 2, 0, 1, 4194304);
    struct geopm_job *job = NULL;
    int err = geopm__job_create(argv[1], 1, -1, -1, &job);
    if (err != 0) {
        char message[512];
        geopm_error_message(err, message, sizeof(message));
        fprintf(stderr, "stale_job: %s\n", message);
        return 1;
    }
    job->header->controller_pid = (int32_t)pid;
    geopm__job_destroy(job, false);
    return 0;
}
