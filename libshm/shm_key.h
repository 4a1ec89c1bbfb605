/* Validation of shared memory keys, and where their objects live. */
#ifndef GEOPM_SHM_KEY_H_INCLUDE
#define GEOPM_SHM_KEY_H_INCLUDE

/* The directory where shm_open keeps its objects: key "/k" is the file
 * GEOPM_SHM_DIR "/k", which is how what sits at a key is looked at without
 * opening it, and how stale segments are found. */
#define GEOPM_SHM_DIR "/dev/shm"

/*
 * Returns 0 when key names a POSIX shared memory object that is safe to
 * use under /dev/shm: one leading '/', no other '/', neither "/." nor "/..",
 * only printable non-space characters, at most GEOPM_SHM_KEY_MAX bytes.
 * Otherwise returns GEOPM_ERROR_KEY (GEOPM_ERROR_INVALID for NULL) with a
 * message that names the caller, the key and what is wrong with it.
 */
int geopm__shm_key_check(const char *caller, const char *key);

#endif
