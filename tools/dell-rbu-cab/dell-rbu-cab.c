/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>
#include <locale.h>

#include "fu-cabinet.h"
#include "fu-dell-rbu-cab-metainfo.h"
#include "fu-dell-rbu-cab-site.h"
#include "fu-dell-rbu-device.h"
#include "fu-dell-rbu-version.h"

#define DELL_RBU_CAB_SUMMARY "Make a firmware cabinet for fwupd from each Dell .hdr BIOS image."

#define DELL_RBU_CAB_DESCRIPTION                                                                   \
	"Each FILE.hdr becomes FILE.cab in the output directory: the image and a metainfo\n"       \
	"made from its header, with one firmware GUID per Dell system ID the header lists\n"       \
	"(the GUID of DELL-RBU\\SYSID_XXXX, as fwupd's BIOS device has it), the BIOS\n"            \
	"version, the version format, protocol com.dell.rbu, the model given with\n"               \
	"--name and the category X-System, summary, vendor, licenses and the release date.\n"      \
	"The cabinet installs with\n"                                                              \
	"  fwupdtool install FILE.cab\n"                                                           \
	"(fwupdmgr install FILE.cab only once signed with --sign and --key, and the\n"             \
	"certificate trusted by the machine as below), and is one the LVFS accepts for\n"          \
	"upload. fwupdmgr shows it as 'MODEL System Update'.\n"                                    \
	"\n"                                                                                       \
	"The model: the .hdr names only system IDs, not the model they are, so --name is\n"        \
	"required, for example --name 'Latitude 7490'; one run per model.\n"                       \
	"\n"                                                                                       \
	"Many machines: --sign and --key sign each cabinet's image with a certificate\n"           \
	"(PEM) and its private key, and --metadata writes firmware.xml.gz, listing every\n"        \
	"cabinet in the output directory with its checksums, and its signature\n"                  \
	"firmware.xml.gz.jcat. Serve the directory over HTTP; on each machine put the\n"           \
	"certificate in /etc/pki/fwupd-metadata/ and write\n"                                      \
	"/etc/fwupd/remotes.d/dell-bios.conf:\n"                                                   \
	"  [fwupd Remote]\n"                                                                       \
	"  Enabled=true\n"                                                                         \
	"  Title=Dell BIOS\n"                                                                      \
	"  MetadataURI=http://SERVER/dell-bios/firmware.xml.gz\n"                                  \
	"  ApprovalRequired=false\n"                                                               \
	"then 'fwupdmgr refresh && fwupdmgr update' installs on each machine the newest\n"         \
	"image for its own system ID, and none of the others, and only what the key\n"             \
	"signed. Keep the key off the server.\n"                                                   \
	"\n"                                                                                       \
	"Where the .hdr comes from: Dell's Linux update package FILE.BIN unpacks it with\n"        \
	"  sh FILE.BIN --extract DIR\n"                                                            \
	"\n"                                                                                       \
	"Every image is parsed and checked (signature, header, both CRC-32s) before any\n"         \
	"cabinet is written: one corrupt or truncated image and nothing is written, and\n"         \
	"the message says which file and why. An existing cabinet is kept unless --force.\n"       \
	"\n"                                                                                       \
	"Exit status: 0 when every cabinet is written, 1 on any error.\n"

typedef struct {
	gchar *path;
	gchar *basename; /* of the image inside the cabinet */
	gchar *output;
	gchar *date; /* the file's modification day, without --date */
	FuFirmware *firmware;
	GBytes *cab;
} DellRbuCabItem;

