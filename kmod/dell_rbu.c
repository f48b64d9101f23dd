// SPDX-License-Identifier: GPL-2.0
/*
 * Stage a Dell BIOS image in memory for the BIOS to flash on the next warm
 * reboot (Dell Remote BIOS Update). Same sysfs ABI as the kernel's dell_rbu,
 * plus a direct load path that needs no firmware-class user helper.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/firmware.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/set_memory.h>

#define RBU_NAME "dell_rbu"
#define RBU_PACKET_SIZE_MIN SZ_4K
#define RBU_PACKET_SIZE_MAX (0xFFFCUL * SZ_1K)
#define RBU_PACKET_COUNT_MAX 0xFFFF

#ifdef MAX_PAGE_ORDER
#define RBU_BUDDY_ORDER_MAX MAX_PAGE_ORDER
#else
#define RBU_BUDDY_ORDER_MAX (MAX_ORDER - 1)
#endif

static unsigned long image_size_max = SZ_128M;
module_param(image_size_max, ulong, 0444);
MODULE_PARM_DESC(image_size_max, "largest image accepted, in bytes (default 128 MiB)");

static unsigned long allocation_floor = SZ_1M;
module_param(allocation_floor, ulong, 0444);
MODULE_PARM_DESC(allocation_floor,
		 "lowest physical address a packet may use (default 1 MiB, for BIOS errata)");

enum rbu_type { RBU_MONO, RBU_PACKET };

/* one physically contiguous, page-aligned block below 4 GiB */
struct rbu_block {
	struct list_head node;
	void *virt;
	size_t len;
	size_t alloc_len;
	dma_addr_t dma;
	struct page *page;
	unsigned int order;
	bool uncached;
};

static struct {
	struct mutex lock; /* everything below */
	struct platform_device *pdev;
	enum rbu_type type;
	size_t packet_size;
	struct list_head blocks;
	size_t staged;
	bool fw_requested;
	/* the direct load path */
	u8 *direct;
	size_t direct_size;
	size_t direct_len;
} rbu = {
	.lock = __MUTEX_INITIALIZER(rbu.lock),
	.blocks = LIST_HEAD_INIT(rbu.blocks),
};

static void rbu_block_free(struct rbu_block *blk)
{
	if (blk->uncached)
		set_memory_wb((unsigned long)blk->virt, blk->alloc_len >> PAGE_SHIFT);
	if (blk->page)
		__free_pages(blk->page, blk->order);
	else
		dma_free_coherent(&rbu.pdev->dev, blk->alloc_len, blk->virt, blk->dma);
	kfree(blk);
}

static struct rbu_block *rbu_block_try(size_t len)
{
	struct rbu_block *blk = kzalloc(sizeof(*blk), GFP_KERNEL);

	if (!blk)
		return NULL;
	blk->len = len;
	blk->alloc_len = PAGE_ALIGN(len);
	blk->order = get_order(len);
	if (blk->order <= RBU_BUDDY_ORDER_MAX) {
		blk->page = alloc_pages(GFP_DMA32 | __GFP_NOWARN, blk->order);
		if (blk->page) {
			blk->alloc_len = PAGE_SIZE << blk->order;
			blk->virt = page_address(blk->page);
			return blk;
		}
	}
	/* beyond the buddy allocator's largest block only CMA helps */
	blk->virt = dma_alloc_coherent(&rbu.pdev->dev, blk->alloc_len, &blk->dma,
				       GFP_KERNEL | __GFP_NOWARN);
	if (!blk->virt) {
		kfree(blk);
		return NULL;
	}
	return blk;
}

/* packets must not sit below the allocation floor: keep such blocks aside
 * while asking for more, then give them back */
static struct rbu_block *rbu_block_alloc(size_t len, bool packet)
{
	LIST_HEAD(rejected);
	struct rbu_block *blk, *rej, *tmp;
	int tries;

	for (tries = 0; tries < 64; tries++) {
		blk = rbu_block_try(len);
		if (!blk)
			break;
		if (!packet || virt_to_phys(blk->virt) >= allocation_floor)
			break;
		list_add(&blk->node, &rejected);
		blk = NULL;
	}
	list_for_each_entry_safe(rej, tmp, &rejected, node) {
		list_del(&rej->node);
		rbu_block_free(rej);
	}
	if (!blk)
		return NULL;
	if (virt_to_phys(blk->virt) + blk->alloc_len > SZ_4G) {
		rbu_block_free(blk);
		return NULL;
	}
	if (packet && !set_memory_uc((unsigned long)blk->virt, blk->alloc_len >> PAGE_SHIFT))
		blk->uncached = true;
	return blk;
}

