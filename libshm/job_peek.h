/* A look at what sits at a job key, without trusting it: geopmctl uses it
 * to tell a stale segment of a dead controller, which it may remove, from
 * anything else, which it names in its error. */
#ifndef GEOPM_JOB_PEEK_H_INCLUDE
#define GEOPM_JOB_PEEK_H_INCLUDE

#include <stdint.h>
#include <sys/types.h>

/* What can be found at a key, and how an error names it. */
#define GEOPM_JOB_FOUND_LIST(X)                                               \
    X(GEOPM_JOB_FOUND_NOTHING, "nothing")                                     \
    X(GEOPM_JOB_FOUND_SYMLINK, "a symbolic link")                             \
    X(GEOPM_JOB_FOUND_FIFO, "a FIFO")                                         \
    X(GEOPM_JOB_FOUND_DIRECTORY, "a directory")                               \
    X(GEOPM_JOB_FOUND_SPECIAL, "a socket or device file")                     \
    X(GEOPM_JOB_FOUND_FOREIGN, "a file of another user")                      \
    X(GEOPM_JOB_FOUND_OTHER_FILE, "a file that is not a published job segment") \
    X(GEOPM_JOB_FOUND_SEGMENT, "a job segment")

enum geopm_job_found {
#define GEOPM_JOB_FOUND_ENUM_(name, text) name,
    GEOPM_JOB_FOUND_LIST(GEOPM_JOB_FOUND_ENUM_)
#undef GEOPM_JOB_FOUND_ENUM_
};

struct geopm_job_peek {
    enum geopm_job_found found;
    uid_t uid;  /* owner, mode and size of what was found (lstat) */
    mode_t mode;
    int64_t size;
    /* Of a job segment only: */
    uint32_t layout_version;
    int32_t controller_pid;
    uint64_t controller_start; /* 0: not recorded (another layout version) */
};

/* Looks at key (a valid key): its type by lstat, and for a regular file
 * owned by owner, its headers read with pread (no mapping: its owner may
 * truncate it at any time).  Returns 0 and fills in peek, or -errno when
 * the key cannot be looked at. */
int geopm__job_peek(const char *key, uid_t owner, struct geopm_job_peek *peek);

/* How an error message names what was found. */
const char *geopm__job_found_text(enum geopm_job_found found);

#endif
