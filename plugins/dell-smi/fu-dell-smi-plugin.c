/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-platform.h"
#include "fu-dell-smi-struct.h"

static gboolean
fu_dell_smi_plugin_startup(FuPlugin *plugin, FuProgress *progress, GError **error)
{
	return fu_dell_platform_check_vendor(fu_plugin_get_context(plugin), error);
}

void
fu_plugin_init_vfuncs(FuPluginVfuncs *vfuncs)
{
	vfuncs->startup = fu_dell_smi_plugin_startup;
}
