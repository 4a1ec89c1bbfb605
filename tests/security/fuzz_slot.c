/* A libFuzzer target over what the controller reads from a job segment that
 * a hostile user wrote: geopm__job_check_header, geopm__job_sample_slot,
 * geopm__job_read_regions and geopm__job_drain_ring.
 *
 * Each input damages a valid header and a valid slot (one written by the
 * real slot writer) with patches, then runs the readers on them.  The slot
 * and the header each live in a heap block of exactly their size, and the
 * readers' output arrays are exactly as long as the readers are told, so
 * that AddressSanitizer reports any read or write outside them.
 *
 * Input: a control block, then patches.
 *   control: u16 region_max, u16 event_max, u8 flags, u32 mapping_size
 *   patch:   u8 area, u16 offset, u8 length (mod 16, plus 1), bytes
 * An area is a part of the header or slot (see areas[]): patches aimed at
 * the small parts that carry lengths and indexes find the checks far
 * sooner than offsets spread over the whole 90 KiB slot would. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"
#include "job_reader.h"
#include "job_writer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FLAGS bit 0: drain the ring without copying the events. */
#define FLAG_COUNT_ONLY 1u
/* Patches touch at most this many bytes each. */
#define PATCH_MAX 16u

struct area {
    int in_header; /* else in the slot */
    size_t start;
    size_t size;
};

#define SLOT_OFFSET(member) offsetof(struct geopm_job_slot, member)
#define REGION_BYTES sizeof(struct geopm_job_region)

static const struct area areas[] = {
    {1, 0, sizeof(struct geopm_job_header)},
    {0, 0, SLOT_OFFSET(regions)}, /* info, status, producer, consumer */
    {0, SLOT_OFFSET(regions), 4 * REGION_BYTES},
    {0, SLOT_OFFSET(regions), GEOPM_JOB_REGION_MAX * REGION_BYTES},
    {0, SLOT_OFFSET(ring), sizeof(((struct geopm_job_slot *)0)->ring)},
    {0, SLOT_OFFSET(name_pool), 64},
    {0, SLOT_OFFSET(name_pool), GEOPM_JOB_NAME_POOL_SIZE},
    {0, 0, sizeof(struct geopm_job_slot)},
};
#define AREA_COUNT (sizeof(areas) / sizeof(areas[0]))

static struct geopm_job_slot *g_good_slot;
static struct geopm_job_header g_good_header;

/* What a healthy process leaves in its slot mid-run: active, three named
 * regions with counts, some events in the ring not yet drained. */
static void make_good_slot(struct geopm_job_slot *slot)
{
    memset(slot, 0, sizeof(*slot));
    slot->info.pid = 4242;
    slot->info.rank = 3;
    strcpy(slot->info.program, "region_app");
    atomic_store(&slot->info.start_ns, 1000);
    static const char *const names[] = {"compute", "memory", "MPI_Allreduce"};
    for (uint32_t i = 0; i < 3; ++i) {
        uint64_t id = geopm_region_id_make(0x1000u + i, i);
        geopm__job_slot_add_region(slot, i, id, names[i]);
        atomic_store(&slot->regions[i].lane[0].count, 10u + i);
        atomic_store(&slot->regions[i].lane[1].total_ns, 5000u);
    }
    for (uint64_t i = 0; i < 10; ++i) {
        slot->ring[i].time_ns = 2000 + i;
        slot->ring[i].what = (uint64_t)GEOPM_JOB_EVENT_ENTER << GEOPM_JOB_EVENT_KIND_SHIFT;
    }
    atomic_store(&slot->producer.head, 10);
    atomic_store(&slot->consumer.tail, 3);
    atomic_store(&slot->status.current, GEOPM_REGION_HASH_UNMARKED);
    atomic_store(&slot->info.state, GEOPM_JOB_SLOT_ACTIVE);
}

/* The header of a one-slot segment, as geopmctl fills it in. */
static void make_good_header(struct geopm_job_header *header)
{
    memset(header, 0, sizeof(*header));
    header->magic = GEOPM_JOB_MAGIC;
    header->layout_version = GEOPM_JOB_LAYOUT_VERSION;
    header->header_size = sizeof(*header);
    header->slot_offset = sizeof(*header);
    header->slot_size = sizeof(struct geopm_job_slot);
    header->slot_count = 1;
    header->region_max = GEOPM_JOB_REGION_MAX;
    header->ring_size = GEOPM_JOB_RING_SIZE;
    header->name_pool_size = GEOPM_JOB_NAME_POOL_SIZE;
    header->hint_count = GEOPM_NUM_REGION_HINT;
    header->controller_pid = 1;
    atomic_store(&header->published, GEOPM_JOB_PUBLISHED);
}

