/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fu-dell-compat-test.h"
#include "fu-dell-platform.h"
#include "fu-dell-smi-cmos.h"
#include "fu-dell-smi-dcdbas.h"
#include "fu-dell-smi-struct.h"
#include "fu-dell-smi-password.h"
#include "fu-dell-smi-secret.h"
#include "fu-dell-smi-token.h"

/* a failed check, with what was expected */
#define fu_test_fail(...)                                                                          \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_test_message(__VA_ARGS__); /* nocheck:blocked */                                 \
		g_assert_not_reached();                                                            \
	}                                                                                          \
	G_STMT_END

/* CMOS dumps hold port * 256 + index */
#define CMOS_DUMP_OFFSET(port, index) (256 * (gsize)(port) + (index))

typedef struct {
	gchar *tmpdir;
	gchar *sysfs;
	FuContext *ctx;
	GPtrArray *tokens;
	guint16 system_id;
} FuTestMachine;

static void
fu_test_machine_free(FuTestMachine *m)
{
	if (m->tokens != NULL)
		g_ptr_array_unref(m->tokens);
	if (m->ctx != NULL)
		g_object_unref(m->ctx);
	g_free(m->sysfs);
	if (m->tmpdir != NULL) {
		g_assert_true(fu_path_rmtree(m->tmpdir, NULL));
		g_free(m->tmpdir);
	}
	g_free(m);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuTestMachine, fu_test_machine_free)

/* SMBIOS of a real machine, its RTC CMOS as /dev/nvram, a sysfs tree */
static FuTestMachine *
fu_test_machine_new(const gchar *name)
{
	g_autoptr(FuTestMachine) m = g_new0(FuTestMachine, 1);
	g_autofree gchar *dumpdir = g_build_filename(SHARED_TESTDATA, "smbios-dumps", name, NULL);
	g_autofree gchar *cmos_fn = g_build_filename(dumpdir, "cmos.dat", NULL);
	g_autofree gchar *nvram_fn = NULL;
	g_autofree gchar *cmos = NULL;
	gsize cmossz = 0;
	g_autofree gchar *mem_fn = NULL;
	const gchar *argv[] = {
	    "/usr/bin/python3", HELPERS "/smbios-dump.py", dumpdir, NULL, "--mem", NULL, NULL};
	gint status = 0;
	FuDellPlatformId id = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(FuProgress) progress = fu_progress_new(G_STRLOC);

	m->tmpdir = g_dir_make_tmp("dell-smi-XXXXXX", NULL);
	mem_fn = g_build_filename(m->tmpdir, "mem", NULL);
	argv[3] = m->tmpdir;
	argv[5] = mem_fn;
	/* the test helper lays out the machine */ /* nocheck:blocked */
	g_assert_true(
	    g_spawn_sync(NULL, (gchar **)argv, NULL, 0, NULL, NULL, NULL, NULL, &status, &error));
	g_assert_cmpint(status, ==, 0);
	m->sysfs = g_build_filename(m->tmpdir, "sys", NULL);
	g_assert_true(fu_path_mkdir(m->sysfs, NULL));
	m->ctx = fu_context_new();
	fu_dell_compat_set_path(m->ctx, FU_PATH_KIND_SYSFSDIR_FW, m->tmpdir);
	fu_dell_compat_set_path(m->ctx, FU_PATH_KIND_DEVFS, m->tmpdir);
	fu_dell_compat_set_path(m->ctx, FU_PATH_KIND_SYSFSDIR, m->sysfs);
	fu_dell_compat_set_path(m->ctx, FU_PATH_KIND_SYSFSDIR_SECURITY, m->sysfs);

	if (g_file_get_contents(cmos_fn, &cmos, &cmossz, NULL)) {
		gsize first = CMOS_DUMP_OFFSET(0x70, 14);
		nvram_fn = g_build_filename(m->tmpdir, "nvram", NULL);
		g_assert_cmpint(cmossz, >=, CMOS_DUMP_OFFSET(0x70, 128));
		g_assert_true(g_file_set_contents(nvram_fn, cmos + first, 128 - 14, NULL));
	}

	g_assert_true(fu_dell_compat_context_load_smbios(m->ctx, progress, &error));
	g_assert_no_error(error);
	g_assert_true(fu_dell_platform_get_id(m->ctx, &id, &error));
	m->system_id = id.system_id;
	m->tokens = fu_dell_tables_get_tokens(m->ctx, m->system_id, &error);
	g_assert_no_error(error);
	return g_steal_pointer(&m);
}

static gboolean
fu_test_is_active(FuContext *ctx, const FuDellToken *token)
{
	gboolean active = FALSE;
	g_autoptr(GError) error = NULL;
	g_assert_true(fu_dell_smi_token_is_active(ctx, token, &active, &error));
	g_assert_no_error(error);
	return active;
}

/* the 0xD4 checksum types as the facts give them, apart from the plugin's code */
static guint16
fu_test_checksum(guint8 check_type, const guint8 *buf, gsize bufsz)
{
	guint32 total = 0;
	guint16 crc = 0;

	if (check_type == 2) {
		for (gsize i = 0; i < bufsz; i++) {
			crc ^= buf[i];
			for (guint round = 0; round < 7; round++) {
				gboolean lsb = (crc & 0x1) != 0;
				crc >>= 1;
				if (lsb)
					crc = (crc | 0x8000) ^ 0xA001;
			}
		}
		return crc;
	}
	for (gsize i = 0; i < bufsz; i++)
		total += buf[i];
	if (check_type == 1)
		return total % 0x100;
	if (check_type == 3)
		return (guint16)((0x10000 - (total % 0x10000)) % 0x10000);
	return total % 0x10000;
}

