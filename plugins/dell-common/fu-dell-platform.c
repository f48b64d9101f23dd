/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-compat.h"
#include "fu-dell-mem.h"
#include "fu-dell-platform.h"

#define FU_DELL_SMBIOS_OFFSET_MANUFACTURER 0x04
#define FU_DELL_SMBIOS_OFFSET_BIOS_VERSION 0x05
#define FU_DELL_SMBIOS_OFFSET_SKU	   0x19
#define FU_DELL_SMBIOS_TYPE_OEM_STRINGS	   11
#define FU_DELL_SMBIOS_TYPE_END		   127
#define FU_DELL_SMBIOS_TYPE_D0		   0xD0
#define FU_DELL_SYSTEM_ID_USE_EXTENSION	   0xFE
#define FU_DELL_DELL_SYSTEM		   "Dell System"

#define FU_DELL_MEM_BIOS_SIGNATURE 0xFE076
#define FU_DELL_MEM_BIOS_ID_AREA   0xFE840
#define FU_DELL_DIAMOND_ID	   0x8C

static const gchar *dell_vendor_names[] = {"Dell Inc.", "Dell Computer Corporation", NULL};

static gboolean
fu_dell_platform_vendor_is_dell(const gchar *vendor)
{
	g_autofree gchar *stripped = g_strchomp(g_strdup(vendor));
	return g_strv_contains(dell_vendor_names, stripped);
}

/* the SKU is the system ID in hex on machines since about 2010 */
static gboolean
fu_dell_platform_id_from_sku(FuContext *ctx, guint16 *system_id)
{
	guint64 value = 0;
	const gchar *sku = fu_context_get_smbios_string(ctx,
							FU_SMBIOS_STRUCTURE_TYPE_SYSTEM,
							FU_SMBIOS_STRUCTURE_LENGTH_ANY,
							FU_DELL_SMBIOS_OFFSET_SKU,
							NULL);
	if (sku == NULL || strlen(sku) == 0 || strlen(sku) > 4)
		return FALSE;
	if (!fu_strtoull(sku, &value, 1, G_MAXUINT16, FU_INTEGER_BASE_16, NULL))
		return FALSE;
	*system_id = (guint16)value;
	return TRUE;
}

/*
 * The OEM strings (type 11), from the SMBIOS table fwupd itself reads: its
 * FuSmbios keeps them, but its public API reads a string only through an
 * index byte of the structure, and the OEM strings have none.
 */
static GPtrArray *
fu_dell_platform_read_oem_strings(FuContext *ctx, GError **error)
{
	gsize bufsz = 0;
	const guint8 *buf;
	g_autofree gchar *fw = fu_dell_compat_get_path(ctx, FU_PATH_KIND_SYSFSDIR_FW);
	g_autofree gchar *fn = g_build_filename(fw, "dmi", "tables", "DMI", NULL);
	g_autoptr(GBytes) blob = fu_bytes_get_contents(fn, error);

	if (blob == NULL)
		return NULL;
	buf = g_bytes_get_data(blob, &bufsz);
	for (gsize offset = 0; offset < bufsz;) {
		guint8 type;
		guint8 length;
		g_autoptr(FuStructSmbiosStructure) st = NULL;
		g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func(g_free);

		st = fu_struct_smbios_structure_parse(buf, bufsz, offset, error);
		if (st == NULL) {
			g_prefix_error(error, "%s: ", fn);
			return NULL;
		}
		type = fu_struct_smbios_structure_get_type(st);
		length = fu_struct_smbios_structure_get_length(st);
		if (length < FU_STRUCT_SMBIOS_STRUCTURE_SIZE) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_FILE,
				    "%s: structure of type %u at 0x%x is %u bytes long, less than "
				    "its header",
				    fn,
				    type,
				    (guint)offset,
				    length);
			return NULL;
		}
		/* the formatted area, then the strings, each with its NUL, then a NUL */
		offset += length;
		while (offset < bufsz && buf[offset] != 0x0) {
			GString *str = fu_strdup((const gchar *)buf, bufsz, offset);
			offset += str->len + 1;
			g_ptr_array_add(strings, g_string_free(str, FALSE));
		}
		offset += strings->len == 0 ? 2 : 1;
		if (type == FU_DELL_SMBIOS_TYPE_OEM_STRINGS)
			return g_steal_pointer(&strings);
		if (type == FU_DELL_SMBIOS_TYPE_END)
			break;
	}
	return g_ptr_array_new_with_free_func(g_free);
}

/* the OEM strings of a Dell, whose first says "Dell System", else none */
static GPtrArray *
fu_dell_platform_get_dell_oem_strings(FuContext *ctx)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) strings = fu_dell_platform_read_oem_strings(ctx, &error_local);

	if (strings == NULL) {
		g_debug("no OEM strings: %s", error_local->message);
		return g_ptr_array_new_with_free_func(g_free);
	}
	if (strings->len > 0 &&
	    !g_str_has_prefix(g_ptr_array_index(strings, 0), FU_DELL_DELL_SYSTEM))
		g_ptr_array_set_size(strings, 0);
	return g_steal_pointer(&strings);
}

