/* The one list of wrapped MPI functions.  Each is marked as a region named
 * after the function ("MPI_Allreduce"), with the hint given here; the
 * wrappers, their region names and the export list all come from it.
 *
 * X(name, hint, (parameters), (arguments)): name without the MPI_ prefix,
 * parameters exactly as in the MPI-3 C bindings of mpi.h.
 *
 * Pure local queries (MPI_Comm_rank, MPI_Comm_size, MPI_Wtime, ...) and
 * the starts of non-blocking operations are not listed: they take no time
 * worth seeing, and wrapping them would only add to every call.  The time
 * of a non-blocking operation is seen in its completion call. */
#ifndef GEOPM_MPI_FUNCTIONS_H_INCLUDE
#define GEOPM_MPI_FUNCTIONS_H_INCLUDE

#define GEOPM_NET GEOPM_REGION_HINT_NETWORK
#define GEOPM_IO GEOPM_REGION_HINT_IO

#define GEOPM_MPI_COLLECTIVES(X)                                                                   \
    X(Allgather, GEOPM_NET,                                                                        \
      (const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf, int recvcount,     \
       MPI_Datatype recvtype, MPI_Comm comm),                                                      \
      (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm))                          \
    X(Allgatherv, GEOPM_NET,                                                                       \
      (const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,                   \
       const int recvcounts[], const int displs[], MPI_Datatype recvtype, MPI_Comm comm),          \
      (sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm))                 \
    X(Allreduce, GEOPM_NET,                                                                        \
      (const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op,            \
       MPI_Comm comm),                                                                             \
      (sendbuf, recvbuf, count, datatype, op, comm))                                               \
    X(Alltoall, GEOPM_NET,                                                                         \
      (const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf, int recvcount,     \
       MPI_Datatype recvtype, MPI_Comm comm),                                                      \
      (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm))                          \
    X(Alltoallv, GEOPM_NET,                                                                        \
      (const void *sendbuf, const int sendcounts[], const int sdispls[], MPI_Datatype sendtype,     \
       void *recvbuf, const int recvcounts[], const int rdispls[], MPI_Datatype recvtype,           \
       MPI_Comm comm),                                                                             \
      (sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls, recvtype, comm))      \
    X(Alltoallw, GEOPM_NET,                                                                        \
      (const void *sendbuf, const int sendcounts[], const int sdispls[],                           \
       const MPI_Datatype sendtypes[], void *recvbuf, const int recvcounts[], const int rdispls[], \
       const MPI_Datatype recvtypes[], MPI_Comm comm),                                             \
      (sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts, rdispls, recvtypes, comm))    \
    X(Barrier, GEOPM_NET, (MPI_Comm comm), (comm))                                                 \
    X(Bcast, GEOPM_NET, (void *buffer, int count, MPI_Datatype datatype, int root, MPI_Comm comm), \
      (buffer, count, datatype, root, comm))                                                       \
    X(Exscan, GEOPM_NET,                                                                           \
      (const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op,            \
       MPI_Comm comm),                                                                             \
      (sendbuf, recvbuf, count, datatype, op, comm))                                               \
    X(Gather, GEOPM_NET,                                                                           \
      (const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf, int recvcount,     \
       MPI_Datatype recvtype, int root, MPI_Comm comm),                                            \
      (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm))                    \
    X(Gatherv, GEOPM_NET,                                                                          \
      (const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,                   \
       const int recvcounts[], const int displs[], MPI_Datatype recvtype, int root, MPI_Comm comm), \
      (sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root, comm))           \
    X(Reduce, GEOPM_NET,                                                                           \
      (const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op, int root,  \
       MPI_Comm comm),                                                                             \
      (sendbuf, recvbuf, count, datatype, op, root, comm))                                         \
    X(Reduce_scatter, GEOPM_NET,                                                                   \
      (const void *sendbuf, void *recvbuf, const int recvcounts[], MPI_Datatype datatype,          \
       MPI_Op op, MPI_Comm comm),                                                                  \
      (sendbuf, recvbuf, recvcounts, datatype, op, comm))                                          \
    X(Reduce_scatter_block, GEOPM_NET,                                                             \
      (const void *sendbuf, void *recvbuf, int recvcount, MPI_Datatype datatype, MPI_Op op,        \
       MPI_Comm comm),                                                                             \
      (sendbuf, recvbuf, recvcount, datatype, op, comm))                                           \
    X(Scan, GEOPM_NET,                                                                             \
      (const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op,            \
       MPI_Comm comm),                                                                             \
      (sendbuf, recvbuf, count, datatype, op, comm))                                               \
    X(Scatter, GEOPM_NET,                                                                          \
      (const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf, int recvcount,     \
       MPI_Datatype recvtype, int root, MPI_Comm comm),                                            \
      (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm))                    \
    X(Scatterv, GEOPM_NET,                                                                         \
      (const void *sendbuf, const int sendcounts[], const int displs[], MPI_Datatype sendtype,     \
       void *recvbuf, int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm),              \
      (sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, root, comm))           \
    X(Neighbor_allgather, GEOPM_NET,                                                               \
      (const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf, int recvcount,     \
       MPI_Datatype recvtype, MPI_Comm comm),                                                      \
      (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm))                          \
    X(Neighbor_allgatherv, GEOPM_NET,                                                              \
      (const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,                   \
       const int recvcounts[], const int displs[], MPI_Datatype recvtype, MPI_Comm comm),          \
      (sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm))                 \
    X(Neighbor_alltoall, GEOPM_NET,                                                                \
      (const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf, int recvcount,     \
       MPI_Datatype recvtype, MPI_Comm comm),                                                      \
      (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm))                          \
    X(Neighbor_alltoallv, GEOPM_NET,                                                               \
      (const void *sendbuf, const int sendcounts[], const int sdispls[], MPI_Datatype sendtype,     \
       void *recvbuf, const int recvcounts[], const int rdispls[], MPI_Datatype recvtype,           \
       MPI_Comm comm),                                                                             \
      (sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls, recvtype, comm))      \
    X(Neighbor_alltoallw, GEOPM_NET,                                                               \
      (const void *sendbuf, const int sendcounts[], const MPI_Aint sdispls[],                      \
       const MPI_Datatype sendtypes[], void *recvbuf, const int recvcounts[],                      \
       const MPI_Aint rdispls[], const MPI_Datatype recvtypes[], MPI_Comm comm),                   \
      (sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts, rdispls, recvtypes, comm))    \
    X(Comm_create, GEOPM_NET, (MPI_Comm comm, MPI_Group group, MPI_Comm *newcomm),                 \
      (comm, group, newcomm))                                                                      \
    X(Comm_dup, GEOPM_NET, (MPI_Comm comm, MPI_Comm *newcomm), (comm, newcomm))                    \
    X(Comm_split, GEOPM_NET, (MPI_Comm comm, int color, int key, MPI_Comm *newcomm),               \
      (comm, color, key, newcomm))

