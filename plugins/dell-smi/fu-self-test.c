/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fu-context-private.h"
#include "fu-dell-platform.h"
#include "fu-dell-smi-cmos.h"
#include "fu-dell-smi-dcdbas.h"
#include "fu-dell-smi-struct.h"
#include "fu-dell-smi-token.h"

/* CMOS dumps hold port * 256 + index */
#define CMOS_DUMP_OFFSET(port, index) ((gsize)(port)*256 + (index))

typedef struct {
	gchar *tmpdir;
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
	g_autofree gchar *sysfs = NULL;
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
	g_assert_true(
	    g_spawn_sync(NULL, (gchar **)argv, NULL, 0, NULL, NULL, NULL, NULL, &status, &error));
	g_assert_cmpint(status, ==, 0);
	sysfs = g_build_filename(m->tmpdir, "sys", NULL);
	g_assert_true(fu_path_mkdir(sysfs, NULL));
	g_setenv("FWUPD_SYSFSFWDIR", m->tmpdir, TRUE);
	g_setenv("FWUPD_DEVFS", m->tmpdir, TRUE);
	g_setenv("FWUPD_SYSFSDIR", sysfs, TRUE);
	g_setenv("FWUPD_SYSFSSECURITYDIR", sysfs, TRUE);

	if (g_file_get_contents(cmos_fn, &cmos, &cmossz, NULL)) {
		gsize first = CMOS_DUMP_OFFSET(0x70, 14);
		nvram_fn = g_build_filename(m->tmpdir, "nvram", NULL);
		g_assert_cmpint(cmossz, >=, CMOS_DUMP_OFFSET(0x70, 128));
		g_assert_true(g_file_set_contents(nvram_fn, cmos + first, 128 - 14, NULL));
	}

	m->ctx = fu_context_new();
	g_assert_true(
	    fu_context_load_hwinfo(m->ctx, progress, FU_CONTEXT_HWID_FLAG_LOAD_SMBIOS, &error));
	g_assert_no_error(error);
	g_assert_true(fu_dell_platform_get_id(m->ctx, &id, &error));
	m->system_id = id.system_id;
	m->tokens = fu_dell_tables_get_tokens(m->ctx, m->system_id, &error);
	g_assert_no_error(error);
	return g_steal_pointer(&m);
}

static gboolean
fu_test_is_active(const FuDellToken *token)
{
	gboolean active = FALSE;
	g_autoptr(GError) error = NULL;
	g_assert_true(fu_dell_smi_token_is_active(token, &active, &error));
	g_assert_no_error(error);
	return active;
}

static gboolean
fu_test_range_valid(const FuDellToken *t)
{
	gsize len = (gsize)t->check_end - t->check_start + 1;
	g_autofree guint8 *buf = g_malloc0(len);
	guint8 stored[2] = {0};
	guint16 sum;
	for (gsize i = 0; i < len; i++)
		g_assert_true(fu_dell_smi_cmos_read(
		    t->index_port, t->data_port, t->check_start + i, &buf[i], NULL));
	g_assert_true(
	    fu_dell_smi_cmos_read(t->index_port, t->data_port, t->check_index, &stored[0], NULL));
	sum = fu_dell_smi_cmos_checksum(t->check_type, buf, len);
	if (t->check_type == 1)
		return stored[0] == (guint8)sum;
	g_assert_true(fu_dell_smi_cmos_read(
	    t->index_port, t->data_port, t->check_index + 1, &stored[1], NULL));
	return stored[0] == (guint8)(sum >> 8) && stored[1] == (guint8)sum;
}

