/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <jcat.h>
#include <xmlb.h>

#include "fu-cabinet.h"
#include "fu-dell-rbu-cab-site.h"

/* one Jcat item: the SHA-256 of data and its PKCS#7 signature by cert,
 * timestamped (fwupd refuses metadata not signed later than the last) */
static gboolean
fu_dell_rbu_cab_site_add_item(JcatContext *context,
			      JcatFile *file,
			      const gchar *id,
			      GBytes *data,
			      GBytes *cert,
			      GBytes *key,
			      GError **error)
{
	g_autoptr(JcatItem) item = jcat_item_new(id);
	g_autoptr(JcatEngine) engine_csum = NULL;
	g_autoptr(JcatEngine) engine_sig = NULL;
	g_autoptr(JcatBlob) csum = NULL;
	g_autoptr(JcatBlob) sig = NULL;

	engine_csum = jcat_context_get_engine(context, JCAT_BLOB_KIND_SHA256, error);
	if (engine_csum == NULL)
		return FALSE;
	csum = jcat_engine_self_sign(engine_csum, data, JCAT_SIGN_FLAG_NONE, error);
	if (csum == NULL)
		return FALSE;
	engine_sig = jcat_context_get_engine(context, JCAT_BLOB_KIND_PKCS7, error);
	if (engine_sig == NULL)
		return FALSE;
	sig = jcat_engine_pubkey_sign(engine_sig,
				      data,
				      cert,
				      key,
				      JCAT_SIGN_FLAG_ADD_TIMESTAMP | JCAT_SIGN_FLAG_ADD_CERT,
				      error);
	if (sig == NULL) {
		g_prefix_error(error, "cannot sign with the certificate and key given: ");
		return FALSE;
	}
	jcat_item_add_blob(item, csum);
	jcat_item_add_blob(item, sig);
	jcat_file_add_item(file, item);
	return TRUE;
}

/* a Jcat file with an item for id and data, and another for id2 and data2
 * when given (a cabinet's image and its metainfo: fwupd 2.1 trusts a release
 * only when both are signed) */
GBytes *
fu_dell_rbu_cab_site_sign(const gchar *id,
			  GBytes *data,
			  const gchar *id2,
			  GBytes *data2,
			  GBytes *cert,
			  GBytes *key,
			  GError **error)
{
	g_autoptr(JcatContext) context = jcat_context_new();
	g_autoptr(JcatFile) file = jcat_file_new();
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();

	if (!fu_dell_rbu_cab_site_add_item(context, file, id, data, cert, key, error))
		return NULL;
	if (id2 != NULL &&
	    !fu_dell_rbu_cab_site_add_item(context, file, id2, data2, cert, key, error))
		return NULL;
	if (!jcat_file_export_stream(file, out, JCAT_EXPORT_FLAG_NONE, NULL, error))
		return NULL;
	return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(out));
}

/* a key that is not the certificate's would sign what no machine accepts */
gboolean
fu_dell_rbu_cab_site_check_signer(GBytes *cert, GBytes *key, GError **error)
{
	g_autoptr(JcatContext) context = jcat_context_new();
	g_autoptr(JcatEngine) engine = NULL;
	g_autoptr(JcatBlob) sig = NULL;
	g_autoptr(JcatResult) result = NULL;
	g_autoptr(GBytes) probe = g_bytes_new_static("dell-rbu-cab", 12);

	engine = jcat_context_get_engine(context, JCAT_BLOB_KIND_PKCS7, error);
	if (engine == NULL)
		return FALSE;
	if (!jcat_engine_add_public_key_raw(engine, cert, error))
		return FALSE;
	sig = jcat_engine_pubkey_sign(engine,
				      probe,
				      cert,
				      key,
				      JCAT_SIGN_FLAG_ADD_TIMESTAMP | JCAT_SIGN_FLAG_ADD_CERT,
				      error);
	if (sig == NULL)
		return FALSE;
	result = jcat_engine_pubkey_verify(
	    engine, probe, jcat_blob_get_data(sig), JCAT_VERIFY_FLAG_NONE, error);
	return result != NULL;
}

typedef struct {
	const gchar *name;
	gchar *sha1;
	gchar *sha256;
	gchar *size;
} FuDellRbuCabSiteCab;

/* where the cabinet is, relative to the metadata, and what it must hash to */
static gboolean
fu_dell_rbu_cab_site_release_cb(XbBuilderFixup *fixup,
				XbBuilderNode *bn,
				gpointer user_data,
				GError **error)
{
	FuDellRbuCabSiteCab *cab = user_data;
	if (g_strcmp0(xb_builder_node_get_element(bn), "release") != 0)
		return TRUE;
	xb_builder_node_insert_text(bn, "location", cab->name, NULL);
	xb_builder_node_insert_text(bn,
				    "checksum",
				    cab->sha1,
				    "type",
				    "sha1",
				    "filename",
				    cab->name,
				    "target",
				    "container",
				    NULL);
	xb_builder_node_insert_text(bn,
				    "checksum",
				    cab->sha256,
				    "type",
				    "sha256",
				    "filename",
				    cab->name,
				    "target",
				    "container",
				    NULL);
	xb_builder_node_insert_text(bn, "size", cab->size, "type", "download", NULL);
	return TRUE;
}

static GBytes *
fu_dell_rbu_cab_site_metainfo(FuCabinet *cabinet, const gchar *path, GError **error)
{
	g_autoptr(GPtrArray) images = fu_firmware_get_images(FU_FIRMWARE(cabinet));
	for (guint i = 0; i < images->len; i++) {
		FuFirmware *img = g_ptr_array_index(images, i);
		if (g_str_has_suffix(fu_firmware_get_id(img), ".metainfo.xml"))
			return fu_firmware_get_bytes(img, error);
	}
	g_set_error(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_FILE, "%s has no metainfo", path);
	return NULL;
}

