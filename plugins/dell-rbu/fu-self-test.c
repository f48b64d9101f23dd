/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * nocheck:magic-inlines=130
 */

#include "config.h"

#include <fwupdplugin.h>

#include "fu-dell-builder.h"
#include "fu-dell-rbu-firmware.h"
#include "fu-dell-rbu-packets-firmware.h"
#include "fu-dell-rbu-version.h"

/* a failed check, with what was expected */
#define fu_test_fail(...)                                                                          \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_test_message(__VA_ARGS__); /* nocheck:blocked */                                 \
		g_assert_not_reached();                                                            \
	}                                                                                          \
	G_STMT_END

#define A09	  "system_bios_0x1028_0x0152_version_a09.hdr"
#define A10	  "system_bios_0x1028_0x0152_version_a10.hdr"
#define MLB208	  "MLB-000208.HDR"
#define MLB209	  "MLB-000209.HDR"
#define REAL_SIZE 1048668

static const gchar *real_images[] = {A09, A10, MLB208, MLB209, NULL};

static GBytes *
fu_test_load(const gchar *name)
{
	g_autofree gchar *fn = g_build_filename(SHARED_TESTDATA, "hdr", name, NULL);
	g_autoptr(GError) error = NULL;
	GBytes *blob = fu_bytes_get_contents(fn, &error);
	g_assert_no_error(error);
	g_assert_nonnull(blob);
	return blob;
}

static FuFirmware *
fu_test_parse_hdr(GBytes *blob, FuFirmwareParseFlags flags, GError **error)
{
	g_autoptr(FuFirmware) firmware = fu_dell_rbu_firmware_new();
	if (!fu_firmware_parse_bytes(firmware, blob, 0x0, flags, error))
		return NULL;
	return g_steal_pointer(&firmware);
}

static void
fu_test_real_images_func(void)
{
	struct {
		const gchar *name;
		guint major, minor;
		const gchar *version;
		guint16 ids[4];
		guint n_ids;
	} expect[] = {
	    {A09, 1, 0, "A09", {0x152}, 1},
	    {A10, 1, 0, "A10", {0x152}, 1},
	    {MLB208, 2, 1, "0.2.8", {0x1B1, 0x1B2, 0x1B3, 0x1B8}, 4},
	    {MLB209, 2, 1, "0.2.9", {0x1BB}, 1},
	};
	for (guint i = 0; i < G_N_ELEMENTS(expect); i++) {
		g_autoptr(GBytes) blob = fu_test_load(expect[i].name);
		g_autoptr(GError) error = NULL;
		g_autoptr(FuFirmware) firmware = fu_test_parse_hdr(blob, 0, &error);
		g_autoptr(GArray) ids = NULL;
		g_autoptr(GBytes) payload = NULL;
		g_autofree gchar *xml = NULL;
		g_autofree gchar *major_str =
		    g_strdup_printf("<header_major_ver>0x%x<", expect[i].major);
		g_autofree gchar *minor_str =
		    g_strdup_printf("<header_minor_ver>0x%x<", expect[i].minor);

		g_assert_no_error(error);
		g_assert_nonnull(firmware);
		g_assert_cmpstr(fu_firmware_get_version(firmware), ==, expect[i].version);
		ids = fu_dell_rbu_firmware_get_system_ids(FU_DELL_RBU_FIRMWARE(firmware));
		g_assert_cmpint(ids->len, ==, expect[i].n_ids);
		for (guint j = 0; j < expect[i].n_ids; j++) {
			g_assert_cmpint(g_array_index(ids, guint16, j), ==, expect[i].ids[j]);
			g_assert_true(fu_dell_rbu_firmware_has_system_id(
			    FU_DELL_RBU_FIRMWARE(firmware), expect[i].ids[j]));
		}
		g_assert_false(
		    fu_dell_rbu_firmware_has_system_id(FU_DELL_RBU_FIRMWARE(firmware), 0x1234));
		payload = fu_firmware_get_bytes(firmware, &error);
		g_assert_no_error(error);
		g_assert_cmpint(g_bytes_get_size(payload), ==, REAL_SIZE);
		xml = fu_firmware_export_to_xml(firmware, FU_FIRMWARE_EXPORT_FLAG_NONE, &error);
		g_assert_no_error(error);
		g_assert_nonnull(strstr(xml, major_str));
		/* fwupd leaves zero-valued keys out of exports */
		if (expect[i].minor != 0)
			g_assert_nonnull(strstr(xml, minor_str));
		g_assert_nonnull(strstr(xml, "system_id=\"0x01"));
	}
}

static void
fu_test_round_trip_func(void)
{
	for (guint i = 0; real_images[i] != NULL; i++) {
		g_autoptr(GBytes) blob = fu_test_load(real_images[i]);
		g_autoptr(GError) error = NULL;
		g_autoptr(FuFirmware) firmware = fu_test_parse_hdr(blob, 0, &error);
		g_autoptr(FuFirmware) firmware2 = fu_dell_rbu_firmware_new();
		g_autoptr(GBytes) written = NULL;
		g_autoptr(GBytes) rebuilt = NULL;
		g_autofree gchar *xml = NULL;

		g_assert_no_error(error);
		written = fu_firmware_write(firmware, &error);
		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(written, blob));

		xml = fu_firmware_export_to_xml(
		    firmware, FU_FIRMWARE_EXPORT_FLAG_INCLUDE_DEBUG, &error);
		g_assert_no_error(error);
		g_assert_true(fu_dell_builder_build(xml, firmware2, &error));
		g_assert_no_error(error);
		rebuilt = fu_firmware_write(firmware2, &error);
		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(rebuilt, blob));
	}
}

