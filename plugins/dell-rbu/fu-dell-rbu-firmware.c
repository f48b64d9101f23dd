/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-compat.h"
#include "fu-dell-rbu-firmware.h"
#include "fu-dell-rbu-struct.h"

/* bytes is the whole .hdr file, the payload that is staged */
struct _FuDellRbuFirmware {
	FuFirmware parent_instance;
	guint8 header_length;
	guint8 header_major_ver;
	guint8 header_minor_ver;
	guint8 num_systems;
	guint8 quick_check[FU_STRUCT_DELL_RBU_HDR_SIZE_QUICK_CHECK];
	guint8 bios_version[FU_STRUCT_DELL_RBU_HDR_SIZE_BIOS_VERSION];
	guint8 misc_flags;
	guint8 bios_internal_use;
	guint16 compat_flags;
	guint16 system_entries[FU_DELL_RBU_FIRMWARE_SYSTEMS_MAX];
	GBytes *rom; /* built from XML without a whole file */
};

G_DEFINE_TYPE(FuDellRbuFirmware, fu_dell_rbu_firmware, FU_TYPE_FIRMWARE)

guint16
fu_dell_rbu_firmware_decode_system_id(guint16 entry)
{
	return (entry & 0xFF) | ((entry & 0xF800) >> 3);
}

guint8
fu_dell_rbu_firmware_decode_hwrev(guint16 entry)
{
	return (entry & 0x0700) >> 8;
}

/* the stored CRCs are CRC-32 without its final XOR (JAMCRC), so that the
 * CRC-32 register after the data and its stored value is always 0xFFFFFFFF */
guint32
fu_dell_rbu_firmware_crc(const guint8 *buf, gsize bufsz)
{
	return fu_dell_compat_crc32_jamcrc(buf, bufsz);
}

/* only the first num_systems entries count; later slots are ignored */
GArray *
fu_dell_rbu_firmware_get_system_ids(FuDellRbuFirmware *self)
{
	GArray *ids;
	g_return_val_if_fail(FU_IS_DELL_RBU_FIRMWARE(self), NULL);
	ids = g_array_new(FALSE, FALSE, sizeof(guint16));
	for (guint i = 0; i < self->num_systems && i < FU_DELL_RBU_FIRMWARE_SYSTEMS_MAX; i++) {
		guint16 id = fu_dell_rbu_firmware_decode_system_id(self->system_entries[i]);
		g_array_append_val(ids, id);
	}
	return ids;
}

gboolean
fu_dell_rbu_firmware_has_system_id(FuDellRbuFirmware *self, guint16 system_id)
{
	g_autoptr(GArray) ids = fu_dell_rbu_firmware_get_system_ids(self);
	for (guint i = 0; i < ids->len; i++) {
		if (g_array_index(ids, guint16, i) == system_id)
			return TRUE;
	}
	return FALSE;
}

