/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Built inside fwupd's own tree (tests/intree/run.sh), linked whole with every
 * Dell plugin of that tree: the plugins are made from their GTypes as fwupd's
 * engine makes its builtin plugins, and ours then run on a real Dell's SMBIOS. */

#include "config.h"

#include <fwupdplugin.h>

#include "fu-dell-compat-test.h"
#include "fu-plugin-builtin.h"
#include "fu-plugin-private.h"

/* the Latitude D610's tables; libsmbios' testInput.xml gives its ID and BIOS */
#define FU_TEST_DUMP	  "latitude_D610"
#define FU_TEST_SYSTEM_ID "0182"
#define FU_TEST_BIOS	  "A06"

static gchar *fu_test_tmpdir = NULL;

static FuContext *
fu_test_dell_context(void)
{
	g_autofree gchar *dumpdir =
	    g_build_filename(SHARED_TESTDATA, "smbios-dumps", FU_TEST_DUMP, NULL);
	g_autofree gchar *mem = g_build_filename(fu_test_tmpdir, "mem", NULL);
	g_autofree gchar *sysfs = g_build_filename(fu_test_tmpdir, "sys", NULL);
	const gchar *argv[] = {"/usr/bin/python3",
			       HELPERS "/smbios-dump.py",
			       dumpdir,
			       fu_test_tmpdir,
			       "--mem",
			       mem,
			       NULL};
	gint status = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(FuContext) ctx = fu_context_new();
	g_autoptr(FuProgress) progress = fu_progress_new(G_STRLOC);

	g_assert_true(
	    g_spawn_sync(NULL, (gchar **)argv, NULL, 0, NULL, NULL, NULL, NULL, &status, &error));
	g_assert_no_error(error);
	g_assert_cmpint(status, ==, 0);
	g_assert_true(fu_path_mkdir(sysfs, NULL));
	fu_dell_compat_set_path(ctx, FU_PATH_KIND_SYSFSDIR_FW, fu_test_tmpdir);
	fu_dell_compat_set_path(ctx, FU_PATH_KIND_DEVFS, fu_test_tmpdir);
	fu_dell_compat_set_path(ctx, FU_PATH_KIND_SYSFSDIR, sysfs);
	g_assert_true(fu_dell_compat_context_load_smbios(ctx, progress, &error));
	g_assert_no_error(error);
	return g_steal_pointer(&ctx);
}

/* as fu_engine_load_plugins_builtins(): one plugin per GType, each its own name */
static void
fu_test_builtins_func(void)
{
	g_autoptr(FuContext) ctx = fu_context_new();
	g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; fu_plugin_externals[i] != NULL; i++) {
		g_autoptr(FuPlugin) plugin =
		    fu_plugin_new_from_gtype(fu_plugin_externals[i](), ctx);
		const gchar *name = fu_plugin_get_name(plugin);
		g_test_message("builtin plugin %s: %s", g_type_name(G_OBJECT_TYPE(plugin)), name);
		fu_plugin_runner_init(plugin);
		g_assert_false(fu_plugin_has_flag(plugin, FWUPD_PLUGIN_FLAG_MODULAR));
		g_assert_false(g_hash_table_contains(names, name));
		g_hash_table_add(names, g_strdup(name));
	}
	g_assert_true(g_hash_table_contains(names, "dell"));
	g_assert_true(g_hash_table_contains(names, "dell_rbu"));
	g_assert_true(g_hash_table_contains(names, "dell_smi"));
}

static void
fu_test_dell_rbu_func(void)
{
	g_autoptr(FuContext) ctx = fu_test_dell_context();
	g_autoptr(FuPlugin) plugin = fu_plugin_new_from_gtype(fu_dell_rbu_plugin_get_type(), ctx);
	g_autoptr(FuProgress) progress = fu_progress_new(G_STRLOC);
	g_autoptr(GError) error = NULL;
	GPtrArray *devices;
	FuDevice *device;

	fu_plugin_runner_init(plugin);
	g_assert_cmpstr(fu_plugin_get_name(plugin), ==, "dell_rbu");
	g_assert_nonnull(fu_context_get_runtime_version(ctx, "fwupd-dell-rbu"));
	g_assert_cmpint(fu_context_get_firmware_gtype_by_id(ctx, "dell-rbu"), !=, G_TYPE_INVALID);
	g_assert_cmpint(
	    fu_context_get_firmware_gtype_by_id(ctx, "dell-rbu-packets"), !=, G_TYPE_INVALID);
	g_assert_true(fu_plugin_runner_startup(plugin, progress, &error));
	g_assert_no_error(error);
	g_assert_true(fu_plugin_runner_coldplug(plugin, progress, &error));
	g_assert_no_error(error);
	devices = fu_plugin_get_devices(plugin);
	g_assert_cmpint(devices->len, ==, 1);
	device = g_ptr_array_index(devices, 0);
	g_assert_cmpstr(fu_device_get_version(device), ==, FU_TEST_BIOS);
	g_assert_true(fu_device_has_instance_id(
	    device, "DELL-RBU\\SYSID_" FU_TEST_SYSTEM_ID, FU_DEVICE_INSTANCE_FLAG_VISIBLE));
}

static void
fu_test_dell_smi_func(void)
{
	g_autoptr(FuContext) ctx = fu_test_dell_context();
	g_autoptr(FuPlugin) plugin = fu_plugin_new_from_gtype(fu_dell_smi_plugin_get_type(), ctx);
	g_autoptr(FuProgress) progress = fu_progress_new(G_STRLOC);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *str = NULL;

	/* its private data, allocated by constructed, holds what startup found */
	fu_plugin_runner_init(plugin);
	g_assert_cmpstr(fu_plugin_get_name(plugin), ==, "dell_smi");
	g_assert_nonnull(fu_plugin_get_data(plugin));
	g_assert_true(fu_plugin_runner_startup(plugin, progress, &error));
	g_assert_no_error(error);
	str = fu_plugin_to_string(plugin);
	g_test_message("%s", str);
	g_assert_nonnull(strstr(str, "SystemId:"));
	g_assert_nonnull(g_strrstr(str, "182"));
}

int
main(int argc, char **argv)
{
	int rc;

	g_test_init(&argc, &argv, NULL);
	fu_test_tmpdir = g_dir_make_tmp("dell-rbu-intree-XXXXXX", NULL);
	g_assert_nonnull(fu_test_tmpdir);
	g_test_add_func("/dell-rbu/intree/builtins", fu_test_builtins_func);
	g_test_add_func("/dell-rbu/intree/dell-rbu", fu_test_dell_rbu_func);
	g_test_add_func("/dell-rbu/intree/dell-smi", fu_test_dell_smi_func);
	rc = g_test_run();
	(void)fu_path_rmtree(fu_test_tmpdir, NULL);
	g_free(fu_test_tmpdir);
	return rc;
}
