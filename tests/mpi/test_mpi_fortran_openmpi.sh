#!/bin/bash
# Fortran test under Open MPI: see check_fortran.sh.
exec bash "$(dirname "$0")/check_fortran.sh" openmpi