static gchar *
fu_dell_rbu_firmware_version_from_bytes(guint8 major_ver, const guint8 *buf)
{
	g_autoptr(GString) str = g_string_new(NULL);
	if (major_ver >= 2)
		return g_strdup_printf("%u.%u.%u", buf[0], buf[1], buf[2]);
	for (guint i = 0; i < FU_STRUCT_DELL_RBU_HDR_SIZE_BIOS_VERSION; i++) {
		if (g_ascii_isalnum(buf[i]))
			g_string_append_c(str, (gchar)buf[i]);
	}
	if (str->len == 0)
		return g_strdup("unknown");
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static void
fu_dell_rbu_firmware_update_version(FuDellRbuFirmware *self)
{
	g_autofree gchar *version =
	    fu_dell_rbu_firmware_version_from_bytes(self->header_major_ver, self->bios_version);
	fu_firmware_set_version(FU_FIRMWARE(self), version);
}

static gboolean
fu_dell_rbu_firmware_set_quick_check(FuDellRbuFirmware *self, const gchar *text, GError **error)
{
	memset(self->quick_check, ' ', sizeof(self->quick_check));
	return fu_memcpy_safe(self->quick_check,
			      sizeof(self->quick_check),
			      0x0,
			      (const guint8 *)text,
			      strlen(text),
			      0x0,
			      MIN(strlen(text), sizeof(self->quick_check)),
			      error);
}

static gchar *
fu_dell_rbu_firmware_get_quick_check(FuDellRbuFirmware *self)
{
	g_autofree gchar *text =
	    g_strndup((const gchar *)self->quick_check, sizeof(self->quick_check));
	for (gchar *p = text; *p != '\0'; p++) {
		if (!g_ascii_isprint(*p))
			*p = '?';
	}
	return g_strchomp(g_steal_pointer(&text));
}

static gboolean
fu_dell_rbu_firmware_check_crc(const gchar *what,
			       const guint8 *buf,
			       gsize bufsz,
			       guint32 stored,
			       FuFirmwareParseFlags flags,
			       GError **error)
{
	guint32 computed = fu_dell_rbu_firmware_crc(buf, bufsz);
	if (computed == stored)
		return TRUE;
	if (flags & FU_FIRMWARE_PARSE_FLAG_IGNORE_CHECKSUM) {
		g_info(
		    "ignoring %s CRC-32: stored 0x%08x, computed 0x%08x", what, stored, computed);
		return TRUE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_FILE,
		    "%s CRC-32 is 0x%08x but the trailer stores 0x%08x: the file is corrupt, "
		    "download it from Dell again",
		    what,
		    computed,
		    stored);
	return FALSE;
}

/* every Dell image is a whole number of KiB: a file whose image is not, and
 * whose image CRC fails, was cut short, most often by a broken download; the
 * CRC error is then replaced by one that says so */
static void
fu_dell_rbu_firmware_explain_truncated(FuDellRbuFirmware *self, gsize bufsz, GError **error)
{
	gsize imagesz = bufsz - self->header_length - FU_STRUCT_DELL_RBU_TRAILER_SIZE;
	gsize whole = fu_common_align_up(imagesz, FU_FIRMWARE_ALIGNMENT_1K);

	if (whole == imagesz)
		return;
	g_clear_error(error);
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_FILE,
		    "the file is %" G_GSIZE_FORMAT " bytes and its image CRC-32 fails: a Dell "
		    ".hdr is its %u-byte header, an image of whole KiB and an %u-byte trailer, "
		    "so at least %" G_GSIZE_FORMAT " bytes here; the file is truncated, "
		    "download it from Dell again",
		    bufsz,
		    self->header_length,
		    (guint)FU_STRUCT_DELL_RBU_TRAILER_SIZE,
		    self->header_length + whole + FU_STRUCT_DELL_RBU_TRAILER_SIZE);
}

static gboolean
fu_dell_rbu_firmware_parse_header(FuDellRbuFirmware *self,
				  const guint8 *buf,
				  gsize bufsz,
				  GError **error)
{
	g_autoptr(FuStructDellRbuHdr) st = NULL;
	g_autoptr(GError) error_local = NULL;

	if (bufsz < FU_STRUCT_DELL_RBU_HDR_SIZE + FU_STRUCT_DELL_RBU_TRAILER_SIZE) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "file size is %" G_GSIZE_FORMAT " bytes, a .hdr needs at least %u: "
			    "the file is truncated, download it from Dell again",
			    bufsz,
			    (guint)(FU_STRUCT_DELL_RBU_HDR_SIZE + FU_STRUCT_DELL_RBU_TRAILER_SIZE));
		return FALSE;
	}
	/* the size is checked, so only the constant header_id can fail */
	st = fu_struct_dell_rbu_hdr_parse(buf, bufsz, 0x0, &error_local);
	if (st == NULL) {
		g_autofree gchar *sig = fu_memstrsafe(buf, bufsz, 0x0, 4, NULL);
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "signature is '%s' (%s): this is not a Dell .hdr BIOS image; Dell's "
			    "Linux update package FILE.BIN unpacks its .hdr with 'sh FILE.BIN "
			    "--extract DIR'",
			    sig != NULL ? sig : "",
			    error_local->message);
		return FALSE;
	}
	self->header_length = fu_struct_dell_rbu_hdr_get_header_length(st);
	if (self->header_length < FU_STRUCT_DELL_RBU_HDR_SIZE) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "header length is %u, expected at least %u: the header is corrupt, "
			    "download the image from Dell again",
			    self->header_length,
			    (guint)FU_STRUCT_DELL_RBU_HDR_SIZE);
		return FALSE;
	}
	if ((gsize)self->header_length + FU_STRUCT_DELL_RBU_TRAILER_SIZE >= bufsz) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "file of %" G_GSIZE_FORMAT " bytes has no ROM image after its "
			    "%u-byte header and before its %u-byte trailer: the file is "
			    "truncated, download it from Dell again",
			    bufsz,
			    self->header_length,
			    (guint)FU_STRUCT_DELL_RBU_TRAILER_SIZE);
		return FALSE;
	}
	self->num_systems = fu_struct_dell_rbu_hdr_get_num_systems(st);
	if (self->num_systems < 1 || self->num_systems > FU_DELL_RBU_FIRMWARE_SYSTEMS_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "numSystems is %u, expected 1 to %u: the header is corrupt, "
			    "download the image from Dell again",
			    self->num_systems,
			    (guint)FU_DELL_RBU_FIRMWARE_SYSTEMS_MAX);
		return FALSE;
	}
	self->header_major_ver = fu_struct_dell_rbu_hdr_get_header_major_ver(st);
	self->header_minor_ver = fu_struct_dell_rbu_hdr_get_header_minor_ver(st);
	if (!fu_memcpy_safe(self->quick_check,
			    sizeof(self->quick_check),
			    0x0,
			    st->buf->data,
			    st->buf->len,
			    FU_STRUCT_DELL_RBU_HDR_OFFSET_QUICK_CHECK,
			    sizeof(self->quick_check),
			    error))
		return FALSE;
	if (!fu_memcpy_safe(self->bios_version,
			    sizeof(self->bios_version),
			    0x0,
			    st->buf->data,
			    st->buf->len,
			    FU_STRUCT_DELL_RBU_HDR_OFFSET_BIOS_VERSION,
			    sizeof(self->bios_version),
			    error))
		return FALSE;
	self->misc_flags = fu_struct_dell_rbu_hdr_get_misc_flags(st);
	self->bios_internal_use = fu_struct_dell_rbu_hdr_get_bios_internal_use(st);
	self->compat_flags = fu_struct_dell_rbu_hdr_get_compat_flags(st);
	for (guint i = 0; i < FU_DELL_RBU_FIRMWARE_SYSTEMS_MAX; i++)
		self->system_entries[i] = fu_struct_dell_rbu_hdr_get_system_id_list(st, i);
	fu_dell_rbu_firmware_update_version(self);
	return TRUE;
}

