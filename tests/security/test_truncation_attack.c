/* A job whose user truncates and grows its own segment while geopmctl
 * serves it (issue 6, scenario 10).
 *
 * Usage: test_truncation_attack UID RANKS OPS SEED
 *   Runs as root with GEOPM_PROFILE and GEOPM_SHMKEY set.  Forks RANKS
 *   processes that become UID, attach through the runtime (geopm_prof_*),
 *   mark one region and wait.  Once all are attached, a process that
 *   becomes UID opens the segment and, OPS times, one millisecond apart,
 *   sets its size with ftruncate: alternately a random size below the
 *   original (often cutting the slots) and a random size above it.  It then
 *   gives the segment its size back, and the ranks mark their region once
 *   more and exit.  Forking rather than running programs lets the ranks and
 *   the attacker be UID even when UID cannot enter the build folder.
 *   Prints "ops=N shrinks=N grows=N" and one "rank I: STATUS" line each.
 *   Exit status 0 when the attacker did every operation, 1 otherwise, 2 on
 *   bad usage. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "geopm_hint.h"
#include "geopm_prof.h"
#include "test_args.h"

#define RANKS_MAX 16

static void become(uid_t uid)
{
    gid_t gid = (gid_t)uid;
    if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
        fprintf(stderr, "test_truncation_attack: cannot become uid %ld: %s\n", (long)uid,
                strerror(errno));
        _exit(3);
    }
}

/* A rank: attached and idle until released (its pipe closes), so that the
 * attack, not the rank's own writes, decides what the controller reads. */
static void run_rank(uid_t uid, int ready_fd, int release_fd)
{
    become(uid);
    uint64_t id = 0;
    int err = geopm_prof_region("truncated", GEOPM_REGION_HINT_COMPUTE, &id);
    err = err != 0 ? err : geopm_prof_enter(id);
    err = err != 0 ? err : geopm_prof_exit(id);
    char byte = err == 0 ? 'y' : 'n';
    if (write(ready_fd, &byte, 1) != 1) {
        _exit(4);
    }
    while (read(release_fd, &byte, 1) > 0) {
    }
    /* The segment has its size again: what was cut reads as zeros now. */
    err = geopm_prof_enter(id);
    err = err != 0 ? err : geopm_prof_exit(id);
    _exit(err == 0 ? 0 : 5);
}

static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* The attacker: the job's user, who owns the segment's file. */
static void run_attacker(uid_t uid, long ops, uint64_t random)
{
    become(uid);
    const char *key = getenv("GEOPM_SHMKEY");
    char path[256];
    snprintf(path, sizeof(path), "/dev/shm/%s", key + (key[0] == '/'));
    int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fprintf(stderr, "test_truncation_attack: %s: %s\n", path, strerror(errno));
        _exit(6);
    }
    const off_t size = st.st_size;
    const struct timespec pause = {0, 1000000};
    long done = 0, shrinks = 0, grows = 0;
    for (; done < ops; ++done) {
        bool shrink = done % 2 == 0;
        off_t to = shrink ? (off_t)(next_random(&random) % (uint64_t)size)
                          : size + 1 + (off_t)(next_random(&random) % (uint64_t)size);
        if (ftruncate(fd, to) != 0) {
            fprintf(stderr, "test_truncation_attack: ftruncate %s to %lld: %s\n", path,
                    (long long)to, strerror(errno));
            break;
        }
        shrinks += shrink;
        grows += !shrink;
        nanosleep(&pause, NULL);
    }
    if (ftruncate(fd, size) != 0) {
        fprintf(stderr, "test_truncation_attack: restoring %s: %s\n", path, strerror(errno));
        _exit(7);
    }
    printf("ops=%ld shrinks=%ld grows=%ld\n", done, shrinks, grows);
    fflush(stdout);
    _exit(done == ops ? 0 : 1);
}

static void describe_status(int index, int status)
{
    if (WIFEXITED(status)) {
        printf("rank %d: exit %d\n", index, WEXITSTATUS(status));
    }
    else if (WIFSIGNALED(status)) {
        printf("rank %d: signal %d (%s)\n", index, WTERMSIG(status), strsignal(WTERMSIG(status)));
    }
}

int main(int argc, char **argv)
{
    if (argc != 5 || getenv("GEOPM_SHMKEY") == NULL || getenv("GEOPM_PROFILE") == NULL) {
        fprintf(stderr, "usage: GEOPM_PROFILE=P GEOPM_SHMKEY=KEY test_truncation_attack UID "
                        "RANKS OPS SEED\n");
        return 2;
    }
    uid_t uid = (uid_t)test_argument(argc, argv, 1, 0, 1, INT32_MAX);
    int ranks = (int)test_argument(argc, argv, 2, 0, 1, RANKS_MAX);
    long ops = test_argument(argc, argv, 3, 0, 1, 1000000);
    uint64_t seed = (uint64_t)test_argument(argc, argv, 4, 0, 1, INT32_MAX);
    int ready[2], release[2];
    if (pipe(ready) != 0 || pipe(release) != 0) {
        perror("test_truncation_attack: pipe");
        return 1;
    }
    fflush(stdout);
    pid_t pids[RANKS_MAX];
    for (int i = 0; i < ranks; ++i) {
        pids[i] = fork();
        if (pids[i] < 0) {
            perror("test_truncation_attack: fork");
            return 1;
        }
        if (pids[i] == 0) {
            close(ready[0]);
            close(release[1]);
            run_rank(uid, ready[1], release[0]);
        }
    }
    close(ready[1]);
    close(release[0]);
    int attached = 0;
    char byte;
    for (int i = 0; i < ranks && read(ready[0], &byte, 1) == 1; ++i) {
        attached += byte == 'y';
    }
    printf("attached=%d of %d\n", attached, ranks);
    fflush(stdout);
    int status = 1;
    pid_t attacker = fork();
    if (attacker == 0) {
        close(release[1]);
        run_attacker(uid, ops, seed);
    }
    if (attacker > 0) {
        waitpid(attacker, &status, 0);
    }
    close(release[1]);
    for (int i = 0; i < ranks; ++i) {
        int rank_status = 0;
        waitpid(pids[i], &rank_status, 0);
        describe_status(i, rank_status);
    }
    return attached == ranks && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