/* the RTC bank as the machine's /dev/nvram file holds it, bytes 14 to 127 */
static GBytes *
fu_test_nvram(FuTestMachine *m)
{
	g_autofree gchar *fn = g_build_filename(m->tmpdir, "nvram", NULL);
	gchar *buf = NULL;
	gsize bufsz = 0;
	g_assert_true(g_file_get_contents(fn, &buf, &bufsz, NULL));
	g_assert_cmpint(bufsz, ==, 128 - 14);
	return g_bytes_new_take(buf, bufsz);
}

static guint8
fu_test_nvram_byte(GBytes *nvram, guint location)
{
	return ((const guint8 *)g_bytes_get_data(nvram, NULL))[location - 14];
}

/* the stored checksum bytes of the token's range, big-endian */
static guint16
fu_test_nvram_stored(GBytes *nvram, const FuDellToken *t)
{
	if (t->check_type == 1)
		return fu_test_nvram_byte(nvram, t->check_index);
	return (guint16)(fu_test_nvram_byte(nvram, t->check_index) << 8) |
	       fu_test_nvram_byte(nvram, t->check_index + 1);
}

static guint16
fu_test_nvram_computed(GBytes *nvram, const FuDellToken *t)
{
	const guint8 *buf = g_bytes_get_data(nvram, NULL);
	return fu_test_checksum(
	    t->check_type, buf + t->check_start - 14, (gsize)t->check_end - t->check_start + 1);
}

static gboolean
fu_test_in_nvram(const FuDellToken *t)
{
	return t->index_port == 0x70 && t->check_start >= 14 && t->check_end <= 127 &&
	       t->check_index >= 14 && t->check_index + 1 <= 127;
}

static gboolean
fu_test_same_range(const FuDellToken *a, const FuDellToken *b)
{
	return a->check_type == b->check_type && a->check_start == b->check_start &&
	       a->check_end == b->check_end && a->check_index == b->check_index;
}

/* a boolean token inside the checked range of range_of whose activation
 * changes its byte */
static const FuDellToken *
fu_test_find_inside(FuTestMachine *m, GBytes *nvram, const FuDellToken *range_of)
{
	for (guint j = 0; j < m->tokens->len; j++) {
		const FuDellToken *t = g_ptr_array_index(m->tokens, j);
		guint8 byte;
		if (t->kind != FU_DELL_TOKEN_KIND_CMOS || t->and_mask == 0 ||
		    !fu_test_same_range(t, range_of) || t->location < t->check_start ||
		    t->location > t->check_end)
			continue;
		byte = fu_test_nvram_byte(nvram, t->location);
		if (((byte & t->and_mask) | t->value) != byte)
			return t;
	}
	return NULL;
}

/* setting a token changes a byte of its checked range, so only the plugin's
 * rewrite of the stored checksum keeps the range valid; the checksums are
 * computed by the test and read from the nvram file */
static guint
fu_test_cmos_ranges(FuTestMachine *m, const gchar *machine)
{
	g_autoptr(GPtrArray) ranges = g_ptr_array_new();
	for (guint j = 0; j < m->tokens->len; j++) {
		const FuDellToken *t = g_ptr_array_index(m->tokens, j);
		gboolean seen = FALSE;
		if (t->kind != FU_DELL_TOKEN_KIND_CMOS || t->check_end == 0 || !fu_test_in_nvram(t))
			continue;
		for (guint k = 0; k < ranges->len; k++)
			seen |= fu_test_same_range(t, g_ptr_array_index(ranges, k));
		if (!seen)
			g_ptr_array_add(ranges, (gpointer)t);
	}
	for (guint k = 0; k < ranges->len; k++) {
		const FuDellToken *range = g_ptr_array_index(ranges, k);
		g_autoptr(GBytes) before = fu_test_nvram(m);
		g_autoptr(GBytes) after = NULL;
		const FuDellToken *inside = fu_test_find_inside(m, before, range);
		g_autoptr(GError) error = NULL;
		guint8 want;

		if (inside == NULL)
			fu_test_fail("%s: no boolean token to set in range 0x%02x-0x%02x",
				     machine,
				     range->check_start,
				     range->check_end);
		if (fu_test_nvram_stored(before, inside) != fu_test_nvram_computed(before, inside))
			fu_test_fail(
			    "%s: range 0x%02x-0x%02x type %u stores 0x%04x, computed 0x%04x",
			    machine,
			    inside->check_start,
			    inside->check_end,
			    inside->check_type,
			    fu_test_nvram_stored(before, inside),
			    fu_test_nvram_computed(before, inside));
		want = (fu_test_nvram_byte(before, inside->location) & inside->and_mask) |
		       (guint8)inside->value;
		g_assert_true(fu_dell_smi_token_activate(m->ctx, m->tokens, inside, NULL, &error));
		g_assert_no_error(error);
		after = fu_test_nvram(m);
		g_assert_cmpint(fu_test_nvram_byte(after, inside->location), ==, want);
		g_assert_true(fu_test_is_active(m->ctx, inside));
		if (fu_test_nvram_stored(after, inside) == fu_test_nvram_stored(before, inside) ||
		    fu_test_nvram_stored(after, inside) != fu_test_nvram_computed(after, inside))
			fu_test_fail("%s: after setting token 0x%04x, range 0x%02x-0x%02x type %u "
				     "stores 0x%04x (before 0x%04x), computed 0x%04x",
				     machine,
				     inside->id,
				     inside->check_start,
				     inside->check_end,
				     inside->check_type,
				     fu_test_nvram_stored(after, inside),
				     fu_test_nvram_stored(before, inside),
				     fu_test_nvram_computed(after, inside));
		g_print("%s: token 0x%04x in range 0x%02x-0x%02x type %u, checksum 0x%04x -> "
			"0x%04x\n",
			machine,
			inside->id,
			inside->check_start,
			inside->check_end,
			inside->check_type,
			fu_test_nvram_stored(before, inside),
			fu_test_nvram_stored(after, inside));
	}
	return ranges->len;
}

