/* The job segment: the one contract between the ranks of a job on a node
 * and its controller.  Every size both sides must agree on is here, with a
 * static_assert; the layout version changes whenever any of it does. */
#ifndef GEOPM_JOB_LAYOUT_H_INCLUDE
#define GEOPM_JOB_LAYOUT_H_INCLUDE

#include <assert.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "geopm_hint.h"
#include "job_clock.h"

#define GEOPM_JOB_MAGIC UINT64_C(0x424f4a4d504f4547) /* "GEOPMJOB" */
#define GEOPM_JOB_LAYOUT_VERSION 2u
/* Written to geopm_job_header.published, last, by the controller. */
#define GEOPM_JOB_PUBLISHED 0x52454459u /* "REDY" */

/* Distinct regions one process can mark. */
#define GEOPM_JOB_REGION_MAX 256u
/* Longest region name kept, without its NUL. */
#define GEOPM_JOB_NAME_MAX 255u
/* Bytes for the region names of one process, NUL terminated, packed. */
#define GEOPM_JOB_NAME_POOL_SIZE 16384u
/* Events in one process's ring for the trace: a power of two. */
#define GEOPM_JOB_RING_SIZE 1024u
#define GEOPM_JOB_PROGRAM_MAX 64u
#define GEOPM_JOB_CACHE_LINE 64

/* The reserved hashes of GEOPM. */
#define GEOPM_REGION_HASH_UNMARKED UINT64_C(0x725e8066)
#define GEOPM_REGION_HASH_EPOCH UINT64_C(0x66c91423)
#define GEOPM_REGION_HASH_APP UINT64_C(0x9d540c53)

/* A region id is hash | hint << 32. */
#define GEOPM_REGION_HASH_MASK UINT64_C(0xffffffff)
static inline uint64_t geopm_region_id_hash(uint64_t id)
{
    return id & GEOPM_REGION_HASH_MASK;
}
static inline uint64_t geopm_region_id_hint(uint64_t id)
{
    return (id >> 32) & UINT64_C(0xff);
}
static inline uint64_t geopm_region_id_make(uint64_t hash, uint64_t hint)
{
    return (hash & GEOPM_REGION_HASH_MASK) | (hint << 32);
}

/* The life of a slot, as its process writes it. */
enum geopm_job_slot_state {
    GEOPM_JOB_SLOT_FREE = 0,
    GEOPM_JOB_SLOT_CLAIMED = 1,  /* a process took it and is filling it in */
    GEOPM_JOB_SLOT_ACTIVE = 2,   /* markers are being written */
    GEOPM_JOB_SLOT_FINISHED = 3, /* the process is done (MPI_Finalize, shutdown, exit) */
};

/* What an event of the ring records, in the top bits of its word. */
enum geopm_job_event_kind {
    GEOPM_JOB_EVENT_ENTER = 1,
    GEOPM_JOB_EVENT_EXIT = 2,
    GEOPM_JOB_EVENT_EPOCH = 3,
};
#define GEOPM_JOB_EVENT_KIND_SHIFT 60

struct geopm_job_event {
    uint64_t time_ns;
    /* kind << GEOPM_JOB_EVENT_KIND_SHIFT | region id (hash | hint << 32). */
    uint64_t what;
};

/* Time and count of one region.  Times are CLOCK_MONOTONIC nanoseconds. */
struct geopm_job_totals {
    _Atomic uint64_t count;
    _Atomic uint64_t total_ns;
    /* Time spent in the region under each hint (a nested region changes
     * the hint: an MPI call inside it is network time). */
    _Atomic uint64_t hint_ns[GEOPM_NUM_REGION_HINT];
};

/* The lanes of a region: the thread that attached (the main thread) writes
 * its lane alone, with plain stores; every other thread adds to the shared
 * lane atomically.  The reader sums both.  That keeps the common
 * single-threaded path free of atomic read-modify-writes while the counts of
 * MPI_THREAD_MULTIPLE programs stay exact. */
enum geopm_job_lane { GEOPM_JOB_LANE_MAIN = 0, GEOPM_JOB_LANE_SHARED = 1, GEOPM_JOB_LANES = 2 };

struct geopm_job_region {
    uint64_t id;
    uint32_t name_offset; /* into the slot's name pool */
    uint32_t name_length; /* without the NUL */
    struct geopm_job_totals lane[GEOPM_JOB_LANES];
};

/* Fields the process writes rarely, or once. */
struct geopm_job_slot_info {
    _Atomic uint32_t state; /* enum geopm_job_slot_state */
    int32_t pid;
    int32_t rank;            /* MPI world rank, -1 without MPI */
    uint32_t reserved;
    _Atomic uint64_t start_ns; /* when it attached */
    _Atomic uint64_t end_ns; /* when it finished, 0 before */
    char program[GEOPM_JOB_PROGRAM_MAX]; /* short name, NUL terminated */
    /* Entries of regions[] that are written: each entry and its name are
     * complete before this count is released past them. */
    _Atomic uint32_t region_count;
    _Atomic uint32_t name_pool_used;
    /* Calls refused: exit without enter, unknown ids, bad names, full tables. */
    _Atomic uint64_t error_count;
    /* Time spent inside the runtime: attach, and markers as sampled. */
    _Atomic uint64_t overhead_ns;
};

