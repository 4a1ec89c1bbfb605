#include <config.h>

#include "report.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report_fields.h"
#include "yaml_out.h"

/* One region of the host: sums over its processes, averaged when written. */
struct host_region {
    uint64_t hash;
    double count;
    double runtime_ns;
    double hint_ns[GEOPM_NUM_REGION_HINT];
    /* Allocated to its length: 256 ranks of 256 distinct names each stay
     * within a few MiB. */
    char *name;
};

/* One region of one process, for the per-process detail. */
struct proc_region {
    uint32_t host_index;
    double count;
    double runtime_ns;
};

struct proc_entry {
    struct ctl_report_process info;
    char program[GEOPM_JOB_PROGRAM_MAX];
    char message[160];
    size_t first_region;
    uint32_t region_count;
    double region_runtime_ns;
};

struct ctl_report {
    struct host_region *regions;
    uint32_t region_count;
    uint32_t region_capacity;
    /* Open addressing from hash to region index + 1, for the merge. */
    uint32_t *index;
    uint32_t index_capacity;
    struct proc_entry *procs;
    uint32_t proc_count;
    uint32_t proc_capacity;
    struct proc_region *proc_regions;
    size_t proc_region_count;
    size_t proc_region_capacity;
};

const char *ctl_proc_status_name(enum ctl_proc_status status)
{
    switch (status) {
    case CTL_PROC_RUNNING:
        return "running";
    case CTL_PROC_FINISHED:
        return "finished";
    case CTL_PROC_DIED:
        return "died";
    case CTL_PROC_CORRUPT:
        return "corrupt";
    }
    return "unknown";
}

int ctl_report_create(struct ctl_report **report)
{
    *report = calloc(1, sizeof(**report));
    return *report == NULL ? -ENOMEM : 0;
}

void ctl_report_destroy(struct ctl_report *report)
{
    if (report != NULL) {
        for (uint32_t i = 0; i < report->region_count; ++i) {
            free(report->regions[i].name);
        }
        free(report->regions);
        free(report->index);
        free(report->procs);
        free(report->proc_regions);
        free(report);
    }
}

/* Grows an array to hold one more element; 0 or -ENOMEM. */
static int reserve(void **array, size_t element_size, size_t used, size_t *capacity)
{
    if (used < *capacity) {
        return 0;
    }
    size_t wanted = *capacity == 0 ? 16 : 2 * *capacity;
    void *grown = realloc(*array, wanted * element_size);
    if (grown == NULL) {
        return -ENOMEM;
    }
    *array = grown;
    *capacity = wanted;
    return 0;
}