static void
fu_test_build_func(void)
{
	const gchar *xml = "<firmware gtype=\"FuDellRbuFirmware\">\n"
			   "  <header_major_ver>2</header_major_ver>\n"
			   "  <header_minor_ver>1</header_minor_ver>\n"
			   "  <version>1.4.2</version>\n"
			   "  <quick_check>Copyright 2026 Test</quick_check>\n"
			   "  <systems><entry>0x0852</entry><entry>0x08bb</entry></systems>\n"
			   "  <rom size=\"0x2000\"/>\n"
			   "</firmware>\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(FuFirmware) built = fu_dell_rbu_firmware_new();
	g_autoptr(FuFirmware) parsed = NULL;
	g_autoptr(GBytes) blob = NULL;

	g_assert_true(fu_dell_builder_build(xml, built, &error));
	g_assert_no_error(error);
	blob = fu_firmware_write(built, &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_bytes_get_size(blob), ==, 84 + 0x2000 + 8);
	parsed = fu_test_parse_hdr(blob, 0, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(fu_firmware_get_version(parsed), ==, "1.4.2");
	g_assert_true(fu_dell_rbu_firmware_has_system_id(FU_DELL_RBU_FIRMWARE(parsed), 0x152));
	g_assert_true(fu_dell_rbu_firmware_has_system_id(FU_DELL_RBU_FIRMWARE(parsed), 0x1BB));
}

/* each type names the largest stream it parses (fwupd 2.1's own builds insist) */
static void
fu_test_size_max_func(void)
{
	g_autoptr(FuFirmware) hdr = fu_dell_rbu_firmware_new();
	g_autoptr(FuFirmware) packets = fu_dell_rbu_packets_firmware_new();

	g_assert_cmpuint(fu_firmware_get_size_max(hdr), ==, FU_DELL_RBU_FIRMWARE_SIZE_MAX);
	g_assert_cmpuint(
	    fu_firmware_get_size_max(packets), ==, FU_DELL_RBU_PACKETS_FIRMWARE_SIZE_MAX);
}

/* builder XML that describes no writable header is refused by build() */
static void
fu_test_build_refused_func(void)
{
	struct {
		const gchar *fields;
		const gchar *fragment;
	} cases[] = {
	    {"<header_length>0x10</header_length><rom size=\"0x1000\"/>",
	     "header_length is 0x10, the $RBU header needs at least 0x54"},
	    {"<header_length>0x53</header_length><rom>AAEC</rom>", "header_length is 0x53"},
	    {"<num_systems>0</num_systems><rom size=\"0x10\"/>", "num_systems is 0"},
	    {"<num_systems>13</num_systems><rom size=\"0x10\"/>", "num_systems is 13"},
	    {"<version>A100</version>", "version 'A100' is longer than the 3 characters"},
	    {"<header_major_ver>2</header_major_ver><version>1.2</version>",
	     "version '1.2' is not three dotted numbers"},
	    {"<quick_check>" /* 41 characters */
	     "Copyright 2004 Dell Computer Corporation!</quick_check>",
	     "is longer than 40 characters"},
	    {"<rom size=\"0x8000001\"/>", "invalid <rom size>"},
	    {"<rom>gc=</rom>", "the ROM image is empty"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *xml = g_strdup_printf(
		    "<firmware gtype=\"FuDellRbuFirmware\">%s</firmware>", cases[i].fields);
		g_autoptr(FuFirmware) firmware = fu_dell_rbu_firmware_new();
		g_autoptr(GError) error = NULL;
		g_assert_false(fu_dell_builder_build(xml, firmware, &error));
		g_assert_nonnull(error);
		if (strstr(error->message, cases[i].fragment) == NULL)
			fu_test_fail("expected '%s' in '%s'", cases[i].fragment, error->message);
	}
}

static GBytes *
fu_test_modified(GBytes *blob, gsize offset, guint8 xor_mask, guint8 set_value, gboolean set)
{
	gsize bufsz = 0;
	const guint8 *buf = g_bytes_get_data(blob, &bufsz);
	guint8 *copy = g_memdup2(buf, bufsz);
	if (set)
		copy[offset] = set_value;
	else
		copy[offset] ^= xor_mask;
	return g_bytes_new_take(copy, bufsz);
}

static void
fu_test_expect_error(GBytes *blob, FuFirmwareParseFlags flags, const gchar *fragment)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuFirmware) firmware = fu_test_parse_hdr(blob, flags, &error);
	g_assert_null(firmware);
	g_assert_nonnull(error);
	if (strstr(error->message, fragment) == NULL)
		fu_test_fail("expected '%s' in '%s'", fragment, error->message);
}

