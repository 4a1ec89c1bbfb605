/* Facts about this host and process that the report and trace name. */
#ifndef CTL_HOST_INFO_H_INCLUDE
#define CTL_HOST_INFO_H_INCLUDE

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest host name kept (HOST_NAME_MAX on Linux). */
#define CTL_HOST_NAME_MAX 64

/* The host name, as GEOPM names a host's section and trace file;
 * "localhost" when it cannot be read. */
void ctl_host_name(char *name, size_t size);

/* The local time as GEOPM writes it: "Thu Aug 11 06:03:32 2022". */
void ctl_time_string(char *text, size_t size);

/* Reads the number after "FIELD:" in /proc/self/status, in BASE (10, or 8
 * for Umask); true when the field was found and held a number. */
bool ctl_self_status_number(const char *field, int base, unsigned long long *value);

/* This process's peak resident memory (VmHWM) in bytes; 0 if unknown. */
uint64_t ctl_memory_hwm(void);

/* CLOCK_MONOTONIC in nanoseconds: the clock of the slots' times. */
uint64_t ctl_now_ns(void);

#endif
