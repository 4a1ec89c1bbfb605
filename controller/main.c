#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geopm_error.h"
#include "geopm_shm.h"
#include "host_info.h"
#include "job.h"
#include "monitor.h"
#include "options.h"
#include "output_file.h"
#include "report.h"
#include "segment.h"
#include "trace.h"

#define CTL_AGENT "monitor"

/* The signal that asked the controller to stop, 0 until one did. */
static volatile sig_atomic_t g_stop;

static void on_stop_signal(int signo)
{
    g_stop = signo;
}

/* Without SA_RESTART, so that the sleep between samples ends at once. */
static void install_signals(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    /* A closed standard error must not kill the controller before it has
     * written its report and removed its segment. */
    (void)signal(SIGPIPE, SIG_IGN);
}

/* What the whole run knows about itself, for the report and trace. */
struct run {
    struct ctl_options options;
    char host[CTL_HOST_NAME_MAX + 1];
    char start_time[64];
    uint64_t start_ns;
    struct geopm_job *job;
    struct ctl_trace *trace;
    struct ctl_monitor monitor;
    bool monitor_ready;
};

/* The foreground process returns as soon as the segment is ready, so that
 * a launcher can start the ranks; the child serves the job.  The segment
 * names its controller: the parent waits until the child has put its own
 * pid there, or another controller starting meanwhile would take the
 * segment of an exited pid for stale and remove it.  _exit: the parent must
 * not flush the trace's buffer that the child also holds. */
static int daemonize(struct geopm_job *job)
{
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) {
        return -errno;
    }
    pid_t child = fork();
    if (child < 0) {
        int err = -errno;
        close(ready[0]);
        close(ready[1]);
        return err;
    }
    if (child > 0) {
        char byte;
        close(ready[1]);
        ssize_t got = read(ready[0], &byte, 1);
        _exit(got == 1 ? 0 : 1);
    }
    close(ready[0]);
    geopm__job_set_controller(job);
    if (write(ready[1], "r", 1) != 1) {
        close(ready[1]);
        return -EIO;
    }
    close(ready[1]);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        close(null);
    }
    return 0;
}

static int write_report(struct run *run, uint64_t end_ns)
{
    char msg[1024];
    struct ctl_report *report = NULL;
    int err = ctl_report_create(&report);
    if (err == 0 && run->monitor_ready) {
        err = ctl_monitor_collect(&run->monitor, end_ns, report);
    }
    if (err != 0) {
        fprintf(stderr, "geopmctl: report: %s\n", strerror(-err));
        ctl_report_destroy(report);
        return err;
    }
    if (run->options.report == NULL) {
        ctl_report_destroy(report);
        return 0;
    }
    struct ctl_report_header header = {
        .version = PACKAGE_VERSION,
        .start_time = run->start_time,
        .profile = run->options.profile,
        .agent = CTL_AGENT,
        .host = run->host,
        .memory_hwm_b = ctl_memory_hwm(),
        .app_sync_s = run->monitor_ready ? (double)run->monitor.app_sync_ns * 1e-9 : 0.0,
        .sync = run->monitor_ready ? &run->monitor.sync : NULL,
    };
    struct ctl_output output;
    err = ctl_output_begin(run->options.report, &output, msg, sizeof(msg));
    if (err == 0) {
        err = ctl_report_write(report, &header, output.file);
        if (err != 0) {
            snprintf(msg, sizeof(msg), "\"%.900s\": %s", output.temp, strerror(-err));
            ctl_output_abort(&output);
        }
        else {
            err = ctl_output_commit(&output, msg, sizeof(msg));
        }
    }
    if (err != 0) {
        fprintf(stderr, "geopmctl: report: %s\n", msg);
    }
    else if (run->options.verbose) {
        fprintf(stderr, "geopmctl: report written to \"%s\"\n", run->options.report);
    }
    ctl_report_destroy(report);
    return err;
}

