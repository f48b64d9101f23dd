// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: a dcdbas-shaped platform device whose "BIOS" answers Dell
 * calling-interface requests for tokens and its admin password, so that the
 * dell_smi plugin can be tested in a guest. Not shipped to users. Its buffer
 * behaves as the real dcdbas's: it only grows, keeps its contents when it
 * does, and "0" in smi_request zeroes it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>

/*
 * What differs between kernels: 6.12 moves the unaligned helpers to linux/;
 * 7.x passes binary attributes' callbacks a const attribute, the type a
 * group lists.
 */
#if __has_include("linux/unaligned.h")
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#define FAKE_BIN_ATTR typeof(**((const struct attribute_group *)NULL)->bin_attrs)

#define SMI_MAGIC 0x534D4931 /* "SMI1" */
#define SMI_HDR_SIZE 52
#define SMI_BUF_MAX SZ_256K
#define SMI_LOCATIONS 0x10000
#define TOKEN_RBU_ACTIVATE 0x5C
#define TOKEN_RBU_CANCEL 0x5D
#define CLASS_TOKEN_READ 0
#define CLASS_TOKEN_WRITE 1
#define CLASS_ADMIN_PASSWORD 10
#define SELECT_INSTALLED 0
#define SELECT_VERIFY_ARGS 1
#define SELECT_PROPERTIES 3
#define SELECT_VERIFY_BUFFER 4
#define PASSWORD_MAX 32 /* ASCII characters, given after the buffer */
#define PASSWORD_ARGS_MAX 8 /* scan codes, given in cbARG1-2 */
#define RES_SUCCESS 0
#define RES_ERROR (-1)
#define RES_NOT_SUPPORTED (-2)
#define RES_INCORRECT 2

static char *admin_password;
module_param(admin_password, charp, 0600);
MODULE_PARM_DESC(admin_password, "the BIOS admin password; none if unset or empty");

static int password_select = SELECT_VERIFY_BUFFER;
module_param(password_select, int, 0644);
MODULE_PARM_DESC(password_select, "4: verified as ASCII after the buffer; 1: as scan codes in cbARG1-2");

static ushort security_key = 0xD17B;
module_param(security_key, ushort, 0644);
MODULE_PARM_DESC(security_key, "the key verifying the password gives, which token writes then need");

static int result;
module_param(result, int, 0644);
MODULE_PARM_DESC(result, "cbRES1 for token writes: 0, -1 or -2");

static int hold_token = -1;
module_param(hold_token, int, 0644);
MODULE_PARM_DESC(hold_token,
		 "a write of this token location returns when this is -1 again, or its writer is killed");

static struct {
	struct mutex lock; /* everything below */
	struct platform_device *pdev;
	u8 *buf;
	size_t size;
	u16 *values;
	unsigned long *touched;
} fake = {
	.lock = __MUTEX_INITIALIZER(fake.lock),
};

static int fake_resize(size_t size)
{
	u8 *buf;

	/* dcdbas never shrinks its buffer */
	if (size <= fake.size)
		return 0;
	if (size > SMI_BUF_MAX)
		return -EINVAL;
	buf = kzalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (fake.buf)
		memcpy(buf, fake.buf, fake.size);
	kfree(fake.buf);
	fake.buf = buf;
	fake.size = size;
	return 0;
}

/*
 * PC keyboard set 1 make codes of a US layout, as a BIOS keeps a password
 * typed at its prompt: letters without their case
 */
static const struct {
	const char *chars;
	u8 first;
} scan_rows[] = {
	{ "1234567890-=", 0x02 },
	{ "qwertyuiop[]", 0x10 },
	{ "asdfghjkl;'`", 0x1E },
	{ "zxcvbnm,./", 0x2C },
};

static u8 fake_scan_code(char c)
{
	const char *hit;
	int i;

	for (i = 0; c && i < ARRAY_SIZE(scan_rows); i++) {
		hit = strchr(scan_rows[i].chars, tolower(c));
		if (hit)
			return scan_rows[i].first + (hit - scan_rows[i].chars);
	}
	return 0;
}

/*
 * The password as this BIOS compares it, zero-padded to size; its length, 0
 * for none, or -EINVAL if it does not fit the rules.
 */
static int fake_password(u8 *out, size_t size, bool scan_codes)
{
	int len = 0;

	memset(out, 0, size);
	kernel_param_lock(THIS_MODULE);
	for (; admin_password && admin_password[len]; len++) {
		if (len >= size) {
			len = -EINVAL;
			break;
		}
		out[len] = scan_codes ? fake_scan_code(admin_password[len]) : admin_password[len];
		if (!out[len]) {
			len = -EINVAL;
			break;
		}
	}
	kernel_param_unlock(THIS_MODULE);
	return len;
}

