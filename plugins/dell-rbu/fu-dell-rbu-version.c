/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "fu-dell-rbu-version.h"

/* Dell BIOS versions are either a letter and a number ("A09": A = release,
 * X = test, P = pre-release) or dotted numbers ("1.2.3", majors 90-99 being
 * engineering builds). See the plugin README for how the libsmbios tools
 * disagree and what is followed here. */

static gboolean
fu_dell_rbu_version_never_newer(const gchar *version)
{
	/* unparsable headers, and engineering builds released with a bad version */
	return version[0] == '\0' || g_strcmp0(version, "unknown") == 0 ||
	       g_strcmp0(version, "49.0.48") == 0;
}

static gint
fu_dell_rbu_version_letter_rank(gchar letter)
{
	if (letter == 'a')
		return 3;
	if (letter == 'x')
		return 2;
	if (letter == 'p')
		return 1;
	return 0;
}

static gboolean
fu_dell_rbu_version_is_number(const gchar *str)
{
	if (*str == '\0')
		return FALSE;
	for (const gchar *p = str; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p))
			return FALSE;
	}
	return TRUE;
}

static gint
fu_dell_rbu_version_cmp_uint(guint64 a, guint64 b)
{
	return (a > b) - (a < b);
}

/* the number the string starts with, ignoring what follows; 0 if none, and
 * G_MAXUINT64 if it is too large */
static guint64
fu_dell_rbu_version_leading_number(const gchar *str)
{
	guint64 value = 0;
	g_autofree gchar *digits = g_strndup(str, strspn(str, "0123456789"));
	if (digits[0] == '\0')
		return 0;
	if (!fu_strtoull(digits, &value, 0, G_MAXUINT64, FU_INTEGER_BASE_10, NULL))
		return G_MAXUINT64;
	return value;
}

static gint
fu_dell_rbu_version_compare_letter(const gchar *v1, const gchar *v2)
{
	gint rank1 = fu_dell_rbu_version_letter_rank(v1[0]);
	gint rank2 = fu_dell_rbu_version_letter_rank(v2[0]);

	if (v1[0] == v2[0]) {
		if (fu_dell_rbu_version_is_number(v1 + 1) && fu_dell_rbu_version_is_number(v2 + 1))
			return fu_dell_rbu_version_cmp_uint(
			    fu_dell_rbu_version_leading_number(v1 + 1),
			    fu_dell_rbu_version_leading_number(v2 + 1));
		return CLAMP(g_strcmp0(v1 + 1, v2 + 1), -1, 1);
	}
	if (rank1 != rank2)
		return rank1 > rank2 ? 1 : -1;
	return v1[0] > v2[0] ? 1 : -1;
}

static void
fu_dell_rbu_version_split(const gchar *version, guint64 parts[3])
{
	const gchar *p = version;
	for (guint i = 0; i < 3; i++) {
		parts[i] = 0;
		if (p == NULL)
			continue;
		parts[i] = fu_dell_rbu_version_leading_number(p);
		p = strchr(p, '.');
		if (p != NULL)
			p++;
	}
}

static gboolean
fu_dell_rbu_version_is_engineering(guint64 major)
{
	return major >= 90 && major <= 99;
}

static gint
fu_dell_rbu_version_compare_dotted(const gchar *v1, const gchar *v2)
{
	guint64 p1[3] = {0};
	guint64 p2[3] = {0};
	gboolean eng1, eng2;

	fu_dell_rbu_version_split(v1, p1);
	fu_dell_rbu_version_split(v2, p2);
	eng1 = fu_dell_rbu_version_is_engineering(p1[0]);
	eng2 = fu_dell_rbu_version_is_engineering(p2[0]);
	if (eng1 != eng2 && (p1[0] < 90 || p2[0] < 90))
		return eng1 ? -1 : 1;
	for (guint i = 0; i < 3; i++) {
		gint rc = fu_dell_rbu_version_cmp_uint(p1[i], p2[i]);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* returns 1 when version1 is newer, -1 when version2 is, 0 when they are equal */
gint
fu_dell_rbu_version_compare(const gchar *version1, const gchar *version2)
{
	g_autofree gchar *v1 = g_ascii_strdown(version1 != NULL ? version1 : "", -1);
	g_autofree gchar *v2 = g_ascii_strdown(version2 != NULL ? version2 : "", -1);
	gboolean letter1, letter2;

	g_strstrip(v1);
	g_strstrip(v2);
	if (g_strcmp0(v1, v2) == 0)
		return 0;
	if (fu_dell_rbu_version_never_newer(v1) || fu_dell_rbu_version_never_newer(v2)) {
		if (fu_dell_rbu_version_never_newer(v1) && fu_dell_rbu_version_never_newer(v2))
			return CLAMP(g_strcmp0(v1, v2), -1, 1);
		return fu_dell_rbu_version_never_newer(v1) ? -1 : 1;
	}
	letter1 = g_ascii_isalpha(v1[0]);
	letter2 = g_ascii_isalpha(v2[0]);
	if (letter1 && letter2)
		return fu_dell_rbu_version_compare_letter(v1, v2);
	if (letter1 != letter2)
		return letter1 ? -1 : 1;
	return fu_dell_rbu_version_compare_dotted(v1, v2);
}

/*
 * How fwupd is to compare versions of this style: dotted BIOS versions
 * (2.1.9 < 2.1.15) as a triplet of numbers, letter versions (A09 < A10) as
 * plain strings, which orders a letter series right.
 */
FwupdVersionFormat
fu_dell_rbu_version_format(const gchar *version)
{
	g_auto(GStrv) parts = g_strsplit(version != NULL ? version : "", ".", -1);

	if (g_strv_length(parts) != 3)
		return FWUPD_VERSION_FORMAT_PLAIN;
	for (guint i = 0; parts[i] != NULL; i++) {
		if (!fu_dell_rbu_version_is_number(parts[i]))
			return FWUPD_VERSION_FORMAT_PLAIN;
	}
	return FWUPD_VERSION_FORMAT_TRIPLET;
}
