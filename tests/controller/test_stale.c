/* Stale segments and keys taken by something else (controller/stale.c,
 * libshm/job_peek.c, libshm/proc_start.c): what is found at a key is named
 * without being mapped or followed, and only segments whose controller is
 * gone are removed. */
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../libshm/shm_test_util.h"
#include "job.h"
#include "job_peek.h"
#include "proc_start.h"
#include "stale.h"

/* A job segment made by a child that exits without removing it, as a
 * controller killed with its job leaves it. */
static void make_orphan_segment(const char *key)
{
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        struct geopm_job *job = NULL;
        _exit(geopm__job_create(key, 2, -1, -1, &job) == 0 ? 0 : 1);
    }
    assert_int_equal(shm_test_wait(child), 0);
}

static bool key_exists(const char *key)
{
    char path[SHM_TEST_NAME_MAX];
    struct stat st;
    shm_test_path(path, sizeof(path), key);
    return lstat(path, &st) == 0;
}

static void test_start_ticks(void **state)
{
    (void)state;
    uint64_t mine = geopm__proc_start_ticks(getpid());
    assert_true(mine > 0);
    assert_true(geopm__proc_start_ticks(getpid()) == mine);
    /* init started first of all. */
    uint64_t init = geopm__proc_start_ticks(1);
    assert_true(init > 0 && init <= mine);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        _exit(0);
    }
    shm_test_wait(child);
    assert_true(geopm__proc_start_ticks(child) == 0);
}

static void test_peek_names_what_is_there(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    struct geopm_job_peek peek;
    shm_test_key(key, sizeof(key), "peek");
    shm_test_path(path, sizeof(path), key);

    assert_int_equal(geopm__job_peek(key, geteuid(), &peek), 0);
    assert_int_equal(peek.found, GEOPM_JOB_FOUND_NOTHING);

    assert_int_equal(symlink("/etc/passwd", path), 0);
    assert_int_equal(geopm__job_peek(key, geteuid(), &peek), 0);
    assert_int_equal(peek.found, GEOPM_JOB_FOUND_SYMLINK);
    assert_string_equal(geopm__job_found_text(peek.found), "a symbolic link");
    unlink(path);

    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(geopm__job_peek(key, geteuid(), &peek), 0);
    assert_int_equal(peek.found, GEOPM_JOB_FOUND_FIFO);
    unlink(path);

    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(geopm__job_peek(key, geteuid(), &peek), 0);
    assert_int_equal(peek.found, GEOPM_JOB_FOUND_DIRECTORY);
    rmdir(path);

    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
    assert_true(fd >= 0);
    assert_int_equal(shm_test_fill(fd, 4096, 0x5a), 0);
    close(fd);
    assert_int_equal(geopm__job_peek(key, geteuid(), &peek), 0);
    assert_int_equal(peek.found, GEOPM_JOB_FOUND_OTHER_FILE);
    assert_int_equal(peek.size, 4096);
    assert_int_equal(peek.mode & 07777, 0644);
    /* The same file, judged for another owner. */
    assert_int_equal(geopm__job_peek(key, geteuid() + 1, &peek), 0);
    assert_int_equal(peek.found, GEOPM_JOB_FOUND_FOREIGN);
    unlink(path);

    struct geopm_job *job = NULL;
    assert_int_equal(geopm__job_create(key, 2, -1, -1, &job), 0);
    assert_int_equal(geopm__job_peek(key, geteuid(), &peek), 0);
    assert_int_equal(peek.found, GEOPM_JOB_FOUND_SEGMENT);
    assert_int_equal(peek.controller_pid, getpid());
    assert_true(peek.controller_start == geopm__proc_start_ticks(getpid()));
    assert_int_equal(peek.layout_version, GEOPM_JOB_LAYOUT_VERSION);
    geopm__job_destroy(job, true);
}

static void test_only_gone_controllers_are_stale(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    struct geopm_job_peek peek;
    shm_test_key(key, sizeof(key), "judge");
    struct geopm_job *job = NULL;
    assert_int_equal(geopm__job_create(key, 2, -1, -1, &job), 0);
    assert_int_equal(geopm__job_peek(key, geteuid(), &peek), 0);
    /* Our own segment. */
    assert_false(ctl_stale_controller_gone(&peek));
    /* A live process started when the segment says: alive. */
    peek.controller_pid = 1;
    peek.controller_start = geopm__proc_start_ticks(1);
    assert_false(ctl_stale_controller_gone(&peek));
    /* Its pid, but another start time: the pid was reused. */
    peek.controller_start += 1;
    assert_true(ctl_stale_controller_gone(&peek));
    /* No start time recorded (layout version 1): the pid alone decides. */
    peek.controller_start = 0;
    assert_false(ctl_stale_controller_gone(&peek));
    geopm__job_destroy(job, true);
}

static void test_remove_and_sweep(void **state)
{
    (void)state;
    char live[SHM_TEST_NAME_MAX];
    char orphan[SHM_TEST_NAME_MAX];
    char other[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    struct geopm_job_peek peek;
    shm_test_key(live, sizeof(live), "live");
    shm_test_key(orphan, sizeof(orphan), "orphan");
    shm_test_key(other, sizeof(other), "not-a-segment");
    struct geopm_job *job = NULL;
    assert_int_equal(geopm__job_create(live, 2, -1, -1, &job), 0);
    make_orphan_segment(orphan);
    shm_test_path(path, sizeof(path), other);
    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
    assert_true(fd >= 0);
    assert_int_equal(shm_test_fill(fd, 8192, 0), 0);
    close(fd);

    /* Not for another owner. */
    assert_false(ctl_stale_remove(orphan, geteuid() + 1, &peek));
    assert_int_equal(peek.found, GEOPM_JOB_FOUND_FOREIGN);
    assert_true(key_exists(orphan));
    assert_false(ctl_stale_remove(live, geteuid(), &peek));
    assert_int_equal(peek.found, GEOPM_JOB_FOUND_SEGMENT);
    assert_false(ctl_stale_remove(other, geteuid(), &peek));
    assert_int_equal(peek.found, GEOPM_JOB_FOUND_OTHER_FILE);

    assert_true(ctl_stale_sweep(geteuid()) >= 1);
    assert_false(key_exists(orphan));
    assert_true(key_exists(live));
    assert_true(key_exists(other));
    geopm__job_destroy(job, true);
    unlink(path);
}

int main(void)
{
    shm_test_watchdog(60);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_ticks),
        cmocka_unit_test(test_peek_names_what_is_there),
        cmocka_unit_test(test_only_gone_controllers_are_stale),
        cmocka_unit_test(test_remove_and_sweep),
    };
    return cmocka_run_group_tests_name("stale", tests, NULL, shm_test_teardown);
}
