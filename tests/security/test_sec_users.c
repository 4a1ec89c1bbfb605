/* Issue 6, scenario 11: a secure segment (geopm_shm_create_owner_secure) is
 * mode 0600 whatever the umask (000 and 077 here), and another user who is
 * not root cannot open it (by its path, by shm_open, through the owner's
 * /proc/PID/fd and /proc/PID/map_files entries), attach to it, remove,
 * rename, chmod or truncate it: afterwards it is still there, unchanged.
 * The owner is root, then an unprivileged user; the other user is a third
 * uid.  Runs as root only (it switches users). */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <setjmp.h>
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

#include "geopm_error.h"
#include "geopm_shm.h"
#include "shm_test_util.h"

#define OWNER_NOBODY 65534u
/* The other user: no account is needed for a uid to run a process. */
#define OTHER_USER 65533u
#define USABLE_SIZE 4096u

/* Where the owner's process shows its segment to whoever may look. */
struct owner_view {
    int ok;
    char fd_path[320];
    char map_path[128];
};

/* In a child: drops to uid:uid with no other groups, unless uid is 0. */
static int become(unsigned int uid)
{
    if (uid == 0) {
        return 0;
    }
    if (setgroups(0, NULL) != 0 || setgid((gid_t)uid) != 0 || setuid((uid_t)uid) != 0) {
        return -1;
    }
    return geteuid() == uid ? 0 : -1;
}

/* The /proc/PID/fd entry of this process that holds path. */
static int find_fd(const char *path, char *out, size_t size)
{
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *entry;
    int found = -1;
    while (dir != NULL && found < 0 && (entry = readdir(dir)) != NULL) {
        char link[SHM_TEST_NAME_MAX] = {0};
        char name[300];
        snprintf(name, sizeof(name), "/proc/self/fd/%s", entry->d_name);
        if (readlink(name, link, sizeof(link) - 1) > 0 && strcmp(link, path) == 0) {
            snprintf(out, size, "/proc/%ld/fd/%s", (long)getpid(), entry->d_name);
            found = 0;
        }
    }
    if (dir != NULL) {
        closedir(dir);
    }
    return found;
}

/* The /proc/PID/map_files entry of this process's mapping of path. */
static int find_mapping(const char *path, char *out, size_t size)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[1024];
    int found = -1;
    while (maps != NULL && found < 0 && fgets(line, sizeof(line), maps) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        size_t length = strlen(line);
        size_t path_length = strlen(path);
        if (length > path_length && strcmp(line + length - path_length, path) == 0) {
            snprintf(out, size, "/proc/%ld/map_files/%.*s", (long)getpid(),
                     (int)strcspn(line, " "), line);
            found = 0;
        }
    }
    if (maps != NULL) {
        fclose(maps);
    }
    return found;
}

/* The owner's child: creates the segment as uid under mask, fills it,
 * tells the parent where it can be seen, and keeps it until the parent
 * closes its end of the pipe. */
static _Noreturn void run_owner(const char *key, unsigned int uid, mode_t mask, int report,
                                int hold)
{
    struct owner_view view = {0};
    struct geopm_shm *shm = NULL;
    char path[SHM_TEST_NAME_MAX];
    shm_test_path(path, sizeof(path), key);
    umask(mask);
    if (become(uid) == 0 && geopm_shm_create_owner_secure(key, USABLE_SIZE, &shm) == 0) {
        unsigned char *data = geopm_shm_pointer(shm);
        for (size_t i = 0; i < USABLE_SIZE; ++i) {
            data[i] = (unsigned char)(i * 7 + 1);
        }
        view.ok = find_fd(path, view.fd_path, sizeof(view.fd_path)) == 0 &&
                  find_mapping(path, view.map_path, sizeof(view.map_path)) == 0;
    }
    (void)!write(report, &view, sizeof(view));
    char byte;
    while (read(hold, &byte, 1) > 0) {
    }
    if (shm != NULL) {
        geopm_shm_unlink(shm);
        geopm_shm_destroy(shm);
    }
    _exit(view.ok ? 0 : 1);
}

/* One attack: a name, and 0 when it got through. */
static int g_breaches;
static char g_log[2048];

static void attempt(const char *name, int result)
{
    size_t used = strlen(g_log);
    if (result >= 0) {
        ++g_breaches;
        snprintf(g_log + used, sizeof(g_log) - used, " %s: SUCCEEDED;", name);
    }
    else {
        snprintf(g_log + used, sizeof(g_log) - used, " %s: %s;", name, strerror(errno));
    }
}

/* An open that succeeded is closed again: what counts is that it did. */
static int opened(int fd)
{
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    return -1;
}

