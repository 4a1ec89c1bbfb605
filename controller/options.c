#include <config.h>

#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geopm_error.h"
#include "shm_key.h"

struct option_info {
    const char *name;
    int short_name;
    bool has_value;
    const char *env;
    const char *value_name;
    const char *help;
};

static const struct option_info g_info[CTL_OPTION_COUNT] = {
#define CTL_OPTION_INFO_(id, name, short_name, has_value, env, value_name, help) \
    {name, short_name, has_value, env, value_name, help},
    CTL_OPTION_LIST(CTL_OPTION_INFO_)
#undef CTL_OPTION_INFO_
};

/* getopt_long returns this plus the option's index for options without a
 * short name: above any character, so the two never meet. */
#define LONG_ONLY_BASE 256

/* Where a value came from, to name it in a message. */
struct source {
    const char *text;
    bool from_env;
    int id;
};

static int refuse(const struct source *src, char *msg, size_t msg_size, const char *problem)
{
    const struct option_info *info = &g_info[src->id];
    if (src->from_env) {
        snprintf(msg, msg_size, "%s=\"%.200s\": %s", info->env, src->text, problem);
        return GEOPM_ERROR_ENVIRONMENT;
    }
    snprintf(msg, msg_size, "--%s \"%.200s\": %s", info->name, src->text, problem);
    return GEOPM_ERROR_INVALID;
}

/* A whole decimal number from min to max, nothing before or after it. */
static int parse_unsigned(const struct source *src, unsigned long min, unsigned long max,
                          unsigned long *value, char *msg, size_t msg_size)
{
    const char *text = src->text;
    char *end = NULL;
    if (text[0] < '0' || text[0] > '9') {
        /* strtoul would accept a sign, and wrap "-1" around. */
        return refuse(src, msg, msg_size, "not a whole number");
    }
    errno = 0;
    unsigned long parsed = strtoul(text, &end, 10);
    if (*end != '\0') {
        return refuse(src, msg, msg_size, "not a whole number");
    }
    if (errno == ERANGE || parsed < min || parsed > max) {
        char problem[96];
        snprintf(problem, sizeof(problem), "out of range (%lu to %lu)", min, max);
        return refuse(src, msg, msg_size, problem);
    }
    *value = parsed;
    return 0;
}

static int parse_period(const struct source *src, double *value, char *msg, size_t msg_size)
{
    char *end = NULL;
    errno = 0;
    double parsed = strtod(src->text, &end);
    if (end == src->text || *end != '\0' || isspace((unsigned char)src->text[0])) {
        return refuse(src, msg, msg_size, "not a number of seconds");
    }
    if (errno == ERANGE || !isfinite(parsed) || parsed < CTL_PERIOD_MIN ||
        parsed > CTL_PERIOD_MAX) {
        char problem[96];
        snprintf(problem, sizeof(problem), "out of range (%g to %g seconds)", CTL_PERIOD_MIN,
                 CTL_PERIOD_MAX);
        return refuse(src, msg, msg_size, problem);
    }
    *value = parsed;
    return 0;
}

/* A user name, or a uid that has an entry (its primary group is needed). */
static int parse_user(const struct source *src, struct ctl_options *options, char *msg,
                      size_t msg_size)
{
    struct passwd *entry = getpwnam(src->text);
    if (entry == NULL && src->text[0] >= '0' && src->text[0] <= '9') {
        unsigned long uid = 0;
        int err = parse_unsigned(src, 0, UINT_MAX - 1, &uid, msg, msg_size);
        if (err != 0) {
            return err;
        }
        entry = getpwuid((uid_t)uid);
    }
    if (entry == NULL) {
        return refuse(src, msg, msg_size, "no such user");
    }
    if (geteuid() != 0 && entry->pw_uid != geteuid()) {
        return refuse(src, msg, msg_size,
                      "only root can serve another user's job (the segment is private)");
    }
    options->user_given = true;
    options->uid = entry->pw_uid;
    options->gid = entry->pw_gid;
    return 0;
}

static int parse_path(const struct source *src, const char **value, char *msg, size_t msg_size)
{
    if (src->text[0] == '\0') {
        return refuse(src, msg, msg_size, "empty path");
    }
    *value = src->text;
    return 0;
}

