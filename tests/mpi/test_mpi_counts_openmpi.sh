#!/bin/bash
# MPI call counts under Open MPI: see check_counts.sh.
exec bash "$(dirname "$0")/check_counts.sh" openmpi
