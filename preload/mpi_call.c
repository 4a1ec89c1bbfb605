#include <config.h>

#include "mpi_call.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "geopm_hint.h"
#include "marker.h"
#include "mpi_wrappers.h"
#include "runtime.h"

_Atomic bool geopm__g_mpi_marking;
_Thread_local bool geopm__t_in_mpi __attribute__((tls_model("initial-exec")));
uint64_t geopm__g_mpi_region_id[GEOPM_MPI_FUNCTION_COUNT];
_Atomic bool geopm__g_mpi_region_named[GEOPM_MPI_FUNCTION_COUNT];

static const char *const g_names[] = {
#define GEOPM_MPI_NAME_(name, hint, params, args) "MPI_" #name,
    GEOPM_MPI_FUNCTIONS(GEOPM_MPI_NAME_)
#undef GEOPM_MPI_NAME_
};

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

void *geopm__mpi_next(unsigned int function, void *_Atomic *next)
{
    void *found = dlsym(RTLD_NEXT, g_next_names[function]);
    if (found == NULL) {
        fprintf(stderr, "geopm: error: %s: no MPI library defines %s\n", g_names[function],
                g_next_names[function]);
        return NULL;
    }
    atomic_store_explicit(next, found, memory_order_relaxed);
    return found;
}

bool geopm__mpi_name_region(unsigned int function)
{
    uint64_t id = 0;
    if (geopm__prof_region(g_names[function], g_hints[function], &id) != 0) {
        return false;
    }
    geopm__g_mpi_region_id[function] = id;
    atomic_store_explicit(&geopm__g_mpi_region_named[function], true, memory_order_release);
    return true;
}

bool geopm__mpi_call_begin(unsigned int function)
{
    if (geopm__t_in_mpi || !atomic_load_explicit(&geopm__g_mpi_marking, memory_order_relaxed)) {
        return false;
    }
    if (!atomic_load_explicit(&geopm__g_mpi_region_named[function], memory_order_acquire) &&
        !geopm__mpi_name_region(function)) {
        return false;
    }
    geopm__t_in_mpi = true;
    geopm__marker_enter(geopm__g_mpi_region_id[function]);
    return true;
}

void geopm__mpi_call_end(unsigned int function)
{
    geopm__marker_exit(geopm__g_mpi_region_id[function]);
    geopm__t_in_mpi = false;
}