static void
dell_rbu_cab_item_free(DellRbuCabItem *item)
{
	g_free(item->path);
	g_free(item->basename);
	g_free(item->output);
	g_free(item->date);
	if (item->firmware != NULL)
		g_object_unref(item->firmware);
	if (item->cab != NULL)
		g_bytes_unref(item->cab);
	g_free(item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(DellRbuCabItem, dell_rbu_cab_item_free)

/* Dell's .BIN keeps the image's build time, which extracting it restores */
static gchar *
dell_rbu_cab_file_date(const gchar *path, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileInfo) info = NULL;
	g_autoptr(GDateTime) mtime = NULL;

	info = g_file_query_info(
	    file, G_FILE_ATTRIBUTE_TIME_MODIFIED, G_FILE_QUERY_INFO_NONE, NULL, error);
	if (info == NULL)
		return NULL;
	mtime = g_file_info_get_modification_date_time(info);
	return g_date_time_format(mtime, "%Y-%m-%d");
}

static DellRbuCabItem *
dell_rbu_cab_item_load(const gchar *path, GError **error)
{
	g_autoptr(DellRbuCabItem) item = g_new0(DellRbuCabItem, 1);
	g_autoptr(GBytes) blob = NULL;

	item->path = g_strdup(path);
	item->basename = g_path_get_basename(path);
	blob = fu_bytes_get_contents(path, error);
	if (blob == NULL)
		return NULL;
	item->date = dell_rbu_cab_file_date(path, error);
	if (item->date == NULL)
		return NULL;
	item->firmware = fu_dell_rbu_firmware_new();
	if (!fu_firmware_parse_bytes(
		item->firmware, blob, 0x0, FU_FIRMWARE_PARSE_FLAG_NONE, error)) {
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	return g_steal_pointer(&item);
}

/* the version format of the BIOS device the cabinet is for: the device
 * takes it from its running version, which has the image's style */
static const gchar *
dell_rbu_cab_version_format(FuDellRbuFirmware *firmware)
{
	const gchar *version = fu_firmware_get_version(FU_FIRMWARE(firmware));
	return fwupd_version_format_to_string(fu_dell_rbu_version_format(version));
}

/* the cabinet, parsed back by fwupd's own cabinet code before it is written */
static gboolean
dell_rbu_cab_item_build(DellRbuCabItem *item,
			const gchar *name,
			const gchar *date,
			const gchar *urgency,
			GBytes *cert,
			GBytes *key,
			GError **error)
{
	FuDellRbuCabRelease release = {
	    .name = name,
	    .filename = item->basename,
	    .date = date != NULL ? date : item->date,
	    .urgency = urgency,
	};
	g_autofree gchar *xml = NULL;
	g_autofree gchar *metainfo_name = NULL;
	gsize xmlsz;
	g_autoptr(FuCabinet) cab = fu_cabinet_new();
	g_autoptr(FuCabinet) check = fu_cabinet_new();
	g_autoptr(GBytes) image = NULL;
	g_autoptr(GBytes) metainfo = NULL;

	release.version_format = dell_rbu_cab_version_format(FU_DELL_RBU_FIRMWARE(item->firmware));
	xml = fu_dell_rbu_cab_metainfo(FU_DELL_RBU_FIRMWARE(item->firmware), &release, error);
	if (xml == NULL)
		return FALSE;
	image = fu_firmware_get_bytes(item->firmware, error);
	if (image == NULL)
		return FALSE;
	xmlsz = strlen(xml);
	metainfo = g_bytes_new_take(g_steal_pointer(&xml), xmlsz);
	metainfo_name = g_strdup_printf("%s.metainfo.xml", item->basename);
	if (!fu_cabinet_add_file(cab, item->basename, image, error))
		return FALSE;
	if (!fu_cabinet_add_file(cab, metainfo_name, metainfo, error))
		return FALSE;
	if (cert != NULL) {
		g_autoptr(GBytes) jcat = fu_dell_rbu_cab_site_sign(
		    item->basename, image, metainfo_name, metainfo, cert, key, error);
		if (jcat == NULL)
			return FALSE;
		if (!fu_cabinet_add_file(cab, "firmware.jcat", jcat, error))
			return FALSE;
	}
	item->cab = fu_firmware_write(FU_FIRMWARE(cab), error);
	if (item->cab == NULL)
		return FALSE;
	if (!fu_firmware_parse_bytes(
		FU_FIRMWARE(check), item->cab, 0x0, FU_FIRMWARE_PARSE_FLAG_CACHE_BLOB, error)) {
		g_prefix_error(error, "%s: fwupd refuses the cabinet made from it: ", item->path);
		return FALSE;
	}
	return TRUE;
}

static gchar *
dell_rbu_cab_output_name(const gchar *outdir, const gchar *basename)
{
	g_autofree gchar *stem = g_strdup(basename);
	gchar *dot = g_strrstr(stem, ".");
	g_autofree gchar *name = NULL;
	if (dot != NULL && dot != stem)
		*dot = '\0';
	name = g_strdup_printf("%s.cab", stem);
	return g_build_filename(outdir, name, NULL);
}

static gboolean
dell_rbu_cab_run(gchar **files,
		 const gchar *name_arg,
		 const gchar *outdir,
		 const gchar *date,
		 const gchar *urgency,
		 gboolean force,
		 GBytes *cert,
		 GBytes *key,
		 GError **error)
{
	g_autoptr(GPtrArray) items =
	    g_ptr_array_new_with_free_func((GDestroyNotify)dell_rbu_cab_item_free);
	g_autoptr(GHashTable) outputs = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree gchar *name = NULL;

	if (name_arg == NULL) {
		g_set_error_literal(
		    error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "no model name: the .hdr names only the system IDs, not the model they "
		    "are, and the LVFS refuses a cabinet without it; give it with "
		    "--name MODEL, for example --name 'Latitude 7490'");
		return FALSE;
	}
	name = fu_dell_rbu_cab_check_name(name_arg, error);
	if (name == NULL)
		return FALSE;
	if (!g_file_test(outdir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "output directory %s does not exist: create it or give another "
			    "with --output-dir",
			    outdir);
		return FALSE;
	}

	/* everything is checked before anything is written */
	for (guint i = 0; files[i] != NULL; i++) {
		DellRbuCabItem *item = dell_rbu_cab_item_load(files[i], error);
		if (item == NULL)
			return FALSE;
		g_ptr_array_add(items, item);
		item->output = dell_rbu_cab_output_name(outdir, item->basename);
		if (g_hash_table_contains(outputs, item->output)) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s and %s would both be written to %s: rename one of them",
				    (const gchar *)g_hash_table_lookup(outputs, item->output),
				    item->path,
				    item->output);
			return FALSE;
		}
		g_hash_table_insert(outputs, item->output, item->path);
		if (!force && g_file_test(item->output, G_FILE_TEST_EXISTS)) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%s exists: remove it, or pass --force to replace it",
				    item->output);
			return FALSE;
		}
		if (!dell_rbu_cab_item_build(item, name, date, urgency, cert, key, error))
			return FALSE;
	}
	for (guint i = 0; i < items->len; i++) {
		DellRbuCabItem *item = g_ptr_array_index(items, i);
		g_autoptr(GArray) ids =
		    fu_dell_rbu_firmware_get_system_ids(FU_DELL_RBU_FIRMWARE(item->firmware));
		g_autoptr(GString) systems = g_string_new(NULL);
		if (!fu_bytes_set_contents(item->output, item->cab, error))
			return FALSE;
		for (guint j = 0; j < ids->len; j++)
			g_string_append_printf(
			    systems, "%s0x%04X", j > 0 ? ", " : "", g_array_index(ids, guint16, j));
		g_print("%s: %s BIOS %s for Dell system %s, released %s%s\n",
			item->output,
			name,
			fu_firmware_get_version(item->firmware),
			systems->str,
			date != NULL ? date : item->date,
			date != NULL ? "" : " (the file's date; --date gives Dell's)");
	}
	return TRUE;
}

