/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "fu-dell-platform.h"
#include "fu-dell-rbu-common.h"
#include "fu-dell-smi-password.h"
#include "fu-dell-smi-plugin.h"
#include "fu-dell-smi-secret.h"
#include "fu-dell-smi-struct.h"
#include "fu-dell-smi-token.h"
#include "fu-dell-tables.h"

struct FuPluginData {
	FuDellPlatformId id;
	GPtrArray *tokens; /* of FuDellToken */
	gboolean has_key;  /* for this install, while an admin password is set */
	guint32 key;
};
typedef FuPluginData FuDellSmiData;

static void
fu_dell_smi_plugin_constructed(GObject *obj)
{
	/* a module's vfunc: no parent class to chain up to */ /* nocheck:finalize */
	(void)fu_plugin_alloc_data(FU_PLUGIN(obj), sizeof(FuDellSmiData));
}

static void
fu_dell_smi_plugin_destroy(GObject *obj)
{
	FuDellSmiData *self = fu_plugin_get_data(FU_PLUGIN(obj));
	if (self->tokens != NULL)
		g_ptr_array_unref(self->tokens);
}

static void
fu_dell_smi_plugin_to_string(FuPlugin *plugin, guint idt, GString *str)
{
	FuDellSmiData *self = fu_plugin_get_data(plugin);
	fwupd_codec_string_append_hex(str, idt, "SystemId", self->id.system_id);
	fwupd_codec_string_append(
	    str, idt, "SystemIdSource", fu_dell_system_id_source_to_string(self->id.source));
	if (self->tokens != NULL) {
		for (guint16 id = 0x5C; id <= 0x5D; id++) {
			const FuDellToken *token = fu_dell_tables_find_token(self->tokens, id);
			g_autofree gchar *key = g_strdup_printf("Token%04X", id);
			if (token != NULL)
				fwupd_codec_string_append(
				    str, idt, key, fu_dell_token_kind_to_string(token->kind));
		}
	}
}

static gboolean
fu_dell_smi_plugin_startup(FuPlugin *plugin, FuProgress *progress, GError **error)
{
	FuDellSmiData *self = fu_plugin_get_data(plugin);
	FuContext *ctx = fu_plugin_get_context(plugin);
	g_autofree gchar *id_str = NULL;
	g_autoptr(GError) error_local = NULL;

	if (!fu_dell_platform_check_vendor(ctx, error))
		return FALSE;
	if (!fu_dell_platform_get_id(ctx, &self->id, error))
		return FALSE;
	id_str = g_strdup_printf("0x%04x", self->id.system_id);
	fu_plugin_add_report_metadata(plugin, "DellSystemId", id_str);
	self->tokens = fu_dell_tables_get_tokens(ctx, self->id.system_id, &error_local);
	if (self->tokens == NULL)
		g_info("no Dell tokens: %s", error_local->message);
	return TRUE;
}

static const FuDellToken *
fu_dell_smi_plugin_get_token(FuDellSmiData *self, guint16 id, GError **error)
{
	const FuDellToken *token = NULL;
	if (self->tokens != NULL)
		token = fu_dell_tables_find_token(self->tokens, id);
	if (token == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "this BIOS has no token 0x%04X in its Dell tables 0xD4/0xDA",
			    id);
		return NULL;
	}
	return token;
}

static const guint32 *
fu_dell_smi_plugin_get_security_key(FuPlugin *plugin, guint32 *key)
{
	FuDellSmiData *self = fu_plugin_get_data(plugin);
	if (!self->has_key)
		return NULL;
	*key = self->key;
	return key;
}

static void
fu_dell_smi_plugin_forget_key(FuDellSmiData *self)
{
	explicit_bzero(&self->key, sizeof(self->key));
	self->has_key = FALSE;
}

/* the password from AdminPasswordFile, or from AdminPassword, which fwupd
 * itself prints when it loads fwupd.conf with -vv */
static FuDellSmiSecret *
fu_dell_smi_plugin_get_password(FuPlugin *plugin, GError **error)
{
	g_autofree gchar *fn = fu_plugin_get_config_value(plugin, "AdminPasswordFile");
	g_autoptr(FuDellSmiSecret) password = fu_plugin_get_config_value(plugin, "AdminPassword");

	if (fn != NULL && password != NULL) {
		g_set_error_literal(
		    error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_INVALID_DATA,
		    "both AdminPasswordFile and AdminPassword are set in the "
		    "[dell_smi] section of fwupd.conf: keep only AdminPasswordFile");
		return NULL;
	}
	if (fn != NULL)
		return fu_dell_smi_secret_load_file(fn, error);
	if (password == NULL) {
		fu_dell_smi_password_set_missing_error(error);
		return NULL;
	}
	return g_steal_pointer(&password);
}

