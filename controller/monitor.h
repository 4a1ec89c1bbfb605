/* The sampling loop: follows the ranks of the job segment from their
 * attach to their end, feeds the trace and the sync times, and decides
 * when the job is over. */
#ifndef CTL_MONITOR_H_INCLUDE
#define CTL_MONITOR_H_INCLUDE

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "job.h"
#include "job_reader.h"
#include "proc_watch.h"
#include "report.h"
#include "sync_time.h"
#include "trace.h"

/* How long, without --num-proc, the controller waits after the last rank
 * ended for another one to attach (ranks may start one after another). */
#define CTL_QUIET_NS UINT64_C(200000000)
/* How often the liveness of the processes is checked: within a few
 * periods, at most this often. */
#define CTL_WATCH_INTERVAL_NS UINT64_C(20000000)
/* Slot times further in the future than this are corrupt. */
#define CTL_FUTURE_SLACK_NS UINT64_C(1000000000)

enum ctl_end {
    CTL_END_DONE,     /* every rank served finished or died */
    CTL_END_NO_RANK,  /* none attached within the timeout */
    CTL_END_MISSING,  /* fewer than --num-proc attached, and no more within the timeout */
    CTL_END_SIGNAL,   /* stopped by a signal */
};

/* One slot as the monitor follows it. */
struct ctl_proc {
    bool seen;   /* claimed and filled in: a process the controller serves */
    bool ended;  /* finished, died or corrupt: not sampled any more */
    uint8_t status; /* enum ctl_proc_status */
    struct geopm_job_sample sample; /* the last good sample */
    uint64_t end_ns;
    uint64_t events;
    char why[128];
};

struct ctl_monitor_config {
    double period_s;
    unsigned int timeout_s;
    uint32_t num_proc; /* 0: not given */
    bool verbose;
    struct ctl_trace *trace; /* NULL: no trace */
};

struct ctl_monitor {
    struct geopm_job *job;
    struct ctl_monitor_config config;
    struct ctl_proc *procs;
    struct ctl_watch watch;
    struct ctl_sync sync;
    uint64_t start_ns;
    uint64_t period_ns;
    uint64_t last_sample_ns;
    uint64_t last_watch_ns;
    uint64_t quiet_since_ns; /* when the last served rank ended; 0 while one runs */
    uint64_t app_sync_ns;    /* time with at least one rank active */
    uint32_t served;
    uint32_t ended;
    uint32_t claimed;        /* slots claimed, as last read (never lowered) */
    bool damaged;            /* the segment's size changed under the controller */
    uint64_t damaged_size;   /* its size as last seen, once damaged */
};

/* Prepares to follow job, whose slots are the controller's own count (never
 * the header's).  start_ns is the controller's time zero.  Returns 0 or
 * -ENOMEM. */
int ctl_monitor_init(struct ctl_monitor *monitor, struct geopm_job *job,
                     const struct ctl_monitor_config *config, uint64_t start_ns);
void ctl_monitor_fini(struct ctl_monitor *monitor);

/* One sample at time now (CLOCK_MONOTONIC ns). */
void ctl_monitor_sample(struct ctl_monitor *monitor, uint64_t now);

/* Whether the job is over at time now, and why. */
bool ctl_monitor_is_over(const struct ctl_monitor *monitor, uint64_t now, enum ctl_end *end);

/* Samples every period on absolute deadlines until the job is over or
 * *stop becomes non-zero. */
enum ctl_end ctl_monitor_run(struct ctl_monitor *monitor, const volatile sig_atomic_t *stop);

/* Takes a last look at every served slot at time now, reads its regions,
 * and adds each process to report. Returns 0 or -ENOMEM. */
int ctl_monitor_collect(struct ctl_monitor *monitor, uint64_t now, struct ctl_report *report);

#endif