/* the image CRC-32 message for bytes [hdrsz, bufsz - 8) and the stored dword
 * at bufsz - 8, worked out with fwupd's CRC rather than the plugin's */
static gchar *
fu_test_crc_message(const gchar *what, const guint8 *buf, gsize start, gsize end, gsize stored_at)
{
	guint32 computed =
	    fu_crc32(FU_CRC_KIND_B32_STANDARD, buf + start, end - start) ^ 0xFFFFFFFF;
	return g_strdup_printf("%s CRC-32 is 0x%08x but the trailer stores 0x%08x",
			       what,
			       computed,
			       fu_memread_uint32(buf + stored_at, G_LITTLE_ENDIAN));
}

/* truncations past each check in turn: the size, the declared header
 * length, the image CRC, the file CRC */
static void
fu_test_corrupt_truncated(GBytes *blob)
{
	const guint8 *buf = g_bytes_get_data(blob, NULL);
	gsize cuts[] = {93, 4096, REAL_SIZE / 2, REAL_SIZE - 8, REAL_SIZE - 5, REAL_SIZE - 1};

	/* 92 bytes hold the header and a trailer, but no image */
	{
		g_autoptr(GBytes) cut = g_bytes_new_from_bytes(blob, 0, 92);
		fu_test_expect_error(
		    cut, 0, "file of 92 bytes has no ROM image after its 84-byte header");
	}

	/* a header that declares 0xF0 bytes: cuts above the 92-byte minimum that
	 * still hold no image after it, then one that does */
	{
		g_autoptr(GBytes) longer = fu_test_modified(blob, 0x04, 0, 0xF0, TRUE);
		gsize short_cuts[] = {92, 0x80, 0xF0, 0xF0 + 8};
		g_autoptr(GBytes) cut = g_bytes_new_from_bytes(longer, 0, 0xF0 + 9);
		g_autofree gchar *msg = NULL;
		for (guint i = 0; i < G_N_ELEMENTS(short_cuts); i++) {
			g_autoptr(GBytes) cut_short =
			    g_bytes_new_from_bytes(longer, 0, short_cuts[i]);
			g_autofree gchar *msg_short =
			    g_strdup_printf("file of %u bytes has no ROM image after its "
					    "240-byte header and before its 8-byte trailer",
					    (guint)short_cuts[i]);
			fu_test_expect_error(cut_short, 0, msg_short);
		}
		msg =
		    g_strdup_printf("the file is %u bytes and its image CRC-32 fails: a Dell .hdr "
				    "is its 240-byte header, an image of whole KiB and an "
				    "8-byte trailer, so at least %u bytes here",
				    (guint)(0xF0 + 9),
				    (guint)(0xF0 + 1024 + 8));
		fu_test_expect_error(cut, 0, msg);
	}

	/* cut inside the image or the trailer: truncated, with the size it needs */
	for (guint i = 0; i < G_N_ELEMENTS(cuts); i++) {
		g_autoptr(GBytes) cut = g_bytes_new_from_bytes(blob, 0, cuts[i]);
		g_autofree gchar *msg = g_strdup_printf(
		    "the file is %u bytes and its image CRC-32 fails: a Dell .hdr is its 84-byte "
		    "header, an image of whole KiB and an 8-byte trailer, so at least %u bytes "
		    "here; the file is truncated, download it from Dell again",
		    (guint)cuts[i],
		    (guint)(84 + fu_common_align_up(cuts[i] - 92, FU_FIRMWARE_ALIGNMENT_1K) + 8));
		fu_test_expect_error(cut, 0, msg);
	}

	/* cut at a whole KiB of image it cannot be told from a corrupt image:
	 * the image CRC, with both values */
	{
		gsize cut_kib = REAL_SIZE - 1024;
		g_autoptr(GBytes) cut = g_bytes_new_from_bytes(blob, 0, cut_kib);
		g_autofree gchar *msg =
		    fu_test_crc_message("image", buf, 84, cut_kib - 8, cut_kib - 8);
		fu_test_expect_error(cut, 0, msg);
		fu_test_expect_error(cut, 0, "the file is corrupt");
	}

	/* a cut image given a new image CRC but the old file CRC: only the file
	 * CRC finds it */
	{
		gsize imgsz = 0x1000;
		g_autoptr(GByteArray) cut = g_byte_array_new();
		g_autoptr(GBytes) cut_blob = NULL;
		g_autofree gchar *msg = NULL;
		g_byte_array_append(cut, buf, 84 + imgsz);
		fu_byte_array_append_uint32(cut,
					    fu_crc32(FU_CRC_KIND_B32_STANDARD, buf + 84, imgsz) ^
						0xFFFFFFFF,
					    G_LITTLE_ENDIAN);
		g_byte_array_append(cut, buf + REAL_SIZE - 4, 4);
		cut_blob = g_bytes_new(cut->data, cut->len);
		msg = fu_test_crc_message("file", cut->data, 0, cut->len - 4, cut->len - 4);
		fu_test_expect_error(cut_blob, 0, msg);
	}
}