static int apply(const struct source *src, struct ctl_options *options, char *msg,
                 size_t msg_size)
{
    unsigned long number = 0;
    int err = 0;
    switch (src->id) {
    case CTL_OPTION_KEY:
        if (geopm__shm_key_check("geopmctl", src->text) != 0) {
            return refuse(src, msg, msg_size,
                          "not a key (one leading '/', no other '/', printable, at most "
                          "255 characters)");
        }
        snprintf(options->key, sizeof(options->key), "%s", src->text);
        return 0;
    case CTL_OPTION_REPORT:
        return parse_path(src, &options->report, msg, msg_size);
    case CTL_OPTION_TRACE:
        return parse_path(src, &options->trace, msg, msg_size);
    case CTL_OPTION_PERIOD:
        return parse_period(src, &options->period, msg, msg_size);
    case CTL_OPTION_TIMEOUT:
        err = parse_unsigned(src, 0, CTL_TIMEOUT_MAX, &number, msg, msg_size);
        options->timeout = err == 0 ? (unsigned int)number : options->timeout;
        return err;
    case CTL_OPTION_NUM_PROC:
        err = parse_unsigned(src, 1, CTL_NUM_PROC_MAX, &number, msg, msg_size);
        options->num_proc = err == 0 ? (uint32_t)number : options->num_proc;
        return err;
    case CTL_OPTION_PROFILE:
        if (src->text[0] == '\0') {
            return refuse(src, msg, msg_size, "empty profile name");
        }
        options->profile = src->text;
        return 0;
    case CTL_OPTION_USER:
        return parse_user(src, options, msg, msg_size);
    case CTL_OPTION_DAEMON:
        options->daemon = true;
        return 0;
    case CTL_OPTION_READY_LINE:
        options->ready_line = true;
        return 0;
    case CTL_OPTION_VERBOSE:
        options->verbose = true;
        return 0;
    case CTL_OPTION_HELP:
        options->action = CTL_ACTION_HELP;
        return 0;
    case CTL_OPTION_VERSION:
        if (options->action != CTL_ACTION_HELP) {
            options->action = CTL_ACTION_VERSION;
        }
        return 0;
    default:
        return 0;
    }
}

static void set_defaults(struct ctl_options *options)
{
    memset(options, 0, sizeof(*options));
    options->action = CTL_ACTION_RUN;
    options->period = CTL_PERIOD_DEFAULT;
    options->timeout = CTL_TIMEOUT_DEFAULT;
    options->profile = CTL_PROFILE_DEFAULT;
    options->uid = getuid();
    options->gid = getgid();
}

static void build_getopt_table(struct option *table, char *short_options)
{
    size_t used = 0;
    for (int id = 0; id < CTL_OPTION_COUNT; ++id) {
        const struct option_info *info = &g_info[id];
        table[id].name = info->name;
        table[id].has_arg = info->has_value ? required_argument : no_argument;
        table[id].flag = NULL;
        table[id].val = info->short_name != 0 ? info->short_name : LONG_ONLY_BASE + id;
        if (info->short_name != 0) {
            short_options[used++] = (char)info->short_name;
            if (info->has_value) {
                short_options[used++] = ':';
            }
        }
    }
    memset(&table[CTL_OPTION_COUNT], 0, sizeof(table[CTL_OPTION_COUNT]));
    short_options[used] = '\0';
}

static int option_id_of(int val)
{
    if (val >= LONG_ONLY_BASE && val < LONG_ONLY_BASE + CTL_OPTION_COUNT) {
        return val - LONG_ONLY_BASE;
    }
    for (int id = 0; id < CTL_OPTION_COUNT; ++id) {
        if (g_info[id].short_name != 0 && g_info[id].short_name == val) {
            return id;
        }
    }
    return -1;
}

/* Whether word is "--name=value" for an option that takes no value. */
static bool takes_no_value(const char *word)
{
    const char *equals = strchr(word, '=');
    if (strncmp(word, "--", 2) != 0 || equals == NULL) {
        return false;
    }
    size_t length = (size_t)(equals - word) - 2;
    for (int id = 0; id < CTL_OPTION_COUNT; ++id) {
        if (!g_info[id].has_value && strlen(g_info[id].name) == length &&
            strncmp(g_info[id].name, word + 2, length) == 0) {
            return true;
        }
    }
    return false;
}

