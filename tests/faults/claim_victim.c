/* A process that dies holding the job segment's lock: with DIE=1 it sets
 * geopm__job_claim_hook, so that its first geopm_prof call attaches, takes
 * the lock, counts its slot and is then killed (SIGKILL) inside the
 * critical section.  Linked with the runtime's static convenience library,
 * which holds the hook.
 *
 * Usage: claim_victim [DIE]  (DIE 1 by default; 0 attaches and exits 0) */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>

#include "geopm_hint.h"
#include "geopm_prof.h"
#include "job.h"
#include "../test_args.h"

static void die_holding_the_lock(void)
{
    raise(SIGKILL);
}

int main(int argc, char **argv)
{
    if (test_argument(argc, argv, 1, 1, 0, 1) == 1) {
        geopm__job_claim_hook = die_holding_the_lock;
    }
    uint64_t id = 0;
    int err = geopm_prof_region("victim", GEOPM_REGION_HINT_COMPUTE, &id);
    /* Reached only without the hook, or when the process never attached. */
    printf("claim_victim: survived, geopm_prof_region returned %d\n", err);
    return 0;
}
