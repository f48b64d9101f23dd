/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-compat.h"
#include "fu-dell-rbu-firmware.h"
#include "fu-dell-rbu-packets-firmware.h"
#include "fu-dell-rbu-struct.h"

/* the smallest .hdr file: its header and trailer */
#define FU_DELL_RBU_HDR_FILE_SIZE_MIN                                                              \
	(FU_STRUCT_DELL_RBU_HDR_SIZE + FU_STRUCT_DELL_RBU_TRAILER_SIZE)

/* bytes is the image the packets carry, a whole .hdr file */
struct _FuDellRbuPacketsFirmware {
	FuFirmware parent_instance;
	guint32 packet_size;
	guint32 set_id;
	guint packet_count;
	/* set by _prepare() */
	GBytes *image;
	guint8 header[FU_STRUCT_DELL_RBU_PACKET_SIZE];
	guint16 header_sum;
};

G_DEFINE_TYPE(FuDellRbuPacketsFirmware, fu_dell_rbu_packets_firmware, FU_TYPE_FIRMWARE)

/* the sum of the little-endian 16-bit words of buf (bufsz even): fu_sum16w()
 * makes a call per word, a third of memcpy's speed over a whole stream */
static guint16
fu_dell_rbu_packets_firmware_sum16(const guint8 *buf, gsize bufsz)
{
	guint32 sum = 0;
	for (gsize i = 0; i + 1 < bufsz; i += 2)
		sum += (guint32)buf[i] | (guint32)buf[i + 1] << 8;
	return (guint16)sum;
}

gboolean
fu_dell_rbu_packets_firmware_set_packet_size(FuDellRbuPacketsFirmware *self,
					     guint32 packet_size,
					     GError **error)
{
	g_return_val_if_fail(FU_IS_DELL_RBU_PACKETS_FIRMWARE(self), FALSE);
	if (packet_size < FU_DELL_RBU_PACKET_SIZE_MIN ||
	    packet_size > FU_DELL_RBU_PACKET_SIZE_MAX ||
	    packet_size % FU_DELL_RBU_PACKET_SIZE_MIN != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "packet size %u is not a multiple of 4 KiB from 4 KiB to %u KiB",
			    packet_size,
			    FU_DELL_RBU_PACKET_SIZE_MAX / 1024);
		return FALSE;
	}
	self->packet_size = packet_size;
	return TRUE;
}

guint32
fu_dell_rbu_packets_firmware_get_packet_size(FuDellRbuPacketsFirmware *self)
{
	g_return_val_if_fail(FU_IS_DELL_RBU_PACKETS_FIRMWARE(self), 0);
	return self->packet_size;
}

void
fu_dell_rbu_packets_firmware_set_set_id(FuDellRbuPacketsFirmware *self, guint32 set_id)
{
	g_return_if_fail(FU_IS_DELL_RBU_PACKETS_FIRMWARE(self));
	self->set_id = set_id;
}

guint32
fu_dell_rbu_packets_firmware_get_set_id(FuDellRbuPacketsFirmware *self)
{
	g_return_val_if_fail(FU_IS_DELL_RBU_PACKETS_FIRMWARE(self), 0);
	return self->set_id;
}

static GBytes *
fu_dell_rbu_packets_firmware_get_image(FuDellRbuPacketsFirmware *self, GError **error)
{
	g_autoptr(FuFirmware) img = fu_firmware_get_image_by_idx(FU_FIRMWARE(self), 0, NULL);
	if (img != NULL)
		return fu_firmware_write(img, error);
	return fu_firmware_get_bytes(FU_FIRMWARE(self), error);
}

