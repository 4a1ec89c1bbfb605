/* Region markers: the hot path of the runtime. */
#ifndef GEOPM_MARKER_H_INCLUDE
#define GEOPM_MARKER_H_INCLUDE

#include <stdint.h>

/* Deepest nesting whose hints are tracked; deeper levels are counted only. */
#define GEOPM_MARKER_NEST_MAX 64

/* Enter and exit region id on the calling thread, with GEOPM's outermost
 * region semantics.  0, or GEOPM_ERROR_REGION. */
int geopm__marker_enter(uint64_t id);
int geopm__marker_exit(uint64_t id);
/* geopm__marker_enter() of a region the caller named itself, given its
 * index in the runtime's registry, so that no lookup is made: for the MPI
 * wrappers, which enter a region at every call. */
void geopm__marker_enter_index(uint32_t index, uint64_t id);
int geopm__marker_epoch(void);
int geopm__marker_progress_init(uint32_t units);
int geopm__marker_progress_post(void);

#endif
