#include <config.h>

#include "job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error_detail.h"
#include "geopm_error.h"
#include "geopm_shm.h"
#include "proc_start.h"
#include "shm_internal.h"

/* How often a user polls for the controller to publish the job header
 * after the segment itself appeared (it chowns it first). */
#define PUBLISH_POLL_NS 1000000L

void (*geopm__job_claim_hook)(void);

static void set_controller(struct geopm_job_header *header)
{
    header->controller_pid = (int32_t)getpid();
    header->controller_start = geopm__proc_start_ticks(getpid());
}

static void fill_header(struct geopm_job_header *header, uint32_t slot_count)
{
    header->magic = GEOPM_JOB_MAGIC;
    header->layout_version = GEOPM_JOB_LAYOUT_VERSION;
    header->header_size = sizeof(struct geopm_job_header);
    header->slot_offset = sizeof(struct geopm_job_header);
    header->slot_size = sizeof(struct geopm_job_slot);
    header->slot_count = slot_count;
    header->region_max = GEOPM_JOB_REGION_MAX;
    header->ring_size = GEOPM_JOB_RING_SIZE;
    header->name_pool_size = GEOPM_JOB_NAME_POOL_SIZE;
    header->hint_count = GEOPM_NUM_REGION_HINT;
    set_controller(header);
    atomic_store_explicit(&header->slots_claimed, 0, memory_order_relaxed);
    geopm__clock_calibrate(&header->clock);
}

static struct geopm_job *job_from_shm(struct geopm_shm *shm)
{
    struct geopm_job *job = calloc(1, sizeof(*job));
    if (job != NULL) {
        job->shm = shm;
        job->header = geopm_shm_pointer(shm);
        job->slots = (struct geopm_job_slot *)((char *)job->header + job->header->slot_offset);
        job->slot_count = job->header->slot_count;
    }
    return job;
}

int geopm__job_create(const char *key, uint32_t slot_count, long uid, long gid,
                      struct geopm_job **job_out)
{
    if (job_out == NULL || slot_count == 0 || slot_count > 65536) {
        return geopm__error(GEOPM_ERROR_INVALID,
                            "geopm__job_create: key \"%s\": %u slots (1 to 65536 allowed)",
                            key ? key : "(null)", slot_count);
    }
    struct geopm_shm *shm = NULL;
    int err = geopm_shm_create_owner_secure(key, geopm_job_segment_size(slot_count), &shm);
    if (err != 0) {
        return err;
    }
    fill_header(geopm_shm_pointer(shm), slot_count);
    if (uid >= 0) {
        err = geopm_shm_chown(shm, (unsigned int)uid, (unsigned int)gid);
    }
    struct geopm_job *job = err == 0 ? job_from_shm(shm) : NULL;
    if (job == NULL) {
        err = err != 0 ? err : geopm__error(-ENOMEM, "geopm__job_create: out of memory");
        geopm_shm_unlink(shm);
        geopm_shm_destroy(shm);
        return err;
    }
    /* Last: the ranks start using the segment when they see this. */
    atomic_store_explicit(&job->header->published, GEOPM_JOB_PUBLISHED, memory_order_release);
    *job_out = job;
    return 0;
}

