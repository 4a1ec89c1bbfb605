/* The report: what the processes of one host did, gathered one process at
 * a time and written in GEOPM's YAML report format. */
#ifndef CTL_REPORT_H_INCLUDE
#define CTL_REPORT_H_INCLUDE

#include <stdint.h>
#include <stdio.h>

#include "job_reader.h"
#include "sync_time.h"

/* How a process's time with the controller ended. */
enum ctl_proc_status {
    CTL_PROC_RUNNING = 0, /* still running when the controller stopped */
    CTL_PROC_FINISHED,
    CTL_PROC_DIED,    /* gone without finishing */
    CTL_PROC_CORRUPT, /* its slot failed a check: left out of the totals */
};

/* "running", "finished", "died" or "corrupt". */
const char *ctl_proc_status_name(enum ctl_proc_status status);

/* One process as the monitor last saw it. */
struct ctl_report_process {
    int32_t pid;
    int32_t rank;
    const char *program;
    enum ctl_proc_status status;
    const char *message; /* why the slot is corrupt, or NULL */
    uint64_t start_ns;
    uint64_t end_ns; /* finished, seen dead, or the end of the run */
    uint64_t epoch_count;
    uint64_t epoch_first_ns;
    uint64_t epoch_last_ns;
    uint64_t error_count;
    uint64_t overhead_ns;
    uint64_t events;
    uint64_t events_dropped;
};

/* What the report says about the run as a whole. */
struct ctl_report_header {
    const char *version;
    const char *start_time;
    const char *profile;
    const char *agent;
    const char *host;
    uint64_t memory_hwm_b;
    /* Time during which at least one rank was active, and the sync time
     * per region hash (NULL: none sampled). */
    double app_sync_s;
    const struct ctl_sync *sync;
};

struct ctl_report;

/* Returns 0 or -ENOMEM. */
int ctl_report_create(struct ctl_report **report);
void ctl_report_destroy(struct ctl_report *report);

/* Adds a process and its regions (ignored for a corrupt process).  Returns
 * 0 or -ENOMEM. */
int ctl_report_add(struct ctl_report *report, const struct ctl_report_process *process,
                   const struct geopm_job_region_record *regions, uint32_t count);

/* Writes the whole report to out.  Returns 0, or -EIO when out failed. */
int ctl_report_write(const struct ctl_report *report, const struct ctl_report_header *header,
                     FILE *out);

#endif
