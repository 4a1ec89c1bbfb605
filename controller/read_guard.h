/* Reads of the job segment that survive its truncation.  The segment
 * belongs to the job's user, who can truncate it at any moment: a read of a
 * page past the new end raises SIGBUS, which would kill the controller
 * (often root) before it writes the report and removes the segment. */
#ifndef CTL_READ_GUARD_H_INCLUDE
#define CTL_READ_GUARD_H_INCLUDE

#include <errno.h>

/* What ctl_guarded_call returns when the read faulted. */
#define CTL_GUARD_FAULT (-EFAULT)

/* Installs the SIGBUS handler (again, should another have replaced it).
 * A SIGBUS outside a guarded read still kills the process, as without
 * it. */
void ctl_read_guard_install(void);

/* Runs read(arg) and returns its result, or CTL_GUARD_FAULT when a SIGBUS
 * struck during it.  read must not allocate, lock or do I/O: it may be
 * left at any instruction.  Costs no system call. */
int ctl_guarded_call(int (*read)(void *arg), void *arg);

#endif
