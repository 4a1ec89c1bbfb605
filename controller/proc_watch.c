#include <config.h>

#include "proc_watch.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int ctl_watch_init(struct ctl_watch *watch, uint32_t size)
{
    watch->fds = calloc(size, sizeof(*watch->fds));
    watch->pids = calloc(size, sizeof(*watch->pids));
    watch->size = size;
    watch->end = 0;
#ifdef SYS_pidfd_open
    watch->use_pidfd = true;
#else
    watch->use_pidfd = false;
#endif
    if (watch->fds == NULL || watch->pids == NULL) {
        ctl_watch_fini(watch);
        return -ENOMEM;
    }
    for (uint32_t i = 0; i < size; ++i) {
        watch->fds[i].fd = -1;
    }
    return 0;
}

void ctl_watch_fini(struct ctl_watch *watch)
{
    if (watch->fds != NULL) {
        for (uint32_t i = 0; i < watch->end; ++i) {
            if (watch->fds[i].fd >= 0) {
                close(watch->fds[i].fd);
            }
        }
    }
    free(watch->fds);
    free(watch->pids);
    watch->fds = NULL;
    watch->pids = NULL;
    watch->size = 0;
    watch->end = 0;
}

static int open_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

/* kill(pid, 0) fails with ESRCH only when no such process exists; EPERM
 * means it exists under another user. */
static bool gone_by_kill(pid_t pid)
{
    return kill(pid, 0) != 0 && errno == ESRCH;
}

int ctl_watch_add(struct ctl_watch *watch, uint32_t index, pid_t pid)
{
    if (index >= watch->size || pid <= 0) {
        return -EINVAL;
    }
    ctl_watch_remove(watch, index);
    if (watch->use_pidfd) {
        int fd = open_pidfd(pid);
        if (fd < 0 && errno == ESRCH) {
            return -ESRCH;
        }
        if (fd < 0 && errno == ENOSYS) {
            /* Built on a newer kernel than the one it runs on. */
            watch->use_pidfd = false;
        }
        /* Any other failure (EMFILE with many ranks) leaves this process
         * to kill(pid, 0): fd -1 says so. */
        watch->fds[index].fd = fd;
        watch->fds[index].events = POLLIN;
        watch->fds[index].revents = 0;
    }
    else if (gone_by_kill(pid)) {
        return -ESRCH;
    }
    watch->pids[index] = pid;
    if (index + 1 > watch->end) {
        watch->end = index + 1;
    }
    return 0;
}

void ctl_watch_remove(struct ctl_watch *watch, uint32_t index)
{
    if (index >= watch->size) {
        return;
    }
    if (watch->fds[index].fd >= 0) {
        close(watch->fds[index].fd);
        watch->fds[index].fd = -1;
    }
    watch->pids[index] = 0;
}

uint32_t ctl_watch_check(struct ctl_watch *watch, uint32_t *gone, uint32_t max)
{
    uint32_t found = 0;
    /* poll ignores negative descriptors: one call covers every pidfd. */
    int ready = watch->end > 0 ? poll(watch->fds, watch->end, 0) : 0;
    for (uint32_t i = 0; i < watch->end && found < max; ++i) {
        if (watch->pids[i] == 0) {
            continue;
        }
        bool is_gone = false;
        if (watch->fds[i].fd >= 0) {
            is_gone = ready > 0 && (watch->fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
        }
        else {
            is_gone = gone_by_kill(watch->pids[i]);
        }
        if (is_gone) {
            gone[found++] = i;
        }
    }
    return found;
}
