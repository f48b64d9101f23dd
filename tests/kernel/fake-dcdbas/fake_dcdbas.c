// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: a dcdbas-shaped platform device whose "BIOS" answers Dell
 * calling-interface requests for tokens, so that the dell_smi plugin can be
 * tested in a guest. Not shipped to users.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>
#include <asm/unaligned.h>

#define SMI_MAGIC 0x534D4931 /* "SMI1" */
#define SMI_HDR_SIZE 52
#define SMI_BUF_MAX SZ_256K
#define SMI_LOCATIONS 0x10000
#define TOKEN_RBU_ACTIVATE 0x5C
#define TOKEN_RBU_CANCEL 0x5D

static int admin_password;
module_param(admin_password, int, 0644);
MODULE_PARM_DESC(admin_password, "answer that an admin password is set");

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

	if (size < SMI_HDR_SIZE || size > SMI_BUF_MAX)
		return -EINVAL;
	buf = kzalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (fake.buf)
		memcpy(buf, fake.buf, min(size, fake.size));
	kfree(fake.buf);
	fake.buf = buf;
	fake.size = size;
	return 0;
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
	s32 res1 = -2, res2 = 0;

	if (cls == 0 && sel == 0 && arg1 < SMI_LOCATIONS) {
		res1 = 0;
		res2 = fake.values[arg1];
	} else if (cls == 1 && sel == 0 && arg1 < SMI_LOCATIONS) {
		res1 = result;
		if (!res1) {
			fake.values[arg1] = arg2;
			set_bit(arg1, fake.touched);
			/* the cancel token takes back a pending update */
			if (arg1 == TOKEN_RBU_CANCEL) {
				fake.values[TOKEN_RBU_ACTIVATE] = 0;
				set_bit(TOKEN_RBU_ACTIVATE, fake.touched);
			}
		}
	} else if (cls == 10 && sel == 0) {
		res1 = 0;
		res2 = admin_password;
	}
	put_unaligned_le32(res1, fake.buf + 0x24);
	put_unaligned_le32(res2, fake.buf + 0x28);
	return cls == 1 && !res1 && arg1 == READ_ONCE(hold_token);
}

static ssize_t smi_data_read(struct file *filp, struct kobject *kobj, struct bin_attribute *attr,
			     char *buf, loff_t pos, size_t count)
{
	ssize_t rc;

	mutex_lock(&fake.lock);
	rc = memory_read_from_buffer(buf, count, &pos, fake.buf, fake.size);
	mutex_unlock(&fake.lock);
	return rc;
}

static ssize_t smi_data_write(struct file *filp, struct kobject *kobj, struct bin_attribute *attr,
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

static struct bin_attribute *fake_bin_attrs[] = {
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