/* checks the image fits and makes the header every packet starts from */
gboolean
fu_dell_rbu_packets_firmware_prepare(FuDellRbuPacketsFirmware *self, GError **error)
{
	gsize payloadsz = self->packet_size - FU_STRUCT_DELL_RBU_PACKET_SIZE;
	gsize imgsz;
	g_autoptr(FuStructDellRbuPacket) st = fu_struct_dell_rbu_packet_new();

	g_return_val_if_fail(FU_IS_DELL_RBU_PACKETS_FIRMWARE(self), FALSE);
	g_clear_pointer(&self->image, g_bytes_unref);
	self->image = fu_dell_rbu_packets_firmware_get_image(self, error);
	if (self->image == NULL)
		return FALSE;
	imgsz = g_bytes_get_size(self->image);
	if (imgsz == 0) {
		g_set_error_literal(error, FWUPD_ERROR, FWUPD_ERROR_INVALID_DATA, "image is empty");
		return FALSE;
	}
	if ((imgsz + payloadsz - 1) / payloadsz > FU_DELL_RBU_PACKET_COUNT_MAX - 1) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "an image of %" G_GSIZE_FORMAT
			    " bytes needs more than %u packets of %u bytes; use larger packets",
			    imgsz,
			    (guint)FU_DELL_RBU_PACKET_COUNT_MAX,
			    self->packet_size);
		return FALSE;
	}
	self->packet_count = 1 + (imgsz + payloadsz - 1) / payloadsz;
	fu_struct_dell_rbu_packet_set_pkt_size(st, self->packet_size / 1024);
	fu_struct_dell_rbu_packet_set_pkt_set_id(st, self->set_id);
	fu_struct_dell_rbu_packet_set_tot_pkts(st, self->packet_count);
	if (!fu_memcpy_safe(self->header,
			    sizeof(self->header),
			    0x0,
			    st->buf->data,
			    st->buf->len,
			    0x0,
			    sizeof(self->header),
			    error))
		return FALSE;
	self->header_sum = fu_dell_rbu_packets_firmware_sum16(self->header, sizeof(self->header));
	return TRUE;
}

gsize
fu_dell_rbu_packets_firmware_get_stream_size(FuDellRbuPacketsFirmware *self)
{
	g_return_val_if_fail(FU_IS_DELL_RBU_PACKETS_FIRMWARE(self), 0);
	return (gsize)self->packet_count * self->packet_size;
}

/* packets [first, first + n) into buf, after _prepare() */
static gboolean
fu_dell_rbu_packets_firmware_write_packets(
    FuDellRbuPacketsFirmware *self, guint first, guint n, guint8 *buf, gsize bufsz, GError **error)
{
	const gsize hdrsz = sizeof(self->header);
	const gsize payloadsz = self->packet_size - hdrsz;
	gsize imgsz = 0;
	const guint8 *img = g_bytes_get_data(self->image, &imgsz);

	for (guint i = first; i < first + n; i++) {
		gsize pktoff = (gsize)(i - first) * self->packet_size;
		gsize offset = i == 0 ? 0 : (gsize)(i - 1) * payloadsz;
		gsize chunksz = i == 0 ? 0 : MIN(payloadsz, imgsz - offset);
		guint16 sum;

		if (!fu_memcpy_safe(buf, bufsz, pktoff, self->header, hdrsz, 0x0, hdrsz, error))
			return FALSE;
		if (!fu_memwrite_uint16_safe(buf,
					     bufsz,
					     pktoff + FU_STRUCT_DELL_RBU_PACKET_OFFSET_PKT_NUM,
					     i,
					     G_LITTLE_ENDIAN,
					     error))
			return FALSE;
		if (!fu_memcpy_safe(buf, bufsz, pktoff + hdrsz, img, imgsz, offset, chunksz, error))
			return FALSE;
		memset(buf + pktoff + hdrsz + chunksz, 0, payloadsz - chunksz);
		/* an odd chunk is summed with the zero byte after it */
		sum = self->header_sum + i +
		      fu_dell_rbu_packets_firmware_sum16(buf + pktoff + hdrsz,
							 chunksz + (chunksz & 1));
		if (!fu_memwrite_uint16_safe(buf,
					     bufsz,
					     pktoff + FU_STRUCT_DELL_RBU_PACKET_OFFSET_PKT_CHKSUM,
					     (guint16)(0x10000 - sum),
					     G_LITTLE_ENDIAN,
					     error))
			return FALSE;
	}
	return TRUE;
}

