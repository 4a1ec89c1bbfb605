#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "error_detail.h"
#include "geopm_error.h"
#include "geopm_export.h"
#include "shm_internal.h"
#include "shm_key.h"

/* Fails fast when the segment cannot fit: reserving pages one by one on
 * tmpfs until it runs out would take long and squeeze other users. */
static int check_free_space(int fd, size_t map_size)
{
    struct statvfs fs;
    if (fstatvfs(fd, &fs) == 0 && fs.f_frsize != 0 &&
        map_size / fs.f_frsize > (size_t)fs.f_bavail) {
        return -ENOSPC;
    }
    return 0;
}

static int map_new_segment(struct geopm_shm *shm, size_t usable_size, mode_t mode)
{
    shm->map_size = geopm__shm_map_size(usable_size);
    /* O_EXCL never adopts an existing file and, with O_NOFOLLOW (which
     * glibc adds as well), never follows a symlink planted at the key. */
    shm->fd = shm_open(shm->key, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (shm->fd < 0) {
        return -errno;
    }
    /* The mode is set on the descriptor, so the umask does not matter and
     * is never changed. */
    if (fchmod(shm->fd, mode) != 0) {
        return -errno;
    }
    int err = check_free_space(shm->fd, shm->map_size);
    if (err != 0) {
        return err;
    }
    /* Reserving every page now turns a full /dev/shm into ENOSPC here,
     * instead of SIGBUS at the first touch of a missing page. */
    err = posix_fallocate(shm->fd, 0, (off_t)shm->map_size);
    if (err != 0) {
        return -err;
    }
    void *map = mmap(NULL, shm->map_size, PROT_READ | PROT_WRITE,
                     MAP_SHARED, shm->fd, 0);
    if (map == MAP_FAILED) {
        return -errno;
    }
    shm->header = map;
    return 0;
}

static int publish_header(struct geopm_shm_header *header, size_t usable_size)
{
    header->version = GEOPM_SHM_VERSION;
    header->header_size = GEOPM_SHM_HEADER_SIZE;
    header->usable_size = usable_size;
    int err = geopm__shm_lock_init(&header->lock);
    if (err != 0) {
        return err;
    }
    /* Released last: a user that sees the published word sees the lock
     * and the sizes fully written. */
    atomic_store_explicit(&header->published, GEOPM_SHM_PUBLISHED, memory_order_release);
    return 0;
}

static int create_owner(const char *caller, const char *key, size_t size, mode_t mode,
                        struct geopm_shm **shm_out)
{
    int err = geopm__shm_key_check(caller, key);
    if (err != 0) {
        return err;
    }
    if (shm_out == NULL) {
        return geopm__error(GEOPM_ERROR_INVALID, "%s: key \"%s\": shm is NULL", caller, key);
    }
    if (size == 0 || size > GEOPM_SHM_SIZE_MAX) {
        return geopm__error(GEOPM_ERROR_INVALID,
                            "%s: key \"%s\": size %zu is outside 1 to %zu bytes", caller,
                            key, size, (size_t)GEOPM_SHM_SIZE_MAX);
    }
    struct geopm_shm *shm = geopm__shm_new(key);
    if (shm == NULL) {
        return geopm__error(-ENOMEM, "%s: key \"%s\": out of memory", caller, key);
    }
    err = map_new_segment(shm, size, mode);
    if (err == 0) {
        err = publish_header(shm->header, size);
    }
    if (err != 0) {
        /* Only a file this call created is removed; an existing one
         * (EEXIST) is left as it was. */
        if (shm->fd >= 0) {
            shm_unlink(shm->key);
        }
        geopm_shm_destroy(shm);
        return geopm__error(err, "%s: key \"%s\", size %zu: %s", caller, key, size,
                            strerror(-err));
    }
    *shm_out = shm;
    return 0;
}

GEOPM_EXPORT int geopm_shm_create_owner(const char *key, size_t size, struct geopm_shm **shm)
{
    return create_owner("geopm_shm_create_owner", key, size, 0666, shm);
}

GEOPM_EXPORT int geopm_shm_create_owner_secure(const char *key, size_t size,
                                               struct geopm_shm **shm)
{
    return create_owner("geopm_shm_create_owner_secure", key, size, 0600, shm);
}
