#include <config.h>

#include "runtime.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "job_clock.h"
#include "error_detail.h"
#include "geopm_error.h"
#include "job.h"
#include "job_writer.h"
#include "prof_config.h"

struct geopm_runtime geopm__g_runtime = {
    .state = GEOPM_RUNTIME_UNDECIDED,
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

static void warn_unprofiled(int err)
{
    char message[768];
    geopm_error_message(err, message, sizeof(message));
    fprintf(stderr, "geopm: warning: process %d is not profiled: %s\n", (int)getpid(), message);
}

/* A child made by fork() inherits the mapping and the parent's slot; it
 * must not write into it. */
static void forget_in_child(void)
{
    atomic_store_explicit(&geopm__g_runtime.state, GEOPM_RUNTIME_OFF, memory_order_release);
}

/* A process that ends without MPI_Finalize or geopm_prof_shutdown() still
 * tells the controller it finished, rather than looking dead. */
__attribute__((destructor)) static void finish_at_exit(void)
{
    geopm__runtime_finish();
}

/* Makes the slot's pages present now, so that no marker takes a page fault. */
static void prefault(struct geopm_job_slot *slot)
{
#ifdef MADV_POPULATE_WRITE
    if (madvise(slot, sizeof(*slot), MADV_POPULATE_WRITE) == 0) {
        return;
    }
#endif
    long page = sysconf(_SC_PAGESIZE);
    volatile char *bytes = (volatile char *)slot;
    for (size_t offset = 0; offset < sizeof(*slot); offset += (size_t)page) {
        /* Writing a byte back faults its page in, writable. */
        // cppcheck-suppress selfAssignment
        bytes[offset] = bytes[offset];
    }
}

/* A name that does not fit in the slot is left out there (the region is
 * reported by its hash), as when a region is named after attach. */
static void copy_regions(struct geopm_job_slot *slot, const struct geopm_region_registry *registry)
{
    for (uint32_t index = 0; index < registry->count; ++index) {
        geopm__job_slot_add_region(slot, index, registry->id[index], registry->name[index]);
    }
}

static int attach_locked(const struct geopm_prof_config *config, int rank)
{
    uint64_t start = geopm__clock_ns();
    struct geopm_job *job = NULL;
    struct geopm_job_slot *slot = NULL;
    int err = geopm__job_attach(config->key, config->timeout, &job);
    if (err == 0) {
        err = geopm__job_claim_slot(job, rank, program_invocation_short_name, &slot);
    }
    if (err != 0) {
        geopm__job_destroy(job, false);
        return err;
    }
    /* From now on this process reads time as the controller calibrated it. */
    geopm__clock_use(&job->header->clock);
    prefault(slot);
    copy_regions(slot, &geopm__g_runtime.registry);
    geopm__g_runtime.job = job;
    geopm__g_runtime.slot = slot;
    geopm__g_runtime.main_thread = pthread_self();
    atomic_store_explicit(&slot->status.current, GEOPM_REGION_HASH_UNMARKED, memory_order_relaxed);
    uint64_t now = geopm__clock_ns();
    atomic_store_explicit(&slot->info.start_ns, now, memory_order_relaxed);
    atomic_store_explicit(&slot->info.overhead_ns, now - start, memory_order_relaxed);
    atomic_store_explicit(&slot->info.state, GEOPM_JOB_SLOT_ACTIVE, memory_order_release);
    pthread_atfork(NULL, NULL, forget_in_child);
    atomic_store_explicit(&geopm__g_runtime.state, GEOPM_RUNTIME_ATTACHED, memory_order_release);
    return 0;
}

int geopm__runtime_attach(int rank)
{
    struct geopm_prof_config config;
    int err = geopm__prof_config_read(&config);
    pthread_mutex_lock(&geopm__g_runtime.lock);
    int state = atomic_load_explicit(&geopm__g_runtime.state, memory_order_relaxed);
    if (state == GEOPM_RUNTIME_ATTACHED || state == GEOPM_RUNTIME_OFF) {
        pthread_mutex_unlock(&geopm__g_runtime.lock);
        return 0;
    }
    if (err == 0 && config.program_selected) {
        err = attach_locked(&config, rank);
    }
    if (err != 0 || !config.program_selected) {
        atomic_store_explicit(&geopm__g_runtime.state, GEOPM_RUNTIME_OFF, memory_order_release);
    }
    pthread_mutex_unlock(&geopm__g_runtime.lock);
    if (err != 0) {
        warn_unprofiled(err);
    }
    return err;
}

/* A program is an MPI program when an MPI library is loaded; the MPI
 * wrappers attach it at MPI_Init, when its rank is known. */
static bool is_mpi_program(void)
{
    return dlsym(RTLD_DEFAULT, "PMPI_Init") != NULL;
}

struct geopm_job_slot *geopm__runtime_decide(void)
{
    if (is_mpi_program()) {
        int expected = GEOPM_RUNTIME_UNDECIDED;
        atomic_compare_exchange_strong(&geopm__g_runtime.state, &expected,
                                       GEOPM_RUNTIME_WAIT_MPI);
        return NULL;
    }
    if (getenv("GEOPM_PROFILE") == NULL) {
        int expected = GEOPM_RUNTIME_UNDECIDED;
        atomic_compare_exchange_strong(&geopm__g_runtime.state, &expected, GEOPM_RUNTIME_OFF);
        return NULL;
    }
    geopm__runtime_attach(-1);
    int state = atomic_load_explicit(&geopm__g_runtime.state, memory_order_acquire);
    return state == GEOPM_RUNTIME_ATTACHED ? geopm__g_runtime.slot : NULL;
}

void geopm__runtime_finish(void)
{
    pthread_mutex_lock(&geopm__g_runtime.lock);
    if (atomic_load_explicit(&geopm__g_runtime.state, memory_order_relaxed) ==
        GEOPM_RUNTIME_ATTACHED) {
        struct geopm_job_slot *slot = geopm__g_runtime.slot;
        atomic_store_explicit(&geopm__g_runtime.state, GEOPM_RUNTIME_OFF, memory_order_release);
        atomic_store_explicit(&slot->info.end_ns, geopm__clock_ns(), memory_order_relaxed);
        atomic_store_explicit(&slot->info.state, GEOPM_JOB_SLOT_FINISHED, memory_order_release);
    }
    pthread_mutex_unlock(&geopm__g_runtime.lock);
}

int geopm__runtime_add_region(uint64_t id, const char *name)
{
    pthread_mutex_lock(&geopm__g_runtime.lock);
    uint32_t known = geopm__g_runtime.registry.count;
    int index = geopm__registry_add(&geopm__g_runtime.registry, id, name);
    if (index >= 0 && (uint32_t)index == known &&
        atomic_load_explicit(&geopm__g_runtime.state, memory_order_relaxed) ==
            GEOPM_RUNTIME_ATTACHED) {
        geopm__job_slot_add_region(geopm__g_runtime.slot, (uint32_t)index, id, name);
    }
    pthread_mutex_unlock(&geopm__g_runtime.lock);
    return index;
}

int geopm__runtime_refuse(int err)
{
    if (atomic_load_explicit(&geopm__g_runtime.state, memory_order_acquire) ==
        GEOPM_RUNTIME_ATTACHED) {
        atomic_fetch_add_explicit(&geopm__g_runtime.slot->info.error_count, 1,
                                  memory_order_relaxed);
    }
    return err;
}
