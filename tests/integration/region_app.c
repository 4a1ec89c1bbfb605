/* A small annotated application for the integration tests: an outer loop of
 * iterations, each one an epoch holding a "compute" region and a "memory"
 * region of known lengths.
 *
 * Usage: region_app [--iterations N] [--compute-ms MS] [--memory-ms MS]
 *                   [--die-at N] [--no-epoch] [--shutdown]
 *
 * Besides the work, it prints on stdout:
 *   - a "result" line that depends only on the arguments, so that runs with
 *     and without the runtime can be compared byte for byte;
 *   - a "calls" line counting the geopm_prof_* calls that returned 0 and
 *     those that failed;
 *   - a "measured" line with the time the program itself saw inside each
 *     region, so that the report can be compared with what really happened
 *     even when the machine is oversubscribed, and the time from its first
 *     geopm_prof call to its end (total_s), which holds any wait for a
 *     controller but not the start of the process.
 * Every failure is printed on stderr (the first ones; then they are only
 * counted): without a controller the calls must still return 0.  The exit
 * status is 0 unless the arguments are bad: the runtime must never change
 * it. */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "geopm_error.h"
#include "geopm_hint.h"
#include "geopm_prof.h"

/* Big enough that the memory region really walks memory (8 MiB). */
#define MEMORY_WORDS (1u << 20)
/* Failures printed one by one before only counting them. */
#define MAX_PRINTED_FAILURES 20

struct options {
    long iterations;
    double compute_ms;
    double memory_ms;
    long die_at; /* -1: never */
    bool epoch;
    bool shutdown;
};

struct call_counts {
    uint64_t ok;
    uint64_t failed;
};

static struct call_counts calls;

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The name of a code of geopm_error.h (libgeopm exports only the
 * geopm_prof_* functions, so the name comes from the header's list). */
static const char *error_name(int err)
{
    switch (err) {
#define ERROR_NAME_(name, value, message) \
    case name:                            \
        return #name ": " message;
        GEOPM_ERROR_LIST(ERROR_NAME_)
#undef ERROR_NAME_
    default:
        return err < 0 && err > -4096 ? strerror(-err) : "unknown code";
    }
}

/* Records the return code of one geopm_prof_* call. */
static void check(int err, const char *what, long iteration)
{
    if (err == 0) {
        calls.ok++;
        return;
    }
    calls.failed++;
    if (calls.failed <= MAX_PRINTED_FAILURES) {
        fprintf(stderr, "region_app: %s failed at iteration %ld: %d (%s)\n", what, iteration, err,
                error_name(err));
    }
}

/* Spins on the clock (no sleep: the region must really use a CPU) until
 * ms milliseconds have passed. */
static void compute_for(double ms)
{
    double end = now_sec() + ms * 1e-3;
    volatile double x = 1.0;
    while (now_sec() < end) {
        for (int i = 0; i < 100; ++i) {
            x = x * 1.0000001 + 1e-9;
        }
    }
}

/* Walks a buffer (read, modify, write) until ms milliseconds have passed. */
static void memory_for(double ms, volatile uint64_t *buffer)
{
    double end = now_sec() + ms * 1e-3;
    size_t i = 0;
    while (now_sec() < end) {
        for (int j = 0; j < 256; ++j) {
            buffer[i] = buffer[i] * 3u + 1u;
            i = (i + 8u) & (MEMORY_WORDS - 1u); /* one word per cache line */
        }
    }
}

/* Work whose result depends only on the iteration, so that the result line
 * is the same in every run with the same arguments. */
static uint64_t fixed_work(uint64_t state, long iteration)
{
    state ^= (uint64_t)iteration * UINT64_C(0x9e3779b97f4a7c15);
    for (int i = 0; i < 64; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
    }
    return state;
}

static int parse_long(const char *text, long min, long *value)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || v < min) {
        return -1;
    }
    *value = v;
    return 0;
}

static int parse_ms(const char *text, double *value)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || !(v >= 0.0) || v > 1e6) {
        return -1;
    }
    *value = v;
    return 0;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: region_app [--iterations N] [--compute-ms MS] [--memory-ms MS]\n"
                 "                  [--die-at N] [--no-epoch] [--shutdown]\n"
                 "  defaults: 200 iterations of a 10 ms compute region and a 5 ms memory\n"
                 "  region, one epoch per iteration; --die-at N kills the process with\n"
                 "  SIGKILL inside the compute region of iteration N (counting from 0).\n");
}

