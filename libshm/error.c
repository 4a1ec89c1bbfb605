#include <config.h>

#include "error_detail.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "geopm_error.h"
#include "geopm_export.h"

/* Large enough for a message that quotes a key of GEOPM_SHM_KEY_MAX bytes. */
#define ERROR_DETAIL_MAX 768

static _Thread_local int g_last_error;
static _Thread_local char g_last_detail[ERROR_DETAIL_MAX];

int geopm__error(int err, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(g_last_detail, sizeof(g_last_detail), fmt, args);
    va_end(args);
    g_last_error = err;
    return err;
}

static const char *generic_message(int err)
{
    switch (err) {
#define GEOPM_ERROR_CASE_(name, value, message) \
    case value:                                 \
        return message;
        GEOPM_ERROR_LIST(GEOPM_ERROR_CASE_)
#undef GEOPM_ERROR_CASE_
    default:
        return NULL;
    }
}

GEOPM_EXPORT void geopm_error_message(int err, char *msg, size_t size)
{
    if (msg == NULL || size == 0) {
        return;
    }
    const char *generic = generic_message(err);
    if (err != 0 && err == g_last_error && g_last_detail[0] != '\0') {
        snprintf(msg, size, "%s", g_last_detail);
    }
    else if (generic != NULL) {
        snprintf(msg, size, "%s", generic);
    }
    else if (err < 0 && err > -4096) {
        snprintf(msg, size, "%s", strerror(-err));
    }
    else {
        snprintf(msg, size, "unknown error code %d", err);
    }
}