#define GEOPM_MPI_POINT_TO_POINT(X)                                                                \
    X(Send, GEOPM_NET,                                                                             \
      (const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm),       \
      (buf, count, datatype, dest, tag, comm))                                                     \
    X(Ssend, GEOPM_NET,                                                                            \
      (const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm),       \
      (buf, count, datatype, dest, tag, comm))                                                     \
    X(Bsend, GEOPM_NET,                                                                            \
      (const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm),       \
      (buf, count, datatype, dest, tag, comm))                                                     \
    X(Rsend, GEOPM_NET,                                                                            \
      (const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm),       \
      (buf, count, datatype, dest, tag, comm))                                                     \
    X(Recv, GEOPM_NET,                                                                             \
      (void *buf, int count, MPI_Datatype datatype, int source, int tag, MPI_Comm comm,            \
       MPI_Status *status),                                                                        \
      (buf, count, datatype, source, tag, comm, status))                                           \
    X(Sendrecv, GEOPM_NET,                                                                         \
      (const void *sendbuf, int sendcount, MPI_Datatype sendtype, int dest, int sendtag,           \
       void *recvbuf, int recvcount, MPI_Datatype recvtype, int source, int recvtag,               \
       MPI_Comm comm, MPI_Status *status),                                                         \
      (sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, recvtype, source, recvtag, \
       comm, status))                                                                              \
    X(Sendrecv_replace, GEOPM_NET,                                                                 \
      (void *buf, int count, MPI_Datatype datatype, int dest, int sendtag, int source,             \
       int recvtag, MPI_Comm comm, MPI_Status *status),                                            \
      (buf, count, datatype, dest, sendtag, source, recvtag, comm, status))                        \
    X(Probe, GEOPM_NET, (int source, int tag, MPI_Comm comm, MPI_Status *status),                  \
      (source, tag, comm, status))                                                                 \
    X(Mprobe, GEOPM_NET,                                                                           \
      (int source, int tag, MPI_Comm comm, MPI_Message *message, MPI_Status *status),              \
      (source, tag, comm, message, status))                                                        \
    X(Mrecv, GEOPM_NET,                                                                            \
      (void *buf, int count, MPI_Datatype datatype, MPI_Message *message, MPI_Status *status),     \
      (buf, count, datatype, message, status))