/* The other user's child: every way in, counted; exit status = breaches. */
static _Noreturn void run_other(const char *key, const struct owner_view *view)
{
    char path[SHM_TEST_NAME_MAX];
    char moved[SHM_TEST_NAME_MAX + 8];
    shm_test_path(path, sizeof(path), key);
    snprintf(moved, sizeof(moved), "%s.moved", path);
    if (become(OTHER_USER) != 0) {
        _exit(100);
    }
    attempt("open(O_RDONLY)", opened(open(path, O_RDONLY | O_NOFOLLOW)));
    attempt("open(O_RDWR)", opened(open(path, O_RDWR | O_NOFOLLOW)));
    attempt("shm_open(O_RDONLY)", opened(shm_open(key, O_RDONLY, 0)));
    attempt("shm_open(O_RDWR)", opened(shm_open(key, O_RDWR, 0)));
    attempt("fd(O_RDONLY)", opened(open(view->fd_path, O_RDONLY)));
    attempt("fd(O_RDWR)", opened(open(view->fd_path, O_RDWR)));
    attempt("map_files(O_RDONLY)", opened(open(view->map_path, O_RDONLY)));
    attempt("map_files(O_RDWR)", opened(open(view->map_path, O_RDWR)));
    struct geopm_shm *shm = NULL;
    int rc = geopm_shm_attach_user(key, 0, &shm);
    geopm_shm_destroy(shm);
    errno = rc < 0 && rc > -4096 ? -rc : EPROTO;
    attempt("geopm_shm_attach_user", rc == 0 ? 0 : -1);
    attempt("unlink", unlink(path));
    attempt("shm_unlink", shm_unlink(key));
    attempt("rename", rename(path, moved));
    attempt("chmod(0666)", chmod(path, 0666));
    attempt("truncate", truncate(path, 0));
    printf("# uid %u:%s\n", OTHER_USER, g_log);
    fflush(stdout);
    _exit(g_breaches);
}

/* The whole file as root sees it. */
static size_t read_all(const char *path, unsigned char *buffer, size_t size)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    ssize_t got = fd >= 0 ? pread(fd, buffer, size, 0) : -1;
    if (fd >= 0) {
        close(fd);
    }
    return got > 0 ? (size_t)got : 0;
}

static void check_owner(unsigned int owner_uid, mode_t mask)
{
    char key[SHM_TEST_NAME_MAX];
    char path[SHM_TEST_NAME_MAX];
    char name[64];
    snprintf(name, sizeof(name), "users-%u-%03o", owner_uid, (unsigned)mask);
    shm_test_key(key, sizeof(key), name);
    shm_test_path(path, sizeof(path), key);
    char moved[SHM_TEST_NAME_MAX + 8];
    snprintf(moved, sizeof(moved), "%s.moved", path);
    shm_test_track(moved);
    int report[2];
    int hold[2];
    assert_int_equal(pipe(report), 0);
    assert_int_equal(pipe(hold), 0);
    fflush(stdout);
    pid_t owner = fork();
    assert_true(owner >= 0);
    if (owner == 0) {
        close(report[0]);
        close(hold[1]);
        run_owner(key, owner_uid, mask, report[1], hold[0]);
    }
    close(report[1]);
    close(hold[0]);
    struct owner_view view = {0};
    int got = (int)read(report[0], &view, sizeof(view));
    close(report[0]);

    struct stat before = {0};
    struct stat after = {0};
    static unsigned char contents_before[2 * USABLE_SIZE];
    static unsigned char contents_after[2 * USABLE_SIZE];
    int stat_before = lstat(path, &before);
    size_t size_before = read_all(path, contents_before, sizeof(contents_before));
    int breaches = -1;
    /* Root can use both /proc entries: the other user's refusals below are
     * refusals, not wrong paths. */
    int root_sees = got == (int)sizeof(view) && view.ok &&
                    opened(open(view.fd_path, O_RDONLY)) == 0 &&
                    opened(open(view.map_path, O_RDONLY)) == 0;
    if (root_sees) {
        fflush(stdout);
        pid_t other = fork();
        if (other == 0) {
            run_other(key, &view);
        }
        breaches = other < 0 ? -1 : shm_test_wait(other);
    }
    int stat_after = lstat(path, &after);
    size_t size_after = read_all(path, contents_after, sizeof(contents_after));
    close(hold[1]);
    int owner_status = shm_test_wait(owner);

    shm_test_note("owner uid %u, umask %03o: mode %03o, %d ways in for uid %u (criterion: "
                  "mode 600, 0 ways in)\n",
                  owner_uid, (unsigned)mask, (unsigned)(before.st_mode & 07777), breaches,
                  OTHER_USER);
    assert_int_equal(got, sizeof(view));
    assert_true(view.ok);
    assert_true(root_sees);
    assert_int_equal(stat_before, 0);
    assert_int_equal(before.st_mode & 07777, 0600);
    assert_int_equal(before.st_uid, owner_uid);
    assert_int_equal(breaches, 0);
    /* Still there, the same file, with the same contents. */
    assert_int_equal(stat_after, 0);
    assert_int_equal(after.st_ino, before.st_ino);
    assert_int_equal(after.st_mode, before.st_mode);
    assert_int_equal(after.st_uid, before.st_uid);
    assert_int_equal(after.st_size, before.st_size);
    assert_true(size_before > USABLE_SIZE);
    assert_int_equal(size_after, size_before);
    assert_memory_equal(contents_after, contents_before, size_before);
    assert_int_equal(owner_status, 0);
}

static void test_root_owner(void **state)
{
    (void)state;
    check_owner(0, 0000);
    check_owner(0, 0077);
}

static void test_unprivileged_owner(void **state)
{
    (void)state;
    check_owner(OWNER_NOBODY, 0000);
    check_owner(OWNER_NOBODY, 0077);
}

int main(void)
{
    if (geteuid() != 0) {
        /* cmocka's skip() is a failure for automake's TAP driver. */
        printf("1..0 # SKIP needs root, to run as three users (this is uid %u)\n",
               (unsigned)geteuid());
        return 0;
    }
    shm_test_watchdog(60);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root_owner),
        cmocka_unit_test(test_unprivileged_owner),
    };
    return cmocka_run_group_tests_name("sec_users", tests, NULL, shm_test_teardown);
}
