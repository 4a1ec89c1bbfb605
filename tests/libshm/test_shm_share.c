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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "geopm_shm.h"
#include "shm_test_util.h"

#define SHARE_SIZE 8192
#define HALF (SHARE_SIZE / 2)

static unsigned char owner_byte(size_t i)
{
    return (unsigned char)(i * 13 + 5);
}

static unsigned char user_byte(size_t i)
{
    return (unsigned char)(i * 29 + 11);
}

/* Exit codes of the user child, one per way to fail. */
enum share_failure {
    SHARE_OK = 0,
    SHARE_ATTACH = 10,
    SHARE_PIPE,
    SHARE_OWNER_DATA,
};

/* The user, in its own process and mapping: says it is attached, waits for
 * the owner's data, checks it, writes its own into the second half and
 * says so.  The owner's object it inherited with the fork is freed first,
 * so that only the user's own mapping can be used. */
static int user_child(struct geopm_shm *inherited, const char *key, int to_parent,
                      int from_parent)
{
    struct geopm_shm *shm = NULL;
    char byte = 'a';
    geopm_shm_destroy(inherited);
    if (geopm_shm_attach_user(key, 5, &shm) != 0) {
        return SHARE_ATTACH;
    }
    int result = SHARE_OK;
    unsigned char *data = geopm_shm_pointer(shm);
    if (write(to_parent, &byte, 1) != 1 || read(from_parent, &byte, 1) != 1) {
        result = SHARE_PIPE;
    }
    for (size_t i = 0; i < HALF && result == SHARE_OK; ++i) {
        if (data[i] != owner_byte(i)) {
            result = SHARE_OWNER_DATA;
        }
    }
    if (result == SHARE_OK) {
        for (size_t i = HALF; i < SHARE_SIZE; ++i) {
            data[i] = user_byte(i);
        }
        byte = 'u';
        if (write(to_parent, &byte, 1) != 1) {
            result = SHARE_PIPE;
        }
    }
    geopm_shm_destroy(shm);
    return result;
}

/* The owner writes only after the user has attached, and the user writes
 * only after reading, so each side sees data the other wrote through its own
 * mapping, not a copy made at attach or fork time. */
static void test_owner_and_user_share(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    int up[2];
    int down[2];
    struct geopm_shm *shm = NULL;
    shm_test_key(key, sizeof(key), "share");
    assert_rc(geopm_shm_create_owner_secure(key, SHARE_SIZE, &shm), 0);
    assert_int_equal(pipe(up), 0);
    assert_int_equal(pipe(down), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(up[0]);
        close(down[1]);
        _exit(user_child(shm, key, up[1], down[0]));
    }
    close(up[1]);
    close(down[0]);
    unsigned char *data = geopm_shm_pointer(shm);
    char byte = 0;
    int attached = read(up[0], &byte, 1) == 1 && byte == 'a';
    if (attached) {
        for (size_t i = 0; i < HALF; ++i) {
            data[i] = owner_byte(i);
        }
    }
    int told = write(down[1], "o", 1) == 1;
    close(down[1]);
    int answered = read(up[0], &byte, 1) == 1 && byte == 'u';
    close(up[0]);
    int status = shm_test_wait(pid);
    size_t wrong = 0;
    for (size_t i = HALF; i < SHARE_SIZE; ++i) {
        wrong += data[i] != user_byte(i);
    }
    assert_rc(geopm_shm_unlink(shm), 0);
    geopm_shm_destroy(shm);
    assert_int_equal(status, SHARE_OK);
    assert_true(attached && told && answered);
    assert_int_equal(wrong, 0);
}

/* Unlinking removes the name only: new attaches fail, the mappings that
 * exist keep sharing, and the key is free for a new, separate segment. */