static void
fu_test_corrupt_func(void)
{
	g_autoptr(GBytes) blob = fu_test_load(A09);
	g_autoptr(GBytes) bad = fu_test_load("bad_hdr.hdr");
	gsize field_offsets[] = {1, 4, 5, 6, 7, 8, 0x30, 0x33, 0x34, 0x35, 0x3A, 0x3C, 84, 91};
	struct {
		gsize offset;
		guint8 value;
		const gchar *fragment;
	} values[] = {
	    {0x03, 'T', "signature is '$RBT'"},
	    {0x04, 83, "header length is 83"},
	    {0x04, 0x00, "header length is 0"},
	    {0x07, 0, "numSystems is 0"},
	    {0x07, 13, "numSystems is 13"},
	};

	fu_test_expect_error(bad, 0, "signature is '$RBT'");
	fu_test_expect_error(bad, FU_FIRMWARE_PARSE_FLAG_IGNORE_CHECKSUM, "signature is '$RBT'");

	/* truncated inside every header field: the size check */
	for (guint i = 0; i < G_N_ELEMENTS(field_offsets); i++) {
		g_autoptr(GBytes) cut = g_bytes_new_from_bytes(blob, 0, field_offsets[i]);
		g_autofree gchar *msg = g_strdup_printf(
		    "file size is %u bytes, a .hdr needs at least 92", (guint)field_offsets[i]);
		fu_test_expect_error(cut, 0, msg);
	}
	fu_test_corrupt_truncated(blob);

	/* wrong values */
	for (guint i = 0; i < G_N_ELEMENTS(values); i++) {
		g_autoptr(GBytes) mod =
		    fu_test_modified(blob, values[i].offset, 0, values[i].value, TRUE);
		fu_test_expect_error(mod, 0, values[i].fragment);
	}

	/* bit flips: header -> file CRC, image -> image CRC, each trailer dword */
	{
		struct {
			gsize offset;
			const gchar *fragment;
		} flips[] = {
		    {0x10, "file CRC-32"},
		    {0x30, "file CRC-32"},
		    {0x3C, "file CRC-32"},
		    {84, "image CRC-32"},
		    {84 + 0xFFFF0, "image CRC-32"},
		    {REAL_SIZE - 9, "image CRC-32"},
		    {REAL_SIZE - 8, "image CRC-32"},
		    {REAL_SIZE - 1, "file CRC-32"},
		};
		for (guint i = 0; i < G_N_ELEMENTS(flips); i++) {
			g_autoptr(GBytes) mod =
			    fu_test_modified(blob, flips[i].offset, 0x01, 0, FALSE);
			g_autoptr(GError) error = NULL;
			g_autoptr(FuFirmware) lenient = NULL;
			fu_test_expect_error(mod, 0, flips[i].fragment);
			lenient =
			    fu_test_parse_hdr(mod, FU_FIRMWARE_PARSE_FLAG_IGNORE_CHECKSUM, &error);
			g_assert_no_error(error);
			g_assert_nonnull(lenient);
		}
	}
}

