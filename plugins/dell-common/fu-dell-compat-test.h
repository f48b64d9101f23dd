/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

/* the self-tests' side of fu-dell-compat.h: a context of their own, pointed at
 * an emulated sysfs; plugins never load or repoint the daemon's context */

#include "fu-context-private.h"
#include "fu-dell-compat.h"

/* for self-tests: KIND is PATH from now on, in CTX (2.1) or the environment
 * (2.0); the defaults are loaded first so that loading CTX keeps PATH */
static inline void
fu_dell_compat_set_path(FuContext *ctx, FuPathKind kind, const gchar *path)
{
#if FU_DELL_COMPAT_FWUPD_2_1
	fu_path_store_load_defaults(fu_context_get_path_store(ctx));
	fu_context_set_path(ctx, kind, path);
#else
	const gchar *env = kind == FU_PATH_KIND_SYSFSDIR	    ? "FWUPD_SYSFSDIR"
			   : kind == FU_PATH_KIND_SYSFSDIR_FW	    ? "FWUPD_SYSFSFWDIR"
			   : kind == FU_PATH_KIND_SYSFSDIR_SECURITY ? "FWUPD_SYSFSSECURITYDIR"
			   : kind == FU_PATH_KIND_DEVFS		    ? "FWUPD_DEVFS"
								    : NULL;
	g_assert_nonnull(env);
	g_setenv(env, path, TRUE);
#endif
}

/* the SMBIOS tables of the context's FWUPD_SYSFSFWDIR, loaded; 2.1 would also
 * write its quirks database below /var, which parallel self-tests lock */
static inline gboolean
fu_dell_compat_context_load_smbios(FuContext *ctx, FuProgress *progress, GError **error)
{
#if FU_DELL_COMPAT_FWUPD_2_1
	fu_context_add_flag(ctx, FU_CONTEXT_FLAG_NO_CACHE);
	return fu_context_load(ctx,
			       progress,
			       FU_CONTEXT_LOAD_FLAG_HWID_SMBIOS |
				   FU_CONTEXT_LOAD_FLAG_PATH_STORE_DEFAULTS |
				   FU_CONTEXT_LOAD_FLAG_PATH_STORE_ENV,
			       error);
#else
	return fu_context_load_hwinfo(ctx, progress, FU_CONTEXT_HWID_FLAG_LOAD_SMBIOS, error);
#endif
}
