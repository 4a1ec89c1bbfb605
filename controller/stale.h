/* Stale job segments: those whose controller is gone (killed with its
 * job, or dead of a bug) stay in /dev/shm until someone removes them. */
#ifndef CTL_STALE_H_INCLUDE
#define CTL_STALE_H_INCLUDE

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "job_peek.h"

/* Whether the controller of a segment found by geopm__job_peek is gone:
 * its pid is free, or taken by a process started at another time. */
bool ctl_stale_controller_gone(const struct geopm_job_peek *peek);

/* Removes the job segment at key when it belongs to owner and its
 * controller is gone, saying so on stderr.  Returns whether it did; peek
 * tells what was found either way. */
bool ctl_stale_remove(const char *key, uid_t owner, struct geopm_job_peek *peek);

/* Removes every stale job segment of owner in /dev/shm whose name starts
 * with "geopm-" (the default key and the keys geopmlaunch makes).  Returns
 * how many it removed. */
unsigned int ctl_stale_sweep(uid_t owner);

#endif
