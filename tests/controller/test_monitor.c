#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "host_info.h"
#include "job.h"
#include "monitor.h"
#include "report.h"
#include "trace.h"

#define SLOTS 4
#define MS UINT64_C(1000000)
#define HASH_A UINT64_C(0x0000000a)
#define HASH_B UINT64_C(0x0000000b)

/* A job whose segment is plain memory: the monitor reads only the header's
 * claim count and the slots. */
struct fake_job {
    struct geopm_job job;
    struct ctl_monitor monitor;
    uint64_t t0;
    char trace_prefix[64];
    struct ctl_trace *trace;
};

static struct fake_job *new_fake(uint32_t num_proc, bool with_trace)
{
    struct fake_job *fake = calloc(1, sizeof(*fake));
    assert_non_null(fake);
    fake->job.header = aligned_alloc(64, sizeof(struct geopm_job_header));
    fake->job.slots = aligned_alloc(64, SLOTS * sizeof(struct geopm_job_slot));
    assert_non_null(fake->job.header);
    assert_non_null(fake->job.slots);
    memset(fake->job.header, 0, sizeof(struct geopm_job_header));
    memset(fake->job.slots, 0, SLOTS * sizeof(struct geopm_job_slot));
    fake->job.slot_count = SLOTS;
    fake->t0 = ctl_now_ns();
    if (with_trace) {
        char msg[256];
        snprintf(fake->trace_prefix, sizeof(fake->trace_prefix), "/tmp/geopm-test-trace-%ld",
                 (long)getpid());
        struct ctl_trace_header header = {"1.0", "now", "prof", "host", "monitor"};
        assert_int_equal(ctl_trace_open(&fake->trace, fake->trace_prefix, &header, msg,
                                        sizeof(msg)),
                         0);
    }
    struct ctl_monitor_config config = {0.005, 1, num_proc, false, fake->trace};
    assert_int_equal(ctl_monitor_init(&fake->monitor, &fake->job, &config, fake->t0), 0);
    return fake;
}

static void free_fake(struct fake_job *fake)
{
    ctl_monitor_fini(&fake->monitor);
    if (fake->trace != NULL) {
        char msg[256];
        ctl_trace_close(fake->trace, msg, sizeof(msg));
        char path[128];
        snprintf(path, sizeof(path), "%s-host", fake->trace_prefix);
        unlink(path);
    }
    free(fake->job.header);
    free(fake->job.slots);
    free(fake);
}

/* What geopm__job_claim_slot and the first marker leave in a slot. */
static struct geopm_job_slot *claim(struct fake_job *fake, uint32_t index, pid_t pid,
                                    uint64_t current)
{
    struct geopm_job_slot *slot = &fake->job.slots[index];
    slot->info.pid = pid;
    slot->info.rank = (int32_t)index;
    snprintf(slot->info.program, sizeof(slot->info.program), "app%u", index);
    slot->info.start_ns = fake->t0;
    atomic_store(&slot->status.current, current);
    atomic_store(&slot->info.state, GEOPM_JOB_SLOT_ACTIVE);
    if (fake->job.header->slots_claimed < index + 1) {
        fake->job.header->slots_claimed = index + 1;
    }
    return slot;
}

static void finish(struct geopm_job_slot *slot, uint64_t end_ns)
{
    atomic_store(&slot->info.end_ns, end_ns);
    atomic_store(&slot->info.state, GEOPM_JOB_SLOT_FINISHED);
}

static enum ctl_proc_status status_of(struct fake_job *fake, uint32_t index)
{
    return (enum ctl_proc_status)fake->monitor.procs[index].status;
}

static void test_attach_and_finish(void **state)
{
    (void)state;
    struct fake_job *fake = new_fake(0, false);
    struct ctl_monitor *monitor = &fake->monitor;
    enum ctl_end end;
    uint64_t now = fake->t0 + 1 * MS;
    ctl_monitor_sample(monitor, now);
    assert_int_equal(monitor->served, 0);
    assert_false(ctl_monitor_is_over(monitor, now, &end));

    struct geopm_job_slot *slot = claim(fake, 0, getpid(), GEOPM_REGION_HASH_UNMARKED);
    ctl_monitor_sample(monitor, now + 5 * MS);
    assert_int_equal(monitor->served, 1);
    assert_int_equal(monitor->ended, 0);
    assert_false(ctl_monitor_is_over(monitor, now + 5 * MS, &end));

    finish(slot, now + 7 * MS);
    ctl_monitor_sample(monitor, now + 10 * MS);
    assert_int_equal(monitor->ended, 1);
    assert_int_equal(status_of(fake, 0), CTL_PROC_FINISHED);
    assert_int_equal(monitor->procs[0].end_ns, now + 7 * MS);
    /* Without --num-proc, a quiet time for late ranks first. */
    assert_false(ctl_monitor_is_over(monitor, now + 100 * MS, &end));
    assert_true(ctl_monitor_is_over(monitor, now + 10 * MS + CTL_QUIET_NS, &end));
    assert_int_equal(end, CTL_END_DONE);
    free_fake(fake);
}

