#include <config.h>

#include "monitor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "geopm_error.h"
#include "geopm_shm.h"
#include "host_info.h"
#include "read_guard.h"

/* What a guarded read of one slot needs and gives back. */
struct slot_read {
    struct geopm_job_header *header;
    struct geopm_job_slot *slot;
    bool first_look; /* the slot's head lines are mapped before its sample */
    struct geopm_job_sample *sample;
    struct geopm_job_region_record *records;
    uint32_t claimed;
    char *why;
    size_t why_size;
};

#define TRUNCATED_WHY "its part of the segment is gone: the segment was truncated"

static int read_claimed(void *arg)
{
    struct slot_read *read = arg;
    read->claimed = atomic_load_explicit(&read->header->slots_claimed, memory_order_acquire);
    return 0;
}

/* The header's count is written by the ranks, under their lock: it is
 * trusted only up to the controller's own number of slots, and never
 * lowered (a truncated header reads as the last count seen). */
static uint32_t slots_claimed(struct ctl_monitor *monitor)
{
    struct slot_read read = {.header = monitor->job->header};
    if (ctl_guarded_call(read_claimed, &read) == 0 && read.claimed > monitor->claimed) {
        monitor->claimed =
            read.claimed < monitor->job->slot_count ? read.claimed : monitor->job->slot_count;
    }
    return monitor->claimed;
}

static void describe(const struct ctl_proc *proc, uint32_t index, char *text, size_t size)
{
    if (proc->sample.pid <= 0) {
        /* Corrupt before its first good sample: nothing about it is known. */
        snprintf(text, size, "slot %u", index);
        return;
    }
    /* The name comes from the job's user: no control characters reach the
     * terminal of whoever reads the controller's messages. */
    char program[sizeof(proc->sample.program)];
    size_t length = strnlen(proc->sample.program, sizeof(program) - 1);
    for (size_t i = 0; i < length; ++i) {
        unsigned char c = (unsigned char)proc->sample.program[i];
        program[i] = (char)(c >= 0x20 && c < 0x7f ? c : '?');
    }
    program[length] = '\0';
    snprintf(text, size, "slot %u (pid %ld, rank %ld, program \"%s\")", index,
             (long)proc->sample.pid, (long)proc->sample.rank, program);
}

static void end_proc(struct ctl_monitor *monitor, uint32_t index, enum ctl_proc_status status,
                     uint64_t end_ns)
{
    struct ctl_proc *proc = &monitor->procs[index];
    proc->ended = true;
    proc->status = (uint8_t)status;
    proc->end_ns = end_ns;
    ++monitor->ended;
    ctl_watch_remove(&monitor->watch, index);
}

/* Reported once: the slot is never read again. */
static void mark_corrupt(struct ctl_monitor *monitor, uint32_t index, const char *why,
                         uint64_t now)
{
    struct ctl_proc *proc = &monitor->procs[index];
    char who[160];
    if (!proc->seen) {
        proc->seen = true;
        ++monitor->served;
    }
    snprintf(proc->why, sizeof(proc->why), "%s", why);
    describe(proc, index, who, sizeof(who));
    fprintf(stderr, "geopmctl: warning: %s is corrupt: %s; it is skipped from now on\n", who,
            why);
    end_proc(monitor, index, CTL_PROC_CORRUPT, now);
}

static void attach_proc(struct ctl_monitor *monitor, uint32_t index, uint64_t now)
{
    struct ctl_proc *proc = &monitor->procs[index];
    proc->seen = true;
    ++monitor->served;
    monitor->quiet_since_ns = 0;
    char who[160];
    describe(proc, index, who, sizeof(who));
    if (monitor->config.verbose) {
        fprintf(stderr, "geopmctl: %s attached\n", who);
    }
    /* A process that attached, marked and exited between two samples is
     * gone already, but finished: its state says so. */
    if (ctl_watch_add(&monitor->watch, index, proc->sample.pid) == -ESRCH &&
        proc->sample.state != GEOPM_JOB_SLOT_FINISHED) {
        fprintf(stderr, "geopmctl: warning: %s died before it finished\n", who);
        end_proc(monitor, index, CTL_PROC_DIED, now);
    }
}