static gboolean
fu_dell_rbu_firmware_parse_bytes(FuDellRbuFirmware *self,
				 GBytes *blob,
				 FuFirmwareParseFlags flags,
				 GError **error)
{
	gsize bufsz = 0;
	const guint8 *buf = g_bytes_get_data(blob, &bufsz);
	gsize trailer;
	g_autoptr(FuStructDellRbuTrailer) st = NULL;

	if (!fu_dell_rbu_firmware_parse_header(self, buf, bufsz, error))
		return FALSE;
	trailer = bufsz - FU_STRUCT_DELL_RBU_TRAILER_SIZE;
	st = fu_struct_dell_rbu_trailer_parse(buf, bufsz, trailer, error);
	if (st == NULL)
		return FALSE;
	if (!fu_dell_rbu_firmware_check_crc("image",
					    buf + self->header_length,
					    trailer - self->header_length,
					    fu_struct_dell_rbu_trailer_get_image_crc(st),
					    flags,
					    error)) {
		fu_dell_rbu_firmware_explain_truncated(self, bufsz, error);
		return FALSE;
	}
	if (!fu_dell_rbu_firmware_check_crc("file",
					    buf,
					    trailer + FU_STRUCT_DELL_RBU_TRAILER_OFFSET_FILE_CRC,
					    fu_struct_dell_rbu_trailer_get_file_crc(st),
					    flags,
					    error))
		return FALSE;
	fu_firmware_set_bytes(FU_FIRMWARE(self), blob);
	return TRUE;
}

static gboolean
fu_dell_rbu_firmware_parse(FuFirmware *firmware,
			   GInputStream *stream,
			   FuFirmwareParseFlags flags,
			   GError **error)
{
	FuDellRbuFirmware *self = FU_DELL_RBU_FIRMWARE(firmware);
	gsize streamsz = 0;
	g_autoptr(GBytes) blob = NULL;

	if (!fu_input_stream_size(stream, &streamsz, error))
		return FALSE;
	blob = fu_input_stream_read_bytes(stream, 0x0, streamsz, NULL, error);
	if (blob == NULL)
		return FALSE;
	return fu_dell_rbu_firmware_parse_bytes(self, blob, flags, error);
}

