// SPDX-License-Identifier: GPL-2.0
/*
 * Test only (CONFIG_FRONTSWAP_NVM_PROVOKE): make the kernel print one kind
 * of report on demand, so that the end-to-end runner, which fails a test
 * on any such report, is shown to catch each kind (tests/e2e/provoke).
 *
 *   echo warn > /sys/kernel/debug/frontswap_nvm/provoke
 *
 * Each report but "oops" is real and harmless: nothing is corrupted that
 * is used again, no lock is held for real in a bad order at the same time.
 * lockdep and KASAN stop reporting after their first report, and lockdep
 * also once the kernel is tainted (by KASAN, UBSAN or a WARN), so each is
 * provoked once per boot, rcu (which relies on lockdep) first, lockdep
 * next; "oops" ends the boot (oops=panic).
 */
#define pr_fmt(fmt) FSNVM_NAME ": " fmt

#include <linux/compiler.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "fsnvm_kernel.h"

static DEFINE_MUTEX(fsnvm_provoke_a);
static DEFINE_MUTEX(fsnvm_provoke_b);

/* A read one byte past a 16-byte allocation. */
static void fsnvm_provoke_kasan(void)
{
	size_t past = 16;
	char *p = kmalloc(16, GFP_KERNEL);

	if (!p)
		return;
	OPTIMIZER_HIDE_VAR(past);
	pr_info("provoked KASAN read: %d\n", READ_ONCE(p[past]));
	kfree(p);
}

/* A shift by more than the width of the type. */
static void fsnvm_provoke_ubsan(void)
{
	unsigned int shift = 70;
	u64 one = 1;

	OPTIMIZER_HIDE_VAR(shift);
	pr_info("provoked UBSAN shift: %llu\n", one << shift);
}

/* A then B, later B then A: a possible deadlock, never a real one. */
static void fsnvm_provoke_lockdep(void)
{
	mutex_lock(&fsnvm_provoke_a);
	mutex_lock(&fsnvm_provoke_b);
	mutex_unlock(&fsnvm_provoke_b);
	mutex_unlock(&fsnvm_provoke_a);
	mutex_lock(&fsnvm_provoke_b);
	mutex_lock(&fsnvm_provoke_a);
	mutex_unlock(&fsnvm_provoke_a);
	mutex_unlock(&fsnvm_provoke_b);
}

/* rcu_dereference() outside any RCU read-side section. */
static void fsnvm_provoke_rcu(void)
{
	pr_info("provoked RCU use: %p\n", rcu_dereference(fsnvm_dev));
}

/*
 * A write past a slab object that KASAN does not see (this function is not
 * instrumented), so that SLUB's own red-zone check reports it: at the
 * object's real free, or when the cache is validated through sysfs.
 */
static noinline __no_sanitize_address void fsnvm_provoke_slub(void)
{
	size_t past = 16;
	char *p = kmalloc(16, GFP_KERNEL);

	if (!p)
		return;
	OPTIMIZER_HIDE_VAR(past);
	p[past] = 0x5a;
	kfree(p);
}

/* The CPU held for longer than the soft-lockup threshold (watchdog_thresh
 * set low by the test), and a task blocked longer than the hung-task one.
 */
static void fsnvm_provoke_spin(void)
{
	preempt_disable();
	mdelay(5000);
	preempt_enable();
}

static void fsnvm_provoke_block(void)
{
	schedule_timeout_uninterruptible(5 * HZ);
}

/* A NULL pointer dereference: an oops, which oops=panic makes fatal. */
static void fsnvm_provoke_oops(void)
{
	int *null = NULL;

	OPTIMIZER_HIDE_VAR(null);
	pr_info("provoked oops: %d\n", READ_ONCE(*null));
}

/* A might-sleep point with preemption off. */
static void fsnvm_provoke_sleep(void)
{
	preempt_disable();
	might_sleep();
	preempt_enable();
}

static ssize_t fsnvm_provoke_write(struct file *file, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	char word[16];

	if (len >= sizeof(word))
		return -EINVAL;
	if (copy_from_user(word, ubuf, len))
		return -EFAULT;
	word[len] = 0;
	strim(word);
	pr_info("provoking a %s report on purpose\n", word);
	if (!strcmp(word, "warn"))
		WARN(1, "frontswap_nvm: provoked warning\n");
	else if (!strcmp(word, "kasan"))
		fsnvm_provoke_kasan();
	else if (!strcmp(word, "ubsan"))
		fsnvm_provoke_ubsan();
	else if (!strcmp(word, "lockdep"))
		fsnvm_provoke_lockdep();
	else if (!strcmp(word, "rcu"))
		fsnvm_provoke_rcu();
	else if (!strcmp(word, "sleep"))
		fsnvm_provoke_sleep();
	else if (!strcmp(word, "slub"))
		fsnvm_provoke_slub();
	else if (!strcmp(word, "spin"))
		fsnvm_provoke_spin();
	else if (!strcmp(word, "block"))
		fsnvm_provoke_block();
	else if (!strcmp(word, "oops"))	/* the last: the guest panics */
		fsnvm_provoke_oops();
	else
		return -EINVAL;
	return len;
}

static const struct file_operations fsnvm_provoke_fops = {
	.owner = THIS_MODULE,
	.write = fsnvm_provoke_write,
	.llseek = noop_llseek,
};

void fsnvm_provoke_init(struct dentry *dir)
{
	debugfs_create_file("provoke", 0200, dir, NULL, &fsnvm_provoke_fops);
}
