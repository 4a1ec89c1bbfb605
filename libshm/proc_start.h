/* When a process started, to tell a process from a later one that reuses
 * its pid. */
#ifndef GEOPM_PROC_START_H_INCLUDE
#define GEOPM_PROC_START_H_INCLUDE

#include <stdint.h>
#include <sys/types.h>

/* The start time of process pid in clock ticks since boot (field 22 of
 * /proc/PID/stat), or 0 when it cannot be read (the process is gone, or
 * /proc is not mounted). */
uint64_t geopm__proc_start_ticks(pid_t pid);

#endif
