/* Shared memory segments between one owner and its users: the C form of
 * GEOPM's SharedMemory class.  See geopm_shm(3). */
#ifndef GEOPM_SHM_H_INCLUDE
#define GEOPM_SHM_H_INCLUDE

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An open segment; opaque to the caller. */
struct geopm_shm;

/* Longest key accepted, not counting the terminating NUL. */
#define GEOPM_SHM_KEY_MAX 255

/* Largest usable size accepted by the create functions (1 TiB). */
#define GEOPM_SHM_SIZE_MAX ((size_t)1 << 40)

/* Non-error result of geopm_shm_lock(): the lock is held, and its previous
 * holder died while holding it, so the data it protects may be half-updated. */
#define GEOPM_SHM_LOCK_OWNER_DIED 1

/*
 * Creates the segment named key with size usable bytes, zero filled, and
 * maps it.  The segment is never an existing file: a file, symlink or
 * anything else already at the key is an error (-EEXIST) and is left as it
 * is.  Its mode is exactly 0666, whatever the process umask.  All pages are
 * reserved at creation, so a size beyond the free space of /dev/shm fails
 * here (-ENOSPC) rather than with SIGBUS later.  Users can attach only once
 * the segment is fully initialised.
 *
 * key:  "/name": one leading '/', no other '/', printable characters other
 *       than space, neither "/." nor "/..", at most GEOPM_SHM_KEY_MAX
 *       characters.
 * size: usable bytes, 1 to GEOPM_SHM_SIZE_MAX.
 * shm:  set to the new segment on success only.
 * Returns 0, GEOPM_ERROR_INVALID (NULL argument, bad size), GEOPM_ERROR_KEY
 * (bad key), or -errno (-EEXIST, -ENOSPC, -EACCES, ...).
 */
int geopm_shm_create_owner(const char *key, size_t size, struct geopm_shm **shm);

/* As geopm_shm_create_owner(), with mode exactly 0600: only the owner (and
 * root) can open it. */
int geopm_shm_create_owner_secure(const char *key, size_t size, struct geopm_shm **shm);

/*
 * Attaches to the segment named key that an owner created, waiting up to
 * timeout seconds for it to be created and published (0: one try).  It
 * sleeps between tries.  It refuses anything but a regular file owned by
 * the caller's effective user or by root, with the layout of this library.
 *
 * Returns 0, GEOPM_ERROR_INVALID, GEOPM_ERROR_KEY, -ETIMEDOUT (no published
 * segment within a non-zero timeout), GEOPM_ERROR_UNSAFE (a symlink, not a
 * regular file, owned by another user, or of another mode),
 * GEOPM_ERROR_LAYOUT (another magic or version), GEOPM_ERROR_CORRUPT, or
 * -errno.  With timeout 0, a segment not there yet is -ENOENT, one not
 * published yet GEOPM_ERROR_NOT_READY, and one not yet given to the caller
 * (a root owner chowns it before publishing) -EACCES.
 */
int geopm_shm_attach_user(const char *key, unsigned int timeout, struct geopm_shm **shm);

/* The first usable byte (64-byte aligned); NULL if shm is NULL. */
void *geopm_shm_pointer(const struct geopm_shm *shm);

/* The key the segment was created or attached with; NULL if shm is NULL. */
const char *geopm_shm_key(const struct geopm_shm *shm);

/* The usable size in bytes, without the library's own header; 0 if shm is NULL. */
size_t geopm_shm_size(const struct geopm_shm *shm);

/* Removes the key from the system: new attaches fail, existing mappings
 * stay valid.  Returns 0, GEOPM_ERROR_INVALID, or -errno (-ENOENT when the
 * key is already gone). */
int geopm_shm_unlink(struct geopm_shm *shm);

/*
 * Takes the segment's lock, shared by every process that maps it.  If a
 * holder died while holding it, the lock is recovered and the call returns
 * GEOPM_SHM_LOCK_OWNER_DIED instead of blocking forever.
 * Returns 0 or GEOPM_SHM_LOCK_OWNER_DIED (held), GEOPM_ERROR_INVALID, or
 * -errno (-EDEADLK if this thread holds it, -ENOTRECOVERABLE).
 */
int geopm_shm_lock(struct geopm_shm *shm);

/* Releases the lock taken by geopm_shm_lock().  Returns 0,
 * GEOPM_ERROR_INVALID, or -errno (-EPERM if this thread does not hold it). */
int geopm_shm_unlock(struct geopm_shm *shm);

/* Changes the owner and group of the segment, through its descriptor (never
 * by path).  Returns 0, GEOPM_ERROR_INVALID (shm NULL, or uid or gid -1,
 * which chown would take as "unchanged"), or -errno (-EPERM without the
 * right to do so; nothing is changed then). */
int geopm_shm_chown(struct geopm_shm *shm, unsigned int uid, unsigned int gid);

/* Unmaps the segment and frees shm; does not unlink.  NULL is ignored. */
void geopm_shm_destroy(struct geopm_shm *shm);

/* What GEOPM_SHM_SCOPED_LOCK() keeps: the segment it locked (NULL when the
 * lock was not taken) and the result of geopm_shm_lock(). */
struct geopm_shm_scoped_lock {
    struct geopm_shm *shm;
    int status;
};

/* Takes the lock for GEOPM_SHM_SCOPED_LOCK(); not for direct use. */
struct geopm_shm_scoped_lock geopm_shm_scoped_lock_acquire(struct geopm_shm *shm);
/* Releases it when the scope ends; not for direct use. */
void geopm_shm_scoped_lock_release(struct geopm_shm_scoped_lock *lock);

/*
 * Takes the lock of shm until the end of the enclosing scope, however the
 * scope is left (the C form of SharedMemory::get_scoped_lock()).  One per
 * scope.  GEOPM_SHM_SCOPED_LOCK_STATUS is then the result of
 * geopm_shm_lock(): check it before touching the protected data.
 *
 *     GEOPM_SHM_SCOPED_LOCK(shm);
 *     if (GEOPM_SHM_SCOPED_LOCK_STATUS < 0) {
 *         return GEOPM_SHM_SCOPED_LOCK_STATUS;
 *     }
 */
#define GEOPM_SHM_SCOPED_LOCK(shm)                                                 \
    struct geopm_shm_scoped_lock geopm_shm_scoped_lock_guard_                      \
        __attribute__((cleanup(geopm_shm_scoped_lock_release))) =                  \
            geopm_shm_scoped_lock_acquire(shm)
#define GEOPM_SHM_SCOPED_LOCK_STATUS (geopm_shm_scoped_lock_guard_.status)

#ifdef __cplusplus
}
#endif
#endif