/* the bytes of the stream at offset, whole packets at a time, so that a
 * caller can stream it without holding it all */
gboolean
fu_dell_rbu_packets_firmware_fill(
    FuDellRbuPacketsFirmware *self, gsize offset, guint8 *buf, gsize bufsz, GError **error)
{
	g_return_val_if_fail(FU_IS_DELL_RBU_PACKETS_FIRMWARE(self), FALSE);
	if (self->image == NULL || offset % self->packet_size != 0 ||
	    bufsz % self->packet_size != 0 ||
	    offset + bufsz > fu_dell_rbu_packets_firmware_get_stream_size(self)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INTERNAL,
			    "no whole packets at 0x%x+0x%x of the stream",
			    (guint)offset,
			    (guint)bufsz);
		return FALSE;
	}
	return fu_dell_rbu_packets_firmware_write_packets(
	    self, offset / self->packet_size, bufsz / self->packet_size, buf, bufsz, error);
}

/* the whole stream, through the same _prepare() and _fill() as staging */
static GByteArray *
fu_dell_rbu_packets_firmware_write(FuFirmware *firmware, GError **error)
{
	FuDellRbuPacketsFirmware *self = FU_DELL_RBU_PACKETS_FIRMWARE(firmware);
	g_autoptr(GByteArray) buf = g_byte_array_new();

	if (!fu_dell_rbu_packets_firmware_prepare(self, error))
		return NULL;
	g_byte_array_set_size(buf, fu_dell_rbu_packets_firmware_get_stream_size(self));
	if (!fu_dell_rbu_packets_firmware_fill(self, 0x0, buf->data, buf->len, error))
		return NULL;
	return g_steal_pointer(&buf);
}

static gboolean
fu_dell_rbu_packets_firmware_reserved_zero(FuStructDellRbuPacket *st)
{
	gsize bufsz = 0;
	const guint8 *buf = fu_struct_dell_rbu_packet_get_reserved3(st, &bufsz);

	if (fu_struct_dell_rbu_packet_get_reserved1(st) != 0 ||
	    fu_struct_dell_rbu_packet_get_reserved2(st) != 0)
		return FALSE;
	for (gsize i = 0; i < bufsz; i++) {
		if (buf[i] != 0)
			return FALSE;
	}
	return TRUE;
}

static gboolean
fu_dell_rbu_packets_firmware_check_header(FuStructDellRbuPacket *st,
					  FuStructDellRbuPacket *st_first,
					  guint idx,
					  GError **error)
{
	guint32 pktsz = (guint32)fu_struct_dell_rbu_packet_get_pkt_size(st) * 1024;
	guint32 hdrsz = (guint32)fu_struct_dell_rbu_packet_get_hdr_size(st) * 16;

	if (fu_struct_dell_rbu_packet_get_pkt_ver(st) !=
	    FU_STRUCT_DELL_RBU_PACKET_DEFAULT_PKT_VER) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "packet %u: version is %u, expected %u",
			    idx,
			    fu_struct_dell_rbu_packet_get_pkt_ver(st),
			    (guint)FU_STRUCT_DELL_RBU_PACKET_DEFAULT_PKT_VER);
		return FALSE;
	}
	if (pktsz < FU_DELL_RBU_PACKET_SIZE_MIN || pktsz % FU_DELL_RBU_PACKET_SIZE_MIN != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "packet %u: size is %u KiB, expected a multiple of 4 KiB",
			    idx,
			    pktsz / 1024);
		return FALSE;
	}
	if (hdrsz < FU_STRUCT_DELL_RBU_PACKET_SIZE || hdrsz > FU_DELL_RBU_PACKET_HDR_SIZE_MAX ||
	    hdrsz >= pktsz) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "packet %u: header size is %u bytes, expected 32 to 4096 and less than "
			    "the packet",
			    idx,
			    hdrsz);
		return FALSE;
	}
	if (!fu_dell_rbu_packets_firmware_reserved_zero(st)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "packet %u: reserved header bytes are not zero",
			    idx);
		return FALSE;
	}
	if (fu_struct_dell_rbu_packet_get_pkt_num(st) != idx) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "packet %u: numbered %u",
			    idx,
			    fu_struct_dell_rbu_packet_get_pkt_num(st));
		return FALSE;
	}
	if (st_first == NULL)
		return TRUE;
	if (fu_struct_dell_rbu_packet_get_pkt_set_id(st) !=
	    fu_struct_dell_rbu_packet_get_pkt_set_id(st_first)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "packet %u: set id 0x%08x differs from packet 0's 0x%08x",
			    idx,
			    fu_struct_dell_rbu_packet_get_pkt_set_id(st),
			    fu_struct_dell_rbu_packet_get_pkt_set_id(st_first));
		return FALSE;
	}
	if (fu_struct_dell_rbu_packet_get_tot_pkts(st) !=
	    fu_struct_dell_rbu_packet_get_tot_pkts(st_first)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "packet %u: total count %u differs from packet 0's %u",
			    idx,
			    fu_struct_dell_rbu_packet_get_tot_pkts(st),
			    fu_struct_dell_rbu_packet_get_tot_pkts(st_first));
		return FALSE;
	}
	if (fu_struct_dell_rbu_packet_get_hdr_size(st) !=
	    fu_struct_dell_rbu_packet_get_hdr_size(st_first)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "packet %u: header size differs from packet 0's",
			    idx);
		return FALSE;
	}
	return TRUE;
}

