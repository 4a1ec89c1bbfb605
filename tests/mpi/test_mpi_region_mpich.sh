#!/bin/bash
# Region test under MPICH: see check_region.sh.
exec bash "$(dirname "$0")/check_region.sh" mpich
