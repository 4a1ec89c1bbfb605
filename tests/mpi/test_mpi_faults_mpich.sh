#!/bin/bash
# Faults test under MPICH: see check_faults.sh.
exec bash "$(dirname "$0")/check_faults.sh" mpich
