/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-platform.h"
#include "fu-dell-rbu-firmware.h"
#include "fu-dell-rbu-packets-firmware.h"

static void
fu_dell_rbu_plugin_constructed(GObject *obj)
{
	FuPlugin *plugin = FU_PLUGIN(obj);
	fu_plugin_add_firmware_gtype(plugin, "dell-rbu", FU_TYPE_DELL_RBU_FIRMWARE);
	fu_plugin_add_firmware_gtype(plugin, "dell-rbu-packets", FU_TYPE_DELL_RBU_PACKETS_FIRMWARE);
}

static gboolean
fu_dell_rbu_plugin_startup(FuPlugin *plugin, FuProgress *progress, GError **error)
{
	return fu_dell_platform_check_vendor(fu_plugin_get_context(plugin), error);
}

void
fu_plugin_init_vfuncs(FuPluginVfuncs *vfuncs)
{
	vfuncs->constructed = fu_dell_rbu_plugin_constructed;
	vfuncs->startup = fu_dell_rbu_plugin_startup;
}
