#include <config.h>

#include "segment.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "geopm_error.h"
#include "geopm_shm.h"

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

/* Removes the segment at key if it is a job segment, owned by this user
 * (attach checks that), whose controller process is gone.  Returns whether
 * it was removed. */
static bool remove_stale(const char *key, bool verbose)
{
    struct geopm_job *old = NULL;
    if (geopm__job_attach(key, 0, &old) != 0) {
        return false;
    }
    pid_t owner = old->header->controller_pid;
    bool stale = owner > 0 && owner != getpid() && kill(owner, 0) != 0 && errno == ESRCH;
    if (stale && verbose) {
        fprintf(stderr, "geopmctl: removing the segment \"%s\" of controller %ld, which is gone\n",
                key, (long)owner);
    }
    geopm__job_destroy(old, stale);
    return stale;
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
    int err = geopm__job_create(options->key, slots, uid, gid, job);
    if (err == -EEXIST && remove_stale(options->key, options->verbose)) {
        err = geopm__job_create(options->key, slots, uid, gid, job);
    }
    if (err != 0) {
        char detail[512];
        geopm_error_message(err, detail, sizeof(detail));
        if (err == -EEXIST) {
            snprintf(msg, msg_size,
                     "key \"%s\" is in use by another job, or by a segment that cannot be "
                     "checked; remove /dev/shm%s if no job uses it",
                     options->key, options->key);
        }
        else {
            snprintf(msg, msg_size, "cannot create the segment \"%s\" with %u slots: %s",
                     options->key, slots, detail);
        }
    }
    return err;
}
