#include <config.h>

#include "proc_start.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Fields of /proc/PID/stat after the command name: state is field 3,
 * starttime field 22. */
#define STARTTIME_FIELDS_AFTER_NAME (22 - 3)

uint64_t geopm__proc_start_ticks(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    char text[1024];
    ssize_t length = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (length <= 0) {
        return 0;
    }
    text[length] = '\0';
    /* The command name is in parentheses and may itself hold spaces and
     * parentheses: the fields start after the last ')'. */
    char *field = strrchr(text, ')');
    for (int skipped = 0; field != NULL && skipped <= STARTTIME_FIELDS_AFTER_NAME; ++skipped) {
        field = strchr(field + 1, ' ');
    }
    if (field == NULL) {
        return 0;
    }
    char *end = NULL;
    unsigned long long ticks = strtoull(field + 1, &end, 10);
    return end != field + 1 ? (uint64_t)ticks : 0;
}
