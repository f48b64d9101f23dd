// SPDX-License-Identifier: GPL-2.0
/*
 * Stage a Dell BIOS image in memory for the BIOS to flash on the next warm
 * reboot (Dell Remote BIOS Update). Same sysfs ABI as the kernel's dell_rbu,
 * plus a direct load path that needs no firmware-class user helper.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/firmware.h>
#include <linux/fsnotify_backend.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/cacheflush.h>
#include <asm/set_memory.h>

#define RBU_NAME "dell_rbu"
#define RBU_PACKET_SIZE_MIN SZ_4K
#define RBU_PACKET_SIZE_MAX (0xFFFCUL * SZ_1K)
#define RBU_PACKET_COUNT_MAX 0xFFFF

/*
 * What differs between the kernels the module builds for, all here. 6.8
 * names the buddy allocator's largest order MAX_PAGE_ORDER (MAX_ORDER was
 * one above it). 7.x passes binary attributes' callbacks a const attribute
 * and groups list const ones (6.13 began it beside the old fields): the
 * callbacks take the type a group lists. 6.16 gives alloc_contig_range()
 * allocation flags instead of a migrate type.
 */
#ifdef MAX_PAGE_ORDER
#define RBU_BUDDY_ORDER_MAX MAX_PAGE_ORDER
#else
#define RBU_BUDDY_ORDER_MAX (MAX_ORDER - 1)
#endif

#define RBU_BIN_ATTR typeof(**((const struct attribute_group *)NULL)->bin_attrs)

#ifdef ACR_FLAGS_NONE
#define RBU_CONTIG_MODE ACR_FLAGS_NONE
#else
#define RBU_CONTIG_MODE MIGRATE_MOVABLE
#endif

/*
 * Everything staged lies below 4 GiB, which on a PC also holds the firmware
 * and the PCI hole; a monolithic image must be one run there and the direct
 * path keeps a second copy. Real images are about 1 MiB.
 */
#define RBU_IMAGE_SIZE_CEILING SZ_1G

static unsigned long image_size_max = SZ_128M;

static int rbu_set_image_size_max(const char *val, const struct kernel_param *kp)
{
	unsigned long size;
	int rc;

	rc = kstrtoul(val, 0, &size);
	if (rc)
		return rc;
	if (size > RBU_IMAGE_SIZE_CEILING) {
		pr_err("image_size_max %lu is above the ceiling of %lu bytes (1 GiB)\n", size,
		       (unsigned long)RBU_IMAGE_SIZE_CEILING);
		return -EINVAL;
	}
	WRITE_ONCE(*(unsigned long *)kp->arg, size);
	return 0;
}

static const struct kernel_param_ops rbu_image_size_max_ops = {
	.set = rbu_set_image_size_max,
	.get = param_get_ulong,
};

module_param_cb(image_size_max, &rbu_image_size_max_ops, &image_size_max, 0644);
MODULE_PARM_DESC(image_size_max,
		 "largest image accepted, in bytes (default 128 MiB, at most 1 GiB)");

static unsigned long allocation_floor = SZ_1M;
module_param(allocation_floor, ulong, 0444);
MODULE_PARM_DESC(allocation_floor,
		 "lowest physical address a packet may use (default 1 MiB, for BIOS errata)");

static char *image_type = "mono";
module_param(image_type, charp, 0444);
MODULE_PARM_DESC(image_type, "layout at load time: mono (default) or packet");

enum rbu_type { RBU_MONO, RBU_PACKET };

/*
 * One physically contiguous, page-aligned block below 4 GiB, made of
 * nr_chunks adjacent buddy blocks of one order.
 */
struct rbu_block {
	void *virt;
	size_t len;
	struct page *page;
	unsigned int order;
	unsigned int nr_chunks;
	bool uncached;
	bool contig; /* taken by alloc_contig_range(): order-0 pages */
};

static struct {
	struct mutex lock; /* everything below */
	struct platform_device *pdev;
	enum rbu_type type;
	size_t packet_size;
	struct rbu_block **blocks;
	size_t nr_blocks;
	size_t staged;
	bool fw_requested;
	struct completion fw_done;
	/* the direct load path */
	u8 *direct;
	size_t direct_size;
	size_t direct_len;
	/* closes of the image file, watched on the inode last written through */
	struct fsnotify_group *watch;
	struct fsnotify_mark *mark;
	struct inode *marked; /* compared, never used */
} rbu = {
	.lock = __MUTEX_INITIALIZER(rbu.lock),
	.fw_done = COMPLETION_INITIALIZER(rbu.fw_done),
};

