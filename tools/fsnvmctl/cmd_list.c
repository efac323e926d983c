// SPDX-License-Identifier: GPL-2.0
/*
 * fsnvmctl list: the pmem namespaces of this machine through libndctl,
 * their mode and size, whether they carry a frontswap-nvm format, and which
 * front end (frontswap, or the swap device) holds which (their sysfs
 * device files).
 */
#include <daxctl/libdaxctl.h>
#include <ndctl/libndctl.h>
#include <string.h>

#include "media.h"
#include "fsnvmctl.h"
#include "options.h"
#include "output.h"

struct ns_info {
	const char *name, *region, *mode;
	u64 size;
	char dev[64];		/* "pmem0", "dax0.0" or "" */
	char path[80];		/* "/dev/pmem0" or "" */
	char format[200];	/* "frontswap-nvm", "none", or why not known */
	u64 frames;		/* when formatted */
	bool ours;
	enum front_end bound;	/* FE_COUNT: none */
};

static const char *mode_str(enum ndctl_namespace_mode m)
{
	switch (m) {
	case NDCTL_NS_MODE_FSDAX:
		return "fsdax";
	case NDCTL_NS_MODE_SECTOR:
		return "sector";
	case NDCTL_NS_MODE_RAW:
		return "raw";
	case NDCTL_NS_MODE_DEVDAX:
		return "devdax";
	default:
		return "unknown";
	}
}

/* The device node of a namespace, by its mode's seed device. */
static void ns_device(struct ndctl_namespace *ndns, enum ndctl_namespace_mode m,
		      char *out, size_t len)
{
	struct ndctl_pfn *pfn = ndctl_namespace_get_pfn(ndns);
	struct ndctl_btt *btt = ndctl_namespace_get_btt(ndns);
	struct ndctl_dax *dax = ndctl_namespace_get_dax(ndns);
	const char *name = NULL;

	out[0] = 0;
	if (m == NDCTL_NS_MODE_DEVDAX && dax) {
		struct daxctl_region *region = ndctl_dax_get_daxctl_region(dax);
		struct daxctl_dev *dev;

		daxctl_dev_foreach(region, dev)
			if (daxctl_dev_get_size(dev)) {
				name = daxctl_dev_get_devname(dev);
				break;
			}
	} else if (pfn) {
		name = ndctl_pfn_get_block_device(pfn);
	} else if (btt) {
		name = ndctl_btt_get_block_device(btt);
	} else {
		name = ndctl_namespace_get_block_device(ndns);
	}
	if (name && *name)
		snprintf(out, len, "%s", name);
}

/* Does the device carry our format?  Read only. */
static void ns_format(struct ns_info *ns)
{
	struct fsnvm_geometry geo;
	enum fsnvm_media_status st;
	struct dev d;

	if (!ns->path[0]) {
		snprintf(ns->format, sizeof(ns->format), "no device node");
		return;
	}
	if (dev_open(&d, ns->path, false)) {
		snprintf(ns->format, sizeof(ns->format), "unreadable: %s", d.err);
		return;
	}
	ns->bound = dev_bound_by(ns->path, d.rdev);
	st = dev_super(&d, &geo);
	if (st == FSNVM_MEDIA_OK) {
		snprintf(ns->format, sizeof(ns->format), "frontswap-nvm");
		ns->ours = true;
		ns->frames = geo.nr_frames;
	} else if (st == FSNVM_MEDIA_BAD_MAGIC || st == FSNVM_MEDIA_TOO_SMALL) {
		snprintf(ns->format, sizeof(ns->format), "none");
	} else {
		snprintf(ns->format, sizeof(ns->format), "damaged: %s",
			 fsnvm_media_str(st));
	}
	dev_close(&d);
}

static struct json_object *ns_json(const struct ns_info *ns)
{
	struct json_object *o = json_object_new_object();

	jadd_str(o, "namespace", ns->name);
	jadd_str(o, "region", ns->region);
	jadd_str(o, "mode", ns->mode);
	jadd_u64(o, "size", ns->size);
	jadd_str(o, "device", ns->path[0] ? ns->path : NULL);
	jadd_str(o, "format", ns->format);
	if (ns->ours)
		jadd_u64(o, "frames", ns->frames);
	jadd_bool(o, "bound", ns->bound != FE_COUNT);
	jadd_str(o, "front_end",
		 ns->bound != FE_COUNT ? front_end_name(ns->bound) : NULL);
	return o;
}

int cmd_list(int argc, char **argv)
{
	bool json = false;
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &json, "print a JSON array (raw numbers)"),
		OPT_END(),
	};
	const struct cmd_usage u = {
		"list", "[--json]",
		"List the pmem namespaces, their format and the backend's binding.",
		opts,
	};
	struct json_object *arr = NULL;
	struct ndctl_namespace *ndns;
	struct ndctl_region *region;
	struct ndctl_bus *bus;
	struct ndctl_ctx *ctx;
	char bound_buf[256];
	enum front_end fe;
	const char *bound;
	unsigned int n = 0;
	int i = parse_args(argc, argv, &u, 0, 0), rc;

	if (i < 0)
		return parse_exit(i);
	rc = ndctl_new(&ctx);
	if (rc)
		return fail("libndctl: %s", strerror(-rc));
	if (json)
		arr = json_object_new_array();
	ndctl_bus_foreach(ctx, bus)
		ndctl_region_foreach(bus, region)
			ndctl_namespace_foreach(region, ndns) {
		enum ndctl_namespace_mode m = ndctl_namespace_get_mode(ndns);
		struct ns_info ns = {
			.name = ndctl_namespace_get_devname(ndns),
			.region = ndctl_region_get_devname(region),
			.mode = mode_str(m),
			.size = ndctl_namespace_get_size(ndns),
		};
		char b[32];

		if (!ndctl_namespace_is_active(ndns) || !ns.size)
			continue;	/* idle seeds, as `ndctl list` */
		ns_device(ndns, m, ns.dev, sizeof(ns.dev));
		if (ns.dev[0])
			snprintf(ns.path, sizeof(ns.path), "/dev/%s", ns.dev);
		ns_format(&ns);
		if (json) {
			json_object_array_add(arr, ns_json(&ns));
		} else {
			if (!n)
				printf("%-14s %-8s %-7s %10s  %-12s %-11s %s\n",
				       "NAMESPACE", "REGION", "MODE", "SIZE",
				       "DEVICE", "BOUND", "FORMAT");
			printf("%-14s %-8s %-7s %10s  %-12s %-11s %s\n", ns.name,
			       ns.region, ns.mode, fmt_bytes(ns.size, b, sizeof(b)),
			       ns.path[0] ? ns.path : "-", ns.bound != FE_COUNT ? front_end_name(ns.bound) : "no",
			       ns.format);
		}
		n++;
	}
	ndctl_unref(ctx);
	if (json) {
		json_emit(arr);
		return EXIT_OK;
	}
	if (!n)
		printf("no pmem namespaces found (no NVDIMM, and no memmap=/efi_fake_mem pmem)\n");
	for (fe = 0; fe < FE_COUNT; fe++) {
		bound = backend_device(fe, bound_buf, sizeof(bound_buf));
		if (bound)
			printf("%s front end bound to %s\n",
			       front_end_name(fe), bound);
	}
	return EXIT_OK;
}
