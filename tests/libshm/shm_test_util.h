/* Helpers shared by the libshm tests: unique keys, their paths in /dev/shm,
 * clocks, a snapshot of /dev/shm, and the reaping of forked children. */
#ifndef SHM_TEST_UTIL_H_INCLUDE
#define SHM_TEST_UTIL_H_INCLUDE

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Room for any key or path the tests make, bad keys included. */
#define SHM_TEST_NAME_MAX 512

/* A value no allocator returns, to check that a failed call left its output
 * parameter alone. */
#define SHM_TEST_SENTINEL ((struct geopm_shm *)(void *)0x5e5e5e5e)

/* Prints a TAP comment ("# " and the message) on stdout, where the test
 * driver keeps it in the test's log; stderr is not kept there. */
void shm_test_note(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Asserts that a return code is the expected one, printing both in decimal
 * since cmocka would print them as large hexadecimal numbers. */
#define assert_rc(got, want)                                                       \
    do {                                                                           \
        int assert_rc_got_ = (got);                                                \
        int assert_rc_want_ = (want);                                              \
        if (assert_rc_got_ != assert_rc_want_) {                                   \
            shm_test_note("%s returned %d, expected %d\n", #got, assert_rc_got_,   \
                          assert_rc_want_);                                        \
            fail();                                                                \
        }                                                                          \
    } while (0)

/* Writes "/geopm-test-<pid>-<name>" into key and remembers its /dev/shm path
 * for shm_test_teardown(), so that a failed test leaves nothing behind. */
void shm_test_key(char *key, size_t size, const char *name);

/* Writes the path of key under /dev/shm into path. */
void shm_test_path(char *path, size_t size, const char *key);

/* Remembers another path (a file, symlink or empty directory) to remove. */
void shm_test_track(const char *path);

/* Ends the program with SIGALRM after seconds, removing what it made: a
 * broken lock or a child that never exits would otherwise hang "make
 * check", and the TAP driver reports a program killed by a signal as an
 * error. */
void shm_test_watchdog(unsigned int seconds);

/* Group teardown: removes every remembered path that is still there. */
int shm_test_teardown(void **state);

/* Monotonic time and the CPU time (user + system) of this process, in seconds. */
double shm_test_now(void);
double shm_test_cpu(void);
/* False under valgrind (GEOPM_TEST_UNDER_VALGRIND set by make
 * check-valgrind), where its own work makes times meaningless: tests then
 * check results, not times. */
bool shm_test_times_are_checked(void);

/* The sorted entries of /dev/shm whose names hold this process's key
 * prefix ("geopm-test-<pid>-"), as one allocated string (NULL if /dev/shm
 * cannot be read): two snapshots are equal when this process created
 * nothing, whatever other programs do. */
char *shm_test_listing(void);

/* Waits for a child: its exit status, 128 + signal if it was killed. */
int shm_test_wait(pid_t pid);

/* Fills a file of the given size with byte, for tests that plant files. */
int shm_test_fill(int fd, size_t size, unsigned char byte);

#endif