static gboolean
fu_dell_platform_has_dell_oem_string(FuContext *ctx)
{
	g_autoptr(GPtrArray) strings = fu_dell_platform_get_dell_oem_strings(ctx);
	return strings->len > 0;
}

/* string 1 is "Dell System", one of the others "1[xxxx]" in hex */
static gboolean
fu_dell_platform_id_from_oem_strings(FuContext *ctx, guint16 *system_id)
{
	g_autoptr(GPtrArray) strings = fu_dell_platform_get_dell_oem_strings(ctx);

	for (guint i = 1; i < strings->len; i++) {
		const gchar *str = g_ptr_array_index(strings, i);
		g_autofree gchar *hex = NULL;
		guint64 value = 0;
		gsize len = strlen(str);
		if (len <= 3 || !g_str_has_prefix(str, "1[") || str[len - 1] != ']')
			continue;
		hex = g_strndup(str + 2, len - 3);
		if (fu_strtoull(hex, &value, 1, G_MAXUINT16, FU_INTEGER_BASE_16, NULL)) {
			*system_id = (guint16)value;
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean
fu_dell_platform_id_from_d0(FuContext *ctx, guint16 *system_id)
{
	g_autoptr(GPtrArray) tables = NULL;
	GBytes *blob;
	const guint8 *buf;
	gsize bufsz = 0;
	guint8 id;
	g_autoptr(FuStructDellRbuSmbiosD0) st = NULL;

	tables = fu_context_get_smbios_data(
	    ctx, FU_DELL_SMBIOS_TYPE_D0, FU_SMBIOS_STRUCTURE_LENGTH_ANY, NULL);
	if (tables == NULL)
		return FALSE;
	blob = g_ptr_array_index(tables, 0);
	buf = g_bytes_get_data(blob, &bufsz);
	st = fu_struct_dell_rbu_smbios_d0_parse(buf, bufsz, 0x0, NULL);
	if (st == NULL)
		return FALSE;
	id = fu_struct_dell_rbu_smbios_d0_get_system_id(st);
	if (id == FU_DELL_SYSTEM_ID_USE_EXTENSION) {
		g_autoptr(FuStructDellRbuSmbiosD0Ext) st_ext =
		    fu_struct_dell_rbu_smbios_d0_ext_parse(buf, bufsz, 0x0, NULL);
		if (st_ext == NULL)
			return FALSE;
		*system_id = fu_struct_dell_rbu_smbios_d0_ext_get_system_id_ext(st_ext);
	} else {
		*system_id = id;
	}
	return *system_id != 0;
}

static gboolean
fu_dell_platform_mem_has_dell_system(FuContext *ctx, goffset address)
{
	guint8 buf[sizeof(FU_DELL_DELL_SYSTEM) - 1] = {0};
	g_autoptr(GError) error_local = NULL;
	if (!fu_dell_mem_read(ctx, address, buf, sizeof(buf), &error_local)) {
		g_debug("skipping the BIOS memory probe: %s", error_local->message);
		return FALSE;
	}
	return memcmp(buf, FU_DELL_DELL_SYSTEM, sizeof(buf)) == 0;
}

/* legacy BIOSes without Dell SMBIOS data keep an ID structure in the ROM */
static void
fu_dell_platform_copy_version(gchar *dest, const guint8 *buf)
{
	for (guint i = 0; i < 3; i++)
		dest[i] = g_ascii_isalnum(buf[i]) ? (gchar)buf[i] : '\0';
	dest[3] = '\0';
}

static gboolean
fu_dell_platform_id_from_bios_area(FuContext *ctx, guint16 *system_id, gchar *version)
{
	guint8 buf[FU_STRUCT_DELL_RBU_BIOS_ID_AREA_SIZE] = {0};
	guint8 id;
	g_autoptr(FuStructDellRbuBiosIdArea) st = NULL;

	if (!fu_dell_platform_mem_has_dell_system(ctx, FU_DELL_MEM_BIOS_SIGNATURE))
		return FALSE;
	if (!fu_dell_mem_read(ctx, FU_DELL_MEM_BIOS_ID_AREA, buf, sizeof(buf), NULL))
		return FALSE;
	st = fu_struct_dell_rbu_bios_id_area_parse(buf, sizeof(buf), 0x0, NULL);
	if (st == NULL)
		return FALSE;
	id = fu_struct_dell_rbu_bios_id_area_get_system_id(st);
	*system_id = id == FU_DELL_SYSTEM_ID_USE_EXTENSION
			 ? fu_struct_dell_rbu_bios_id_area_get_system_id_ext(st)
			 : id;
	fu_dell_platform_copy_version(version, buf + 2);
	return *system_id != 0;
}

/* the oldest BIOSes: ID byte 0x8C, the BIOS version, then "Dell System",
 * at one of two places */
static gboolean
fu_dell_platform_id_from_diamond(FuContext *ctx, guint16 *system_id, gchar *version)
{
	const goffset bases[] = {0xD8040, 0xDC040};
	for (guint i = 0; i < G_N_ELEMENTS(bases); i++) {
		guint8 buf[4] = {0};
		if (!fu_dell_platform_mem_has_dell_system(ctx, bases[i] + sizeof(buf)))
			continue;
		if (!fu_dell_mem_read(ctx, bases[i], buf, sizeof(buf), NULL) ||
		    buf[0] != FU_DELL_DIAMOND_ID)
			continue;
		*system_id = buf[0];
		fu_dell_platform_copy_version(version, buf + 1);
		return TRUE;
	}
	return FALSE;
}

#define FU_DELL_PLATFORM_ID_KEY "fu-dell-platform-id"

/* the first source that knows wins; memory probes come last, as they need
 * /dev/mem and only the oldest machines need them; found once per context,
 * for both plugins */
gboolean
fu_dell_platform_get_id(FuContext *ctx, FuDellPlatformId *id, GError **error)
{
	const FuDellPlatformId *found = g_object_get_data(G_OBJECT(ctx), FU_DELL_PLATFORM_ID_KEY);

	if (found != NULL) {
		*id = *found;
		return TRUE;
	}
	memset(id, 0, sizeof(*id));
	if (fu_dell_platform_id_from_sku(ctx, &id->system_id))
		id->source = FU_DELL_SYSTEM_ID_SOURCE_SKU;
	else if (fu_dell_platform_id_from_oem_strings(ctx, &id->system_id))
		id->source = FU_DELL_SYSTEM_ID_SOURCE_OEM_STRINGS;
	else if (fu_dell_platform_id_from_d0(ctx, &id->system_id))
		id->source = FU_DELL_SYSTEM_ID_SOURCE_TABLE_D0;
	else if (fu_dell_platform_id_from_bios_area(ctx, &id->system_id, id->probe_version))
		id->source = FU_DELL_SYSTEM_ID_SOURCE_BIOS_ID_AREA;
	else if (fu_dell_platform_id_from_diamond(ctx, &id->system_id, id->probe_version))
		id->source = FU_DELL_SYSTEM_ID_SOURCE_DIAMOND;
	if (id->source == FU_DELL_SYSTEM_ID_SOURCE_NONE) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_FOUND,
				    "no Dell system ID: no SKU, no '1[xxxx]' OEM string, no table "
				    "0xD0 and no legacy BIOS ID area");
		return FALSE;
	}
	g_object_set_data_full(
	    G_OBJECT(ctx), FU_DELL_PLATFORM_ID_KEY, g_memdup2(id, sizeof(*id)), g_free);
	return TRUE;
}

/* SMBIOS type 0, unless the ID came from a BIOS memory area that carries the
 * Dell version itself (the oldest BIOSes fill type 0 with the board's own) */
gchar *
fu_dell_platform_get_bios_version(FuContext *ctx, const FuDellPlatformId *id, GError **error)
{
	const gchar *version;
	if (id != NULL && id->probe_version[0] != '\0')
		return g_strdup(id->probe_version);
	version = fu_context_get_smbios_string(ctx,
					       FU_SMBIOS_STRUCTURE_TYPE_BIOS,
					       FU_SMBIOS_STRUCTURE_LENGTH_ANY,
					       FU_DELL_SMBIOS_OFFSET_BIOS_VERSION,
					       error);
	if (version == NULL) {
		g_prefix_error_literal(error, "no BIOS version in SMBIOS: ");
		return NULL;
	}
	return g_strchomp(g_strdup(version));
}

/* a Dell by its manufacturer (type 1, or type 0 on old BIOSes), or a Dell
 * sold under another name, whose first OEM string still says "Dell System" */
gboolean
fu_dell_platform_check_vendor(FuContext *ctx, GError **error)
{
	const guint8 types[] = {FU_SMBIOS_STRUCTURE_TYPE_SYSTEM, FU_SMBIOS_STRUCTURE_TYPE_BIOS};
	const gchar *seen = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		const gchar *vendor =
		    fu_context_get_smbios_string(ctx,
						 types[i],
						 FU_SMBIOS_STRUCTURE_LENGTH_ANY,
						 FU_DELL_SMBIOS_OFFSET_MANUFACTURER,
						 NULL);
		if (vendor == NULL)
			continue;
		if (fu_dell_platform_vendor_is_dell(vendor))
			return TRUE;
		if (seen == NULL)
			seen = vendor;
	}
	if (fu_dell_platform_has_dell_oem_string(ctx))
		return TRUE;
	if (seen == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_SUPPORTED,
				    "not a Dell system: SMBIOS names no manufacturer");
		return FALSE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_NOT_SUPPORTED,
		    "not a Dell system: SMBIOS manufacturer is '%s' and no OEM string says "
		    "'Dell System'",
		    seen);
	return FALSE;
}
