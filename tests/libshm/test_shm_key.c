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
#include <unistd.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "geopm_shm.h"
#include "shm_test_util.h"

/* Every way of opening a segment checks the key the same way. */
static int open_by(int how, const char *key, struct geopm_shm **shm)
{
    switch (how) {
    case 0:
        return geopm_shm_create_owner(key, 64, shm);
    case 1:
        return geopm_shm_create_owner_secure(key, 64, shm);
    default:
        return geopm_shm_attach_user(key, 0, shm);
    }
}

/* A refused key must be refused before anything is created: the listing of
 * /dev/shm is the same before and after.  Every bad key below that could
 * name a file holds this process's key prefix in each of its parts, so the
 * listing would show what it created. */
static void expect_refused(const char *label, const char *key, int expected)
{
    char *before = shm_test_listing();
    assert_non_null(before);
    for (int how = 0; how < 3; ++how) {
        struct geopm_shm *shm = SHM_TEST_SENTINEL;
        int rc = open_by(how, key, &shm);
        if (rc != expected) {
            shm_test_note("key %s, way %d: got %d, expected %d\n", label, how, rc, expected);
        }
        assert_rc(rc, expected);
        assert_ptr_equal(shm, SHM_TEST_SENTINEL);
    }
    char *after = shm_test_listing();
    assert_non_null(after);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* A key of the given total length: a unique prefix padded with 'k'. */
static void long_key(char *key, size_t length)
{
    int prefix = snprintf(key, SHM_TEST_NAME_MAX, "/geopm-test-%ld-", (long)getpid());
    memset(key + prefix, 'k', length - (size_t)prefix);
    key[length] = '\0';
}

static void test_null_key(void **state)
{
    (void)state;
    expect_refused("NULL", NULL, GEOPM_ERROR_INVALID);
}

static void test_malformed_keys(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    long pid = (long)getpid();
    expect_refused("empty", "", GEOPM_ERROR_KEY);
    expect_refused("slash only", "/", GEOPM_ERROR_KEY);
    expect_refused("dot", "/.", GEOPM_ERROR_KEY);
    expect_refused("dot dot", "/..", GEOPM_ERROR_KEY);
    snprintf(key, sizeof(key), "geopm-test-%ld-noslash", pid);
    expect_refused("no leading slash", key, GEOPM_ERROR_KEY);
    snprintf(key, sizeof(key), "//geopm-test-%ld-x", pid);
    expect_refused("double slash", key, GEOPM_ERROR_KEY);
    snprintf(key, sizeof(key), "/geopm-test-%ld-a/geopm-test-%ld-b", pid, pid);
    expect_refused("inner slash", key, GEOPM_ERROR_KEY);
    snprintf(key, sizeof(key), "/geopm-test-%ld-dir/", pid);
    expect_refused("trailing slash", key, GEOPM_ERROR_KEY);
}

static void test_unprintable_keys(void **state)
{
    (void)state;
    static const char *const bad[] = {"new\nline", "tab\t", "bell\x01", "del\x7f"};
    char key[SHM_TEST_NAME_MAX];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
        snprintf(key, sizeof(key), "/geopm-test-%ld-%s", (long)getpid(), bad[i]);
        expect_refused("with a non-printable byte", key, GEOPM_ERROR_KEY);
    }
}

/* A space is printable, but the design refuses it so that a key is always
 * one word on a command line or in a report. */
static void test_space_key(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    snprintf(key, sizeof(key), "/geopm-test-%ld-sp ace", (long)getpid());
    expect_refused("with a space", key, GEOPM_ERROR_KEY);
}

/* 256 characters is one too many for the library, though the file system
 * would still accept the name; 300 is too long for both. */
static void test_long_keys(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    long_key(key, GEOPM_SHM_KEY_MAX + 1);
    expect_refused("of 256 characters", key, GEOPM_ERROR_KEY);
    long_key(key, 300);
    expect_refused("of 300 characters", key, GEOPM_ERROR_KEY);
}

static void test_longest_key_accepted(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    long_key(key, GEOPM_SHM_KEY_MAX);
    shm_test_path(path, sizeof(path), key);
    shm_test_track(path);
    struct geopm_shm *owner = NULL;
    struct geopm_shm *user = NULL;
    assert_rc(geopm_shm_create_owner(key, 64, &owner), 0);
    assert_rc(geopm_shm_attach_user(key, 0, &user), 0);
    assert_string_equal(geopm_shm_key(owner), key);
    assert_string_equal(geopm_shm_key(user), key);
    assert_int_equal(strlen(geopm_shm_key(user)), GEOPM_SHM_KEY_MAX);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_rc(geopm_shm_unlink(owner), 0);
    geopm_shm_destroy(user);
    geopm_shm_destroy(owner);
}

/* Ordinary punctuation is part of valid keys. */
static void test_punctuation_accepted(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    struct geopm_shm *shm = NULL;
    shm_test_key(key, sizeof(key), "job.42_a-b:c");
    assert_rc(geopm_shm_create_owner_secure(key, 64, &shm), 0);
    assert_string_equal(geopm_shm_key(shm), key);
    assert_rc(geopm_shm_unlink(shm), 0);
    geopm_shm_destroy(shm);
}

/* The segment keeps its own copy of the key: the caller's buffer may be
 * reused as soon as the call returns. */
static void test_key_is_copied(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char saved[SHM_TEST_NAME_MAX];
    struct geopm_shm *shm = NULL;
    shm_test_key(key, sizeof(key), "copied");
    memcpy(saved, key, sizeof(saved));
    assert_rc(geopm_shm_create_owner(key, 64, &shm), 0);
    memset(key, 'X', strlen(key));
    assert_string_equal(geopm_shm_key(shm), saved);
    assert_rc(geopm_shm_unlink(shm), 0);
    geopm_shm_destroy(shm);
}

/* A bad key cannot become good by waiting: attach refuses it at once, and
 * the message names the key. */
static void test_refused_at_once_with_message(void **state)
{
    (void)state;
    char key[SHM_TEST_NAME_MAX];
    char message[1024];
    struct geopm_shm *shm = SHM_TEST_SENTINEL;
    snprintf(key, sizeof(key), "geopm-test-%ld-noslash", (long)getpid());
    double start = shm_test_now();
    int rc = geopm_shm_attach_user(key, 2, &shm);
    double elapsed = shm_test_now() - start;
    geopm_error_message(rc, message, sizeof(message));
    assert_rc(rc, GEOPM_ERROR_KEY);
    assert_ptr_equal(shm, SHM_TEST_SENTINEL);
    assert_true(elapsed < 0.5 || !shm_test_times_are_checked());
    if (strstr(message, key) == NULL) {
        shm_test_note("message \"%s\" does not name the key\n", message);
        fail();
    }
}

int main(void)
{
    shm_test_watchdog(120);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_key),
        cmocka_unit_test(test_malformed_keys),
        cmocka_unit_test(test_unprintable_keys),
        cmocka_unit_test(test_space_key),
        cmocka_unit_test(test_long_keys),
        cmocka_unit_test(test_longest_key_accepted),
        cmocka_unit_test(test_punctuation_accepted),
        cmocka_unit_test(test_key_is_copied),
        cmocka_unit_test(test_refused_at_once_with_message),
    };
    return cmocka_run_group_tests_name("shm_key", tests, NULL, shm_test_teardown);
}
