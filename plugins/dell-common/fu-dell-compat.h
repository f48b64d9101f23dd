/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* the differences between the fwupd versions the plugins build against */

#if !FWUPD_CHECK_VERSION(2, 1, 1)
#include <zlib.h>
#endif

/* CRC-32 without its final XOR (JAMCRC), at zlib's speed: fu_crc32() is
 * bitwise, and fu_crc32_fast() (zlib's crc32_z) arrived in fwupd 2.1.1 */
static inline guint32
fu_dell_compat_crc32_jamcrc(const guint8 *buf, gsize bufsz)
{
#if FWUPD_CHECK_VERSION(2, 1, 1)
	return fu_crc32_fast(buf, bufsz, 0) ^ 0xFFFFFFFF;
#else
	return (guint32)crc32_z(0, buf, bufsz) ^ 0xFFFFFFFF;
#endif
}
