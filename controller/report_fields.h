/* The numeric fields of the report: one list, from which the values
 * structure, the writer and the tests' expectations all follow. */
#ifndef CTL_REPORT_FIELDS_H_INCLUDE
#define CTL_REPORT_FIELDS_H_INCLUDE

#include <assert.h>

#include "geopm_hint.h"

/* The sections of the report a field is written in. */
#define CTL_SECTION_REGION 0x01u         /* Hosts: host: Regions: - */
#define CTL_SECTION_UNMARKED 0x02u       /* Unmarked Totals: */
#define CTL_SECTION_EPOCH 0x04u          /* Epoch Totals: */
#define CTL_SECTION_APP 0x08u            /* Application Totals: */
#define CTL_SECTION_PROCESS 0x10u        /* Processes: - */
#define CTL_SECTION_PROCESS_REGION 0x20u /* Processes: - Regions: - */

#define CTL_SECTION_TOTALS (CTL_SECTION_REGION | CTL_SECTION_UNMARKED | CTL_SECTION_EPOCH | \
                            CTL_SECTION_APP)
/* Not the epoch: the slots do not say under which hints the time after the
 * first epoch went, and GEOPM too leaves out a field it has no value for. */
#define CTL_SECTION_HINTED (CTL_SECTION_REGION | CTL_SECTION_UNMARKED | CTL_SECTION_APP)
#define CTL_SECTION_COUNTERS (CTL_SECTION_APP | CTL_SECTION_PROCESS)

/*
 * The hints in GEOPM's order of its time-hint-* fields, with GEOPM's names;
 * GEOPM leaves out inactive, which comes last here.
 * H(X, hint, name): X is passed through for CTL_REPORT_FIELDS.
 */
#define CTL_REPORT_HINTS(H, X)    \
    H(X, NETWORK, "network")      \
    H(X, IGNORE, "ignore")        \
    H(X, COMPUTE, "compute")      \
    H(X, MEMORY, "memory")        \
    H(X, IO, "io")                \
    H(X, SERIAL, "serial")        \
    H(X, PARALLEL, "parallel")    \
    H(X, UNKNOWN, "unknown")      \
    H(X, UNSET, "unset")          \
    H(X, SPIN, "spin")            \
    H(X, INACTIVE, "inactive")

#define CTL_REPORT_HINT_FIELD_(X, hint, name) \
    X("time-hint-" name " (s)", CTL_SECTION_HINTED, hint_s[GEOPM_REGION_HINT_##hint])

/*
 * X(key, sections, member of struct ctl_report_values), in the order they
 * are written.  GEOPM's keys come first, with GEOPM's meaning where the
 * data allow it (see geopmctl(1)); the counters after them are this
 * controller's own.
 */
#define CTL_REPORT_FIELDS(X)                                                        \
    X("runtime (s)", CTL_SECTION_TOTALS | CTL_SECTION_PROCESS |                     \
                         CTL_SECTION_PROCESS_REGION, runtime_s)                     \
    X("count", CTL_SECTION_TOTALS | CTL_SECTION_PROCESS_REGION, count)              \
    X("sync-runtime (s)", CTL_SECTION_TOTALS, sync_runtime_s)                       \
    CTL_REPORT_HINTS(CTL_REPORT_HINT_FIELD_, X)                                     \
    X("epoch count", CTL_SECTION_PROCESS, epoch_count)                              \
    X("epoch runtime (s)", CTL_SECTION_PROCESS, epoch_runtime_s)                    \
    X("GEOPM overhead (s)", CTL_SECTION_COUNTERS, overhead_s)                       \
    X("geopmctl memory HWM (B)", CTL_SECTION_APP, memory_hwm_b)                     \
    X("geopmctl network BW (B/s)", CTL_SECTION_APP, network_bw)                     \
    X("processes", CTL_SECTION_APP, processes)                                      \
    X("processes died", CTL_SECTION_APP, processes_died)                            \
    X("processes corrupt", CTL_SECTION_APP, processes_corrupt)                      \
    X("errors", CTL_SECTION_COUNTERS, errors)                                       \
    X("trace events", CTL_SECTION_COUNTERS, events)                                 \
    X("trace events lost", CTL_SECTION_COUNTERS, events_lost)

/* Every value of one section; a section uses the members its fields name. */
struct ctl_report_values {
    double runtime_s;
    double count;
    double sync_runtime_s;
    double hint_s[GEOPM_NUM_REGION_HINT];
    double epoch_count;
    double epoch_runtime_s;
    double overhead_s;
    double memory_hwm_b;
    double network_bw;
    double processes;
    double processes_died;
    double processes_corrupt;
    double errors;
    double events;
    double events_lost;
};

/* NOLINTNEXTLINE(bugprone-macro-parentheses): a term of the sum below. */
#define CTL_REPORT_COUNT_HINT_(X, hint, name) +1
static_assert(0 CTL_REPORT_HINTS(CTL_REPORT_COUNT_HINT_, ~) == GEOPM_NUM_REGION_HINT,
              "the report names every hint of geopm_hint.h");
#undef CTL_REPORT_COUNT_HINT_

#endif