static gboolean
fu_test_in_nvram(const FuDellToken *t)
{
	return t->index_port == 0x70 && t->check_start >= 14 && t->check_end <= 127 &&
	       t->check_index >= 14 && t->check_index + 1 <= 127;
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
		const FuDellToken *inside = NULL;
		gboolean was_valid = FALSE;
		g_autoptr(GError) error = NULL;

		g_assert_cmpint(activate->kind, ==, FU_DELL_TOKEN_KIND_CMOS);
		g_assert_true(fu_dell_smi_token_activate(m->tokens, cancel, NULL, &error));
		g_assert_no_error(error);
		g_assert_false(fu_test_is_active(activate));
		g_assert_true(fu_dell_smi_token_activate(m->tokens, activate, NULL, &error));
		g_assert_no_error(error);
		g_assert_true(fu_test_is_active(activate));
		g_assert_false(fu_test_is_active(cancel));
		g_assert_true(fu_dell_smi_token_activate(m->tokens, cancel, NULL, &error));
		g_assert_no_error(error);
		g_assert_false(fu_test_is_active(activate));

		/* a token inside a checked range keeps that range's checksum valid */
		for (guint j = 0; j < m->tokens->len && inside == NULL; j++) {
			const FuDellToken *t = g_ptr_array_index(m->tokens, j);
			if (t->kind == FU_DELL_TOKEN_KIND_CMOS && t->and_mask != 0 &&
			    fu_test_in_nvram(t) && t->check_end != 0 &&
			    t->location >= t->check_start && t->location <= t->check_end &&
			    fu_test_range_valid(t))
				inside = t;
		}
		if (inside == NULL) {
			g_print("%s: no boolean token in a valid checked range\n", machines[i]);
			continue;
		}
		was_valid = fu_test_range_valid(inside);
		g_assert_true(fu_dell_smi_token_activate(m->tokens, inside, NULL, &error));
		g_assert_no_error(error);
		g_assert_true(fu_test_is_active(inside));
		g_assert_true(was_valid && fu_test_range_valid(inside));
		g_print("%s: token 0x%04x in range 0x%02x-0x%02x type %u, checksum kept\n",
			machines[i],
			inside->id,
			inside->check_start,
			inside->check_end,
			inside->check_type);
	}
}