/* while a BIOS admin password is set, token writes need the key the BIOS
 * gives for it: from the password itself, or given as SecurityKey, which
 * only a keyed write can check */
static gboolean
fu_dell_smi_plugin_ensure_key(FuPlugin *plugin, gboolean *unchecked, GError **error)
{
	FuContext *ctx = fu_plugin_get_context(plugin);
	FuDellSmiData *self = fu_plugin_get_data(plugin);
	const FuDellToken *token =
	    fu_dell_smi_plugin_get_token(self, FU_DELL_TOKEN_RBU_ACTIVATE, error);
	gboolean installed = FALSE;
	guint64 value = 0;
	g_autoptr(FuDellSmiSecret) key_str = NULL;
	g_autoptr(FuDellSmiSecret) password = NULL;

	fu_dell_smi_plugin_forget_key(self);
	*unchecked = FALSE;
	if (token == NULL)
		return FALSE;
	if (!fu_dell_smi_password_installed(ctx, token, &installed, error))
		return FALSE;
	if (!installed)
		return TRUE;
	key_str = fu_plugin_get_config_value(plugin, "SecurityKey");
	if (key_str != NULL) {
		gboolean ok =
		    fu_strtoull(key_str, &value, 0, G_MAXUINT32, FU_INTEGER_BASE_AUTO, error);
		self->key = (guint32)value;
		explicit_bzero(&value, sizeof(value));
		if (!ok) {
			g_prefix_error_literal(
			    error, "SecurityKey in the [dell_smi] section of fwupd.conf: ");
			return FALSE;
		}
		self->has_key = TRUE;
		*unchecked = TRUE;
		return TRUE;
	}
	password = fu_dell_smi_plugin_get_password(plugin, error);
	if (password == NULL)
		return FALSE;
	if (!fu_dell_smi_password_get_key(ctx, token, password, &self->key, error))
		return FALSE;
	self->has_key = TRUE;
	return TRUE;
}

/* set a token, then read it back */
static gboolean
fu_dell_smi_plugin_set_token(
    FuPlugin *plugin, guint16 id, guint16 check_id, gboolean want, GError **error)
{
	FuContext *ctx = fu_plugin_get_context(plugin);
	FuDellSmiData *self = fu_plugin_get_data(plugin);
	const FuDellToken *token = fu_dell_smi_plugin_get_token(self, id, error);
	const FuDellToken *check;
	gboolean active = FALSE;
	guint32 key = 0;

	if (token == NULL)
		return FALSE;
	check = fu_dell_smi_plugin_get_token(self, check_id, error);
	if (check == NULL)
		return FALSE;
	if (!fu_dell_smi_token_activate(
		ctx, self->tokens, token, fu_dell_smi_plugin_get_security_key(plugin, &key), error))
		return FALSE;
	if (!fu_dell_smi_token_is_active(ctx, check, &active, error))
		return FALSE;
	if (active != want) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_WRITE,
			    "token 0x%04X reads %s after setting token 0x%04X",
			    check_id,
			    active ? "active" : "inactive",
			    id);
		return FALSE;
	}
	return TRUE;
}

