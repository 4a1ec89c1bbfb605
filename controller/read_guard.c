#include <config.h>

#include "read_guard.h"

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

/* Where a SIGBUS in a guarded read of this thread jumps to; NULL outside
 * one. */
static _Thread_local sigjmp_buf *volatile g_guard_jump;

static void on_sigbus(int signo, siginfo_t *info, void *context)
{
    (void)info;
    (void)context;
    sigjmp_buf *jump = g_guard_jump;
    if (jump != NULL) {
        g_guard_jump = NULL;
        siglongjmp(*jump, 1);
    }
    /* Not a guarded read: a bug.  Returning re-executes the access, which
     * now dies of the default action, with a core. */
    (void)signal(signo, SIG_DFL);
}

void ctl_read_guard_install(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_sigaction = on_sigbus;
    /* SA_NODEFER leaves SIGBUS unblocked when the handler jumps out, so the
     * jump need not restore the signal mask: no system call per read. */
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, NULL);
}

int ctl_guarded_call(int (*read)(void *arg), void *arg)
{
    sigjmp_buf jump;
    if (sigsetjmp(jump, 0) != 0) {
        return CTL_GUARD_FAULT;
    }
    g_guard_jump = &jump;
    int result = read(arg);
    g_guard_jump = NULL;
    return result;
}
