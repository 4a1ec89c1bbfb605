#include <config.h>

#include "host_info.h"

#include <stdio.h>
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

uint64_t ctl_memory_hwm(void)
{
    FILE *status = fopen("/proc/self/status", "re");
    if (status == NULL) {
        return 0;
    }
    char line[256];
    unsigned long long kib = 0;
    while (fgets(line, sizeof(line), status) != NULL) {
        if (sscanf(line, "VmHWM: %llu kB", &kib) == 1) {
            break;
        }
    }
    fclose(status);
    return (uint64_t)kib * 1024u;
}

uint64_t ctl_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}
