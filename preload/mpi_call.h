/* What every MPI wrapper does around the call it forwards: the per-thread
 * re-entry guard, and the region marker of the function. */
#ifndef GEOPM_MPI_CALL_H_INCLUDE
#define GEOPM_MPI_CALL_H_INCLUDE

#include <stdbool.h>

/* Whether the wrappers mark calls: set at MPI_Init when this process is
 * profiled, cleared by MPI_Pcontrol(0) and at MPI_Finalize. */
extern _Atomic bool geopm__g_mpi_marking;

/* MPI_ERR_INTERN of the flavour built for (mpi_signatures.c). */
extern const int geopm__mpi_error_intern;

/* Returns the MPI library's definition of name, found with
 * dlsym(RTLD_NEXT); NULL, with a message, if there is none. */
void *geopm__mpi_find_next(const char *name);

/* Returns the next definition of PMPI_<name> of function, found once with
 * geopm__mpi_find_next() and kept in *next. */
void *geopm__mpi_next(unsigned int function, void *_Atomic *next);

/* Starts marking a call of function; false when the call is not to be
 * marked (re-entry, not profiled, or MPI_Pcontrol(0)). */
bool geopm__mpi_call_begin(unsigned int function);
void geopm__mpi_call_end(unsigned int function);

#endif
