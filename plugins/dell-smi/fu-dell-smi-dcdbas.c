/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fu-dell-compat.h"
#include "fu-dell-file.h"
#include "fu-dell-smi-dcdbas.h"
#include "fu-dell-smi-struct.h"

static gchar *
fu_dell_smi_dcdbas_path(FuContext *ctx, const gchar *file)
{
	g_autofree gchar *sysfs = fu_dell_compat_get_path(ctx, FU_PATH_KIND_SYSFSDIR);
	return g_build_filename(sysfs, "devices", "platform", "dcdbas", file, NULL);
}

static gboolean
fu_dell_smi_dcdbas_write(
    FuContext *ctx, const gchar *file, const guint8 *buf, gsize bufsz, GError **error)
{
	g_autofree gchar *fn = fu_dell_smi_dcdbas_path(ctx, file);
	return fu_dell_file_write_once(fn, buf, bufsz, error);
}

/* the buffer's physical address, which arguments that point at data take */
static gboolean
fu_dell_smi_dcdbas_get_phys_addr(FuContext *ctx, guint32 *phys, GError **error)
{
	g_autofree gchar *fn = fu_dell_smi_dcdbas_path(ctx, "smi_data_buf_phys_addr");
	g_autofree gchar *text = NULL;
	guint64 value = 0;

	if (!g_file_get_contents(fn, &text, NULL, error))
		return FALSE;
	if (!fu_strtoull(
		g_strchomp(text), &value, 1, G_MAXUINT32 - 0xFFFF, FU_INTEGER_BASE_16, error)) {
		g_prefix_error(error, "%s: ", fn);
		return FALSE;
	}
	*phys = (guint32)value;
	return TRUE;
}

/* only the header comes back, in place of the request: what followed it may
 * be a password; validated without the parser, which prints every field at
 * -vv, the key among them */
static gboolean
fu_dell_smi_dcdbas_read_answer(FuContext *ctx, FuStructDellSmiBuffer *st, GError **error)
{
	g_autofree gchar *data_fn = fu_dell_smi_dcdbas_path(ctx, "smi_data");
	gssize got;
	gint fd = fu_dell_file_open(data_fn, O_RDONLY, error);

	if (fd < 0)
		return FALSE;
	explicit_bzero(st->buf->data, st->buf->len);
	g_byte_array_set_size(st->buf, FU_STRUCT_DELL_SMI_BUFFER_SIZE);
	got = fu_dell_file_read_full(fd, st->buf->data, st->buf->len);
	close(fd);
	if (got != (gssize)st->buf->len) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_READ,
			    "read %d of %u bytes of the SMI buffer back from %s",
			    (gint)got,
			    st->buf->len,
			    data_fn);
		return FALSE;
	}
	if (!fu_struct_dell_smi_buffer_validate(st->buf->data, st->buf->len, 0x0, error)) {
		g_prefix_error(error, "SMI buffer read back from %s: ", data_fn);
		return FALSE;
	}
	return TRUE;
}

/* data after the buffer is passed by its physical address in cbARG1, read
 * once the size is set: a larger size moves the buffer */
static gboolean
fu_dell_smi_dcdbas_exchange(FuContext *ctx,
			    FuStructDellSmiBuffer *st,
			    gboolean has_data,
			    GError **error)
{
	g_autofree gchar *size = g_strdup_printf("%u", st->buf->len);

	if (!fu_dell_smi_dcdbas_write(
		ctx, "smi_data_buf_size", (const guint8 *)size, strlen(size), error))
		return FALSE;
	if (has_data) {
		guint32 phys = 0;
		if (!fu_dell_smi_dcdbas_get_phys_addr(ctx, &phys, error))
			return FALSE;
		fu_struct_dell_smi_buffer_set_cb_arg1(st, phys + FU_STRUCT_DELL_SMI_BUFFER_SIZE);
	}
	if (!fu_dell_smi_dcdbas_write(ctx, "smi_data", st->buf->data, st->buf->len, error))
		return FALSE;
	if (!fu_dell_smi_dcdbas_write(ctx, "smi_request", (const guint8 *)"1", 1, error))
		return FALSE;
	return fu_dell_smi_dcdbas_read_answer(ctx, st, error);
}

/* dcdbas never shrinks its buffer and keeps it across a warm reset: a
 * password or key left there is readable by the BIOS and whatever follows */