static void test_late_rank_resets_quiet_time(void **state)
{
    (void)state;
    struct fake_job *fake = new_fake(0, false);
    struct ctl_monitor *monitor = &fake->monitor;
    enum ctl_end end;
    uint64_t now = fake->t0 + 1 * MS;
    finish(claim(fake, 0, getpid(), GEOPM_REGION_HASH_UNMARKED), now);
    ctl_monitor_sample(monitor, now);
    assert_int_equal(monitor->ended, 1);
    claim(fake, 1, getpid(), GEOPM_REGION_HASH_UNMARKED);
    ctl_monitor_sample(monitor, now + 150 * MS);
    assert_int_equal(monitor->served, 2);
    assert_false(ctl_monitor_is_over(monitor, now + 300 * MS, &end));
    free_fake(fake);
}

static void test_num_proc(void **state)
{
    (void)state;
    struct fake_job *fake = new_fake(2, false);
    struct ctl_monitor *monitor = &fake->monitor;
    enum ctl_end end;
    uint64_t now = fake->t0 + 1 * MS;
    finish(claim(fake, 0, getpid(), GEOPM_REGION_HASH_UNMARKED), now);
    ctl_monitor_sample(monitor, now);
    /* One of two: wait for the other, up to the timeout (1 s here). */
    assert_false(ctl_monitor_is_over(monitor, now + 500 * MS, &end));
    assert_true(ctl_monitor_is_over(monitor, now + 1000 * MS, &end));
    assert_int_equal(end, CTL_END_MISSING);
    finish(claim(fake, 1, getpid(), GEOPM_REGION_HASH_UNMARKED), now + 2 * MS);
    ctl_monitor_sample(monitor, now + 3 * MS);
    /* Both came and ended: over at once, no quiet time. */
    assert_true(ctl_monitor_is_over(monitor, now + 3 * MS, &end));
    assert_int_equal(end, CTL_END_DONE);
    free_fake(fake);
}

static void test_no_rank_timeout(void **state)
{
    (void)state;
    struct fake_job *fake = new_fake(0, false);
    enum ctl_end end;
    ctl_monitor_sample(&fake->monitor, fake->t0 + 900 * MS);
    assert_false(ctl_monitor_is_over(&fake->monitor, fake->t0 + 900 * MS, &end));
    assert_true(ctl_monitor_is_over(&fake->monitor, fake->t0 + 1000 * MS, &end));
    assert_int_equal(end, CTL_END_NO_RANK);
    free_fake(fake);
}

static pid_t start_sleeper(void)
{
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        for (;;) {
            pause();
        }
    }
    return child;
}

static void stop_sleeper(pid_t child)
{
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
}

/* A process that goes away without finishing is found within the watch
 * interval; one that finished and then exited is finished. */
static void test_death_noticed(void **state)
{
    (void)state;
    struct fake_job *fake = new_fake(0, false);
    struct ctl_monitor *monitor = &fake->monitor;
    pid_t dying = start_sleeper();
    pid_t done = start_sleeper();
    claim(fake, 0, dying, GEOPM_REGION_HASH_UNMARKED);
    struct geopm_job_slot *done_slot = claim(fake, 1, done, GEOPM_REGION_HASH_UNMARKED);
    uint64_t now = fake->t0 + 1 * MS;
    ctl_monitor_sample(monitor, now);
    assert_int_equal(monitor->served, 2);

    stop_sleeper(dying);
    finish(done_slot, now);
    /* The finish is seen at the next sample, before its exit would be. */
    stop_sleeper(done);
    ctl_monitor_sample(monitor, now + CTL_WATCH_INTERVAL_NS);
    assert_int_equal(status_of(fake, 0), CTL_PROC_DIED);
    assert_int_equal(monitor->procs[0].end_ns, now + CTL_WATCH_INTERVAL_NS);
    assert_int_equal(status_of(fake, 1), CTL_PROC_FINISHED);
    assert_int_equal(monitor->ended, 2);
    free_fake(fake);
}

