/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include "fu-dell-compat-test.h"
#include "fu-dell-platform.h"
#include "fu-dell-tables.h"

static gchar *
fu_test_expected(const gchar *xml, const gchar *tag)
{
	g_autofree gchar *pattern = g_strdup_printf("<%s>\\s*([^<]*?)\\s*</%s>", tag, tag);
	g_autoptr(GRegex) re = g_regex_new(pattern, 0, 0, NULL);
	g_autoptr(GMatchInfo) match = NULL;
	if (!g_regex_match(re, xml, 0, &match))
		return NULL;
	return g_match_info_fetch(match, 1);
}

/* the dump as the kernel would show it, through fwupd's own FuContext */
static FuContext *
fu_test_context_for_dump(const gchar *dumpdir, const gchar *tmpdir)
{
	g_autofree gchar *mem = g_build_filename(tmpdir, "mem", NULL);
	const gchar *argv[] = {
	    "/usr/bin/python3", HELPERS "/smbios-dump.py", dumpdir, tmpdir, "--mem", mem, NULL};
	gint status = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(FuContext) ctx = fu_context_new();
	g_autoptr(FuProgress) progress = fu_progress_new(G_STRLOC);

	/* the test helper lays out the machine */ /* nocheck:blocked */
	g_assert_true(
	    g_spawn_sync(NULL, (gchar **)argv, NULL, 0, NULL, NULL, NULL, NULL, &status, &error));
	g_assert_no_error(error);
	g_assert_cmpint(status, ==, 0);
	fu_dell_compat_set_path(ctx, FU_PATH_KIND_SYSFSDIR_FW, tmpdir);
	fu_dell_compat_set_path(ctx, FU_PATH_KIND_DEVFS, tmpdir);
	g_assert_true(fu_dell_compat_context_load_smbios(ctx, progress, &error));
	g_assert_no_error(error);
	return g_steal_pointer(&ctx);
}

static void
fu_test_dumps_func(void)
{
	g_autofree gchar *dumps = g_build_filename(SHARED_TESTDATA, "smbios-dumps", NULL);
	g_autoptr(GDir) dir = g_dir_open(dumps, 0, NULL);
	const gchar *name;
	guint count = 0;

	g_assert_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *dumpdir = g_build_filename(dumps, name, NULL);
		g_autofree gchar *xml_fn = g_build_filename(dumpdir, "testInput.xml", NULL);
		g_autofree gchar *xml = NULL;
		g_autofree gchar *want_id = NULL;
		g_autofree gchar *want_version = NULL;
		g_autofree gchar *tmpdir = g_dir_make_tmp("dell-common-XXXXXX", NULL);
		g_autofree gchar *version = NULL;
		g_autoptr(FuContext) ctx = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) tokens = NULL;
		const FuDellToken *activate;
		const FuDellToken *cancel;
		FuDellPlatformId id = {0};
		FuDellRbuStatus status = {0};
		guint16 system_id;
		guint64 want = 0;

		if (!g_file_get_contents(xml_fn, &xml, NULL, NULL))
			continue;
		want_id = fu_test_expected(xml, "idByte");
		want_version = fu_test_expected(xml, "biosVersion");
		g_assert_nonnull(want_id);
		g_assert_true(
		    fu_strtoull(want_id, &want, 0, G_MAXUINT16, FU_INTEGER_BASE_AUTO, NULL));

		ctx = fu_test_context_for_dump(dumpdir, tmpdir);
		g_assert_true(fu_dell_platform_check_vendor(ctx, &error));
		g_assert_no_error(error);
		g_assert_true(fu_dell_platform_get_id(ctx, &id, &error));
		g_assert_no_error(error);
		system_id = id.system_id;
		version = fu_dell_platform_get_bios_version(ctx, &id, &error);
		g_assert_no_error(error);
		g_print("%-14s system 0x%04x from %-12s BIOS %-7s",
			name,
			system_id,
			fu_dell_system_id_source_to_string(id.source),
			version);
		g_assert_cmpint(system_id, ==, want);
		g_assert_cmpstr(version, ==, want_version);

		tokens = fu_dell_tables_get_tokens(ctx, system_id, &error);
		g_assert_no_error(error);
		activate = fu_dell_tables_find_token(tokens, FU_DELL_TOKEN_RBU_ACTIVATE);
		cancel = fu_dell_tables_find_token(tokens, FU_DELL_TOKEN_RBU_CANCEL);
		g_assert_nonnull(activate);
		g_assert_nonnull(cancel);
		g_assert_cmpint(activate->kind, ==, cancel->kind);
		g_print(" %u tokens, 0x5C %s @0x%02x",
			tokens->len,
			fu_dell_token_kind_to_string(activate->kind),
			activate->location);
		if (activate->kind == FU_DELL_TOKEN_KIND_CMOS) {
			/* a boolean token, whose two values differ */
			g_assert_cmpint(activate->and_mask, !=, 0);
			g_assert_cmpint(activate->location, ==, cancel->location);
			g_assert_cmpint(activate->value, !=, cancel->value);
			g_print(" AND 0x%02x OR 0x%02x port 0x%02x",
				activate->and_mask,
				activate->value,
				activate->index_port);
		} else {
			g_assert_cmpint(activate->cmd_address, !=, 0);
		}
		g_assert_true(fu_dell_tables_get_rbu_status(ctx, &status, &error));
		g_assert_no_error(error);
		g_print(" code 0x%04x%s\n",
			status.completion_code,
			status.has_characteristics
			    ? (status.characteristics & 1 ? " packet" : " mono")
			    : "");
		count++;
		g_assert_true(fu_path_rmtree(tmpdir, NULL));
	}
	g_assert_cmpint(count, ==, 16);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_log_set_fatal_mask(NULL, G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
	g_test_add_func("/dell-common/dumps", fu_test_dumps_func);
	return g_test_run();
}