/*
 * The last packet is zero-padded. A .hdr ends with its file CRC-32, stored
 * over everything before it, after the image CRC-32: one of these two dwords
 * holds the file's last non-zero byte (unless both are zero), so the file
 * ends at most 8 bytes after that byte, at the first place where the dword
 * before it is the CRC-32 of everything before that dword.
 */
static gsize
fu_dell_rbu_packets_firmware_find_end(const guint8 *img, gsize imgsz, gsize last_start)
{
	gsize last = imgsz;
	gsize lo;

	while (last > last_start && img[last - 1] == 0)
		last--;
	lo = MAX(MAX(last, last_start + 1), FU_DELL_RBU_HDR_FILE_SIZE_MIN);
	for (gsize n = lo; n <= imgsz && n <= last + FU_STRUCT_DELL_RBU_TRAILER_SIZE; n++) {
		guint32 stored = fu_memread_uint32(img + n - 4, G_LITTLE_ENDIAN);
		if (fu_dell_rbu_firmware_crc(img, n - 4) == stored)
			return n;
	}
	return 0;
}

/* a header: rustgen checks its one constant, the signature */
static FuStructDellRbuPacket *
fu_dell_rbu_packets_firmware_parse_header(
    const guint8 *buf, gsize bufsz, gsize offset, guint idx, GError **error)
{
	g_autoptr(FuStructDellRbuPacket) st = NULL;
	g_autoptr(GError) error_local = NULL;

	/* too short: rustgen's error says so */
	if (offset > bufsz || bufsz - offset < FU_STRUCT_DELL_RBU_PACKET_SIZE)
		return fu_struct_dell_rbu_packet_parse(buf, bufsz, offset, error);
	st = fu_struct_dell_rbu_packet_parse(buf, bufsz, offset, &error_local);
	if (st == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "packet %u: signature is wrong: %s",
			    idx,
			    error_local->message);
		return NULL;
	}
	return g_steal_pointer(&st);
}