/* how fwupd itself is to compare the versions of each style */
static void
fu_test_version_format_func(void)
{
	struct {
		const gchar *version;
		FwupdVersionFormat format;
	} cases[] = {
	    {"A09", FWUPD_VERSION_FORMAT_PLAIN},
	    {"X10", FWUPD_VERSION_FORMAT_PLAIN},
	    {"2.1.15", FWUPD_VERSION_FORMAT_TRIPLET},
	    {"1.0.21", FWUPD_VERSION_FORMAT_TRIPLET},
	    {"99.2.9", FWUPD_VERSION_FORMAT_TRIPLET},
	    {"2.1", FWUPD_VERSION_FORMAT_PLAIN},
	    {"2.1.x", FWUPD_VERSION_FORMAT_PLAIN},
	    {"2..1", FWUPD_VERSION_FORMAT_PLAIN},
	    {NULL, FWUPD_VERSION_FORMAT_PLAIN},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		g_assert_cmpint(fu_dell_rbu_version_format(cases[i].version), ==, cases[i].format);
	/* in its format fwupd orders them as Dell does */
	g_assert_cmpint(fu_version_compare("2.1.15", "2.1.9", FWUPD_VERSION_FORMAT_TRIPLET), >, 0);
	g_assert_cmpint(fu_version_compare("A10", "A09", FWUPD_VERSION_FORMAT_PLAIN), >, 0);
}

static void
fu_test_version_func(void)
{
	struct {
		const gchar *newer;
		const gchar *older;
	} order[] = {
	    /* facts 5.1, the C++ unit tests */
	    {"a10", "a09"},
	    {"a10", "x09"},
	    {"x09", "p09"},
	    {"P01", "Q00"},
	    {"U00", "T01"},
	    {"Z00", "Y01"},
	    {"A10", "A09"},
	    {"a01", "z99"},
	    {"x01", "q99"},
	    /* by number, where plain string order would say A9 */
	    {"A10", "A9"},
	    /* dotted beats letters */
	    {"3.2.1", "A01"},
	    {"0.2.9", "a10"},
	    /* engineering majors lose to any release major */
	    {"0.2.8", "99.2.4"},
	    {"0.2.8", "90.0.0"},
	    {"89.0.0", "90.9.9"},
	    {"99.2.9", "99.2.4"},
	    {"0.2.9", "0.2.8"},
	    {"1.10.0", "1.9.9"},
	    {"2.0.0", "1.99.99"},
	    {"1.2.1", "1.2"},
	    /* unknown versions and the leaked 49.0.48 builds never win */
	    {"A01", "unknown"},
	    {"0.0.1", "49.0.48"},
	    {"A01", ""},
	};
	const gchar *equal[][2] = {
	    {"A09", "a09"},
	    {"1.2", "1.2.0"},
	    {"1.2.3junk", "1.2.3"},
	    {"0.2.9 ", "0.2.9"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(order); i++) {
		if (fu_dell_rbu_version_compare(order[i].newer, order[i].older) != 1 ||
		    fu_dell_rbu_version_compare(order[i].older, order[i].newer) != -1)
			fu_test_fail("expected %s newer than %s", order[i].newer, order[i].older);
	}
	for (guint i = 0; i < G_N_ELEMENTS(equal); i++)
		g_assert_cmpint(fu_dell_rbu_version_compare(equal[i][0], equal[i][1]), ==, 0);
}

static guint16
fu_test_sum16(const guint8 *buf, gsize bufsz)
{
	guint32 sum = 0;
	for (gsize i = 0; i + 1 < bufsz; i += 2)
		sum += fu_memread_uint16(buf + i, G_LITTLE_ENDIAN);
	return (guint16)sum;
}

static GBytes *
fu_test_packets(GBytes *image, guint32 packet_size, guint32 set_id, GError **error)
{
	g_autoptr(FuFirmware) packets = fu_dell_rbu_packets_firmware_new();
	fu_firmware_set_bytes(packets, image);
	if (!fu_dell_rbu_packets_firmware_set_packet_size(
		FU_DELL_RBU_PACKETS_FIRMWARE(packets), packet_size, error))
		return NULL;
	fu_dell_rbu_packets_firmware_set_set_id(FU_DELL_RBU_PACKETS_FIRMWARE(packets), set_id);
	return fu_firmware_write(packets, error);
}

static void
fu_test_packet_vector_func(void)
{
	const guint8 pkt0[] = {0x24, 0x52, 0x50, 0x4B, 0x04, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
			       0x00, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x04, 0x01, 0x01, 0x00,
			       0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xD5, 0xF8};
	g_autoptr(GBytes) image = fu_test_load(A09);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) stream = fu_test_packets(image, 0x1000, 0x12345678, &error);
	const guint8 *buf;
	const guint8 *img = g_bytes_get_data(image, NULL);
	gsize bufsz = 0;
	const guint8 *last;

	g_assert_no_error(error);
	buf = g_bytes_get_data(stream, &bufsz);
	g_assert_cmpint(bufsz, ==, 260 * 4096);
	g_assert_cmpmem(buf, sizeof(pkt0), pkt0, sizeof(pkt0));
	for (guint i = 32; i < 4096; i++)
		g_assert_cmpint(buf[i], ==, 0);
	for (guint i = 0; i < 260; i++) {
		const guint8 *pkt = buf + (gsize)i * 4096;
		g_assert_cmpint(fu_test_sum16(pkt, 4096), ==, 0);
		g_assert_cmpint(fu_memread_uint16(pkt + 0x10, G_LITTLE_ENDIAN), ==, i);
		g_assert_cmpint(fu_memread_uint16(pkt + 0x12, G_LITTLE_ENDIAN), ==, 260);
	}
	/* the last packet carries 156 bytes, then zeros */
	last = buf + 259 * 4096;
	g_assert_cmpmem(last + 32, 156, img + REAL_SIZE - 156, 156);
	for (guint i = 32 + 156; i < 4096; i++)
		g_assert_cmpint(last[i], ==, 0);
}

static void
fu_test_packet_round_trip_func(void)
{
	guint32 sizes[] = {0x1000, 0x2000, 0x10000, 0x40000, 0x100000};
	for (guint i = 0; real_images[i] != NULL; i++) {
		g_autoptr(GBytes) image = fu_test_load(real_images[i]);
		for (guint j = 0; j < G_N_ELEMENTS(sizes); j++) {
			g_autoptr(GError) error = NULL;
			g_autoptr(GBytes) stream =
			    fu_test_packets(image, sizes[j], 0xCAFE0000 + j, &error);
			g_autoptr(FuFirmware) parsed = fu_dell_rbu_packets_firmware_new();
			g_autoptr(GBytes) back = NULL;
			g_assert_no_error(error);
			g_assert_true(fu_firmware_parse_bytes(parsed, stream, 0x0, 0, &error));
			g_assert_no_error(error);
			back = fu_firmware_get_bytes(parsed, &error);
			g_assert_no_error(error);
			g_assert_true(g_bytes_equal(back, image));
			g_assert_cmpint(fu_dell_rbu_packets_firmware_get_packet_size(
					    FU_DELL_RBU_PACKETS_FIRMWARE(parsed)),
					==,
					sizes[j]);
			g_assert_cmpint(fu_dell_rbu_packets_firmware_get_set_id(
					    FU_DELL_RBU_PACKETS_FIRMWARE(parsed)),
					==,
					0xCAFE0000 + j);
		}
	}
}

static void
fu_test_packet_expect_error(GBytes *stream, const gchar *fragment)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FuFirmware) parsed = fu_dell_rbu_packets_firmware_new();
	g_assert_false(fu_firmware_parse_bytes(parsed, stream, 0x0, 0, &error));
	g_assert_nonnull(error);
	if (strstr(error->message, fragment) == NULL)
		fu_test_fail("expected '%s' in '%s'", fragment, error->message);
}

