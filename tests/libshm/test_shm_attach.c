#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "geopm_shm.h"
#include "shm_test_util.h"

static void assert_message_names(int rc, const char *key)
{
    char message[1024];
    geopm_error_message(rc, message, sizeof(message));
    if (strstr(message, key) == NULL) {
        shm_test_note("message \"%s\" does not name the key %s\n", message, key);
        fail();
    }
}

/* One try finds nothing: -ENOENT, at once. */
static void test_absent_no_wait(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    struct geopm_shm *shm = SHM_TEST_SENTINEL;
    shm_test_key(key, sizeof(key), "absent0");
    double start = shm_test_now();
    int rc = geopm_shm_attach_user(key, 0, &shm);
    double elapsed = shm_test_now() - start;
    assert_message_names(rc, key);
    assert_rc(rc, -ENOENT);
    assert_ptr_equal(shm, SHM_TEST_SENTINEL);
    assert_true(elapsed < 0.5 || !shm_test_times_are_checked());
}

/* Waiting for an owner that never comes takes the timeout, no more, and
 * sleeps rather than spins: the CPU time of the wait stays far below it. */
static void test_absent_times_out_asleep(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    struct geopm_shm *shm = SHM_TEST_SENTINEL;
    shm_test_key(key, sizeof(key), "absent2");
    double cpu = shm_test_cpu();
    double start = shm_test_now();
    int rc = geopm_shm_attach_user(key, 2, &shm);
    double elapsed = shm_test_now() - start;
    cpu = shm_test_cpu() - cpu;
    assert_message_names(rc, key);
    assert_rc(rc, -ETIMEDOUT);
    assert_ptr_equal(shm, SHM_TEST_SENTINEL);
    if (shm_test_times_are_checked() && (elapsed < 1.9 || elapsed > 3.0 || cpu >= 0.1)) {
        shm_test_note("waited %.3f s using %.3f s of CPU\n", elapsed, cpu);
        fail();
    }
}

/* The owner appears 300 ms after the user starts waiting.  The child keeps
 * the key until the parent has attached (or given up: the pipe closes). */
static void test_late_owner(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    int done[2];
    shm_test_key(key, sizeof(key), "late");
    assert_int_equal(pipe(done), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct geopm_shm *shm = NULL;
        char byte;
        close(done[1]);
        nanosleep(&(struct timespec){0, 300000000L}, NULL);
        if (geopm_shm_create_owner_secure(key, 1000, &shm) != 0) {
            _exit(1);
        }
        int got = (int)read(done[0], &byte, 1);
        geopm_shm_unlink(shm);
        geopm_shm_destroy(shm);
        _exit(got == 1 ? 0 : 2);
    }
    close(done[0]);
    struct geopm_shm *shm = NULL;
    double start = shm_test_now();
    int rc = geopm_shm_attach_user(key, 5, &shm);
    double elapsed = shm_test_now() - start;
    size_t size = geopm_shm_size(rc == 0 ? shm : NULL);
    assert_int_equal(write(done[1], "x", 1), 1);
    close(done[1]);
    int status = shm_test_wait(pid);
    if (rc == 0) {
        geopm_shm_destroy(shm);
    }
    assert_int_equal(status, 0);
    assert_rc(rc, 0);
    assert_int_equal(size, 1000);
    if (elapsed < 0.25 || (elapsed > 4.0 && shm_test_times_are_checked())) {
        shm_test_note("attached after %.3f s\n", elapsed);
        fail();
    }
}

/* Plants, under this user and mode 0600, a file of size bytes of byte. */
static void plant(const char *key, size_t size, unsigned char byte)
{
    char path[SHM_TEST_NAME_MAX];
    shm_test_path(path, sizeof(path), key);
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(shm_test_fill(fd, size, byte), 0);
    close(fd);
}

/* A file at the key that its owner is still making (empty, shorter than any
 * header, or sized but still zero) is not a segment yet: one try says so,
 * and a wait ends with -ETIMEDOUT. */
