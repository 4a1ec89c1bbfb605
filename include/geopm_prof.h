/* Application annotations: regions, epochs and thread progress (GEOPM's
 * geopm_prof interface).  Link with -lgeopm. */
#ifndef GEOPM_PROF_H_INCLUDE
#define GEOPM_PROF_H_INCLUDE

#include <stdint.h>

#include "geopm_hint.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every function returns 0 on success or a negative error code (see
 * geopm_error.h).  None of them ever stops or slows the application: when
 * no controller serves the process (GEOPM_PROFILE unset, no segment, a
 * program that GEOPM_PROGRAM_FILTER leaves out) they return 0 at once and
 * record nothing, so that an application that checks every return code
 * behaves the same with or without the runtime.  Checks of the arguments
 * (a bad name or hint) apply in both cases.
 */

/*
 * Gives in *region_id the id of the region called region_name with the given
 * hint (a geopm_region_hint_e value): crc32(region_name) | hint << 32.  The
 * same name and hint always give the same id, in every process.
 * Returns 0, or GEOPM_ERROR_INVALID (NULL or empty name, name longer than
 * 255 bytes, NULL region_id, hint out of range).
 */
int geopm_prof_region(const char *region_name, uint64_t hint, uint64_t *region_id);

/*
 * Marks entry into the region.  Regions nest: only the outermost region
 * is timed and counted; a nested region changes the hint of the time spent
 * inside it (an MPI call inside a region is that region's network time).
 * Returns 0, GEOPM_ERROR_REGION (an id that geopm_prof_region() did not
 * give).  Nesting deeper than 64 levels is counted but not tracked.
 */
int geopm_prof_enter(uint64_t region_id);

/*
 * Marks exit from the region last entered on this thread.  Returns 0,
 * GEOPM_ERROR_REGION (no region entered, or region_id is not the one last
 * entered; nothing changes then).
 */
int geopm_prof_exit(uint64_t region_id);

/* Marks the start of an iteration of the application's outer loop.
 * Returns 0. */
int geopm_prof_epoch(void);

/* Ends profiling of this process: the controller is told it has finished,
 * and later calls record nothing.  Returns 0. */
int geopm_prof_shutdown(void);

/* Sets the number of work units the calling thread will post in the
 * current region (progress = posted / total over all threads).
 * Returns 0, or GEOPM_ERROR_INVALID (0 units). */
int geopm_tprof_init(uint32_t num_work_unit);

/* Posts one completed work unit of the calling thread.  Returns 0. */
int geopm_tprof_post(void);

/* Reports overhead_sec seconds that the application spent on behalf of the
 * runtime (for example in its own instrumentation); the controller adds it
 * to the report's "GEOPM overhead (s)", with the time the runtime itself
 * spent attaching.  Returns 0, or GEOPM_ERROR_INVALID (negative, over 1e9
 * seconds or not a finite number; a refused call is counted in the
 * process's errors). */
int geopm_prof_overhead(double overhead_sec);

#ifdef __cplusplus
}
#endif
#endif
