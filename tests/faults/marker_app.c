/* The "rank" of the fault scenarios: an annotated program that makes many
 * region markers and measures what each one cost it, so that a test can
 * tell whether a failing controller ever made it wait.
 *
 * Usage: marker_app [PAIRS [EPOCHS [PAUSE_US [WORK]]]]
 *   PAIRS     enter/exit pairs of the region "marker" (default 1000)
 *   EPOCHS    1: a geopm_prof_epoch() before each pair; 0: none (default 1)
 *   PAUSE_US  microseconds of sleep after each pair (default 0)
 *   WORK      rounds of fixed arithmetic inside each pair (default 0)
 *
 * It prints on stdout:
 *   - "marker_app: result ...": depends only on the arguments, so that runs
 *     with and without the runtime can be compared byte for byte;
 *   - "marker_app: calls ok=N failed=M": geopm_prof_* calls that returned 0
 *     and the others (the first failures are printed on stderr);
 *   - "marker_app: figures ...": what it measured, which differs from run to
 *     run: attach_s and attach_cpu_s, the wall and CPU time of its first
 *     geopm_prof call (the one that attaches, waiting for the controller if
 *     there is none yet); the worst single enter or exit call and the 99.99th
 *     percentile, in microseconds; how many calls took over 10 us; loop_s.
 *     With a pause (PAUSE_US > 0), each call is also timed in the thread's
 *     own CPU time (worst_cpu_us) and its context switches are counted: a
 *     call that slept (slept_markers: a voluntary switch, such as waiting
 *     on a lock) is told from one the shared machine only preempted
 *     (preempted_markers: an involuntary switch).  Without a pause these
 *     system calls would cost more than the markers themselves.
 * The exit status is 0 unless the arguments are bad: the runtime must never
 * change it. */
#define _GNU_SOURCE /* RUSAGE_THREAD */

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

#include "geopm_hint.h"
#include "geopm_prof.h"
#include "../test_args.h"

/* The latency histogram: 100 ns bins up to 1 ms; slower calls land in the
 * last bin (the worst one is kept exactly anyway). */
#define BIN_NS 100
#define BIN_COUNT 10000
#define SLOW_NS 10000
#define MAX_PRINTED_FAILURES 10

struct latency {
    uint64_t bins[BIN_COUNT];
    uint64_t worst_ns;
    uint64_t slow; /* calls over SLOW_NS */
    uint64_t total;
    uint64_t worst_cpu_ns;
    uint64_t slept;
    uint64_t preempted;
};

/* What a call cost beyond wall time (paced mode only). */
struct thread_cost {
    uint64_t cpu_ns;
    long voluntary;
    long involuntary;
};

struct calls {
    uint64_t ok;
    uint64_t failed;
};

static struct latency g_latency;
static struct calls g_calls;

static uint64_t now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

static uint64_t cpu_ns(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return ((uint64_t)usage.ru_utime.tv_sec + (uint64_t)usage.ru_stime.tv_sec) *
               UINT64_C(1000000000) +
           ((uint64_t)usage.ru_utime.tv_usec + (uint64_t)usage.ru_stime.tv_usec) * 1000u;
}

static void check(int err, const char *what, long pair)
{
    if (err == 0) {
        g_calls.ok++;
        return;
    }
    g_calls.failed++;
    if (g_calls.failed <= MAX_PRINTED_FAILURES) {
        fprintf(stderr, "marker_app: %s failed at pair %ld: %d\n", what, pair, err);
    }
}

static void record(uint64_t elapsed_ns)
{
    uint64_t bin = elapsed_ns / BIN_NS;
    g_latency.bins[bin < BIN_COUNT ? bin : BIN_COUNT - 1]++;
    g_latency.slow += elapsed_ns > SLOW_NS;
    g_latency.total++;
    if (elapsed_ns > g_latency.worst_ns) {
        g_latency.worst_ns = elapsed_ns;
    }
}

/* The CPU clock is read next to the marker call, the switch counts
 * outside: getrusage() itself must not count as the marker's cost. */
static struct thread_cost thread_cost_before(void)
{
    struct rusage usage;
    getrusage(RUSAGE_THREAD, &usage);
    return (struct thread_cost){now_ns(CLOCK_THREAD_CPUTIME_ID), usage.ru_nvcsw, usage.ru_nivcsw};
}

static struct thread_cost thread_cost_after(void)
{
    uint64_t cpu = now_ns(CLOCK_THREAD_CPUTIME_ID);
    struct rusage usage;
    getrusage(RUSAGE_THREAD, &usage);
    return (struct thread_cost){cpu, usage.ru_nvcsw, usage.ru_nivcsw};
}

