#include <config.h>

#include "sync_time.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>

static_assert((CTL_SYNC_CAPACITY & (CTL_SYNC_CAPACITY - 1)) == 0,
              "the capacity is a power of two");

int ctl_sync_init(struct ctl_sync *sync)
{
    sync->keys = calloc(CTL_SYNC_CAPACITY, sizeof(*sync->keys));
    sync->seconds = calloc(CTL_SYNC_CAPACITY, sizeof(*sync->seconds));
    sync->used = 0;
    sync->overflow_seconds = 0.0;
    if (sync->keys == NULL || sync->seconds == NULL) {
        ctl_sync_fini(sync);
        return -ENOMEM;
    }
    return 0;
}

void ctl_sync_fini(struct ctl_sync *sync)
{
    free(sync->keys);
    free(sync->seconds);
    sync->keys = NULL;
    sync->seconds = NULL;
    sync->used = 0;
}

/* Multiplicative hashing spreads CRC values, which are already well mixed,
 * and the reserved hashes alike. */
static uint32_t slot_of(uint64_t key)
{
    return (uint32_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> 40) & (CTL_SYNC_CAPACITY - 1);
}

/* The entry of hash, or of the empty place where it would go; -1 when the
 * table is full and hash is not in it. */
static int64_t find(const struct ctl_sync *sync, uint64_t hash)
{
    uint64_t key = hash + 1;
    uint32_t at = slot_of(key);
    for (uint32_t probe = 0; probe < CTL_SYNC_CAPACITY; ++probe) {
        uint64_t here = sync->keys[at];
        if (here == key || here == 0) {
            return at;
        }
        at = (at + 1) & (CTL_SYNC_CAPACITY - 1);
    }
    return -1;
}

void ctl_sync_add(struct ctl_sync *sync, uint64_t hash, double seconds)
{
    int64_t at = sync->keys != NULL ? find(sync, hash & UINT64_C(0xffffffff)) : -1;
    /* The table stays at most three quarters full, so that probes are short. */
    if (at < 0 || (sync->keys[at] == 0 && sync->used >= CTL_SYNC_CAPACITY / 4 * 3)) {
        sync->overflow_seconds += seconds;
        return;
    }
    if (sync->keys[at] == 0) {
        sync->keys[at] = (hash & UINT64_C(0xffffffff)) + 1;
        ++sync->used;
    }
    sync->seconds[at] += seconds;
}

double ctl_sync_get(const struct ctl_sync *sync, uint64_t hash)
{
    if (sync == NULL || sync->keys == NULL) {
        return 0.0;
    }
    int64_t at = find(sync, hash & UINT64_C(0xffffffff));
    return at >= 0 && sync->keys[at] != 0 ? sync->seconds[at] : 0.0;
}
