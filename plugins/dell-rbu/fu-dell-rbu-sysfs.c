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
#include "fu-dell-rbu-sysfs.h"

/* the rbu driver's files: kmod/README.md says what each does and when */
#define FU_DELL_RBU_POLL_MS    20
#define FU_DELL_RBU_LOADER_MS  2000
#define FU_DELL_RBU_STAGED_MS  10000
#define FU_DELL_RBU_INIT_TRIES 3

static gchar *
fu_dell_rbu_sysfs_path(FuContext *ctx, const gchar *file)
{
	g_autofree gchar *sysfs = fu_dell_compat_get_path(ctx, FU_PATH_KIND_SYSFSDIR);
	return g_build_filename(sysfs, "devices", "platform", "dell_rbu", file, NULL);
}

static gchar *
fu_dell_rbu_sysfs_loader_path(FuContext *ctx, const gchar *file)
{
	g_autofree gchar *sysfs = fu_dell_compat_get_path(ctx, FU_PATH_KIND_SYSFSDIR);
	return g_build_filename(sysfs, "class", "firmware", "dell_rbu", file, NULL);
}

/* the driver is loaded, and one of its two load paths can exist here */
gboolean
fu_dell_rbu_sysfs_check(FuContext *ctx, GError **error)
{
	g_autofree gchar *rbu = fu_dell_rbu_sysfs_path(ctx, NULL);
	g_autofree gchar *direct = fu_dell_rbu_sysfs_path(ctx, "image_size");
	g_autofree gchar *sysfs = fu_dell_compat_get_path(ctx, FU_PATH_KIND_SYSFSDIR);
	g_autofree gchar *fw_class = g_build_filename(sysfs, "class", "firmware", NULL);

	if (!g_file_test(rbu, G_FILE_TEST_IS_DIR)) {
		g_set_error(
		    error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_NOT_FOUND,
		    "the dell_rbu driver is not loaded (no %s): run 'modprobe dell_rbu', or "
		    "install the bundled module",
		    rbu);
		return FALSE;
	}
	if (!g_file_test(direct, G_FILE_TEST_EXISTS) &&
	    !g_file_test(fw_class, G_FILE_TEST_IS_DIR)) {
		g_set_error_literal(
		    error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_NOT_SUPPORTED,
		    "this kernel has no firmware loader user helper "
		    "(CONFIG_FW_LOADER_USER_HELPER), so its dell_rbu cannot take an "
		    "image: install the bundled dell_rbu module (DKMS)");
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_dell_rbu_sysfs_write_str(const gchar *fn, const gchar *value, GError **error)
{
	return fu_dell_file_write_once(fn, (const guint8 *)value, strlen(value), error);
}

/* one of the driver's own files */
static gboolean
fu_dell_rbu_sysfs_write_attr(FuContext *ctx, const gchar *file, const gchar *value, GError **error)
{
	g_autofree gchar *fn = fu_dell_rbu_sysfs_path(ctx, file);
	return fu_dell_rbu_sysfs_write_str(fn, value, error);
}

/* stream the source into FILE with one open, a chunk at a time */
static gboolean
fu_dell_rbu_sysfs_stream(const gchar *fn,
			 const FuDellRbuSource *source,
			 FuProgress *progress,
			 GError **error)
{
	g_autofree guint8 *buf = g_malloc(source->chunk);
	gint fd = fu_dell_file_open(fn, O_WRONLY, error);

	if (fd < 0)
		return FALSE;
	for (gsize offset = 0; offset < source->size; offset += source->chunk) {
		gsize len = MIN(source->chunk, source->size - offset);
		gsize done = 0;
		if (!source->fill(source->user_data, offset, buf, len, error)) {
			close(fd);
			return FALSE;
		}
		while (done < len) {
			ssize_t wrote = write(fd, buf + done, len - done);
			if (wrote <= 0) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_WRITE,
					    "wrote %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
					    " bytes to %s: %s",
					    offset + done,
					    source->size,
					    fn,
					    wrote < 0 ? fwupd_strerror(errno)
						      : "the driver took nothing");
				close(fd);
				return FALSE;
			}
			done += wrote;
		}
		fu_progress_set_percentage_full(progress, offset + len, source->size);
	}
	if (close(fd) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_WRITE,
			    "cannot close %s: %s",
			    fn,
			    fwupd_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/* reads the driver's copy whole, from offset 0 (the kernel's driver keeps a
 * cursor across packet-mode reads), comparing it chunk by chunk with the
 * source: sets the size it holds and whether all of it matched */
static gboolean
fu_dell_rbu_sysfs_read_back(
    FuContext *ctx, const FuDellRbuSource *source, gsize *held, gboolean *same, GError **error)
{
	g_autofree gchar *fn = fu_dell_rbu_sysfs_path(ctx, "data");
	g_autofree guint8 *got = g_malloc(source->chunk);
	g_autofree guint8 *want = g_malloc(source->chunk);
	gint fd = fu_dell_file_open(fn, O_RDONLY, error);

	if (fd < 0) {
		g_prefix_error_literal(error, "cannot read back the staged image: ");
		return FALSE;
	}
	*held = 0;
	*same = TRUE;
	while (TRUE) {
		gssize len = fu_dell_file_read_full(fd, got, source->chunk);
		gsize expect = *held < source->size ? MIN(source->chunk, source->size - *held) : 0;
		/* the distribution's driver answers ENOMEM while it holds no
		 * packets, until its callback has made them */
		if (len < 0 && errno == ENOMEM && *held == 0)
			break;
		if (len < 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_READ,
				    "cannot read back the staged image from %s: %s",
				    fn,
				    fwupd_strerror(errno));
			close(fd);
			return FALSE;
		}
		if (len == 0)
			break;
		if (*same && (gsize)len <= expect) {
			if (!source->fill(source->user_data, *held, want, expect, error)) {
				close(fd);
				return FALSE;
			}
			if (memcmp(got, want, len) != 0)
				*same = FALSE;
		} else {
			*same = FALSE;
		}
		*held += len;
	}
	close(fd);
	if (*held != source->size)
		*same = FALSE;
	return TRUE;
}

static gboolean
fu_dell_rbu_sysfs_wait_loader(FuContext *ctx, GError **error)
{
	g_autofree gchar *loading = fu_dell_rbu_sysfs_loader_path(ctx, "loading");
	/* the firmware class may still be removing the last request's entries,
	 * and the new request then fails at once: ask again */
	for (guint i = 0; i < FU_DELL_RBU_INIT_TRIES; i++) {
		if (!fu_dell_rbu_sysfs_write_attr(ctx, "image_type", "init", error))
			return FALSE;
		for (guint ms = 0; ms < FU_DELL_RBU_LOADER_MS; ms += FU_DELL_RBU_POLL_MS) {
			if (g_file_test(loading, G_FILE_TEST_EXISTS))
				return TRUE;
			g_usleep(FU_DELL_RBU_POLL_MS * 1000);
		}
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_NOT_SUPPORTED,
		    "%s did not appear after 'init' to image_type",
		    loading);
	return FALSE;
}

static gboolean
fu_dell_rbu_sysfs_load_firmware_class(FuContext *ctx,
				      const FuDellRbuSource *source,
				      FuProgress *progress,
				      GError **error)
{
	g_autofree gchar *loading = fu_dell_rbu_sysfs_loader_path(ctx, "loading");
	g_autofree gchar *data = fu_dell_rbu_sysfs_loader_path(ctx, "data");
	if (!fu_dell_rbu_sysfs_wait_loader(ctx, error))
		return FALSE;
	if (!fu_dell_rbu_sysfs_write_str(loading, "1", error))
		return FALSE;
	if (!fu_dell_rbu_sysfs_stream(data, source, progress, error))
		return FALSE;
	return fu_dell_rbu_sysfs_write_str(loading, "0", error);
}

static gboolean
fu_dell_rbu_sysfs_load_direct(FuContext *ctx,
			      const FuDellRbuSource *source,
			      FuProgress *progress,
			      GError **error)
{
	g_autofree gchar *size = g_strdup_printf("%" G_GSIZE_FORMAT, source->size);
	g_autofree gchar *image = fu_dell_rbu_sysfs_path(ctx, "image");
	if (!fu_dell_rbu_sysfs_write_attr(ctx, "image_size", size, error))
		return FALSE;
	return fu_dell_rbu_sysfs_stream(image, source, progress, error);
}

/* the loader's callback stages the image a moment after loading=0 */
static gboolean
fu_dell_rbu_sysfs_verify(FuContext *ctx, const FuDellRbuSource *source, GError **error)
{
	gsize held = 0;
	gboolean same = FALSE;
	for (guint ms = 0; ms < FU_DELL_RBU_STAGED_MS; ms += FU_DELL_RBU_POLL_MS) {
		if (!fu_dell_rbu_sysfs_read_back(ctx, source, &held, &same, error))
			return FALSE;
		if (held >= source->size)
			break;
		g_usleep(FU_DELL_RBU_POLL_MS * 1000);
	}
	if (!same) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_WRITE,
			    "the driver holds %" G_GSIZE_FORMAT
			    " bytes that differ from the %" G_GSIZE_FORMAT " bytes staged",
			    held,
			    source->size);
		return FALSE;
	}
	return TRUE;
}

