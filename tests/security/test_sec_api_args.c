/* Issue 6, scenario 9 (the API half): every geopm_shm_* and geopm_prof_*
 * function given NULL, zero, huge and invalid arguments returns an error
 * code at once, with a geopm_error_message() text that names the argument,
 * and never raises a signal.  The calls run in a child, once in a process
 * that is not profiled and once in one attached to a live job segment; the
 * child sends back each call's result, message and duration, so that a
 * crash names the call that caused it.  What tests/libshm and tests/preload
 * check already (codes of NULL segments, key syntax, bad sizes) is not
 * repeated; this adds the messages, the huge values and the attached case. */
#include <config.h>

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "geopm_prof.h"
#include "geopm_shm.h"
#include "prof_test_util.h"
#include "shm_test_util.h"

/* Longer than any bound the library has, so that only a bounded read of
 * it can be fast and safe. */
#define HUGE_TEXT_SIZE ((size_t)1 << 20)
/* A refused call returns at once, even with the longest timeout. */
#define CALL_LIMIT_S 1.0

static char g_key[SHM_TEST_NAME_MAX];
static char *g_huge_key;  /* "/kkk...", HUGE_TEXT_SIZE - 1 characters */
static char *g_huge_name; /* "nnn...", as long */
static struct geopm_shm *g_out = SHM_TEST_SENTINEL;
static uint64_t g_id;

/* A fresh secure segment at g_key, or NULL. */
static struct geopm_shm *new_segment(void)
{
    struct geopm_shm *shm = NULL;
    return geopm_shm_create_owner_secure(g_key, 64, &shm) == 0 ? shm : NULL;
}

static int unlink_twice(void)
{
    struct geopm_shm *shm = new_segment();
    if (shm == NULL) {
        return INT_MIN;
    }
    geopm_shm_unlink(shm);
    int rc = geopm_shm_unlink(shm);
    geopm_shm_destroy(shm);
    return rc;
}

/* (unsigned)-1 is chown's "leave it as it is": a caller that passes it by
 * mistake (a failed uid lookup) must hear that nothing was given away. */
static int chown_to(unsigned int uid, unsigned int gid)
{
    struct geopm_shm *shm = new_segment();
    if (shm == NULL) {
        return INT_MIN;
    }
    int rc = geopm_shm_chown(shm, uid, gid);
    geopm_shm_unlink(shm);
    geopm_shm_destroy(shm);
    return rc;
}

/* geopm_error_message() with no room, one byte, and codes no function
 * returns: it writes only within size, always ends the text, never fails.
 * Returns 0, or -1 when a byte outside the room changed or a text is
 * missing. */
static int error_message_edges(void)
{
    char buffer[64];
    memset(buffer, 'x', sizeof(buffer));
    geopm_error_message(GEOPM_ERROR_INVALID, NULL, 100);
    geopm_error_message(GEOPM_ERROR_INVALID, buffer, 0);
    int bad = buffer[0] != 'x';
    geopm_error_message(GEOPM_ERROR_INVALID, buffer, 1);
    bad |= buffer[0] != '\0' || buffer[1] != 'x';
    static const int codes[] = {INT_MIN, -10000, -5000, -4096, -1, 1, INT_MAX};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); ++i) {
        memset(buffer, 'x', sizeof(buffer));
        geopm_error_message(codes[i], buffer, sizeof(buffer));
        bad |= memchr(buffer, '\0', sizeof(buffer)) == NULL || buffer[0] == '\0';
    }
    return bad ? -1 : 0;
}

static int exit_never_entered(void)
{
    int rc = geopm_prof_region("sec-args-never-entered", GEOPM_REGION_HINT_COMPUTE, &g_id);
    return rc != 0 ? rc : geopm_prof_exit(g_id);
}

