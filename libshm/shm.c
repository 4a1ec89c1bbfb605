#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error_detail.h"
#include "geopm_error.h"
#include "geopm_export.h"
#include "shm_internal.h"

struct geopm_shm *geopm__shm_new(const char *key)
{
    struct geopm_shm *shm = calloc(1, sizeof(*shm));
    if (shm != NULL) {
        shm->fd = -1;
        snprintf(shm->key, sizeof(shm->key), "%s", key);
    }
    return shm;
}

GEOPM_EXPORT void *geopm_shm_pointer(const struct geopm_shm *shm)
{
    if (shm == NULL || shm->header == NULL) {
        return NULL;
    }
    return (char *)shm->header + GEOPM_SHM_HEADER_SIZE;
}

GEOPM_EXPORT const char *geopm_shm_key(const struct geopm_shm *shm)
{
    return shm == NULL ? NULL : shm->key;
}

GEOPM_EXPORT size_t geopm_shm_size(const struct geopm_shm *shm)
{
    return shm == NULL || shm->header == NULL ? 0 : shm->map_size - GEOPM_SHM_HEADER_SIZE;
}

GEOPM_EXPORT int geopm_shm_unlink(struct geopm_shm *shm)
{
    if (shm == NULL) {
        return geopm__error(GEOPM_ERROR_INVALID, "geopm_shm_unlink: shm is NULL");
    }
    if (shm_unlink(shm->key) != 0) {
        int err = -errno;
        return geopm__error(err, "geopm_shm_unlink: key \"%s\": %s", shm->key,
                            strerror(-err));
    }
    return 0;
}

GEOPM_EXPORT int geopm_shm_chown(struct geopm_shm *shm, unsigned int uid, unsigned int gid)
{
    if (shm == NULL) {
        return geopm__error(GEOPM_ERROR_INVALID, "geopm_shm_chown: shm is NULL");
    }
    /* (uid_t)-1 and (gid_t)-1 tell fchown to leave the id as it is: the
     * segment would stay the caller's while the call reported success. */
    if ((uid_t)uid == (uid_t)-1 || (gid_t)gid == (gid_t)-1) {
        return geopm__error(GEOPM_ERROR_INVALID,
                            "geopm_shm_chown: key \"%s\": %s %u is not an id (-1 means "
                            "\"unchanged\" to chown)",
                            shm->key, (uid_t)uid == (uid_t)-1 ? "uid" : "gid",
                            (uid_t)uid == (uid_t)-1 ? uid : gid);
    }
    /* Through the descriptor only: the name may have been replaced (for
     * example by a symlink) since the segment was created. */
    if (fchown(shm->fd, (uid_t)uid, (gid_t)gid) != 0) {
        int err = -errno;
        return geopm__error(err, "geopm_shm_chown: key \"%s\" to %u:%u: %s", shm->key,
                            uid, gid, strerror(-err));
    }
    return 0;
}

GEOPM_EXPORT void geopm_shm_destroy(struct geopm_shm *shm)
{
    if (shm == NULL) {
        return;
    }
    if (shm->header != NULL) {
        munmap(shm->header, shm->map_size);
    }
    if (shm->fd >= 0) {
        close(shm->fd);
    }
    free(shm);
}
