/* Damages one process's slot of a live job segment, as a hostile process
 * that can write the segment would (issue 6, scenario 7: live bit flips).
 *
 * Usage: test_bitflip_tool KEY PID MODE FLIPS BURST SEED
 *   Attaches to the segment at KEY, waits up to 5 s for process PID to mark its first
 *   epoch in its slot (so that its regions are registered), then
 *   every millisecond writes BURST times into that slot, FLIPS times in all
 *   or until PID is gone.  MODE says where and what:
 *     slot     one random bit anywhere in the slot
 *     regions  a random byte in the written entries of the region table
 *     ring     a random byte of the ring's head, dropped, tail_seen or tail
 *     pool     a random byte in the used part of the name pool
 *     counts   a random byte of the region count or of the name pool use
 *   Prints "flips=N slot=I mode=MODE".  Exit status 0, 1 when the segment
 *   or the slot cannot be found, 2 on bad usage. */
#include <config.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "geopm_error.h"
#include "job.h"
#include "test_args.h"

/* Where a mode writes: [offset, offset + size) of the slot, or two spans. */
struct span {
    size_t offset;
    size_t size;
};

struct target {
    struct span spans[4];
    int span_count;
    int single_bit; /* flip one bit; else write a random byte */
};

#define SLOT_OFFSET(member) offsetof(struct geopm_job_slot, member)
#define FIELD_SIZE(member) sizeof(((struct geopm_job_slot *)0)->member)

/* xorshift64: any fixed sequence will do, and a seed repeats a run. */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* The parts of the slot a mode damages; the used parts of the region table
 * and of the name pool are as the process has written them so far. */
static int make_target(const char *mode, const struct geopm_job_slot *slot,
                       struct target *target)
{
    memset(target, 0, sizeof(*target));
    uint32_t regions = atomic_load(&slot->info.region_count);
    uint32_t pool_used = atomic_load(&slot->info.name_pool_used);
    regions = regions < GEOPM_JOB_REGION_MAX ? regions : GEOPM_JOB_REGION_MAX;
    pool_used = pool_used < GEOPM_JOB_NAME_POOL_SIZE ? pool_used : GEOPM_JOB_NAME_POOL_SIZE;
    if (strcmp(mode, "slot") == 0) {
        target->spans[target->span_count++] = (struct span){0, sizeof(*slot)};
        target->single_bit = 1;
    }
    else if (strcmp(mode, "regions") == 0 && regions > 0) {
        target->spans[target->span_count++] =
            (struct span){SLOT_OFFSET(regions), regions * sizeof(struct geopm_job_region)};
    }
    else if (strcmp(mode, "ring") == 0) {
        target->spans[target->span_count++] =
            (struct span){SLOT_OFFSET(producer), sizeof(struct geopm_job_ring_producer)};
        target->spans[target->span_count++] =
            (struct span){SLOT_OFFSET(consumer), sizeof(struct geopm_job_ring_consumer)};
    }
    else if (strcmp(mode, "pool") == 0 && pool_used > 0) {
        target->spans[target->span_count++] = (struct span){SLOT_OFFSET(name_pool), pool_used};
    }
    else if (strcmp(mode, "counts") == 0) {
        target->spans[target->span_count++] =
            (struct span){SLOT_OFFSET(info.region_count), FIELD_SIZE(info.region_count)};
        target->spans[target->span_count++] =
            (struct span){SLOT_OFFSET(info.name_pool_used), FIELD_SIZE(info.name_pool_used)};
    }
    else {
        fprintf(stderr, "test_bitflip_tool: mode \"%s\" is unknown or has nothing to damage "
                        "(%u regions, %u bytes of names)\n",
                mode, regions, pool_used);
        return -1;
    }
    return 0;
}

static void damage(volatile uint8_t *slot, const struct target *target, uint64_t *random)
{
    const struct span *span = &target->spans[next_random(random) % (uint64_t)target->span_count];
    volatile uint8_t *byte = slot + span->offset + next_random(random) % span->size;
    if (target->single_bit) {
        *byte ^= (uint8_t)(1u << (next_random(random) % 8));
    }
    else {
        *byte = (uint8_t)next_random(random);
    }
}

/* The slot of pid among those claimed, once the process is at work (its
 * first epoch marked: its regions are registered), waiting up to 5 s. */
static struct geopm_job_slot *find_slot(struct geopm_job *job, pid_t pid, uint32_t *index)
{
    struct geopm_job_slot *slots = job->slots;
    const struct timespec pause = {0, 1000000};
    for (int tries = 0; tries < 5000; ++tries) {
        uint32_t claimed = atomic_load(&job->header->slots_claimed);
        claimed = claimed < job->slot_count ? claimed : job->slot_count;
        for (uint32_t i = 0; i < claimed; ++i) {
            if (slots[i].info.pid == pid &&
                atomic_load(&slots[i].info.state) == GEOPM_JOB_SLOT_ACTIVE &&
                atomic_load(&slots[i].status.epoch_count) > 0) {
                *index = i;
                return &slots[i];
            }
        }
        nanosleep(&pause, NULL);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: test_bitflip_tool KEY PID slot|regions|ring|pool|counts FLIPS "
                        "BURST SEED\n");
        return 2;
    }
    pid_t pid = (pid_t)test_argument(argc, argv, 2, 0, 1, INT32_MAX);
    long flips = test_argument(argc, argv, 4, 0, 1, 100000000);
    long burst = test_argument(argc, argv, 5, 0, 1, 1000000);
    uint64_t random = (uint64_t)test_argument(argc, argv, 6, 0, 1, INT32_MAX);
    /* Attached as the job's processes are, root being allowed any
     * segment: the job API checks the header as geopmctl does. */
    struct geopm_job *job = NULL;
    int err = geopm__job_attach(argv[1], 5, &job);
    if (err != 0) {
        char message[512];
        geopm_error_message(err, message, sizeof(message));
        fprintf(stderr, "test_bitflip_tool: %s\n", message);
        return 1;
    }
    uint32_t index = 0;
    struct geopm_job_slot *slot = find_slot(job, pid, &index);
    if (slot == NULL) {
        fprintf(stderr, "test_bitflip_tool: no active slot of pid %ld in %s\n", (long)pid,
                argv[1]);
        return 1;
    }
    struct target target;
    if (make_target(argv[3], slot, &target) != 0) {
        return 2;
    }
    const struct timespec pause = {0, 1000000};
    long done = 0;
    while (done < flips && kill(pid, 0) == 0) {
        for (long i = 0; i < burst && done < flips; ++i, ++done) {
            damage((volatile uint8_t *)slot, &target, &random);
        }
        nanosleep(&pause, NULL);
    }
    printf("flips=%ld slot=%u mode=%s\n", done, index, argv[3]);
    geopm__job_destroy(job, false);
    return 0;
}
