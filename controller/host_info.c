#include <config.h>

#include "host_info.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void ctl_host_name(char *name, size_t size)
{
    char buffer[CTL_HOST_NAME_MAX + 1];
    /* gethostname need not terminate a name it truncated. */
    buffer[CTL_HOST_NAME_MAX] = '\0';
    if (gethostname(buffer, CTL_HOST_NAME_MAX) != 0 || buffer[0] == '\0') {
        snprintf(buffer, sizeof(buffer), "localhost");
    }
    snprintf(name, size, "%s", buffer);
}

void ctl_time_string(char *text, size_t size)
{
    time_t now = time(NULL);
    struct tm local;
    if (localtime_r(&now, &local) == NULL ||
        strftime(text, size, "%a %b %d %H:%M:%S %Y", &local) == 0) {
        snprintf(text, size, "unknown");
    }
}

bool ctl_self_status_number(const char *field, int base, unsigned long long *value)
{
    FILE *status = fopen("/proc/self/status", "re");
    if (status == NULL) {
        return false;
    }
    size_t field_length = strlen(field);
    bool found = false;
    char line[256];
    while (!found && fgets(line, sizeof(line), status) != NULL) {
        if (strncmp(line, field, field_length) == 0 && line[field_length] == ':') {
            const char *text = line + field_length + 1;
            char *end = NULL;
            errno = 0;
            unsigned long long number = strtoull(text, &end, base);
            found = end != text && errno == 0;
            if (found) {
                *value = number;
            }
            break;
        }
    }
    /* Nothing is lost when closing a stream that was only read. */
    (void)fclose(status);
    return found;
}

uint64_t ctl_memory_hwm(void)
{
    unsigned long long kib = 0;
    if (!ctl_self_status_number("VmHWM", 10, &kib)) {
        return 0;
    }
    return (uint64_t)kib * 1024u;
}

uint64_t ctl_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}
