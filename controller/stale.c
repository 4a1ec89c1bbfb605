#include <config.h>

#include "stale.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "geopm_shm.h"
#include "proc_start.h"
#include "shm_key.h"

#define STALE_NAME_PREFIX "geopm-"

bool ctl_stale_controller_gone(const struct geopm_job_peek *peek)
{
    pid_t pid = peek->controller_pid;
    if (pid <= 0 || pid == getpid()) {
        /* No controller recorded, or ourselves: not a segment to judge. */
        return false;
    }
    if (kill(pid, 0) != 0 && errno == ESRCH) {
        return true;
    }
    /* The pid is taken (EPERM: by a process of another user).  It is the
     * same controller only if it started when the segment says. */
    uint64_t start = geopm__proc_start_ticks(pid);
    return peek->controller_start != 0 && start != 0 && start != peek->controller_start;
}

bool ctl_stale_remove(const char *key, uid_t owner, struct geopm_job_peek *peek)
{
    if (geopm__job_peek(key, owner, peek) != 0 || peek->found != GEOPM_JOB_FOUND_SEGMENT ||
        !ctl_stale_controller_gone(peek)) {
        return false;
    }
    /* The name is removed, not the file looked at: between the two, only
     * the owner could have put another file of its own there. */
    if (shm_unlink(key) != 0) {
        return false;
    }
    fprintf(stderr, "geopmctl: removed the stale segment \"%s\" of controller %ld, which is gone\n",
            key, (long)peek->controller_pid);
    return true;
}

unsigned int ctl_stale_sweep(uid_t owner)
{
    DIR *dir = opendir(GEOPM_SHM_DIR);
    if (dir == NULL) {
        return 0;
    }
    unsigned int removed = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        char key[GEOPM_SHM_KEY_MAX + 1];
        /* A name no job could have (control characters, too long) is not
         * looked at, nor printed. */
        if (strncmp(entry->d_name, STALE_NAME_PREFIX, strlen(STALE_NAME_PREFIX)) != 0 ||
            snprintf(key, sizeof(key), "/%s", entry->d_name) >= (int)sizeof(key) ||
            geopm__shm_key_check("geopmctl", key) != 0) {
            continue;
        }
        struct geopm_job_peek peek;
        removed += ctl_stale_remove(key, owner, &peek);
    }
    closedir(dir);
    return removed;
}