static void rbu_free_staged(void)
{
	struct rbu_block *blk, *tmp;

	list_for_each_entry_safe(blk, tmp, &rbu.blocks, node) {
		list_del(&blk->node);
		rbu_block_free(blk);
	}
	rbu.staged = 0;
}

static void rbu_direct_reset(void)
{
	vfree(rbu.direct);
	rbu.direct = NULL;
	rbu.direct_size = 0;
	rbu.direct_len = 0;
}

/* replaces whatever was staged; on failure nothing stays staged */
static int rbu_stage(const u8 *data, size_t size)
{
	size_t chunk, off;
	struct rbu_block *blk;

	rbu_free_staged();
	if (!size)
		return -EINVAL;
	if (size > image_size_max)
		return -EFBIG;
	chunk = size;
	if (rbu.type == RBU_PACKET) {
		if (!rbu.packet_size)
			return -EINVAL;
		if (DIV_ROUND_UP(size, rbu.packet_size) > RBU_PACKET_COUNT_MAX)
			return -EFBIG;
		chunk = rbu.packet_size;
	}
	for (off = 0; off < size; off += chunk) {
		size_t len = min(chunk, size - off);

		blk = rbu_block_alloc(rbu.type == RBU_PACKET ? rbu.packet_size : len,
				      rbu.type == RBU_PACKET);
		if (!blk) {
			rbu_free_staged();
			return -ENOMEM;
		}
		blk->len = len;
		memcpy(blk->virt, data + off, len);
		list_add_tail(&blk->node, &rbu.blocks);
		rbu.staged += len;
	}
	return 0;
}

static void rbu_fw_loaded(const struct firmware *fw, void *context)
{
	int rc;

	mutex_lock(&rbu.lock);
	rbu.fw_requested = false;
	if (fw) {
		rc = rbu_stage(fw->data, fw->size);
		if (rc)
			pr_err("staging %zu bytes failed: %d\n", fw->size, rc);
	}
	mutex_unlock(&rbu.lock);
	release_firmware(fw);
}

/* the firmware-class fallback: /sys/class/firmware/dell_rbu/{loading,data} */
static int rbu_request_fw(void)
{
	int rc;

	if (rbu.fw_requested)
		return 0;
	rc = request_firmware_nowait(THIS_MODULE, FW_ACTION_NOUEVENT, RBU_NAME, &rbu.pdev->dev,
				     GFP_KERNEL, NULL, rbu_fw_loaded);
	if (!rc)
		rbu.fw_requested = true;
	return rc;
}

static ssize_t image_type_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", rbu.type == RBU_PACKET ? "packet" : "mono");
}

static ssize_t image_type_store(struct device *dev, struct device_attribute *attr,
				const char *buf, size_t count)
{
	char word[8];
	int rc = 0;

	if (sscanf(buf, "%7s", word) != 1)
		return -EINVAL;
	mutex_lock(&rbu.lock);
	if (!strcmp(word, "mono")) {
		rbu.type = RBU_MONO;
	} else if (!strcmp(word, "packet")) {
		rbu.type = RBU_PACKET;
	} else if (!strcmp(word, "init")) {
		rc = rbu_request_fw();
	} else {
		rc = -EINVAL;
	}
	if (!rc) {
		rbu_free_staged();
		rbu_direct_reset();
	}
	mutex_unlock(&rbu.lock);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(image_type);

static ssize_t packet_size_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%zu\n", rbu.packet_size);
}

static ssize_t packet_size_store(struct device *dev, struct device_attribute *attr,
				 const char *buf, size_t count)
{
	unsigned long size;
	int rc;

	rc = kstrtoul(buf, 10, &size);
	if (rc)
		return rc;
	/* 0 only frees, as libsmbios writes it before the real size */
	if (size && (size < RBU_PACKET_SIZE_MIN || size > RBU_PACKET_SIZE_MAX ||
		     !IS_ALIGNED(size, RBU_PACKET_SIZE_MIN)))
		return -EINVAL;
	mutex_lock(&rbu.lock);
	rbu_free_staged();
	rbu_direct_reset();
	rbu.packet_size = size;
	mutex_unlock(&rbu.lock);
	return count;
}
static DEVICE_ATTR_RW(packet_size);

