/* Whether the processes of the slots still exist, checked for all of them
 * in one system call: a pidfd per process where the kernel has them
 * (Linux 5.3), kill(pid, 0) otherwise. */
#ifndef CTL_PROC_WATCH_H_INCLUDE
#define CTL_PROC_WATCH_H_INCLUDE

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct ctl_watch {
    struct pollfd *fds; /* by slot; fd -1 when the slot has no pidfd */
    pid_t *pids;        /* by slot; 0 when the slot is not watched */
    uint32_t size;
    uint32_t end;       /* one past the highest watched slot */
    bool use_pidfd;
};

/* Returns 0 or -ENOMEM. */
int ctl_watch_init(struct ctl_watch *watch, uint32_t size);
void ctl_watch_fini(struct ctl_watch *watch);

/* Starts watching pid for slot index.  Returns 0, or -ESRCH when the
 * process is already gone. */
int ctl_watch_add(struct ctl_watch *watch, uint32_t index, pid_t pid);

/* Stops watching slot index. */
void ctl_watch_remove(struct ctl_watch *watch, uint32_t index);

/* Writes into gone the slots whose process no longer exists, at most max;
 * they stay watched until removed.  Returns how many. */
uint32_t ctl_watch_check(struct ctl_watch *watch, uint32_t *gone, uint32_t max);

#endif
