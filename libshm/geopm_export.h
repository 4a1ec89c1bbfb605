/* Marks the functions a shared library exports; everything else is built
 * with -fvisibility=hidden. */
#ifndef GEOPM_EXPORT_H_INCLUDE
#define GEOPM_EXPORT_H_INCLUDE

#define GEOPM_EXPORT __attribute__((visibility("default")))

#endif
