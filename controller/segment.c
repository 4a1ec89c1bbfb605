#include <config.h>

#include "segment.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "geopm_error.h"
#include "geopm_shm.h"
#include "shm_key.h"
#include "stale.h"

uint32_t ctl_segment_slot_count(const struct ctl_options *options)
{
    if (options->num_proc != 0) {
        return options->num_proc;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    uint64_t slots = cpus > 0 ? 4 * (uint64_t)cpus : CTL_SLOTS_MIN;
    if (slots < CTL_SLOTS_MIN) {
        slots = CTL_SLOTS_MIN;
    }
    return slots > CTL_NUM_PROC_MAX ? CTL_NUM_PROC_MAX : (uint32_t)slots;
}

/* Says what holds the key, for a create that found it taken. */
static void describe_taken(const char *key, const struct geopm_job_peek *peek, char *msg,
                           size_t msg_size)
{
    if (peek->found == GEOPM_JOB_FOUND_SEGMENT) {
        snprintf(msg, msg_size,
                 "key \"%s\" is taken by the segment of controller %ld, which is running: "
                 "another job on this node uses this key; give each job its own key with --key "
                 "or GEOPM_SHMKEY (geopmlaunch does)",
                 key, (long)peek->controller_pid);
        return;
    }
    char detail[96] = "";
    if (peek->found == GEOPM_JOB_FOUND_FOREIGN || peek->found == GEOPM_JOB_FOUND_OTHER_FILE) {
        snprintf(detail, sizeof(detail), " (owner uid %lu, mode %04o, %lld bytes)",
                 (unsigned long)peek->uid, (unsigned int)(peek->mode & 07777),
                 (long long)peek->size);
    }
    snprintf(msg, msg_size,
             "key \"%s\" is taken by %s%s at " GEOPM_SHM_DIR "%s; geopmctl never uses what it "
             "did not create: remove it, or choose another key with --key or GEOPM_SHMKEY",
             key, geopm__job_found_text(peek->found), detail, key);
}

int ctl_segment_create(const struct ctl_options *options, struct geopm_job **job, char *msg,
                       size_t msg_size)
{
    uint32_t slots = ctl_segment_slot_count(options);
    /* As root for a user, the segment is theirs before it is published;
     * otherwise it stays the caller's. */
    bool give = geteuid() == 0 && options->user_given && options->uid != 0;
    long uid = give ? (long)options->uid : -1;
    long gid = give ? (long)options->gid : -1;
    /* The segments of this user's dead jobs go first: killed jobs must
     * not fill /dev/shm, whatever their keys. */
    uid_t owner = give ? options->uid : geteuid();
    ctl_stale_sweep(owner);
    int err = geopm__job_create(options->key, slots, uid, gid, job);
    struct geopm_job_peek peek;
    /* Once more when a stale segment was removed, or when what was there
     * went away before it could be looked at. */
    if (err == -EEXIST && (ctl_stale_remove(options->key, owner, &peek) ||
                           peek.found == GEOPM_JOB_FOUND_NOTHING)) {
        err = geopm__job_create(options->key, slots, uid, gid, job);
    }
    if (err == -EEXIST) {
        describe_taken(options->key, &peek, msg, msg_size);
    }
    else if (err != 0) {
        char detail[512];
        geopm_error_message(err, detail, sizeof(detail));
        snprintf(msg, msg_size, "cannot create the segment \"%s\" with %u slots: %s",
                 options->key, slots, detail);
    }
    return err;
}
