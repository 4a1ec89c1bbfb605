/* The process's runtime: whether and where it is attached, and its
 * regions.  One per process. */
#ifndef GEOPM_RUNTIME_H_INCLUDE
#define GEOPM_RUNTIME_H_INCLUDE

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "job_layout.h"
#include "region_registry.h"

enum geopm_runtime_state {
    GEOPM_RUNTIME_UNDECIDED = 0, /* nothing looked at yet */
    GEOPM_RUNTIME_WAIT_MPI,      /* an MPI program: it attaches at MPI_Init */
    GEOPM_RUNTIME_ATTACHED,      /* markers go to slot */
    GEOPM_RUNTIME_OFF,           /* not profiled: every call returns at once */
};

struct geopm_runtime {
    _Atomic int state; /* enum geopm_runtime_state */
    struct geopm_job *job;
    struct geopm_job_slot *slot;
    pthread_t main_thread;
    /* Serialises attach, finish and naming regions; never taken by markers. */
    pthread_mutex_t lock;
    struct geopm_region_registry registry;
};

extern struct geopm_runtime geopm__g_runtime;

/* The slot to write markers to, or NULL when this process is not
 * profiled.  The first call of a program without MPI decides whether it
 * attaches (GEOPM_PROFILE set). */
static inline struct geopm_job_slot *geopm__runtime_slot(void)
{
    int state = atomic_load_explicit(&geopm__g_runtime.state, memory_order_acquire);
    if (state == GEOPM_RUNTIME_ATTACHED) {
        return geopm__g_runtime.slot;
    }
    if (state == GEOPM_RUNTIME_UNDECIDED) {
        extern struct geopm_job_slot *geopm__runtime_decide(void);
        return geopm__runtime_decide();
    }
    return NULL;
}

/* Attaches to the controller's segment for MPI rank (or -1) if the
 * environment allows it, within GEOPM_TIMEOUT seconds.  On failure prints
 * one warning and leaves the process unprofiled.  Returns 0 or the code of
 * the failure. */
int geopm__runtime_attach(int rank);

/* Tells the controller this process is done; later markers record
 * nothing.  The mapping stays, since another thread may be writing a
 * marker at this moment. */
void geopm__runtime_finish(void);

/* Names region id (under the runtime's lock) and, when attached, writes it
 * into the slot.  Returns its index or a negative code. */
int geopm__runtime_add_region(uint64_t id, const char *name);

/* geopm_prof_region(), for the parts of the runtime that name regions
 * (the MPI wrappers), so that they reach this runtime's copy even when
 * the application interposes the public name. */
int geopm__prof_region(const char *region_name, uint64_t hint, uint64_t *region_id);

/* Counts a refused call in the slot, when there is one, and returns err,
 * so that a refusal reads "return geopm__runtime_refuse(geopm__error(...));". */
int geopm__runtime_refuse(int err);

#endif
