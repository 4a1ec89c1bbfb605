#!/bin/bash
# Fortran test under MPICH: see check_fortran.sh.
exec bash "$(dirname "$0")/check_fortran.sh" mpich