static void
fu_test_cmos_func(void)
{
	const gchar *machines[] = {"PE0400",
				   "PE0600",
				   "PE1300",
				   "PE1650",
				   "PE1750_A07",
				   "PE2450",
				   "PE2650",
				   "PE4600",
				   "PE6600",
				   "Precision_390",
				   "latitude_D610",
				   "opti",
				   "IDS4235",
				   "ES3020",
				   NULL};
	for (guint i = 0; machines[i] != NULL; i++) {
		g_autoptr(FuTestMachine) m = fu_test_machine_new(machines[i]);
		const FuDellToken *activate = fu_dell_tables_find_token(m->tokens, 0x5C);
		const FuDellToken *cancel = fu_dell_tables_find_token(m->tokens, 0x5D);
		g_autoptr(GError) error = NULL;

		g_assert_cmpint(activate->kind, ==, FU_DELL_TOKEN_KIND_CMOS);
		g_assert_true(fu_dell_smi_token_activate(m->ctx, m->tokens, cancel, NULL, &error));
		g_assert_no_error(error);
		g_assert_false(fu_test_is_active(m->ctx, activate));
		g_assert_true(
		    fu_dell_smi_token_activate(m->ctx, m->tokens, activate, NULL, &error));
		g_assert_no_error(error);
		g_assert_true(fu_test_is_active(m->ctx, activate));
		g_assert_false(fu_test_is_active(m->ctx, cancel));
		g_assert_true(fu_dell_smi_token_activate(m->ctx, m->tokens, cancel, NULL, &error));
		g_assert_no_error(error);
		g_assert_false(fu_test_is_active(m->ctx, activate));

		/* every dump has the standard range (type 0) and a Dell range (type 3) */
		g_assert_cmpint(fu_test_cmos_ranges(m, machines[i]), ==, 2);
	}
}

/* the checksum types no dump exercises, on the bytes 01 02 03 04; the type 2
 * value was worked out from the facts' description in Python */
static void
fu_test_cmos_checksum_func(void)
{
	const guint8 buf[] = {0x01, 0x02, 0x03, 0x04};
	g_assert_cmpint(fu_dell_smi_cmos_checksum(0, buf, sizeof(buf)), ==, 0x000A);
	g_assert_cmpint(fu_dell_smi_cmos_checksum(1, buf, sizeof(buf)), ==, 0x0A);
	g_assert_cmpint(fu_dell_smi_cmos_checksum(3, buf, sizeof(buf)), ==, 0xFFF6);
	g_assert_cmpint(fu_dell_smi_cmos_checksum(2, buf, sizeof(buf)), ==, 0x3E55);
	for (guint8 type = 0; type <= 3; type++)
		g_assert_cmpint(fu_test_checksum(type, buf, sizeof(buf)),
				==,
				fu_dell_smi_cmos_checksum(type, buf, sizeof(buf)));
}

static void
fu_test_cmos_lockdown_func(void)
{
	g_autoptr(FuTestMachine) m = fu_test_machine_new("PE8450");
	const FuDellToken *activate = fu_dell_tables_find_token(m->tokens, 0x5C);
	g_autofree gchar *lockdown = g_build_filename(m->sysfs, "lockdown", NULL);
	g_autoptr(GError) error = NULL;

	/* PE8450 keeps its tokens behind ports 0x72/0x73, outside /dev/nvram */
	g_assert_cmpint(activate->index_port, ==, 0x72);
	g_assert_true(
	    g_file_set_contents(lockdown, "none [integrity] confidentiality\n", -1, NULL));
	g_assert_false(fu_dell_smi_token_activate(m->ctx, m->tokens, activate, NULL, &error));
	g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_NOT_SUPPORTED);
	g_assert_nonnull(strstr(error->message, "lockdown"));
}

/* an emulated Dell BIOS behind dcdbas-shaped FIFOs: it answers each
 * calling-interface request the way the BIOS does */
typedef enum {
	BIOS_OK,
	BIOS_ERROR,
	BIOS_NOT_SUPPORTED,
	BIOS_NOT_HANDLED,
	BIOS_SHORT_READ,
	BIOS_PASSWORD,
} FuTestBiosMode;

/* one request as the BIOS received it */
typedef struct {
	guint16 cb_class;
	guint16 cb_select;
	guint32 args[3];
	guint8 data[64]; /* what followed the buffer */
	gsize datasz;
	gboolean cleared; /* the buffer was cleared after it */
} FuTestBiosRequest;

