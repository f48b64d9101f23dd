/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fu-dell-file.h"

/* sysfs and device files of the Dell drivers, which act on each write and
 * give no size to read to */
#define FU_DELL_FILE_CHUNK 0x10000

gint
fu_dell_file_open(const gchar *fn, gint flags, GError **error)
{
	gint fd = open(fn, flags | O_CLOEXEC);
	if (fd < 0)
		g_set_error(error,
			    FWUPD_ERROR,
			    (flags & O_ACCMODE) == O_RDONLY ? FWUPD_ERROR_READ : FWUPD_ERROR_WRITE,
			    "cannot open %s: %s",
			    fn,
			    fwupd_strerror(errno));
	return fd;
}

static gboolean
fu_dell_file_is_text(const guint8 *buf, gsize bufsz)
{
	for (gsize i = 0; i < bufsz; i++) {
		if (!g_ascii_isprint(buf[i]))
			return FALSE;
	}
	return TRUE;
}

/* one open, one write, one close */
gboolean
fu_dell_file_write_once(const gchar *fn, const guint8 *buf, gsize bufsz, GError **error)
{
	ssize_t wrote;
	gint fd = fu_dell_file_open(fn, O_WRONLY, error);
	if (fd < 0)
		return FALSE;
	wrote = write(fd, buf, bufsz);
	close(fd);
	if (wrote != (ssize_t)bufsz) {
		g_autofree gchar *what =
		    fu_dell_file_is_text(buf, bufsz)
			? g_strdup_printf("'%.*s'", (gint)bufsz, (const gchar *)buf)
			: g_strdup_printf("%u bytes", (guint)bufsz);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_WRITE,
			    "cannot write %s to %s: %s",
			    what,
			    fn,
			    wrote < 0 ? fwupd_strerror(errno) : "short write");
		return FALSE;
	}
	return TRUE;
}

/* fills buf from fd as far as the file goes; returns the bytes read */
gssize
fu_dell_file_read_full(gint fd, guint8 *buf, gsize bufsz)
{
	gsize done = 0;
	while (done < bufsz) {
		ssize_t got = read(fd, buf + done, bufsz - done);
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		done += got;
	}
	return done;
}

GBytes *
fu_dell_file_read_all(const gchar *fn, GError **error)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	gint fd = fu_dell_file_open(fn, O_RDONLY, error);

	if (fd < 0)
		return NULL;
	while (TRUE) {
		gsize len = buf->len;
		gssize got;
		g_byte_array_set_size(buf, len + FU_DELL_FILE_CHUNK);
		got = fu_dell_file_read_full(fd, buf->data + len, FU_DELL_FILE_CHUNK);
		if (got < 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_READ,
				    "cannot read %s: %s",
				    fn,
				    fwupd_strerror(errno));
			close(fd);
			return NULL;
		}
		g_byte_array_set_size(buf, len + got);
		if (got < FU_DELL_FILE_CHUNK)
			break;
	}
	close(fd);
	return g_bytes_new(buf->data, buf->len);
}