static GBytes *
fu_test_packet_patch(GBytes *stream, gsize offset, guint16 value, gboolean fix_checksum)
{
	gsize bufsz = 0;
	const guint8 *data = g_bytes_get_data(stream, &bufsz);
	guint8 *buf = g_memdup2(data, bufsz);
	gsize pkt = offset - (offset % 4096);
	fu_memwrite_uint16(buf + offset, value, G_LITTLE_ENDIAN);
	if (fix_checksum) {
		fu_memwrite_uint16(buf + pkt + 0x1E, 0, G_LITTLE_ENDIAN);
		fu_memwrite_uint16(buf + pkt + 0x1E,
				   (guint16)(0x10000 - fu_test_sum16(buf + pkt, 4096)),
				   G_LITTLE_ENDIAN);
	}
	return g_bytes_new_take(buf, bufsz);
}

/* truncations past each check in turn: packet 0's header, a later packet's
 * header, a packet's body, and the .hdr end inside the last packet */
static void
fu_test_packet_truncated(GBytes *image, GBytes *stream)
{
	struct {
		gsize len;
		const gchar *fragment;
	} cuts[] = {
	    {16, "attempted to read 0x20 bytes from buffer of 0x10"},
	    {4096 * 5,
	     "packet 5 of 260: invalid struct FuStructDellRbuPacket: attempted to read "
	     "0x20 bytes at offset 0x5000 from buffer of 0x5000"},
	    {4096 * 5 + 16,
	     "packet 5 of 260: invalid struct FuStructDellRbuPacket: attempted to "
	     "read 0x20 bytes at offset 0x5000 from buffer of 0x5010"},
	    {4096 * 5 + 32,
	     "packet 5 of 260 is cut short: the stream has 20512 bytes, the packet "
	     "ends at 24576"},
	    {4096 * 259 + 100,
	     "packet 259 of 260 is cut short: the stream has 1060964 bytes, the packet ends at "
	     "1064960"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cuts); i++) {
		g_autoptr(GBytes) cut = g_bytes_new_from_bytes(stream, 0, cuts[i].len);
		fu_test_packet_expect_error(cut, cuts[i].fragment);
	}

	/* the last packet dropped and the count made 259 in every header: whole
	 * packets, but no .hdr ends in them */
	{
		gsize bufsz = 4096 * 259;
		guint8 *buf = g_memdup2(g_bytes_get_data(stream, NULL), bufsz);
		g_autoptr(GBytes) fewer = NULL;
		for (guint i = 0; i < 259; i++) {
			guint8 *pkt = buf + (gsize)i * 4096;
			fu_memwrite_uint16(pkt + 0x12, 259, G_LITTLE_ENDIAN);
			fu_memwrite_uint16(pkt + 0x1E, 0, G_LITTLE_ENDIAN);
			fu_memwrite_uint16(pkt + 0x1E,
					   (guint16)(0x10000 - fu_test_sum16(pkt, 4096)),
					   G_LITTLE_ENDIAN);
		}
		fewer = g_bytes_new_take(buf, bufsz);
		fu_test_packet_expect_error(
		    fewer, "no .hdr file CRC-32 ends the image in the last packet");
	}

	/* the packets of a .hdr that lost its trailer */
	{
		g_autoptr(GBytes) cut = g_bytes_new_from_bytes(image, 0, REAL_SIZE - 8);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) packets = fu_test_packets(cut, 0x1000, 0x12345678, &error);
		g_assert_no_error(error);
		fu_test_packet_expect_error(
		    packets, "no .hdr file CRC-32 ends the image in the last packet");
	}
}

static void
fu_test_packet_corrupt_func(void)
{
	g_autoptr(GBytes) image = fu_test_load(A10);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) stream = fu_test_packets(image, 0x1000, 0x12345678, &error);
	struct {
		gsize offset;
		guint16 value;
		gboolean fix;
		const gchar *fragment;
	} patches[] = {
	    {0x0000, 0x2425, TRUE, "packet 0: signature"},
	    {4096 * 3 + 0x10, 7, TRUE, "packet 3: numbered 7"},
	    {4096 * 5 + 0x0C, 0x1111, TRUE, "packet 5: set id 0x12341111"},
	    {4096 * 6 + 0x12, 200, TRUE, "packet 6: total count 200"},
	    {4096 * 7 + 0x04, 8, TRUE, "packet 7: size is 8 KiB"},
	    {4096 * 8 + 0x04, 3, TRUE, "packet 8: size is 3 KiB"},
	    {4096 * 9 + 0x08, 1, TRUE, "packet 9: header size is 16"},
	    {4096 * 9 + 0x06, 1, TRUE, "packet 9: reserved"},
	    {4096 * 10 + 0x14, 2, TRUE, "packet 10: version is 2"},
	    {4096 * 11 + 0x100, 0xBEEF, FALSE, "packet 11: checksum"},
	    {4096 * 0 + 0x100, 0xBEEF, FALSE, "packet 0: checksum"},
	};
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(patches); i++) {
		g_autoptr(GBytes) bad = fu_test_packet_patch(
		    stream, patches[i].offset, patches[i].value, patches[i].fix);
		fu_test_packet_expect_error(bad, patches[i].fragment);
	}
	fu_test_packet_truncated(image, stream);
	{
		g_autoptr(GBytes) extra = NULL;
		g_autoptr(GByteArray) longer = g_byte_array_new();
		fu_byte_array_append_bytes(longer, stream);
		fu_byte_array_set_size(longer, longer->len + 4096, 0x00);
		extra = g_bytes_new(longer->data, longer->len);
		fu_test_packet_expect_error(extra, "260 packets take");
	}
}

