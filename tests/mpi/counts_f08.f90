! The counts program (counts.c) in Fortran with "use mpi_f08": the same
! calls, the same arguments (BARRIERS ALLREDUCES) and the same result line,
! so that the tests check that mpi_f08 calls are seen exactly once.
program counts_f08
    use mpi_f08
    implicit none
    integer :: rank, nranks, i, barriers, allreduces
    integer(kind=8) :: mine, summed, total

    barriers = argument(1, 10000)
    allreduces = argument(2, 1000)
    call MPI_Init()
    call MPI_Comm_rank(MPI_COMM_WORLD, rank)
    call MPI_Comm_size(MPI_COMM_WORLD, nranks)
    do i = 1, barriers
        call MPI_Barrier(MPI_COMM_WORLD)
    end do
    total = 0
    do i = 1, allreduces
        mine = int(rank + 1, 8) * int(i, 8)
        call MPI_Allreduce(mine, summed, 1, MPI_INTEGER8, MPI_SUM, MPI_COMM_WORLD)
        total = total + summed
    end do
    if (rank == 0) then
        write (*, '(a,i0,a,i0,a,i0,a,i0)') 'counts: ranks ', nranks, ' barriers ', barriers, &
            ' allreduces ', allreduces, ' total ', total
    end if
    call MPI_Finalize()

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
end program counts_f08
