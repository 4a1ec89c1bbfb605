#include <config.h>

#include "trace.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output_file.h"

struct ctl_trace {
    FILE *file;
    char *buffer;
    int error; /* the first write error, as -errno */
    char path[PATH_MAX];
};

/* Header values are one line each: a line break in a profile name would
 * start a row.  GEOPM removes them too. */
static void write_header_line(FILE *file, const char *name, const char *value)
{
    fprintf(file, "# %s: ", name);
    for (const char *at = value != NULL ? value : ""; *at != '\0'; ++at) {
        if (*at != '\n' && *at != '\r') {
            fputc(*at, file);
        }
    }
    fputc('\n', file);
}

int ctl_trace_open(struct ctl_trace **trace_out, const char *prefix,
                   const struct ctl_trace_header *header, char *msg, size_t msg_size)
{
    struct ctl_trace *trace = calloc(1, sizeof(*trace));
    if (trace == NULL) {
        snprintf(msg, msg_size, "trace: out of memory");
        return -ENOMEM;
    }
    if (snprintf(trace->path, sizeof(trace->path), "%s-%s", prefix, header->host) >=
        (int)sizeof(trace->path)) {
        snprintf(msg, msg_size, "trace \"%.200s-%s\": name too long", prefix, header->host);
        free(trace);
        return -ENAMETOOLONG;
    }
    int err = ctl_output_open(trace->path, &trace->file, msg, msg_size);
    if (err != 0) {
        free(trace);
        return err;
    }
    /* A buffer of our own size: stdio's default would reach the disk
     * every few kilobytes, that is every few dozen samples. */
    trace->buffer = malloc(CTL_TRACE_BUFFER_SIZE);
    if (trace->buffer != NULL) {
        /* Without it the trace is only written more often. */
        (void)setvbuf(trace->file, trace->buffer, _IOFBF, CTL_TRACE_BUFFER_SIZE);
    }
    write_header_line(trace->file, "geopm_version", header->version);
    write_header_line(trace->file, "start_time", header->start_time);
    write_header_line(trace->file, "profile_name", header->profile);
    write_header_line(trace->file, "node_name", header->host);
    write_header_line(trace->file, "agent", header->agent);
    fputs("TIME|EPOCH_COUNT|REGION_HASH|REGION_HINT|REGION_PROGRESS\n", trace->file);
    *trace_out = trace;
    return 0;
}

void ctl_trace_row(struct ctl_trace *trace, const struct ctl_trace_row *row)
{
    if (trace == NULL || trace->error != 0) {
        return;
    }
    /* GEOPM's formats: double %.16g, integer, hex 0x%08x, float %g. */
    if (fprintf(trace->file, "%.16g|%llu|0x%08llx|0x%08llx|%g\n", row->time_s,
                (unsigned long long)row->epoch_count, (unsigned long long)row->hash,
                (unsigned long long)row->hint, row->progress) < 0) {
        trace->error = errno != 0 ? -errno : -EIO;
    }
}

int ctl_trace_close(struct ctl_trace *trace, char *msg, size_t msg_size)
{
    if (trace == NULL) {
        return 0;
    }
    int err = trace->error;
    if (fclose(trace->file) != 0 && err == 0) {
        err = errno != 0 ? -errno : -EIO;
    }
    if (err != 0) {
        snprintf(msg, msg_size, "trace \"%s\": %s", trace->path, strerror(-err));
    }
    free(trace->buffer);
    free(trace);
    return err;
}
