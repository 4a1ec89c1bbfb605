#include <config.h>

#include "prof_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error_detail.h"
#include "geopm_error.h"
#include "shm_key.h"

bool geopm__prof_program_matches(const char *filter, const char *path, const char *name)
{
    const char *item = filter;
    while (*item != '\0') {
        size_t length = strcspn(item, ",");
        if (length != 0 && ((strlen(name) == length && strncmp(item, name, length) == 0) ||
                            (strlen(path) == length && strncmp(item, path, length) == 0))) {
            return true;
        }
        item += length;
        if (*item == ',') {
            ++item;
        }
    }
    return false;
}

static int read_timeout(unsigned int *timeout)
{
    const char *text = getenv("GEOPM_TIMEOUT");
    *timeout = GEOPM_PROF_TIMEOUT_DEFAULT;
    if (text == NULL) {
        return 0;
    }
    char *end = NULL;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (*text == '\0' || *text == '-' || *text == '+' || *end != '\0' || errno != 0 ||
        value > GEOPM_PROF_TIMEOUT_MAX) {
        return geopm__error(GEOPM_ERROR_ENVIRONMENT,
                            "GEOPM_TIMEOUT=\"%.32s\" is not a whole number of seconds from 0 "
                            "to %u",
                            text, GEOPM_PROF_TIMEOUT_MAX);
    }
    *timeout = (unsigned int)value;
    return 0;
}

/* key has room for GEOPM_SHM_KEY_MAX bytes, the longest valid key. */
static int read_key(char *key, size_t size)
{
    const char *text = getenv("GEOPM_SHMKEY");
    if (text == NULL) {
        snprintf(key, size, "/geopm-shm-%u", (unsigned int)getuid());
        return 0;
    }
    /* Checked here, so that the message names the variable. */
    int err = geopm__shm_key_check("GEOPM_SHMKEY", text);
    if (err != 0) {
        return err;
    }
    snprintf(key, size, "%s", text);
    return 0;
}

int geopm__prof_config_read(struct geopm_prof_config *config)
{
    memset(config, 0, sizeof(*config));
    const char *filter = getenv("GEOPM_PROGRAM_FILTER");
    config->program_selected =
        filter == NULL ||
        geopm__prof_program_matches(filter, program_invocation_name, program_invocation_short_name);
    int err = read_timeout(&config->timeout);
    if (err == 0) {
        err = read_key(config->key, sizeof(config->key));
    }
    return err;
}
