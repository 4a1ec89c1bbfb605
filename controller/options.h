/* The settings of geopmctl: one table of options, from which the getopt
 * table, the environment variables and the help text all follow. */
#ifndef CTL_OPTIONS_H_INCLUDE
#define CTL_OPTIONS_H_INCLUDE

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "geopm_shm.h"

#define CTL_PERIOD_DEFAULT 0.005
#define CTL_PERIOD_MIN 1e-5
#define CTL_PERIOD_MAX 60.0
#define CTL_TIMEOUT_DEFAULT 5u
#define CTL_TIMEOUT_MAX 86400u
#define CTL_NUM_PROC_MAX 65536u
#define CTL_PROFILE_DEFAULT "default"

/*
 * X(id, long name, short name or 0, takes a value, environment variable or
 *   NULL, value name for the help, help text)
 */
#define CTL_OPTION_LIST(X)                                                                 \
    X(KEY, "key", 0, true, "GEOPM_SHMKEY", "KEY",                                          \
      "shared memory key of the job segment (default /geopm-shm-<uid>, the uid of the "    \
      "job's user)")                                                                       \
    X(REPORT, "report", 0, true, "GEOPM_REPORT", "PATH",                                   \
      "write the report to PATH at the end of the job (default: no report)")               \
    X(TRACE, "trace", 0, true, "GEOPM_TRACE", "PATH",                                      \
      "write the trace to PATH-<hostname> while the job runs (default: no trace)")         \
    X(PERIOD, "period", 0, true, "GEOPM_PERIOD", "SECONDS",                                \
      "sampling period in seconds (default 0.005)")                                        \
    X(TIMEOUT, "timeout", 0, true, "GEOPM_TIMEOUT", "SECONDS",                             \
      "whole seconds to wait for the first rank, and for missing ranks (default 5)")      \
    X(NUM_PROC, "num-proc", 0, true, "GEOPM_NUM_PROC", "N",                                \
      "ranks expected on this node; also the number of slots (default: wait until the "   \
      "ranks that came are done)")                                                        \
    X(PROFILE, "profile", 0, true, "GEOPM_PROFILE", "NAME",                                \
      "profile name written in the report and trace (default \"default\")")               \
    X(USER, "user", 0, true, "GEOPM_USER", "USER",                                         \
      "name or uid of the job's user; as root, the segment is given to that user and "    \
      "its primary group")                                                                 \
    X(DAEMON, "daemon", 0, false, NULL, NULL,                                              \
      "go to the background once the segment is ready; the foreground process exits 0")   \
    X(READY_LINE, "ready-line", 0, false, NULL, NULL,                                      \
      "once the segment is ready, print \"geopmctl ready <host>\" on standard output (for "  \
      "launchers that start one geopmctl per node)")                                       \
    X(VERBOSE, "verbose", 'v', false, NULL, NULL, "say what is done, on standard error")   \
    X(HELP, "help", 'h', false, NULL, NULL, "print this help and exit")                    \
    X(VERSION, "version", 'V', false, NULL, NULL, "print the version and exit")

enum ctl_option_id {
#define CTL_OPTION_ENUM_(id, name, short_name, has_value, env, value_name, help) CTL_OPTION_##id,
    CTL_OPTION_LIST(CTL_OPTION_ENUM_)
#undef CTL_OPTION_ENUM_
        CTL_OPTION_COUNT
};

enum ctl_action { CTL_ACTION_RUN, CTL_ACTION_HELP, CTL_ACTION_VERSION };

struct ctl_options {
    enum ctl_action action;
    char key[GEOPM_SHM_KEY_MAX + 1];
    const char *report;  /* NULL: no report */
    const char *trace;   /* NULL: no trace */
    double period;       /* seconds */
    unsigned int timeout; /* seconds */
    uint32_t num_proc;    /* 0: not given */
    const char *profile;
    /* The job's user: given with --user, else the caller. */
    bool user_given;
    uid_t uid;
    gid_t gid;
    bool daemon;
    bool ready_line;
    bool verbose;
};

/* Exit status for refused options and variables. */
#define CTL_EXIT_USAGE 2

/*
 * Reads the environment, then the command line, which overrides it, into
 * options.  Strings point into argv or the environment.  Returns 0, or
 * GEOPM_ERROR_INVALID (a bad option) or GEOPM_ERROR_ENVIRONMENT (a bad
 * variable) with a message in msg that names the option or variable and
 * the value.
 */
int ctl_options_parse(int argc, char **argv, struct ctl_options *options, char *msg,
                      size_t msg_size);

/* Writes the usage text, generated from the option table. */
void ctl_options_help(FILE *out, const char *program);

#endif