/* Gone without a finish: died.  Gone after its finish, before the
 * controller looked again: finished, with the process's own end time. */
/* A process that attached, finished and exited between two samples is
 * seen for the first time gone: it finished, it did not die. */
static void test_gone_before_first_sample(void **state)
{
    (void)state;
    struct fake_job *fake = new_fake(0, false);
    struct ctl_monitor *monitor = &fake->monitor;
    pid_t quick = start_sleeper();
    pid_t killed = start_sleeper();
    finish(claim(fake, 0, quick, GEOPM_REGION_HASH_UNMARKED), fake->t0 + 1 * MS);
    claim(fake, 1, killed, GEOPM_REGION_HASH_UNMARKED);
    stop_sleeper(quick);
    stop_sleeper(killed);
    ctl_monitor_sample(monitor, fake->t0 + 2 * MS);
    assert_int_equal(monitor->served, 2);
    assert_int_equal(status_of(fake, 0), CTL_PROC_FINISHED);
    assert_int_equal(monitor->procs[0].end_ns, fake->t0 + 1 * MS);
    assert_int_equal(status_of(fake, 1), CTL_PROC_DIED);
    assert_int_equal(monitor->ended, 2);
    free_fake(fake);
}

/* A slot corrupt at the first look is still named, by what it claims to
 * be: the report says which process went wrong. */
static void test_corrupt_at_first_look_is_named(void **state)
{
    (void)state;
    struct fake_job *fake = new_fake(0, false);
    struct geopm_job_slot *slot = claim(fake, 0, getpid(), GEOPM_REGION_HASH_UNMARKED);
    atomic_store(&slot->info.state, 9);
    ctl_monitor_sample(&fake->monitor, fake->t0 + 1 * MS);
    assert_int_equal(status_of(fake, 0), CTL_PROC_CORRUPT);
    assert_int_equal(fake->monitor.procs[0].sample.pid, getpid());
    assert_int_equal(fake->monitor.procs[0].sample.rank, 0);
    assert_string_equal(fake->monitor.procs[0].sample.program, "app0");
    assert_non_null(strstr(fake->monitor.procs[0].why, "state 9"));
    free_fake(fake);
}

static void test_finish_then_exit(void **state)
{
    (void)state;
    struct fake_job *fake = new_fake(0, false);
    struct ctl_monitor *monitor = &fake->monitor;
    pid_t child = start_sleeper();
    struct geopm_job_slot *slot = claim(fake, 0, child, GEOPM_REGION_HASH_UNMARKED);
    uint64_t now = fake->t0 + 1 * MS;
    ctl_monitor_sample(monitor, now);
    stop_sleeper(child);
    ctl_monitor_sample(monitor, now + CTL_WATCH_INTERVAL_NS);
    assert_int_equal(status_of(fake, 0), CTL_PROC_DIED);
    free_fake(fake);

    fake = new_fake(0, false);
    monitor = &fake->monitor;
    now = fake->t0 + 1 * MS;
    child = start_sleeper();
    slot = claim(fake, 0, child, GEOPM_REGION_HASH_UNMARKED);
    ctl_monitor_sample(monitor, now);
    finish(slot, now + 2 * MS);
    stop_sleeper(child);
    ctl_monitor_sample(monitor, now + CTL_WATCH_INTERVAL_NS);
    assert_int_equal(status_of(fake, 0), CTL_PROC_FINISHED);
    assert_int_equal(monitor->procs[0].end_ns, now + 2 * MS);
    free_fake(fake);
}

/* Counts the lines of stderr that contain needle while fn runs. */
static int count_stderr(void (*fn)(struct fake_job *), struct fake_job *fake, const char *needle)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/geopm-test-stderr-%ld", (long)getpid());
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, STDERR_FILENO);
    fn(fake);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    lseek(fd, 0, SEEK_SET);
    char text[4096] = "";
    ssize_t got = read(fd, text, sizeof(text) - 1);
    text[got > 0 ? got : 0] = '\0';
    close(fd);
    unlink(path);
    int count = 0;
    for (const char *at = strstr(text, needle); at != NULL; at = strstr(at + 1, needle)) {
        ++count;
    }
    return count;
}