/* the cabinet's components, as the metadata lists them */
static gboolean
fu_dell_rbu_cab_site_add_cab(GString *xml, const gchar *dir, const gchar *name, GError **error)
{
	FuDellRbuCabSiteCab cab = {.name = name};
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	g_autofree gchar *text = NULL;
	g_autoptr(FuCabinet) cabinet = fu_cabinet_new();
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GBytes) metainfo = NULL;
	g_autoptr(FuFirmware) jcat = NULL;
	g_autoptr(XbBuilder) builder = xb_builder_new();
	g_autoptr(XbBuilderFixup) fixup = NULL;
	g_autoptr(XbBuilderSource) source = xb_builder_source_new();
	g_autoptr(XbSilo) silo = NULL;
	gboolean ok = FALSE;

	blob = fu_bytes_get_contents(path, error);
	if (blob == NULL)
		return FALSE;
	if (!fu_firmware_parse_bytes(
		FU_FIRMWARE(cabinet), blob, 0x0, FU_FIRMWARE_PARSE_FLAG_CACHE_BLOB, error)) {
		g_prefix_error(error, "%s: ", path);
		return FALSE;
	}
	jcat = fu_firmware_get_image_by_id(FU_FIRMWARE(cabinet), "firmware.jcat", NULL);
	if (jcat == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "%s is not signed, and fwupd would refuse it: make it again with "
			    "--sign and --key, or remove it",
			    path);
		return FALSE;
	}
	metainfo = fu_dell_rbu_cab_site_metainfo(cabinet, path, error);
	if (metainfo == NULL)
		return FALSE;

	cab.sha1 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA1, blob);
	cab.sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, blob);
	cab.size = g_strdup_printf("%" G_GSIZE_FORMAT, g_bytes_get_size(blob));
	fixup = xb_builder_fixup_new("DellRbuCabSite", fu_dell_rbu_cab_site_release_cb, &cab, NULL);
	xb_builder_source_add_fixup(source, fixup);
	if (!xb_builder_source_load_bytes(source, metainfo, XB_BUILDER_SOURCE_FLAG_NONE, error))
		goto out;
	xb_builder_import_source(builder, source);
	silo = xb_builder_compile(builder, XB_BUILDER_COMPILE_FLAG_NONE, NULL, error);
	if (silo == NULL)
		goto out;
	text = xb_silo_export(
	    silo, XB_NODE_EXPORT_FLAG_FORMAT_MULTILINE | XB_NODE_EXPORT_FLAG_FORMAT_INDENT, error);
	if (text == NULL)
		goto out;
	g_string_append(xml, text);
	ok = TRUE;
out:
	if (!ok)
		g_prefix_error(error, "%s: ", path);
	g_free(cab.sha1);
	g_free(cab.sha256);
	g_free(cab.size);
	return ok;
}

static GBytes *
fu_dell_rbu_cab_site_gzip(const gchar *text, GError **error)
{
	g_autoptr(GZlibCompressor) zlib = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
	g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable();
	g_autoptr(GOutputStream) out = g_converter_output_stream_new(mem, G_CONVERTER(zlib));

	if (!g_output_stream_write_all(out, text, strlen(text), NULL, NULL, error))
		return NULL;
	if (!g_output_stream_close(out, NULL, error))
		return NULL;
	return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(mem));
}

static gint
fu_dell_rbu_cab_site_name_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar **)a, *(const gchar **)b);
}

/* dir/firmware.xml.gz: every cabinet in dir, with its location and checksums;
 * dir/firmware.xml.gz.jcat: its signature, which is what the machines check
 * before they believe any of it */
gboolean
fu_dell_rbu_cab_site_publish(const gchar *dir, GBytes *cert, GBytes *key, GError **error)
{
	const gchar *name;
	g_autofree gchar *fn = g_build_filename(dir, FU_DELL_RBU_CAB_SITE_METADATA, NULL);
	g_autofree gchar *fn_sig = g_strdup_printf("%s.jcat", fn);
	g_autoptr(GDir) gdir = g_dir_open(dir, 0, error);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) xml = g_string_new(NULL);
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GBytes) sig = NULL;

	if (gdir == NULL)
		return FALSE;
	while ((name = g_dir_read_name(gdir)) != NULL) {
		if (g_str_has_suffix(name, ".cab"))
			g_ptr_array_add(names, g_strdup(name));
	}
	g_ptr_array_sort(names, fu_dell_rbu_cab_site_name_cmp);
	if (names->len == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "%s holds no cabinet to publish",
			    dir);
		return FALSE;
	}
	g_string_append(xml,
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<components origin=\"dell-rbu-cab\" version=\"0.9\">\n");
	for (guint i = 0; i < names->len; i++) {
		if (!fu_dell_rbu_cab_site_add_cab(xml, dir, g_ptr_array_index(names, i), error))
			return FALSE;
	}
	g_string_append(xml, "</components>\n");

	blob = fu_dell_rbu_cab_site_gzip(xml->str, error);
	if (blob == NULL)
		return FALSE;
	sig = fu_dell_rbu_cab_site_sign(
	    FU_DELL_RBU_CAB_SITE_METADATA, blob, NULL, NULL, cert, key, error);
	if (sig == NULL)
		return FALSE;
	if (!fu_bytes_set_contents(fn, blob, error))
		return FALSE;
	if (!fu_bytes_set_contents(fn_sig, sig, error))
		return FALSE;
	g_print(
	    "%s: %u cabinet%s, signed in %s\n", fn, names->len, names->len == 1 ? "" : "s", fn_sig);
	return TRUE;
}
