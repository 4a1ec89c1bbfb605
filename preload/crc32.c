#include <config.h>

#include "crc32.h"

#define CRC32_POLYNOMIAL_REFLECTED 0xedb88320u

#include <pthread.h>

static uint32_t g_table[256];
static pthread_once_t g_table_once = PTHREAD_ONCE_INIT;

static void fill_table(void)
{
    for (uint32_t byte = 0; byte < 256; ++byte) {
        uint32_t crc = byte;
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 1u) ? (crc >> 1) ^ CRC32_POLYNOMIAL_REFLECTED : crc >> 1;
        }
        g_table[byte] = crc;
    }
}

uint32_t geopm__crc32(const void *data, size_t length)
{
    pthread_once(&g_table_once, fill_table);
    const unsigned char *bytes = data;
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < length; ++i) {
        crc = g_table[(crc ^ bytes[i]) & 0xffu] ^ (crc >> 8);
    }
    return crc ^ 0xffffffffu;
}