static size_t rbu_block_bytes(const struct rbu_block *blk)
{
	return ((size_t)PAGE_SIZE << blk->order) * blk->nr_chunks;
}

static void rbu_free_chunks(struct page *page, unsigned int order, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		__free_pages(page + ((size_t)i << order), order);
}

#ifdef CONFIG_CONTIG_ALLOC
/* hints read without the zone lock: alloc_contig_range() checks again */
static bool rbu_block_is_free(struct zone *zone, unsigned long pfn, unsigned int order)
{
	struct page *page = pfn_to_online_page(pfn);

	return page && page_zone(page) == zone && PageBuddy(page) && page_private(page) >= order;
}

/* every page of the block free or on an LRU list, where it can be moved */
static bool rbu_block_is_movable(struct zone *zone, unsigned long pfn, unsigned int order)
{
	unsigned long end = pfn + (1UL << order);

	while (pfn < end) {
		struct page *page = pfn_to_online_page(pfn);

		if (!page || page_zone(page) != zone)
			return false;
		if (PageBuddy(page))
			pfn += 1UL << min_t(unsigned long, page_private(page), order);
		else if (PageLRU(page))
			pfn++;
		else
			return false;
	}
	return true;
}

typedef bool (*rbu_block_test)(struct zone *zone, unsigned long pfn, unsigned int order);

/*
 * Walks the DMA32 zone for @need adjacent blocks of @order that pass @usable
 * and takes exactly that range; a range alloc_contig_range() refuses is left
 * and the walk goes on past it, so each page is tried at most once.
 */
static struct page *rbu_take_run(unsigned int order, unsigned int need, rbu_block_test usable)
{
	unsigned long step = 1UL << order, nr = (unsigned long)need << order;
	int nid;

	for_each_online_node(nid) {
		struct zone *zone = &NODE_DATA(nid)->node_zones[ZONE_DMA32];
		unsigned long end = min(zone_end_pfn(zone), PHYS_PFN(SZ_4G));
		unsigned long pfn, start;

		if (!populated_zone(zone))
			continue;
		start = ALIGN(zone->zone_start_pfn, step);
		for (pfn = start; pfn + step <= end; pfn += step) {
			if (!usable(zone, pfn, order)) {
				start = pfn + step;
				continue;
			}
			if (pfn + step - start < nr)
				continue;
			if (!alloc_contig_range(start, start + nr, RBU_CONTIG_MODE,
						GFP_KERNEL | __GFP_NOWARN))
				return pfn_to_page(start);
			start = pfn + step;
			cond_resched();
		}
	}
	return NULL;
}

/*
 * Larger than the buddy allocator's largest block, and no CMA to ask: a run
 * of adjacent free blocks below 4 GiB, taken without moving anyone's pages;
 * when memory is too fragmented for one, a run of free and movable pages,
 * whose contents alloc_contig_range() migrates elsewhere, as compaction
 * would. Only the run is ever held, so other DMA32 users are not starved.
 */
static struct page *rbu_alloc_run(unsigned int order, unsigned int need)
{
	struct page *page = rbu_take_run(order, need, rbu_block_is_free);

	return page ?: rbu_take_run(order, need, rbu_block_is_movable);
}

static void rbu_free_run(struct page *page, unsigned long nr_pages)
{
	free_contig_range(page_to_pfn(page), nr_pages);
}
#else
/* no way to take a given range: monolithic images stop at the largest block */
static struct page *rbu_alloc_run(unsigned int order, unsigned int need)
{
	return NULL;
}

static void rbu_free_run(struct page *page, unsigned long nr_pages)
{
}
#endif

/*
 * Freed pages keep their bytes and the BIOS scans all of RAM at the reset:
 * zero a block before it goes back, in RAM and not only in the cache.
 */