static gboolean
fu_dell_smi_dcdbas_clear(FuContext *ctx, GError **error)
{
	if (!fu_dell_smi_dcdbas_write(ctx, "smi_request", (const guint8 *)"0", 1, error)) {
		g_prefix_error_literal(error, "cannot clear the SMI buffer: ");
		return FALSE;
	}
	return TRUE;
}

void
fu_dell_smi_dcdbas_call_wipe(FuDellSmiCall *call)
{
	explicit_bzero(call->args, sizeof(call->args));
	explicit_bzero(call->res, sizeof(call->res));
}

/* a calling-interface SMI through dcdbas, serialised with other users by an
 * exclusive lock on smi_request, which is write-only */
gboolean
fu_dell_smi_dcdbas_call(
    FuContext *ctx, guint16 cmd_address, guint8 cmd_code, FuDellSmiCall *call, GError **error)
{
	g_autofree gchar *lock_fn = fu_dell_smi_dcdbas_path(ctx, "smi_request");
	g_autoptr(FuStructDellSmiBuffer) st = fu_struct_dell_smi_buffer_new();
	g_autoptr(GError) error_clear = NULL;
	gboolean ok;
	gint lock_fd;

	/* one allocation: growing would leave a copy of what follows the header */
	if (call->to_bios != NULL)
		fu_byte_array_set_size(st->buf, st->buf->len + call->to_bios->len, 0x00);
	g_byte_array_set_size(st->buf, FU_STRUCT_DELL_SMI_BUFFER_SIZE);
	fu_struct_dell_smi_buffer_set_command_address(st, cmd_address);
	fu_struct_dell_smi_buffer_set_command_code(st, cmd_code);
	fu_struct_dell_smi_buffer_set_cb_class(st, call->cb_class);
	fu_struct_dell_smi_buffer_set_cb_select(st, call->cb_select);
	fu_struct_dell_smi_buffer_set_cb_arg1(st, call->args[0]);
	fu_struct_dell_smi_buffer_set_cb_arg2(st, call->args[1]);
	fu_struct_dell_smi_buffer_set_cb_arg3(st, call->args[2]);
	fu_struct_dell_smi_buffer_set_cb_arg4(st, call->args[3]);
	fu_struct_dell_smi_buffer_set_cb_res1(st, (guint32)FU_DELL_SMI_RES_NOT_HANDLED);
	if (call->to_bios != NULL)
		g_byte_array_append(st->buf, call->to_bios->data, call->to_bios->len);

	lock_fd = open(lock_fn, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (lock_fd < 0) {
		explicit_bzero(st->buf->data, st->buf->len);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "no dcdbas calling interface at %s (%s): load the dcdbas module",
			    lock_fn,
			    fwupd_strerror(errno));
		return FALSE;
	}
	if (flock(lock_fd, LOCK_EX) != 0) {
		explicit_bzero(st->buf->data, st->buf->len);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_BUSY,
			    "cannot lock %s: %s",
			    lock_fn,
			    fwupd_strerror(errno));
		close(lock_fd);
		return FALSE;
	}
	ok = fu_dell_smi_dcdbas_exchange(ctx, st, call->to_bios != NULL, error);
	/* cleared whether or not the BIOS answered, while the lock is held */
	if (call->secret && !fu_dell_smi_dcdbas_clear(ctx, &error_clear)) {
		if (ok)
			g_propagate_error(error, g_steal_pointer(&error_clear));
		else
			g_warning("%s", error_clear->message);
		ok = FALSE;
	}
	flock(lock_fd, LOCK_UN);
	close(lock_fd);
	if (ok) {
		call->res[0] = (gint32)fu_struct_dell_smi_buffer_get_cb_res1(st);
		call->res[1] = (gint32)fu_struct_dell_smi_buffer_get_cb_res2(st);
		call->res[2] = (gint32)fu_struct_dell_smi_buffer_get_cb_res3(st);
		call->res[3] = (gint32)fu_struct_dell_smi_buffer_get_cb_res4(st);
	}
	explicit_bzero(st->buf->data, st->buf->len);
	return ok;
}

const gchar *
fu_dell_smi_dcdbas_result_to_string(gint32 res)
{
	if (res == FU_DELL_SMI_RES_ERROR)
		return "the BIOS reported an error (-1)";
	if (res == FU_DELL_SMI_RES_NOT_SUPPORTED)
		return "the BIOS does not support it (-2)";
	if (res == FU_DELL_SMI_RES_NOT_HANDLED)
		return "no BIOS handled the SMI (-3)";
	return "the BIOS returned an unknown code";
}