/* Fields the process writes on every outermost enter and exit, or epoch. */
struct geopm_job_slot_status {
    /* Hash of the outermost region | current hint << 32, one word so that a
     * reader never sees a torn pair; GEOPM_REGION_HASH_UNMARKED outside. */
    _Atomic uint64_t current;
    _Atomic uint64_t epoch_count;
    _Atomic uint64_t epoch_first_ns;
    _Atomic uint64_t epoch_last_ns;
    /* Thread progress in the current region: posted / total work units. */
    _Atomic uint64_t progress_total;
    _Atomic uint64_t progress_done;
};

/* The ring's producer and consumer indexes live on lines of their own, so
 * that the controller's reads of head do not steal the line the process
 * writes, and the other way round. */
struct geopm_job_ring_producer {
    _Atomic uint64_t head;    /* next event to write; written by the process */
    _Atomic uint64_t dropped; /* events lost because the ring was full */
    uint64_t tail_seen;       /* the process's cached copy of tail */
};

struct geopm_job_ring_consumer {
    _Atomic uint64_t tail; /* next event to read; written by the controller */
};

struct geopm_job_slot {
    alignas(GEOPM_JOB_CACHE_LINE) struct geopm_job_slot_info info;
    alignas(GEOPM_JOB_CACHE_LINE) struct geopm_job_slot_status status;
    alignas(GEOPM_JOB_CACHE_LINE) struct geopm_job_ring_producer producer;
    alignas(GEOPM_JOB_CACHE_LINE) struct geopm_job_ring_consumer consumer;
    alignas(GEOPM_JOB_CACHE_LINE) struct geopm_job_region regions[GEOPM_JOB_REGION_MAX];
    struct geopm_job_event ring[GEOPM_JOB_RING_SIZE];
    char name_pool[GEOPM_JOB_NAME_POOL_SIZE];
};

/* At offset 0 of the segment's usable region. */
struct geopm_job_header {
    uint64_t magic;
    uint32_t layout_version;
    uint32_t header_size;   /* sizeof(struct geopm_job_header) */
    uint64_t slot_offset;   /* from the start of this header */
    uint32_t slot_size;     /* sizeof(struct geopm_job_slot) */
    uint32_t slot_count;
    uint32_t region_max;
    uint32_t ring_size;
    uint32_t name_pool_size;
    uint32_t hint_count;
    int32_t controller_pid;
    /* Slots handed out so far, raised under the segment lock; the
     * controller reads it without the lock. */
    _Atomic uint32_t slots_claimed;
    /* GEOPM_JOB_PUBLISHED once the controller has filled in everything
     * and given the segment to the job's user. */
    _Atomic uint32_t published;
    uint32_t reserved;
    /* How ranks read the time: the controller's calibration. */
    struct geopm_job_clock clock;
    /* When the controller started (geopm__proc_start_ticks), so that a
     * later process reusing its pid does not make a stale segment look
     * alive. */
    uint64_t controller_start;
    uint8_t padding[32];
};

static_assert(sizeof(struct geopm_job_event) == 16, "events are two words");
static_assert((GEOPM_JOB_RING_SIZE & (GEOPM_JOB_RING_SIZE - 1)) == 0,
              "the ring size is a power of two");
static_assert(sizeof(struct geopm_job_region) == 16 + 2 * 8 * (2 + GEOPM_NUM_REGION_HINT),
              "a region entry has no padding");
static_assert(sizeof(struct geopm_job_header) == 128, "the job header is two cache lines");
static_assert(offsetof(struct geopm_job_header, layout_version) == 8 &&
                  offsetof(struct geopm_job_header, controller_pid) == 48,
              "the version and the controller's pid keep their offsets in every layout version "
              "(geopm__job_peek reads them from segments of other versions)");
static_assert(sizeof(struct geopm_job_slot) % GEOPM_JOB_CACHE_LINE == 0,
              "slots start on cache lines");
static_assert(sizeof(struct geopm_job_slot) <= (size_t)128 * 1024, "a slot stays within 128 KiB");
static_assert(sizeof(_Atomic uint64_t) == 8 && alignof(_Atomic uint64_t) == 8,
              "64-bit atomics are plain aligned words");

/* The segment size for slot_count slots. */
static inline size_t geopm_job_segment_size(uint32_t slot_count)
{
    return sizeof(struct geopm_job_header) + (size_t)slot_count * sizeof(struct geopm_job_slot);
}

#endif
