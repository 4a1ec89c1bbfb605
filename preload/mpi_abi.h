/* The types of the MPI functions' parameters as the wrappers see them:
 * every handle a register-wide opaque value.  The wrappers only pass their
 * arguments on, so one set of them forwards the calls of Open MPI programs
 * (pointer handles) and MPICH programs (int handles, in the low half of the
 * same register or stack slot) unchanged, whichever flavour they were built
 * for: a preload of the wrong flavour can then step aside at MPI_Init
 * instead of cutting pointers in half.  mpi_signatures.c checks, against
 * each flavour's mpi.h, that the list in mpi_functions.h has the right
 * parameters. */
#ifndef GEOPM_MPI_ABI_H_INCLUDE
#define GEOPM_MPI_ABI_H_INCLUDE

#include <stdint.h>

#ifdef MPI_VERSION
#error "mpi_abi.h replaces mpi.h in the wrappers; include one of them, not both"
#endif

typedef struct geopm_mpi_handle *MPI_Comm;
typedef struct geopm_mpi_handle *MPI_Datatype;
typedef struct geopm_mpi_handle *MPI_Op;
typedef struct geopm_mpi_handle *MPI_Group;
typedef struct geopm_mpi_handle *MPI_Request;
typedef struct geopm_mpi_handle *MPI_Message;
typedef struct geopm_mpi_handle *MPI_Win;
typedef struct geopm_mpi_handle *MPI_File;
typedef struct geopm_mpi_handle *MPI_Info;
typedef intptr_t MPI_Aint;
typedef int64_t MPI_Offset;
/* Only ever passed by address; its size does not matter here. */
typedef struct geopm_mpi_status {
    int opaque;
} MPI_Status;

static_assert(sizeof(MPI_Comm) == 8 && sizeof(MPI_Aint) == 8 && sizeof(MPI_Offset) == 8,
              "handles, addresses and offsets are passed as 64-bit words");

#endif