static gboolean
fu_dell_rbu_packets_firmware_parse(FuFirmware *firmware,
				   GInputStream *stream,
				   FuFirmwareParseFlags flags,
				   GError **error)
{
	FuDellRbuPacketsFirmware *self = FU_DELL_RBU_PACKETS_FIRMWARE(firmware);
	const guint8 *buf;
	gsize bufsz = 0;
	gsize offset;
	gsize payloadsz;
	gsize imgsz = 0;
	gsize last_start = 0;
	gsize end;
	guint count;
	g_autofree guint8 *img = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GBytes) image = NULL;
	g_autoptr(FuStructDellRbuPacket) st_first = NULL;

	if (!fu_input_stream_size(stream, &bufsz, error))
		return FALSE;
	blob = fu_input_stream_read_bytes(stream, 0x0, bufsz, NULL, error);
	if (blob == NULL)
		return FALSE;
	buf = g_bytes_get_data(blob, &bufsz);

	st_first = fu_dell_rbu_packets_firmware_parse_header(buf, bufsz, 0x0, 0, error);
	if (st_first == NULL)
		return FALSE;
	if (!fu_dell_rbu_packets_firmware_check_header(st_first, NULL, 0, error))
		return FALSE;
	count = fu_struct_dell_rbu_packet_get_tot_pkts(st_first);
	if (count < 2) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "total packet count is %u, expected packet 0 and at least one more",
			    count);
		return FALSE;
	}

	/* packet 0 may differ in size from the rest, which must all be equal */
	offset = (gsize)fu_struct_dell_rbu_packet_get_pkt_size(st_first) * 1024;
	payloadsz = 0;
	img = g_malloc(bufsz);
	for (guint i = 0; i < count; i++) {
		gsize pktoff = i == 0 ? 0 : offset + (gsize)(i - 1) * self->packet_size;
		gsize pktsz;
		gsize hdrsz;
		g_autoptr(FuStructDellRbuPacket) st = NULL;

		st = fu_dell_rbu_packets_firmware_parse_header(buf, bufsz, pktoff, i, error);
		if (st == NULL) {
			g_prefix_error(error, "packet %u of %u: ", i, count);
			return FALSE;
		}
		if (!fu_dell_rbu_packets_firmware_check_header(st, st_first, i, error))
			return FALSE;
		pktsz = (gsize)fu_struct_dell_rbu_packet_get_pkt_size(st) * 1024;
		hdrsz = (gsize)fu_struct_dell_rbu_packet_get_hdr_size(st) * 16;
		if (i == 1) {
			self->packet_size = pktsz;
			payloadsz = pktsz - hdrsz;
		} else if (i > 1 && pktsz != self->packet_size) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_FILE,
				    "packet %u: size is %u KiB, packet 1 has %u KiB",
				    i,
				    (guint)(pktsz / 1024),
				    self->packet_size / 1024);
			return FALSE;
		}
		if (pktoff + pktsz > bufsz) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_FILE,
				    "packet %u of %u is cut short: the stream has %" G_GSIZE_FORMAT
				    " bytes, the packet ends at %" G_GSIZE_FORMAT,
				    i,
				    count,
				    bufsz,
				    pktoff + pktsz);
			return FALSE;
		}
		if ((flags & FU_FIRMWARE_PARSE_FLAG_IGNORE_CHECKSUM) == 0 &&
		    fu_dell_rbu_packets_firmware_sum16(buf + pktoff, pktsz) != 0) {
			g_set_error(
			    error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "packet %u: checksum 0x%04x does not make the packet sum to zero",
			    i,
			    fu_struct_dell_rbu_packet_get_pkt_chksum(st));
			return FALSE;
		}
		if (i == 0)
			continue;
		last_start = imgsz;
		if (!fu_memcpy_safe(
			img, bufsz, imgsz, buf, bufsz, pktoff + hdrsz, payloadsz, error))
			return FALSE;
		imgsz += payloadsz;
	}
	if (offset + (gsize)(count - 1) * self->packet_size != bufsz) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "stream has %" G_GSIZE_FORMAT
			    " bytes, %u packets take %" G_GSIZE_FORMAT,
			    bufsz,
			    count,
			    offset + (gsize)(count - 1) * self->packet_size);
		return FALSE;
	}

	end = fu_dell_rbu_packets_firmware_find_end(img, imgsz, last_start);
	if (end == 0) {
		if ((flags & FU_FIRMWARE_PARSE_FLAG_IGNORE_CHECKSUM) == 0) {
			g_set_error_literal(
			    error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_FILE,
			    "no .hdr file CRC-32 ends the image in the last packet");
			return FALSE;
		}
		end = imgsz;
	}
	self->set_id = fu_struct_dell_rbu_packet_get_pkt_set_id(st_first);
	self->packet_count = count;
	image = g_bytes_new_take(g_steal_pointer(&img), end);
	fu_firmware_set_bytes(firmware, image);
	return TRUE;
}

