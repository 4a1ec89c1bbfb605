/* The attach race, many rounds, with the job API alone (no geopmctl, no
 * runtime), so that a thousand rounds take seconds.  In each round the
 * users are forked first and start attaching at once; the owner creates
 * the segment only after a random delay of 0 to 20 ms.  A user that
 * attaches checks that it sees the segment whole: published, a header that
 * passes the layout check, this round's owner and slot count; it then
 * claims a slot.  The owner checks that every user claimed a slot of its
 * segment.  Users that do not end within a deadline are hung: killed and
 * counted.
 *
 * Usage: attach_race [ROUNDS [USERS [LANES]]]
 *   ROUNDS  rounds in all (default 1000)
 *   USERS   users per round (default 3)
 *   LANES   rounds run side by side, each lane on its own key (default 4)
 *
 * Prints one line of counts; exits 0 when every round was clean, 1 if
 * not. */
#define _GNU_SOURCE /* MAP_ANONYMOUS */

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "geopm_shm.h"
#include "job.h"
#include "../test_args.h"

#define MAX_DELAY_US 20000
#define ATTACH_TIMEOUT_S 5
#define HANG_NS (10 * NS_PER_S)
#define NS_PER_S 1000000000LL
#define MAX_USERS 64

/* How a user ended: its exit status. */
enum user_result {
    USER_OK = 0,
    USER_ATTACH_FAILED = 10,
    USER_UNPUBLISHED = 11,
    USER_BAD_HEADER = 12,
    USER_WRONG_OWNER = 13,
    USER_CLAIM_FAILED = 14,
};

/* Shared by the lanes (an anonymous shared mapping): the totals. */
struct totals {
    atomic_long rounds;
    atomic_long clean;
    atomic_long hung;
    atomic_long attach_failed;
    atomic_long unpublished; /* attached to a segment not fully published */
    atomic_long claim_failed;
    atomic_long slots_wrong; /* the owner did not find every user's slot */
    atomic_long create_failed;
};

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void sleep_ns(long long ns)
{
    struct timespec ts = {(time_t)(ns / NS_PER_S), (long)(ns % NS_PER_S)};
    nanosleep(&ts, NULL);
}

static enum user_result user(const char *key, pid_t owner, uint32_t users, int index)
{
    struct geopm_job *job = NULL;
    if (geopm__job_attach(key, ATTACH_TIMEOUT_S, &job) != 0) {
        return USER_ATTACH_FAILED;
    }
    const struct geopm_job_header *header = job->header;
    char why[256];
    enum user_result result = USER_OK;
    if (atomic_load_explicit(&header->published, memory_order_acquire) != GEOPM_JOB_PUBLISHED) {
        result = USER_UNPUBLISHED;
    }
    else if (geopm__job_check_header(header, geopm_shm_size(job->shm), why, sizeof(why)) != 0) {
        result = USER_BAD_HEADER;
    }
    else if (header->controller_pid != owner || header->slot_count != users) {
        result = USER_WRONG_OWNER;
    }
    else {
        struct geopm_job_slot *slot = NULL;
        if (geopm__job_claim_slot(job, index, "attach_race", &slot) != 0) {
            result = USER_CLAIM_FAILED;
        }
    }
    geopm__job_destroy(job, false);
    return result;
}

/* Waits for the users until the deadline, then kills what is left; counts
 * the outcomes.  Returns whether all ended well. */
static bool reap(const pid_t *pids, uint32_t users, struct totals *totals)
{
    long long deadline = now_ns() + HANG_NS;
    uint32_t left = users;
    bool clean = true;
    bool ended[MAX_USERS] = {false};
    while (left > 0) {
        for (uint32_t i = 0; i < users; ++i) {
            int status = 0;
            if (ended[i] || waitpid(pids[i], &status, WNOHANG) != pids[i]) {
                continue;
            }
            ended[i] = true;
            --left;
            int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            clean = clean && code == USER_OK;
            atomic_fetch_add(&totals->attach_failed, code == USER_ATTACH_FAILED);
            atomic_fetch_add(&totals->unpublished,
                             code == USER_UNPUBLISHED || code == USER_BAD_HEADER ||
                                 code == USER_WRONG_OWNER || code == -1);
            atomic_fetch_add(&totals->claim_failed, code == USER_CLAIM_FAILED);
        }
        if (left > 0 && now_ns() > deadline) {
            for (uint32_t i = 0; i < users; ++i) {
                if (!ended[i]) {
                    kill(pids[i], SIGKILL);
                    waitpid(pids[i], NULL, 0);
                    atomic_fetch_add(&totals->hung, 1);
                }
            }
            return false;
        }
        if (left > 0) {
            sleep_ns(200000);
        }
    }
    return clean;
}

