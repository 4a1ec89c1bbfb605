/* The job segment as geopmctl creates it: sized for the node, given to the
 * job's user, and taking the place of a stale segment of a dead controller. */
#ifndef CTL_SEGMENT_H_INCLUDE
#define CTL_SEGMENT_H_INCLUDE

#include <stddef.h>
#include <stdint.h>

#include "job.h"
#include "options.h"

/* Slots when --num-proc is not given: room for four ranks per CPU, and
 * never fewer than this. */
#define CTL_SLOTS_MIN 64u

/* The number of slots for options. */
uint32_t ctl_segment_slot_count(const struct ctl_options *options);

/* Creates and publishes the segment.  A segment already at the key is
 * removed first only when it is a job segment whose controller no longer
 * exists.  Returns 0, or a negative code with a message in msg. */
int ctl_segment_create(const struct ctl_options *options, struct geopm_job **job, char *msg,
                       size_t msg_size);

#endif
