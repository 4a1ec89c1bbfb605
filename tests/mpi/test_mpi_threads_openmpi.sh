#!/bin/bash
# Threads test under Open MPI: see check_threads.sh.
exec bash "$(dirname "$0")/check_threads.sh" openmpi
