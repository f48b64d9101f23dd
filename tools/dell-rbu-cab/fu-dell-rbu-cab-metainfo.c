/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-rbu-cab-metainfo.h"
#include "fu-dell-rbu-common.h"

/* the instance ID the BIOS device of a Dell with this system ID has */
gchar *
fu_dell_rbu_cab_instance_id(guint16 system_id)
{
	return g_strdup_printf("DELL-RBU\\SYSID_%04X", system_id);
}

/* "0x0152" or "0x01B1, 0x01B2 and 0x01B3" */
static gchar *
fu_dell_rbu_cab_system_list(GArray *ids)
{
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; i < ids->len; i++) {
		if (i > 0)
			g_string_append(str, i + 1 == ids->len ? " and " : ", ");
		g_string_append_printf(str, "0x%04X", g_array_index(ids, guint16, i));
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* com.dell.rbu.system0152.firmware: one component per set of systems, so
 * that every release of a BIOS for the same systems is in one component */
static gchar *
fu_dell_rbu_cab_component_id(GArray *ids)
{
	g_autoptr(GString) str = g_string_new("com.dell.rbu.system");
	for (guint i = 0; i < ids->len; i++)
		g_string_append_printf(
		    str, "%s%04x", i > 0 ? "_" : "", g_array_index(ids, guint16, i));
	g_string_append(str, ".firmware");
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static gboolean
fu_dell_rbu_cab_check_date(const gchar *date, GError **error)
{
	g_autoptr(GDateTime) dt = NULL;
	g_autofree gchar *iso = g_strdup_printf("%sT00:00:00Z", date);
	if (strlen(date) == 10)
		dt = g_date_time_new_from_iso8601(iso, NULL);
	if (dt == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "release date '%s' is not a date of the form YYYY-MM-DD, "
			    "for example 2005-06-01",
			    date);
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_dell_rbu_cab_check_urgency(const gchar *urgency, GError **error)
{
	const gchar *known[] = {"low", "medium", "high", "critical", NULL};
	if (g_strv_contains(known, urgency))
		return TRUE;
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "urgency '%s' is not one of low, medium, high or critical",
		    urgency);
	return FALSE;
}

static void
fu_dell_rbu_cab_add_para(XbBuilderNode *parent, const gchar *text)
{
	g_autoptr(XbBuilderNode) desc = xb_builder_node_insert(parent, "description", NULL);
	xb_builder_node_insert_text(desc, "p", text, NULL);
}

gchar *
fu_dell_rbu_cab_metainfo(FuDellRbuFirmware *firmware,
			 const FuDellRbuCabRelease *release,
			 GError **error)
{
	const gchar *version = fu_firmware_get_version(FU_FIRMWARE(firmware));
	g_autoptr(GArray) ids = fu_dell_rbu_firmware_get_system_ids(firmware);
	g_autofree gchar *systems = fu_dell_rbu_cab_system_list(ids);
	g_autofree gchar *cid = fu_dell_rbu_cab_component_id(ids);
	g_autofree gchar *summary = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *reltext = NULL;
	g_autoptr(XbBuilderNode) component = NULL;
	g_autoptr(XbBuilderNode) provides = NULL;
	g_autoptr(XbBuilderNode) custom = NULL;
	g_autoptr(XbBuilderNode) releases = NULL;
	g_autoptr(XbBuilderNode) rel = NULL;
	g_autoptr(XbBuilderNode) requires = NULL;
	g_autoptr(XbBuilderNode) url = NULL;
	g_autoptr(XbBuilderNode) artifacts = NULL;
	g_autoptr(XbBuilderNode) artifact = NULL;
	g_autofree gchar *sha256 = NULL;
	g_autoptr(GBytes) image = NULL;

	if (!fu_dell_rbu_cab_check_date(release->date, error))
		return NULL;
	if (release->urgency != NULL && !fu_dell_rbu_cab_check_urgency(release->urgency, error))
		return NULL;

	component = xb_builder_node_new("component");
	xb_builder_node_set_attr(component, "type", "firmware");
	xb_builder_node_insert_text(component, "id", cid, NULL);
	/* with no category fwupdmgr and GNOME Software show "System BIOS Update";
	 * X-System would make it "System BIOS System Update" */
	xb_builder_node_insert_text(component, "name", FU_DELL_RBU_NAME, NULL);
	summary = g_strdup_printf("BIOS for Dell system%s %s", ids->len > 1 ? "s" : "", systems);
	xb_builder_node_insert_text(component, "summary", summary, NULL);
	text = g_strdup_printf("The BIOS of the Dell system%s with system ID %s, "
			       "updated through Dell's Remote BIOS Update: fwupd stages the "
			       "image in memory and sets the BIOS's update flag, and the next "
			       "warm reboot flashes it.",
			       ids->len > 1 ? "s" : "",
			       systems);
	fu_dell_rbu_cab_add_para(component, text);

	provides = xb_builder_node_insert(component, "provides", NULL);
	for (guint i = 0; i < ids->len; i++) {
		g_autofree gchar *instance_id =
		    fu_dell_rbu_cab_instance_id(g_array_index(ids, guint16, i));
		g_autofree gchar *guid = fwupd_guid_hash_string(instance_id);
		xb_builder_node_insert_text(provides, "firmware", guid, "type", "flashed", NULL);
	}
	xb_builder_node_insert_text(component, "metadata_license", "CC0-1.0", NULL);
	xb_builder_node_insert_text(component, "project_license", "LicenseRef-proprietary", NULL);
	url = xb_builder_node_insert(component, "url", "type", "homepage", NULL);
	xb_builder_node_set_text(url, "https://www.dell.com/support", -1);
	xb_builder_node_insert_text(component, "developer_name", "Dell Inc.", NULL);
	custom = xb_builder_node_insert(component, "custom", NULL);
	xb_builder_node_insert_text(
	    custom, "value", release->version_format, "key", "LVFS::VersionFormat", NULL);
	xb_builder_node_insert_text(
	    custom, "value", FU_DELL_RBU_PROTOCOL, "key", "LVFS::UpdateProtocol", NULL);

	releases = xb_builder_node_insert(component, "releases", NULL);
	rel = xb_builder_node_insert(releases, "release", "version", version, NULL);
	xb_builder_node_set_attr(rel, "date", release->date);
	if (release->urgency != NULL)
		xb_builder_node_set_attr(rel, "urgency", release->urgency);
	artifacts = xb_builder_node_insert(rel, "artifacts", NULL);
	artifact = xb_builder_node_insert(artifacts, "artifact", "type", "source", NULL);
	xb_builder_node_insert_text(artifact, "filename", release->filename, NULL);
	image = fu_firmware_get_bytes(FU_FIRMWARE(firmware), error);
	if (image == NULL)
		return NULL;
	sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, image);
	xb_builder_node_insert_text(artifact, "checksum", sha256, "type", "sha256", NULL);
	reltext = g_strdup_printf("Dell BIOS %s for system%s %s, from Dell's image %s. "
				  "It is flashed on the next warm reboot; do not power "
				  "the machine off until the BIOS has restarted it.",
				  version,
				  ids->len > 1 ? "s" : "",
				  systems,
				  release->filename);
	fu_dell_rbu_cab_add_para(rel, reltext);

	/* the plugins that stage it, and the fwupd they were built for */
	requires = xb_builder_node_insert(component, "requires", NULL);
	xb_builder_node_insert_text(requires,
				    "id",
				    "org.freedesktop.fwupd",
				    "compare",
				    "ge",
				    "version",
				    FWUPD_VERSION,
				    NULL);
	xb_builder_node_insert_text(
	    requires, "id", "fwupd-dell-rbu", "compare", "ge", "version", PACKAGE_VERSION, NULL);

	return xb_builder_node_export(component,
				      XB_NODE_EXPORT_FLAG_ADD_HEADER |
					  XB_NODE_EXPORT_FLAG_FORMAT_MULTILINE |
					  XB_NODE_EXPORT_FLAG_FORMAT_INDENT,
				      error);
}
