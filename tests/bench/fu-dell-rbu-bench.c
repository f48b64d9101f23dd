/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>
#include <stdio.h>
#include <stdlib.h>

#include "fu-dell-builder.h"
#include "fu-dell-rbu-firmware.h"
#include "fu-dell-rbu-packets-firmware.h"

#define BENCH_IMAGE_SIZE (32u * 1024 * 1024)
#define BENCH_RUNS	 7

static GBytes *
fu_bench_make_image(void)
{
	g_autofree gchar *xml = g_strdup_printf("<firmware gtype=\"FuDellRbuFirmware\">"
						"<version>A01</version>"
						"<systems><entry>0x0852</entry></systems>"
						"<rom size=\"0x%x\"/></firmware>",
						BENCH_IMAGE_SIZE - 92);
	g_autoptr(FuFirmware) firmware = fu_dell_rbu_firmware_new();
	g_autoptr(GError) error = NULL;
	GBytes *blob;

	if (!fu_dell_builder_build(xml, firmware, &error))
		g_error("%s", error->message);
	blob = fu_firmware_write(firmware, &error);
	if (blob == NULL)
		g_error("%s", error->message);
	return blob;
}

static gint
fu_bench_cmp_double(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
	return (x > y) - (x < y);
}

static gdouble
fu_bench_median(gdouble *values, guint n)
{
	qsort(values, n, sizeof(gdouble), (GCompareFunc)fu_bench_cmp_double);
	return values[n / 2];
}

/* the whole stream through the plugin's own staging path, _prepare() and
 * _fill(), into one fresh buffer; or through fu_firmware_write() */
static GBytes *
fu_bench_layout(GBytes *image, guint32 packet_size, gboolean generic)
{
	g_autoptr(FuFirmware) packets = fu_dell_rbu_packets_firmware_new();
	FuDellRbuPacketsFirmware *self = FU_DELL_RBU_PACKETS_FIRMWARE(packets);
	g_autoptr(GError) error = NULL;
	GBytes *stream;
	gsize streamsz;
	guint8 *buf;

	fu_firmware_set_bytes(packets, image);
	if (!fu_dell_rbu_packets_firmware_set_packet_size(self, packet_size, &error))
		g_error("%s", error->message);
	if (generic) {
		stream = fu_firmware_write(packets, &error);
		if (stream == NULL)
			g_error("%s", error->message);
		return stream;
	}
	if (!fu_dell_rbu_packets_firmware_prepare(self, &error))
		g_error("%s", error->message);
	streamsz = fu_dell_rbu_packets_firmware_get_stream_size(self);
	buf = g_malloc(streamsz);
	if (!fu_dell_rbu_packets_firmware_fill(self, 0x0, buf, streamsz, &error))
		g_error("%s", error->message);
	return g_bytes_new_take(buf, streamsz);
}

/* memcpy into a fresh buffer, as the layout writes into a fresh buffer */
static gdouble
fu_bench_time_memcpy(GBytes *image)
{
	gsize sz = 0;
	const guint8 *src = g_bytes_get_data(image, &sz);
	gint64 start = g_get_monotonic_time();
	guint8 *dst = g_malloc(sz);
	memcpy(dst, src, sz);
	__asm__ volatile("" : : "r"(dst) : "memory");
	g_free(dst);
	return (g_get_monotonic_time() - start) / 1e6;
}

static gdouble
fu_bench_time_layout(GBytes *image, guint32 packet_size, gboolean generic)
{
	gint64 start = g_get_monotonic_time();
	g_autoptr(GBytes) stream = fu_bench_layout(image, packet_size, generic);
	return (g_get_monotonic_time() - start) / 1e6;
}

/* the parse every install does: header, both CRCs, trailer */
static gdouble
fu_bench_time_parse(GBytes *image)
{
	g_autoptr(FuFirmware) firmware = fu_dell_rbu_firmware_new();
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();
	if (!fu_firmware_parse_bytes(firmware, image, 0x0, FU_FIRMWARE_PARSE_FLAG_NONE, &error))
		g_error("%s", error->message);
	return (g_get_monotonic_time() - start) / 1e6;
}

