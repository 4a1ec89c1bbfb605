#!/bin/bash
# What each preload library exports (nm -D --defined-only): only MPI_*,
# PMPI_*, geopm_prof_* and geopm_tprof_* symbols, and all of them: both
# MPI_X and PMPI_X for every function of preload/mpi_functions.h and the
# four written by hand, and every function of geopm_prof.h.  Anything else
# exported could take the place of a symbol of the application or of MPI.
. "$(dirname "$0")/mpi_common.sh"

command -v nm >/dev/null || tap_skip_all "nm (binutils) is required"
FUNCTIONS=$abs_top_srcdir/preload/mpi_functions.h
PROF_H=$abs_top_srcdir/include/geopm_prof.h
if [ ! -f "$FUNCTIONS" ] || [ ! -f "$PROF_H" ]; then
    tap_skip_all "no $FUNCTIONS or $PROF_H"
fi

# The MPI functions the list names (X(Name, ...)), and the hand-written ones.
wrapped=$( (sed -n 's/^[[:space:]]*X(\([A-Z][A-Za-z_]*\),.*/\1/p' "$FUNCTIONS"
    printf '%s\n' Init Init_thread Finalize Pcontrol) | sort -u)
prof_api=$(grep -o '\bgeopm_t\{0,1\}prof_[a-z_]*(' "$PROF_H" | tr -d '(' | sort -u)
echo "# $(echo "$wrapped" | wc -l) MPI functions in the list (with the hand-written ones)," \
    "$(echo "$prof_api" | wc -l) functions in geopm_prof.h"

for library in "$PRELOAD_OPENMPI" "$PRELOAD_MPICH"; do
    name=$(basename "$library")
    if [ ! -f "$library" ]; then
        tap_skip "$name exports only MPI and geopm_prof symbols" "not built"
        tap_skip "$name exports every wrapped function and geopm_prof.h" "not built"
        continue
    fi
    nm -D --defined-only "$library" | awk 'NF >= 3 { print $3 }' | sed 's/@.*//' |
        sort -u >"$MPI_TMP/$name.symbols"
    echo "# $name: $(wc -l <"$MPI_TMP/$name.symbols") exported symbols"
    foreign=$(grep -v -E '^(P?MPI_|geopm_prof_|geopm_tprof_)' "$MPI_TMP/$name.symbols")
    check "$name exports only MPI_*, PMPI_*, geopm_prof_* and geopm_tprof_* symbols" \
        test -z "$foreign"
    [ -n "$foreign" ] && echo "$foreign" | tap_comment
    missing=$(for function in $wrapped; do
        for symbol in "MPI_$function" "PMPI_$function"; do
            grep -qx -- "$symbol" "$MPI_TMP/$name.symbols" || echo "$symbol"
        done
    done
    for symbol in $prof_api; do
        grep -qx -- "$symbol" "$MPI_TMP/$name.symbols" || echo "$symbol"
    done)
    check "$name exports MPI_X and PMPI_X for every wrapped function, and geopm_prof.h" \
        test -z "$missing"
    [ -n "$missing" ] && echo "missing: $missing" | tap_comment
    check "$name exports MPI_Barrier and PMPI_Barrier" \
        test "$(grep -c -x -E 'P?MPI_Barrier' "$MPI_TMP/$name.symbols")" = 2
    unlisted=$(sed -n 's/^P\{0,1\}MPI_//p' "$MPI_TMP/$name.symbols" | sort -u |
        comm -23 - <(echo "$wrapped"))
    check "$name exports no MPI function that the list does not name" test -z "$unlisted"
    [ -n "$unlisted" ] && echo "unlisted: $unlisted" | tap_comment
done
tap_done