/* a certificate and the key it was made from, read before anything is written */
static gboolean
dell_rbu_cab_load_signer(const gchar *cert_fn,
			 const gchar *key_fn,
			 gboolean metadata,
			 GBytes **cert,
			 GBytes **key,
			 GError **error)
{
	if (cert_fn == NULL && key_fn == NULL && !metadata)
		return TRUE;
	if (cert_fn == NULL || key_fn == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    metadata ? "--metadata needs --sign CERT and --key KEY"
					     : "--sign CERT and --key KEY go together");
		return FALSE;
	}
	*cert = fu_bytes_get_contents(cert_fn, error);
	if (*cert == NULL)
		return FALSE;
	*key = fu_bytes_get_contents(key_fn, error);
	if (*key == NULL)
		return FALSE;
	if (!fu_dell_rbu_cab_site_check_signer(*cert, *key, error)) {
		g_prefix_error(error,
			       "%s and %s do not make a signature that verifies (is the key the "
			       "certificate's?): ",
			       key_fn,
			       cert_fn);
		return FALSE;
	}
	return TRUE;
}

int
main(int argc, char **argv)
{
	gboolean force = FALSE;
	gboolean metadata = FALSE;
	gboolean version = FALSE;
	g_autofree gchar *outdir = NULL;
	g_autofree gchar *name = NULL;
	g_autofree gchar *date = NULL;
	g_autofree gchar *urgency = NULL;
	g_autofree gchar *cert_fn = NULL;
	g_autofree gchar *key_fn = NULL;
	g_autoptr(GBytes) cert = NULL;
	g_autoptr(GBytes) key = NULL;
	g_auto(GStrv) files = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = NULL;
	const GOptionEntry options[] = {
	    {"output-dir",
	     'o',
	     0,
	     G_OPTION_ARG_FILENAME,
	     &outdir,
	     "Write the cabinets to DIR (default: the current directory)",
	     "DIR"},
	    {"name",
	     'n',
	     0,
	     G_OPTION_ARG_STRING,
	     &name,
	     "The model the images are for, as Dell sells it, without 'Dell', 'BIOS' or "
	     "'System' (required)",
	     "MODEL"},
	    {"date",
	     'd',
	     0,
	     G_OPTION_ARG_STRING,
	     &date,
	     "Release date of the BIOS, as Dell's download page gives it "
	     "(default: the day the .hdr file was last modified)",
	     "YYYY-MM-DD"},
	    {"urgency",
	     'u',
	     0,
	     G_OPTION_ARG_STRING,
	     &urgency,
	     "Release urgency: low, medium, high or critical (default: none)",
	     "URGENCY"},
	    {"force", 'f', 0, G_OPTION_ARG_NONE, &force, "Replace existing cabinets", NULL},
	    {"sign",
	     's',
	     0,
	     G_OPTION_ARG_FILENAME,
	     &cert_fn,
	     "Sign each image with the certificate CERT (PEM) the machines trust",
	     "CERT"},
	    {"key", 'k', 0, G_OPTION_ARG_FILENAME, &key_fn, "The private key of CERT", "KEY"},
	    {"metadata",
	     'm',
	     0,
	     G_OPTION_ARG_NONE,
	     &metadata,
	     "Write the signed metadata of every cabinet in the output directory",
	     NULL},
	    {"version", 0, 0, G_OPTION_ARG_NONE, &version, "Show the version and exit", NULL},
	    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE.hdr…"},
	    {NULL},
	};

	setlocale(LC_ALL, "");
	context = g_option_context_new(NULL);
	g_option_context_set_summary(context, DELL_RBU_CAB_SUMMARY);
	g_option_context_set_description(context, DELL_RBU_CAB_DESCRIPTION);
	g_option_context_add_main_entries(context, options, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("dell-rbu-cab: %s (see dell-rbu-cab --help)\n", error->message);
		return 1;
	}
	if (version) {
		g_print("dell-rbu-cab %s (fwupd %s)\n", PACKAGE_VERSION, FWUPD_VERSION);
		return 0;
	}
	if (!metadata && (files == NULL || files[0] == NULL)) {
		g_printerr("dell-rbu-cab: no .hdr file given (see dell-rbu-cab --help)\n");
		return 1;
	}
	if (!dell_rbu_cab_load_signer(cert_fn, key_fn, metadata, &cert, &key, &error)) {
		g_printerr("dell-rbu-cab: %s\n", error->message);
		return 1;
	}
	if (files != NULL && files[0] != NULL &&
	    !dell_rbu_cab_run(files,
			      name,
			      outdir != NULL ? outdir : ".",
			      date,
			      urgency,
			      force,
			      cert,
			      key,
			      &error)) {
		g_printerr("dell-rbu-cab: %s\n", error->message);
		return 1;
	}
	if (metadata &&
	    !fu_dell_rbu_cab_site_publish(outdir != NULL ? outdir : ".", cert, key, &error)) {
		g_printerr("dell-rbu-cab: %s\n", error->message);
		return 1;
	}
	return 0;
}