/* a firmware given only an image, as firmware-convert does, is that .hdr */
static GBytes *
fu_dell_rbu_firmware_get_file(FuDellRbuFirmware *self, GError **error)
{
	FuFirmware *firmware = FU_FIRMWARE(self);
	g_autoptr(GBytes) blob = fu_firmware_get_bytes(firmware, NULL);
	g_autoptr(FuFirmware) img = NULL;

	if (blob != NULL)
		return g_steal_pointer(&blob);
	img = fu_firmware_get_image_by_idx(firmware, 0, NULL);
	if (img == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_FOUND,
				    "no .hdr file and no ROM image to write");
		return NULL;
	}
	blob = fu_firmware_write(img, error);
	if (blob == NULL)
		return NULL;
	if (!fu_dell_rbu_firmware_parse_bytes(self, blob, FU_FIRMWARE_PARSE_FLAG_NONE, error))
		return NULL;
	return g_steal_pointer(&blob);
}

/* the fields must describe a header that parses back as it is written */
static gboolean
fu_dell_rbu_firmware_check_fields(FuDellRbuFirmware *self, GError **error)
{
	if (self->header_length < FU_STRUCT_DELL_RBU_HDR_SIZE) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "header_length is 0x%x, the $RBU header needs at least 0x%x",
			    self->header_length,
			    (guint)FU_STRUCT_DELL_RBU_HDR_SIZE);
		return FALSE;
	}
	if (self->num_systems < 1 || self->num_systems > FU_DELL_RBU_FIRMWARE_SYSTEMS_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "num_systems is %u, expected 1 to %u",
			    self->num_systems,
			    (guint)FU_DELL_RBU_FIRMWARE_SYSTEMS_MAX);
		return FALSE;
	}
	if (self->rom != NULL && g_bytes_get_size(self->rom) == 0) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "the ROM image is empty (is <rom> valid base64?)");
		return FALSE;
	}
	return TRUE;
}

static GByteArray *
fu_dell_rbu_firmware_write(FuFirmware *firmware, GError **error)
{
	FuDellRbuFirmware *self = FU_DELL_RBU_FIRMWARE(firmware);
	const guint8 *rom;
	gsize romsz = 0;
	gsize hdrsz = self->header_length;
	g_autoptr(GBytes) file = NULL;
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autoptr(FuStructDellRbuHdr) st = NULL;

	if (!fu_dell_rbu_firmware_check_fields(self, error))
		return NULL;
	if (self->rom != NULL) {
		rom = g_bytes_get_data(self->rom, &romsz);
		st = fu_struct_dell_rbu_hdr_new();
		fu_byte_array_set_size(buf, hdrsz, 0x00);
	} else {
		const guint8 *data;
		gsize datasz = 0;
		file = fu_dell_rbu_firmware_get_file(self, error);
		if (file == NULL)
			return NULL;
		/* keep the reserved bytes and any header tail of the original */
		data = g_bytes_get_data(file, &datasz);
		hdrsz = self->header_length;
		st = fu_struct_dell_rbu_hdr_parse(data, datasz, 0x0, error);
		if (st == NULL)
			return NULL;
		rom = data + hdrsz;
		romsz = datasz - hdrsz - FU_STRUCT_DELL_RBU_TRAILER_SIZE;
		g_byte_array_append(buf, data, hdrsz);
	}

	fu_struct_dell_rbu_hdr_set_header_length(st, self->header_length);
	fu_struct_dell_rbu_hdr_set_header_major_ver(st, self->header_major_ver);
	fu_struct_dell_rbu_hdr_set_header_minor_ver(st, self->header_minor_ver);
	fu_struct_dell_rbu_hdr_set_num_systems(st, self->num_systems);
	if (!fu_struct_dell_rbu_hdr_set_quick_check(
		st, self->quick_check, sizeof(self->quick_check), error))
		return NULL;
	if (!fu_struct_dell_rbu_hdr_set_bios_version(
		st, self->bios_version, sizeof(self->bios_version), error))
		return NULL;
	fu_struct_dell_rbu_hdr_set_misc_flags(st, self->misc_flags);
	fu_struct_dell_rbu_hdr_set_bios_internal_use(st, self->bios_internal_use);
	fu_struct_dell_rbu_hdr_set_compat_flags(st, self->compat_flags);
	for (guint i = 0; i < FU_DELL_RBU_FIRMWARE_SYSTEMS_MAX; i++)
		fu_struct_dell_rbu_hdr_set_system_id_list(st, i, self->system_entries[i]);
	if (!fu_memcpy_safe(
		buf->data, buf->len, 0x0, st->buf->data, st->buf->len, 0x0, st->buf->len, error))
		return NULL;

	g_byte_array_append(buf, rom, romsz);
	fu_byte_array_append_uint32(buf, fu_dell_rbu_firmware_crc(rom, romsz), G_LITTLE_ENDIAN);
	fu_byte_array_append_uint32(
	    buf, fu_dell_rbu_firmware_crc(buf->data, buf->len), G_LITTLE_ENDIAN);
	return g_steal_pointer(&buf);
}

