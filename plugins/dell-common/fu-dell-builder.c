/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-builder.h"

/* builder XML (a <firmware> element) into FIRMWARE, as fwupdtool firmware-build
 * does; for the tests, the benchmark and the fuzzers, on every fwupd (2.1 no
 * longer has fu_firmware_build_from_xml) */
gboolean
fu_dell_builder_build(const gchar *xml, FuFirmware *firmware, GError **error)
{
	g_autoptr(XbBuilder) builder = xb_builder_new();
	g_autoptr(XbBuilderSource) source = xb_builder_source_new();
	g_autoptr(XbNode) root = NULL;
	g_autoptr(XbSilo) silo = NULL;

	if (!xb_builder_source_load_xml(source, xml, XB_BUILDER_SOURCE_FLAG_NONE, error)) {
		g_prefix_error_literal(error, "builder XML does not parse: ");
		fwupd_error_convert(error);
		return FALSE;
	}
	xb_builder_import_source(builder, source);
	silo = xb_builder_compile(builder, XB_BUILDER_COMPILE_FLAG_NONE, NULL, error);
	if (silo == NULL) {
		fwupd_error_convert(error);
		return FALSE;
	}
	root = xb_silo_query_first(silo, "firmware", error);
	if (root == NULL) {
		g_prefix_error_literal(error, "builder XML has no <firmware>: ");
		fwupd_error_convert(error);
		return FALSE;
	}
	return fu_firmware_build(firmware, root, error);
}