static void rbu_block_free(struct rbu_block *blk)
{
	size_t bytes = rbu_block_bytes(blk);

	memset(blk->virt, 0, bytes);
	if (blk->uncached)
		set_memory_wb((unsigned long)blk->virt, bytes >> PAGE_SHIFT);
	else
		clflush_cache_range(blk->virt, bytes);
	if (blk->contig)
		rbu_free_run(blk->page, (unsigned long)blk->nr_chunks << blk->order);
	else
		rbu_free_chunks(blk->page, blk->order, blk->nr_chunks);
	kfree(blk);
}

/* zeroes a vmalloc'ed or vmap'ed buffer through its pages' own mappings */
static void rbu_scrub_vmalloc(const void *addr, size_t len)
{
	size_t off;

	if (!is_vmalloc_addr(addr))
		return;
	for (off = 0; off < len; off += PAGE_SIZE) {
		struct page *page = vmalloc_to_page(addr + off);

		if (page)
			memzero_page(page, 0, min_t(size_t, PAGE_SIZE, len - off));
	}
}

static struct rbu_block *rbu_block_try(size_t len)
{
	struct rbu_block *blk = kzalloc(sizeof(*blk), GFP_KERNEL);

	if (!blk)
		return NULL;
	blk->len = len;
	blk->order = get_order(len);
	blk->nr_chunks = 1;
	if (blk->order <= RBU_BUDDY_ORDER_MAX) {
		blk->page = alloc_pages(GFP_DMA32 | __GFP_NOWARN, blk->order);
	} else {
		blk->order = RBU_BUDDY_ORDER_MAX;
		blk->nr_chunks = DIV_ROUND_UP(len, PAGE_SIZE << blk->order);
		blk->page = rbu_alloc_run(blk->order, blk->nr_chunks);
		blk->contig = true;
	}
	if (!blk->page) {
		kfree(blk);
		return NULL;
	}
	blk->virt = page_address(blk->page);
	return blk;
}

/*
 * Packets must not sit below the allocation floor: keep such blocks aside
 * while asking for more, then give them back.
 */
static struct rbu_block *rbu_block_alloc(size_t len, bool packet)
{
	struct rbu_block *rejected[64];
	struct rbu_block *blk = NULL;
	int n = 0, i;

	while (n < ARRAY_SIZE(rejected)) {
		blk = rbu_block_try(len);
		if (!blk || !packet || page_to_phys(blk->page) >= allocation_floor)
			break;
		rejected[n++] = blk;
		blk = NULL;
	}
	for (i = 0; i < n; i++)
		rbu_block_free(rejected[i]);
	if (!blk)
		return NULL;
	if (page_to_phys(blk->page) + rbu_block_bytes(blk) > SZ_4G) {
		rbu_block_free(blk);
		return NULL;
	}
	if (packet && !set_memory_uc((unsigned long)blk->virt, rbu_block_bytes(blk) >> PAGE_SHIFT))
		blk->uncached = true;
	return blk;
}

static void rbu_free_staged(void)
{
	size_t i;

	for (i = 0; i < rbu.nr_blocks; i++)
		rbu_block_free(rbu.blocks[i]);
	kvfree(rbu.blocks);
	rbu.blocks = NULL;
	rbu.nr_blocks = 0;
	rbu.staged = 0;
}

static void rbu_direct_reset(void)
{
	if (rbu.direct)
		rbu_scrub_vmalloc(rbu.direct, rbu.direct_size);
	vfree(rbu.direct);
	rbu.direct = NULL;
	rbu.direct_size = 0;
	rbu.direct_len = 0;
}

/*
 * A writer that closes the image file, or dies, before the last byte leaves
 * a partial load nobody can finish (a load is written through one open
 * file): drop it, zeroed, at that close instead of keeping it until the
 * next load. A completed load has no direct buffer left and stays staged.
 */
static int rbu_image_closed(struct fsnotify_mark *mark, u32 mask, struct inode *inode,
			    struct inode *dir, const struct qstr *name, u32 cookie)
{
	mutex_lock(&rbu.lock);
	if (rbu.direct)
		rbu_direct_reset();
	mutex_unlock(&rbu.lock);
	return 0;
}

static void rbu_free_mark(struct fsnotify_mark *mark)
{
	kfree(mark);
}

