#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "geopm_shm.h"
#include "shm_test_util.h"

typedef int (*create_fn)(const char *, size_t, struct geopm_shm **);

static const create_fn g_creators[] = {geopm_shm_create_owner, geopm_shm_create_owner_secure};

static void assert_absent(const char *key)
{
    char path[SHM_TEST_NAME_MAX];
    struct stat st;
    shm_test_path(path, sizeof(path), key);
    assert_int_equal(lstat(path, &st), -1);
    assert_int_equal(errno, ENOENT);
}

static void test_null_key(void **state)
{
    (void)state;
    for (size_t i = 0; i < 2; ++i) {
        struct geopm_shm *shm = SHM_TEST_SENTINEL;
        assert_rc(g_creators[i](NULL, 64, &shm), GEOPM_ERROR_INVALID);
        assert_ptr_equal(shm, SHM_TEST_SENTINEL);
    }
    struct geopm_shm *shm = SHM_TEST_SENTINEL;
    assert_rc(geopm_shm_attach_user(NULL, 0, &shm), GEOPM_ERROR_INVALID);
    assert_ptr_equal(shm, SHM_TEST_SENTINEL);
}

/* Without somewhere to return the segment, nothing may be created: a file
 * left there would block every later owner of the key. */
static void test_null_output(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    shm_test_key(key, sizeof(key), "null-output");
    for (size_t i = 0; i < 2; ++i) {
        assert_rc(g_creators[i](key, 64, NULL), GEOPM_ERROR_INVALID);
        assert_absent(key);
    }
    struct geopm_shm *owner = NULL;
    assert_rc(geopm_shm_create_owner(key, 64, &owner), 0);
    assert_rc(geopm_shm_attach_user(key, 0, NULL), GEOPM_ERROR_INVALID);
    assert_rc(geopm_shm_unlink(owner), 0);
    geopm_shm_destroy(owner);
}

/* Sizes outside 1 to GEOPM_SHM_SIZE_MAX, including those whose sum with a
 * header would wrap around, are refused before anything is created. */
static void test_bad_sizes(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, GEOPM_SHM_SIZE_MAX + 1, SIZE_MAX, SIZE_MAX - 63,
                                   SIZE_MAX / 2 + 1};
    char key[SHM_TEST_NAME_MAX];
    shm_test_key(key, sizeof(key), "bad-size");
    for (size_t i = 0; i < 2; ++i) {
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); ++s) {
            struct geopm_shm *shm = SHM_TEST_SENTINEL;
            int rc = g_creators[i](key, sizes[s], &shm);
            if (rc != GEOPM_ERROR_INVALID) {
                shm_test_note("size %zu: got %d\n", sizes[s], rc);
            }
            assert_rc(rc, GEOPM_ERROR_INVALID);
            assert_ptr_equal(shm, SHM_TEST_SENTINEL);
            assert_absent(key);
        }
    }
}

static void test_null_segment(void **state)
{
    (void)state;
    assert_null(geopm_shm_pointer(NULL));
    assert_null(geopm_shm_key(NULL));
    assert_int_equal(geopm_shm_size(NULL), 0);
    assert_rc(geopm_shm_unlink(NULL), GEOPM_ERROR_INVALID);
    assert_rc(geopm_shm_lock(NULL), GEOPM_ERROR_INVALID);
    assert_rc(geopm_shm_unlock(NULL), GEOPM_ERROR_INVALID);
    assert_rc(geopm_shm_chown(NULL, 0, 0), GEOPM_ERROR_INVALID);
    geopm_shm_destroy(NULL);
}

/* A size the file system cannot hold fails at creation, not with SIGBUS at
 * first touch, and leaves no file behind.  Sizes above the total size of
 * /dev/shm are used so that the kernel refuses them without first
 * reserving (and zeroing) all the memory it has. */
static void test_no_space(void **state)
{
    (void)state;
    struct statvfs fs;
    assert_int_equal(statvfs("/dev/shm", &fs), 0);
    size_t total = (size_t)fs.f_blocks * fs.f_frsize;
    size_t free_bytes = (size_t)fs.f_bavail * fs.f_frsize;
    size_t sizes[] = {(total > free_bytes ? total : free_bytes) + ((size_t)64 << 20),
                      GEOPM_SHM_SIZE_MAX};
    if (total == 0 || sizes[0] > GEOPM_SHM_SIZE_MAX) {
        printf("# test_no_space: /dev/shm has no size limit below GEOPM_SHM_SIZE_MAX; "
               "nothing to check\n");
        return;
    }
    char key[SHM_TEST_NAME_MAX];
    shm_test_key(key, sizeof(key), "no-space");
    for (size_t i = 0; i < 2; ++i) {
        for (size_t s = 0; s < 2; ++s) {
            struct geopm_shm *shm = SHM_TEST_SENTINEL;
            int rc = g_creators[i](key, sizes[s], &shm);
            if (rc == 0) {
                geopm_shm_unlink(shm);
                geopm_shm_destroy(shm);
            }
            if (rc != -ENOSPC && rc != -EFBIG && rc != -ENOMEM) {
                shm_test_note("size %zu on a /dev/shm of %zu bytes: got %d\n", sizes[s], total,
                            rc);
                fail();
            }
            assert_ptr_equal(shm, SHM_TEST_SENTINEL);
            assert_absent(key);
        }
    }
}

/* The usable region is cache-line aligned, exactly as large as asked,
 * zero filled, and the same memory in every mapping of the segment. */
static void test_pointer_and_size(void **state)
{
    (void)state;
    static const size_t sizes[] = {1, 63, 64, 65, 4095, 4096, 4097, (size_t)1 << 20};
    char key[SHM_TEST_NAME_MAX];
    shm_test_key(key, sizeof(key), "pointer");
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); ++s) {
        size_t size = sizes[s];
        struct geopm_shm *owner = NULL;
        struct geopm_shm *user = NULL;
        assert_rc(g_creators[s % 2](key, size, &owner), 0);
        assert_rc(geopm_shm_attach_user(key, 0, &user), 0);
        unsigned char *mine = geopm_shm_pointer(owner);
        unsigned char *theirs = geopm_shm_pointer(user);
        assert_non_null(mine);
        assert_non_null(theirs);
        assert_int_equal((uintptr_t)mine % 64, 0);
        assert_int_equal((uintptr_t)theirs % 64, 0);
        assert_int_equal(geopm_shm_size(owner), size);
        assert_int_equal(geopm_shm_size(user), size);
        assert_string_equal(geopm_shm_key(owner), key);
        assert_string_equal(geopm_shm_key(user), key);
        for (size_t i = 0; i < size; ++i) {
            if (mine[i] != 0) {
                shm_test_note("size %zu: byte %zu is %u, not 0\n", size, i, mine[i]);
                fail();
            }
            mine[i] = (unsigned char)(i * 7 + 1);
        }
        for (size_t i = 0; i < size; ++i) {
            assert_int_equal(theirs[i], (unsigned char)(i * 7 + 1));
        }
        assert_rc(geopm_shm_unlink(owner), 0);
        geopm_shm_destroy(user);
        geopm_shm_destroy(owner);
    }
}

int main(void)
{
    shm_test_watchdog(120);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_key),         cmocka_unit_test(test_null_output),
        cmocka_unit_test(test_bad_sizes),        cmocka_unit_test(test_null_segment),
        cmocka_unit_test(test_no_space),         cmocka_unit_test(test_pointer_and_size),
    };
    return cmocka_run_group_tests_name("shm_args", tests, NULL, shm_test_teardown);
}