static const gchar *
fu_dell_rbu_sysfs_type(FuDellRbuMode mode)
{
	return mode == FU_DELL_RBU_MODE_PACKET ? "packet" : "mono";
}

/*
 * After any failure: abort a pending load and free what the driver holds.
 * Writing the type frees in both drivers; init would also ask for a new
 * load, which a file named dell_rbu in the firmware search path could answer.
 */
void
fu_dell_rbu_sysfs_unstage(FuContext *ctx, FuDellRbuMode mode)
{
	g_autofree gchar *loading = fu_dell_rbu_sysfs_loader_path(ctx, "loading");
	g_autofree gchar *size = fu_dell_rbu_sysfs_path(ctx, "image_size");
	g_autoptr(GError) error_local = NULL;

	if (g_file_test(loading, G_FILE_TEST_EXISTS) &&
	    !fu_dell_rbu_sysfs_write_str(loading, "-1", &error_local))
		g_info("abort: %s", error_local->message);
	g_clear_error(&error_local);
	if (g_file_test(size, G_FILE_TEST_EXISTS) &&
	    !fu_dell_rbu_sysfs_write_str(size, "0", &error_local))
		g_info("abort: %s", error_local->message);
	g_clear_error(&error_local);
	if (!fu_dell_rbu_sysfs_write_attr(
		ctx, "image_type", fu_dell_rbu_sysfs_type(mode), &error_local))
		g_warning("cannot free the staged image: %s", error_local->message);
}