static void finish_proc(struct ctl_monitor *monitor, uint32_t index, uint64_t now)
{
    struct ctl_proc *proc = &monitor->procs[index];
    end_proc(monitor, index, CTL_PROC_FINISHED,
             proc->sample.end_ns != 0 ? proc->sample.end_ns : now);
    if (monitor->config.verbose) {
        char who[160];
        describe(proc, index, who, sizeof(who));
        fprintf(stderr, "geopmctl: %s finished\n", who);
    }
}

/* Maps the lines of a slot that are read every period, and only those:
 * the first touch of a page is a write (adding 0 to words that are only
 * ever changed atomically), and a write fault maps just its page, where a
 * read fault would map the pages around it too, making the controller
 * resident in every rank's region tables. */
static void fault_in_slot_head(struct geopm_job_slot *slot)
{
    atomic_fetch_add_explicit(&slot->info.state, 0, memory_order_relaxed);
    atomic_fetch_add_explicit(&slot->consumer.tail, 0, memory_order_relaxed);
}

static int read_sample(void *arg)
{
    struct slot_read *read = arg;
    if (read->first_look) {
        fault_in_slot_head(read->slot);
    }
    return geopm__job_sample_slot(read->slot, read->sample, read->why, read->why_size);
}

static int read_identity(void *arg)
{
    struct slot_read *read = arg;
    return geopm__job_slot_identity(read->slot, read->sample);
}

/* The ring holds at most GEOPM_JOB_RING_SIZE events: one call empties it.
 * The events are only counted for now, so they are not copied. */
static int drain_ring(void *arg)
{
    struct slot_read *read = arg;
    return geopm__job_drain_ring(read->slot, NULL, GEOPM_JOB_RING_SIZE, read->why,
                                 read->why_size);
}

static int read_regions(void *arg)
{
    struct slot_read *read = arg;
    return geopm__job_read_regions(read->slot, read->records, GEOPM_JOB_REGION_MAX, read->why,
                                   read->why_size);
}

/* A guarded read of a slot: its result, with the reason of a fault in why. */
static int read_slot(int (*read)(void *), struct slot_read *arg)
{
    int result = ctl_guarded_call(read, arg);
    if (result == CTL_GUARD_FAULT) {
        snprintf(arg->why, arg->why_size, "%s", TRUNCATED_WHY);
    }
    return result;
}

/* Reads one slot; returns whether the sample is good and the slot still
 * followed. */
static bool sample_proc(struct ctl_monitor *monitor, uint32_t index, uint64_t now)
{
    struct ctl_proc *proc = &monitor->procs[index];
    struct geopm_job_sample sample = {0};
    char why[128];
    struct slot_read read = {.slot = &monitor->job->slots[index],
                             .first_look = !proc->seen,
                             .sample = &sample,
                             .why = why,
                             .why_size = sizeof(why)};
    if (read_slot(read_sample, &read) != 0) {
        if (!proc->seen) {
            /* Corrupt before its first good sample: named by what it
             * claims to be, if that can still be read (a failed read
             * leaves sample zeroed). */
            if (read_slot(read_identity, &read) != 0) {
                sample.rank = -1;
            }
            proc->sample = sample;
        }
        mark_corrupt(monitor, index, why, now);
        return false;
    }
    /* Claimed under the lock but not yet filled in, or filled in without
     * a pid yet: seen on a later sample.  A slot once served never goes
     * back to that. */
    if (sample.state == GEOPM_JOB_SLOT_FREE || sample.pid <= 0) {
        if (proc->seen) {
            mark_corrupt(monitor, index, "a served slot became free again", now);
        }
        return false;
    }
    if (sample.start_ns > now + CTL_FUTURE_SLACK_NS ||
        sample.end_ns > now + CTL_FUTURE_SLACK_NS) {
        proc->sample = sample;
        mark_corrupt(monitor, index, "start or end time is in the future", now);
        return false;
    }
    if (proc->seen && sample.pid != proc->sample.pid) {
        mark_corrupt(monitor, index, "the pid of the slot changed", now);
        return false;
    }
    proc->sample = sample;
    if (!proc->seen) {
        attach_proc(monitor, index, now);
        if (proc->ended) {
            return false;
        }
    }
    int moved = read_slot(drain_ring, &read);
    if (moved < 0) {
        mark_corrupt(monitor, index, why, now);
        return false;
    }
    proc->events += (uint64_t)moved;
    if (sample.state == GEOPM_JOB_SLOT_FINISHED) {
        finish_proc(monitor, index, now);
        return false;
    }
    return true;
}

