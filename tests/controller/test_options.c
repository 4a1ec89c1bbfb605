#include <config.h>

#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "options.h"

/* Every variable geopmctl reads, cleared before each test. */
static const char *const g_variables[] = {
#define TEST_OPTION_ENV_(id, name, short_name, has_value, env, value_name, help) env,
    CTL_OPTION_LIST(TEST_OPTION_ENV_)
#undef TEST_OPTION_ENV_
};

static int clear_environment(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(g_variables) / sizeof(g_variables[0]); ++i) {
        if (g_variables[i] != NULL) {
            unsetenv(g_variables[i]);
        }
    }
    return 0;
}

/* Parses a NULL-terminated list of arguments after "geopmctl". */
static int parse(struct ctl_options *options, char *msg, size_t msg_size, ...)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = "geopmctl";
    va_list args;
    va_start(args, msg_size);
    char *arg;
    while ((arg = va_arg(args, char *)) != NULL && argc < 31) {
        argv[argc++] = arg;
    }
    va_end(args);
    argv[argc] = NULL;
    return ctl_options_parse(argc, argv, options, msg, msg_size);
}

static void test_defaults(void **state)
{
    (void)state;
    struct ctl_options options;
    char msg[512];
    assert_int_equal(parse(&options, msg, sizeof(msg), NULL), 0);
    char key[64];
    snprintf(key, sizeof(key), "/geopm-shm-%lu", (unsigned long)getuid());
    assert_string_equal(options.key, key);
    assert_int_equal(options.action, CTL_ACTION_RUN);
    assert_null(options.report);
    assert_null(options.trace);
    assert_true(options.period == 0.005);
    assert_int_equal(options.timeout, 5);
    assert_int_equal(options.num_proc, 0);
    assert_string_equal(options.profile, "default");
    assert_false(options.user_given);
    assert_int_equal(options.uid, getuid());
    assert_false(options.daemon);
    assert_false(options.verbose);
}

static void test_environment_read(void **state)
{
    (void)state;
    struct ctl_options options;
    char msg[512];
    setenv("GEOPM_SHMKEY", "/geopm-test-env-key", 1);
    setenv("GEOPM_REPORT", "env.report", 1);
    setenv("GEOPM_TRACE", "env.trace", 1);
    setenv("GEOPM_PERIOD", "0.25", 1);
    setenv("GEOPM_TIMEOUT", "12", 1);
    setenv("GEOPM_NUM_PROC", "8", 1);
    setenv("GEOPM_PROFILE", "env profile", 1);
    assert_int_equal(parse(&options, msg, sizeof(msg), NULL), 0);
    assert_string_equal(options.key, "/geopm-test-env-key");
    assert_string_equal(options.report, "env.report");
    assert_string_equal(options.trace, "env.trace");
    assert_true(options.period == 0.25);
    assert_int_equal(options.timeout, 12);
    assert_int_equal(options.num_proc, 8);
    assert_string_equal(options.profile, "env profile");
}

static void test_options_override_environment(void **state)
{
    (void)state;
    struct ctl_options options;
    char msg[512];
    setenv("GEOPM_SHMKEY", "/geopm-test-env-key", 1);
    setenv("GEOPM_PERIOD", "0.25", 1);
    setenv("GEOPM_NUM_PROC", "8", 1);
    setenv("GEOPM_REPORT", "env.report", 1);
    assert_int_equal(parse(&options, msg, sizeof(msg), "--key", "/geopm-test-opt-key",
                           "--period=0.5", "--num-proc", "3", "--report=opt.report", NULL),
                     0);
    assert_string_equal(options.key, "/geopm-test-opt-key");
    assert_true(options.period == 0.5);
    assert_int_equal(options.num_proc, 3);
    assert_string_equal(options.report, "opt.report");
    /* A bad variable does not matter when its option is given. */
    setenv("GEOPM_PERIOD", "abc", 1);
    assert_int_equal(parse(&options, msg, sizeof(msg), "--period", "0.125", NULL), 0);
    assert_true(options.period == 0.125);
    /* The last of a repeated option wins, as with getopt everywhere. */
    assert_int_equal(parse(&options, msg, sizeof(msg), "--period", "1", "--period", "2", NULL),
                     0);
    assert_true(options.period == 2.0);
}

static void test_flags(void **state)
{
    (void)state;
    struct ctl_options options;
    char msg[512];
    assert_int_equal(parse(&options, msg, sizeof(msg), "--daemon", "-v", NULL), 0);
    assert_true(options.daemon);
    assert_true(options.verbose);
    assert_int_equal(parse(&options, msg, sizeof(msg), "--verbose", NULL), 0);
    assert_true(options.verbose);
    assert_false(options.daemon);
    assert_int_equal(parse(&options, msg, sizeof(msg), "--help", NULL), 0);
    assert_int_equal(options.action, CTL_ACTION_HELP);
    assert_int_equal(parse(&options, msg, sizeof(msg), "-h", NULL), 0);
    assert_int_equal(options.action, CTL_ACTION_HELP);
    assert_int_equal(parse(&options, msg, sizeof(msg), "--version", NULL), 0);
    assert_int_equal(options.action, CTL_ACTION_VERSION);
}