static glong
fu_bench_status_kib(const gchar *key)
{
	g_autofree gchar *status = NULL;
	const gchar *line;
	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
		return -1;
	line = strstr(status, key);
	if (line == NULL)
		return -1;
	return atol(line + strlen(key) + 1);
}

/* start a new peak at the current resident size */
static void
fu_bench_reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	if (f == NULL || fputs("5", f) < 0 || fclose(f) != 0)
		g_error("cannot reset the peak RSS through /proc/self/clear_refs");
}

static void
fu_bench_throughput(GBytes *image)
{
	guint32 sizes[] = {0x1000, 0x10000, 0x100000};
	gdouble mb = g_bytes_get_size(image) / 1e6;
	gdouble memcpy_s[BENCH_RUNS];
	gdouble memcpy_med;

	for (guint i = 0; i < BENCH_RUNS; i++)
		memcpy_s[i] = fu_bench_time_memcpy(image);
	memcpy_med = fu_bench_median(memcpy_s, BENCH_RUNS);
	g_print("| memcpy, fresh buffer | %.1f MB | %.2f ms | %.0f MB/s | 1.00 |\n",
		mb,
		memcpy_med * 1e3,
		mb / memcpy_med);
	{
		gdouble parse_s[BENCH_RUNS];
		gdouble med;
		for (guint i = 0; i < BENCH_RUNS; i++)
			parse_s[i] = fu_bench_time_parse(image);
		med = fu_bench_median(parse_s, BENCH_RUNS);
		g_print("| .hdr parse with both CRCs | %.1f MB | %.2f ms | %.0f MB/s | %.2f |\n",
			mb,
			med * 1e3,
			mb / med,
			memcpy_med / med);
	}
	for (guint j = 0; j < G_N_ELEMENTS(sizes) * 2; j++) {
		gboolean generic = j >= G_N_ELEMENTS(sizes);
		guint32 size = sizes[j % G_N_ELEMENTS(sizes)];
		gdouble layout_s[BENCH_RUNS];
		gdouble med;
		for (guint i = 0; i < BENCH_RUNS; i++)
			layout_s[i] = fu_bench_time_layout(image, size, generic);
		med = fu_bench_median(layout_s, BENCH_RUNS);
		g_print(
		    "| packet layout, %u KiB packets%s | %.1f MB | %.2f ms | %.0f MB/s | %.2f |\n",
		    size / 1024,
		    generic ? ", through fu_firmware_write()" : "",
		    mb,
		    med * 1e3,
		    mb / med,
		    memcpy_med / med);
	}
}

/* peak RSS of one layout beyond the image itself, in image sizes */
static void
fu_bench_rss(GBytes *image, gboolean generic)
{
	glong before;
	glong peak;
	g_autoptr(GBytes) stream = NULL;

	fu_bench_reset_peak();
	before = fu_bench_status_kib("VmRSS:");
	stream = fu_bench_layout(image, 0x1000, generic);
	peak = fu_bench_status_kib("VmHWM:");
	g_print("| peak RSS growth of a 4 KiB packet layout%s | %ld KiB | %.2f image copies |\n",
		generic ? ", through fu_firmware_write()" : "",
		peak - before,
		(peak - before) * 1024.0 / g_bytes_get_size(image));
}

int
main(int argc, char **argv)
{
	g_autoptr(GBytes) image = NULL;

	g_log_set_default_handler((GLogFunc)g_log_default_handler, NULL);
	image = fu_bench_make_image();
	if (argc > 1 && g_strcmp0(argv[1], "--rss") == 0) {
		fu_bench_rss(image, FALSE);
		return 0;
	}
	if (argc > 1 && g_strcmp0(argv[1], "--rss-generic") == 0) {
		fu_bench_rss(image, TRUE);
		return 0;
	}
	g_print("Packet layout of a %u MiB .hdr, median of %u runs\n\n",
		BENCH_IMAGE_SIZE / (1024 * 1024),
		(guint)BENCH_RUNS);
	g_print("| what | size | time | throughput | ratio to memcpy |\n|---|---|---|---|---|\n");
	fu_bench_throughput(image);
	return 0;
}