/* an admin password as this BIOS keeps it */
typedef struct {
	const guint8 *stored; /* as ASCII or as keys */
	gsize storedsz;
	gboolean has_properties; /* select 3, and so select 4 */
	gboolean ascii;
	guint8 maxlen;
} FuTestBiosPassword;

#define FU_TEST_BIOS_PHYS 0x1f000000u
#define FU_TEST_BIOS_KEY  0xBEEFu

typedef struct {
	gchar *dir;
	gint req_fd; /* held open, so that a request is kept until read */
	FuTestBiosMode mode;
	gint fail_class;    /* the class mode applies to, -1 for all */
	GHashTable *values; /* location -> value */
	GArray *requests;   /* of FuTestBiosRequest */
	guint calls;
	const FuTestBiosPassword *password; /* NULL: none is set */
	gboolean pending_request;	    /* a "1" was read with the clears */
} FuTestBios;

static gboolean
fu_test_all_zero(const guint8 *buf, gsize bufsz)
{
	for (gsize i = 0; i < bufsz; i++) {
		if (buf[i] != 0)
			return FALSE;
	}
	return TRUE;
}

/* class 10 and class 1 while a password is set: the rules, verification
 * against the stored password, and writes refused without the key */
static void
fu_test_bios_password(FuTestBios *bios, const FuTestBiosRequest *req, gint32 *res1, gint32 *res2)
{
	const FuTestBiosPassword *pw = bios->password;
	guint8 given[64] = {0};
	gsize givensz = 0;

	if (req->cb_class == 1) {
		if (req->args[2] != FU_TEST_BIOS_KEY)
			*res1 = FU_DELL_SMI_RES_ERROR;
		return;
	}
	if (req->cb_select == 0) {
		*res2 = 1;
		return;
	}
	if (req->cb_select == 3) {
		if (!pw->has_properties) {
			*res1 = FU_DELL_SMI_RES_NOT_SUPPORTED;
			return;
		}
		*res2 = (gint32)(1u | ((guint32)pw->maxlen << 8) | (4u << 16) |
				 ((pw->ascii ? 1u : 0u) << 24));
		return;
	}
	if (req->cb_select == 4 && pw->has_properties) {
		g_assert_cmpint(req->args[0], ==, FU_TEST_BIOS_PHYS + 52);
		g_assert_cmpint(req->datasz, ==, pw->maxlen);
		memcpy(given, req->data, req->datasz); /* nocheck:blocked */
		givensz = req->datasz;
	} else if (req->cb_select == 1 && !pw->has_properties) {
		fu_memwrite_uint32(given, req->args[0], G_LITTLE_ENDIAN);
		fu_memwrite_uint32(given + 4, req->args[1], G_LITTLE_ENDIAN);
		givensz = 8;
	} else {
		*res1 = FU_DELL_SMI_RES_NOT_SUPPORTED;
		return;
	}
	/* the stored password, zero-padded to what was given */
	if (pw->storedsz <= givensz && memcmp(given, pw->stored, pw->storedsz) == 0 &&
	    fu_test_all_zero(given + pw->storedsz, givensz - pw->storedsz)) {
		*res2 = FU_TEST_BIOS_KEY;
		return;
	}
	*res1 = 2; /* incorrect */
}

static gchar *
fu_test_bios_path(FuTestBios *bios, const gchar *file)
{
	return g_build_filename(bios->dir, file, NULL);
}

/* "0" in smi_request clears the buffer; each one is noted on the request
 * before it, as all the requests that came before were answered */
static void
fu_test_bios_read_clears(FuTestBios *bios, gboolean at_end)
{
	gint flags = fcntl(bios->req_fd, F_GETFL);
	gchar req = 0;

	g_assert_cmpint(fcntl(bios->req_fd, F_SETFL, flags | O_NONBLOCK), ==, 0);
	while (read(bios->req_fd, &req, 1) == 1) {
		if (req != '0') {
			g_assert_false(at_end);
			g_assert_cmpint(req, ==, '1');
			break;
		}
		g_assert_cmpint(bios->requests->len, >, 0);
		g_array_index(bios->requests, FuTestBiosRequest, bios->requests->len - 1).cleared =
		    TRUE;
		req = 0;
	}
	g_assert_cmpint(fcntl(bios->req_fd, F_SETFL, flags), ==, 0);
	bios->pending_request = req == '1';
}

