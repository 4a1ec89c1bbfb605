#include <config.h>

#include "mpi_call.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>

#include "geopm_hint.h"
#include "marker.h"
#include "mpi_wrappers.h"
#include "runtime.h"

_Atomic bool geopm__g_mpi_marking;

/* Per thread: inside a wrapped call, so that MPI calls made by the MPI
 * library itself (ROMIO, Fortran bindings) are not counted twice. */
static _Thread_local bool t_in_mpi __attribute__((tls_model("initial-exec")));

/* The region of each wrapped function, named at its first marked call (so
 * that a process lists only the functions it called): id and index are
 * written before named is released.  The index spares each call the
 * registry's lookup. */
struct mpi_region {
    uint64_t id;
    uint32_t index;
    _Atomic bool named;
};
static struct mpi_region g_regions[GEOPM_MPI_FUNCTION_COUNT];

/* "PMPI_X": the MPI library's name of each function; the region's name,
 * "MPI_X", is the same text from its second character. */
static const char *const g_next_names[] = {
#define GEOPM_MPI_NEXT_NAME_(name, hint, params, args) "PMPI_" #name,
    GEOPM_MPI_FUNCTIONS(GEOPM_MPI_NEXT_NAME_)
#undef GEOPM_MPI_NEXT_NAME_
};

static const uint64_t g_hints[] = {
#define GEOPM_MPI_HINT_(name, hint, params, args) hint,
    GEOPM_MPI_FUNCTIONS(GEOPM_MPI_HINT_)
#undef GEOPM_MPI_HINT_
};

void *geopm__mpi_find_next(const char *name)
{
    void *next = dlsym(RTLD_NEXT, name);
    if (next == NULL) {
        fprintf(stderr, "geopm: error: no MPI library defines %s\n", name);
    }
    return next;
}

void *geopm__mpi_next(unsigned int function, void *_Atomic *next)
{
    void *found = geopm__mpi_find_next(g_next_names[function]);
    if (found != NULL) {
        atomic_store_explicit(next, found, memory_order_relaxed);
    }
    return found;
}

/* Gives function its region in the runtime; false if it cannot.  Out of
 * line: it runs once per function, and would otherwise weigh on every
 * call's path. */
__attribute__((noinline, cold)) static bool name_region(unsigned int function)
{
    struct mpi_region *region = &g_regions[function];
    uint64_t id = 0;
    if (geopm__prof_region(g_next_names[function] + 1, g_hints[function], &id) != 0) {
        return false;
    }
    int index = geopm__registry_find(&geopm__g_runtime.registry, id);
    if (index < 0) {
        return false;
    }
    region->id = id;
    region->index = (uint32_t)index;
    atomic_store_explicit(&region->named, true, memory_order_release);
    return true;
}

bool geopm__mpi_call_begin(unsigned int function)
{
    if (t_in_mpi || !atomic_load_explicit(&geopm__g_mpi_marking, memory_order_relaxed)) {
        return false;
    }
    struct mpi_region *region = &g_regions[function];
    if (!atomic_load_explicit(&region->named, memory_order_acquire) && !name_region(function)) {
        return false;
    }
    t_in_mpi = true;
    geopm__marker_enter_index(region->index, region->id);
    return true;
}

void geopm__mpi_call_end(unsigned int function)
{
    geopm__marker_exit(g_regions[function].id);
    t_in_mpi = false;
}
