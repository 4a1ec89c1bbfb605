/* What a process reads from its environment before it attaches. */
#ifndef GEOPM_PROF_CONFIG_H_INCLUDE
#define GEOPM_PROF_CONFIG_H_INCLUDE

#include <stdbool.h>
#include <stddef.h>

#include "geopm_shm.h"

/* Seconds a process waits for the controller's segment, by default. */
#define GEOPM_PROF_TIMEOUT_DEFAULT 5u
/* The longest wait accepted in GEOPM_TIMEOUT: a day. */
#define GEOPM_PROF_TIMEOUT_MAX 86400u

struct geopm_prof_config {
    bool program_selected;           /* GEOPM_PROGRAM_FILTER is unset or names this program */
    unsigned int timeout;            /* GEOPM_TIMEOUT */
    char key[GEOPM_SHM_KEY_MAX + 1]; /* GEOPM_SHMKEY, or /geopm-shm-<uid> */
};

/* Reads GEOPM_PROGRAM_FILTER, GEOPM_TIMEOUT and GEOPM_SHMKEY.
 * Returns 0, or GEOPM_ERROR_ENVIRONMENT (GEOPM_ERROR_KEY for a key that
 * is not valid) with a message naming the variable and its value. */
int geopm__prof_config_read(struct geopm_prof_config *config);

/* Whether the comma separated list filter names program (its short name or
 * its path). */
bool geopm__prof_program_matches(const char *filter, const char *path, const char *name);

#endif