static void
fu_dell_rbu_packets_firmware_export(FuFirmware *firmware,
				    FuFirmwareExportFlags flags,
				    XbBuilderNode *bn)
{
	FuDellRbuPacketsFirmware *self = FU_DELL_RBU_PACKETS_FIRMWARE(firmware);
	fu_xmlb_builder_insert_kx(bn, "packet_size", self->packet_size);
	fu_xmlb_builder_insert_kx(bn, "set_id", self->set_id);
	fu_xmlb_builder_insert_kx(bn, "packet_count", self->packet_count);
}

static gboolean
fu_dell_rbu_packets_firmware_build(FuFirmware *firmware, XbNode *n, GError **error)
{
	FuDellRbuPacketsFirmware *self = FU_DELL_RBU_PACKETS_FIRMWARE(firmware);
	const gchar *tmp;

	tmp = xb_node_query_text(n, "packet_size", NULL);
	if (tmp != NULL) {
		guint64 v = 0;
		if (!fu_strtoull(tmp, &v, 0, G_MAXUINT32, FU_INTEGER_BASE_AUTO, error))
			return FALSE;
		if (!fu_dell_rbu_packets_firmware_set_packet_size(self, (guint32)v, error))
			return FALSE;
	}
	tmp = xb_node_query_text(n, "set_id", NULL);
	if (tmp != NULL) {
		guint64 v = 0;
		if (!fu_strtoull(tmp, &v, 0, G_MAXUINT32, FU_INTEGER_BASE_AUTO, error))
			return FALSE;
		self->set_id = (guint32)v;
	}
	return TRUE;
}

static void
fu_dell_rbu_packets_firmware_init(FuDellRbuPacketsFirmware *self)
{
	self->packet_size = FU_DELL_RBU_PACKET_SIZE_DEFAULT;
	self->set_id = FU_DELL_RBU_PACKET_SET_ID_DEFAULT;
	fu_firmware_add_flag(FU_FIRMWARE(self), FU_FIRMWARE_FLAG_HAS_CHECKSUM);
	fu_dell_compat_firmware_set_limits(
	    FU_FIRMWARE(self), 1, FU_DELL_RBU_PACKETS_FIRMWARE_SIZE_MAX);
}

static void
fu_dell_rbu_packets_firmware_finalize(GObject *object)
{
	FuDellRbuPacketsFirmware *self = FU_DELL_RBU_PACKETS_FIRMWARE(object);
	if (self->image != NULL)
		g_bytes_unref(self->image);
	G_OBJECT_CLASS(fu_dell_rbu_packets_firmware_parent_class)->finalize(object);
}

static void
fu_dell_rbu_packets_firmware_class_init(FuDellRbuPacketsFirmwareClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	FuFirmwareClass *firmware_class = FU_FIRMWARE_CLASS(klass);
	object_class->finalize = fu_dell_rbu_packets_firmware_finalize;
	firmware_class->parse = fu_dell_rbu_packets_firmware_parse;
	firmware_class->write = fu_dell_rbu_packets_firmware_write;
	firmware_class->export = fu_dell_rbu_packets_firmware_export;
	firmware_class->build = fu_dell_rbu_packets_firmware_build;
	fu_dell_compat_firmware_class_set_limits(
	    firmware_class, 1, FU_DELL_RBU_PACKETS_FIRMWARE_SIZE_MAX);
}

FuFirmware *
fu_dell_rbu_packets_firmware_new(void)
{
	return FU_FIRMWARE(g_object_new(FU_TYPE_DELL_RBU_PACKETS_FIRMWARE, NULL));
}
