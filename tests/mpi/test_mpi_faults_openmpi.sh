#!/bin/bash
# Faults test under Open MPI: see check_faults.sh.
exec bash "$(dirname "$0")/check_faults.sh" openmpi
