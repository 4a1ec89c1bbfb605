/* What an open segment is, and the library's header at the front of every
 * segment.  Shared by the files of libshm that implement geopm_shm.h. */
#ifndef GEOPM_SHM_INTERNAL_H_INCLUDE
#define GEOPM_SHM_INTERNAL_H_INCLUDE

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "geopm_shm.h"

/* Written last by the owner, when everything else in the header is ready. */
#define GEOPM_SHM_PUBLISHED UINT64_C(0x67656f706d73686d) /* "geopmshm" */
#define GEOPM_SHM_VERSION 1u
/* The usable region starts here: a multiple of the cache line. */
#define GEOPM_SHM_HEADER_SIZE 128u

struct geopm_shm_header {
    /* GEOPM_SHM_PUBLISHED once the lock and sizes are valid, 0 before. */
    _Atomic uint64_t published;
    uint32_t version;
    uint32_t header_size;
    uint64_t usable_size;
    pthread_mutex_t lock;
};

static_assert(sizeof(struct geopm_shm_header) <= GEOPM_SHM_HEADER_SIZE,
              "the segment header must fit before the usable region");
static_assert(GEOPM_SHM_HEADER_SIZE % 64 == 0,
              "the usable region must start on a cache line");

struct geopm_shm {
    int fd;
    struct geopm_shm_header *header;
    size_t map_size;
    char key[GEOPM_SHM_KEY_MAX + 1];
};

/* Allocates an unmapped segment object for key, with fd -1. */
struct geopm_shm *geopm__shm_new(const char *key);

/* Initialises a process-shared, robust, error-checking mutex; 0 or -errno. */
int geopm__shm_lock_init(pthread_mutex_t *lock);

/* The whole mapped size for a usable size. */
static inline size_t geopm__shm_map_size(size_t usable_size)
{
    return GEOPM_SHM_HEADER_SIZE + usable_size;
}

#endif