static void
fu_dell_rbu_firmware_export(FuFirmware *firmware, FuFirmwareExportFlags flags, XbBuilderNode *bn)
{
	FuDellRbuFirmware *self = FU_DELL_RBU_FIRMWARE(firmware);
	g_autofree gchar *quick_check = fu_dell_rbu_firmware_get_quick_check(self);
	g_autofree gchar *bios_version_raw = NULL;
	g_autoptr(XbBuilderNode) bc = NULL;

	fu_xmlb_builder_insert_kx(bn, "header_length", self->header_length);
	fu_xmlb_builder_insert_kx(bn, "header_major_ver", self->header_major_ver);
	fu_xmlb_builder_insert_kx(bn, "header_minor_ver", self->header_minor_ver);
	fu_xmlb_builder_insert_kx(bn, "num_systems", self->num_systems);
	fu_xmlb_builder_insert_kv(bn, "quick_check", quick_check);
	bios_version_raw = g_strdup_printf(
	    "%02x%02x%02x", self->bios_version[0], self->bios_version[1], self->bios_version[2]);
	fu_xmlb_builder_insert_kv(bn, "bios_version_raw", bios_version_raw);
	fu_xmlb_builder_insert_kx(bn, "misc_flags", self->misc_flags);
	fu_xmlb_builder_insert_kx(bn, "bios_internal_use", self->bios_internal_use);
	fu_xmlb_builder_insert_kx(bn, "compat_flags", self->compat_flags);
	bc = xb_builder_node_insert(bn, "systems", NULL);
	for (guint i = 0; i < FU_DELL_RBU_FIRMWARE_SYSTEMS_MAX; i++) {
		guint16 entry = self->system_entries[i];
		g_autofree gchar *entry_str = g_strdup_printf("0x%04x", entry);
		g_autofree gchar *id_str = NULL;
		g_autofree gchar *hwrev_str = NULL;
		if (entry == 0 && i >= self->num_systems)
			continue;
		id_str = g_strdup_printf("0x%04x", fu_dell_rbu_firmware_decode_system_id(entry));
		hwrev_str = g_strdup_printf("%u", fu_dell_rbu_firmware_decode_hwrev(entry));
		xb_builder_node_insert_text(
		    bc, "entry", entry_str, "system_id", id_str, "hwrev", hwrev_str, NULL);
	}
}

static gboolean
fu_dell_rbu_firmware_build_uint(
    XbNode *n, const gchar *key, guint64 max, guint64 *value, GError **error)
{
	const gchar *tmp = xb_node_query_text(n, key, NULL);
	if (tmp == NULL)
		return TRUE;
	if (!fu_strtoull(tmp, value, 0, max, FU_INTEGER_BASE_AUTO, error)) {
		g_prefix_error(error, "invalid %s: ", key);
		return FALSE;
	}
	return TRUE;
}

/* <rom> is base64, padded with 0xFF (erased flash) to its size attribute if
 * it has one, as fwupd's own <data size="..."> */
static gboolean
fu_dell_rbu_firmware_build_rom(FuDellRbuFirmware *self, XbNode *n, GError **error)
{
	const gchar *text = xb_node_get_text(n);
	const gchar *size_str = xb_node_get_attr(n, "size");
	guint64 romsz = 0;
	g_autoptr(GBytes) rom = NULL;

	if (text != NULL) {
		gsize bufsz = 0;
		g_autofree guchar *buf = g_base64_decode(text, &bufsz);
		rom = g_bytes_new_take(g_steal_pointer(&buf), bufsz);
	} else {
		rom = g_bytes_new(NULL, 0);
	}
	if (size_str != NULL) {
		if (!fu_strtoull(size_str,
				 &romsz,
				 1,
				 FU_DELL_RBU_FIRMWARE_ROM_SIZE_MAX,
				 FU_INTEGER_BASE_AUTO,
				 error)) {
			g_prefix_error_literal(error, "invalid <rom size>: ");
			return FALSE;
		}
		if (romsz < g_bytes_get_size(rom)) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "<rom size> 0x%x is smaller than its 0x%x bytes",
				    (guint)romsz,
				    (guint)g_bytes_get_size(rom));
			return FALSE;
		}
		if (romsz > g_bytes_get_size(rom)) {
			GBytes *padded = fu_bytes_pad(rom, romsz, 0xFF);
			g_bytes_unref(rom);
			rom = padded;
		}
	}
	g_clear_pointer(&self->rom, g_bytes_unref);
	self->rom = g_steal_pointer(&rom);
	return TRUE;
}

