/* Region hints: what a region spends its time on (GEOPM's values). */
#ifndef GEOPM_HINT_H_INCLUDE
#define GEOPM_HINT_H_INCLUDE

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum geopm_region_hint_e {
    GEOPM_REGION_HINT_UNSET = 0,  /* no hint given */
    GEOPM_REGION_HINT_UNKNOWN,    /* unknown or varying characteristics */
    GEOPM_REGION_HINT_COMPUTE,    /* dominated by compute */
    GEOPM_REGION_HINT_MEMORY,     /* dominated by memory access */
    GEOPM_REGION_HINT_NETWORK,    /* dominated by network traffic (MPI) */
    GEOPM_REGION_HINT_IO,         /* dominated by disk access */
    GEOPM_REGION_HINT_SERIAL,     /* single threaded */
    GEOPM_REGION_HINT_PARALLEL,   /* threaded */
    GEOPM_REGION_HINT_IGNORE,     /* not counted in epoch time */
    GEOPM_REGION_HINT_INACTIVE,   /* CPUs not running the application */
    GEOPM_REGION_HINT_SPIN,       /* dominated by spin waiting */
    GEOPM_NUM_REGION_HINT,
};

#ifdef __cplusplus
}
#endif
#endif