static void sample_three_times(struct fake_job *fake)
{
    for (uint64_t i = 1; i <= 3; ++i) {
        ctl_monitor_sample(&fake->monitor, fake->t0 + i * 5 * MS);
    }
}

static void test_corrupt_reported_once(void **state)
{
    (void)state;
    struct fake_job *fake = new_fake(0, false);
    claim(fake, 0, getpid(), GEOPM_REGION_HASH_UNMARKED);
    struct geopm_job_slot *bad = claim(fake, 1, getpid(), GEOPM_REGION_HASH_UNMARKED);
    atomic_store(&bad->info.state, 9);
    assert_int_equal(count_stderr(sample_three_times, fake, "is corrupt"), 1);
    assert_int_equal(status_of(fake, 1), CTL_PROC_CORRUPT);
    assert_non_null(strstr(fake->monitor.procs[1].why, "state 9"));
    assert_int_equal(status_of(fake, 0), CTL_PROC_RUNNING);
    assert_int_equal(fake->monitor.served, 2);
    assert_int_equal(fake->monitor.ended, 1);

    /* A ring that goes wrong later is corrupt too, and so is a pid that
     * changes under the controller. */
    claim(fake, 2, getpid(), GEOPM_REGION_HASH_UNMARKED);
    ctl_monitor_sample(&fake->monitor, fake->t0 + 30 * MS);
    struct geopm_job_slot *good = &fake->job.slots[0];
    atomic_store(&good->consumer.tail, 10);
    atomic_store(&good->producer.head, 5);
    fake->job.slots[2].info.pid = getpid() + 1;
    assert_int_equal(count_stderr(sample_three_times, fake, "is corrupt"), 2);
    assert_int_equal(status_of(fake, 0), CTL_PROC_CORRUPT);
    assert_int_equal(status_of(fake, 2), CTL_PROC_CORRUPT);
    free_fake(fake);
}

/* The header is the ranks' to write: a claim count beyond the slots is
 * bounded by the controller's own count. */
static void test_claim_count_bounded(void **state)
{
    (void)state;
    struct fake_job *fake = new_fake(0, false);
    for (uint32_t i = 0; i < SLOTS; ++i) {
        claim(fake, i, getpid(), GEOPM_REGION_HASH_UNMARKED);
    }
    fake->job.header->slots_claimed = UINT32_MAX;
    ctl_monitor_sample(&fake->monitor, fake->t0 + 5 * MS);
    assert_int_equal(fake->monitor.served, SLOTS);
    free_fake(fake);
}

static void test_trace_and_sync(void **state)
{
    (void)state;
    struct fake_job *fake = new_fake(0, true);
    struct ctl_monitor *monitor = &fake->monitor;
    struct geopm_job_slot *a = claim(fake, 0, getpid(), geopm_region_id_make(HASH_A, 2));
    struct geopm_job_slot *b = claim(fake, 1, getpid(), geopm_region_id_make(HASH_A, 2));
    atomic_store(&a->status.epoch_count, 5);
    atomic_store(&b->status.epoch_count, 3);
    atomic_store(&a->status.progress_total, 4);
    atomic_store(&a->status.progress_done, 2);
    atomic_store(&b->status.progress_total, 4);
    atomic_store(&b->status.progress_done, 1);
    ctl_monitor_sample(monitor, fake->t0 + 10 * MS);
    ctl_monitor_sample(monitor, fake->t0 + 20 * MS);
    atomic_store(&b->status.current, geopm_region_id_make(HASH_B, 3));
    ctl_monitor_sample(monitor, fake->t0 + 30 * MS);
    /* Same hash, other hints: the hash is common, the hint is not. */
    atomic_store(&b->status.current, geopm_region_id_make(HASH_A, 3));
    ctl_monitor_sample(monitor, fake->t0 + 40 * MS);
    finish(a, fake->t0 + 41 * MS);
    finish(b, fake->t0 + 42 * MS);
    ctl_monitor_sample(monitor, fake->t0 + 50 * MS);

    /* 10 ms to A after the first sample, 10 ms to each view after. */
    assert_true(ctl_sync_get(&monitor->sync, HASH_A) > 0.0199 &&
                ctl_sync_get(&monitor->sync, HASH_A) < 0.0201);
    assert_true(ctl_sync_get(&monitor->sync, GEOPM_REGION_HASH_UNMARKED) > 0.0099 &&
                ctl_sync_get(&monitor->sync, GEOPM_REGION_HASH_UNMARKED) < 0.0101);
    assert_int_equal(monitor->app_sync_ns, 30 * MS);

    char msg[256];
    assert_int_equal(ctl_trace_close(fake->trace, msg, sizeof(msg)), 0);
    fake->trace = NULL;
    char path[128];
    snprintf(path, sizeof(path), "%s-host", fake->trace_prefix);
    FILE *file = fopen(path, "r");
    assert_non_null(file);
    char text[4096] = "";
    size_t got = fread(text, 1, sizeof(text) - 1, file);
    text[got] = '\0';
    fclose(file);
    unlink(path);
    const char *expected =
        "# geopm_version: 1.0\n# start_time: now\n# profile_name: prof\n# node_name: host\n"
        "# agent: monitor\nTIME|EPOCH_COUNT|REGION_HASH|REGION_HINT|REGION_PROGRESS\n"
        "0.01|3|0x0000000a|0x00000002|0.25\n"
        "0.02|3|0x0000000a|0x00000002|0.25\n"
        "0.03|3|0x725e8066|0x00000001|0.25\n"
        "0.04|3|0x0000000a|0x00000001|0.25\n";
    assert_string_equal(text, expected);
    free_fake(fake);
}

