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

static gboolean
fu_dell_rbu_cab_name_error(const gchar *name, const gchar *why, GError **error)
{
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "model name '%s' %s: give the model alone, as Dell sells it, for example "
		    "--name 'Latitude 7490' (fwupd shows it as 'Latitude 7490 System Update')",
		    name,
		    why);
	return FALSE;
}

/* the LVFS's rules for <name> (lvfs-website lvfs/upload/uploadedfile.py in
 * strict mode, lvfs/components/models.py problems, lvfs/util.py
 * _fix_component_name): words its categories stand for, words banned
 * outright, the vendor; returns the name with its whitespace collapsed */
gchar *
fu_dell_rbu_cab_check_name(const gchar *name, GError **error)
{
	const gchar *category_words[] = {
	    "system", "device", "bios", "me", "embedded", "controller", "microcode", NULL};
	const gchar *banned_words[] = {"firmware", "update", "(r)", "(c)", NULL};
	const gchar *banned_parts[] = {"bios", "firmware", "update", "dell", NULL};
	g_auto(GStrv) tokens = NULL;
	g_autoptr(GPtrArray) words = g_ptr_array_new();
	g_autofree gchar *joined = NULL;
	g_autofree gchar *lower = NULL;
	g_auto(GStrv) models = NULL;

	if (name != NULL && !g_utf8_validate(name, -1, NULL)) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "the model name is not valid UTF-8");
		return NULL;
	}
	tokens = g_strsplit_set(name != NULL ? name : "", " \t\n\r", -1);
	for (guint i = 0; tokens[i] != NULL; i++) {
		if (tokens[i][0] != '\0')
			g_ptr_array_add(words, tokens[i]);
	}
	g_ptr_array_add(words, NULL);
	joined = g_strjoinv(" ", (gchar **)words->pdata);
	if (joined[0] == '\0') {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "the model name is empty: give it with --name MODEL, for "
				    "example --name 'Latitude 7490'");
		return NULL;
	}
	if (strchr(joined, '<') != NULL || strchr(joined, '>') != NULL) {
		fu_dell_rbu_cab_name_error(joined, "contains markup", error);
		return NULL;
	}
	if (strstr(joined, "FIXME") != NULL) {
		fu_dell_rbu_cab_name_error(joined, "contains FIXME", error);
		return NULL;
	}
	/* several models may share one name, separated by '/' */
	models = g_strsplit(joined, "/", -1);
	for (guint i = 0; models[i] != NULL; i++) {
		gsize len = g_utf8_strlen(models[i], -1);
		if (len < 3 || len > 500) {
			g_autofree gchar *why =
			    g_strdup_printf("has a part '%s' of %u characters, not 3 to 500",
					    models[i],
					    (guint)len);
			fu_dell_rbu_cab_name_error(joined, why, error);
			return NULL;
		}
	}
	for (guint i = 0; words->pdata[i] != NULL; i++) {
		g_autofree gchar *word = g_utf8_strdown(words->pdata[i], -1);
		if (g_strv_contains(category_words, word) || g_strv_contains(banned_words, word)) {
			g_autofree gchar *why = g_strdup_printf(
			    "contains the word '%s', which the LVFS refuses in a name",
			    (const gchar *)words->pdata[i]);
			fu_dell_rbu_cab_name_error(joined, why, error);
			return NULL;
		}
	}
	/* ASCII only: the offsets into lower are those into joined */
	lower = g_ascii_strdown(joined, -1);
	for (guint i = 0; banned_parts[i] != NULL; i++) {
		const gchar *found = strstr(lower, banned_parts[i]);
		if (found != NULL) {
			g_autofree gchar *as_given =
			    g_strndup(joined + (found - lower), strlen(banned_parts[i]));
			g_autofree gchar *why = g_strdup_printf(
			    "contains '%s', which the LVFS refuses in a name (the vendor and the "
			    "kind of update are added to it)",
			    as_given);
			fu_dell_rbu_cab_name_error(joined, why, error);
			return NULL;
		}
	}
	return g_steal_pointer(&joined);
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
	g_autoptr(XbBuilderNode) categories = NULL;
	g_autoptr(XbBuilderNode) checksum = NULL;
	g_autoptr(XbBuilderNode) custom = NULL;
	g_autoptr(XbBuilderNode) releases = NULL;
	g_autoptr(XbBuilderNode) rel = NULL;
	g_autoptr(XbBuilderNode) req = NULL;
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
	/* fwupdmgr shows "MODEL System Update" */
	xb_builder_node_insert_text(component, "name", release->name, NULL);
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
	categories = xb_builder_node_insert(component, "categories", NULL);
	xb_builder_node_insert_text(categories, "category", "X-System", NULL);
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
	/* the LVFS finds the payload by this checksum, fwupd by the artifact */
	checksum = xb_builder_node_insert(
	    rel, "checksum", "filename", release->filename, "target", "content", NULL);
	artifacts = xb_builder_node_insert(rel, "artifacts", NULL);
	artifact = xb_builder_node_insert(artifacts, "artifact", "type", "source", NULL);
	xb_builder_node_insert_text(artifact, "filename", release->filename, NULL);
	image = fu_firmware_get_bytes(FU_FIRMWARE(firmware), error);
	if (image == NULL)
		return NULL;
	sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, image);
	xb_builder_node_insert_text(artifact, "checksum", sha256, "type", "sha256", NULL);
	/* the LVFS refuses a release description that names a file of the cabinet */
	reltext = g_strdup_printf("Dell BIOS %s for system%s %s. "
				  "It is flashed on the next warm reboot; do not power "
				  "the machine off until the BIOS has restarted it.",
				  version,
				  ids->len > 1 ? "s" : "",
				  systems);
	fu_dell_rbu_cab_add_para(rel, reltext);

	/* the plugins that stage it, and the fwupd they were built for */
	req = xb_builder_node_insert(component, "requires", NULL);
	xb_builder_node_insert_text(
	    req, "id", "org.freedesktop.fwupd", "compare", "ge", "version", FWUPD_VERSION, NULL);
	xb_builder_node_insert_text(
	    req, "id", "fwupd-dell-rbu", "compare", "ge", "version", PACKAGE_VERSION, NULL);

	return xb_builder_node_export(
	    component,
	    XB_NODE_EXPORT_FLAG_ADD_HEADER | XB_NODE_EXPORT_FLAG_FORMAT_MULTILINE |
		XB_NODE_EXPORT_FLAG_FORMAT_INDENT | XB_NODE_EXPORT_FLAG_COLLAPSE_EMPTY,
	    error);
}
