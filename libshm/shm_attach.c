#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error_detail.h"
#include "geopm_error.h"
#include "geopm_export.h"
#include "shm_internal.h"
#include "shm_key.h"

/* Sleeps between tries start short, so that a segment published soon is
 * seen soon, and stay bounded, so that a late one is seen within 50 ms. */
#define ATTACH_SLEEP_FIRST_NS 1000000L
#define ATTACH_SLEEP_MAX_NS 50000000L

static bool is_trusted_owner(uid_t owner)
{
    return owner == geteuid() || owner == 0;
}

static bool is_segment_mode(mode_t mode)
{
    mode_t permissions = mode & 07777;
    return permissions == 0600 || permissions == 0666;
}

/* One try: 0 and the mapped segment in shm, or an error.  GEOPM_ERROR_NOT_READY
 * and -ENOENT mean "not yet", and so does -EACCES: a root owner makes the
 * segment readable to the job's user only when it chowns it. */
static int try_attach(struct geopm_shm *shm, const char **why)
{
    shm->fd = shm_open(shm->key, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
    if (shm->fd < 0) {
        /* glibc reports a directory at the key as EINVAL, and O_NOFOLLOW
         * a symlink as ELOOP: neither is a segment to trust. */
        if (errno == ELOOP || errno == EINVAL || errno == EISDIR) {
            *why = "it is a symlink or a directory";
            return GEOPM_ERROR_UNSAFE;
        }
        *why = strerror(errno);
        return -errno;
    }
    struct stat st;
    if (fstat(shm->fd, &st) != 0) {
        *why = strerror(errno);
        return -errno;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = "it is not a regular file";
        return GEOPM_ERROR_UNSAFE;
    }
    if (!is_trusted_owner(st.st_uid)) {
        *why = "it is owned by another user";
        return GEOPM_ERROR_UNSAFE;
    }
    if (!is_segment_mode(st.st_mode)) {
        *why = "its mode is neither 0600 nor 0666";
        return GEOPM_ERROR_UNSAFE;
    }
    if ((size_t)st.st_size < GEOPM_SHM_HEADER_SIZE) {
        *why = "its owner has not sized it yet";
        return GEOPM_ERROR_NOT_READY;
    }
    shm->map_size = (size_t)st.st_size;
    void *map = mmap(NULL, shm->map_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                     shm->fd, 0);
    if (map == MAP_FAILED) {
        *why = strerror(errno);
        return -errno;
    }
    shm->header = map;
    const struct geopm_shm_header *header = shm->header;
    uint64_t published = atomic_load_explicit(&header->published, memory_order_acquire);
    if (published != GEOPM_SHM_PUBLISHED) {
        *why = published == 0 ? "its owner has not published it yet"
                              : "it does not start with this library's header";
        return published == 0 ? GEOPM_ERROR_NOT_READY : GEOPM_ERROR_LAYOUT;
    }
    if (header->version != GEOPM_SHM_VERSION || header->header_size != GEOPM_SHM_HEADER_SIZE) {
        *why = "its header is of another version";
        return GEOPM_ERROR_LAYOUT;
    }
    if (header->usable_size != shm->map_size - GEOPM_SHM_HEADER_SIZE) {
        *why = "its size does not match its header";
        return GEOPM_ERROR_CORRUPT;
    }
    return 0;
}

static void release_try(struct geopm_shm *shm)
{
    if (shm->header != NULL) {
        munmap(shm->header, shm->map_size);
        shm->header = NULL;
    }
    if (shm->fd >= 0) {
        close(shm->fd);
        shm->fd = -1;
    }
}

static bool is_worth_retrying(int err)
{
    return err == -ENOENT || err == -EACCES || err == GEOPM_ERROR_NOT_READY;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void sleep_ns(long ns)
{
    struct timespec ts = {ns / 1000000000L, ns % 1000000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

GEOPM_EXPORT int geopm_shm_attach_user(const char *key, unsigned int timeout,
                                       struct geopm_shm **shm_out)
{
    static const char caller[] = "geopm_shm_attach_user";
    int err = geopm__shm_key_check(caller, key);
    if (err != 0) {
        return err;
    }
    if (shm_out == NULL) {
        return geopm__error(GEOPM_ERROR_INVALID, "%s: key \"%s\": shm is NULL", caller, key);
    }
    struct geopm_shm *shm = geopm__shm_new(key);
    if (shm == NULL) {
        return geopm__error(-ENOMEM, "%s: key \"%s\": out of memory", caller, key);
    }
    const double deadline = now_seconds() + timeout;
    long sleep = ATTACH_SLEEP_FIRST_NS;
    const char *why = NULL;
    while ((err = try_attach(shm, &why)) != 0) {
        release_try(shm);
        double left = deadline - now_seconds();
        if (!is_worth_retrying(err) || timeout == 0 || left <= 0.0) {
            break;
        }
        sleep_ns(left * 1e9 < (double)sleep ? (long)(left * 1e9) + 1 : sleep);
        sleep = sleep * 2 > ATTACH_SLEEP_MAX_NS ? ATTACH_SLEEP_MAX_NS : sleep * 2;
    }
    if (err != 0) {
        geopm_shm_destroy(shm);
        if (is_worth_retrying(err) && timeout != 0) {
            return geopm__error(-ETIMEDOUT,
                                "%s: key \"%s\": no published segment within %u s (last: %s)",
                                caller, key, timeout, why);
        }
        return geopm__error(err, "%s: key \"%s\": %s", caller, key, why);
    }
    *shm_out = shm;
    return 0;
}