#define GEOPM_MPI_COMPLETIONS(X)                                                                   \
    X(Wait, GEOPM_NET, (MPI_Request * request, MPI_Status *status), (request, status))             \
    X(Waitall, GEOPM_NET,                                                                          \
      (int count, MPI_Request array_of_requests[], MPI_Status array_of_statuses[]),               \
      (count, array_of_requests, array_of_statuses))                                               \
    X(Waitany, GEOPM_NET,                                                                          \
      (int count, MPI_Request array_of_requests[], int *index, MPI_Status *status),               \
      (count, array_of_requests, index, status))                                                   \
    X(Waitsome, GEOPM_NET,                                                                         \
      (int incount, MPI_Request array_of_requests[], int *outcount, int array_of_indices[],        \
       MPI_Status array_of_statuses[]),                                                            \
      (incount, array_of_requests, outcount, array_of_indices, array_of_statuses))                 \
    X(Test, GEOPM_NET, (MPI_Request * request, int *flag, MPI_Status *status),                     \
      (request, flag, status))                                                                     \
    X(Testall, GEOPM_NET,                                                                          \
      (int count, MPI_Request array_of_requests[], int *flag, MPI_Status array_of_statuses[]),    \
      (count, array_of_requests, flag, array_of_statuses))                                         \
    X(Testany, GEOPM_NET,                                                                          \
      (int count, MPI_Request array_of_requests[], int *index, int *flag, MPI_Status *status),    \
      (count, array_of_requests, index, flag, status))                                             \
    X(Testsome, GEOPM_NET,                                                                         \
      (int incount, MPI_Request array_of_requests[], int *outcount, int array_of_indices[],        \
       MPI_Status array_of_statuses[]),                                                            \
      (incount, array_of_requests, outcount, array_of_indices, array_of_statuses))

#define GEOPM_MPI_ONE_SIDED(X)                                                                     \
    X(Win_fence, GEOPM_NET, (int assert, MPI_Win win), (assert, win))                              \
    X(Win_wait, GEOPM_NET, (MPI_Win win), (win))                                                   \
    X(Win_complete, GEOPM_NET, (MPI_Win win), (win))                                               \
    X(Win_lock, GEOPM_NET, (int lock_type, int rank, int assert, MPI_Win win),                     \
      (lock_type, rank, assert, win))                                                              \
    X(Win_unlock, GEOPM_NET, (int rank, MPI_Win win), (rank, win))                                 \
    X(Win_lock_all, GEOPM_NET, (int assert, MPI_Win win), (assert, win))                           \
    X(Win_unlock_all, GEOPM_NET, (MPI_Win win), (win))                                             \
    X(Win_flush, GEOPM_NET, (int rank, MPI_Win win), (rank, win))                                  \
    X(Win_flush_all, GEOPM_NET, (MPI_Win win), (win))

