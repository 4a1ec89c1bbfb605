! The counts program (counts.c) in Fortran, built once per Fortran binding:
! -DUSE_MPI ("use mpi"), -DUSE_MPI_F08 ("use mpi_f08") or -DMPIF_H
! ("include 'mpif.h'").  Each build makes the same calls with the same
! arguments (BARRIERS ALLREDUCES) and prints the same result line, so that
! the tests check that the calls of every binding are seen exactly once.
! The calls are written once: mpi_f08's ierror argument is optional, so
! passing it is valid for all three bindings.
program counts
#if defined(USE_MPI)
    use mpi
#elif defined(USE_MPI_F08)
    use mpi_f08
#elif !defined(MPIF_H)
#error "define USE_MPI, USE_MPI_F08 or MPIF_H"
#endif
    implicit none
#if defined(MPIF_H)
    include 'mpif.h'
#endif
    integer :: ierr, rank, nranks, i, barriers, allreduces
    integer(kind=8) :: mine, summed, total

    barriers = argument(1, 10000)
    allreduces = argument(2, 1000)
    call MPI_Init(ierr)
    call MPI_Comm_rank(MPI_COMM_WORLD, rank, ierr)
    call MPI_Comm_size(MPI_COMM_WORLD, nranks, ierr)
    do i = 1, barriers
        call MPI_Barrier(MPI_COMM_WORLD, ierr)
    end do
    total = 0
    do i = 1, allreduces
        mine = int(rank + 1, 8) * int(i, 8)
        call MPI_Allreduce(mine, summed, 1, MPI_INTEGER8, MPI_SUM, MPI_COMM_WORLD, ierr)
        total = total + summed
    end do
    if (rank == 0) then
        write (*, '(a,i0,a,i0,a,i0,a,i0)') 'counts: ranks ', nranks, ' barriers ', barriers, &
            ' allreduces ', allreduces, ' total ', total
    end if
    call MPI_Finalize(ierr)

contains

    integer function argument(index, fallback)
        integer, intent(in) :: index, fallback
        character(len=32) :: text
        integer :: status
        argument = fallback
        if (command_argument_count() >= index) then
            call get_command_argument(index, text)
            read (text, *, iostat=status) argument
            if (status /= 0) stop 2
        end if
    end function argument
end program counts