/* Takes n bytes from the input, zeros past its end. */
static void take(const uint8_t **data, size_t *size, void *out, size_t n)
{
    size_t have = *size < n ? *size : n;
    memset(out, 0, n);
    memcpy(out, *data, have);
    *data += have;
    *size -= have;
}

static void apply_patches(const uint8_t *data, size_t size, uint8_t *header, uint8_t *slot)
{
    while (size >= 4) {
        uint8_t area_index;
        uint16_t offset;
        uint8_t length;
        take(&data, &size, &area_index, 1);
        take(&data, &size, &offset, 2);
        take(&data, &size, &length, 1);
        const struct area *area = &areas[area_index % AREA_COUNT];
        size_t start = area->start + offset % area->size;
        size_t end = start + length % PATCH_MAX + 1;
        if (end > area->start + area->size) {
            end = area->start + area->size;
        }
        uint8_t *target = area->in_header ? header : slot;
        take(&data, &size, target + start, end - start);
    }
}

/* The header in a block of exactly mapping_size bytes: a mapping smaller
 * than a header holds only its first bytes. */
static void check_header(const struct geopm_job_header *header, uint32_t mapping_size)
{
    size_t size = mapping_size % (sizeof(*header) + 3 * sizeof(struct geopm_job_slot));
    uint8_t *mapping = malloc(size + (size == 0));
    if (mapping == NULL) {
        return;
    }
    memcpy(mapping, header, size < sizeof(*header) ? size : sizeof(*header));
    char why[256];
    geopm__job_check_header((const struct geopm_job_header *)mapping, size, why, sizeof(why));
    free(mapping);
}

static void read_slot(struct geopm_job_slot *slot, uint16_t region_max, uint16_t event_max,
                      uint8_t flags)
{
    char why[256];
    struct geopm_job_sample sample;
    geopm__job_sample_slot(slot, &sample, why, sizeof(why));

    /* Room for more records than a slot has regions: a caller may offer
     * it, and then only the slot's checked count bounds the reading. */
    uint32_t records_max = region_max % (2 * GEOPM_JOB_REGION_MAX + 1);
    struct geopm_job_region_record *records =
        malloc(sizeof(*records) * records_max + (records_max == 0));
    if (records != NULL) {
        geopm__job_read_regions(slot, records, records_max, why, sizeof(why));
        free(records);
    }

    uint32_t max = event_max % (GEOPM_JOB_RING_SIZE + 1);
    struct geopm_job_event *events = NULL;
    if (!(flags & FLAG_COUNT_ONLY)) {
        events = malloc(sizeof(*events) * max + (max == 0));
        if (events == NULL) {
            return;
        }
    }
    geopm__job_drain_ring(slot, events, max, why, sizeof(why));
    free(events);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (g_good_slot == NULL) {
        g_good_slot = aligned_alloc(GEOPM_JOB_CACHE_LINE, sizeof(*g_good_slot));
        if (g_good_slot == NULL) {
            return 0;
        }
        make_good_slot(g_good_slot);
        make_good_header(&g_good_header);
    }
    uint16_t region_max;
    uint16_t event_max;
    uint8_t flags;
    uint32_t mapping_size;
    take(&data, &size, &region_max, 2);
    take(&data, &size, &event_max, 2);
    take(&data, &size, &flags, 1);
    take(&data, &size, &mapping_size, 4);

    /* sizeof(struct geopm_job_slot) is a multiple of the cache line, as
     * aligned_alloc wants, so the block ends exactly where the slot does. */
    struct geopm_job_slot *slot = aligned_alloc(GEOPM_JOB_CACHE_LINE, sizeof(*slot));
    if (slot == NULL) {
        return 0;
    }
    memcpy(slot, g_good_slot, sizeof(*slot));
    struct geopm_job_header header = g_good_header;
    apply_patches(data, size, (uint8_t *)&header, (uint8_t *)slot);

    check_header(&header, mapping_size);
    read_slot(slot, region_max, event_max, flags);
    free(slot);
    return 0;
}
