#include <config.h>

#include <errno.h>
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
#include "geopm_shm.h"
#include "shm_test_util.h"

#define COUNT_EACH 100000

/* A dying child keeps its segment here: a global is a root for leak
 * checkers, and the mapping must outlive the child for the kernel to mark
 * the lock as abandoned. */
static struct geopm_shm *g_child_shm;

static struct geopm_shm *make_segment(char *key, size_t key_size, const char *name)
{
    struct geopm_shm *shm = NULL;
    shm_test_key(key, key_size, name);
    assert_rc(geopm_shm_create_owner_secure(key, 4096, &shm), 0);
    return shm;
}

static void drop_segment(struct geopm_shm *shm)
{
    assert_rc(geopm_shm_unlink(shm), 0);
    geopm_shm_destroy(shm);
}

/* A child attaches, takes the lock and dies holding it, by _exit() or by
 * SIGKILL; the lock's result is left in the segment for the parent.  Like
 * every child here, it first frees the parent's segment object it got with
 * the fork, since nothing of the child refers to it any more. */
static _Noreturn void child_dies_holding_lock(struct geopm_shm *inherited, const char *key,
                                              int killed)
{
    geopm_shm_destroy(inherited);
    if (geopm_shm_attach_user(key, 5, &g_child_shm) != 0) {
        _exit(1);
    }
    int *result = geopm_shm_pointer(g_child_shm);
    *result = geopm_shm_lock(g_child_shm);
    if (killed) {
        kill(getpid(), SIGKILL);
    }
    _exit(0);
}

/* The next holder gets the lock with GEOPM_SHM_LOCK_OWNER_DIED instead of
 * waiting forever, and after it unlocks the lock is an ordinary one again. */
static void check_owner_died(int killed)
{
    char key[SHM_TEST_NAME_MAX];
    struct geopm_shm *shm = make_segment(key, sizeof(key), killed ? "killed" : "exited");
    int *result = geopm_shm_pointer(shm);
    *result = -1;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        child_dies_holding_lock(shm, key, killed);
    }
    int status = shm_test_wait(pid);
    assert_int_equal(status, killed ? 128 + SIGKILL : 0);
    assert_rc(*result, 0);
    assert_rc(geopm_shm_lock(shm), GEOPM_SHM_LOCK_OWNER_DIED);
    assert_rc(geopm_shm_unlock(shm), 0);
    assert_rc(geopm_shm_lock(shm), 0);
    assert_rc(geopm_shm_unlock(shm), 0);
    drop_segment(shm);
}

static void test_owner_exited(void **state)
{
    (void)state;
    check_owner_died(0);
}

static void test_owner_killed(void **state)
{
    (void)state;
    check_owner_died(1);
}

/* Non-atomic increments by two processes: only mutual exclusion makes the
 * total exact. */
static int count_under_lock(struct geopm_shm *shm)
{
    volatile uint64_t *counter = geopm_shm_pointer(shm);
    int failures = 0;
    for (int i = 0; i < COUNT_EACH; ++i) {
        if (geopm_shm_lock(shm) != 0) {
            ++failures;
            continue;
        }
        uint64_t value = *counter;
        *counter = value + 1;
        if (geopm_shm_unlock(shm) != 0) {
            ++failures;
        }
    }
    return failures;
}

static void test_excludes_across_processes(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    int ready[2];
    struct geopm_shm *shm = make_segment(key, sizeof(key), "count");
    assert_int_equal(pipe(ready), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct geopm_shm *user = NULL;
        geopm_shm_destroy(shm);
        close(ready[0]);
        if (geopm_shm_attach_user(key, 5, &user) != 0) {
            _exit(1);
        }
        int written = (int)write(ready[1], "x", 1);
        int failures = count_under_lock(user);
        geopm_shm_destroy(user);
        _exit(written == 1 && failures == 0 ? 0 : 2);
    }
    char byte;
    close(ready[1]);
    int got = (int)read(ready[0], &byte, 1);
    close(ready[0]);
    int failures = count_under_lock(shm);
    int status = shm_test_wait(pid);
    uint64_t total = *(uint64_t *)geopm_shm_pointer(shm);
    drop_segment(shm);
    assert_int_equal(got, 1);
    assert_int_equal(status, 0);
    assert_int_equal(failures, 0);
    assert_int_equal(total, 2 * COUNT_EACH);
}

/* The mutex checks its owner: relocking is -EDEADLK, not a hang, and only
 * the holder may unlock. */
static void test_error_checking(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    struct geopm_shm *shm = make_segment(key, sizeof(key), "check");
    assert_rc(geopm_shm_unlock(shm), -EPERM);
    assert_rc(geopm_shm_lock(shm), 0);
    assert_rc(geopm_shm_lock(shm), -EDEADLK);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct geopm_shm *user = NULL;
        geopm_shm_destroy(shm);
        if (geopm_shm_attach_user(key, 5, &user) != 0) {
            _exit(1);
        }
        int rc = geopm_shm_unlock(user);
        geopm_shm_destroy(user);
        _exit(rc == -EPERM ? 0 : 2);
    }
    assert_int_equal(shm_test_wait(pid), 0);
    /* Still held by this thread, so the child's unlock changed nothing. */
    assert_rc(geopm_shm_lock(shm), -EDEADLK);
    assert_rc(geopm_shm_unlock(shm), 0);
    assert_rc(geopm_shm_unlock(shm), -EPERM);
    drop_segment(shm);
}

/* Returns from inside the locked scope, as callers do on errors. */
static int locked_section(struct geopm_shm *shm, int *inner)
{
    GEOPM_SHM_SCOPED_LOCK(shm);
    if (GEOPM_SHM_SCOPED_LOCK_STATUS != 0) {
        return GEOPM_SHM_SCOPED_LOCK_STATUS;
    }
    *inner = geopm_shm_lock(shm);
    return 0;
}

static void test_scoped_lock(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    struct geopm_shm *shm = make_segment(key, sizeof(key), "scoped");
    int inner = 0;
    {
        GEOPM_SHM_SCOPED_LOCK(shm);
        assert_rc(GEOPM_SHM_SCOPED_LOCK_STATUS, 0);
        inner = geopm_shm_lock(shm);
    }
    assert_rc(inner, -EDEADLK);
    assert_rc(geopm_shm_lock(shm), 0);
    assert_rc(geopm_shm_unlock(shm), 0);

    inner = 0;
    assert_rc(locked_section(shm, &inner), 0);
    assert_rc(inner, -EDEADLK);
    assert_rc(geopm_shm_lock(shm), 0);
    assert_rc(geopm_shm_unlock(shm), 0);
    drop_segment(shm);
}

/* A scoped lock on nothing reports the error and releases nothing. */
static void test_scoped_lock_null(void **state)
{
    (void)state;
    int status = 0;
    {
        GEOPM_SHM_SCOPED_LOCK(NULL);
        status = GEOPM_SHM_SCOPED_LOCK_STATUS;
    }
    assert_rc(status, GEOPM_ERROR_INVALID);
}

int main(void)
{
    shm_test_watchdog(120);
    /* A child that fails early closes its end of a pipe; writing to it must
     * then fail with EPIPE rather than kill the test program. */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_owner_exited),
        cmocka_unit_test(test_owner_killed),
        cmocka_unit_test(test_excludes_across_processes),
        cmocka_unit_test(test_error_checking),
        cmocka_unit_test(test_scoped_lock),
        cmocka_unit_test(test_scoped_lock_null),
    };
    return cmocka_run_group_tests_name("shm_lock", tests, NULL, shm_test_teardown);
}