/*
 * Class 10: whether a password is set, its rules (select 3, if verified as
 * ASCII), and its verification, which answers with the key token writes need.
 */
static void fake_password_call(u16 sel, u32 arg1, u32 arg2, s32 *res1, s32 *res2)
{
	bool args = password_select == SELECT_VERIFY_ARGS;
	u8 want[PASSWORD_MAX], given[PASSWORD_MAX] = { 0 };
	size_t size = args ? PASSWORD_ARGS_MAX : PASSWORD_MAX;
	u32 offset = arg1 - (u32)virt_to_phys(fake.buf);
	int len = fake_password(want, size, args);

	*res1 = RES_NOT_SUPPORTED;
	if (sel == SELECT_INSTALLED) {
		*res1 = RES_SUCCESS;
		*res2 = len != 0;
		return;
	}
	if (sel == SELECT_PROPERTIES && !args) {
		/* installed, maximum length, minimum length 1, ASCII */
		*res1 = RES_SUCCESS;
		*res2 = (len != 0) | PASSWORD_MAX << 8 | 1 << 16 | 1 << 24;
		return;
	}
	if (sel == SELECT_VERIFY_BUFFER && !args) {
		/* the BIOS reads cbARG1's physical address: the buffer's tail here */
		if (offset < SMI_HDR_SIZE || offset > fake.size || fake.size - offset < size) {
			*res1 = RES_ERROR;
			goto out;
		}
		memcpy(given, fake.buf + offset, size);
	} else if (sel == SELECT_VERIFY_ARGS && args) {
		put_unaligned_le32(arg1, given);
		put_unaligned_le32(arg2, given + 4);
	} else {
		goto out;
	}
	*res1 = RES_INCORRECT;
	if (len > 0 && !memcmp(given, want, size)) {
		*res1 = RES_SUCCESS;
		*res2 = security_key;
	}
out:
	memzero_explicit(want, sizeof(want));
	memzero_explicit(given, sizeof(given));
}

/* a token write while a password is set needs the key in cbARG3 */
static bool fake_key_refused(u32 arg3)
{
	u8 want[PASSWORD_MAX];
	int len = fake_password(want, sizeof(want), false);

	memzero_explicit(want, sizeof(want));
	return len != 0 && arg3 != security_key;
}

/*
 * The calling interface: class and select at 0x10, arguments from 0x14,
 * results from 0x24. True when the token written is hold_token.
 */
static bool fake_bios_call(void)
{
	u16 cls = get_unaligned_le16(fake.buf + 0x10);
	u16 sel = get_unaligned_le16(fake.buf + 0x12);
	u32 arg1 = get_unaligned_le32(fake.buf + 0x14);
	u32 arg2 = get_unaligned_le32(fake.buf + 0x18);
	u32 arg3 = get_unaligned_le32(fake.buf + 0x1C);
	s32 res1 = RES_NOT_SUPPORTED, res2 = 0;

	if (cls == CLASS_TOKEN_READ && sel == 0 && arg1 < SMI_LOCATIONS) {
		res1 = RES_SUCCESS;
		res2 = fake.values[arg1];
	} else if (cls == CLASS_TOKEN_WRITE && sel == 0 && arg1 < SMI_LOCATIONS) {
		res1 = fake_key_refused(arg3) ? RES_ERROR : result;
		if (!res1) {
			fake.values[arg1] = arg2;
			set_bit(arg1, fake.touched);
			/* the cancel token takes back a pending update */
			if (arg1 == TOKEN_RBU_CANCEL) {
				fake.values[TOKEN_RBU_ACTIVATE] = 0;
				set_bit(TOKEN_RBU_ACTIVATE, fake.touched);
			}
		}
	} else if (cls == CLASS_ADMIN_PASSWORD) {
		fake_password_call(sel, arg1, arg2, &res1, &res2);
	}
	put_unaligned_le32(res1, fake.buf + 0x24);
	put_unaligned_le32(res2, fake.buf + 0x28);
	return cls == 1 && !res1 && arg1 == READ_ONCE(hold_token);
}

static ssize_t smi_data_read(struct file *filp, struct kobject *kobj, FAKE_BIN_ATTR *attr,
			     char *buf, loff_t pos, size_t count)
{
	ssize_t rc;

	mutex_lock(&fake.lock);
	rc = memory_read_from_buffer(buf, count, &pos, fake.buf, fake.size);
	mutex_unlock(&fake.lock);
	return rc;
}