static int parse_options(int argc, char **argv, struct options *opt)
{
    static const struct option long_options[] = {
        {"iterations", required_argument, NULL, 'i'},
        {"compute-ms", required_argument, NULL, 'c'},
        {"memory-ms", required_argument, NULL, 'm'},
        {"die-at", required_argument, NULL, 'd'},
        {"no-epoch", no_argument, NULL, 'E'},
        {"shutdown", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *opt = (struct options){.iterations = 200, .compute_ms = 10.0, .memory_ms = 5.0,
                            .die_at = -1, .epoch = true, .shutdown = false};
    int c;
    while ((c = getopt_long(argc, argv, "i:c:m:d:Esh", long_options, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'i':
            bad = parse_long(optarg, 0, &opt->iterations);
            break;
        case 'c':
            bad = parse_ms(optarg, &opt->compute_ms);
            break;
        case 'm':
            bad = parse_ms(optarg, &opt->memory_ms);
            break;
        case 'd':
            bad = parse_long(optarg, 0, &opt->die_at);
            break;
        case 'E':
            opt->epoch = false;
            break;
        case 's':
            opt->shutdown = true;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            bad = -1;
            break;
        }
        if (bad) {
            if (c != '?') {
                fprintf(stderr, "region_app: bad value for -%c: %s\n", c, optarg);
            }
            return -1;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "region_app: unexpected argument: %s\n", argv[optind]);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options opt;
    if (parse_options(argc, argv, &opt) < 0) {
        usage(stderr);
        return 2;
    }
    uint64_t *buffer = calloc(MEMORY_WORDS, sizeof(*buffer));
    if (buffer == NULL) {
        fprintf(stderr, "region_app: out of memory\n");
        return 1;
    }

    /* From before the first geopm_prof call: what the runtime can add to the
     * run (waiting for a controller) is in total_s. */
    double total_start = now_sec();
    uint64_t compute_id = 0;
    uint64_t memory_id = 0;
    check(geopm_prof_region("compute", GEOPM_REGION_HINT_COMPUTE, &compute_id),
          "geopm_prof_region(compute)", -1);
    check(geopm_prof_region("memory", GEOPM_REGION_HINT_MEMORY, &memory_id),
          "geopm_prof_region(memory)", -1);

    /* Time inside each region as the program sees it: from just before
     * enter to just after exit, so that it brackets what the runtime
     * measures between its own clock reads. */
    double compute_sec = 0.0;
    double memory_sec = 0.0;
    uint64_t state = UINT64_C(0x243f6a8885a308d3);
    double start = now_sec();
    for (long it = 0; it < opt.iterations; ++it) {
        if (opt.epoch) {
            check(geopm_prof_epoch(), "geopm_prof_epoch", it);
        }

        double t0 = now_sec();
        check(geopm_prof_enter(compute_id), "geopm_prof_enter(compute)", it);
        if (it == opt.die_at) {
            /* Die the way a crash does: no exit handlers, no shutdown. */
            fflush(stdout);
            raise(SIGKILL);
        }
        compute_for(opt.compute_ms);
        state = fixed_work(state, it);
        check(geopm_prof_exit(compute_id), "geopm_prof_exit(compute)", it);
        compute_sec += now_sec() - t0;

        t0 = now_sec();
        check(geopm_prof_enter(memory_id), "geopm_prof_enter(memory)", it);
        memory_for(opt.memory_ms, buffer);
        state = fixed_work(state, ~it);
        check(geopm_prof_exit(memory_id), "geopm_prof_exit(memory)", it);
        memory_sec += now_sec() - t0;
    }
    double elapsed = now_sec() - start;

    if (opt.shutdown) {
        check(geopm_prof_shutdown(), "geopm_prof_shutdown", -1);
    }
    free(buffer);
    double total = now_sec() - total_start;

    printf("region_app: result iterations=%ld compute_id=0x%016" PRIx64
           " memory_id=0x%016" PRIx64 " checksum=0x%016" PRIx64 "\n",
           opt.iterations, compute_id, memory_id, state);
    printf("region_app: calls ok=%" PRIu64 " failed=%" PRIu64 "\n", calls.ok, calls.failed);
    printf("region_app: measured pid=%ld compute_s=%.6f memory_s=%.6f loop_s=%.6f "
           "total_s=%.6f\n",
           (long)getpid(), compute_sec, memory_sec, elapsed, total);
    if (calls.failed > MAX_PRINTED_FAILURES) {
        fprintf(stderr, "region_app: %" PRIu64 " more failures not printed\n",
                calls.failed - MAX_PRINTED_FAILURES);
    }
    return 0;
}
