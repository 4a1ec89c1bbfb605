/* The CRC-32 that names regions: zlib's (IEEE 802.3, reflected), as GEOPM
 * uses, so that ids match GEOPM's and Python's zlib.crc32. */
#ifndef GEOPM_CRC32_H_INCLUDE
#define GEOPM_CRC32_H_INCLUDE

#include <stddef.h>
#include <stdint.h>

uint32_t geopm__crc32(const void *data, size_t length);

#endif
