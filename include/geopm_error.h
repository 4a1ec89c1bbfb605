/* Error codes shared by every geopm library, and their messages. */
#ifndef GEOPM_ERROR_H_INCLUDE
#define GEOPM_ERROR_H_INCLUDE

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every function that can fail returns 0 (or a documented non-negative
 * value) on success and a negative code on failure: either -errno, for
 * failures the operating system reported, or one of the GEOPM_ERROR_* codes
 * below, for failures the library detected itself.  The GEOPM codes start
 * far below -4095 so that they never collide with a negated errno value.
 *
 * X(name, value, message) is the one list of codes: the enum and the
 * messages of geopm_error_message() both derive from it.
 */
#define GEOPM_ERROR_LIST(X)                                                        \
    X(GEOPM_ERROR_RUNTIME, -10001, "runtime error")                              \
    X(GEOPM_ERROR_INVALID, -10002, "invalid argument")                           \
    X(GEOPM_ERROR_KEY, -10003, "invalid shared memory key")                      \
    X(GEOPM_ERROR_UNSAFE, -10004, "file at the key is not a segment that can be trusted") \
    X(GEOPM_ERROR_LAYOUT, -10005, "segment layout, magic or version does not match") \
    X(GEOPM_ERROR_CORRUPT, -10006, "segment contents are corrupt")               \
    X(GEOPM_ERROR_NOT_READY, -10007, "segment is not published yet")            \
    X(GEOPM_ERROR_NO_SLOT, -10008, "no free process slot in the segment")        \
    X(GEOPM_ERROR_FULL, -10009, "table is full")                                 \
    X(GEOPM_ERROR_REGION, -10010, "unknown or mismatched region")                \
    X(GEOPM_ERROR_NOT_ATTACHED, -10011, "not attached to a controller")          \
    X(GEOPM_ERROR_ENVIRONMENT, -10012, "invalid value in the environment")

enum geopm_error_e {
#define GEOPM_ERROR_ENUM_(name, value, message) name = (value),
    GEOPM_ERROR_LIST(GEOPM_ERROR_ENUM_)
#undef GEOPM_ERROR_ENUM_
};

/*
 * Writes into msg (at most size bytes, always NUL terminated when size > 0)
 * the message for err.  When err is the code of the last failure of a geopm
 * function on the calling thread, the message is that failure's detailed
 * text, which names the object (for example the key) and the cause;
 * otherwise it is the generic text for the code, or strerror(-err) for a
 * negated errno value.
 */
void geopm_error_message(int err, char *msg, size_t size);

#ifdef __cplusplus
}
#endif
#endif
