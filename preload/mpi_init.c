/* The MPI functions written by hand: MPI_Init and MPI_Init_thread attach
 * the rank, MPI_Finalize marks it finished, MPI_Pcontrol pauses and
 * resumes marking.  Nothing happens before MPI_Init: this library is also
 * loaded into mpirun and its helpers, which never call it. */
#include <config.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpi.h>

#include "geopm_export.h"
#include "mpi_call.h"
#include "runtime.h"

#if defined(OPEN_MPI)
#define GEOPM_MPI_FLAVOUR "Open MPI"
#elif defined(MPICH_VERSION)
#define GEOPM_MPI_FLAVOUR "MPICH"
#else
#error "an MPI library of unknown flavour: this runtime is built for Open MPI or MPICH"
#endif

/* Larger than any MPI_MAX_LIBRARY_VERSION_STRING (MPICH's is 8192), since
 * the library that fills it may be of the other flavour. */
#define LIBRARY_VERSION_MAX 16384

/* The MPI library in the process must be the one these wrappers were
 * compiled for: handles and constants differ between flavours.  Only
 * functions that take no handle are called to find out. */
static bool is_own_flavour(void)
{
    int (*get_version)(char *, int *) = dlsym(RTLD_NEXT, "PMPI_Get_library_version");
    static char version[LIBRARY_VERSION_MAX];
    int length = 0;
    if (get_version == NULL || get_version(version, &length) != 0) {
        return false;
    }
    version[LIBRARY_VERSION_MAX - 1] = '\0';
    if (strstr(version, GEOPM_MPI_FLAVOUR) == version) {
        return true;
    }
    char *end = strchr(version, '\n');
    if (end != NULL) {
        *end = '\0';
    }
    fprintf(stderr,
            "geopm: warning: this preload library is built for " GEOPM_MPI_FLAVOUR
            " but the program uses \"%.80s\"; rank not profiled (use the preload library "
            "of that MPI, or geopmlaunch, which picks it)\n",
            version);
    return false;
}

/* The launcher's rank variables, so that the rank is known without a
 * handle of MPI_COMM_WORLD, whose symbol only the MPI library has. */
static int world_rank(void)
{
    static const char *const variables[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK",
                                            "SLURM_PROCID"};
    for (size_t i = 0; i < sizeof(variables) / sizeof(variables[0]); ++i) {
        const char *text = getenv(variables[i]);
        char *end = NULL;
        long rank = text != NULL ? strtol(text, &end, 10) : -1;
        if (text != NULL && *text != '\0' && *end == '\0' && rank >= 0 && rank <= 0x7fffffff) {
            return (int)rank;
        }
    }
    int (*comm_rank)(MPI_Comm, int *) = dlsym(RTLD_NEXT, "PMPI_Comm_rank");
    int rank = -1;
#if defined(OPEN_MPI)
    MPI_Comm world = (MPI_Comm)dlsym(RTLD_DEFAULT, "ompi_mpi_comm_world");
    bool have_world = world != NULL;
#else
    MPI_Comm world = MPI_COMM_WORLD;
    bool have_world = true;
#endif
    if (comm_rank != NULL && have_world && comm_rank(world, &rank) != MPI_SUCCESS) {
        rank = -1;
    }
    return rank;
}

/* From now on, MPI calls are marked if and only if this process is
 * attached. */
static void resume_marking(void)
{
    atomic_store(&geopm__g_mpi_marking,
                 atomic_load(&geopm__g_runtime.state) == GEOPM_RUNTIME_ATTACHED);
}

static void start_profiling(void)
{
    if (is_own_flavour()) {
        geopm__runtime_attach(world_rank());
        resume_marking();
    }
}

GEOPM_EXPORT int MPI_Init(int *argc, char ***argv)
{
    int (*next)(int *, char ***) = geopm__mpi_find_next("PMPI_Init");
    if (next == NULL) {
        return MPI_ERR_INTERN;
    }
    int result = next(argc, argv);
    if (result == MPI_SUCCESS) {
        start_profiling();
    }
    return result;
}
extern __typeof__(MPI_Init) PMPI_Init GEOPM_EXPORT __attribute__((alias("MPI_Init")));

GEOPM_EXPORT int MPI_Init_thread(int *argc, char ***argv, int required, int *provided)
{
    int (*next)(int *, char ***, int, int *) = geopm__mpi_find_next("PMPI_Init_thread");
    if (next == NULL) {
        return MPI_ERR_INTERN;
    }
    int result = next(argc, argv, required, provided);
    if (result == MPI_SUCCESS) {
        start_profiling();
    }
    return result;
}
extern __typeof__(MPI_Init_thread) PMPI_Init_thread GEOPM_EXPORT __attribute__((alias("MPI_Init_thread")));

GEOPM_EXPORT int MPI_Finalize(void)
{
    int (*next)(void) = geopm__mpi_find_next("PMPI_Finalize");
    if (next == NULL) {
        return MPI_ERR_INTERN;
    }
    atomic_store(&geopm__g_mpi_marking, false);
    geopm__runtime_finish();
    return next();
}
extern __typeof__(MPI_Finalize) PMPI_Finalize GEOPM_EXPORT __attribute__((alias("MPI_Finalize")));

/* Level 0 pauses marking MPI calls, level 1 resumes it (MPI 4.0, 14.2.4);
 * the level is passed on to the MPI library and any other tool. */
GEOPM_EXPORT int MPI_Pcontrol(const int level, ...)
{
    if (level == 0) {
        atomic_store(&geopm__g_mpi_marking, false);
    }
    else if (level == 1) {
        resume_marking();
    }
    int (*next)(const int, ...) = geopm__mpi_find_next("PMPI_Pcontrol");
    return next != NULL ? next(level) : MPI_SUCCESS;
}
extern __typeof__(MPI_Pcontrol) PMPI_Pcontrol GEOPM_EXPORT __attribute__((alias("MPI_Pcontrol")));