#define GEOPM_MPI_FILE_IO(X)                                                                       \
    X(File_open, GEOPM_IO,                                                                         \
      (MPI_Comm comm, const char *filename, int amode, MPI_Info info, MPI_File *fh),               \
      (comm, filename, amode, info, fh))                                                           \
    X(File_close, GEOPM_IO, (MPI_File * fh), (fh))                                                 \
    X(File_sync, GEOPM_IO, (MPI_File fh), (fh))                                                    \
    X(File_read, GEOPM_IO,                                                                         \
      (MPI_File fh, void *buf, int count, MPI_Datatype datatype, MPI_Status *status),              \
      (fh, buf, count, datatype, status))                                                          \
    X(File_read_all, GEOPM_IO,                                                                     \
      (MPI_File fh, void *buf, int count, MPI_Datatype datatype, MPI_Status *status),              \
      (fh, buf, count, datatype, status))                                                          \
    X(File_read_at, GEOPM_IO,                                                                      \
      (MPI_File fh, MPI_Offset offset, void *buf, int count, MPI_Datatype datatype,                \
       MPI_Status *status),                                                                        \
      (fh, offset, buf, count, datatype, status))                                                  \
    X(File_read_at_all, GEOPM_IO,                                                                  \
      (MPI_File fh, MPI_Offset offset, void *buf, int count, MPI_Datatype datatype,                \
       MPI_Status *status),                                                                        \
      (fh, offset, buf, count, datatype, status))                                                  \
    X(File_read_shared, GEOPM_IO,                                                                  \
      (MPI_File fh, void *buf, int count, MPI_Datatype datatype, MPI_Status *status),              \
      (fh, buf, count, datatype, status))                                                          \
    X(File_read_ordered, GEOPM_IO,                                                                 \
      (MPI_File fh, void *buf, int count, MPI_Datatype datatype, MPI_Status *status),              \
      (fh, buf, count, datatype, status))                                                          \
    X(File_write, GEOPM_IO,                                                                        \
      (MPI_File fh, const void *buf, int count, MPI_Datatype datatype, MPI_Status *status),        \
      (fh, buf, count, datatype, status))                                                          \
    X(File_write_all, GEOPM_IO,                                                                    \
      (MPI_File fh, const void *buf, int count, MPI_Datatype datatype, MPI_Status *status),        \
      (fh, buf, count, datatype, status))                                                          \
    X(File_write_at, GEOPM_IO,                                                                     \
      (MPI_File fh, MPI_Offset offset, const void *buf, int count, MPI_Datatype datatype,          \
       MPI_Status *status),                                                                        \
      (fh, offset, buf, count, datatype, status))                                                  \
    X(File_write_at_all, GEOPM_IO,                                                                 \
      (MPI_File fh, MPI_Offset offset, const void *buf, int count, MPI_Datatype datatype,          \
       MPI_Status *status),                                                                        \
      (fh, offset, buf, count, datatype, status))                                                  \
    X(File_write_shared, GEOPM_IO,                                                                 \
      (MPI_File fh, const void *buf, int count, MPI_Datatype datatype, MPI_Status *status),        \
      (fh, buf, count, datatype, status))                                                          \
    X(File_write_ordered, GEOPM_IO,                                                                \
      (MPI_File fh, const void *buf, int count, MPI_Datatype datatype, MPI_Status *status),        \
      (fh, buf, count, datatype, status))

#define GEOPM_MPI_FUNCTIONS(X)                                                                     \
    GEOPM_MPI_COLLECTIVES(X)                                                                       \
    GEOPM_MPI_POINT_TO_POINT(X)                                                                    \
    GEOPM_MPI_COMPLETIONS(X)                                                                       \
    GEOPM_MPI_ONE_SIDED(X)                                                                         \
    GEOPM_MPI_FILE_IO(X)

#endif
