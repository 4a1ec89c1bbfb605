/* Validation of shared memory keys. */
#ifndef GEOPM_SHM_KEY_H_INCLUDE
#define GEOPM_SHM_KEY_H_INCLUDE

/*
 * Returns 0 when key names a POSIX shared memory object that is safe to
 * use under /dev/shm: one leading '/', no other '/', neither "/." nor "/..",
 * only printable non-space characters, at most GEOPM_SHM_KEY_MAX bytes.
 * Otherwise returns GEOPM_ERROR_KEY (GEOPM_ERROR_INVALID for NULL) with a
 * message that names the caller, the key and what is wrong with it.
 */
int geopm__shm_key_check(const char *caller, const char *key);

#endif
