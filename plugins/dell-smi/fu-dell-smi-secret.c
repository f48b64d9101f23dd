/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fu-dell-file.h"
#include "fu-dell-smi-secret.h"

/* longer than any BIOS admin password; a bigger file is not a password */
#define FU_DELL_SMI_SECRET_FILE_MAX 256

void
fu_dell_smi_secret_free(FuDellSmiSecret *secret)
{
	if (secret == NULL)
		return;
	explicit_bzero(secret, strlen(secret));
	g_free(secret);
}

/* sized once: a buffer that grows leaves its old copies on the heap */
FuDellSmiSecretBytes *
fu_dell_smi_secret_bytes_new(guint reserved)
{
	return g_byte_array_sized_new(reserved);
}

void
fu_dell_smi_secret_bytes_free(FuDellSmiSecretBytes *buf)
{
	if (buf == NULL)
		return;
	explicit_bzero(buf->data, buf->len);
	g_byte_array_unref(buf);
}

static gboolean
fu_dell_smi_secret_check_owner(const gchar *fn, gint fd, GError **error)
{
	struct stat st = {0};
	if (fstat(fd, &st) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_READ,
			    "AdminPasswordFile %s: %s",
			    fn,
			    fwupd_strerror(errno));
		return FALSE;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "AdminPasswordFile %s is not a regular file",
			    fn);
		return FALSE;
	}
	if (st.st_uid != 0 || (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_PERMISSION_DENIED,
			    "AdminPasswordFile %s must be owned by root and not readable or "
			    "writable by group or others (owner uid %u, mode %04o): "
			    "chown root:root and chmod 0600 it",
			    fn,
			    (guint)st.st_uid,
			    (guint)(st.st_mode & 07777));
		return FALSE;
	}
	return TRUE;
}

/* the password is the file's first line; the file stays the only copy on disk */
FuDellSmiSecret *
fu_dell_smi_secret_load_file(const gchar *fn, GError **error)
{
	guint8 buf[FU_DELL_SMI_SECRET_FILE_MAX + 1] = {0};
	gssize got;
	gsize len = 0;
	FuDellSmiSecret *secret = NULL;
	gint fd = open(fn, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_FOUND,
			    "cannot open AdminPasswordFile %s: %s",
			    fn,
			    fwupd_strerror(errno));
		return NULL;
	}
	if (!fu_dell_smi_secret_check_owner(fn, fd, error)) {
		close(fd);
		return NULL;
	}
	got = fu_dell_file_read_full(fd, buf, sizeof(buf));
	close(fd);
	if (got < 0) {
		explicit_bzero(buf, sizeof(buf));
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_READ,
			    "cannot read AdminPasswordFile %s: %s",
			    fn,
			    fwupd_strerror(errno));
		return NULL;
	}
	while (len < (gsize)got && buf[len] != '\n' && buf[len] != '\r' && buf[len] != '\0')
		len++;
	if (len > 0 && (gsize)got <= FU_DELL_SMI_SECRET_FILE_MAX)
		secret = g_strndup((const gchar *)buf, len);
	explicit_bzero(buf, sizeof(buf));
	if ((gsize)got > FU_DELL_SMI_SECRET_FILE_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "AdminPasswordFile %s is larger than %u bytes: it must hold only "
			    "the password",
			    fn,
			    (guint)FU_DELL_SMI_SECRET_FILE_MAX);
		return NULL;
	}
	if (secret == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "AdminPasswordFile %s holds no password on its first line",
			    fn);
		return NULL;
	}
	return secret;
}
