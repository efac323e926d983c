// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: FSNVM_SYSFS_DIR, the front end's ABI (documented in
 * docs/ABI/sysfs-kernel-mm-frontswap_nvm, and for the swap device
 * docs/ABI/sysfs-kernel-fsnvm_swap): /sys/kernel/mm/frontswap_nvm/ built
 * in, /sys/kernel/fsnvm_swap/ for the module (6.12 does not export
 * mm_kobj).
 *
 *   device        the bound namespace's path, empty when none; write a
 *                 path to bind, an empty line to unbind
 *   stats/NAME    one counter per file, in decimal (fsnvm_stats.c), and
 *                 refused_unbound, wear_min, wear_mean, device_gone
 *
 * A file keeps its meaning; new ones may be added.  Writing `device` takes
 * fsnvm_bind_mutex only, not the kernel's param_lock (fsnvm_bind.c).
 */
#define pr_fmt(fmt) FSNVM_NAME ": " fmt

#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "fsnvm_kernel.h"

static ssize_t device_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return fsnvm_device_show(buf);
}

static ssize_t device_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	int ret = fsnvm_device_write(buf);

	return ret ? ret : count;
}

static struct kobj_attribute fsnvm_device_attr = __ATTR_RW(device);

/* One counter of fsnvm_counters[]. */
struct fsnvm_counter_attr {
	struct kobj_attribute attr;
	unsigned int index;
};

static ssize_t fsnvm_counter_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	unsigned int i = container_of(attr, struct fsnvm_counter_attr,
				      attr)->index;
	struct fsnvm_stats s;

	fsnvm_snapshot(&s, NULL, 0, NULL);
	return sysfs_emit(buf, "%llu\n", fsnvm_counter_value(&s, i));
}

static ssize_t refused_unbound_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  (long long)atomic64_read(&fsnvm_refused_unbound));
}

static ssize_t wear_min_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%llu\n", fsnvm_wear_min());
}

static ssize_t wear_mean_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct fsnvm_stats s;

	fsnvm_snapshot(&s, NULL, 0, NULL);
	return sysfs_emit(buf, "%llu\n", s.frames_total ?
			  div64_u64(s.wear_sum, s.frames_total) : 0);
}

static ssize_t device_gone_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct fsnvm_stats s;
	bool gone = false;

	fsnvm_snapshot(&s, NULL, 0, &gone);
	return sysfs_emit(buf, "%d\n", gone);
}

static struct kobj_attribute fsnvm_extra_attrs[] = {
	__ATTR_RO(refused_unbound),
	__ATTR_RO(wear_min),
	__ATTR_RO(wear_mean),
	__ATTR_RO(device_gone),
};

static struct kobject *fsnvm_kobj;
static struct attribute_group *fsnvm_group;
static struct fsnvm_counter_attr *fsnvm_counter_attrs;

void fsnvm_sysfs_exit(void)
{
	if (fsnvm_kobj)
		kobject_put(fsnvm_kobj);	/* removes its files */
	if (fsnvm_group)
		kfree(fsnvm_group->attrs);
	kfree(fsnvm_group);
	kfree(fsnvm_counter_attrs);
	fsnvm_kobj = NULL;
	fsnvm_group = NULL;
	fsnvm_counter_attrs = NULL;
}

int fsnvm_sysfs_init(struct kobject *parent)
{
	unsigned int n = fsnvm_nr_counters, nx = ARRAY_SIZE(fsnvm_extra_attrs);
	struct fsnvm_counter_attr *ca;
	struct attribute_group *group;
	struct attribute **attrs;
	unsigned int i;
	int ret = -ENOMEM;

	/* Freed by fsnvm_sysfs_exit(), which only the module calls. */
	ca = kcalloc(n, sizeof(*ca), GFP_KERNEL);
	attrs = kcalloc(n + nx + 1, sizeof(*attrs), GFP_KERNEL);
	group = kzalloc(sizeof(*group), GFP_KERNEL);
	fsnvm_counter_attrs = ca;
	fsnvm_group = group;
	if (group)
		group->attrs = attrs;
	fsnvm_kobj = kobject_create_and_add(FSNVM_NAME, parent);
	if (!ca || !attrs || !group || !fsnvm_kobj)
		goto fail;
	for (i = 0; i < n; i++) {
		sysfs_attr_init(&ca[i].attr.attr);
		ca[i].attr.attr.name = fsnvm_counters[i].name;
		ca[i].attr.attr.mode = 0444;
		ca[i].attr.show = fsnvm_counter_show;
		ca[i].index = i;
		attrs[i] = &ca[i].attr.attr;
	}
	for (i = 0; i < nx; i++)
		attrs[n + i] = &fsnvm_extra_attrs[i].attr;
	group->name = "stats";
	ret = sysfs_create_file(fsnvm_kobj, &fsnvm_device_attr.attr);
	if (!ret)
		ret = sysfs_create_group(fsnvm_kobj, group);
	if (!ret)
		return 0;
fail:
	pr_err("no " FSNVM_SYSFS_DIR " (%d)\n", ret);
	if (!group)
		kfree(attrs);
	fsnvm_sysfs_exit();
	return ret;
}