/* Names regions until the table is full; the error of the first refused. */
static int fill_region_table(void)
{
    char name[32];
    for (int i = 0; i < 2 * 256 + 1; ++i) {
        snprintf(name, sizeof(name), "sec-args-fill-%d", i);
        int rc = geopm_prof_region(name, GEOPM_REGION_HINT_UNKNOWN, &g_id);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/*
 * X(name, call, code when attached, code when not profiled, word the
 *   message names or NULL)
 * One list: the calls, their table and the expectations follow from it.
 * Order matters at the end: the region table is filled, then the process
 * shuts down and calls after that record nothing.
 */
#define REGION GEOPM_ERROR_REGION
#define INVALID GEOPM_ERROR_INVALID
#define SEC_CASES(X)                                                                          \
    X(create_null_key, geopm_shm_create_owner(NULL, 64, &g_out), INVALID, INVALID, "key")    \
    X(create_secure_null_key, geopm_shm_create_owner_secure(NULL, 64, &g_out), INVALID,      \
      INVALID, "key")                                                                         \
    X(create_null_shm, geopm_shm_create_owner(g_key, 64, NULL), INVALID, INVALID, "shm")     \
    X(create_zero_size, geopm_shm_create_owner(g_key, 0, &g_out), INVALID, INVALID, "size")  \
    X(create_secure_huge_size, geopm_shm_create_owner_secure(g_key, SIZE_MAX, &g_out),       \
      INVALID, INVALID, "size")                                                               \
    X(create_huge_key, geopm_shm_create_owner(g_huge_key, 64, &g_out), GEOPM_ERROR_KEY,      \
      GEOPM_ERROR_KEY, "longer than")                                                         \
    X(attach_null_key_longest_wait, geopm_shm_attach_user(NULL, UINT_MAX, &g_out), INVALID,  \
      INVALID, "key")                                                                         \
    X(attach_null_shm_longest_wait, geopm_shm_attach_user(g_key, UINT_MAX, NULL), INVALID,   \
      INVALID, "shm")                                                                         \
    X(attach_huge_key_longest_wait, geopm_shm_attach_user(g_huge_key, UINT_MAX, &g_out),     \
      GEOPM_ERROR_KEY, GEOPM_ERROR_KEY, "key")                                                \
    X(attach_bad_key_longest_wait, geopm_shm_attach_user("1e999", UINT_MAX, &g_out),         \
      GEOPM_ERROR_KEY, GEOPM_ERROR_KEY, "\"1e999\"")                                          \
    X(unlink_null, geopm_shm_unlink(NULL), INVALID, INVALID, "shm")                          \
    X(unlink_twice, unlink_twice(), -ENOENT, -ENOENT, g_key)                                 \
    X(lock_null, geopm_shm_lock(NULL), INVALID, INVALID, "shm")                              \
    X(unlock_null, geopm_shm_unlock(NULL), INVALID, INVALID, "shm")                          \
    X(chown_null, geopm_shm_chown(NULL, 0, 0), INVALID, INVALID, "shm")                      \
    X(chown_uid_minus_one, chown_to(UINT_MAX, 0), INVALID, INVALID, "uid")                   \
    X(chown_gid_minus_one, chown_to(0, UINT_MAX), INVALID, INVALID, "gid")                   \
    X(error_message_edges, error_message_edges(), 0, 0, NULL)                                \
    X(region_null_name, geopm_prof_region(NULL, 0, &g_id), INVALID, INVALID, "region_name")  \
    X(region_empty_name, geopm_prof_region("", 0, &g_id), INVALID, INVALID, "region_name")   \
    X(region_huge_name, geopm_prof_region(g_huge_name, 0, &g_id), INVALID, INVALID,          \
      "region_name")                                                                          \
    X(region_null_id, geopm_prof_region("sec-args", 0, NULL), INVALID, INVALID, "region_id") \
    X(region_huge_hint, geopm_prof_region("sec-args", UINT64_MAX, &g_id), INVALID, INVALID,  \
      "hint")                                                                                 \
    X(region_hint_count, geopm_prof_region("sec-args", GEOPM_NUM_REGION_HINT, &g_id),        \
      INVALID, INVALID, "hint")                                                               \
    X(enter_zero, geopm_prof_enter(0), REGION, 0, "region")                                  \
    X(enter_max, geopm_prof_enter(UINT64_MAX), REGION, 0, "region")                          \
    X(exit_max, geopm_prof_exit(UINT64_MAX), REGION, 0, "region")                            \
    X(exit_never_entered, exit_never_entered(), REGION, 0, "region")                         \
    X(tprof_init_zero, geopm_tprof_init(0), INVALID, INVALID, "num_work_unit")               \
    X(tprof_init_max, geopm_tprof_init(UINT32_MAX), 0, 0, NULL)                              \
    X(tprof_post_many, geopm_tprof_post() | geopm_tprof_post(), 0, 0, NULL)                  \
    X(overhead_nan, geopm_prof_overhead(NAN), INVALID, INVALID, "overhead_sec")              \
    X(overhead_minus_inf, geopm_prof_overhead(-INFINITY), INVALID, INVALID, "overhead_sec")  \
    X(overhead_inf, geopm_prof_overhead(INFINITY), INVALID, INVALID, "overhead_sec")         \
    X(overhead_max, geopm_prof_overhead(DBL_MAX), INVALID, INVALID, "overhead_sec")          \
    X(overhead_tiny_negative, geopm_prof_overhead(-DBL_MIN), INVALID, INVALID,               \
      "overhead_sec")                                                                         \
    X(overhead_minus_zero, geopm_prof_overhead(-0.0), 0, 0, NULL)                            \
    X(epoch, geopm_prof_epoch(), 0, 0, NULL)                                                 \
    X(region_table_full, fill_region_table(), GEOPM_ERROR_FULL, GEOPM_ERROR_FULL, "regions") \
    X(shutdown, geopm_prof_shutdown(), 0, 0, NULL)                                           \
    X(shutdown_again, geopm_prof_shutdown(), 0, 0, NULL)                                     \
    X(enter_after_shutdown, geopm_prof_enter(UINT64_MAX), 0, 0, NULL)

#define SEC_CASE_FUNCTION_(name, call, attached, unprofiled, word) \
    static int case_##name(void)                                  \
    {                                                             \
        return call;                                              \
    }
SEC_CASES(SEC_CASE_FUNCTION_)
#undef SEC_CASE_FUNCTION_

struct sec_case {
    const char *name;
    int (*call)(void);
    int expected[2]; /* [0] not profiled, [1] attached */
    const char *word;
};

static const struct sec_case g_cases[] = {
#define SEC_CASE_ENTRY_(name, call, attached, unprofiled, word) \
    {#name, case_##name, {unprofiled, attached}, word},
    SEC_CASES(SEC_CASE_ENTRY_)
#undef SEC_CASE_ENTRY_
};
#define CASE_COUNT (sizeof(g_cases) / sizeof(g_cases[0]))

/* What the child sends back for each call. */
struct sec_result {
    int rc;
    double seconds;
    char message[512];
};

/* In the child: runs every call in order, sending each result as soon as
 * it is known, so that a signal leaves the earlier results readable. */
static _Noreturn void run_cases(int out)
{
    /* cmocka's handlers, inherited with the fork, would turn a crash into
     * a test failure inside the child, which then runs on as cmocka's
     * runner: the child must die of the signal instead. */
    static const int crashes[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
    for (size_t i = 0; i < sizeof(crashes) / sizeof(crashes[0]); ++i) {
        signal(crashes[i], SIG_DFL);
    }
    for (size_t i = 0; i < CASE_COUNT; ++i) {
        struct sec_result result;
        memset(&result, 0, sizeof(result));
        double start = shm_test_now();
        result.rc = g_cases[i].call();
        result.seconds = shm_test_now() - start;
        geopm_error_message(result.rc, result.message, sizeof(result.message));
        if (write(out, &result, sizeof(result)) != (ssize_t)sizeof(result)) {
            _exit(1);
        }
    }
    _exit(0);
}

/* Runs the calls in a child; fails on a signal, a wrong code, a message
 * that does not name the argument, or a slow refusal. */
static void check_cases(int attached)
{
    int pipe_fds[2];
    assert_int_equal(pipe(pipe_fds), 0);
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(pipe_fds[0]);
        if (!attached) {
            unsetenv("GEOPM_PROFILE");
        }
        run_cases(pipe_fds[1]);
    }
    close(pipe_fds[1]);
    size_t done = 0;
    int failures = 0;
    struct sec_result result;
    while (done < CASE_COUNT && read(pipe_fds[0], &result, sizeof(result)) == sizeof(result)) {
        const struct sec_case *c = &g_cases[done++];
        const char *problem = NULL;
        if (result.rc != c->expected[attached]) {
            problem = "wrong code";
        }
        else if (result.rc != 0 && c->word != NULL && strstr(result.message, c->word) == NULL) {
            problem = "the message does not name the argument";
        }
        else if (shm_test_times_are_checked() && result.seconds > CALL_LIMIT_S) {
            problem = "too slow";
        }
        if (problem != NULL) {
            ++failures;
            shm_test_note("%s: %s: returned %d (expected %d) after %.3f s: \"%.200s\" "
                          "(expected to name \"%s\")\n",
                          c->name, problem, result.rc, c->expected[attached], result.seconds,
                          result.message, c->word ? c->word : "-");
        }
    }
    close(pipe_fds[0]);
    int status = shm_test_wait(pid);
    if (done < CASE_COUNT) {
        shm_test_note("the child ended (status %d) during %s\n", status, g_cases[done].name);
    }
    shm_test_note("%s: %zu calls, %d with a wrong result, child exit status %d "
                  "(criterion: 0, 0)\n",
                  attached ? "attached" : "not profiled", done, failures, status);
    assert_int_equal(done, CASE_COUNT);
    assert_int_equal(status, 0);
    assert_int_equal(failures, 0);
}

static void test_not_profiled(void **state)
{
    (void)state;
    check_cases(0);
}

/* The job a child of test_attached attaches to; removed even when the
 * test fails half way. */
static int job_setup(void **state)
{
    *state = prof_test_job_create();
    return *state == NULL ? -1 : 0;
}

static int job_teardown(void **state)
{
    prof_test_job_destroy(*state);
    return 0;
}

static void test_attached(void **state)
{
    struct geopm_job *job = *state;
    check_cases(1);
    /* The child really was profiled: it claimed the slot and shut it down. */
    assert_int_equal(atomic_load(&job->header->slots_claimed), 1);
    assert_int_equal(atomic_load(&job->slots[0].info.state), GEOPM_JOB_SLOT_FINISHED);
}

static char *huge_text(char first, char fill)
{
    char *text = malloc(HUGE_TEXT_SIZE);
    if (text != NULL) {
        memset(text, fill, HUGE_TEXT_SIZE - 1);
        text[0] = first;
        text[HUGE_TEXT_SIZE - 1] = '\0';
    }
    return text;
}

int main(void)
{
    shm_test_watchdog(60);
    shm_test_key(g_key, sizeof(g_key), "sec-args");
    g_huge_key = huge_text('/', 'k');
    g_huge_name = huge_text('n', 'n');
    if (g_huge_key == NULL || g_huge_name == NULL) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_profiled),
        cmocka_unit_test_setup_teardown(test_attached, job_setup, job_teardown),
    };
    int failed = cmocka_run_group_tests_name("sec_api_args", tests, NULL, shm_test_teardown);
    free(g_huge_key);
    free(g_huge_name);
    return failed;
}