static const struct fsnotify_ops rbu_watch_ops = {
	.handle_inode_event = rbu_image_closed,
	.free_mark = rbu_free_mark,
};

static struct fsnotify_mark *rbu_mark_new(void)
{
	struct fsnotify_mark *mark = kzalloc(sizeof(*mark), GFP_KERNEL);

	if (mark)
		fsnotify_init_mark(mark, rbu.watch);
	return mark;
}

static void rbu_unwatch(void)
{
	if (!rbu.mark)
		return;
	fsnotify_destroy_mark(rbu.mark, rbu.watch);
	fsnotify_put_mark(rbu.mark);
	rbu.mark = NULL;
	rbu.marked = NULL;
}

/*
 * Each sysfs mount has its own inode for the file; a mark pins its inode
 * and goes when that sysfs is unmounted.
 */
static int rbu_watch_closes(struct inode *inode)
{
	struct fsnotify_mark *mark = rbu.mark;
	bool attached = false;
	int rc;

	if (mark && rbu.marked == inode) {
		spin_lock(&mark->lock);
		attached = mark->flags & FSNOTIFY_MARK_FLAG_ATTACHED;
		spin_unlock(&mark->lock);
	}
	if (attached)
		return 0;
	rbu_unwatch();
	mark = rbu_mark_new();
	if (!mark)
		return -ENOMEM;
	mark->mask = FS_CLOSE_WRITE;
	rc = fsnotify_add_inode_mark(mark, inode, 0);
	if (rc) {
		fsnotify_put_mark(mark);
		return rc;
	}
	rbu.mark = mark;
	rbu.marked = inode;
	return 0;
}

/* drops the staged image and any partly written direct load */
static void rbu_reset(void)
{
	rbu_free_staged();
	rbu_direct_reset();
}

/* replaces whatever was staged; on failure nothing stays staged */
static int rbu_stage(const u8 *data, size_t size)
{
	bool packet = rbu.type == RBU_PACKET;
	size_t chunk = size, nr = 1, i;

	rbu_free_staged();
	if (!size)
		return -EINVAL;
	if (size > image_size_max)
		return -EFBIG;
	if (packet) {
		if (!rbu.packet_size)
			return -EINVAL;
		chunk = rbu.packet_size;
		nr = DIV_ROUND_UP(size, chunk);
		if (nr > RBU_PACKET_COUNT_MAX)
			return -EFBIG;
	}
	rbu.blocks = kvcalloc(nr, sizeof(*rbu.blocks), GFP_KERNEL | __GFP_NOWARN);
	if (!rbu.blocks)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		size_t off = i * chunk;
		size_t len = min(chunk, size - off);
		struct rbu_block *blk = rbu_block_alloc(packet ? chunk : len, packet);

		if (!blk) {
			rbu_free_staged();
			return -ENOMEM;
		}
		blk->len = len;
		memcpy(blk->virt, data + off, len);
		rbu.blocks[rbu.nr_blocks++] = blk;
		rbu.staged += len;
	}
	return 0;
}

static void rbu_fw_loaded(const struct firmware *fw, void *context)
{
	int rc;

	mutex_lock(&rbu.lock);
	rbu.fw_requested = false;
	complete_all(&rbu.fw_done);
	if (fw) {
		rc = rbu_stage(fw->data, fw->size);
		if (rc)
			pr_err("staging %zu bytes failed: %d\n", fw->size, rc);
	}
	mutex_unlock(&rbu.lock);
	/* the loader maps its buffer read-only: zero it through its pages */
	if (fw)
		rbu_scrub_vmalloc(fw->data, fw->size);
	release_firmware(fw);
}

/* the firmware-class fallback: /sys/class/firmware/dell_rbu/{loading,data} */
static int rbu_request_fw(void)
{
	int rc;

	if (rbu.fw_requested)
		return 0;
	reinit_completion(&rbu.fw_done);
	rc = request_firmware_nowait(THIS_MODULE, FW_ACTION_NOUEVENT, RBU_NAME, &rbu.pdev->dev,
				     GFP_KERNEL, NULL, rbu_fw_loaded);
	if (!rc)
		rbu.fw_requested = true;
	return rc;
}

/*
 * An aborted or finished request's entries vanish a moment before its
 * callback runs: let such a callback finish before deciding whether a new
 * request is needed. A request still waiting for its image stays.
 */
