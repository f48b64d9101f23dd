/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-platform.h"
#include "fu-dell-smi-struct.h"
#include "fu-dell-tables.h"

struct FuPluginData {
	FuDellPlatformId id;
	GPtrArray *tokens; /* of FuDellToken */
};
typedef FuPluginData FuDellSmiPlugin;

static void
fu_dell_smi_plugin_constructed(GObject *obj)
{
	(void)fu_plugin_alloc_data(FU_PLUGIN(obj), sizeof(FuDellSmiPlugin));
}

static void
fu_dell_smi_plugin_finalize(GObject *obj)
{
	FuDellSmiPlugin *self = fu_plugin_get_data(FU_PLUGIN(obj));
	if (self->tokens != NULL)
		g_ptr_array_unref(self->tokens);
}

static void
fu_dell_smi_plugin_to_string(FuPlugin *plugin, guint idt, GString *str)
{
	FuDellSmiPlugin *self = fu_plugin_get_data(plugin);
	fwupd_codec_string_append_hex(str, idt, "SystemId", self->id.system_id);
	fwupd_codec_string_append(
	    str, idt, "SystemIdSource", fu_dell_system_id_source_to_string(self->id.source));
	if (self->tokens != NULL) {
		for (guint16 id = 0x5C; id <= 0x5D; id++) {
			const FuDellToken *token = fu_dell_tables_find_token(self->tokens, id);
			g_autofree gchar *key = g_strdup_printf("Token%04X", id);
			if (token != NULL)
				fwupd_codec_string_append(
				    str, idt, key, fu_dell_token_kind_to_string(token->kind));
		}
	}
}

static gboolean
fu_dell_smi_plugin_startup(FuPlugin *plugin, FuProgress *progress, GError **error)
{
	FuDellSmiPlugin *self = fu_plugin_get_data(plugin);
	FuContext *ctx = fu_plugin_get_context(plugin);
	g_autofree gchar *id_str = NULL;
	g_autoptr(GError) error_local = NULL;

	if (!fu_dell_platform_check_vendor(ctx, error))
		return FALSE;
	if (!fu_dell_platform_get_id(ctx, &self->id, error))
		return FALSE;
	id_str = g_strdup_printf("0x%04x", self->id.system_id);
	fu_plugin_add_report_metadata(plugin, "DellSystemId", id_str);
	self->tokens = fu_dell_tables_get_tokens(ctx, self->id.system_id, &error_local);
	if (self->tokens == NULL)
		g_info("no Dell tokens: %s", error_local->message);
	return TRUE;
}

void
fu_plugin_init_vfuncs(FuPluginVfuncs *vfuncs)
{
	vfuncs->constructed = fu_dell_smi_plugin_constructed;
	vfuncs->finalize = fu_dell_smi_plugin_finalize;
	vfuncs->to_string = fu_dell_smi_plugin_to_string;
	vfuncs->startup = fu_dell_smi_plugin_startup;
}
