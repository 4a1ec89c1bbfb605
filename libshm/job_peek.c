#include <config.h>

#include "job_peek.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job_layout.h"
#include "shm_internal.h"
#include "shm_key.h"

/* Both headers, as they lie at the start of a segment. */
#define PEEK_BYTES (GEOPM_SHM_HEADER_SIZE + sizeof(struct geopm_job_header))

const char *geopm__job_found_text(enum geopm_job_found found)
{
    switch (found) {
#define GEOPM_JOB_FOUND_TEXT_(name, text) \
    case name:                            \
        return text;
        GEOPM_JOB_FOUND_LIST(GEOPM_JOB_FOUND_TEXT_)
#undef GEOPM_JOB_FOUND_TEXT_
    }
    return "something unknown";
}

static enum geopm_job_found found_by_type(mode_t mode)
{
    if (S_ISLNK(mode)) {
        return GEOPM_JOB_FOUND_SYMLINK;
    }
    if (S_ISFIFO(mode)) {
        return GEOPM_JOB_FOUND_FIFO;
    }
    if (S_ISDIR(mode)) {
        return GEOPM_JOB_FOUND_DIRECTORY;
    }
    return S_ISREG(mode) ? GEOPM_JOB_FOUND_OTHER_FILE : GEOPM_JOB_FOUND_SPECIAL;
}

/* Reads the headers of the regular file at path; its type and owner are
 * checked again on the descriptor, since the name may have been swapped
 * since lstat. */
static void peek_headers(const char *path, uid_t owner, struct geopm_job_peek *peek)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    struct stat st;
    unsigned char bytes[PEEK_BYTES];
    bool whole = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == owner &&
                 pread(fd, bytes, sizeof(bytes), 0) == (ssize_t)sizeof(bytes);
    close(fd);
    if (!whole) {
        return;
    }
    struct geopm_shm_header shm;
    struct geopm_job_header job;
    memcpy(&shm, bytes, sizeof(shm));
    memcpy(&job, bytes + GEOPM_SHM_HEADER_SIZE, sizeof(job));
    if (atomic_load(&shm.published) != GEOPM_SHM_PUBLISHED || job.magic != GEOPM_JOB_MAGIC) {
        return;
    }
    peek->found = GEOPM_JOB_FOUND_SEGMENT;
    peek->layout_version = job.layout_version;
    /* The magic, the version and the controller's pid keep their offsets
     * in every layout version; the start time is known from version 2. */
    peek->controller_pid = job.controller_pid;
    peek->controller_start =
        job.layout_version == GEOPM_JOB_LAYOUT_VERSION ? job.controller_start : 0;
}

int geopm__job_peek(const char *key, uid_t owner, struct geopm_job_peek *peek)
{
    char path[sizeof(GEOPM_SHM_DIR) + GEOPM_SHM_KEY_MAX];
    snprintf(path, sizeof(path), GEOPM_SHM_DIR "%s", key);
    struct stat st;
    memset(peek, 0, sizeof(*peek));
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT) {
            peek->found = GEOPM_JOB_FOUND_NOTHING;
            return 0;
        }
        return -errno;
    }
    peek->uid = st.st_uid;
    peek->mode = st.st_mode;
    peek->size = (int64_t)st.st_size;
    peek->found = found_by_type(st.st_mode);
    if (peek->found != GEOPM_JOB_FOUND_OTHER_FILE) {
        return 0;
    }
    if (st.st_uid != owner) {
        peek->found = GEOPM_JOB_FOUND_FOREIGN;
        return 0;
    }
    peek_headers(path, owner, peek);
    return 0;
}
