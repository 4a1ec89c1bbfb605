#include <config.h>

#include "job_clock.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALIBRATION_NS 10000000u

struct geopm_job_clock geopm__g_clock;

static bool file_has_word(const char *path, const char *word, size_t line_max)
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        return false;
    }
    char *line = malloc(line_max);
    bool found = false;
    while (line != NULL && !found && fgets(line, (int)line_max, file) != NULL) {
        /* strtok_r: the library runs inside the application, whose own
         * strtok calls must keep their place. */
        char *rest = NULL;
        for (char *token = strtok_r(line, " \t\n", &rest); token != NULL && !found;
             token = strtok_r(NULL, " \t\n", &rest)) {
            found = strcmp(token, word) == 0;
        }
    }
    free(line);
    /* Nothing is lost when closing a stream that was only read. */
    (void)fclose(file);
    return found;
}

static bool tsc_is_usable(void)
{
    const char *choice = getenv("GEOPM_CLOCK");
    if (choice != NULL && strcmp(choice, "monotonic") == 0) {
        return false;
    }
    /* The kernel only keeps time with the TSC when it found it stable and
     * synchronised across CPUs: that is the test that matters. */
    return file_has_word("/sys/devices/system/clocksource/clocksource0/current_clocksource",
                         "tsc", 64) &&
           file_has_word("/proc/cpuinfo", "constant_tsc", 8192) &&
           file_has_word("/proc/cpuinfo", "nonstop_tsc", 8192);
}

void geopm__clock_calibrate(struct geopm_job_clock *clock)
{
    memset(clock, 0, sizeof(*clock));
#if defined(__x86_64__)
    if (!tsc_is_usable()) {
        return;
    }
    uint64_t start_ns = geopm__clock_monotonic_ns();
    uint64_t start_tsc = __rdtsc();
    struct timespec pause = {0, CALIBRATION_NS};
    nanosleep(&pause, NULL);
    uint64_t end_ns = geopm__clock_monotonic_ns();
    uint64_t end_tsc = __rdtsc();
    if (end_tsc <= start_tsc || end_ns <= start_ns) {
        return;
    }
    clock->ref_tsc = end_tsc;
    clock->ref_ns = end_ns;
    clock->tsc_mult =
        (uint64_t)(((unsigned __int128)(end_ns - start_ns) << 32) / (end_tsc - start_tsc));
#endif
}

void geopm__clock_use(const struct geopm_job_clock *clock)
{
    geopm__g_clock = *clock;
}