/* Everything that needs the segment to exist; the caller removes it. */
static int serve(struct run *run, enum ctl_end *end)
{
    const struct ctl_options *options = &run->options;
    if (options->trace != NULL) {
        char msg[1024];
        struct ctl_trace_header header = {PACKAGE_VERSION, run->start_time, options->profile,
                                          run->host, CTL_AGENT};
        int err = ctl_trace_open(&run->trace, options->trace, &header, msg, sizeof(msg));
        if (err != 0) {
            fprintf(stderr, "geopmctl: trace: %s\n", msg);
            return err;
        }
    }
    struct ctl_monitor_config config = {options->period, options->timeout, options->num_proc,
                                        options->verbose, run->trace};
    int err = ctl_monitor_init(&run->monitor, run->job, &config, run->start_ns);
    if (err != 0) {
        fprintf(stderr, "geopmctl: %s\n", strerror(-err));
        return err;
    }
    run->monitor_ready = true;
    if (options->verbose) {
        fprintf(stderr, "geopmctl: segment \"%s\" ready with %u slots\n", options->key,
                run->job->slot_count);
    }
    if (options->ready_line) {
        /* One line per node: a launcher counts them to know that every
         * controller is ready before it starts the ranks. */
        printf("geopmctl ready %s\n", run->host);
    }
    if (options->daemon) {
        /* Flushed now, or the child's copy of the buffer would be written
         * twice: once by each process. */
        (void)fflush(NULL);
        err = daemonize(run->job);
        if (err != 0) {
            fprintf(stderr, "geopmctl: cannot go to the background: %s\n", strerror(-err));
            return err;
        }
    }
    (void)fflush(stdout);
    *end = ctl_monitor_run(&run->monitor, &g_stop);
    return 0;
}

/* A damaged segment (its user truncated or grew it) makes the report
 * incomplete: the run is a failure even though it ended normally. */
static int exit_status(const struct run *run, enum ctl_end end, int err)
{
    if (end == CTL_END_SIGNAL && g_stop != 0) {
        return 128 + g_stop;
    }
    bool damaged = run->monitor_ready && run->monitor.damaged;
    return err != 0 || damaged || end == CTL_END_NO_RANK || end == CTL_END_MISSING ? 1 : 0;
}

static void warn_end(const struct run *run, enum ctl_end end)
{
    if (end == CTL_END_NO_RANK) {
        fprintf(stderr, "geopmctl: warning: no rank attached to \"%s\" within %u s\n",
                run->options.key, run->options.timeout);
    }
    else if (end == CTL_END_MISSING) {
        fprintf(stderr,
                "geopmctl: warning: %u of the %u ranks expected attached to \"%s\"; the others "
                "did not come within %u s\n",
                run->monitor.served, run->options.num_proc, run->options.key,
                run->options.timeout);
    }
    else if (end == CTL_END_SIGNAL && run->options.verbose) {
        fprintf(stderr, "geopmctl: stopped by signal %d\n", (int)g_stop);
    }
}

int main(int argc, char **argv)
{
    static struct run run;
    char msg[1024];
    int err = ctl_options_parse(argc, argv, &run.options, msg, sizeof(msg));
    if (err != 0) {
        fprintf(stderr, "geopmctl: %s\nTry 'geopmctl --help' for more information.\n", msg);
        return CTL_EXIT_USAGE;
    }
    if (run.options.action == CTL_ACTION_HELP) {
        ctl_options_help(stdout, "geopmctl");
        return 0;
    }
    if (run.options.action == CTL_ACTION_VERSION) {
        printf("geopmctl (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
        return 0;
    }
    install_signals();
    run.start_ns = ctl_now_ns();
    ctl_time_string(run.start_time, sizeof(run.start_time));
    ctl_host_name(run.host, sizeof(run.host));
    /* A report that could never be written is refused before the job
     * starts, not found out at its end. */
    if (run.options.report != NULL &&
        ctl_output_check(run.options.report, msg, sizeof(msg)) != 0) {
        fprintf(stderr, "geopmctl: report: %s\n", msg);
        return 1;
    }
    err = ctl_segment_create(&run.options, &run.job, msg, sizeof(msg));
    if (err != 0) {
        fprintf(stderr, "geopmctl: %s\n", msg);
        return 1;
    }
    enum ctl_end end = CTL_END_SIGNAL;
    err = serve(&run, &end);
    /* The segment goes first: nothing below needs its name, only its
     * mapping, and a failure below must not leave it behind. */
    geopm_shm_unlink(run.job->shm);
    uint64_t end_ns = ctl_now_ns();
    if (run.trace != NULL && ctl_trace_close(run.trace, msg, sizeof(msg)) != 0) {
        fprintf(stderr, "geopmctl: %s\n", msg);
        err = err != 0 ? err : -EIO;
    }
    if (run.monitor_ready) {
        warn_end(&run, end);
        int report_err = write_report(&run, end_ns);
        err = err != 0 ? err : report_err;
        ctl_monitor_fini(&run.monitor);
    }
    geopm__job_destroy(run.job, false);
    return exit_status(&run, end, err);
}