static void
fu_test_packet_limits_func(void)
{
	guint32 bad_sizes[] = {0, 0x800, 0x1800, 0x4000000, 0x4001000, G_MAXUINT32};
	gsize too_big = (gsize)(0xFFFF - 1) * (0x1000 - 32) + 1;
	g_autoptr(FuFirmware) packets = fu_dell_rbu_packets_firmware_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) huge = g_bytes_new_take(g_malloc0(too_big), too_big);
	g_autoptr(GBytes) stream = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(bad_sizes); i++) {
		g_autoptr(GError) error_local = NULL;
		g_assert_false(fu_dell_rbu_packets_firmware_set_packet_size(
		    FU_DELL_RBU_PACKETS_FIRMWARE(packets), bad_sizes[i], &error_local));
		g_assert_nonnull(strstr(error_local->message, "not a multiple of 4 KiB"));
	}
	g_assert_true(fu_dell_rbu_packets_firmware_set_packet_size(
	    FU_DELL_RBU_PACKETS_FIRMWARE(packets), FU_DELL_RBU_PACKET_SIZE_MAX, &error));
	g_assert_no_error(error);

	g_assert_true(fu_dell_rbu_packets_firmware_set_packet_size(
	    FU_DELL_RBU_PACKETS_FIRMWARE(packets), 0x1000, &error));
	fu_firmware_set_bytes(packets, huge);
	stream = fu_firmware_write(packets, &error);
	g_assert_null(stream);
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, "needs more than 65535 packets"));
}

/* packet idx of the stream, made byte by byte from the packet facts and not
 * with the plugin's code: header, data slice, zero padding, checksum */
static void
fu_test_reference_packet(GBytes *image, guint32 pktsz, guint32 set_id, guint idx, guint8 *pkt)
{
	gsize imgsz = 0;
	const guint8 *img = g_bytes_get_data(image, &imgsz);
	gsize payload = pktsz - 32;
	guint count = 1 + (guint)((imgsz + payload - 1) / payload);
	guint32 sum = 0;
	guint16 csum;

	memset(pkt, 0, pktsz);
	memcpy(pkt, "$RPK", 4); /* nocheck:blocked */
	pkt[0x04] = (guint8)((pktsz / 1024) & 0xFF);
	pkt[0x05] = (guint8)((pktsz / 1024) >> 8);
	pkt[0x08] = 32 / 16;
	for (guint b = 0; b < 4; b++)
		pkt[0x0C + b] = (guint8)(set_id >> (8 * b));
	pkt[0x10] = (guint8)(idx & 0xFF);
	pkt[0x11] = (guint8)(idx >> 8);
	pkt[0x12] = (guint8)(count & 0xFF);
	pkt[0x13] = (guint8)(count >> 8);
	pkt[0x14] = 1;
	if (idx > 0) {
		gsize start = (gsize)(idx - 1) * payload;
		for (gsize j = 0; j < payload && start + j < imgsz; j++)
			pkt[32 + j] = img[start + j];
	}
	for (gsize j = 0; j < pktsz; j += 2)
		sum += (guint32)pkt[j] | ((guint32)pkt[j + 1] << 8);
	csum = (guint16)((0x10000 - (sum & 0xFFFF)) & 0xFFFF);
	pkt[0x1E] = (guint8)(csum & 0xFF);
	pkt[0x1F] = (guint8)(csum >> 8);
}

/* every packet of a chunk filled at offset off is the reference packet */
static void
fu_test_check_chunk(GBytes *image,
		    guint32 pktsz,
		    gsize off,
		    const guint8 *buf,
		    gsize len,
		    guint8 *ref,
		    guint k,
		    guint chunk)
{
	for (gsize p = 0; p < len; p += pktsz) {
		guint i = (guint)((off + p) / pktsz);
		fu_test_reference_packet(image, pktsz, 0x1234ABCD, i, ref);
		if (memcmp(buf + p, ref, pktsz) != 0)
			fu_test_fail("image %u, %u-byte packets, %u at a time: packet %u differs "
				     "from the reference",
				     k,
				     pktsz,
				     chunk,
				     i);
	}
}

/* streams checked packet by packet against the reference: whole (the layout
 * of firmware-convert) and a chunk at a time (what staging streams), for an
 * even and an odd image size and two packet sizes */