/* Collects the last value of each option given on the command line. */
static int read_command_line(int argc, char **argv, const char **given, bool *seen, char *msg,
                             size_t msg_size)
{
    struct option table[CTL_OPTION_COUNT + 1];
    char short_options[2 * CTL_OPTION_COUNT + 2];
    build_getopt_table(table, short_options + 1);
    /* A leading ':' makes getopt report a missing value apart from an
     * unknown option, and keeps it silent: the caller prints the message. */
    short_options[0] = ':';
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then starts a whole new scan */
    int val;
    while ((val = getopt_long(argc, argv, short_options, table, NULL)) != -1) {
        if (val == '?' || val == ':') {
            const char *word = optind > 0 && optind <= argc ? argv[optind - 1] : "";
            if (val == ':') {
                snprintf(msg, msg_size, "option %.200s needs a value", word);
            }
            else if (optopt > 0 && optopt < LONG_ONLY_BASE && strncmp(word, "--", 2) != 0) {
                snprintf(msg, msg_size, "unknown option -%c", optopt);
            }
            else if (takes_no_value(word)) {
                snprintf(msg, msg_size, "option %.200s takes no value", word);
            }
            else {
                snprintf(msg, msg_size, "unknown option %.200s", word);
            }
            return GEOPM_ERROR_INVALID;
        }
        int id = option_id_of(val);
        if (id < 0) {
            snprintf(msg, msg_size, "unknown option");
            return GEOPM_ERROR_INVALID;
        }
        seen[id] = true;
        given[id] = g_info[id].has_value ? optarg : "";
    }
    if (optind < argc) {
        snprintf(msg, msg_size, "unexpected argument \"%.200s\"", argv[optind]);
        return GEOPM_ERROR_INVALID;
    }
    return 0;
}

/* GEOPM_CLOCK has no option: libshm reads it when the controller
 * calibrates the ranks' clock (job_clock.c).  It is checked here so that a
 * typo is refused like any other setting, not silently taken as "tsc". */
static int check_clock_variable(char *msg, size_t msg_size)
{
    const char *text = getenv("GEOPM_CLOCK");
    if (text == NULL || strcmp(text, "tsc") == 0 || strcmp(text, "monotonic") == 0) {
        return 0;
    }
    snprintf(msg, msg_size,
             "GEOPM_CLOCK=\"%.64s\": not a clock (tsc, the default where the TSC is invariant, "
             "or monotonic)",
             text);
    return GEOPM_ERROR_ENVIRONMENT;
}

int ctl_options_parse(int argc, char **argv, struct ctl_options *options, char *msg,
                      size_t msg_size)
{
    const char *given[CTL_OPTION_COUNT] = {NULL};
    bool seen[CTL_OPTION_COUNT] = {false};
    struct ctl_options parsed;
    set_defaults(&parsed);
    msg[0] = '\0';

    int err = read_command_line(argc, argv, given, seen, msg, msg_size);
    if (err != 0) {
        return err;
    }
    /* The user comes first: the default key depends on it.  A variable is
     * read only when its option is absent, so that an option given to get
     * around a bad variable does get around it. */
    int order[CTL_OPTION_COUNT];
    int count = 0;
    order[count++] = CTL_OPTION_USER;
    for (int id = 0; id < CTL_OPTION_COUNT; ++id) {
        if (id != CTL_OPTION_USER) {
            order[count++] = id;
        }
    }
    for (int i = 0; i < count; ++i) {
        int id = order[i];
        struct source src = {NULL, false, id};
        if (seen[id]) {
            src.text = given[id];
        }
        else if (g_info[id].env != NULL && getenv(g_info[id].env) != NULL) {
            src.text = getenv(g_info[id].env);
            src.from_env = true;
        }
        else {
            continue;
        }
        err = apply(&src, &parsed, msg, msg_size);
        if (err != 0) {
            return err;
        }
    }
    err = check_clock_variable(msg, msg_size);
    if (err != 0) {
        return err;
    }
    if (parsed.key[0] == '\0') {
        snprintf(parsed.key, sizeof(parsed.key), "/geopm-shm-%lu", (unsigned long)parsed.uid);
    }
    *options = parsed;
    return 0;
}

void ctl_options_help(FILE *out, const char *program)
{
    fprintf(out,
            "Usage: %s [OPTION]...\n"
            "Creates the shared memory segment of a job on this node, follows its ranks, and\n"
            "writes the report and trace when they are done.  Options override the\n"
            "environment variables named after them.\n\n",
            program);
    for (int id = 0; id < CTL_OPTION_COUNT; ++id) {
        const struct option_info *info = &g_info[id];
        char left[64];
        int used = 0;
        if (info->short_name != 0) {
            used = snprintf(left, sizeof(left), "-%c, ", info->short_name);
        }
        snprintf(left + used, sizeof(left) - (size_t)used, "--%s%s%s", info->name,
                 info->has_value ? "=" : "", info->has_value ? info->value_name : "");
        fprintf(out, "  %-22s %s", left, info->help);
        if (info->env != NULL) {
            fprintf(out, " [%s]", info->env);
        }
        fputc('\n', out);
    }
    fprintf(out, "\nExit status: 0 when the job ended and the report was written; 1 on a\n"
                 "failure, or when no rank came; 2 for a refused option or variable;\n"
                 "128 + N after signal N (SIGTERM, SIGINT), once the report is written.\n"
                 "See geopmctl(1).\n");
}
