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
#include "fu-dell-smi-cmos.h"

/* The RTC bank (ports 0x70/0x71, bytes 14 to 127) goes through the kernel's
 * /dev/nvram, which takes the RTC lock and works under lockdown. Other banks
 * need indexed I/O through /dev/port, which lockdown forbids. */
#define FU_DELL_CMOS_RTC_INDEX 0x70
#define FU_DELL_CMOS_RTC_DATA  0x71
#define FU_DELL_NVRAM_FIRST    14
#define FU_DELL_NVRAM_LAST     127

static gboolean
fu_dell_smi_cmos_is_nvram(guint16 index_port, guint16 data_port, guint8 location)
{
	return index_port == FU_DELL_CMOS_RTC_INDEX && data_port == FU_DELL_CMOS_RTC_DATA &&
	       location >= FU_DELL_NVRAM_FIRST && location <= FU_DELL_NVRAM_LAST;
}

static gboolean
fu_dell_smi_cmos_check_lockdown(FuContext *ctx, GError **error)
{
	g_autofree gchar *dir = fu_dell_compat_get_path(ctx, FU_PATH_KIND_SYSFSDIR_SECURITY);
	g_autofree gchar *fn = g_build_filename(dir, "lockdown", NULL);
	g_autofree gchar *text = NULL;
	if (!g_file_get_contents(fn, &text, NULL, NULL))
		return TRUE;
	if (strstr(text, "[none]") != NULL)
		return TRUE;
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_NOT_SUPPORTED,
		    "kernel lockdown (%s) forbids the port I/O this CMOS token needs",
		    g_strstrip(text));
	return FALSE;
}

static gint
fu_dell_smi_cmos_open(FuContext *ctx, const gchar *node, gint flags, gchar **fn, GError **error)
{
	g_autofree gchar *devfs = fu_dell_compat_get_path(ctx, FU_PATH_KIND_DEVFS);
	*fn = g_build_filename(devfs, node, NULL);
	return fu_dell_file_open(*fn, flags, error);
}

static gboolean
fu_dell_smi_cmos_io(
    gint fd, gboolean do_write, guint8 *byte, goffset offset, const gchar *fn, GError **error)
{
	ssize_t rc = do_write ? pwrite(fd, byte, 1, offset) : pread(fd, byte, 1, offset);
	if (rc != 1) {
		g_set_error(error,
			    FWUPD_ERROR,
			    do_write ? FWUPD_ERROR_WRITE : FWUPD_ERROR_READ,
			    "cannot %s %s at 0x%x: %s",
			    do_write ? "write" : "read",
			    fn,
			    (guint)offset,
			    rc < 0 ? fwupd_strerror(errno) : "nothing transferred");
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_dell_smi_cmos_access(FuContext *ctx,
			guint16 index_port,
			guint16 data_port,
			guint8 location,
			guint8 *value,
			gboolean do_write,
			GError **error)
{
	g_autofree gchar *fn = NULL;
	gboolean ok;
	gint fd;

	if (fu_dell_smi_cmos_is_nvram(index_port, data_port, location)) {
		fd = fu_dell_smi_cmos_open(ctx, "nvram", do_write ? O_RDWR : O_RDONLY, &fn, error);
		if (fd < 0)
			return FALSE;
		ok = fu_dell_smi_cmos_io(
		    fd, do_write, value, location - FU_DELL_NVRAM_FIRST, fn, error);
		close(fd);
		return ok;
	}
	if (!fu_dell_smi_cmos_check_lockdown(ctx, error))
		return FALSE;
	fd = fu_dell_smi_cmos_open(ctx, "port", O_RDWR, &fn, error);
	if (fd < 0)
		return FALSE;
	ok = fu_dell_smi_cmos_io(fd, TRUE, &location, index_port, fn, error) &&
	     fu_dell_smi_cmos_io(fd, do_write, value, data_port, fn, error);
	close(fd);
	return ok;
}

gboolean
fu_dell_smi_cmos_read(FuContext *ctx,
		      guint16 index_port,
		      guint16 data_port,
		      guint8 location,
		      guint8 *value,
		      GError **error)
{
	return fu_dell_smi_cmos_access(ctx, index_port, data_port, location, value, FALSE, error);
}

gboolean
fu_dell_smi_cmos_write(FuContext *ctx,
		       guint16 index_port,
		       guint16 data_port,
		       guint8 location,
		       guint8 value,
		       GError **error)
{
	return fu_dell_smi_cmos_access(ctx, index_port, data_port, location, &value, TRUE, error);
}

/* the checksum types of table 0xD4: 0 a 16-bit byte sum, 1 an 8-bit byte sum,
 * 2 Dell's word CRC, 3 the 16-bit byte sum negated */
guint16
fu_dell_smi_cmos_checksum(guint8 check_type, const guint8 *buf, gsize bufsz)
{
	guint16 sum = 0;
	if (check_type == 1)
		return fu_sum8(buf, bufsz);
	if (check_type == 3)
		return (guint16)(0x10000 - fu_sum16(buf, bufsz));
	if (check_type != 2)
		return fu_sum16(buf, bufsz);
	for (gsize i = 0; i < bufsz; i++) {
		sum ^= buf[i];
		for (guint j = 0; j < 7; j++) {
			gboolean carry = sum & 1;
			sum >>= 1;
			if (carry)
				sum = (sum | 0x8000) ^ 0xA001;
		}
	}
	return sum;
}