static void test_half_made(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 8, 64 * 1024};
    char key[SHM_TEST_NAME_MAX];
    char name[64];
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); ++i) {
        snprintf(name, sizeof(name), "half-%zu", sizes[i]);
        shm_test_key(key, sizeof(key), name);
        plant(key, sizes[i], 0);
        struct geopm_shm *shm = SHM_TEST_SENTINEL;
        int rc = geopm_shm_attach_user(key, 0, &shm);
        if (rc != GEOPM_ERROR_NOT_READY && rc != -ENOENT) {
            shm_test_note("file of %zu bytes, one try: got %d\n", sizes[i], rc);
            fail();
        }
        assert_ptr_equal(shm, SHM_TEST_SENTINEL);
        double start = shm_test_now();
        rc = geopm_shm_attach_user(key, 1, &shm);
        double elapsed = shm_test_now() - start;
        assert_rc(rc, -ETIMEDOUT);
        assert_ptr_equal(shm, SHM_TEST_SENTINEL);
        assert_true(elapsed >= 0.9 && (elapsed < 2.5 || !shm_test_times_are_checked()));
    }
}

/* Bytes that are not this library's header are refused, not mapped as a
 * segment. */
static void test_refuses_garbage(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    struct geopm_shm *shm = SHM_TEST_SENTINEL;
    shm_test_key(key, sizeof(key), "garbage");
    plant(key, 64 * 1024, 0xa5);
    int rc = geopm_shm_attach_user(key, 0, &shm);
    if (rc != GEOPM_ERROR_LAYOUT && rc != GEOPM_ERROR_NOT_READY) {
        shm_test_note("got %d\n", rc);
        fail();
    }
    assert_ptr_equal(shm, SHM_TEST_SENTINEL);
}

/* A symlink to a real segment is not a regular file: the user refuses it
 * rather than follow it. */
static void test_refuses_symlink(void **state)
{
    (void)state;
    char real[SHM_TEST_NAME_MAX];
    char key[SHM_TEST_NAME_MAX];
    char real_path[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    struct geopm_shm *owner = NULL;
    struct geopm_shm *shm = SHM_TEST_SENTINEL;
    shm_test_key(real, sizeof(real), "real");
    shm_test_path(real_path, sizeof(real_path), real);
    shm_test_key(key, sizeof(key), "link");
    shm_test_path(path, sizeof(path), key);
    assert_rc(geopm_shm_create_owner(real, 64, &owner), 0);
    assert_int_equal(symlink(real_path, path), 0);
    int rc = geopm_shm_attach_user(key, 0, &shm);
    if (rc == 0) {
        geopm_shm_destroy(shm);
    }
    geopm_shm_unlink(owner);
    geopm_shm_destroy(owner);
    assert_rc(rc, GEOPM_ERROR_UNSAFE);
    assert_ptr_equal(shm, SHM_TEST_SENTINEL);
    assert_message_names(rc, key);
}

/* Nor is a directory, which the owner may not have made. */
static void test_refuses_directory(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    struct geopm_shm *shm = SHM_TEST_SENTINEL;
    shm_test_key(key, sizeof(key), "dir");
    shm_test_path(path, sizeof(path), key);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_rc(geopm_shm_attach_user(key, 0, &shm), GEOPM_ERROR_UNSAFE);
    assert_ptr_equal(shm, SHM_TEST_SENTINEL);
}

int main(void)
{
    shm_test_watchdog(120);
    /* A child that fails early closes its end of a pipe; writing to it must
     * then fail with EPIPE rather than kill the test program. */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absent_no_wait),
        cmocka_unit_test(test_absent_times_out_asleep),
        cmocka_unit_test(test_late_owner),
        cmocka_unit_test(test_half_made),
        cmocka_unit_test(test_refuses_garbage),
        cmocka_unit_test(test_refuses_symlink),
        cmocka_unit_test(test_refuses_directory),
    };
    return cmocka_run_group_tests_name("shm_attach", tests, NULL, shm_test_teardown);
}