/* the flag must be reachable before anything is staged */
static gboolean
fu_dell_smi_plugin_check_flag(FuPlugin *plugin, gboolean *active, GError **error)
{
	FuContext *ctx = fu_plugin_get_context(plugin);
	FuDellSmiData *self = fu_plugin_get_data(plugin);
	const FuDellToken *token =
	    fu_dell_smi_plugin_get_token(self, FU_DELL_TOKEN_RBU_ACTIVATE, error);
	if (token == NULL)
		return FALSE;
	if (!fu_dell_smi_token_is_active(ctx, token, active, error)) {
		g_prefix_error_literal(error, "cannot reach the BIOS update flag: ");
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_dell_smi_plugin_composite_prepare(FuPlugin *plugin, GPtrArray *devices, GError **error)
{
	for (guint i = 0; i < devices->len; i++) {
		FuDevice *device = g_ptr_array_index(devices, i);
		gboolean active = FALSE;
		if (!fu_device_has_protocol(device, FU_DELL_RBU_PROTOCOL))
			continue;
		if (!fu_dell_smi_plugin_check_flag(plugin, &active, error))
			return FALSE;
	}
	return TRUE;
}

/* install and install-blob both run the per-device prepare and cleanup, only
 * install the composite ones: the flag is checked and armed per device, and
 * an earlier pending update is cancelled, as staging replaces its image */
static gboolean
fu_dell_smi_plugin_prepare(FuPlugin *plugin,
			   FuDevice *device,
			   FuProgress *progress,
			   FwupdInstallFlags flags,
			   GError **error)
{
	FuDellSmiData *self = fu_plugin_get_data(plugin);
	gboolean active = FALSE;
	gboolean unchecked = FALSE;

	if (!fu_device_has_protocol(device, FU_DELL_RBU_PROTOCOL))
		return TRUE;
	fu_device_set_metadata_boolean(device, FU_DELL_RBU_METADATA_ARMED, FALSE);
	if (!fu_dell_smi_plugin_check_flag(plugin, &active, error))
		return FALSE;
	if (!fu_dell_smi_plugin_ensure_key(plugin, &unchecked, error)) {
		fu_dell_smi_plugin_forget_key(self);
		return FALSE;
	}
	if (!active && !unchecked)
		return TRUE;
	/* the cancel is harmless with nothing pending, and the BIOS refuses a
	 * wrong key for it as it would for the flag */
	if (!fu_dell_smi_plugin_set_token(
		plugin, FU_DELL_TOKEN_RBU_CANCEL, FU_DELL_TOKEN_RBU_ACTIVATE, FALSE, error)) {
		if (unchecked)
			g_prefix_error_literal(error,
					       "the BIOS refused SecurityKey from the [dell_smi] "
					       "section of fwupd.conf: ");
		fu_dell_smi_plugin_forget_key(self);
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_dell_smi_plugin_arm(FuPlugin *plugin, FuDevice *device, GError **error)
{
	if (!fu_dell_smi_plugin_set_token(
		plugin, FU_DELL_TOKEN_RBU_ACTIVATE, FU_DELL_TOKEN_RBU_ACTIVATE, TRUE, error)) {
		g_prefix_error_literal(error,
				       "the image is staged but the update flag is not set: ");
		return FALSE;
	}
	fu_dell_smi_plugin_forget_key(fu_plugin_get_data(plugin));
	fu_device_set_metadata_boolean(device, FU_DELL_RBU_METADATA_ARMED, TRUE);
	return TRUE;
}

/* inside the dell_rbu device's write, as its image is staged whole: fwupd
 * records success only after this, and the write fails if it did not arm */
static void
fu_dell_smi_plugin_staged_notify_cb(FuDevice *device, GParamSpec *pspec, FuPlugin *plugin)
{
	g_autoptr(GError) error_local = NULL;

	if (!fu_device_has_private_flag(device, FU_DELL_RBU_PRIVATE_FLAG_STAGED) ||
	    fu_device_get_metadata_boolean(device, FU_DELL_RBU_METADATA_ARMED))
		return;
	if (!fu_dell_smi_plugin_arm(plugin, device, &error_local))
		fu_device_set_metadata(
		    device, FU_DELL_RBU_METADATA_ARM_ERROR, error_local->message);
}

/* with a BIOS admin password the cancel needs the key as the flag does */
static gboolean
fu_dell_smi_plugin_clear_flag(FuPlugin *plugin, GError **error)
{
	FuDellSmiData *self = fu_plugin_get_data(plugin);
	gboolean unchecked = FALSE;
	gboolean ok;

	ok = fu_dell_smi_plugin_ensure_key(plugin, &unchecked, error) &&
	     fu_dell_smi_plugin_set_token(
		 plugin, FU_DELL_TOKEN_RBU_CANCEL, FU_DELL_TOKEN_RBU_ACTIVATE, FALSE, error);
	fu_dell_smi_plugin_forget_key(self);
	return ok;
}

/* a fwupd started while an update waits for the reboot says so, and the
 * same release is not offered again; a flag left set over nothing is taken
 * back, and dell_rbu, registered after this, frees an image without one */
static void
fu_dell_smi_plugin_device_registered(FuPlugin *plugin, FuDevice *device)
{
	FuDellSmiData *self = fu_plugin_get_data(plugin);
	gboolean active = FALSE;
	g_autoptr(GError) error_local = NULL;

	if (!fu_device_has_protocol(device, FU_DELL_RBU_PROTOCOL))
		return;
	g_signal_connect_object(device,
				"notify::private-flags",
				G_CALLBACK(fu_dell_smi_plugin_staged_notify_cb),
				plugin,
				0);
	if (self->tokens == NULL)
		return;
	if (!fu_dell_smi_plugin_check_flag(plugin, &active, &error_local)) {
		g_info("%s", error_local->message);
		return;
	}
	fu_device_set_metadata_boolean(device, FU_DELL_RBU_METADATA_FLAG_READ, TRUE);
	if (!active)
		return;
	if (fu_device_get_metadata_boolean(device, FU_DELL_RBU_METADATA_STAGED)) {
		g_info("an update is staged and armed: it is flashed on the next warm reboot");
		fu_device_set_metadata_boolean(device, FU_DELL_RBU_METADATA_ARMED, TRUE);
		fu_device_set_update_state(device, FWUPD_UPDATE_STATE_NEEDS_REBOOT);
		fu_device_set_update_message(device, FU_DELL_RBU_STAGED_MESSAGE);
		return;
	}
	if (!fu_dell_smi_plugin_clear_flag(plugin, &error_local)) {
		g_warning("the BIOS update flag is set with nothing staged, and cannot be "
			  "cleared: %s",
			  error_local->message);
		return;
	}
	g_info("the BIOS update flag was set with nothing staged: cleared");
}

/* after a write, which fails unless it armed the flag */
static gboolean
fu_dell_smi_plugin_cleanup(FuPlugin *plugin,
			   FuDevice *device,
			   FuProgress *progress,
			   FwupdInstallFlags flags,
			   GError **error)
{
	if (!fu_device_has_protocol(device, FU_DELL_RBU_PROTOCOL))
		return TRUE;
	fu_dell_smi_plugin_forget_key(fu_plugin_get_data(plugin));
	if (fu_device_get_metadata_boolean(device, FU_DELL_RBU_METADATA_ARMED))
		fu_device_set_update_state(device, FWUPD_UPDATE_STATE_NEEDS_REBOOT);
	return TRUE;
}

/* after all devices: a staged image without the flag is armed, and after a
 * failure the cancel token clears the flag */
static gboolean
fu_dell_smi_plugin_composite_cleanup_devices(FuPlugin *plugin, GPtrArray *devices, GError **error)
{
	for (guint i = 0; i < devices->len; i++) {
		FuDevice *device = g_ptr_array_index(devices, i);
		if (!fu_device_has_protocol(device, FU_DELL_RBU_PROTOCOL))
			continue;
		if (fu_device_get_metadata_boolean(device, FU_DELL_RBU_METADATA_STAGED)) {
			if (fu_device_get_metadata_boolean(device, FU_DELL_RBU_METADATA_ARMED))
				continue;
			if (!fu_dell_smi_plugin_arm(plugin, device, error))
				return FALSE;
			fu_device_set_update_state(device, FWUPD_UPDATE_STATE_NEEDS_REBOOT);
		} else {
			if (!fu_dell_smi_plugin_set_token(plugin,
							  FU_DELL_TOKEN_RBU_CANCEL,
							  FU_DELL_TOKEN_RBU_ACTIVATE,
							  FALSE,
							  error))
				return FALSE;
		}
	}
	return TRUE;
}

static gboolean
fu_dell_smi_plugin_composite_cleanup(FuPlugin *plugin, GPtrArray *devices, GError **error)
{
	gboolean ok = fu_dell_smi_plugin_composite_cleanup_devices(plugin, devices, error);
	fu_dell_smi_plugin_forget_key(fu_plugin_get_data(plugin));
	return ok;
}

static void
fu_dell_smi_plugin_set_vfuncs(FuPluginVfuncs *vfuncs)
{
	vfuncs->constructed = fu_dell_smi_plugin_constructed;
	vfuncs->finalize = fu_dell_smi_plugin_destroy;
	vfuncs->to_string = fu_dell_smi_plugin_to_string;
	vfuncs->startup = fu_dell_smi_plugin_startup;
	vfuncs->device_registered = fu_dell_smi_plugin_device_registered;
	vfuncs->composite_prepare = fu_dell_smi_plugin_composite_prepare;
	vfuncs->prepare = fu_dell_smi_plugin_prepare;
	vfuncs->cleanup = fu_dell_smi_plugin_cleanup;
	vfuncs->composite_cleanup = fu_dell_smi_plugin_composite_cleanup;
}

/* built into fwupd (tests/intree): a FuPlugin subclass, as fwupd's own plugins
 * are; the per-plugin data is allocated by constructed in both forms */
struct _FuDellSmiPlugin {
	FuPlugin parent_instance;
};

G_DEFINE_TYPE(FuDellSmiPlugin, fu_dell_smi_plugin, FU_TYPE_PLUGIN)

static void
fu_dell_smi_plugin_init(FuDellSmiPlugin *self)
{
}

static void
fu_dell_smi_plugin_class_init(FuDellSmiPluginClass *klass)
{
	fu_dell_smi_plugin_set_vfuncs(FU_PLUGIN_CLASS(klass));
}

#ifndef FU_DELL_RBU_IN_TREE
/* a module of the installed fwupd: its loader takes the same vfuncs from here */
void
fu_plugin_init_vfuncs(FuPluginVfuncs *vfuncs)
{
	fu_dell_smi_plugin_set_vfuncs(vfuncs);
}
#endif
