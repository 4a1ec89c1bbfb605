/* Reads of a segment its owner truncates (controller/read_guard.c and its
 * use by the monitor): a read of a page that is gone returns an error
 * instead of killing the controller with SIGBUS, every time; a SIGBUS
 * outside a guarded read still kills. */
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
#include <unistd.h>

#include <cmocka.h>

#include "../libshm/shm_test_util.h"
#include "geopm_shm.h"
#include "host_info.h"
#include "job.h"
#include "job_writer.h"
#include "monitor.h"
#include "read_guard.h"

#define PAGES 4

struct mapped_file {
    int fd;
    size_t page;
    volatile uint64_t *words;
};

static void map_file(struct mapped_file *file, const char *key)
{
    char path[SHM_TEST_NAME_MAX];
    shm_test_path(path, sizeof(path), key);
    file->page = (size_t)sysconf(_SC_PAGESIZE);
    file->fd = open(path, O_CREAT | O_EXCL | O_RDWR, 0600);
    assert_true(file->fd >= 0);
    assert_int_equal(shm_test_fill(file->fd, PAGES * file->page, 0x11), 0);
    void *map = mmap(NULL, PAGES * file->page, PROT_READ, MAP_SHARED, file->fd, 0);
    assert_true(map != MAP_FAILED);
    file->words = map;
}

static void unmap_file(struct mapped_file *file)
{
    munmap((void *)file->words, PAGES * file->page);
    close(file->fd);
}

struct word_read {
    volatile uint64_t *word;
    uint64_t value;
};

static int read_word(void *arg)
{
    struct word_read *read = arg;
    read->value = *read->word;
    return 7;
}

static void test_guarded_reads(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    struct mapped_file file;
    shm_test_key(key, sizeof(key), "guard");
    map_file(&file, key);
    ctl_read_guard_install();
    struct word_read last = {file.words + (PAGES - 1) * file.page / 8, 0};
    struct word_read first = {file.words, 0};
    assert_int_equal(ctl_guarded_call(read_word, &last), 7);
    assert_true(last.value == UINT64_C(0x1111111111111111));
    assert_int_equal(ftruncate(file.fd, (off_t)file.page), 0);
    /* Twice: the first fault must not leave SIGBUS blocked. */
    for (int i = 0; i < 2; ++i) {
        last.value = 0;
        assert_int_equal(ctl_guarded_call(read_word, &last), CTL_GUARD_FAULT);
        assert_true(last.value == 0);
    }
    assert_int_equal(ctl_guarded_call(read_word, &first), 7);
    assert_true(first.value == UINT64_C(0x1111111111111111));
    unmap_file(&file);
}

static void test_unguarded_fault_still_kills(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    struct mapped_file file;
    shm_test_key(key, sizeof(key), "unguarded");
    map_file(&file, key);
    assert_int_equal(ftruncate(file.fd, 0), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        /* cmocka's own handler would catch the signal in the child. */
        signal(SIGBUS, SIG_DFL);
        ctl_read_guard_install();
        uint64_t value = file.words[0];
        _exit(value == 0 ? 2 : 3);
    }
    assert_int_equal(shm_test_wait(child), 128 + SIGBUS);
    unmap_file(&file);
}

/* A live job whose user truncates the segment under the monitor: the
 * monitor goes on, says the segment is damaged, and reports a slot whose
 * pages are gone as corrupt: at once when its head is gone, at the end when
 * only its region table is. */
static void test_monitor_survives_truncation(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    shm_test_key(key, sizeof(key), "truncated-job");
    shm_test_path(path, sizeof(path), key);
    struct geopm_job *job = NULL;
    struct geopm_job_slot *slot = NULL;
    assert_int_equal(geopm__job_create(key, 2, -1, -1, &job), 0);
    for (int rank = 0; rank < 2; ++rank) {
        assert_int_equal(geopm__job_claim_slot(job, rank, "victim", &slot), 0);
        /* Its name lies in the slot's name pool, pages away from its head. */
        assert_int_equal(geopm__job_slot_add_region(slot, 0, 0x1234, "region"), 0);
    }
    struct ctl_monitor monitor;
    struct ctl_monitor_config config = {0.005, 5, 0, false, NULL};
    uint64_t now = ctl_now_ns();
    assert_int_equal(ctl_monitor_init(&monitor, job, &config, now), 0);
    ctl_monitor_sample(&monitor, now);
    for (int index = 0; index < 2; ++index) {
        assert_true(monitor.procs[index].seen);
        assert_false(monitor.procs[index].ended);
    }
    assert_false(monitor.damaged);

    /* The first page holds the headers and slot 0's head lines. */
    assert_int_equal(truncate(path, 4096), 0);
    ctl_monitor_sample(&monitor, now + 5000000);
    assert_true(monitor.damaged);
    assert_true(monitor.damaged_size == 4096);
    assert_false(monitor.procs[0].ended);
    assert_true(monitor.procs[1].ended);
    assert_int_equal(monitor.procs[1].status, CTL_PROC_CORRUPT);
    assert_non_null(strstr(monitor.procs[1].why, "truncated"));
    shm_test_note("slot 1 after truncation: %s\n", monitor.procs[1].why);

    struct ctl_report *report = NULL;
    assert_int_equal(ctl_report_create(&report), 0);
    assert_int_equal(ctl_monitor_collect(&monitor, now + 10000000, report), 0);
    assert_int_equal(monitor.procs[0].status, CTL_PROC_CORRUPT);
    assert_non_null(strstr(monitor.procs[0].why, "truncated"));

    /* Nothing left at all: the header's count reads as the last seen. */
    assert_int_equal(truncate(path, 0), 0);
    ctl_monitor_sample(&monitor, now + 15000000);
    assert_true(monitor.damaged_size == 0);
    assert_int_equal(monitor.claimed, 2);
    ctl_report_destroy(report);
    ctl_monitor_fini(&monitor);
    geopm__job_destroy(job, true);
}

int main(void)
{
    shm_test_watchdog(60);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guarded_reads),
        cmocka_unit_test(test_monitor_survives_truncation),
        cmocka_unit_test(test_unguarded_fault_still_kills),
    };
    size_t count = sizeof(tests) / sizeof(tests[0]);
    if (getenv("GEOPM_TEST_UNDER_VALGRIND") != NULL) {
        /* valgrind reports a deliberate fault as an invalid read and does
         * not deliver it as the kernel would; cmocka's skip() would count
         * as a failure (see test_shm_chown.c), so the test is left out. */
        printf("# under valgrind: test_unguarded_fault_still_kills is left out\n");
        --count;
    }
    return _cmocka_run_group_tests("read_guard", tests, count, NULL, shm_test_teardown);
}