static gpointer
fu_test_bios_thread(gpointer user_data)
{
	FuTestBios *bios = user_data;
	g_autofree gchar *data_fn = fu_test_bios_path(bios, "smi_data");
	gint req_fd = bios->req_fd;

	while (TRUE) {
		guint8 buf[FU_STRUCT_DELL_SMI_BUFFER_SIZE + 64] = {0};
		gchar req = 0;
		gsize answer = FU_STRUCT_DELL_SMI_BUFFER_SIZE;
		FuTestBiosMode mode = BIOS_OK;
		FuTestBiosRequest request = {0};
		gint fd = open(data_fn, O_RDONLY);
		ssize_t got = read(fd, buf, sizeof(buf));
		g_autoptr(FuStructDellSmiBuffer) st = NULL;
		close(fd);
		if (got < FU_STRUCT_DELL_SMI_BUFFER_SIZE) {
			fu_test_bios_read_clears(bios, TRUE);
			close(req_fd);
			return NULL; /* the test is done */
		}
		fu_test_bios_read_clears(bios, FALSE);
		if (!bios->pending_request)
			g_assert_cmpint(read(req_fd, &req, 1), ==, 1);
		else
			req = '1';
		g_assert_cmpint(req, ==, '1');
		st = fu_struct_dell_smi_buffer_parse(buf, FU_STRUCT_DELL_SMI_BUFFER_SIZE, 0, NULL);
		request.datasz = (gsize)got - FU_STRUCT_DELL_SMI_BUFFER_SIZE;
		memcpy(request.data, /* nocheck:blocked */
		       buf + FU_STRUCT_DELL_SMI_BUFFER_SIZE,
		       request.datasz);
		request.cb_select = fu_struct_dell_smi_buffer_get_cb_select(st);
		request.cb_class = fu_struct_dell_smi_buffer_get_cb_class(st);
		request.args[0] = fu_struct_dell_smi_buffer_get_cb_arg1(st);
		request.args[1] = fu_struct_dell_smi_buffer_get_cb_arg2(st);
		request.args[2] = fu_struct_dell_smi_buffer_get_cb_arg3(st);
		g_array_append_val(bios->requests, request);
		bios->calls++;
		/* the other classes are answered as a working BIOS does */
		if (bios->fail_class < 0 || request.cb_class == bios->fail_class)
			mode = bios->mode;
		if (mode != BIOS_NOT_HANDLED) {
			guint16 cls = request.cb_class;
			guint32 loc = request.args[0];
			gint32 res1 = 0;
			gint32 res2 = 0;
			if (bios->password != NULL && mode == BIOS_OK && (cls == 10 || cls == 1))
				fu_test_bios_password(bios, &request, &res1, &res2);
			if (res1 != 0) {
				/* refused for its password or key */
			} else if (mode == BIOS_ERROR)
				res1 = FU_DELL_SMI_RES_ERROR;
			else if (mode == BIOS_NOT_SUPPORTED)
				res1 = FU_DELL_SMI_RES_NOT_SUPPORTED;
			else if (cls == 10 && bios->password == NULL)
				res2 = mode == BIOS_PASSWORD;
			else if (cls == 0)
				res2 = GPOINTER_TO_INT(
				    g_hash_table_lookup(bios->values, GUINT_TO_POINTER(loc)));
			else if (cls == 1) {
				guint32 val = fu_struct_dell_smi_buffer_get_cb_arg2(st);
				g_hash_table_insert(
				    bios->values, GUINT_TO_POINTER(loc), GUINT_TO_POINTER(val));
				/* the cancel token clears the pending update */
				if (loc == 0x5D)
					g_hash_table_insert(bios->values,
							    GUINT_TO_POINTER(0x5C),
							    GUINT_TO_POINTER(0));
			}
			fu_struct_dell_smi_buffer_set_cb_res1(st, (guint32)res1);
			fu_struct_dell_smi_buffer_set_cb_res2(st, (guint32)res2);
		}
		if (mode == BIOS_SHORT_READ)
			answer = 10;
		fd = open(data_fn, O_WRONLY);
		g_assert_cmpint(write(fd, st->buf->data, answer), ==, (ssize_t)answer);
		close(fd);
	}
}

static void
fu_test_bios_stop(FuTestBios *bios, GThread *thread)
{
	g_autofree gchar *data_fn = fu_test_bios_path(bios, "smi_data");
	gint fd = open(data_fn, O_WRONLY);
	g_assert_cmpint(write(fd, "stop", 4), ==, 4);
	close(fd);
	g_thread_join(thread);
}

static void
fu_test_bios_free(FuTestBios *bios)
{
	g_hash_table_unref(bios->values);
	g_array_unref(bios->requests);
	g_free(bios->dir);
}

/* dcdbas keeps its buffer through a warm reset: whatever carried the
 * password or the key was cleared at once, and nothing else needed to be */
static void
fu_test_bios_check_cleared(FuTestBios *bios)
{
	for (guint i = 0; i < bios->requests->len; i++) {
		FuTestBiosRequest *req = &g_array_index(bios->requests, FuTestBiosRequest, i);
		gboolean secret =
		    (req->cb_class == 10 && (req->cb_select == 1 || req->cb_select == 4)) ||
		    (req->cb_class == 1 && req->args[2] != 0);
		if (req->cleared != secret)
			fu_test_fail("request %u (class %u select %u) was %scleared",
				     i,
				     req->cb_class,
				     req->cb_select,
				     req->cleared ? "" : "not ");
	}
}