static ssize_t smi_data_write(struct file *filp, struct kobject *kobj, FAKE_BIN_ATTR *attr,
			      char *buf, loff_t pos, size_t count)
{
	ssize_t rc = count;

	mutex_lock(&fake.lock);
	if (pos + count > fake.size)
		rc = fake_resize(pos + count);
	if (rc >= 0) {
		memcpy(fake.buf + pos, buf, count);
		rc = count;
	}
	mutex_unlock(&fake.lock);
	return rc;
}
static BIN_ATTR_RW(smi_data, 0);

static ssize_t smi_data_buf_size_show(struct device *dev, struct device_attribute *attr,
				      char *buf)
{
	return sysfs_emit(buf, "%zu\n", fake.size);
}

static ssize_t smi_data_buf_size_store(struct device *dev, struct device_attribute *attr,
				       const char *buf, size_t count)
{
	unsigned long size;
	int rc = kstrtoul(buf, 10, &size);

	if (rc)
		return rc;
	mutex_lock(&fake.lock);
	rc = fake_resize(size);
	mutex_unlock(&fake.lock);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(smi_data_buf_size);

static ssize_t smi_data_buf_phys_addr_show(struct device *dev, struct device_attribute *attr,
					   char *buf)
{
	return sysfs_emit(buf, "%x\n", (u32)virt_to_phys(fake.buf));
}
static DEVICE_ATTR_RO(smi_data_buf_phys_addr);

static ssize_t smi_request_store(struct device *dev, struct device_attribute *attr,
				 const char *buf, size_t count)
{
	unsigned long req;
	bool held = false;
	int rc = kstrtoul(buf, 10, &req);

	if (rc)
		return rc;
	mutex_lock(&fake.lock);
	if (req == 0)
		memset(fake.buf, 0, fake.size);
	else if (req == 1 && get_unaligned_le32(fake.buf) == SMI_MAGIC)
		held = fake_bios_call();
	else
		rc = -EINVAL;
	mutex_unlock(&fake.lock);
	/* the token is written; its writer waits here to be killed */
	while (held && READ_ONCE(hold_token) >= 0 && !fatal_signal_pending(current))
		schedule_timeout_killable(msecs_to_jiffies(20));
	return rc ? rc : count;
}
static DEVICE_ATTR_WO(smi_request);

/* for the tests: every token location the BIOS was asked to write */
static ssize_t token_state_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	unsigned long loc;
	int len = 0;

	mutex_lock(&fake.lock);
	for_each_set_bit(loc, fake.touched, SMI_LOCATIONS)
		len += sysfs_emit_at(buf, len, "%04lx=%u\n", loc, fake.values[loc]);
	mutex_unlock(&fake.lock);
	return len;
}
static DEVICE_ATTR_RO(token_state);

static struct attribute *fake_attrs[] = {
	&dev_attr_smi_data_buf_size.attr,
	&dev_attr_smi_data_buf_phys_addr.attr,
	&dev_attr_smi_request.attr,
	&dev_attr_token_state.attr,
	NULL,
};

static FAKE_BIN_ATTR *fake_bin_attrs[] = {
	&bin_attr_smi_data,
	NULL,
};

static const struct attribute_group fake_group = {
	.attrs = fake_attrs,
	.bin_attrs = fake_bin_attrs,
};

static int __init fake_init(void)
{
	int rc;

	fake.values = vzalloc(SMI_LOCATIONS * sizeof(*fake.values));
	fake.touched = bitmap_zalloc(SMI_LOCATIONS, GFP_KERNEL);
	if (!fake.values || !fake.touched || fake_resize(SMI_HDR_SIZE)) {
		rc = -ENOMEM;
		goto err_free;
	}
	fake.pdev = platform_device_register_simple("dcdbas", PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(fake.pdev)) {
		rc = PTR_ERR(fake.pdev);
		goto err_free;
	}
	rc = sysfs_create_group(&fake.pdev->dev.kobj, &fake_group);
	if (rc)
		goto err_unregister;
	return 0;

err_unregister:
	platform_device_unregister(fake.pdev);
err_free:
	kfree(fake.buf);
	bitmap_free(fake.touched);
	vfree(fake.values);
	return rc;
}

static void __exit fake_exit(void)
{
	sysfs_remove_group(&fake.pdev->dev.kobj, &fake_group);
	platform_device_unregister(fake.pdev);
	kfree(fake.buf);
	bitmap_free(fake.touched);
	vfree(fake.values);
}

module_init(fake_init);
module_exit(fake_exit);

MODULE_DESCRIPTION("Test-only emulated Dell dcdbas calling interface");
MODULE_LICENSE("GPL");
