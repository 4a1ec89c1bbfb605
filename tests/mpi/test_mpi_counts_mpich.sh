#!/bin/bash
# MPI call counts under MPICH: see check_counts.sh.
exec bash "$(dirname "$0")/check_counts.sh" mpich