/* A process found gone: it finished just before, or it died. */
static void proc_gone(struct ctl_monitor *monitor, uint32_t index, uint64_t now)
{
    struct ctl_proc *proc = &monitor->procs[index];
    if (proc->ended) {
        return;
    }
    /* Its last stores happened before its exit, which was seen: this
     * sample tells finished from died. */
    if (sample_proc(monitor, index, now) || !proc->ended) {
        char who[160];
        describe(proc, index, who, sizeof(who));
        fprintf(stderr, "geopmctl: warning: %s died before it finished\n", who);
        end_proc(monitor, index, CTL_PROC_DIED, now);
    }
}

static void check_liveness(struct ctl_monitor *monitor, uint64_t now)
{
    /* More than a batch of deaths at once are found on the next checks. */
    uint32_t gone[64];
    uint32_t found = ctl_watch_check(&monitor->watch, gone, 64);
    for (uint32_t i = 0; i < found; ++i) {
        proc_gone(monitor, gone[i], now);
    }
    monitor->last_watch_ns = now;
}

/* The node as a whole, as GEOPM aggregates its board signals: the common
 * region and hint of the active ranks, else UNMARKED and UNKNOWN; the least
 * epoch count and progress. */
struct node_view {
    uint32_t active;
    uint64_t hash;
    uint64_t hint;
    uint64_t epoch_count;
    double progress;
};

static void add_to_view(struct node_view *view, const struct geopm_job_sample *sample)
{
    uint64_t hash = geopm_region_id_hash(sample->current);
    uint64_t hint = geopm_region_id_hint(sample->current);
    if (view->active == 0) {
        view->hash = hash;
        view->hint = hint;
        view->epoch_count = sample->epoch_count;
        view->progress = sample->progress;
    }
    else {
        view->hash = view->hash == hash ? hash : GEOPM_REGION_HASH_UNMARKED;
        view->hint = view->hint == hint ? hint : GEOPM_REGION_HINT_UNKNOWN;
        view->epoch_count =
            sample->epoch_count < view->epoch_count ? sample->epoch_count : view->epoch_count;
        view->progress = sample->progress < view->progress ? sample->progress : view->progress;
    }
    ++view->active;
}

/* The job's user may truncate or grow the segment's file at any time: said
 * once per change.  Reads of what is gone fault, and their slots are
 * reported corrupt; the report and the clean-up still happen. */
static void check_segment_size(struct ctl_monitor *monitor)
{
    uint64_t size = 0;
    uint64_t mapped = 0;
    if (monitor->job->shm == NULL || geopm__job_file_size(monitor->job, &size, &mapped) != 0) {
        return;
    }
    uint64_t last_seen = monitor->damaged ? monitor->damaged_size : mapped;
    if (size == last_seen) {
        return;
    }
    fprintf(stderr,
            "geopmctl: warning: the segment \"%s\" changed size from %llu to %llu bytes: its "
            "user %s it; what can no longer be read is reported as corrupt\n",
            geopm_shm_key(monitor->job->shm), (unsigned long long)last_seen,
            (unsigned long long)size, size < mapped ? "truncated" : "grew");
    monitor->damaged = true;
    monitor->damaged_size = size;
}

