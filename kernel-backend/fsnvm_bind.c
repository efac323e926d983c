// SPDX-License-Identifier: GPL-2.0
/*
 * Binding frontswap-nvm to a pmem namespace, and letting go of it.
 *
 *   echo /dev/pmem0 > /sys/kernel/mm/frontswap_nvm/device   bind
 *   echo > /sys/kernel/mm/frontswap_nvm/device              unbind
 *   frontswap_nvm.device=/dev/pmem0               on the command line
 *
 * The module parameter serves the command line only: a parameter's .set
 * runs under the kernel's global param_lock, and a bind recovers the whole
 * index, which on a large namespace takes seconds.  At run time the
 * sysfs file (fsnvm_sysfs.c) binds, under fsnvm_bind_mutex alone.
 *
 * nd_pmem probes asynchronously, so a device named on the command line is
 * retried for a while until it appears.  Opening the namespace (checks,
 * mapping, recovery, memory errors) is fsnvm_namespace.c's, shared with
 * the swap device front end; swap contents never outlive the swap
 * device's own state, so frontswap's bind releases every page found.
 * Unbinding is refused while pages are stored.
 */
#define pr_fmt(fmt) FSNVM_NAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "fsnvm_kernel.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "frontswap_nvm."

/* A device named before fsnvm_bind_init() ran (the command line). */
static char fsnvm_boot_path[FSNVM_PATH_MAX];
static bool fsnvm_registered;	/* we hold the frontswap slot */

/* Boot binding: every second, for up to two minutes. */
#define FSNVM_BOOT_RETRY_MS 1000
#define FSNVM_BOOT_RETRIES 120
static void fsnvm_boot_bind_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(fsnvm_boot_bind_work, fsnvm_boot_bind_fn);
static unsigned int fsnvm_boot_tries;

/*
 * Called with fsnvm_bind_mutex held.  quiet_missing: a device that does
 * not exist (yet) is not worth a log line (boot-time retries).
 */
static int fsnvm_bind(const char *path, bool quiet_missing)
{
	struct fsnvm_dev *d, *cur;
	int ret;

	lockdep_assert_held(&fsnvm_bind_mutex);
	cur = rcu_dereference_protected(fsnvm_dev, lockdep_is_held(&fsnvm_bind_mutex));
	if (cur) {
		pr_err("%s: already bound to %s; unbind first\n", path, cur->path);
		return -EBUSY;
	}
	d = fsnvm_ns_open(path, FSNVM_RECOVER_ATTACH, quiet_missing);
	if (IS_ERR(d))
		return PTR_ERR(d);
	ret = fsnvm_balancer_start(d);
	if (ret) {
		fsnvm_ns_close(d);
		return ret;
	}
	rcu_assign_pointer(fsnvm_dev, d);
	return 0;
}

/*
 * Called with fsnvm_bind_mutex held.  Stores are refused first and the
 * ones in flight waited for; only then is "no page stored" a stable fact.
 * Loads and invalidations keep working throughout: a stored page that
 * cannot be loaded would be silently lost.
 */
static int fsnvm_unbind(void)
{
	struct fsnvm_dev *d;
	struct fsnvm_stats s;

	lockdep_assert_held(&fsnvm_bind_mutex);
	d = rcu_dereference_protected(fsnvm_dev, lockdep_is_held(&fsnvm_bind_mutex));
	if (!d)
		return 0;
	WRITE_ONCE(d->stopping, true);
	synchronize_rcu();
	fsnvm_get_stats(d->engine, &s);
	if (READ_ONCE(d->gone)) {
		pr_warn("%s: unbinding a namespace that went away: %llu pages lost with it\n",
			d->path, s.frames_used + s.pages_lost);
	} else if (s.frames_used || s.pages_lost) {
		WRITE_ONCE(d->stopping, false);
		pr_err("%s: cannot unbind: %llu pages are stored (swapoff first)\n",
		       d->path, s.frames_used + s.pages_lost);
		return -EBUSY;
	}
	/*
	 * Nothing is stored and stores are refused; frontswap then calls
	 * no load or invalidate_page, and invalidate_area waits for the bind
	 * mutex.  With the balancer stopped the counters are final: they
	 * move to the since-boot totals as the engine is unpublished.
	 */
	fsnvm_balancer_stop(d);
	spin_lock(&fsnvm_past_lock);
	fsnvm_get_stats(d->engine, &s);
	fsnvm_stats_keep(&s);
	rcu_assign_pointer(fsnvm_dev, NULL);
	spin_unlock(&fsnvm_past_lock);
	synchronize_rcu();
	pr_info("unbound from %s\n", d->path);
	fsnvm_ns_close(d);
	return 0;
}

static void fsnvm_boot_bind_fn(struct work_struct *work)
{
	int ret;

	mutex_lock(&fsnvm_bind_mutex);
	ret = fsnvm_boot_path[0] ? fsnvm_bind(fsnvm_boot_path, true) : 0;
	mutex_unlock(&fsnvm_bind_mutex);
	if ((ret == -ENOENT || ret == -ENXIO) &&
	    ++fsnvm_boot_tries < FSNVM_BOOT_RETRIES) {
		if (fsnvm_boot_tries % 10 == 1)
			pr_info("%s not there yet, retrying\n", fsnvm_boot_path);
		schedule_delayed_work(&fsnvm_boot_bind_work,
				      msecs_to_jiffies(FSNVM_BOOT_RETRY_MS));
	} else if (ret) {
		pr_err("could not bind %s at boot: %d\n", fsnvm_boot_path, ret);
	}
}

int fsnvm_device_write(const char *val)
{
	char path[FSNVM_PATH_MAX];
	char *p;
	int ret;

	if (strscpy(path, val, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	p = strim(path);
	if (!fsnvm_registered) {
		pr_err("not registered with frontswap (frontswap_nvm.register=0?): cannot bind\n");
		return -ENODEV;
	}
	cancel_delayed_work_sync(&fsnvm_boot_bind_work);
	mutex_lock(&fsnvm_bind_mutex);
	ret = p[0] ? fsnvm_bind(p, false) : fsnvm_unbind();
	mutex_unlock(&fsnvm_bind_mutex);
	return ret;
}

/*
 * The command line's frontswap_nvm.device=PATH, bound once init ran.  The
 * parameter's sysfs file is read-only, so nothing calls this later.
 */
static int fsnvm_device_set(const char *val, const struct kernel_param *kp)
{
	if (strscpy(fsnvm_boot_path, val, sizeof(fsnvm_boot_path)) < 0)
		return -ENAMETOOLONG;
	strreplace(fsnvm_boot_path, '\n', '\0');
	return 0;
}

static int fsnvm_device_get(char *buf, const struct kernel_param *kp)
{
	return fsnvm_device_show(buf);
}

static const struct kernel_param_ops fsnvm_device_ops = {
	.set = fsnvm_device_set,
	.get = fsnvm_device_get,
};
module_param_cb(device, &fsnvm_device_ops, NULL, 0444);
MODULE_PARM_DESC(device, "fsdax pmem block device to swap onto at boot (at run time: /sys/kernel/mm/frontswap_nvm/device)");

void fsnvm_bind_init(bool registered)
{
	fsnvm_registered = registered;
	if (registered && fsnvm_boot_path[0])
		schedule_delayed_work(&fsnvm_boot_bind_work, 0);
}