static void test_collect(void **state)
{
    (void)state;
    struct fake_job *fake = new_fake(0, false);
    struct geopm_job_slot *slot = claim(fake, 0, getpid(), GEOPM_REGION_HASH_UNMARKED);
    const char name[] = "solve";
    memcpy(slot->name_pool, name, sizeof(name));
    slot->regions[0].id = geopm_region_id_make(HASH_A, GEOPM_REGION_HINT_COMPUTE);
    slot->regions[0].name_length = 5;
    atomic_store(&slot->regions[0].lane[0].count, 4);
    atomic_store(&slot->regions[0].lane[0].total_ns, 40 * MS);
    atomic_store(&slot->info.region_count, 1);
    /* A second slot whose regions turn out corrupt only at the end. */
    struct geopm_job_slot *bad = claim(fake, 1, getpid(), GEOPM_REGION_HASH_UNMARKED);
    ctl_monitor_sample(&fake->monitor, fake->t0 + 5 * MS);
    bad->regions[0].name_offset = UINT32_MAX;
    atomic_store(&bad->info.region_count, 1);

    struct ctl_report *report = NULL;
    assert_int_equal(ctl_report_create(&report), 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDERR_FILENO);
    int rc = ctl_monitor_collect(&fake->monitor, fake->t0 + 100 * MS, report);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(null);
    assert_int_equal(rc, 0);
    assert_int_equal(status_of(fake, 1), CTL_PROC_CORRUPT);

    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    struct ctl_report_header header = {"v", "t", "p", "monitor", "h", 0, 0.0, NULL};
    assert_int_equal(ctl_report_write(report, &header, out), 0);
    fclose(out);
    /* One process counts: its 40 ms of "solve" in 100 ms still running. */
    assert_non_null(strstr(text, "region: \"solve\"\n      hash: 0x0000000a\n"
                                 "      runtime (s): 0.04\n      count: 4\n"));
    assert_non_null(strstr(text, "Unmarked Totals:\n      runtime (s): 0.06\n"));
    assert_non_null(strstr(text, "status: running\n"));
    assert_non_null(strstr(text, "status: corrupt\n"));
    free(text);
    ctl_report_destroy(report);
    free_fake(fake);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attach_and_finish),
        cmocka_unit_test(test_late_rank_resets_quiet_time),
        cmocka_unit_test(test_num_proc),
        cmocka_unit_test(test_no_rank_timeout),
        cmocka_unit_test(test_death_noticed),
        cmocka_unit_test(test_gone_before_first_sample),
        cmocka_unit_test(test_corrupt_at_first_look_is_named),
        cmocka_unit_test(test_finish_then_exit),
        cmocka_unit_test(test_corrupt_reported_once),
        cmocka_unit_test(test_claim_count_bounded),
        cmocka_unit_test(test_trace_and_sync),
        cmocka_unit_test(test_collect),
    };
    return cmocka_run_group_tests_name("monitor", tests, NULL, NULL);
}
