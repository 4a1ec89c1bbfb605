/* The trace: GEOPM's per-host '|'-separated table, one row per sample. */
#ifndef CTL_TRACE_H_INCLUDE
#define CTL_TRACE_H_INCLUDE

#include <stddef.h>
#include <stdint.h>

/* Rows are kept in memory up to this size, so that sampling seldom waits
 * for the disk. */
#define CTL_TRACE_BUFFER_SIZE (1u << 20)

struct ctl_trace;

/* What the header lines say. */
struct ctl_trace_header {
    const char *version;
    const char *start_time;
    const char *profile;
    const char *host;
    const char *agent;
};

/* One row: the node as a whole, as GEOPM's board-level signals are. */
struct ctl_trace_row {
    double time_s;        /* since the controller started */
    uint64_t epoch_count; /* least over the active ranks */
    uint64_t hash;        /* common region of the ranks, or UNMARKED */
    uint64_t hint;        /* common hint, or UNKNOWN */
    double progress;      /* least over the active ranks */
};

/* Opens <prefix>-<host> (GEOPM's name for a host's trace) and writes the
 * header.  Returns 0, or a negative code with a message naming the file. */
int ctl_trace_open(struct ctl_trace **trace, const char *prefix,
                   const struct ctl_trace_header *header, char *msg, size_t msg_size);

/* Appends a row.  After a write error the trace stops, and ctl_trace_close
 * reports it. */
void ctl_trace_row(struct ctl_trace *trace, const struct ctl_trace_row *row);

/* Flushes and closes; returns 0, or a negative code with a message if any
 * write failed.  NULL is ignored. */
int ctl_trace_close(struct ctl_trace *trace, char *msg, size_t msg_size);

#endif