static void test_unlink_keeps_mappings(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    struct geopm_shm *owner = NULL;
    struct geopm_shm *user = NULL;
    struct geopm_shm *other = SHM_TEST_SENTINEL;
    struct stat st;
    shm_test_key(key, sizeof(key), "unlink");
    shm_test_path(path, sizeof(path), key);
    assert_rc(geopm_shm_create_owner(key, 64, &owner), 0);
    assert_rc(geopm_shm_attach_user(key, 0, &user), 0);
    assert_rc(geopm_shm_unlink(owner), 0);
    assert_int_equal(lstat(path, &st), -1);
    assert_int_equal(errno, ENOENT);
    assert_rc(geopm_shm_attach_user(key, 0, &other), -ENOENT);
    assert_ptr_equal(other, SHM_TEST_SENTINEL);

    volatile uint64_t *mine = geopm_shm_pointer(owner);
    volatile uint64_t *theirs = geopm_shm_pointer(user);
    mine[0] = 0x1111222233334444u;
    assert_int_equal(theirs[0], 0x1111222233334444u);
    theirs[1] = 0x5555666677778888u;
    assert_int_equal(mine[1], 0x5555666677778888u);
    assert_rc(geopm_shm_lock(user), 0);
    assert_rc(geopm_shm_unlock(user), 0);

    assert_rc(geopm_shm_unlink(owner), -ENOENT);
    assert_rc(geopm_shm_unlink(user), -ENOENT);

    struct geopm_shm *fresh = NULL;
    assert_rc(geopm_shm_create_owner(key, 64, &fresh), 0);
    volatile uint64_t *renewed = geopm_shm_pointer(fresh);
    assert_int_equal(renewed[0], 0);
    renewed[2] = 7;
    assert_int_equal(theirs[2], 0);
    assert_rc(geopm_shm_unlink(fresh), 0);
    geopm_shm_destroy(fresh);
    geopm_shm_destroy(user);
    geopm_shm_destroy(owner);
}

/* A user may unlink too, as the last one out of a job would. */
static void test_user_unlinks(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    struct geopm_shm *owner = NULL;
    struct geopm_shm *user = NULL;
    struct stat st;
    shm_test_key(key, sizeof(key), "user-unlink");
    shm_test_path(path, sizeof(path), key);
    assert_rc(geopm_shm_create_owner_secure(key, 64, &owner), 0);
    assert_rc(geopm_shm_attach_user(key, 0, &user), 0);
    assert_rc(geopm_shm_unlink(user), 0);
    assert_int_equal(lstat(path, &st), -1);
    assert_int_equal(errno, ENOENT);
    assert_rc(geopm_shm_unlink(owner), -ENOENT);
    geopm_shm_destroy(user);
    geopm_shm_destroy(owner);
}

/* Destroying an object unmaps it but leaves the segment: the key stays,
 * and the data is there for the next user. */
static void test_destroy_keeps_segment(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    struct geopm_shm *owner = NULL;
    struct geopm_shm *user = NULL;
    struct stat st;
    shm_test_key(key, sizeof(key), "destroy");
    shm_test_path(path, sizeof(path), key);
    assert_rc(geopm_shm_create_owner(key, 64, &owner), 0);
    *(uint32_t *)geopm_shm_pointer(owner) = 0xcafeU;
    geopm_shm_destroy(owner);
    assert_int_equal(lstat(path, &st), 0);
    assert_rc(geopm_shm_attach_user(key, 0, &user), 0);
    assert_int_equal(*(uint32_t *)geopm_shm_pointer(user), 0xcafeU);
    geopm_shm_destroy(user);
    assert_int_equal(lstat(path, &st), 0);
    assert_rc(geopm_shm_attach_user(key, 0, &user), 0);
    assert_rc(geopm_shm_unlink(user), 0);
    geopm_shm_destroy(user);
}

int main(void)
{
    shm_test_watchdog(120);
    /* A child that fails early closes its end of a pipe; writing to it must
     * then fail with EPIPE rather than kill the test program. */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_owner_and_user_share),
        cmocka_unit_test(test_unlink_keeps_mappings),
        cmocka_unit_test(test_user_unlinks),
        cmocka_unit_test(test_destroy_keeps_segment),
    };
    return cmocka_run_group_tests_name("shm_share", tests, NULL, shm_test_teardown);
}
