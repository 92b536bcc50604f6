/*
 * output.c — atomic output (output.h): temporary file, fsync, mode kept,
 * rename; standard output only once the file is whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "scrutineer.h"
#include "output.h"

/*
 * mkstemp(), but with the name in temp before the file exists, so that a
 * signal handler that unlinks it can never miss the file (it could
 * between mkstemp() creating it and the name being recorded). tmp ends
 * in XXXXXX and gets the name too.
 */
static int
make_temp(volatile char *temp, char *tmp, mode_t mode)
{
	static const char set[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	/* Shared by every thread: atomic, so two jobs never race on it. */
	static atomic_ulong count;
	size_t n = strlen(tmp), i;
	unsigned long long x = (unsigned long long)getpid() << 32 ^
	    (unsigned long long)time(NULL) ^ (uintptr_t)temp;
	int tries, fd = -1;

	for (tries = 0; tries < 100 && fd < 0; tries++) {
		x ^= (atomic_fetch_add(&count, 1) + 1) * 0x9E3779B97F4A7C15ULL;
		for (i = 0; i < 6; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			tmp[n - 6 + i] = set[(x >> 33) % (sizeof(set) - 1)];
		}
		/* the first byte last: a handler sees "" or the whole name */
		temp[0] = '\0';
		for (i = 1; i <= n; i++)
			temp[i] = tmp[i];
		temp[0] = tmp[0];
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		int e = errno;
		temp[0] = '\0';
		errno = e;
	}
	return fd;
}

/*
 * The temporary name beside out: ".NAME.XXXXXX", with NAME cut (at a
 * UTF-8 boundary) so that the whole stays within NAME_MAX: a 250-byte
 * file name could not be written when the 8 bytes added overflowed it.
 */
static void
temp_name(char *tmp, size_t n, const char *out)
{
	const char *slash = strrchr(out, '/'), *base = slash ? slash + 1 : out;
	size_t len = strlen(base);

	if (len > NAME_MAX - 8) {
		len = NAME_MAX - 8;
		while (len > 0 && ((unsigned char)base[len] & 0xC0) == 0x80)
			len--;
	}
	if (slash != NULL)
		snprintf(tmp, n, "%.*s/.%.*s.XXXXXX", (int)(slash - out), out,
		    (int)len, base);
	else
		snprintf(tmp, n, ".%.*s.XXXXXX", (int)len, base);
}

/* Removes the temporary file after a failure; rc passes through. */
static int
drop_temp(volatile char *temp, const char *tmp, int rc)
{
	unlink(tmp);
	temp[0] = '\0';
	return rc;
}

/* Copies the finished file in tmp to standard output, and removes it. */
static int
copy_out(volatile char *temp, const char *tmp, struct diags *diags)
{
	char b[65536];
	ssize_t r = 0, w;
	int fd = open(tmp, O_RDONLY | O_CLOEXEC), rc = SC_OK;

	/* Gone before the copy: a build killed by SIGPIPE leaves nothing. */
	drop_temp(temp, tmp, 0);
	if (fd < 0) {
		diag_err(diags, NULL, 0, "standard output: cannot copy the "
		    "PDF: %s", strerror(errno));
		return SC_EINTERNAL;
	}
	while (rc == SC_OK && ((r = read(fd, b, sizeof(b))) > 0 ||
	    (r < 0 && errno == EINTR))) {
		size_t off = 0;
		while (rc == SC_OK && r > 0 && off < (size_t)r) {
			if ((w = write(STDOUT_FILENO, b + off, (size_t)r - off)) > 0)
				off += (size_t)w;
			else if (w < 0 && errno != EINTR)
				rc = SC_EINTERNAL;
		}
	}
	if (rc != SC_OK || r < 0)
		diag_err(diags, NULL, 0, "standard output: cannot write the "
		    "PDF: %s", strerror(errno));
	close(fd);
	return rc != SC_OK || r < 0 ? SC_EINTERNAL : SC_OK;
}

/*
 * The new file keeps the mode of the one it replaces; a new one gets
 * 0666 less the umask, as any program's would.
 */
int
output_write(const char *target, const struct path_inputs *inputs,
    volatile char *temp, output_fill fill, void *arg, struct diags *diags)
{
	char tmp[OUTPUT_TEMP_MAX];
	int to_stdout = strcmp(target, "-") == 0, keep = 0, fd;
	const char *name = to_stdout ? "standard output" : target;
	struct stat st;

	if (to_stdout) {
		if (path_check_output_fd(inputs, STDOUT_FILENO, name, diags) != 0)
			return SC_EUSAGE;
		snprintf(tmp, sizeof(tmp), "%s/.scrutineer.XXXXXX", P_tmpdir);
	} else {
		if (path_check_output(inputs, target, diags) != 0)
			return SC_EUSAGE;
		keep = stat(target, &st) == 0;
		temp_name(tmp, sizeof(tmp), target);
	}
	/* 0600 while a mode to keep is not yet set; else the umask's. */
	if ((fd = make_temp(temp, tmp, keep ? 0600 : 0666)) < 0) {
		diag_err(diags, NULL, 0, "%s: cannot create a file in that "
		    "folder: %s", to_stdout ? tmp : target, strerror(errno));
		return SC_EINTERNAL;
	}
	close(fd);
	if (fill(tmp, name, arg, diags) != 0)
		return drop_temp(temp, tmp, SC_EINTERNAL);
	if ((fd = open(tmp, O_RDONLY)) >= 0) {
		int bad = fsync(fd) != 0;
		close(fd);
		if (bad) {
			diag_err(diags, NULL, 0, "%s: cannot write: %s", name,
			    strerror(errno));
			return drop_temp(temp, tmp, SC_EINTERNAL);
		}
	}
	/* A message lost for want of memory fails the build too, and it
	 * must fail before the file takes the old one's place. */
	if (diags->oom)
		return drop_temp(temp, tmp, SC_EINTERNAL);
	if (to_stdout)
		return copy_out(temp, tmp, diags);
	/* Permissions only: a set-user-ID bit is not a PDF's to inherit. */
	if (keep)
		chmod(tmp, st.st_mode & 0777);
	if (rename(tmp, target) != 0) {
		diag_err(diags, NULL, 0, "%s: cannot replace: %s", target,
		    strerror(errno));
		return drop_temp(temp, tmp, SC_EINTERNAL);
	}
	temp[0] = '\0';
	return SC_OK;
}
