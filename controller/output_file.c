#include <config.h>

#include "output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "geopm_error.h"
#include "host_info.h"

static int fail(int err, char *msg, size_t msg_size, const char *path, const char *what)
{
    snprintf(msg, msg_size, "\"%s\": %s: %s", path, what, strerror(-err));
    return err;
}

static int check_stat(const struct stat *st, const char *path, char *msg, size_t msg_size)
{
    if (!S_ISREG(st->st_mode) || st->st_uid != geteuid()) {
        snprintf(msg, msg_size,
                 "\"%s\" exists and is not a regular file owned by uid %lu: it is left as it is",
                 path, (unsigned long)geteuid());
        return GEOPM_ERROR_UNSAFE;
    }
    return 0;
}

int ctl_output_check(const char *path, char *msg, size_t msg_size)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        return errno == ENOENT ? 0 : fail(-errno, msg, msg_size, path, "cannot check it");
    }
    return check_stat(&st, path, msg, msg_size);
}

/* The process umask, read without changing it (umask(2) can only be read
 * by setting it, which would race with other threads creating files). */
static mode_t current_umask(void)
{
    unsigned long long mask = 022;
    (void)ctl_self_status_number("Umask", 8, &mask);
    return (mode_t)(mask & 0777);
}

int ctl_output_begin(const char *path, struct ctl_output *output, char *msg, size_t msg_size)
{
    memset(output, 0, sizeof(*output));
    int err = ctl_output_check(path, msg, msg_size);
    if (err != 0) {
        return err;
    }
    const char *slash = strrchr(path, '/');
    int dir_length = slash == NULL ? 0 : (int)(slash - path + 1);
    const char *base = slash == NULL ? path : slash + 1;
    if (snprintf(output->path, sizeof(output->path), "%s", path) >= (int)sizeof(output->path) ||
        snprintf(output->temp, sizeof(output->temp), "%.*s.%s.XXXXXX", dir_length, path, base) >=
            (int)sizeof(output->temp)) {
        return fail(-ENAMETOOLONG, msg, msg_size, path, "cannot make a temporary name");
    }
    int fd = mkstemp(output->temp);
    if (fd < 0) {
        return fail(-errno, msg, msg_size, output->temp, "cannot create it");
    }
    /* mkstemp makes the file private; a report is as readable as any file
     * the user creates. */
    if (fchmod(fd, 0666 & ~current_umask()) != 0 ||
        (output->file = fdopen(fd, "w")) == NULL) {
        err = -errno;
        close(fd);
        unlink(output->temp);
        return fail(err, msg, msg_size, output->temp, "cannot open it");
    }
    return 0;
}

void ctl_output_abort(struct ctl_output *output)
{
    if (output->file != NULL) {
        /* The file is thrown away: a failure to write it no longer matters. */
        (void)fclose(output->file);
        output->file = NULL;
        unlink(output->temp);
    }
}

int ctl_output_commit(struct ctl_output *output, char *msg, size_t msg_size)
{
    FILE *file = output->file;
    output->file = NULL;
    int err = 0;
    if (fflush(file) != 0 || fsync(fileno(file)) != 0) {
        err = -errno;
    }
    if (fclose(file) != 0 && err == 0) {
        err = -errno;
    }
    if (err != 0) {
        unlink(output->temp);
        return fail(err, msg, msg_size, output->temp, "cannot write it");
    }
    /* Checked again: the target may have appeared while the job ran.  The
     * rename replaces a name, never what it points to. */
    err = ctl_output_check(output->path, msg, msg_size);
    if (err == 0 && rename(output->temp, output->path) != 0) {
        err = fail(-errno, msg, msg_size, output->path, "cannot rename the report to it");
    }
    if (err != 0) {
        unlink(output->temp);
    }
    return err;
}

int ctl_output_open(const char *path, FILE **file, char *msg, size_t msg_size)
{
    /* O_NOFOLLOW refuses a symlink; O_NONBLOCK refuses a FIFO without a
     * reader instead of waiting for one; no O_TRUNC before the checks. */
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
    if (fd < 0) {
        return fail(-errno, msg, msg_size, path, "cannot open it");
    }
    struct stat st;
    int err = fstat(fd, &st) == 0 ? check_stat(&st, path, msg, msg_size)
                                  : fail(-errno, msg, msg_size, path, "cannot check it");
    if (err == 0 && (ftruncate(fd, 0) != 0 || fcntl(fd, F_SETFL, 0) != 0)) {
        err = fail(-errno, msg, msg_size, path, "cannot truncate it");
    }
    FILE *opened = err == 0 ? fdopen(fd, "w") : NULL;
    if (err == 0 && opened == NULL) {
        err = fail(-errno, msg, msg_size, path, "cannot open it");
    }
    if (err != 0) {
        close(fd);
        return err;
    }
    *file = opened;
    return 0;
}
