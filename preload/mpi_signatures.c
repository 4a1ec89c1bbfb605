/* Compile-time check, against the mpi.h of the flavour being built, that
 * every function of mpi_functions.h has exactly the parameters listed
 * there: the wrappers, built with mpi_abi.h instead of mpi.h, rely on it.
 * Also gives the wrappers the flavour's MPI_ERR_INTERN. */
#include <config.h>

#include <assert.h>

#include <mpi.h>

#include "mpi_functions.h"

/* params is a whole parameter list, parentheses included: it takes no more.
 * NOLINTBEGIN(bugprone-macro-parentheses) */
#define GEOPM_MPI_SIGNATURE_(name, hint, params, args)                                       \
    static_assert(__builtin_types_compatible_p(__typeof__(MPI_##name), int params),          \
                  "mpi_functions.h: MPI_" #name " does not have the parameters of mpi.h");
/* NOLINTEND(bugprone-macro-parentheses) */
GEOPM_MPI_FUNCTIONS(GEOPM_MPI_SIGNATURE_)

const int geopm__mpi_error_intern = MPI_ERR_INTERN;