static uint32_t index_slot(uint64_t hash, uint32_t capacity)
{
    return (uint32_t)((hash * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & (capacity - 1);
}

/* Rebuilds the index at twice the number of regions or more, so that it
 * is never more than half full. */
static int rebuild_index(struct ctl_report *report)
{
    uint32_t capacity = 64;
    while (capacity < 2 * (report->region_count + 1)) {
        capacity *= 2;
    }
    uint32_t *index = calloc(capacity, sizeof(*index));
    if (index == NULL) {
        return -ENOMEM;
    }
    for (uint32_t i = 0; i < report->region_count; ++i) {
        uint32_t at = index_slot(report->regions[i].hash, capacity);
        while (index[at] != 0) {
            at = (at + 1) & (capacity - 1);
        }
        index[at] = i + 1;
    }
    free(report->index);
    report->index = index;
    report->index_capacity = capacity;
    return 0;
}

/* The host region of record's hash, added when new.  Regions are merged by
 * hash, as GEOPM does: the same name under two hints is one region. */
static int host_region_of(struct ctl_report *report, const struct geopm_job_region_record *record,
                          uint32_t *found)
{
    uint64_t hash = geopm_region_id_hash(record->id);
    if (report->index == NULL || 2 * (report->region_count + 1) > report->index_capacity) {
        int err = rebuild_index(report);
        if (err != 0) {
            return err;
        }
    }
    uint32_t at = index_slot(hash, report->index_capacity);
    while (report->index[at] != 0) {
        uint32_t i = report->index[at] - 1;
        if (report->regions[i].hash == hash) {
            *found = i;
            return 0;
        }
        at = (at + 1) & (report->index_capacity - 1);
    }
    size_t capacity = report->region_capacity;
    int err = reserve((void **)&report->regions, sizeof(*report->regions), report->region_count,
                      &capacity);
    if (err != 0) {
        return err;
    }
    report->region_capacity = (uint32_t)capacity;
    struct host_region *region = &report->regions[report->region_count];
    memset(region, 0, sizeof(*region));
    region->hash = hash;
    region->name = strndup(record->name, GEOPM_JOB_NAME_MAX);
    if (region->name == NULL) {
        return -ENOMEM;
    }
    report->index[at] = report->region_count + 1;
    *found = report->region_count++;
    return 0;
}

static int compare_proc_regions(const void *a, const void *b)
{
    const struct proc_region *left = a;
    const struct proc_region *right = b;
    if (left->runtime_ns != right->runtime_ns) {
        return left->runtime_ns > right->runtime_ns ? -1 : 1;
    }
    return left->host_index < right->host_index ? -1 : left->host_index > right->host_index;
}

static int add_regions(struct ctl_report *report, struct proc_entry *proc,
                       const struct geopm_job_region_record *records, uint32_t count)
{
    proc->first_region = report->proc_region_count;
    for (uint32_t r = 0; r < count; ++r) {
        const struct geopm_job_region_record *record = &records[r];
        uint32_t host_index = 0;
        int err = host_region_of(report, record, &host_index);
        if (err != 0) {
            return err;
        }
        struct host_region *host = &report->regions[host_index];
        host->count += (double)record->count;
        host->runtime_ns += (double)record->total_ns;
        for (int hint = 0; hint < GEOPM_NUM_REGION_HINT; ++hint) {
            host->hint_ns[hint] += (double)record->hint_ns[hint];
        }
        proc->region_runtime_ns += (double)record->total_ns;

        struct proc_region *mine = NULL;
        for (uint32_t i = 0; i < proc->region_count; ++i) {
            struct proc_region *seen = &report->proc_regions[proc->first_region + i];
            if (seen->host_index == host_index) {
                mine = seen;
            }
        }
        if (mine == NULL) {
            err = reserve((void **)&report->proc_regions, sizeof(*report->proc_regions),
                          report->proc_region_count, &report->proc_region_capacity);
            if (err != 0) {
                return err;
            }
            mine = &report->proc_regions[report->proc_region_count++];
            memset(mine, 0, sizeof(*mine));
            mine->host_index = host_index;
            ++proc->region_count;
        }
        mine->count += (double)record->count;
        mine->runtime_ns += (double)record->total_ns;
    }
    /* A process without regions may come first, when nothing is allocated
     * yet: qsort must not be given a NULL array, even of no element. */
    if (proc->region_count > 1) {
        qsort(&report->proc_regions[proc->first_region], proc->region_count,
              sizeof(*report->proc_regions), compare_proc_regions);
    }
    return 0;
}

int ctl_report_add(struct ctl_report *report, const struct ctl_report_process *process,
                   const struct geopm_job_region_record *regions, uint32_t count)
{
    size_t capacity = report->proc_capacity;
    int err = reserve((void **)&report->procs, sizeof(*report->procs), report->proc_count,
                      &capacity);
    if (err != 0) {
        return err;
    }
    report->proc_capacity = (uint32_t)capacity;
    struct proc_entry *proc = &report->procs[report->proc_count];
    memset(proc, 0, sizeof(*proc));
    proc->info = *process;
    snprintf(proc->program, sizeof(proc->program), "%s",
             process->program != NULL ? process->program : "");
    snprintf(proc->message, sizeof(proc->message), "%s",
             process->message != NULL ? process->message : "");
    proc->info.program = proc->program;
    proc->info.message = process->message != NULL ? proc->message : NULL;
    proc->first_region = report->proc_region_count;
    if (process->status != CTL_PROC_CORRUPT) {
        err = add_regions(report, proc, regions, count);
        if (err != 0) {
            /* Whatever this process added to the host stays: the report
             * is abandoned on this error anyway. */
            return err;
        }
    }
    ++report->proc_count;
    return 0;
}

static double runtime_ns_of(const struct ctl_report_process *process)
{
    if (process->start_ns == 0 || process->end_ns < process->start_ns) {
        return 0.0;
    }
    return (double)(process->end_ns - process->start_ns);
}

static double epoch_runtime_ns_of(const struct ctl_report_process *process)
{
    if (process->epoch_count == 0 || process->epoch_last_ns < process->epoch_first_ns) {
        return 0.0;
    }
    return (double)(process->epoch_last_ns - process->epoch_first_ns);
}

static double unmarked_ns_of(const struct proc_entry *proc)
{
    /* Time of other threads, in the shared lane, can add up to more than
     * the process's own runtime: unmarked time is then none. */
    double unmarked = runtime_ns_of(&proc->info) - proc->region_runtime_ns;
    return unmarked > 0.0 ? unmarked : 0.0;
}

static void write_fields(FILE *out, int indent, unsigned int section,
                         const struct ctl_report_values *values)
{
    char number[CTL_YAML_NUMBER_MAX];
#define CTL_REPORT_WRITE_FIELD_(key, sections, member)                                   \
    if (((sections) & section) != 0) {                                                    \
        fprintf(out, "%*s%s: %s\n", indent, "", key,                                      \
                ctl_yaml_number(values->member, number, sizeof(number)));                 \
    }
    CTL_REPORT_FIELDS(CTL_REPORT_WRITE_FIELD_)
#undef CTL_REPORT_WRITE_FIELD_
}

/* Processes whose data count in the host's averages: all but corrupt ones. */
static uint32_t counted_processes(const struct ctl_report *report)
{
    uint32_t counted = 0;
    for (uint32_t p = 0; p < report->proc_count; ++p) {
        counted += report->procs[p].info.status != CTL_PROC_CORRUPT;
    }
    return counted;
}

static int compare_host_regions(const void *a, const void *b)
{
    const struct host_region *left = *(const struct host_region *const *)a;
    const struct host_region *right = *(const struct host_region *const *)b;
    if (left->runtime_ns != right->runtime_ns) {
        return left->runtime_ns > right->runtime_ns ? -1 : 1;
    }
    return left->hash < right->hash ? -1 : left->hash > right->hash;
}

static int write_regions(const struct ctl_report *report, const struct ctl_report_header *header,
                         double counted, FILE *out)
{
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers. */
    const struct host_region **sorted = malloc((report->region_count + 1) * sizeof(*sorted));
    if (sorted == NULL) {
        return -ENOMEM;
    }
    uint32_t shown = 0;
    for (uint32_t i = 0; i < report->region_count; ++i) {
        /* As in GEOPM, a region that was never completed is left out. */
        if (report->regions[i].count > 0) {
            sorted[shown++] = &report->regions[i];
        }
    }
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers. */
    qsort(sorted, shown, sizeof(*sorted), compare_host_regions);
    if (shown > 0) {
        fprintf(out, "    Regions:\n");
    }
    for (uint32_t i = 0; i < shown; ++i) {
        const struct host_region *region = sorted[i];
        struct ctl_report_values values = {0};
        values.runtime_s = region->runtime_ns / counted * 1e-9;
        values.count = region->count / counted;
        values.sync_runtime_s = ctl_sync_get(header->sync, region->hash);
        for (int hint = 0; hint < GEOPM_NUM_REGION_HINT; ++hint) {
            values.hint_s[hint] = region->hint_ns[hint] / counted * 1e-9;
        }
        fprintf(out, "    -\n      region: ");
        ctl_yaml_string(out, region->name);
        fprintf(out, "\n      hash: 0x%08llx\n", (unsigned long long)region->hash);
        write_fields(out, 6, CTL_SECTION_REGION, &values);
    }
    free(sorted);
    return 0;
}

static void write_totals(const struct ctl_report *report, const struct ctl_report_header *header,
                         uint32_t counted, FILE *out)
{
    struct ctl_report_values unmarked = {0};
    struct ctl_report_values epoch = {0};
    struct ctl_report_values app = {0};
    for (uint32_t p = 0; p < report->proc_count; ++p) {
        const struct proc_entry *proc = &report->procs[p];
        const struct ctl_report_process *info = &proc->info;
        app.processes += 1;
        app.processes_died += info->status == CTL_PROC_DIED;
        app.processes_corrupt += info->status == CTL_PROC_CORRUPT;
        app.errors += (double)info->error_count;
        app.events += (double)info->events;
        app.events_lost += (double)info->events_dropped;
        if (info->status == CTL_PROC_CORRUPT) {
            continue;
        }
        double unmarked_ns = unmarked_ns_of(proc);
        unmarked.runtime_s += unmarked_ns;
        epoch.count += (double)info->epoch_count;
        epoch.runtime_s += epoch_runtime_ns_of(info);
        app.runtime_s += runtime_ns_of(info);
        app.overhead_s += (double)info->overhead_ns;
        /* Outside every region the hint is unset: with it, the hint times
         * add up to the runtime. */
        app.hint_s[GEOPM_REGION_HINT_UNSET] += unmarked_ns;
    }
    for (uint32_t i = 0; i < report->region_count; ++i) {
        for (int hint = 0; hint < GEOPM_NUM_REGION_HINT; ++hint) {
            app.hint_s[hint] += report->regions[i].hint_ns[hint];
        }
    }
    double divisor = counted > 0 ? (double)counted : 1.0;
    unmarked.runtime_s *= 1e-9 / divisor;
    /* Outside every region the writer publishes the unset hint. */
    unmarked.hint_s[GEOPM_REGION_HINT_UNSET] = unmarked.runtime_s;
    unmarked.sync_runtime_s = ctl_sync_get(header->sync, GEOPM_REGION_HASH_UNMARKED);
    epoch.count /= divisor;
    epoch.runtime_s *= 1e-9 / divisor;
    epoch.sync_runtime_s = epoch.runtime_s;
    app.runtime_s *= 1e-9 / divisor;
    app.overhead_s *= 1e-9 / divisor;
    for (int hint = 0; hint < GEOPM_NUM_REGION_HINT; ++hint) {
        app.hint_s[hint] *= 1e-9 / divisor;
    }
    app.sync_runtime_s = header->app_sync_s;
    app.memory_hwm_b = (double)header->memory_hwm_b;
    app.network_bw = 0.0; /* one host: nothing is sent */

    /* As in GEOPM, a host without application data has only its totals. */
    if (counted > 0) {
        fprintf(out, "    Unmarked Totals:\n");
        write_fields(out, 6, CTL_SECTION_UNMARKED, &unmarked);
        fprintf(out, "    Epoch Totals:\n");
        write_fields(out, 6, CTL_SECTION_EPOCH, &epoch);
    }
    fprintf(out, "    Application Totals:\n");
    write_fields(out, 6, CTL_SECTION_APP, &app);
}

static int compare_procs(const void *a, const void *b)
{
    const struct proc_entry *left = *(const struct proc_entry *const *)a;
    const struct proc_entry *right = *(const struct proc_entry *const *)b;
    if (left->info.rank != right->info.rank) {
        return left->info.rank < right->info.rank ? -1 : 1;
    }
    return left->info.pid < right->info.pid ? -1 : left->info.pid > right->info.pid;
}

static void write_process(const struct ctl_report *report, const struct proc_entry *proc,
                          FILE *out)
{
    const struct ctl_report_process *info = &proc->info;
    fprintf(out, "    -\n      pid: %ld\n      rank: %ld\n      program: ", (long)info->pid,
            (long)info->rank);
    ctl_yaml_string(out, proc->program);
    fprintf(out, "\n      status: %s\n", ctl_proc_status_name(info->status));
    if (info->message != NULL) {
        fprintf(out, "      message: ");
        ctl_yaml_string(out, info->message);
        fputc('\n', out);
    }
    struct ctl_report_values values = {0};
    values.runtime_s = runtime_ns_of(info) * 1e-9;
    values.epoch_count = (double)info->epoch_count;
    values.epoch_runtime_s = epoch_runtime_ns_of(info) * 1e-9;
    values.overhead_s = (double)info->overhead_ns * 1e-9;
    values.errors = (double)info->error_count;
    values.events = (double)info->events;
    values.events_lost = (double)info->events_dropped;
    write_fields(out, 6, CTL_SECTION_PROCESS, &values);
    /* A region named but never visited outermost (an MPI function called
     * only inside the application's regions) is left out, as in the
     * host's list. */
    uint32_t visited = 0;
    for (uint32_t i = 0; i < proc->region_count; ++i) {
        visited += report->proc_regions[proc->first_region + i].count != 0;
    }
    if (visited == 0) {
        fprintf(out, "      Regions: []\n");
        return;
    }
    fprintf(out, "      Regions:\n");
    for (uint32_t i = 0; i < proc->region_count; ++i) {
        const struct proc_region *mine = &report->proc_regions[proc->first_region + i];
        const struct host_region *host = &report->regions[mine->host_index];
        if (mine->count == 0) {
            continue;
        }
        struct ctl_report_values region_values = {0};
        region_values.runtime_s = mine->runtime_ns * 1e-9;
        region_values.count = mine->count;
        fprintf(out, "      -\n        region: ");
        ctl_yaml_string(out, host->name);
        fprintf(out, "\n        hash: 0x%08llx\n", (unsigned long long)host->hash);
        write_fields(out, 8, CTL_SECTION_PROCESS_REGION, &region_values);
    }
}

static int write_processes(const struct ctl_report *report, FILE *out)
{
    if (report->proc_count == 0) {
        return 0;
    }
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers. */
    const struct proc_entry **sorted = malloc(report->proc_count * sizeof(*sorted));
    if (sorted == NULL) {
        return -ENOMEM;
    }
    for (uint32_t p = 0; p < report->proc_count; ++p) {
        sorted[p] = &report->procs[p];
    }
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers. */
    qsort(sorted, report->proc_count, sizeof(*sorted), compare_procs);
    fprintf(out, "    Processes:\n");
    for (uint32_t p = 0; p < report->proc_count; ++p) {
        write_process(report, sorted[p], out);
    }
    free(sorted);
    return 0;
}

int ctl_report_write(const struct ctl_report *report, const struct ctl_report_header *header,
                     FILE *out)
{
    fprintf(out, "GEOPM Version: ");
    ctl_yaml_string(out, header->version);
    fprintf(out, "\nStart Time: ");
    ctl_yaml_string(out, header->start_time);
    fprintf(out, "\nProfile: ");
    ctl_yaml_string(out, header->profile);
    fprintf(out, "\nAgent: ");
    ctl_yaml_string(out, header->agent);
    /* GEOPM's policy of the monitor agent: none, an empty mapping. */
    fprintf(out, "\nPolicy: {}\n\nHosts:\n  ");
    ctl_yaml_string(out, header->host);
    fprintf(out, ":\n");

    uint32_t counted = counted_processes(report);
    int err = 0;
    if (counted > 0) {
        err = write_regions(report, header, (double)counted, out);
    }
    if (err == 0) {
        write_totals(report, header, counted, out);
        err = write_processes(report, out);
    }
    fputc('\n', out);
    if (err == 0 && ferror(out)) {
        err = -EIO;
    }
    return err;
}
