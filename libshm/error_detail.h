/* Records the detailed message of a failure for geopm_error_message(). */
#ifndef GEOPM_ERROR_DETAIL_H_INCLUDE
#define GEOPM_ERROR_DETAIL_H_INCLUDE

/*
 * Remembers, for the calling thread, that err failed with the message made
 * from fmt, and returns err, so that a failure path reads
 * "return geopm__error(err, ...);".  The message should name the object
 * (a key, a variable, an argument) and the cause.
 */
int geopm__error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
