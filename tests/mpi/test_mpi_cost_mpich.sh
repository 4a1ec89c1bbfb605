#!/bin/bash
# Cost test under MPICH: see check_cost.sh.
exec bash "$(dirname "$0")/check_cost.sh" mpich
