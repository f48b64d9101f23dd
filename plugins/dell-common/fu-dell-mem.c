/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fu-dell-compat.h"
#include "fu-dell-file.h"
#include "fu-dell-mem.h"

/* legacy BIOS areas below 1 MiB, through $FWUPD_DEVFS/mem */
gboolean
fu_dell_mem_read(FuContext *ctx, goffset address, guint8 *buf, gsize bufsz, GError **error)
{
	g_autofree gchar *devfs = fu_dell_compat_get_path(ctx, FU_PATH_KIND_DEVFS);
	g_autofree gchar *fn = g_build_filename(devfs, "mem", NULL);
	ssize_t got;
	gint fd = fu_dell_file_open(fn, O_RDONLY, error);

	if (fd < 0)
		return FALSE;
	got = pread(fd, buf, bufsz, address);
	close(fd);
	if (got != (ssize_t)bufsz) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_READ,
			    "cannot read 0x%x bytes at 0x%x of %s: %s",
			    (guint)bufsz,
			    (guint)address,
			    fn,
			    got < 0 ? fwupd_strerror(errno) : "short read");
		return FALSE;
	}
	return TRUE;
}