/* the direct load path: write the size, then the image at its offsets; the
 * image is staged when its last byte arrives; 0 aborts */
static ssize_t image_size_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%zu\n", rbu.direct_size);
}

static ssize_t image_size_store(struct device *dev, struct device_attribute *attr,
				const char *buf, size_t count)
{
	unsigned long size;
	int rc;

	rc = kstrtoul(buf, 10, &size);
	if (rc)
		return rc;
	if (size > image_size_max)
		return -EFBIG;
	mutex_lock(&rbu.lock);
	rbu_free_staged();
	rbu_direct_reset();
	if (size) {
		rbu.direct = vmalloc(size);
		if (rbu.direct)
			rbu.direct_size = size;
		else
			rc = -ENOMEM;
	}
	mutex_unlock(&rbu.lock);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(image_size);

static ssize_t image_write(struct file *filp, struct kobject *kobj, struct bin_attribute *attr,
			   char *buf, loff_t pos, size_t count)
{
	size_t end;
	ssize_t rc = count;

	mutex_lock(&rbu.lock);
	if (!rbu.direct) {
		rc = -ENODATA;
		goto out;
	}
	if (pos != rbu.direct_len || check_add_overflow((size_t)pos, count, &end) ||
	    end > rbu.direct_size) {
		rbu_direct_reset();
		rc = -EINVAL;
		goto out;
	}
	memcpy(rbu.direct + pos, buf, count);
	rbu.direct_len = end;
	if (rbu.direct_len == rbu.direct_size) {
		int err = rbu_stage(rbu.direct, rbu.direct_size);

		rbu_direct_reset();
		if (err)
			rc = err;
	}
out:
	mutex_unlock(&rbu.lock);
	return rc;
}
static BIN_ATTR_WO(image, 0);

static ssize_t data_read(struct file *filp, struct kobject *kobj, struct bin_attribute *attr,
			 char *buf, loff_t pos, size_t count)
{
	struct rbu_block *blk;
	size_t done = 0, base = 0;

	mutex_lock(&rbu.lock);
	list_for_each_entry(blk, &rbu.blocks, node) {
		size_t len = blk->len;

		if (pos + done < base + len && done < count) {
			size_t off = pos + done - base;
			size_t n = min(len - off, count - done);

			memcpy(buf + done, blk->virt + off, n);
			done += n;
		}
		base += len;
	}
	mutex_unlock(&rbu.lock);
	return done;
}
static BIN_ATTR_RO(data, 0);

static struct attribute *rbu_attrs[] = {
	&dev_attr_image_type.attr,
	&dev_attr_packet_size.attr,
	&dev_attr_image_size.attr,
	NULL,
};

static struct bin_attribute *rbu_bin_attrs[] = {
	&bin_attr_data,
	&bin_attr_image,
	NULL,
};

static const struct attribute_group rbu_group = {
	.attrs = rbu_attrs,
	.bin_attrs = rbu_bin_attrs,
};

static int __init rbu_init(void)
{
	int rc;

	rbu.pdev = platform_device_register_simple(RBU_NAME, PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(rbu.pdev))
		return PTR_ERR(rbu.pdev);
	rc = dma_coerce_mask_and_coherent(&rbu.pdev->dev, DMA_BIT_MASK(32));
	if (!rc)
		rc = sysfs_create_group(&rbu.pdev->dev.kobj, &rbu_group);
	if (rc) {
		platform_device_unregister(rbu.pdev);
		return rc;
	}
	return 0;
}

static void __exit rbu_exit(void)
{
	sysfs_remove_group(&rbu.pdev->dev.kobj, &rbu_group);
	mutex_lock(&rbu.lock);
	rbu_free_staged();
	rbu_direct_reset();
	mutex_unlock(&rbu.lock);
	platform_device_unregister(rbu.pdev);
}

module_init(rbu_init);
module_exit(rbu_exit);

MODULE_DESCRIPTION("Dell Remote BIOS Update: stage a BIOS image for the next warm reboot");
MODULE_LICENSE("GPL");
