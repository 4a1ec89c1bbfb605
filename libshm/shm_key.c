#include <config.h>

#include "shm_key.h"

#include <ctype.h>
#include <string.h>

#include "error_detail.h"
#include "geopm_error.h"
#include "geopm_shm.h"

static const char *key_problem(const char *key)
{
    size_t length = strnlen(key, GEOPM_SHM_KEY_MAX + 1);
    if (length > GEOPM_SHM_KEY_MAX) {
        return "it is longer than 255 characters";
    }
    if (key[0] != '/') {
        return "it does not start with '/'";
    }
    if (length == 1 || strcmp(key, "/.") == 0 || strcmp(key, "/..") == 0) {
        return "it names no object";
    }
    for (size_t i = 1; i < length; ++i) {
        unsigned char c = (unsigned char)key[i];
        if (c == '/') {
            return "it has a '/' after the first character";
        }
        /* Spaces and control characters are refused so that a key is
         * always one word in a command line, a log line or a report. */
        if (!isgraph(c) || c > 0x7e) {
            return "it has a space or a non-printable character";
        }
    }
    return NULL;
}

int geopm__shm_key_check(const char *caller, const char *key)
{
    if (key == NULL) {
        return geopm__error(GEOPM_ERROR_INVALID, "%s: key is NULL", caller);
    }
    const char *problem = key_problem(key);
    if (problem != NULL) {
        /* The key is quoted with a length bound, since it may be the reason
         * it was refused. */
        return geopm__error(GEOPM_ERROR_KEY, "%s: invalid key \"%.64s\": %s", caller,
                            key, problem);
    }
    return 0;
}