static void
fu_test_cmos_lockdown_func(void)
{
	g_autoptr(FuTestMachine) m = fu_test_machine_new("PE8450");
	const FuDellToken *activate = fu_dell_tables_find_token(m->tokens, 0x5C);
	g_autofree gchar *lockdown =
	    g_build_filename(g_getenv("FWUPD_SYSFSSECURITYDIR"), "lockdown", NULL);
	g_autoptr(GError) error = NULL;

	/* PE8450 keeps its tokens behind ports 0x72/0x73, outside /dev/nvram */
	g_assert_cmpint(activate->index_port, ==, 0x72);
	g_assert_true(
	    g_file_set_contents(lockdown, "none [integrity] confidentiality\n", -1, NULL));
	g_assert_false(fu_dell_smi_token_activate(m->tokens, activate, NULL, &error));
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

typedef struct {
	gchar *dir;
	gint req_fd; /* held open, so that a request is kept until read */
	FuTestBiosMode mode;
	GHashTable *values; /* location -> value */
	guint calls;
} FuTestBios;

static gchar *
fu_test_bios_path(FuTestBios *bios, const gchar *file)
{
	return g_build_filename(bios->dir, file, NULL);
}

static gpointer
fu_test_bios_thread(gpointer user_data)
{
	FuTestBios *bios = user_data;
	g_autofree gchar *data_fn = fu_test_bios_path(bios, "smi_data");
	gint req_fd = bios->req_fd;

	while (TRUE) {
		guint8 buf[FU_STRUCT_DELL_SMI_BUFFER_SIZE] = {0};
		gchar req = 0;
		gsize answer = sizeof(buf);
		gint fd = open(data_fn, O_RDONLY);
		ssize_t got = read(fd, buf, sizeof(buf));
		g_autoptr(FuStructDellSmiBuffer) st = NULL;
		close(fd);
		if (got != sizeof(buf)) {
			close(req_fd);
			return NULL; /* the test is done */
		}
		g_assert_cmpint(read(req_fd, &req, 1), ==, 1);
		g_assert_cmpint(req, ==, '1');
		st = fu_struct_dell_smi_buffer_parse(buf, sizeof(buf), 0, NULL);
		bios->calls++;
		if (bios->mode != BIOS_NOT_HANDLED) {
			guint16 cls = fu_struct_dell_smi_buffer_get_cb_class(st);
			guint32 loc = fu_struct_dell_smi_buffer_get_cb_arg1(st);
			gint32 res1 = 0;
			gint32 res2 = 0;
			if (bios->mode == BIOS_ERROR)
				res1 = FU_DELL_SMI_RES_ERROR;
			else if (bios->mode == BIOS_NOT_SUPPORTED)
				res1 = FU_DELL_SMI_RES_NOT_SUPPORTED;
			else if (cls == 10)
				res2 = bios->mode == BIOS_PASSWORD;
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
		if (bios->mode == BIOS_SHORT_READ)
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
	g_hash_table_unref(bios->values);
	g_free(bios->dir);
}

static GThread *
fu_test_bios_start(FuTestBios *bios, FuTestBiosMode mode)
{
	g_autofree gchar *size_fn = NULL;
	g_autofree gchar *data_fn = NULL;
	g_autofree gchar *req_fn = NULL;

	bios->dir =
	    g_build_filename(g_getenv("FWUPD_SYSFSDIR"), "devices", "platform", "dcdbas", NULL);
	bios->mode = mode;
	bios->values = g_hash_table_new(g_direct_hash, g_direct_equal);
	size_fn = fu_test_bios_path(bios, "smi_data_buf_size");
	data_fn = fu_test_bios_path(bios, "smi_data");
	req_fn = fu_test_bios_path(bios, "smi_request");
	g_assert_true(fu_path_mkdir(bios->dir, NULL));
	g_assert_true(g_file_set_contents(size_fn, "0", -1, NULL));
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
	thread = fu_test_bios_start(&bios, BIOS_OK);
	g_assert_false(fu_test_is_active(activate));
	g_assert_true(fu_dell_smi_token_activate(m->tokens, activate, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(fu_test_is_active(activate));
	g_assert_true(fu_dell_smi_token_activate(m->tokens, cancel, NULL, &error));
	g_assert_no_error(error);
	g_assert_false(fu_test_is_active(activate));
	g_assert_cmpint(bios.calls, >=, 5);
	fu_test_bios_stop(&bios, thread);
}

static void
fu_test_smi_failures_func(void)
{
	struct {
		FuTestBiosMode mode;
		const gchar *fragment;
	} cases[] = {
	    {BIOS_ERROR, "the BIOS reported an error (-1)"},
	    {BIOS_NOT_SUPPORTED, "the BIOS does not support it (-2)"},
	    {BIOS_NOT_HANDLED, "no BIOS handled the SMI (-3)"},
	    {BIOS_SHORT_READ, "read 10 of 52 bytes"},
	    {BIOS_PASSWORD, "a BIOS admin password is set"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(FuTestMachine) m = fu_test_machine_new("xps9365");
		const FuDellToken *activate = fu_dell_tables_find_token(m->tokens, 0x5C);
		g_autoptr(GError) error = NULL;
		FuTestBios bios = {0};
		GThread *thread = fu_test_bios_start(&bios, cases[i].mode);

		g_assert_false(fu_dell_smi_token_activate(m->tokens, activate, NULL, &error));
		if (error == NULL || strstr(error->message, cases[i].fragment) == NULL) {
			g_test_message("expected '%s', got '%s'",
				       cases[i].fragment,
				       error ? error->message : "");
			g_test_fail();
		}
		/* the flag stays as it was */
		g_assert_null(g_hash_table_lookup(bios.values, GUINT_TO_POINTER(0x5C)));
		fu_test_bios_stop(&bios, thread);
	}
	{
		g_autoptr(FuTestMachine) m = fu_test_machine_new("xps9365");
		const FuDellToken *activate = fu_dell_tables_find_token(m->tokens, 0x5C);
		g_autoptr(GError) error = NULL;
		g_assert_false(fu_dell_smi_token_activate(m->tokens, activate, NULL, &error));
		g_assert_nonnull(strstr(error->message, "no dcdbas calling interface"));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_log_set_fatal_mask(NULL, G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
	g_test_add_func("/dell-smi/cmos", fu_test_cmos_func);
	g_test_add_func("/dell-smi/cmos-lockdown", fu_test_cmos_lockdown_func);
	g_test_add_func("/dell-smi/smi", fu_test_smi_func);
	g_test_add_func("/dell-smi/smi-failures", fu_test_smi_failures_func);
	return g_test_run();
}
