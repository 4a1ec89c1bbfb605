#!/bin/bash
# Region test under Open MPI: see check_region.sh.
exec bash "$(dirname "$0")/check_region.sh" openmpi