static GThread *
fu_test_bios_start(FuTestMachine *m, FuTestBios *bios, FuTestBiosMode mode, gint fail_class)
{
	g_autofree gchar *size_fn = NULL;
	g_autofree gchar *data_fn = NULL;
	g_autofree gchar *req_fn = NULL;
	g_autofree gchar *phys_fn = NULL;

	bios->dir = g_build_filename(m->sysfs, "devices", "platform", "dcdbas", NULL);
	bios->mode = mode;
	bios->fail_class = fail_class;
	bios->values = g_hash_table_new(g_direct_hash, g_direct_equal);
	bios->requests = g_array_new(FALSE, TRUE, sizeof(FuTestBiosRequest));
	size_fn = fu_test_bios_path(bios, "smi_data_buf_size");
	data_fn = fu_test_bios_path(bios, "smi_data");
	req_fn = fu_test_bios_path(bios, "smi_request");
	g_assert_true(fu_path_mkdir(bios->dir, NULL));
	g_assert_true(g_file_set_contents(size_fn, "0", -1, NULL));
	phys_fn = fu_test_bios_path(bios, "smi_data_buf_phys_addr");
	g_assert_true(g_file_set_contents(phys_fn, "1f000000\n", -1, NULL));
	g_assert_cmpint(mkfifo(data_fn, 0600), ==, 0);
	g_assert_cmpint(mkfifo(req_fn, 0600), ==, 0);
	bios->req_fd = open(req_fn, O_RDWR);
	g_assert_cmpint(bios->req_fd, >=, 0);
	return g_thread_new("bios", fu_test_bios_thread, bios);
}

