/* Issue 6, scenario 13: the chown race (CVE-2023-41915 in PMIx,
 * CVE-2018-6954 in systemd).  An attacker renames symlinks to a root-owned
 * canary over the segment's name as fast as it can while root creates the
 * segment, gives it to another user, unlinks and destroys it, 1,000 times:
 * the canary's owner never changes.  The attacker runs as root on purpose:
 * fs.protected_symlinks stops root from following a symlink of another user
 * in the sticky /dev/shm, which would hide a chown that follows the name.
 * Runs as root only. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "geopm_shm.h"
#include "shm_test_util.h"

#define CYCLES 1000
#define JOB_USER 65534u

/* Shared between root's cycles and the attacker's loop. */
struct race {
    _Atomic int stop;
    _Atomic uint64_t renames;
};

/* Root's side, counted. */
struct cycles {
    int created;
    int beaten;       /* the key was a symlink already: -EEXIST */
    int swapped;      /* the key was a symlink right after the chown */
    int owner_changes;
};

/* Swaps a fresh symlink to the canary over the key until told to stop. */
static _Noreturn void run_attacker(struct race *race, const char *canary, const char *path,
                                   const char *temp)
{
    while (!atomic_load_explicit(&race->stop, memory_order_relaxed)) {
        unlink(temp);
        if (symlink(canary, temp) == 0 && rename(temp, path) == 0) {
            atomic_fetch_add_explicit(&race->renames, 1, memory_order_relaxed);
        }
    }
    unlink(temp);
    _exit(0);
}

static bool canary_untouched(const char *canary, const struct stat *before)
{
    struct stat now;
    return stat(canary, &now) == 0 && now.st_uid == before->st_uid &&
           now.st_gid == before->st_gid && now.st_mode == before->st_mode;
}

/* One cycle of root: create, give away, unlink, destroy.  A key the
 * attacker holds is cleared, as an administrator would, so that the next
 * cycle can create again. */
static void run_cycle(const char *key, const char *path, struct cycles *counts)
{
    struct geopm_shm *shm = NULL;
    int rc = geopm_shm_create_owner_secure(key, 64, &shm);
    if (rc == -EEXIST) {
        ++counts->beaten;
        unlink(path);
        return;
    }
    assert_rc(rc, 0);
    ++counts->created;
    int chown_rc = geopm_shm_chown(shm, JOB_USER, JOB_USER);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        ++counts->swapped;
    }
    /* By name: it removes whatever the attacker put there, which is fine. */
    geopm_shm_unlink(shm);
    geopm_shm_destroy(shm);
    assert_rc(chown_rc, 0);
}

static void test_chown_race(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    char temp[SHM_TEST_NAME_MAX + 8];
    char folder[] = "/tmp/geopm-test-canary-XXXXXX";
    char canary[sizeof(folder) + 16];
    shm_test_key(key, sizeof(key), "race");
    shm_test_path(path, sizeof(path), key);
    snprintf(temp, sizeof(temp), "%s.link", path);
    shm_test_track(temp);
    assert_non_null(mkdtemp(folder));
    snprintf(canary, sizeof(canary), "%s/canary", folder);
    shm_test_track(canary);
    shm_test_track(folder);
    int fd = open(canary, O_WRONLY | O_CREAT | O_EXCL, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "canary\n", 7), 7);
    close(fd);
    struct stat before;
    assert_int_equal(stat(canary, &before), 0);

    struct race *race = mmap(NULL, sizeof(*race), PROT_READ | PROT_WRITE,
                             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    assert_true(race != MAP_FAILED);
    atomic_init(&race->stop, 0);
    atomic_init(&race->renames, 0);
    fflush(stdout);
    pid_t attacker = fork();
    assert_true(attacker >= 0);
    if (attacker == 0) {
        run_attacker(race, canary, path, temp);
    }
    /* Let the attacker start swapping before the first cycle. */
    while (atomic_load(&race->renames) == 0) {
        usleep(100);
    }

    struct cycles counts = {0};
    for (int i = 0; i < CYCLES; ++i) {
        run_cycle(key, path, &counts);
        if (!canary_untouched(canary, &before)) {
            ++counts.owner_changes;
            /* Put it back, so that each cycle is counted on its own. */
            chown(canary, before.st_uid, before.st_gid);
        }
    }
    atomic_store(&race->stop, 1);
    int attacker_status = shm_test_wait(attacker);
    uint64_t renames = atomic_load(&race->renames);
    munmap(race, sizeof(*race));
    unlink(path);

    shm_test_note("%d cycles: %d created the segment, %d beaten by the attacker's symlink "
                  "(EEXIST), %d with the symlink in place right after the chown; %llu renames "
                  "by the attacker\n",
                  CYCLES, counts.created, counts.beaten, counts.swapped,
                  (unsigned long long)renames);
    shm_test_note("the canary's owner changed %d times (criterion: 0)\n", counts.owner_changes);
    assert_int_equal(attacker_status, 0);
    assert_int_equal(counts.owner_changes, 0);
    /* Both sides must really have raced for the count above to mean
     * anything. */
    assert_true(counts.created > 0);
    assert_true(renames > 0);
}

int main(void)
{
    if (geteuid() != 0) {
        printf("1..0 # SKIP needs root: root's chown is what is attacked (this is uid %u)\n",
               (unsigned)geteuid());
        return 0;
    }
    shm_test_watchdog(60);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chown_race),
    };
    return cmocka_run_group_tests_name("sec_chown_race", tests, NULL, shm_test_teardown);
}