int geopm__job_check_header(const struct geopm_job_header *header, size_t size, char *why,
                            size_t why_size)
{
    if (size < sizeof(*header)) {
        snprintf(why, why_size, "segment of %zu bytes is smaller than a job header", size);
        return GEOPM_ERROR_LAYOUT;
    }
    if (header->magic != GEOPM_JOB_MAGIC) {
        snprintf(why, why_size, "segment is not a job segment (magic 0x%016llx)",
                 (unsigned long long)header->magic);
        return GEOPM_ERROR_LAYOUT;
    }
    if (header->layout_version != GEOPM_JOB_LAYOUT_VERSION) {
        snprintf(why, why_size, "segment has layout version %u, this runtime uses version %u",
                 header->layout_version, GEOPM_JOB_LAYOUT_VERSION);
        return GEOPM_ERROR_LAYOUT;
    }
    if (header->header_size != sizeof(*header) || header->slot_offset != sizeof(*header) ||
        header->slot_size != sizeof(struct geopm_job_slot) ||
        header->region_max != GEOPM_JOB_REGION_MAX || header->ring_size != GEOPM_JOB_RING_SIZE ||
        header->name_pool_size != GEOPM_JOB_NAME_POOL_SIZE ||
        header->hint_count != GEOPM_NUM_REGION_HINT) {
        snprintf(why, why_size,
                 "segment of layout version %u has other sizes (slot %u bytes, this runtime "
                 "uses %zu)",
                 header->layout_version, header->slot_size, sizeof(struct geopm_job_slot));
        return GEOPM_ERROR_LAYOUT;
    }
    if (header->slot_count == 0 || header->slot_count > (size - sizeof(*header)) /
                                                            sizeof(struct geopm_job_slot)) {
        snprintf(why, why_size, "segment of %zu bytes cannot hold its %u slots", size,
                 header->slot_count);
        return GEOPM_ERROR_LAYOUT;
    }
    return 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The segment exists before the controller has chowned and published it:
 * wait for that within what is left of the timeout. */
static int wait_published(const struct geopm_job_header *header, double deadline)
{
    const struct timespec poll = {0, PUBLISH_POLL_NS};
    while (atomic_load_explicit(&header->published, memory_order_acquire) !=
           GEOPM_JOB_PUBLISHED) {
        if (now_seconds() >= deadline) {
            return GEOPM_ERROR_NOT_READY;
        }
        nanosleep(&poll, NULL);
    }
    return 0;
}

int geopm__job_attach(const char *key, unsigned int timeout, struct geopm_job **job_out)
{
    if (job_out == NULL) {
        return geopm__error(GEOPM_ERROR_INVALID, "geopm__job_attach: job is NULL");
    }
    const double deadline = now_seconds() + timeout;
    struct geopm_shm *shm = NULL;
    int err = geopm_shm_attach_user(key, timeout, &shm);
    if (err != 0) {
        return err;
    }
    const struct geopm_job_header *header = geopm_shm_pointer(shm);
    char why[256] = "";
    err = wait_published(header, deadline);
    if (err != 0) {
        snprintf(why, sizeof(why), "the controller did not publish it within %u s", timeout);
    }
    else {
        err = geopm__job_check_header(header, geopm_shm_size(shm), why, sizeof(why));
    }
    struct geopm_job *job = err == 0 ? job_from_shm(shm) : NULL;
    if (job == NULL) {
        geopm_shm_destroy(shm);
        if (err == 0) {
            strcpy(why, "out of memory");
            err = -ENOMEM;
        }
        return geopm__error(err, "key \"%s\": %s", key, why);
    }
    *job_out = job;
    return 0;
}

int geopm__job_claim_slot(struct geopm_job *job, int rank, const char *program,
                          struct geopm_job_slot **slot_out)
{
    GEOPM_SHM_SCOPED_LOCK(job->shm);
    if (GEOPM_SHM_SCOPED_LOCK_STATUS < 0) {
        return GEOPM_SHM_SCOPED_LOCK_STATUS;
    }
    /* If a holder died (GEOPM_SHM_LOCK_OWNER_DIED), it died before it
     * counted its slot, or after: either way slots_claimed is whole, and a
     * slot it half filled is simply taken again. */
    uint32_t index = atomic_load_explicit(&job->header->slots_claimed, memory_order_relaxed);
    if (index >= job->slot_count) {
        return geopm__error(GEOPM_ERROR_NO_SLOT, "key \"%s\": all %u slots are taken",
                            geopm_shm_key(job->shm), job->slot_count);
    }
    struct geopm_job_slot *slot = &job->slots[index];
    memset(&slot->info, 0, sizeof(slot->info));
    slot->info.pid = (int32_t)getpid();
    slot->info.rank = rank;
    snprintf(slot->info.program, sizeof(slot->info.program), "%s", program ? program : "");
    atomic_store_explicit(&slot->info.state, GEOPM_JOB_SLOT_CLAIMED, memory_order_release);
    atomic_store_explicit(&job->header->slots_claimed, index + 1, memory_order_release);
    if (geopm__job_claim_hook != NULL) {
        geopm__job_claim_hook();
    }
    *slot_out = slot;
    return 0;
}

void geopm__job_set_controller(struct geopm_job *job)
{
    set_controller(job->header);
}

int geopm__job_file_size(const struct geopm_job *job, uint64_t *file_size,
                         uint64_t *mapped_size)
{
    struct stat st;
    if (fstat(job->shm->fd, &st) != 0) {
        return -errno;
    }
    *file_size = (uint64_t)st.st_size;
    *mapped_size = job->shm->map_size;
    return 0;
}

void geopm__job_destroy(struct geopm_job *job, bool unlink)
{
    if (job == NULL) {
        return;
    }
    if (unlink) {
        geopm_shm_unlink(job->shm);
    }
    geopm_shm_destroy(job->shm);
    free(job);
}