static void
fu_test_smi_func(void)
{
	g_autoptr(FuTestMachine) m = fu_test_machine_new("xps9365");
	const FuDellToken *activate = fu_dell_tables_find_token(m->tokens, 0x5C);
	const FuDellToken *cancel = fu_dell_tables_find_token(m->tokens, 0x5D);
	g_autoptr(GError) error = NULL;
	FuTestBios bios = {0};
	GThread *thread;

	g_assert_cmpint(activate->kind, ==, FU_DELL_TOKEN_KIND_SMI);
	thread = fu_test_bios_start(m, &bios, BIOS_OK, -1);
	g_assert_false(fu_test_is_active(m->ctx, activate));
	g_assert_true(fu_dell_smi_token_activate(m->ctx, m->tokens, activate, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(fu_test_is_active(m->ctx, activate));
	g_assert_true(fu_dell_smi_token_activate(m->ctx, m->tokens, cancel, NULL, &error));
	g_assert_no_error(error);
	g_assert_false(fu_test_is_active(m->ctx, activate));

	/* read, password check and write, read, then the same for the cancel
	 * token, which the code itself wrote as location 0x5D value 0 */
	g_assert_cmpint(bios.requests->len, ==, 7);
	for (guint i = 0; i < bios.requests->len; i++) {
		FuTestBiosRequest *req = &g_array_index(bios.requests, FuTestBiosRequest, i);
		const guint16 classes[] = {0, 10, 1, 0, 10, 1, 0};
		g_assert_cmpint(req->cb_class, ==, classes[i]);
		if (i == 2 || i == 5) {
			g_assert_cmpint(req->args[0], ==, i == 2 ? 0x5C : 0x5D);
			g_assert_cmpint(req->args[1], ==, i == 2 ? 1 : 0);
			g_assert_cmpint(req->args[2], ==, 0);
		} else if (req->cb_class == 0) {
			g_assert_cmpint(req->args[0], ==, 0x5C);
		}
	}
	fu_test_bios_stop(&bios, thread);
	fu_test_bios_check_cleared(&bios);
	fu_test_bios_free(&bios);
}

/* the classes the BIOS received, e.g. "10,1" */
static gchar *
fu_test_bios_classes(FuTestBios *bios)
{
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; i < bios->requests->len; i++) {
		FuTestBiosRequest *req = &g_array_index(bios->requests, FuTestBiosRequest, i);
		g_string_append_printf(str, "%s%u", i > 0 ? "," : "", req->cb_class);
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* The fault hits one class only and every other request is answered as a
 * working BIOS does, writes included: the flag stays off only because the
 * code stopped, and the class in the message says which answer it checked. */
static void
fu_test_smi_failures_func(void)
{
	struct {
		FuTestBiosMode mode;
		gint fail_class;
		const gchar *message;
		const gchar *classes; /* the requests the code must have sent */
	} cases[] = {
	    {BIOS_ERROR, 10, "token 0x005c, SMI class 10: the BIOS reported an error (-1)", "10"},
	    {BIOS_NOT_SUPPORTED,
	     10,
	     "token 0x005c, SMI class 10: the BIOS does not support it (-2)",
	     "10"},
	    {BIOS_NOT_HANDLED,
	     10,
	     "token 0x005c, SMI class 10: no BIOS handled the SMI (-3)",
	     "10"},
	    {BIOS_SHORT_READ, 10, "read 10 of 52 bytes", "10"},
	    {BIOS_PASSWORD, 10, "a BIOS admin password is set", "10"},
	    {BIOS_ERROR, 1, "token 0x005c, SMI class 1: the BIOS reported an error (-1)", "10,1"},
	    {BIOS_NOT_SUPPORTED,
	     1,
	     "token 0x005c, SMI class 1: the BIOS does not support it (-2)",
	     "10,1"},
	    {BIOS_NOT_HANDLED,
	     1,
	     "token 0x005c, SMI class 1: no BIOS handled the SMI (-3)",
	     "10,1"},
	    {BIOS_SHORT_READ, 1, "read 10 of 52 bytes", "10,1"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(FuTestMachine) m = fu_test_machine_new("xps9365");
		const FuDellToken *activate = fu_dell_tables_find_token(m->tokens, 0x5C);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *classes = NULL;
		FuTestBios bios = {0};
		GThread *thread = fu_test_bios_start(m, &bios, cases[i].mode, cases[i].fail_class);

		g_assert_false(
		    fu_dell_smi_token_activate(m->ctx, m->tokens, activate, NULL, &error));
		if (error == NULL || strstr(error->message, cases[i].message) == NULL)
			fu_test_fail("case %u: expected '%s', got '%s'",
				     i,
				     cases[i].message,
				     error ? error->message : "");
		classes = fu_test_bios_classes(&bios);
		if (g_strcmp0(classes, cases[i].classes) != 0)
			fu_test_fail("case %u: the BIOS got classes %s, expected %s",
				     i,
				     classes,
				     cases[i].classes);
		if (cases[i].fail_class == 1) {
			FuTestBiosRequest *req =
			    &g_array_index(bios.requests, FuTestBiosRequest, 1);
			g_assert_cmpint(req->args[0], ==, 0x5C);
			g_assert_cmpint(req->args[1], ==, 1);
			g_assert_cmpint(req->args[2], ==, 0);
		} else {
			/* a write would have set it */
			g_assert_null(g_hash_table_lookup(bios.values, GUINT_TO_POINTER(0x5C)));
		}
		fu_test_bios_stop(&bios, thread);
		fu_test_bios_free(&bios);
	}
	{
		g_autoptr(FuTestMachine) m = fu_test_machine_new("xps9365");
		const FuDellToken *activate = fu_dell_tables_find_token(m->tokens, 0x5C);
		g_autoptr(GError) error = NULL;
		g_assert_false(
		    fu_dell_smi_token_activate(m->ctx, m->tokens, activate, NULL, &error));
		g_assert_nonnull(strstr(error->message, "no dcdbas calling interface"));
	}
}

/* a failed read of a flag that is on is an error, never "off" */
static void
fu_test_smi_read_failures_func(void)
{
	struct {
		FuTestBiosMode mode;
		const gchar *message;
	} cases[] = {
	    {BIOS_OK, NULL},
	    {BIOS_ERROR, "token 0x005c, SMI class 0: the BIOS reported an error (-1)"},
	    {BIOS_NOT_SUPPORTED, "token 0x005c, SMI class 0: the BIOS does not support it (-2)"},
	    {BIOS_NOT_HANDLED, "token 0x005c, SMI class 0: no BIOS handled the SMI (-3)"},
	    {BIOS_SHORT_READ, "read 10 of 52 bytes"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(FuTestMachine) m = fu_test_machine_new("xps9365");
		const FuDellToken *activate = fu_dell_tables_find_token(m->tokens, 0x5C);
		g_autoptr(GError) error = NULL;
		gboolean active = FALSE;
		gboolean ok;
		FuTestBios bios = {0};
		GThread *thread = fu_test_bios_start(m, &bios, cases[i].mode, 0);

		g_hash_table_insert(bios.values, GUINT_TO_POINTER(0x5C), GUINT_TO_POINTER(1));
		ok = fu_dell_smi_token_is_active(m->ctx, activate, &active, &error);
		if (cases[i].message == NULL) {
			g_assert_no_error(error);
			g_assert_true(ok);
			g_assert_true(active);
		} else if (ok || strstr(error->message, cases[i].message) == NULL) {
			fu_test_fail("case %u: expected '%s', got %s '%s'",
				     i,
				     cases[i].message,
				     ok ? "success" : "error",
				     error ? error->message : "");
		}
		fu_test_bios_stop(&bios, thread);
		fu_test_bios_free(&bios);
	}
}

/* the key comes from the password as the BIOS keeps it: "Dell1" as ASCII,
 * or as the US keyboard's set-1 make codes of d, e, l, l, 1 */
static const guint8 fu_test_password_ascii[] = {'D', 'e', 'l', 'l', '1'};
static const guint8 fu_test_password_keys[] = {0x20, 0x12, 0x26, 0x26, 0x02};

static void
fu_test_smi_password_func(void)
{
	struct {
		FuTestBiosPassword bios;
		const gchar *given;
		const gchar *message; /* NULL: the key is found */
		guint16 verify_select;
	} cases[] = {
	    {{fu_test_password_ascii, 5, TRUE, TRUE, 32}, "Dell1", NULL, 4},
	    {{fu_test_password_ascii, 5, TRUE, TRUE, 32},
	     "dell1",
	     "the BIOS refused the admin password",
	     4},
	    {{fu_test_password_keys, 5, TRUE, FALSE, 32}, "DELL1", NULL, 4},
	    {{fu_test_password_keys, 5, FALSE, FALSE, 0}, "dell1", NULL, 1},
	    {{fu_test_password_keys, 5, FALSE, FALSE, 0},
	     "dell2",
	     "the BIOS refused the admin password",
	     1},
	    {{fu_test_password_keys, 5, FALSE, FALSE, 0},
	     "dell12345",
	     "longer than this BIOS takes",
	     0},
	    {{fu_test_password_ascii, 5, TRUE, TRUE, 4}, "Dell1", "longer than this BIOS takes", 0},
	    {{fu_test_password_keys, 5, TRUE, FALSE, 32},
	     "d\xc3\xa9ll1",
	     "has a character that is not one",
	     0},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(FuTestMachine) m = fu_test_machine_new("xps9365");
		const FuDellToken *activate = fu_dell_tables_find_token(m->tokens, 0x5C);
		g_autoptr(GError) error = NULL;
		gboolean installed = FALSE;
		guint32 key = 0;
		FuTestBios bios = {.password = &cases[i].bios};
		GThread *thread = fu_test_bios_start(m, &bios, BIOS_OK, -1);
		FuTestBiosRequest *last;

		g_assert_true(fu_dell_smi_password_installed(m->ctx, activate, &installed, &error));
		g_assert_no_error(error);
		g_assert_true(installed);
		/* without the key the BIOS would refuse the write: it is not sent */
		g_assert_false(
		    fu_dell_smi_token_activate(m->ctx, m->tokens, activate, NULL, &error));
		g_assert_nonnull(strstr(error->message, "AdminPasswordFile"));
		g_clear_error(&error);

		if (!fu_dell_smi_password_get_key(m->ctx, activate, cases[i].given, &key, &error)) {
			if (cases[i].message == NULL ||
			    strstr(error->message, cases[i].message) == NULL)
				fu_test_fail("case %u: expected '%s', got '%s'",
					     i,
					     cases[i].message,
					     error->message);
		} else if (cases[i].message != NULL) {
			fu_test_fail(
			    "case %u: expected '%s', got key 0x%x", i, cases[i].message, key);
		}
		/* neither the length nor a position of the password is told */
		if (error != NULL && cases[i].verify_select == 0)
			g_assert_null(strpbrk(error->message, "0123456789"));
		last = &g_array_index(bios.requests, FuTestBiosRequest, bios.requests->len - 1);
		if (cases[i].verify_select != 0) {
			g_assert_cmpint(last->cb_class, ==, 10);
			g_assert_cmpint(last->cb_select, ==, cases[i].verify_select);
		} else {
			/* refused before anything was sent to be verified */
			g_assert_true(last->cb_select != 1 && last->cb_select != 4);
		}
		if (cases[i].message == NULL) {
			g_assert_cmpint(key, ==, FU_TEST_BIOS_KEY);
			g_assert_true(
			    fu_dell_smi_token_activate(m->ctx, m->tokens, activate, &key, &error));
			g_assert_no_error(error);
			g_assert_true(fu_test_is_active(m->ctx, activate));
		}
		g_assert_false(g_hash_table_contains(bios.values, GUINT_TO_POINTER(0x5C)) &&
			       cases[i].message != NULL);
		fu_test_bios_stop(&bios, thread);
		fu_test_bios_check_cleared(&bios);
		fu_test_bios_free(&bios);
	}
}

/* only root may be able to read or change the file that holds the password */
static void
fu_test_password_file_func(void)
{
	g_autofree gchar *tmpdir = g_dir_make_tmp("dell-smi-XXXXXX", NULL);
	g_autofree gchar *fn = g_build_filename(tmpdir, "bios-password", NULL);
	struct {
		const gchar *contents;
		guint mode;
		gboolean other_owner;
		const gchar *message; /* NULL: loads "Dell1" */
	} cases[] = {
	    {"Dell1\n", 0600, FALSE, NULL},
	    {"Dell1", 0400, FALSE, NULL},
	    {"Dell1\r\nsecond line", 0600, FALSE, NULL},
	    {"Dell1\n", 0640, FALSE, "must be owned by root and not readable or writable"},
	    {"Dell1\n", 0604, FALSE, "must be owned by root and not readable or writable"},
	    {"Dell1\n", 0620, FALSE, "must be owned by root and not readable or writable"},
	    {"Dell1\n", 0600, TRUE, "must be owned by root and not readable or writable"},
	    {"\nDell1\n", 0600, FALSE, "holds no password on its first line"},
	    {NULL, 0600, FALSE, "cannot open AdminPasswordFile"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(FuDellSmiSecret) password = NULL;
		g_unlink(fn);
		if (cases[i].contents != NULL) {
			g_assert_true(g_file_set_contents(fn, cases[i].contents, -1, NULL));
			g_assert_cmpint(g_chmod(fn, cases[i].mode), ==, 0);
		}
		if (cases[i].other_owner) {
			if (getuid() != 0)
				continue;
			g_assert_cmpint(chown(fn, 65534, 65534), ==, 0);
		} else if (cases[i].contents != NULL && getuid() != 0) {
			continue;
		}
		password = fu_dell_smi_secret_load_file(fn, &error);
		if (cases[i].message == NULL) {
			g_assert_no_error(error);
			g_assert_cmpstr(password, ==, "Dell1");
		} else if (password != NULL || strstr(error->message, cases[i].message) == NULL) {
			fu_test_fail("case %u: expected '%s', got '%s'",
				     i,
				     cases[i].message,
				     error != NULL ? error->message : password);
		}
	}
	g_unlink(fn);
	g_rmdir(tmpdir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_log_set_fatal_mask(NULL, G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
	g_test_add_func("/dell-smi/cmos", fu_test_cmos_func);
	g_test_add_func("/dell-smi/cmos-checksum", fu_test_cmos_checksum_func);
	g_test_add_func("/dell-smi/cmos-lockdown", fu_test_cmos_lockdown_func);
	g_test_add_func("/dell-smi/smi", fu_test_smi_func);
	g_test_add_func("/dell-smi/smi-failures", fu_test_smi_failures_func);
	g_test_add_func("/dell-smi/smi-read-failures", fu_test_smi_read_failures_func);
	g_test_add_func("/dell-smi/smi-password", fu_test_smi_password_func);
	g_test_add_func("/dell-smi/password-file", fu_test_password_file_func);
	return g_test_run();
}
