/* Without a controller, or with a bad environment, a program runs as if
 * the runtime were not there: calls return 0 at once, with one warning. */
#include <config.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "geopm_prof.h"

/* Runs a short annotated program in a child with the given environment
 * (NULL value: unset), and returns what it wrote to stderr in out. */
static int run_child(const char *const env[][2], size_t env_count, char *out, size_t out_size)
{
    char path[] = "/tmp/geopm-test-stderr-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd, STDERR_FILENO);
        for (size_t i = 0; i < env_count; ++i) {
            if (env[i][1] == NULL) {
                unsetenv(env[i][0]);
            }
            else {
                setenv(env[i][0], env[i][1], 1);
            }
        }
        uint64_t id = 0;
        int failures = geopm_prof_region("work", GEOPM_REGION_HINT_COMPUTE, &id) != 0;
        for (int i = 0; i < 1000; ++i) {
            failures += geopm_prof_enter(id) != 0;
            failures += geopm_prof_epoch() != 0;
            failures += geopm_prof_exit(id) != 0;
        }
        /* A wrong exit is not even looked at when nothing is profiled. */
        failures += geopm_prof_exit(id) != 0;
        _exit(failures == 0 ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ssize_t length = pread(fd, out, out_size - 1, 0);
    out[length > 0 ? length : 0] = '\0';
    close(fd);
    unlink(path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static size_t count_lines(const char *text)
{
    size_t lines = 0;
    for (const char *c = text; *c != '\0'; ++c) {
        lines += *c == '\n';
    }
    return lines;
}

static void test_no_segment_one_warning_and_no_wait(void **state)
{
    (void)state;
    const char *const env[][2] = {
        {"GEOPM_PROFILE", "unit"}, {"GEOPM_SHMKEY", "/geopm-test-nobody-here"},
        {"GEOPM_TIMEOUT", "0"}, {"GEOPM_PROGRAM_FILTER", NULL}};
    char err[4096];
    struct timespec begin, end;
    clock_gettime(CLOCK_MONOTONIC, &begin);
    assert_int_equal(run_child(env, 4, err, sizeof(err)), 0);
    clock_gettime(CLOCK_MONOTONIC, &end);
    assert_int_equal(count_lines(err), 1);
    assert_non_null(strstr(err, "/geopm-test-nobody-here"));
    assert_true(end.tv_sec - begin.tv_sec < 2);
}

static void test_profile_unset_never_attaches(void **state)
{
    (void)state;
    const char *const env[][2] = {{"GEOPM_PROFILE", NULL},
                                  {"GEOPM_SHMKEY", "/geopm-test-nobody-here"}};
    char err[4096];
    assert_int_equal(run_child(env, 2, err, sizeof(err)), 0);
    assert_string_equal(err, "");
}

static void test_bad_timeout_is_named(void **state)
{
    (void)state;
    static const char *const values[] = {"abc", "-1", "1e999", "", "99999999999999999999"};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); ++i) {
        const char *const env[][2] = {{"GEOPM_PROFILE", "unit"}, {"GEOPM_TIMEOUT", values[i]}};
        char err[4096];
        assert_int_equal(run_child(env, 2, err, sizeof(err)), 0);
        assert_int_equal(count_lines(err), 1);
        assert_non_null(strstr(err, "GEOPM_TIMEOUT"));
    }
}

static void test_program_filter_leaves_others_out(void **state)
{
    (void)state;
    const char *const env[][2] = {{"GEOPM_PROFILE", "unit"},
                                  {"GEOPM_SHMKEY", "/geopm-test-nobody-here"},
                                  {"GEOPM_TIMEOUT", "0"},
                                  {"GEOPM_PROGRAM_FILTER", "some-other-program,another"}};
    char err[4096];
    assert_int_equal(run_child(env, 4, err, sizeof(err)), 0);
    /* Not selected: it does not even look for the segment. */
    assert_string_equal(err, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_segment_one_warning_and_no_wait),
        cmocka_unit_test(test_profile_unset_never_attaches),
        cmocka_unit_test(test_bad_timeout_is_named),
        cmocka_unit_test(test_program_filter_leaves_others_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
