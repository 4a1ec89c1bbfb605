/* Indexes and names of the wrapped MPI functions, from mpi_functions.h. */
#ifndef GEOPM_MPI_WRAPPERS_H_INCLUDE
#define GEOPM_MPI_WRAPPERS_H_INCLUDE

#include "mpi_functions.h"

enum geopm_mpi_function {
#define GEOPM_MPI_ENUM_(name, hint, params, args) GEOPM_MPI_##name,
    GEOPM_MPI_FUNCTIONS(GEOPM_MPI_ENUM_)
#undef GEOPM_MPI_ENUM_
        GEOPM_MPI_FUNCTION_COUNT
};

#endif
