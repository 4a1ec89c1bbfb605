/* Job segments made on purpose for the security tests, and attaches to
 * them through the job API.
 *
 * Usage:
 *   sec_segment layout
 *       prints the job layout version and the slot size this runtime uses.
 *   sec_segment hold KEY [--uid UID] [--mode OCTAL] [--layout-version V]
 *                        [--slot-size BYTES]
 *       creates a published job segment with 2 slots at KEY as a controller
 *       would (given to UID and its group UID when --uid is set), then
 *       rewrites what the options name, prints "ready" and keeps it until
 *       SIGTERM or SIGINT, when it removes it.  Holding it, rather than
 *       leaving a file behind, keeps its controller alive: a geopmctl that
 *       starts meanwhile must not take it for a dead job's segment.
 *   sec_segment attach KEY
 *       attaches with geopm__job_attach (one try) and prints the result and
 *       geopm_error_message().  Exit status 0 when refused, 3 when attached.
 * Exit status 2 on bad usage, 1 when the segment cannot be made. */
#include <config.h>

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "geopm_error.h"
#include "geopm_shm.h"
#include "job.h"

struct hold_options {
    long uid;
    long mode;
    long layout_version;
    long slot_size;
};

static int usage(void)
{
    fprintf(stderr, "usage: sec_segment layout | attach KEY | hold KEY [--uid UID] "
                    "[--mode OCTAL] [--layout-version V] [--slot-size BYTES]\n");
    return 2;
}

/* A whole number in base from min to max; false for anything else. */
static bool parse_number(const char *text, int base, long min, long max, long *value)
{
    char *end = NULL;
    long parsed = strtol(text, &end, base);
    if (*text == '\0' || *end != '\0' || parsed < min || parsed > max) {
        fprintf(stderr, "sec_segment: bad value \"%s\"\n", text);
        return false;
    }
    *value = parsed;
    return true;
}

static bool parse_hold_options(int argc, char **argv, struct hold_options *options)
{
    static const struct option table[] = {{"uid", required_argument, NULL, 'u'},
                                           {"mode", required_argument, NULL, 'm'},
                                           {"layout-version", required_argument, NULL, 'l'},
                                           {"slot-size", required_argument, NULL, 's'},
                                           {NULL, 0, NULL, 0}};
    *options = (struct hold_options){-1, -1, -1, -1};
    int c;
    bool ok = true;
    while (ok && (c = getopt_long(argc, argv, "", table, NULL)) != -1) {
        switch (c) {
        case 'u':
            ok = parse_number(optarg, 10, 0, 0x7fffffff, &options->uid);
            break;
        case 'm':
            ok = parse_number(optarg, 8, 0, 07777, &options->mode);
            break;
        case 'l':
            ok = parse_number(optarg, 10, 0, 0xffffffffL, &options->layout_version);
            break;
        case 's':
            ok = parse_number(optarg, 10, 0, 0xffffffffL, &options->slot_size);
            break;
        default:
            ok = false;
        }
    }
    return ok && optind == argc;
}

static void print_error(const char *what, int err)
{
    char message[1024];
    geopm_error_message(err, message, sizeof(message));
    printf("%s: %d: %s\n", what, err, message);
}

/* The header is rewritten before anyone is told the segment is ready: no
 * reader ever sees the true one. */
static int hold(const char *key, const struct hold_options *options)
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    struct geopm_job *job = NULL;
    int err = geopm__job_create(key, 2, options->uid, options->uid, &job);
    if (err != 0) {
        print_error("create", err);
        return 1;
    }
    if (options->layout_version >= 0) {
        job->header->layout_version = (uint32_t)options->layout_version;
    }
    if (options->slot_size >= 0) {
        job->header->slot_size = (uint32_t)options->slot_size;
    }
    if (options->mode >= 0) {
        char path[GEOPM_SHM_KEY_MAX + 16];
        snprintf(path, sizeof(path), "/dev/shm%s", key);
        if (chmod(path, (mode_t)options->mode) != 0) {
            perror("sec_segment: chmod");
            geopm__job_destroy(job, true);
            return 1;
        }
    }
    printf("ready\n");
    fflush(stdout);
    int signal_number = 0;
    sigwait(&stop, &signal_number);
    geopm__job_destroy(job, true);
    return 0;
}

static int attach(const char *key)
{
    struct geopm_job *job = NULL;
    int err = geopm__job_attach(key, 0, &job);
    if (err == 0) {
        printf("attached to \"%s\"\n", key);
        geopm__job_destroy(job, false);
        return 3;
    }
    print_error("refused", err);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "layout") == 0) {
        printf("%u %zu\n", GEOPM_JOB_LAYOUT_VERSION, sizeof(struct geopm_job_slot));
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "attach") == 0) {
        return attach(argv[2]);
    }
    if (argc >= 3 && strcmp(argv[1], "hold") == 0) {
        struct hold_options options;
        /* getopt_long starts after "hold KEY". */
        optind = 3;
        if (!parse_hold_options(argc, argv, &options)) {
            return usage();
        }
        return hold(argv[2], &options);
    }
    return usage();
}