static void
fu_test_packet_fill_func(void)
{
	g_autoptr(GBytes) real = fu_test_load(MLB208);
	g_autoptr(GBytes) odd = NULL;
	GBytes *images[] = {real, NULL};
	guint32 sizes[] = {0x1000, 0x3000};
	guint chunks[] = {1, 3, 16};
	{
		gsize oddsz = 100001;
		guint8 *buf = g_malloc(oddsz);
		for (gsize j = 0; j < oddsz; j++)
			buf[j] = (guint8)((j * 2654435761u) >> 13);
		odd = g_bytes_new_take(buf, oddsz);
		images[1] = odd;
	}
	for (guint k = 0; k < G_N_ELEMENTS(images); k++) {
		for (guint s = 0; s < G_N_ELEMENTS(sizes); s++) {
			guint32 pktsz = sizes[s];
			gsize imgsz = g_bytes_get_size(images[k]);
			guint count = 1 + (guint)((imgsz + pktsz - 33) / (pktsz - 32));
			g_autofree guint8 *ref = g_malloc(pktsz);
			g_autoptr(GError) error = NULL;
			g_autoptr(GBytes) stream =
			    fu_test_packets(images[k], pktsz, 0x1234ABCD, &error);
			const guint8 *whole;
			gsize wholesz = 0;

			g_assert_no_error(error);
			whole = g_bytes_get_data(stream, &wholesz);
			g_assert_cmpint(wholesz, ==, (gsize)count * pktsz);
			for (guint i = 0; i < count; i++) {
				fu_test_reference_packet(images[k], pktsz, 0x1234ABCD, i, ref);
				if (memcmp(whole + (gsize)i * pktsz, ref, pktsz) != 0)
					fu_test_fail("image %u, %u-byte packets: packet %u of the "
						     "layout differs from the reference",
						     k,
						     pktsz,
						     i);
			}
			for (guint c = 0; c < G_N_ELEMENTS(chunks); c++) {
				g_autoptr(FuFirmware) packets = fu_dell_rbu_packets_firmware_new();
				FuDellRbuPacketsFirmware *self =
				    FU_DELL_RBU_PACKETS_FIRMWARE(packets);
				gsize chunksz = (gsize)chunks[c] * pktsz;
				g_autofree guint8 *buf = g_malloc(chunksz);
				gsize total;

				fu_firmware_set_bytes(packets, images[k]);
				g_assert_true(fu_dell_rbu_packets_firmware_set_packet_size(
				    self, pktsz, &error));
				fu_dell_rbu_packets_firmware_set_set_id(self, 0x1234ABCD);
				g_assert_true(fu_dell_rbu_packets_firmware_prepare(self, &error));
				g_assert_no_error(error);
				total = fu_dell_rbu_packets_firmware_get_stream_size(self);
				g_assert_cmpint(total, ==, (gsize)count * pktsz);
				for (gsize off = 0; off < total; off += chunksz) {
					gsize len = MIN(chunksz, total - off);
					g_assert_true(fu_dell_rbu_packets_firmware_fill(
					    self, off, buf, len, &error));
					g_assert_no_error(error);
					fu_test_check_chunk(
					    images[k], pktsz, off, buf, len, ref, k, chunks[c]);
				}
				g_assert_false(fu_dell_rbu_packets_firmware_fill(
				    self, 100, buf, pktsz, &error));
				g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INTERNAL);
				g_clear_error(&error);
				g_assert_false(fu_dell_rbu_packets_firmware_fill(
				    self, total, buf, pktsz, &error));
				g_assert_error(error, FWUPD_ERROR, FWUPD_ERROR_INTERNAL);
				g_clear_error(&error);
			}
		}
	}
}

int
main(int argc, char **argv)
{
	(void)g_setenv("G_TEST_SRCDIR", SHARED_TESTDATA, FALSE);
	g_test_init(&argc, &argv, NULL);
	g_log_set_fatal_mask(NULL, G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
	g_test_add_func("/dell-rbu/firmware/real-images", fu_test_real_images_func);
	g_test_add_func("/dell-rbu/firmware/round-trip", fu_test_round_trip_func);
	g_test_add_func("/dell-rbu/firmware/build", fu_test_build_func);
	g_test_add_func("/dell-rbu/firmware/build-refused", fu_test_build_refused_func);
	g_test_add_func("/dell-rbu/firmware/size-max", fu_test_size_max_func);
	g_test_add_func("/dell-rbu/firmware/corrupt", fu_test_corrupt_func);
	g_test_add_func("/dell-rbu/version", fu_test_version_func);
	g_test_add_func("/dell-rbu/version-format", fu_test_version_format_func);
	g_test_add_func("/dell-rbu/packets/vector", fu_test_packet_vector_func);
	g_test_add_func("/dell-rbu/packets/round-trip", fu_test_packet_round_trip_func);
	g_test_add_func("/dell-rbu/packets/corrupt", fu_test_packet_corrupt_func);
	g_test_add_func("/dell-rbu/packets/limits", fu_test_packet_limits_func);
	g_test_add_func("/dell-rbu/packets/fill", fu_test_packet_fill_func);
	return g_test_run();
}
