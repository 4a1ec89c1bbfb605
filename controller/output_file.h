/* Files the controller writes for the user: the report, which replaces
 * its target only once complete, and the trace, written as it goes.
 * Neither ever follows a symlink or writes into a file of another user. */
#ifndef CTL_OUTPUT_FILE_H_INCLUDE
#define CTL_OUTPUT_FILE_H_INCLUDE

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

/* Checks that path may be written: it does not exist, or it is a regular
 * file owned by the effective user.  Returns 0, or a negative code with a
 * message in msg naming the path. */
int ctl_output_check(const char *path, char *msg, size_t msg_size);

/* A file being written under a temporary name next to its target. */
struct ctl_output {
    FILE *file;
    char temp[PATH_MAX];
    char path[PATH_MAX];
};

/* Creates the temporary file (mkstemp, in the target's directory, so that
 * the final rename stays in one file system).  Returns 0 or a negative code
 * with a message. */
int ctl_output_begin(const char *path, struct ctl_output *output, char *msg, size_t msg_size);

/* Flushes and closes the temporary file, checks the target again, and
 * renames the file over it.  On failure the temporary file is removed.
 * Returns 0 or a negative code with a message. */
int ctl_output_commit(struct ctl_output *output, char *msg, size_t msg_size);

/* Closes and removes the temporary file. */
void ctl_output_abort(struct ctl_output *output);

/* Opens path for writing from its start: created with mode 0666 less the
 * umask, or, when it exists, truncated only if it is a regular file of the
 * effective user.  Returns 0 or a negative code with a message. */
int ctl_output_open(const char *path, FILE **file, char *msg, size_t msg_size);

#endif
