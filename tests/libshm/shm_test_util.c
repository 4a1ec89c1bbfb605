#include <config.h>

#include "shm_test_util.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TRACKED_MAX 64

static char g_tracked[TRACKED_MAX][SHM_TEST_NAME_MAX];
static int g_tracked_count;

void shm_test_note(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("# ", stdout);
    vprintf(format, args);
    va_end(args);
}

void shm_test_path(char *path, size_t size, const char *key)
{
    snprintf(path, size, "/dev/shm%s", key);
}

void shm_test_track(const char *path)
{
    if (g_tracked_count < TRACKED_MAX) {
        snprintf(g_tracked[g_tracked_count++], SHM_TEST_NAME_MAX, "%s", path);
    }
}

void shm_test_key(char *key, size_t size, const char *name)
{
    char path[SHM_TEST_NAME_MAX];
    snprintf(key, size, "/geopm-test-%ld-%s", (long)getpid(), name);
    shm_test_path(path, sizeof(path), key);
    shm_test_track(path);
}

/* Removes every remembered path; async-signal-safe, for the watchdog. */
static void remove_tracked(void)
{
    for (int i = 0; i < g_tracked_count; ++i) {
        if (unlink(g_tracked[i]) != 0 && errno == EISDIR) {
            rmdir(g_tracked[i]);
        }
    }
}

/* Removes what the tests made, says why the program ends, and ends it with
 * SIGALRM. */
static void on_alarm(int signal_number)
{
    static const char message[] = "# watchdog: the tests took too long, a lock or a child "
                                  "is probably stuck\n";
    remove_tracked();
    (void)!write(STDOUT_FILENO, message, sizeof(message) - 1);
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

void shm_test_watchdog(unsigned int seconds)
{
    /* Line buffering keeps the results printed so far if the alarm fires. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGALRM, on_alarm);
    alarm(seconds);
}

int shm_test_teardown(void **state)
{
    (void)state;
    remove_tracked();
    g_tracked_count = 0;
    return 0;
}

double shm_test_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double shm_test_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

/* Only names made from this process's key prefix count: other programs of
 * "make -j check" create and remove segments of their own at any time. */
static int is_own_entry(const struct dirent *entry)
{
    char own[64];
    snprintf(own, sizeof(own), "geopm-test-%ld-", (long)getpid());
    return strstr(entry->d_name, own) != NULL;
}

char *shm_test_listing(void)
{
    struct dirent **entries = NULL;
    int count = scandir("/dev/shm", &entries, is_own_entry, alphasort);
    if (count < 0) {
        return NULL;
    }
    size_t length = 1;
    for (int i = 0; i < count; ++i) {
        length += strlen(entries[i]->d_name) + 1;
    }
    char *listing = calloc(1, length);
    for (int i = 0; i < count; ++i) {
        /* '/' cannot occur in a name, so it separates names unambiguously. */
        if (listing != NULL) {
            strcat(listing, entries[i]->d_name);
            strcat(listing, "/");
        }
        free(entries[i]);
    }
    free(entries);
    return listing;
}

int shm_test_wait(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -1;
        }
    }
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

int shm_test_fill(int fd, size_t size, unsigned char byte)
{
    unsigned char block[4096];
    memset(block, byte, sizeof(block));
    while (size > 0) {
        size_t chunk = size < sizeof(block) ? size : sizeof(block);
        ssize_t done = write(fd, block, chunk);
        if (done <= 0) {
            return -1;
        }
        size -= (size_t)done;
    }
    return 0;
}

bool shm_test_times_are_checked(void)
{
    return getenv("GEOPM_TEST_UNDER_VALGRIND") == NULL;
}
