/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#define FU_DELL_RBU_CAB_SITE_METADATA "firmware.xml.gz"

GBytes *fu_dell_rbu_cab_site_sign(const gchar *id,
				  GBytes *data,
				  const gchar *id2,
				  GBytes *data2,
				  GBytes *cert,
				  GBytes *key,
				  GError **error);
gboolean fu_dell_rbu_cab_site_check_signer(GBytes *cert, GBytes *key, GError **error);
gboolean fu_dell_rbu_cab_site_publish(const gchar *dir, GBytes *cert, GBytes *key, GError **error);
