#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
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

static const char g_canary[] = "canary contents, not a segment\n";

typedef int (*create_fn)(const char *, size_t, struct geopm_shm **);

static const create_fn g_creators[] = {geopm_shm_create_owner, geopm_shm_create_owner_secure};

/* Writes the canary text into a new file at path with the given mode. */
static void plant_file(const char *path, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, g_canary, sizeof(g_canary)), sizeof(g_canary));
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

/* The file at path has the same identity, metadata and canary text as in
 * before. */
static void assert_unchanged(const char *path, const struct stat *before)
{
    struct stat after;
    char text[sizeof(g_canary) + 16] = {0};
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(after.st_ino, before->st_ino);
    assert_int_equal(after.st_mode, before->st_mode);
    assert_int_equal(after.st_uid, before->st_uid);
    assert_int_equal(after.st_gid, before->st_gid);
    assert_int_equal(after.st_size, before->st_size);
    assert_int_equal(after.st_mtim.tv_sec, before->st_mtim.tv_sec);
    assert_int_equal(after.st_mtim.tv_nsec, before->st_mtim.tv_nsec);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(read(fd, text, sizeof(text)), sizeof(g_canary));
    close(fd);
    assert_memory_equal(text, g_canary, sizeof(g_canary));
}

/* Both create functions fail with -EEXIST and leave the output alone. */
static void expect_exists(const char *key)
{
    for (size_t i = 0; i < 2; ++i) {
        struct geopm_shm *shm = SHM_TEST_SENTINEL;
        assert_rc(g_creators[i](key, 4096, &shm), -EEXIST);
        assert_ptr_equal(shm, SHM_TEST_SENTINEL);
    }
}

static void test_existing_file_untouched(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    struct stat before;
    shm_test_key(key, sizeof(key), "existing");
    shm_test_path(path, sizeof(path), key);
    plant_file(path, 0640);
    assert_int_equal(stat(path, &before), 0);
    expect_exists(key);
    assert_unchanged(path, &before);
}

/* A live segment is not replaced or reset by a second owner. */
static void test_existing_segment_untouched(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    struct geopm_shm *first = NULL;
    shm_test_key(key, sizeof(key), "twice");
    assert_rc(geopm_shm_create_owner(key, 256, &first), 0);
    memset(geopm_shm_pointer(first), 0xab, 256);
    expect_exists(key);
    unsigned char *data = geopm_shm_pointer(first);
    for (size_t i = 0; i < 256; ++i) {
        assert_int_equal(data[i], 0xab);
    }
    assert_rc(geopm_shm_unlink(first), 0);
    geopm_shm_destroy(first);
}

/* A symlink planted at the key must not lead the owner to create or open
 * the file it points at. */
static void test_symlink_not_followed(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    char target[SHM_TEST_NAME_MAX];
    char link[SHM_TEST_NAME_MAX] = {0};
    struct stat before;
    struct stat st;
    shm_test_key(key, sizeof(key), "symlink");
    shm_test_path(path, sizeof(path), key);
    snprintf(target, sizeof(target), "/tmp/geopm-test-%ld-canary", (long)getpid());
    shm_test_track(target);
    plant_file(target, 0644);
    assert_int_equal(stat(target, &before), 0);
    assert_int_equal(symlink(target, path), 0);
    expect_exists(key);
    assert_unchanged(target, &before);
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_true(readlink(path, link, sizeof(link) - 1) > 0);
    assert_string_equal(link, target);
}

/* A symlink to nothing is the dangerous case: following it would create the
 * target wherever the link points. */
static void test_dangling_symlink(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    char target[SHM_TEST_NAME_MAX];
    struct stat st;
    shm_test_key(key, sizeof(key), "dangling");
    shm_test_path(path, sizeof(path), key);
    snprintf(target, sizeof(target), "/tmp/geopm-test-%ld-absent", (long)getpid());
    shm_test_track(target);
    assert_int_equal(symlink(target, path), 0);
    expect_exists(key);
    assert_int_equal(lstat(target, &st), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
}

static void test_directory_untouched(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    struct stat st;
    shm_test_key(key, sizeof(key), "directory");
    shm_test_path(path, sizeof(path), key);
    assert_int_equal(mkdir(path, 0700), 0);
    expect_exists(key);
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0700);
}

/* The mode is exact whatever the umask, and the umask is left as it was:
 * changing it would race with other threads of the caller. */
static void test_mode_ignores_umask(void **state)
{
    (void)state;
    static const mode_t masks[] = {0000, 0022, 0077, 0777};
    static const mode_t modes[] = {0666, 0600};
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    shm_test_key(key, sizeof(key), "mode");
    shm_test_path(path, sizeof(path), key);
    mode_t original = umask(0);
    for (size_t m = 0; m < sizeof(masks) / sizeof(masks[0]); ++m) {
        for (size_t i = 0; i < 2; ++i) {
            struct geopm_shm *shm = NULL;
            struct stat st = {0};
            umask(masks[m]);
            int rc = g_creators[i](key, 64, &shm);
            mode_t after = umask(masks[m]);
            int stat_rc = stat(path, &st);
            if (rc == 0) {
                geopm_shm_unlink(shm);
                geopm_shm_destroy(shm);
            }
            umask(original);
            assert_rc(rc, 0);
            assert_int_equal(after, masks[m]);
            assert_int_equal(stat_rc, 0);
            if ((st.st_mode & 07777) != modes[i]) {
                shm_test_note("umask %03o: mode %03o, expected %03o\n", (unsigned)masks[m],
                            (unsigned)(st.st_mode & 07777), (unsigned)modes[i]);
                fail();
            }
        }
    }
}

/* The segment is a regular file of this user whose pages are all reserved
 * already (counted in st_blocks), so that no later touch can SIGBUS. */
static void test_file_owned_and_reserved(void **state)
{
    (void)state;
    const size_t size = (size_t)1 << 20;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    struct stat st;
    shm_test_key(key, sizeof(key), "reserved");
    shm_test_path(path, sizeof(path), key);
    for (size_t i = 0; i < 2; ++i) {
        struct geopm_shm *shm = NULL;
        assert_rc(g_creators[i](key, size, &shm), 0);
        assert_int_equal(lstat(path, &st), 0);
        assert_true(S_ISREG(st.st_mode));
        assert_int_equal(st.st_uid, geteuid());
        assert_true((size_t)st.st_size >= size);
        assert_true((size_t)st.st_blocks * 512 >= size);
        assert_rc(geopm_shm_unlink(shm), 0);
        geopm_shm_destroy(shm);
    }
}

int main(void)
{
    shm_test_watchdog(120);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_existing_file_untouched),
        cmocka_unit_test(test_existing_segment_untouched),
        cmocka_unit_test(test_symlink_not_followed),
        cmocka_unit_test(test_dangling_symlink),
        cmocka_unit_test(test_directory_untouched),
        cmocka_unit_test(test_mode_ignores_umask),
        cmocka_unit_test(test_file_owned_and_reserved),
    };
    return cmocka_run_group_tests_name("shm_create", tests, NULL, shm_test_teardown);
}
