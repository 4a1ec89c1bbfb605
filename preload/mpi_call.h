/* What every MPI wrapper does around the call it forwards: the per-thread
 * re-entry guard, and the region marker of the function. */
#ifndef GEOPM_MPI_CALL_H_INCLUDE
#define GEOPM_MPI_CALL_H_INCLUDE

#include <stdbool.h>
#include <stdint.h>

/* Whether the wrappers mark calls: set at MPI_Init when this process is
 * profiled, cleared by MPI_Pcontrol(0) and at MPI_Finalize. */
extern _Atomic bool geopm__g_mpi_marking;

/* Per thread: inside a wrapped call, so that MPI calls made by the MPI
 * library itself (ROMIO, Fortran bindings) are not counted twice. */
extern _Thread_local bool geopm__t_in_mpi __attribute__((tls_model("initial-exec")));

/* Region id of each wrapped function, and whether its name was given to
 * the runtime yet (names are registered at first use, so that a process
 * lists only the functions it called). */
extern uint64_t geopm__g_mpi_region_id[];
extern _Atomic bool geopm__g_mpi_region_named[];

/* MPI_ERR_INTERN of the flavour built for (mpi_signatures.c). */
extern const int geopm__mpi_error_intern;

/* Gives function index its name in the runtime; false if it cannot. */
bool geopm__mpi_name_region(unsigned int function);

/* Returns the next definition of PMPI_<name> (the MPI library's), found
 * once with dlsym(RTLD_NEXT) and kept in *next; NULL, with a message, if
 * there is none. */
void *geopm__mpi_next(unsigned int function, void *_Atomic *next);

/* Starts marking a call of function; false when the call is not to be
 * marked (re-entry, not profiled, or MPI_Pcontrol(0)). */
bool geopm__mpi_call_begin(unsigned int function);
void geopm__mpi_call_end(unsigned int function);

#endif