static gboolean
fu_dell_rbu_firmware_build(FuFirmware *firmware, XbNode *n, GError **error)
{
	FuDellRbuFirmware *self = FU_DELL_RBU_FIRMWARE(firmware);
	struct {
		const gchar *key;
		guint64 max;
		gpointer dest;
		gsize destsz;
	} fields[] = {
	    {"header_length", G_MAXUINT8, &self->header_length, 1},
	    {"header_major_ver", G_MAXUINT8, &self->header_major_ver, 1},
	    {"header_minor_ver", G_MAXUINT8, &self->header_minor_ver, 1},
	    {"num_systems", G_MAXUINT8, &self->num_systems, 1},
	    {"misc_flags", G_MAXUINT8, &self->misc_flags, 1},
	    {"bios_internal_use", G_MAXUINT8, &self->bios_internal_use, 1},
	    {"compat_flags", G_MAXUINT16, &self->compat_flags, 2},
	};
	const gchar *tmp;
	g_autoptr(GBytes) file = fu_firmware_get_bytes(firmware, NULL);
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(XbNode) rom = NULL;

	/* <data> is a whole .hdr file: its fields are the defaults */
	if (file != NULL) {
		guint8 header_length;
		if (!fu_dell_rbu_firmware_parse_bytes(
			self, file, FU_FIRMWARE_PARSE_FLAG_IGNORE_CHECKSUM, error)) {
			g_prefix_error_literal(error, "<data> is not a .hdr file: ");
			return FALSE;
		}
		header_length = self->header_length;
		if (xb_node_query_text(n, "rom", NULL) == NULL &&
		    xb_node_query_text(n, "header_length", NULL) != NULL) {
			guint64 v = 0;
			if (!fu_dell_rbu_firmware_build_uint(
				n, "header_length", G_MAXUINT8, &v, error))
				return FALSE;
			if (v != header_length) {
				g_set_error(
				    error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "header_length %u differs from the %u of the .hdr in <data>",
				    (guint)v,
				    header_length);
				return FALSE;
			}
		}
	}

	for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
		guint64 value = G_MAXUINT64;
		if (!fu_dell_rbu_firmware_build_uint(
			n, fields[i].key, fields[i].max, &value, error))
			return FALSE;
		if (value == G_MAXUINT64)
			continue;
		if (fields[i].destsz == 1)
			*(guint8 *)fields[i].dest = (guint8)value;
		else
			*(guint16 *)fields[i].dest = (guint16)value;
	}
	tmp = xb_node_query_text(n, "quick_check", NULL);
	if (tmp != NULL) {
		if (strlen(tmp) > sizeof(self->quick_check)) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "quick_check '%s' is longer than %u characters",
				    tmp,
				    (guint)sizeof(self->quick_check));
			return FALSE;
		}
		if (!fu_dell_rbu_firmware_set_quick_check(self, tmp, error))
			return FALSE;
	}

	/* raw hex bytes win over a version string */
	tmp = xb_node_query_text(n, "bios_version_raw", NULL);
	if (tmp != NULL) {
		g_autoptr(GBytes) raw = fu_bytes_from_string(tmp, error);
		if (raw == NULL)
			return FALSE;
		if (g_bytes_get_size(raw) != FU_STRUCT_DELL_RBU_HDR_SIZE_BIOS_VERSION) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "bios_version_raw '%s' is not 3 bytes",
				    tmp);
			return FALSE;
		}
		if (!fu_memcpy_safe(self->bios_version,
				    sizeof(self->bios_version),
				    0x0,
				    g_bytes_get_data(raw, NULL),
				    g_bytes_get_size(raw),
				    0x0,
				    sizeof(self->bios_version),
				    error))
			return FALSE;
	} else if ((tmp = xb_node_query_text(n, "version", NULL)) != NULL) {
		g_auto(GStrv) parts = g_strsplit(tmp, ".", -1);
		memset(self->bios_version, 0, sizeof(self->bios_version));
		if (self->header_major_ver >= 2) {
			if (g_strv_length(parts) != sizeof(self->bios_version)) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "version '%s' is not three dotted numbers, as a "
					    "header version 2 needs",
					    tmp);
				return FALSE;
			}
			for (guint i = 0; parts[i] != NULL; i++) {
				guint64 v = 0;
				if (!fu_strtoull(parts[i], &v, 0, 255, FU_INTEGER_BASE_10, error))
					return FALSE;
				self->bios_version[i] = (guint8)v;
			}
		} else {
			if (strlen(tmp) > sizeof(self->bios_version)) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "version '%s' is longer than the %u characters of a "
					    "header version 1",
					    tmp,
					    (guint)sizeof(self->bios_version));
				return FALSE;
			}
			if (!fu_memcpy_safe(self->bios_version,
					    sizeof(self->bios_version),
					    0x0,
					    (const guint8 *)tmp,
					    strlen(tmp),
					    0x0,
					    strlen(tmp),
					    error))
				return FALSE;
		}
	}

	entries = xb_node_query(n, "systems/entry", 0, NULL);
	if (entries != NULL) {
		if (entries->len > FU_DELL_RBU_FIRMWARE_SYSTEMS_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "%u system entries, at most %u fit",
				    entries->len,
				    (guint)FU_DELL_RBU_FIRMWARE_SYSTEMS_MAX);
			return FALSE;
		}
		memset(self->system_entries, 0, sizeof(self->system_entries));
		for (guint i = 0; i < entries->len; i++) {
			XbNode *c = g_ptr_array_index(entries, i);
			guint64 v = 0;
			if (!fu_strtoull(xb_node_get_text(c),
					 &v,
					 0,
					 G_MAXUINT16,
					 FU_INTEGER_BASE_AUTO,
					 error))
				return FALSE;
			self->system_entries[i] = (guint16)v;
		}
		if (xb_node_query_text(n, "num_systems", NULL) == NULL)
			self->num_systems = entries->len;
	}

	/* a ROM given on its own; else <data> holds the whole .hdr file */
	rom = xb_node_query_first(n, "rom", NULL);
	if (rom != NULL && !fu_dell_rbu_firmware_build_rom(self, rom, error))
		return FALSE;
	fu_dell_rbu_firmware_update_version(self);
	return fu_dell_rbu_firmware_check_fields(self, error);
}