struct bad_case {
    const char *option;
    const char *variable;
    const char *value;
};

/* Refused as an option (naming the option) and as a variable (naming the
 * variable), with the value quoted in the message. */
static void expect_refused(const struct bad_case *bad)
{
    struct ctl_options options;
    memset(&options, 0x5a, sizeof(options));
    char msg[512] = "";
    char word[64];
    snprintf(word, sizeof(word), "--%s", bad->option);
    int rc = parse(&options, msg, sizeof(msg), word, bad->value, NULL);
    if (rc != GEOPM_ERROR_INVALID || strstr(msg, word) == NULL) {
        print_error("%s \"%s\": got %d, message \"%s\"\n", word, bad->value, rc, msg);
        fail();
    }
    char with_equals[128];
    snprintf(with_equals, sizeof(with_equals), "--%s=%s", bad->option, bad->value);
    assert_int_equal(parse(&options, msg, sizeof(msg), with_equals, NULL), GEOPM_ERROR_INVALID);

    setenv(bad->variable, bad->value, 1);
    rc = parse(&options, msg, sizeof(msg), NULL);
    unsetenv(bad->variable);
    if (rc != GEOPM_ERROR_ENVIRONMENT || strstr(msg, bad->variable) == NULL) {
        print_error("%s=\"%s\": got %d, message \"%s\"\n", bad->variable, bad->value, rc, msg);
        fail();
    }
    if (bad->value[0] != '\0' && strstr(msg, bad->value) == NULL) {
        print_error("message \"%s\" does not quote \"%s\"\n", msg, bad->value);
        fail();
    }
    /* A refused parse leaves the output alone. */
    assert_int_equal(options.timeout, 0x5a5a5a5a);
}

static void test_bad_values_refused(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        {"period", "GEOPM_PERIOD", "abc"},
        {"period", "GEOPM_PERIOD", "-1"},
        {"period", "GEOPM_PERIOD", "1e999"},
        {"period", "GEOPM_PERIOD", ""},
        {"period", "GEOPM_PERIOD", "0"},
        {"period", "GEOPM_PERIOD", "0.0"},
        {"period", "GEOPM_PERIOD", "nan"},
        {"period", "GEOPM_PERIOD", "inf"},
        {"period", "GEOPM_PERIOD", "0.1s"},
        {"period", "GEOPM_PERIOD", " 0.1"},
        {"period", "GEOPM_PERIOD", "1000"},
        {"timeout", "GEOPM_TIMEOUT", "abc"},
        {"timeout", "GEOPM_TIMEOUT", "-1"},
        {"timeout", "GEOPM_TIMEOUT", "1e999"},
        {"timeout", "GEOPM_TIMEOUT", ""},
        {"timeout", "GEOPM_TIMEOUT", "2.5"},
        {"timeout", "GEOPM_TIMEOUT", "+3"},
        {"timeout", "GEOPM_TIMEOUT", "99999999999999999999999"},
        {"num-proc", "GEOPM_NUM_PROC", "abc"},
        {"num-proc", "GEOPM_NUM_PROC", "-1"},
        {"num-proc", "GEOPM_NUM_PROC", "1e999"},
        {"num-proc", "GEOPM_NUM_PROC", ""},
        {"num-proc", "GEOPM_NUM_PROC", "0"},
        {"num-proc", "GEOPM_NUM_PROC", "65537"},
        {"num-proc", "GEOPM_NUM_PROC", "4x"},
        {"key", "GEOPM_SHMKEY", ""},
        {"key", "GEOPM_SHMKEY", "abc"},
        {"key", "GEOPM_SHMKEY", "/a/b"},
        {"key", "GEOPM_SHMKEY", "/sp ace"},
        {"report", "GEOPM_REPORT", ""},
        {"trace", "GEOPM_TRACE", ""},
        {"profile", "GEOPM_PROFILE", ""},
        {"user", "GEOPM_USER", ""},
        {"user", "GEOPM_USER", "no-such-user-geopm-test"},
        {"user", "GEOPM_USER", "-1"},
        {"user", "GEOPM_USER", "4294967295"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
        expect_refused(&cases[i]);
    }
}

static void test_clock_variable(void **state)
{
    (void)state;
    static const char *const bad[] = {"abc", "", "TSC", "-1", "1e999", "monotonic "};
    static const char *const good[] = {"tsc", "monotonic"};
    struct ctl_options options;
    char msg[512];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
        setenv("GEOPM_CLOCK", bad[i], 1);
        int rc = parse(&options, msg, sizeof(msg), NULL);
        if (rc != GEOPM_ERROR_ENVIRONMENT || strstr(msg, "GEOPM_CLOCK") == NULL) {
            print_error("GEOPM_CLOCK=\"%s\": got %d, message \"%s\"\n", bad[i], rc, msg);
            fail();
        }
    }
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); ++i) {
        setenv("GEOPM_CLOCK", good[i], 1);
        assert_int_equal(parse(&options, msg, sizeof(msg), NULL), 0);
    }
    unsetenv("GEOPM_CLOCK");
}