static void record_cost(struct thread_cost before, struct thread_cost after)
{
    uint64_t cpu = after.cpu_ns - before.cpu_ns;
    if (cpu > g_latency.worst_cpu_ns) {
        g_latency.worst_cpu_ns = cpu;
    }
    g_latency.slept += after.voluntary != before.voluntary;
    g_latency.preempted += after.involuntary != before.involuntary;
}

/* One marker call, timed from just before to just after it (the thread's
 * costs are read outside that window). */
static void timed_marker(int (*marker)(uint64_t), uint64_t id, const char *what, long pair,
                         bool paced)
{
    struct thread_cost before = {0, 0, 0};
    if (paced) {
        before = thread_cost_before();
    }
    uint64_t begin = now_ns(CLOCK_MONOTONIC);
    int err = marker(id);
    record(now_ns(CLOCK_MONOTONIC) - begin);
    if (paced) {
        record_cost(before, thread_cost_after());
    }
    check(err, what, pair);
}

/* The upper edge of the bin holding the given fraction of the calls. */
static double percentile_us(double fraction)
{
    uint64_t wanted = (uint64_t)((double)g_latency.total * fraction);
    uint64_t seen = 0;
    for (int bin = 0; bin < BIN_COUNT; ++bin) {
        seen += g_latency.bins[bin];
        if (seen > wanted) {
            return (double)((bin + 1) * BIN_NS) * 1e-3;
        }
    }
    return (double)g_latency.worst_ns * 1e-3;
}

/* Arithmetic whose result depends only on its inputs. */
static uint64_t fixed_work(uint64_t state, long pair, long rounds)
{
    state ^= (uint64_t)pair * UINT64_C(0x9e3779b97f4a7c15);
    for (long i = 0; i < rounds; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
    }
    return state;
}

int main(int argc, char **argv)
{
    long pairs = test_argument(argc, argv, 1, 1000, 0, 100000000);
    long epochs = test_argument(argc, argv, 2, 1, 0, 1);
    long pause_us = test_argument(argc, argv, 3, 0, 0, 1000000);
    long work = test_argument(argc, argv, 4, 0, 0, 1000000);
    const struct timespec pause = {pause_us / 1000000, (pause_us % 1000000) * 1000};

    uint64_t attach_begin = now_ns(CLOCK_MONOTONIC);
    uint64_t attach_cpu_begin = cpu_ns();
    uint64_t id = 0;
    check(geopm_prof_region("marker", GEOPM_REGION_HINT_COMPUTE, &id), "geopm_prof_region", -1);
    uint64_t attach_ns = now_ns(CLOCK_MONOTONIC) - attach_begin;
    uint64_t attach_cpu = cpu_ns() - attach_cpu_begin;

    uint64_t state = UINT64_C(0x243f6a8885a308d3);
    uint64_t loop_begin = now_ns(CLOCK_MONOTONIC);
    for (long pair = 0; pair < pairs; ++pair) {
        if (epochs) {
            check(geopm_prof_epoch(), "geopm_prof_epoch", pair);
        }
        timed_marker(geopm_prof_enter, id, "geopm_prof_enter", pair, pause_us != 0);
        state = fixed_work(state, pair, work);
        timed_marker(geopm_prof_exit, id, "geopm_prof_exit", pair, pause_us != 0);
        if (pause_us != 0) {
            nanosleep(&pause, NULL);
        }
    }
    uint64_t loop_ns = now_ns(CLOCK_MONOTONIC) - loop_begin;

    printf("marker_app: result pairs=%ld epochs=%ld work=%ld id=0x%016" PRIx64
           " checksum=0x%016" PRIx64 "\n",
           pairs, epochs ? pairs : 0, work, id, state);
    printf("marker_app: calls ok=%" PRIu64 " failed=%" PRIu64 "\n", g_calls.ok, g_calls.failed);
    printf("marker_app: figures attach_s=%.6f attach_cpu_s=%.6f worst_marker_us=%.3f "
           "p9999_marker_us=%.1f slow_markers=%" PRIu64 " markers=%" PRIu64
           " worst_cpu_us=%.3f slept_markers=%" PRIu64 " preempted_markers=%" PRIu64
           " loop_s=%.6f\n",
           (double)attach_ns * 1e-9, (double)attach_cpu * 1e-9,
           (double)g_latency.worst_ns * 1e-3, percentile_us(0.9999), g_latency.slow,
           g_latency.total, (double)g_latency.worst_cpu_ns * 1e-3, g_latency.slept,
           g_latency.preempted, (double)loop_ns * 1e-9);
    if (g_calls.failed > MAX_PRINTED_FAILURES) {
        fprintf(stderr, "marker_app: %" PRIu64 " more failures not printed\n",
                g_calls.failed - MAX_PRINTED_FAILURES);
    }
    return 0;
}
