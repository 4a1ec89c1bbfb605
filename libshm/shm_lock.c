#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "error_detail.h"
#include "geopm_error.h"
#include "geopm_export.h"
#include "shm_internal.h"

GEOPM_EXPORT int geopm_shm_lock(struct geopm_shm *shm)
{
    if (shm == NULL || shm->header == NULL) {
        return geopm__error(GEOPM_ERROR_INVALID, "geopm_shm_lock: shm is NULL");
    }
    int err = pthread_mutex_lock(&shm->header->lock);
    if (err == EOWNERDEAD) {
        /* The lock is ours now; its holder died.  Marking it consistent
         * lets the next holders use it; the caller is told, since what the
         * lock protects may be half-updated. */
        err = pthread_mutex_consistent(&shm->header->lock);
        if (err == 0) {
            return GEOPM_SHM_LOCK_OWNER_DIED;
        }
    }
    if (err != 0) {
        return geopm__error(-err, "geopm_shm_lock: key \"%s\": %s", shm->key, strerror(err));
    }
    return 0;
}

GEOPM_EXPORT int geopm_shm_unlock(struct geopm_shm *shm)
{
    if (shm == NULL || shm->header == NULL) {
        return geopm__error(GEOPM_ERROR_INVALID, "geopm_shm_unlock: shm is NULL");
    }
    int err = pthread_mutex_unlock(&shm->header->lock);
    if (err != 0) {
        return geopm__error(-err, "geopm_shm_unlock: key \"%s\": %s", shm->key,
                            strerror(err));
    }
    return 0;
}

GEOPM_EXPORT struct geopm_shm_scoped_lock geopm_shm_scoped_lock_acquire(struct geopm_shm *shm)
{
    int status = geopm_shm_lock(shm);
    struct geopm_shm_scoped_lock lock = {status >= 0 ? shm : NULL, status};
    return lock;
}

GEOPM_EXPORT void geopm_shm_scoped_lock_release(struct geopm_shm_scoped_lock *lock)
{
    if (lock->shm != NULL) {
        geopm_shm_unlock(lock->shm);
        lock->shm = NULL;
    }
}

/* Initialises the lock of a new segment: shared between processes, robust
 * so that a holder's death is reported instead of blocking the others, and
 * error checking so that relocking or a foreign unlock is an error, not a
 * deadlock. */
int geopm__shm_lock_init(pthread_mutex_t *lock)
{
    pthread_mutexattr_t attr;
    int err = pthread_mutexattr_init(&attr);
    if (err == 0) {
        err = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    }
    if (err == 0) {
        err = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    }
    if (err == 0) {
        err = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    }
    if (err == 0) {
        err = pthread_mutex_init(lock, &attr);
    }
    pthread_mutexattr_destroy(&attr);
    return -err;
}
