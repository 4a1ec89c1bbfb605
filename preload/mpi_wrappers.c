/* The MPI wrappers, generated from the one list in mpi_functions.h.  Each
 * defines MPI_X, makes PMPI_X an alias of it (so that Fortran bindings and
 * tools that call PMPI_X are seen too), and forwards to the MPI library's
 * PMPI_X.  Built with mpi_abi.h, not mpi.h: see there why. */
#include <config.h>

#include <assert.h>
#include <stddef.h>

#include "mpi_abi.h"

#include "geopm_export.h"
#include "geopm_hint.h"
#include "mpi_call.h"
#include "mpi_functions.h"
#include "mpi_wrappers.h"

/* params and args are whole parenthesised lists: they take no more
 * parentheses.  NOLINTBEGIN(bugprone-macro-parentheses) */
#define GEOPM_MPI_NEXT_(name, hint, params, args) static int(*_Atomic g_next_##name) params;
GEOPM_MPI_FUNCTIONS(GEOPM_MPI_NEXT_)

#define GEOPM_MPI_WRAPPER_(name, hint, params, args)                                             \
    GEOPM_EXPORT int MPI_##name params                                                         \
    {                                                                                          \
        int(*next) params = g_next_##name;                                                     \
        if (__builtin_expect(next == NULL, 0)) {                                               \
            next = geopm__mpi_next(GEOPM_MPI_##name, (void *_Atomic *)&g_next_##name);         \
            if (next == NULL) {                                                                \
                return geopm__mpi_error_intern;                                                \
            }                                                                                  \
        }                                                                                      \
        if (!geopm__mpi_call_begin(GEOPM_MPI_##name)) {                                        \
            return next args;                                                                  \
        }                                                                                      \
        int result = next args;                                                                \
        geopm__mpi_call_end(GEOPM_MPI_##name);                                                 \
        return result;                                                                         \
    }                                                                                          \
    extern __typeof__(MPI_##name) PMPI_##name GEOPM_EXPORT __attribute__((alias("MPI_" #name)));
/* NOLINTEND(bugprone-macro-parentheses) */
GEOPM_MPI_FUNCTIONS(GEOPM_MPI_WRAPPER_)
