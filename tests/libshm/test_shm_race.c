#include <config.h>

#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "geopm_shm.h"
#include "shm_test_util.h"

#define RACE_ROUNDS 200
#define RACE_SIZE (3 * 4096 + 17)

/* Exit codes of the attaching child, one per way to fail. */
enum race_failure {
    RACE_OK = 0,
    RACE_ATTACH = 10,
    RACE_SIZE_WRONG,
    RACE_MISALIGNED,
    RACE_LOCK,
    RACE_TORN,
    RACE_UNLOCK,
};

static unsigned char pattern_of(int round)
{
    return (unsigned char)(0x80 | (round & 0x7f));
}

/* Attaches the way a rank does (one call that waits), or eagerly (one try
 * after another, without sleeping, to land inside the owner's short steps
 * more often).  Until the segment is published, a try may only say "not
 * yet"; any other error means the user saw a half-made segment. */
static int attach(const char *key, int eager, struct geopm_shm **shm)
{
    if (!eager) {
        return geopm_shm_attach_user(key, 10, shm);
    }
    double deadline = shm_test_now() + 10.0;
    int rc;
    do {
        rc = geopm_shm_attach_user(key, 0, shm);
    } while ((rc == -ENOENT || rc == GEOPM_ERROR_NOT_READY) && shm_test_now() < deadline);
    return rc;
}

/* The child attaches while the parent creates.  Whenever attach succeeds,
 * the segment must be whole: the right size, a working lock, and under the
 * lock either none or all of the parent's pattern. */
static int race_child(const char *key, int eager, int round)
{
    struct geopm_shm *shm = NULL;
    int rc = attach(key, eager, &shm);
    if (rc != 0) {
        dprintf(STDOUT_FILENO, "# round %d: attach returned %d\n", round, rc);
        return RACE_ATTACH;
    }
    enum race_failure result = RACE_OK;
    const unsigned char *data = geopm_shm_pointer(shm);
    if (geopm_shm_size(shm) != RACE_SIZE) {
        dprintf(STDOUT_FILENO, "# round %d: size %zu\n", round, geopm_shm_size(shm));
        result = RACE_SIZE_WRONG;
    }
    else if ((uintptr_t)data % 64 != 0) {
        result = RACE_MISALIGNED;
    }
    else if (geopm_shm_lock(shm) != 0) {
        result = RACE_LOCK;
    }
    else {
        unsigned char first = data[0];
        if (first != 0 && first != pattern_of(round)) {
            result = RACE_TORN;
        }
        for (size_t i = 1; i < RACE_SIZE && result == RACE_OK; ++i) {
            if (data[i] != first) {
                result = RACE_TORN;
            }
        }
        if (geopm_shm_unlock(shm) != 0 && result == RACE_OK) {
            result = RACE_UNLOCK;
        }
    }
    geopm_shm_destroy(shm);
    return result;
}

/* The parent starts creating at slightly different moments after the fork,
 * so that the child's tries land on every stage of the creation. */
static void stagger(int round)
{
    switch (round % 4) {
    case 1:
        sched_yield();
        break;
    case 2:
        nanosleep(&(struct timespec){0, 100000L}, NULL);
        break;
    case 3:
        nanosleep(&(struct timespec){0, 2000000L}, NULL);
        break;
    default:
        break;
    }
}

static void race_rounds(int eager)
{
    char key[SHM_TEST_NAME_MAX];
    int statuses[RACE_ROUNDS];
    shm_test_key(key, sizeof(key), eager ? "race-eager" : "race");
    for (int round = 0; round < RACE_ROUNDS; ++round) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            _exit(race_child(key, eager, round));
        }
        stagger(round);
        struct geopm_shm *shm = NULL;
        int rc = round % 2 ? geopm_shm_create_owner(key, RACE_SIZE, &shm)
                           : geopm_shm_create_owner_secure(key, RACE_SIZE, &shm);
        int lock_rc = -1;
        if (rc == 0) {
            lock_rc = geopm_shm_lock(shm);
            memset(geopm_shm_pointer(shm), pattern_of(round), RACE_SIZE);
            if (lock_rc == 0) {
                geopm_shm_unlock(shm);
            }
        }
        statuses[round] = shm_test_wait(pid);
        if (rc == 0) {
            geopm_shm_unlink(shm);
            geopm_shm_destroy(shm);
        }
        assert_rc(rc, 0);
        assert_rc(lock_rc, 0);
    }
    int failures = 0;
    for (int round = 0; round < RACE_ROUNDS; ++round) {
        if (statuses[round] != RACE_OK) {
            shm_test_note("round %d: child status %d\n", round, statuses[round]);
            ++failures;
        }
    }
    assert_int_equal(failures, 0);
}

static void test_waiting_attach_races_create(void **state)
{
    (void)state;
    race_rounds(0);
}

static void test_eager_attach_races_create(void **state)
{
    (void)state;
    race_rounds(1);
}

int main(void)
{
    shm_test_watchdog(120);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_waiting_attach_races_create),
        cmocka_unit_test(test_eager_attach_races_create),
    };
    return cmocka_run_group_tests_name("shm_race", tests, NULL, shm_test_teardown);
}