/* whether the driver holds a staged image: its first byte can be read */
gboolean
fu_dell_rbu_sysfs_holds_image(FuContext *ctx, gboolean *held, GError **error)
{
	g_autofree gchar *fn = fu_dell_rbu_sysfs_path(ctx, "data");
	guint8 byte = 0;
	gssize got;
	gint fd = fu_dell_file_open(fn, O_RDONLY, error);

	if (fd < 0)
		return FALSE;
	got = read(fd, &byte, 1);
	close(fd);
	/* the distribution's driver answers ENOMEM while it holds nothing */
	*held = got == 1;
	if (got < 0 && errno != ENOMEM) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_READ,
			    "cannot read %s: %s",
			    fn,
			    fwupd_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_dell_rbu_sysfs_stage_inner(FuContext *ctx,
			      FuDellRbuMode mode,
			      guint32 packet_size,
			      const FuDellRbuSource *source,
			      FuProgress *progress,
			      GError **error)
{
	g_autofree gchar *direct = fu_dell_rbu_sysfs_path(ctx, "image_size");
	if (!fu_dell_rbu_sysfs_write_attr(ctx, "image_type", fu_dell_rbu_sysfs_type(mode), error))
		return FALSE;
	if (mode == FU_DELL_RBU_MODE_PACKET) {
		g_autofree gchar *size = g_strdup_printf("%u", packet_size);
		if (!fu_dell_rbu_sysfs_write_attr(ctx, "packet_size", size, error))
			return FALSE;
	}
	if (g_file_test(direct, G_FILE_TEST_EXISTS)) {
		if (!fu_dell_rbu_sysfs_load_direct(ctx, source, progress, error))
			return FALSE;
	} else {
		if (!fu_dell_rbu_sysfs_load_firmware_class(ctx, source, progress, error))
			return FALSE;
	}
	return fu_dell_rbu_sysfs_verify(ctx, source, error);
}

gboolean
fu_dell_rbu_sysfs_stage(FuContext *ctx,
			FuDellRbuMode mode,
			guint32 packet_size,
			const FuDellRbuSource *source,
			FuProgress *progress,
			GError **error)
{
	if (!fu_dell_rbu_sysfs_stage_inner(ctx, mode, packet_size, source, progress, error)) {
		fu_dell_rbu_sysfs_unstage(ctx, mode);
		return FALSE;
	}
	return TRUE;
}