static void test_limits_accepted(void **state)
{
    (void)state;
    struct ctl_options options;
    char msg[512];
    assert_int_equal(parse(&options, msg, sizeof(msg), "--timeout", "0", "--num-proc", "65536",
                           "--period", "60", NULL),
                     0);
    assert_int_equal(options.timeout, 0);
    assert_int_equal(options.num_proc, 65536);
    assert_true(options.period == 60.0);
    assert_int_equal(parse(&options, msg, sizeof(msg), "--period", "1e-3", NULL), 0);
    assert_true(options.period == 0.001);
}

static void test_command_line_errors(void **state)
{
    (void)state;
    struct ctl_options options;
    char msg[512];
    assert_int_equal(parse(&options, msg, sizeof(msg), "--no-such-option", NULL),
                     GEOPM_ERROR_INVALID);
    assert_non_null(strstr(msg, "--no-such-option"));
    assert_int_equal(parse(&options, msg, sizeof(msg), "--report", NULL), GEOPM_ERROR_INVALID);
    assert_non_null(strstr(msg, "--report"));
    assert_int_equal(parse(&options, msg, sizeof(msg), "--daemon=yes", NULL),
                     GEOPM_ERROR_INVALID);
    assert_non_null(strstr(msg, "takes no value"));
    assert_int_equal(parse(&options, msg, sizeof(msg), "-x", NULL), GEOPM_ERROR_INVALID);
    assert_non_null(strstr(msg, "-x"));
    assert_int_equal(parse(&options, msg, sizeof(msg), "stray", NULL), GEOPM_ERROR_INVALID);
    assert_non_null(strstr(msg, "stray"));
    /* The scan starts afresh on every call: a good line after bad ones. */
    assert_int_equal(parse(&options, msg, sizeof(msg), "--num-proc", "2", NULL), 0);
    assert_int_equal(options.num_proc, 2);
}

static void test_user(void **state)
{
    (void)state;
    struct ctl_options options;
    char msg[512];
    struct passwd *self = getpwuid(getuid());
    if (self == NULL) {
        skip();
    }
    char name[256];
    snprintf(name, sizeof(name), "%s", self->pw_name);
    uid_t uid = self->pw_uid;
    gid_t gid = self->pw_gid;
    assert_int_equal(parse(&options, msg, sizeof(msg), "--user", name, NULL), 0);
    assert_true(options.user_given);
    assert_int_equal(options.uid, uid);
    assert_int_equal(options.gid, gid);
    char number[32];
    snprintf(number, sizeof(number), "%lu", (unsigned long)uid);
    assert_int_equal(parse(&options, msg, sizeof(msg), "--user", number, NULL), 0);
    assert_int_equal(options.uid, uid);

    /* The default key is the job user's, not the caller's. */
    struct passwd *other = geteuid() == 0 ? getpwnam("nobody") : NULL;
    if (other != NULL) {
        uid_t other_uid = other->pw_uid;
        assert_int_equal(parse(&options, msg, sizeof(msg), "--user", "nobody", NULL), 0);
        char key[64];
        snprintf(key, sizeof(key), "/geopm-shm-%lu", (unsigned long)other_uid);
        assert_string_equal(options.key, key);
        assert_int_equal(options.uid, other_uid);
        /* An explicit key stays as given. */
        assert_int_equal(parse(&options, msg, sizeof(msg), "--user", "nobody", "--key",
                               "/geopm-test-k", NULL),
                         0);
        assert_string_equal(options.key, "/geopm-test-k");
    }
    else if (geteuid() != 0 && getpwnam("root") != NULL) {
        assert_int_equal(parse(&options, msg, sizeof(msg), "--user", "root", NULL),
                         GEOPM_ERROR_INVALID);
        assert_non_null(strstr(msg, "--user"));
    }
}

static void test_help_lists_every_option(void **state)
{
    (void)state;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    ctl_options_help(out, "geopmctl");
    fclose(out);
    static const char *const names[] = {
#define TEST_OPTION_NAME_(id, name, short_name, has_value, env, value_name, help) "--" name,
        CTL_OPTION_LIST(TEST_OPTION_NAME_)
#undef TEST_OPTION_NAME_
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i) {
        assert_non_null(strstr(text, names[i]));
        if (g_variables[i] != NULL) {
            assert_non_null(strstr(text, g_variables[i]));
        }
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_defaults, clear_environment),
        cmocka_unit_test_setup(test_environment_read, clear_environment),
        cmocka_unit_test_setup(test_options_override_environment, clear_environment),
        cmocka_unit_test_setup(test_flags, clear_environment),
        cmocka_unit_test_setup(test_bad_values_refused, clear_environment),
        cmocka_unit_test_setup(test_clock_variable, clear_environment),
        cmocka_unit_test_setup(test_limits_accepted, clear_environment),
        cmocka_unit_test_setup(test_command_line_errors, clear_environment),
        cmocka_unit_test_setup(test_user, clear_environment),
        cmocka_unit_test_setup(test_help_lists_every_option, clear_environment),
    };
    return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