static void
fu_dell_rbu_firmware_init(FuDellRbuFirmware *self)
{
	self->header_length = FU_STRUCT_DELL_RBU_HDR_SIZE;
	self->header_major_ver = 1;
	self->num_systems = 1;
	memset(self->quick_check, ' ', sizeof(self->quick_check));
	fu_firmware_add_flag(FU_FIRMWARE(self), FU_FIRMWARE_FLAG_HAS_CHECKSUM);
	fu_dell_compat_firmware_set_limits(FU_FIRMWARE(self), 1, FU_DELL_RBU_FIRMWARE_SIZE_MAX);
}

static void
fu_dell_rbu_firmware_finalize(GObject *object)
{
	FuDellRbuFirmware *self = FU_DELL_RBU_FIRMWARE(object);
	if (self->rom != NULL)
		g_bytes_unref(self->rom);
	G_OBJECT_CLASS(fu_dell_rbu_firmware_parent_class)->finalize(object);
}

static void
fu_dell_rbu_firmware_class_init(FuDellRbuFirmwareClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	FuFirmwareClass *firmware_class = FU_FIRMWARE_CLASS(klass);
	object_class->finalize = fu_dell_rbu_firmware_finalize;
	firmware_class->parse = fu_dell_rbu_firmware_parse;
	firmware_class->write = fu_dell_rbu_firmware_write;
	firmware_class->export = fu_dell_rbu_firmware_export;
	firmware_class->build = fu_dell_rbu_firmware_build;
	fu_dell_compat_firmware_class_set_limits(firmware_class, 1, FU_DELL_RBU_FIRMWARE_SIZE_MAX);
}

FuFirmware *
fu_dell_rbu_firmware_new(void)
{
	return FU_FIRMWARE(g_object_new(FU_TYPE_DELL_RBU_FIRMWARE, NULL));
}