void ctl_monitor_sample(struct ctl_monitor *monitor, uint64_t now)
{
    struct node_view view = {0};
    check_segment_size(monitor);
    uint32_t claimed = slots_claimed(monitor);
    for (uint32_t index = 0; index < claimed; ++index) {
        if (monitor->procs[index].ended) {
            continue;
        }
        if (sample_proc(monitor, index, now) &&
            monitor->procs[index].sample.state == GEOPM_JOB_SLOT_ACTIVE) {
            add_to_view(&view, &monitor->procs[index].sample);
        }
    }
    if (now - monitor->last_watch_ns >= CTL_WATCH_INTERVAL_NS) {
        check_liveness(monitor, now);
    }
    if (monitor->served > 0 && monitor->ended == monitor->served &&
        monitor->quiet_since_ns == 0) {
        monitor->quiet_since_ns = now;
    }
    uint64_t elapsed = monitor->last_sample_ns != 0 && now > monitor->last_sample_ns
                           ? now - monitor->last_sample_ns
                           : 0;
    monitor->last_sample_ns = now;
    if (view.active == 0) {
        return;
    }
    monitor->app_sync_ns += elapsed;
    ctl_sync_add(&monitor->sync, view.hash, (double)elapsed * 1e-9);
    if (monitor->config.trace != NULL) {
        struct ctl_trace_row row = {
            .time_s = (double)(now - monitor->start_ns) / 1e9,
            .epoch_count = view.epoch_count,
            .hash = view.hash,
            .hint = view.hint,
            .progress = view.progress,
        };
        ctl_trace_row(monitor->config.trace, &row);
    }
}

bool ctl_monitor_is_over(const struct ctl_monitor *monitor, uint64_t now, enum ctl_end *end)
{
    uint64_t timeout_ns = (uint64_t)monitor->config.timeout_s * UINT64_C(1000000000);
    if (monitor->served == 0) {
        *end = CTL_END_NO_RANK;
        return now - monitor->start_ns >= timeout_ns;
    }
    if (monitor->ended < monitor->served || monitor->quiet_since_ns == 0) {
        return false;
    }
    uint64_t quiet = now - monitor->quiet_since_ns;
    if (monitor->config.num_proc == 0) {
        *end = CTL_END_DONE;
        return quiet >= CTL_QUIET_NS;
    }
    if (monitor->served >= monitor->config.num_proc) {
        *end = CTL_END_DONE;
        return true;
    }
    /* Ranks still missing may never come (one failed before it attached):
     * they get the timeout, counted from the last end. */
    *end = CTL_END_MISSING;
    return quiet >= timeout_ns;
}

int ctl_monitor_init(struct ctl_monitor *monitor, struct geopm_job *job,
                     const struct ctl_monitor_config *config, uint64_t start_ns)
{
    memset(monitor, 0, sizeof(*monitor));
    monitor->job = job;
    monitor->config = *config;
    monitor->start_ns = start_ns;
    monitor->last_watch_ns = start_ns;
    monitor->period_ns = (uint64_t)(config->period_s * 1e9);
    if (monitor->period_ns == 0) {
        monitor->period_ns = 1;
    }
    ctl_read_guard_install();
    monitor->procs = calloc(job->slot_count, sizeof(*monitor->procs));
    int err = monitor->procs == NULL ? -ENOMEM : 0;
    if (err == 0) {
        err = ctl_watch_init(&monitor->watch, job->slot_count);
    }
    if (err == 0) {
        err = ctl_sync_init(&monitor->sync);
    }
    if (err != 0) {
        ctl_monitor_fini(monitor);
    }
    return err;
}

void ctl_monitor_fini(struct ctl_monitor *monitor)
{
    ctl_watch_fini(&monitor->watch);
    ctl_sync_fini(&monitor->sync);
    free(monitor->procs);
    monitor->procs = NULL;
}

static struct timespec timespec_of(uint64_t ns)
{
    struct timespec ts = {(time_t)(ns / UINT64_C(1000000000)),
                          (long)(ns % UINT64_C(1000000000))};
    return ts;
}

