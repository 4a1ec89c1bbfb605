/* Creating, attaching to and claiming slots of a job segment (layout in
 * job_layout.h).  Used by geopmctl (owner) and by libgeopm (each rank). */
#ifndef GEOPM_JOB_H_INCLUDE
#define GEOPM_JOB_H_INCLUDE

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "job_layout.h"

struct geopm_shm;

struct geopm_job {
    struct geopm_shm *shm;
    struct geopm_job_header *header;
    struct geopm_job_slot *slots;
    uint32_t slot_count;
};

/* Owner side.  Creates the secure segment at key with slot_count slots,
 * fills in its header, gives it to uid:gid when uid >= 0 (root serving a
 * user), and only then publishes it.  Returns 0 or a negative code, with a
 * message naming the key. */
int geopm__job_create(const char *key, uint32_t slot_count, long uid, long gid,
                      struct geopm_job **job);

/* User side.  Attaches to the segment at key, waiting up to timeout seconds
 * for it to be created and published, and checks its header (layout version
 * and sizes): a mismatch is GEOPM_ERROR_LAYOUT with a message naming both
 * versions.  Returns 0 or a negative code. */
int geopm__job_attach(const char *key, unsigned int timeout, struct geopm_job **job);

/* Takes the next free slot, under the segment lock, for the calling
 * process (pid, MPI rank or -1, program name), and marks it claimed.
 * Returns 0 and the slot, GEOPM_ERROR_NO_SLOT, or a lock error. */
int geopm__job_claim_slot(struct geopm_job *job, int rank, const char *program,
                          struct geopm_job_slot **slot);

/* For the fault tests only: when not NULL, called inside the critical
 * section of geopm__job_claim_slot once the slot is counted, so that a test
 * can kill a process while it holds the segment lock. */
extern void (*geopm__job_claim_hook)(void);

/* Checks a job header found in a mapping of size bytes: magic, version,
 * every size and offset.  Returns 0, or GEOPM_ERROR_LAYOUT and a message in
 * why naming what differs. */
int geopm__job_check_header(const struct geopm_job_header *header, size_t size, char *why,
                            size_t why_size);

/* Owner side: records the calling process as the segment's controller
 * (after a fork, the child that serves the job). */
void geopm__job_set_controller(struct geopm_job *job);

/* The size of the segment's file now, and the size mapped: they differ
 * when the file's owner truncated or grew it.  Returns 0 or -errno. */
int geopm__job_file_size(const struct geopm_job *job, uint64_t *file_size,
                         uint64_t *mapped_size);

/* Unmaps; the owner also unlinks the key when unlink is true. */
void geopm__job_destroy(struct geopm_job *job, bool unlink);

#endif
