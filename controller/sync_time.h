/* GEOPM's sync-runtime: for each region hash, the time during which every
 * active rank of the node was in that region, as the samples saw it. */
#ifndef CTL_SYNC_TIME_H_INCLUDE
#define CTL_SYNC_TIME_H_INCLUDE

#include <stdint.h>

/* Distinct hashes kept; time of any hash beyond them is counted apart.  A
 * process marks at most 256 regions, so this covers a node of ranks that
 * mostly share theirs, in 64 KiB. */
#define CTL_SYNC_CAPACITY 4096u

struct ctl_sync {
    uint64_t *keys; /* hash + 1; 0 marks an empty entry */
    double *seconds;
    uint32_t used;
    double overflow_seconds;
};

/* Returns 0 or -ENOMEM. */
int ctl_sync_init(struct ctl_sync *sync);
void ctl_sync_fini(struct ctl_sync *sync);

/* Adds seconds to hash (a 32-bit region hash). */
void ctl_sync_add(struct ctl_sync *sync, uint64_t hash, double seconds);

/* The time added to hash; 0 for a hash never seen or a NULL sync. */
double ctl_sync_get(const struct ctl_sync *sync, uint64_t hash);

#endif