/* Every slot claimed, each by one of this round's users. */
static bool slots_right(const struct geopm_job *job, const pid_t *pids, uint32_t users)
{
    if (atomic_load(&job->header->slots_claimed) != users) {
        return false;
    }
    for (uint32_t s = 0; s < users; ++s) {
        bool found = false;
        for (uint32_t i = 0; i < users; ++i) {
            found = found || job->slots[s].info.pid == pids[i];
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

static void round_of(const char *key, uint32_t users, unsigned int *seed, struct totals *totals)
{
    pid_t pids[MAX_USERS];
    pid_t owner = getpid();
    for (uint32_t i = 0; i < users; ++i) {
        pids[i] = fork();
        if (pids[i] == 0) {
            _exit(user(key, owner, users, (int)i));
        }
    }
    sleep_ns((long long)(rand_r(seed) % (MAX_DELAY_US + 1)) * 1000);
    struct geopm_job *job = NULL;
    int err = geopm__job_create(key, users, (long)getuid(), (long)getgid(), &job);
    bool clean = reap(pids, users, totals);
    if (err != 0) {
        atomic_fetch_add(&totals->create_failed, 1);
        clean = false;
    }
    else {
        if (!slots_right(job, pids, users)) {
            atomic_fetch_add(&totals->slots_wrong, 1);
            clean = false;
        }
        geopm__job_destroy(job, true);
    }
    atomic_fetch_add(&totals->rounds, 1);
    atomic_fetch_add(&totals->clean, clean);
}

static void lane(long rounds, uint32_t users, int number, struct totals *totals)
{
    char key[64];
    snprintf(key, sizeof(key), "/geopm-race-%ld-%d", (long)getppid(), number);
    unsigned int seed = (unsigned int)(getpid() ^ now_ns());
    for (long r = 0; r < rounds; ++r) {
        round_of(key, users, &seed, totals);
    }
}

int main(int argc, char **argv)
{
    long rounds = test_argument(argc, argv, 1, 1000, 1, 1000000);
    uint32_t users = (uint32_t)test_argument(argc, argv, 2, 3, 1, MAX_USERS);
    long lanes = test_argument(argc, argv, 3, 4, 1, 64);
    struct totals *totals = mmap(NULL, sizeof(*totals), PROT_READ | PROT_WRITE,
                                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (totals == MAP_FAILED) {
        perror("attach_race: mmap");
        return 2;
    }
    long long start = now_ns();
    for (long l = 0; l < lanes; ++l) {
        if (fork() == 0) {
            lane(rounds / lanes + (l < rounds % lanes), users, (int)l, totals);
            _exit(0);
        }
    }
    while (wait(NULL) > 0 || errno == EINTR) {
    }
    printf("attach_race: rounds=%ld clean=%ld hung=%ld unpublished=%ld attach_failed=%ld "
           "claim_failed=%ld slots_wrong=%ld create_failed=%ld users=%u lanes=%ld wall_s=%.3f\n",
           atomic_load(&totals->rounds), atomic_load(&totals->clean), atomic_load(&totals->hung),
           atomic_load(&totals->unpublished), atomic_load(&totals->attach_failed),
           atomic_load(&totals->claim_failed), atomic_load(&totals->slots_wrong),
           atomic_load(&totals->create_failed), users, lanes, (double)(now_ns() - start) * 1e-9);
    return atomic_load(&totals->clean) == rounds ? 0 : 1;
}
