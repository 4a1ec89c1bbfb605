#!/bin/bash
# Cost test under Open MPI: see check_cost.sh.
exec bash "$(dirname "$0")/check_cost.sh" openmpi