static void rbu_settle_request(void)
{
	if (!rbu.fw_requested)
		return;
	mutex_unlock(&rbu.lock);
	wait_for_completion_timeout(&rbu.fw_done, msecs_to_jiffies(500));
	mutex_lock(&rbu.lock);
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
		rbu_settle_request();
		rc = rbu_request_fw();
	} else {
		rc = -EINVAL;
	}
	if (!rc)
		rbu_reset();
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
	rbu_reset();
	rbu.packet_size = size;
	mutex_unlock(&rbu.lock);
	return count;
}
static DEVICE_ATTR_RW(packet_size);

/*
 * The direct load path: write the size, then the image at its offsets; the
 * image is staged when its last byte arrives; 0 aborts.
 */
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
	rbu_reset();
	if (size) {
		/* a size the machine cannot hold is the caller's error: no OOM kill, no dump */
		rbu.direct = __vmalloc(size, GFP_KERNEL | __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
		if (rbu.direct)
			rbu.direct_size = size;
		else
			rc = -ENOMEM;
	}
	mutex_unlock(&rbu.lock);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(image_size);

static ssize_t image_write(struct file *filp, struct kobject *kobj, RBU_BIN_ATTR *attr, char *buf,
			   loff_t pos, size_t count)
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
	rc = rbu_watch_closes(file_inode(filp));
	if (rc) {
		rbu_direct_reset();
		goto out;
	}
	rc = count;
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

/*
 * Every block but the last holds a whole chunk, so a position finds its
 * block by division.
 */
static ssize_t data_read(struct file *filp, struct kobject *kobj, RBU_BIN_ATTR *attr, char *buf,
			 loff_t pos, size_t count)
{
	size_t done = 0, chunk;

	mutex_lock(&rbu.lock);
	chunk = rbu.nr_blocks ? rbu.blocks[0]->len : 0;
	while (done < count && pos + done < rbu.staged) {
		size_t at = pos + done;
		struct rbu_block *blk = rbu.blocks[at / chunk];
		size_t off = at % chunk;
		size_t n = min(blk->len - off, count - done);

		memcpy(buf + done, blk->virt + off, n);
		done += n;
	}
	mutex_unlock(&rbu.lock);
	return done;
}
static BIN_ATTR_ADMIN_RO(data, 0);

static struct attribute *rbu_attrs[] = {
	&dev_attr_image_type.attr,
	&dev_attr_packet_size.attr,
	&dev_attr_image_size.attr,
	NULL,
};

static RBU_BIN_ATTR *rbu_bin_attrs[] = {
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

	if (!strcmp(image_type, "packet")) {
		rbu.type = RBU_PACKET;
	} else if (strcmp(image_type, "mono")) {
		pr_err("image_type=%s: expected mono or packet\n", image_type);
		return -EINVAL;
	}

	rbu.watch = fsnotify_alloc_group(&rbu_watch_ops, 0);
	if (IS_ERR(rbu.watch))
		return PTR_ERR(rbu.watch);
	rbu.pdev = platform_device_register_simple(RBU_NAME, PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(rbu.pdev)) {
		rc = PTR_ERR(rbu.pdev);
		goto put_watch;
	}
	rc = sysfs_create_group(&rbu.pdev->dev.kobj, &rbu_group);
	if (rc)
		goto unregister;
	return 0;

unregister:
	platform_device_unregister(rbu.pdev);
put_watch:
	fsnotify_put_group(rbu.watch);
	return rc;
}

static void __exit rbu_exit(void)
{
	sysfs_remove_group(&rbu.pdev->dev.kobj, &rbu_group);
	mutex_lock(&rbu.lock);
	rbu_unwatch();
	rbu_reset();
	mutex_unlock(&rbu.lock);
	/* no close handler runs and no mark is left to free once this returns */
	fsnotify_put_group(rbu.watch);
	fsnotify_wait_marks_destroyed();
	platform_device_unregister(rbu.pdev);
}

module_init(rbu_init);
module_exit(rbu_exit);

MODULE_DESCRIPTION("Dell Remote BIOS Update: stage a BIOS image for the next warm reboot");
MODULE_LICENSE("GPL");
