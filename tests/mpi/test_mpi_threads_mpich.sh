#!/bin/bash
# Threads test under MPICH: see check_threads.sh.
exec bash "$(dirname "$0")/check_threads.sh" mpich