enum ctl_end ctl_monitor_run(struct ctl_monitor *monitor, const volatile sig_atomic_t *stop)
{
    uint64_t deadline = ctl_now_ns();
    for (;;) {
        uint64_t now = ctl_now_ns();
        if (*stop) {
            return CTL_END_SIGNAL;
        }
        ctl_monitor_sample(monitor, now);
        enum ctl_end end = CTL_END_DONE;
        if (ctl_monitor_is_over(monitor, now, &end)) {
            return end;
        }
        /* Absolute deadlines keep the period from drifting by the time a
         * sample takes; a deadline already missed is skipped, not made up
         * for with a burst of samples. */
        deadline += monitor->period_ns;
        if (deadline <= now) {
            deadline = now + monitor->period_ns;
        }
        struct timespec wake = timespec_of(deadline);
        /* A signal interrupts the sleep (EINTR): the flag is seen above. */
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL);
    }
}

/* Drops the controller's mapping of a slot's pages once its regions are
 * read: the pages stay in the shared segment, but the controller's resident
 * size (its peak is in the report) no longer grows with every slot it read.
 * Only whole pages of the slot, and only in a real segment: on private
 * memory MADV_DONTNEED would discard the data. */
static void forget_slot_pages(const struct ctl_monitor *monitor, uint32_t index)
{
    if (monitor->job->shm == NULL) {
        return;
    }
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    char *first = (char *)&monitor->job->slots[index];
    char *last = (char *)&monitor->job->slots[index + 1];
    uintptr_t into_first = (uintptr_t)first % page;
    char *start = into_first == 0 ? first : first + (page - into_first);
    char *end = last - (uintptr_t)last % page;
    if (end > start) {
        madvise(start, (size_t)(end - start), MADV_DONTNEED);
    }
}

int ctl_monitor_collect(struct ctl_monitor *monitor, uint64_t now, struct ctl_report *report)
{
    struct geopm_job_region_record *records =
        calloc(GEOPM_JOB_REGION_MAX, sizeof(*records));
    if (records == NULL) {
        return -ENOMEM;
    }
    int err = 0;
    uint32_t claimed = slots_claimed(monitor);
    for (uint32_t index = 0; index < claimed && err == 0; ++index) {
        struct ctl_proc *proc = &monitor->procs[index];
        if (!proc->ended) {
            /* A last sample picks up the latest counts, and a finish that
             * came after the last period. */
            sample_proc(monitor, index, now);
        }
        if (!proc->seen) {
            continue;
        }
        int count = 0;
        if (proc->status != CTL_PROC_CORRUPT) {
            char why[128];
            struct slot_read read = {.slot = &monitor->job->slots[index],
                                     .records = records,
                                     .why = why,
                                     .why_size = sizeof(why)};
            count = read_slot(read_regions, &read);
            if (count < 0) {
                bool was_ended = proc->ended;
                proc->ended = false;
                monitor->ended -= was_ended;
                mark_corrupt(monitor, index, why, proc->end_ns != 0 ? proc->end_ns : now);
                count = 0;
            }
            forget_slot_pages(monitor, index);
        }
        struct ctl_report_process process = {
            .pid = proc->sample.pid,
            .rank = proc->sample.rank,
            .program = proc->sample.program,
            .status = (enum ctl_proc_status)proc->status,
            .message = proc->status == CTL_PROC_CORRUPT ? proc->why : NULL,
            .start_ns = proc->sample.start_ns,
            .end_ns = proc->ended ? proc->end_ns : now,
            .epoch_count = proc->sample.epoch_count,
            .epoch_first_ns = proc->sample.epoch_first_ns,
            .epoch_last_ns = proc->sample.epoch_last_ns,
            .error_count = proc->sample.error_count,
            .overhead_ns = proc->sample.overhead_ns,
            .events = proc->events,
            .events_dropped = proc->sample.events_dropped,
        };
        err = ctl_report_add(report, &process, records, (uint32_t)count);
    }
    free(records);
    return err;
}
