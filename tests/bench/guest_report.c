/*
 * tests/bench/guest_report.c — the guest benchmark's report: reads the
 * BENCH-* lines of the guests' console logs (emulation/guest/bench.sh),
 * writes results-guest.json and the SVG chart, prints the README table
 * and each target's verdict.
 *
 *   guest_report --json OUT.json --svg OUT.svg [--machine TEXT]
 *                [--require-all] LOG...
 *
 * Per workload and mode: median, min and max seconds over the rounds, and
 * ratio_to_pmem = (swap-on-pmem median) / (this median), > 1 is faster;
 * per round the same ratio within the round.  Per workload, from the same
 * rounds: normalized endurance (mean / max wear over the namespace's
 * frames) of frontswap-nvm's frames and of the slots swap on the pmem
 * wrote in place, their ratio, and the projected lifetime ratio: how many
 * more pages can be swapped out before the most-worn frame reaches a
 * given endurance, (max_inplace / writes_inplace) / (max_nvm / offered),
 * where offered is what frontswap offered the backend in the nvm run.
 *
 * --require-all: exit 1 unless every mode x workload ran every round of
 * that workload, with its wear (what the quick run in make check
 * asserts); the wear workload (aging) runs in modes nvm and pmem only.
 * The picture's histograms are those of the run whose in-place wear went
 * highest.  Exit 2 on bad input.
 */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ITEMS 4096
#define MAX_ROUNDS 1000	/* rounds are numbered 1..MAX_ROUNDS */
#define NAME_LEN 24

static const char *const mode_names[] = { "frontswap-nvm", "swap-on-pmem", "zswap", "zswap-big", "disk",
					 "swap-device" };
static const char *const mode_keys[] = { "nvm", "pmem", "zswap", "zswap-big", "disk", "swapdev" };
#define NMODES 6
#define MODE_NVM 0
#define MODE_PMEM 1
#define MODE_DISK 4
#define MODE_SWAPDEV 5

struct row {
	int mode, round;
	char workload[NAME_LEN];
	double seconds;
	unsigned long long stores, loads, refused, pswpout, pswpin;
};

struct wear {
	char workload[NAME_LEN], kind[NAME_LEN];
	int round;
	unsigned long long frames, writes, max;
};

struct hist {
	char workload[NAME_LEN], kind[NAME_LEN];
	int round;
	unsigned long long from, to, frames;
};

static struct row rows[MAX_ITEMS];
static struct wear wears[MAX_ITEMS];
static struct hist hists[MAX_ITEMS];
static int nrows, nwears, nhists;
static char workloads[16][NAME_LEN];
static int nworkloads;

/* The value of " key=" in line, copied into out; 0 if found. */
static int field(const char *line, const char *key, char *out, size_t len)
{
	char pat[40];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	n = strcspn(p, " \r\n");
	if (n == 0 || n >= len)
		return -1;
	memcpy(out, p, n);
	out[n] = 0;
	return 0;
}

static int ufield(const char *line, const char *key, unsigned long long *v)
{
	char buf[32], *end;

	if (field(line, key, buf, sizeof(buf)))
		return -1;
	*v = strtoull(buf, &end, 10);
	return *end ? -1 : 0;
}

static void add_workload(const char *w)
{
	for (int i = 0; i < nworkloads; i++)
		if (!strcmp(workloads[i], w))
			return;
	if (nworkloads < 16)
		snprintf(workloads[nworkloads++], NAME_LEN, "%s", w);
}

static int parse_line(const char *line)
{
	char buf[NAME_LEN], secs[32];
	unsigned long long round;

	if (!strncmp(line, "BENCH-ROW ", 10)) {
		struct row *r = &rows[nrows];

		if (nrows == MAX_ITEMS || field(line, "mode", buf, sizeof(buf)) ||
		    field(line, "workload", r->workload, NAME_LEN) ||
		    ufield(line, "round", &round) || field(line, "seconds", secs, sizeof(secs)) ||
		    ufield(line, "stores", &r->stores) || ufield(line, "loads", &r->loads) ||
		    ufield(line, "refused", &r->refused) || ufield(line, "pswpout", &r->pswpout) ||
		    ufield(line, "pswpin", &r->pswpin))
			return -1;
		r->mode = -1;
		for (int m = 0; m < NMODES; m++)
			if (!strcmp(buf, mode_keys[m]))
				r->mode = m;
		r->seconds = strtod(secs, NULL);
		r->round = (int)round;
		if (r->mode < 0 || r->seconds <= 0 || round < 1 || round > MAX_ROUNDS)
			return -1;
		add_workload(r->workload);
		nrows++;
	} else if (!strncmp(line, "BENCH-WEAR ", 11)) {
		struct wear *w = &wears[nwears];

		if (nwears == MAX_ITEMS || field(line, "workload", w->workload, NAME_LEN) ||
		    field(line, "kind", w->kind, NAME_LEN) || ufield(line, "round", &round) ||
		    ufield(line, "frames", &w->frames) || ufield(line, "writes", &w->writes) ||
		    ufield(line, "max", &w->max) || !w->frames || round < 1 ||
		    round > MAX_ROUNDS)
			return -1;
		w->round = (int)round;
		nwears++;
	} else if (!strncmp(line, "BENCH-HIST ", 11)) {
		struct hist *h = &hists[nhists];

		if (nhists == MAX_ITEMS || field(line, "workload", h->workload, NAME_LEN) ||
		    field(line, "kind", h->kind, NAME_LEN) || ufield(line, "round", &round) ||
		    ufield(line, "from", &h->from) || ufield(line, "to", &h->to) ||
		    ufield(line, "frames", &h->frames) || round < 1 || round > MAX_ROUNDS ||
		    h->to < h->from)
			return -1;
		h->round = (int)round;
		nhists++;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct cell {
	int n;
	double med, min, max;
	double stores, loads, refused, pswpout, pswpin;	/* medians */
};

static void cell_of(const char *workload, int mode, struct cell *c)
{
	double s[MAX_ITEMS], st[MAX_ITEMS], ld[MAX_ITEMS], rf[MAX_ITEMS], po[MAX_ITEMS], pi[MAX_ITEMS];
	int n = 0;

	for (int i = 0; i < nrows; i++) {
		if (rows[i].mode != mode || strcmp(rows[i].workload, workload))
			continue;
		s[n] = rows[i].seconds;
		st[n] = (double)rows[i].stores;
		ld[n] = (double)rows[i].loads;
		rf[n] = (double)rows[i].refused;
		po[n] = (double)rows[i].pswpout;
		pi[n] = (double)rows[i].pswpin;
		n++;
	}
	c->n = n;
	c->med = median(s, n);
	c->min = n ? s[0] : 0;
	c->max = n ? s[n - 1] : 0;
	c->stores = median(st, n);
	c->loads = median(ld, n);
	c->refused = median(rf, n);
	c->pswpout = median(po, n);
	c->pswpin = median(pi, n);
}

static const struct row *row_at(const char *workload, int mode, int round)
{
	for (int i = 0; i < nrows; i++)
		if (rows[i].mode == mode && rows[i].round == round && !strcmp(rows[i].workload, workload))
			return &rows[i];
	return NULL;
}

static const struct wear *wear_at(const char *workload, const char *kind, int round)
{
	for (int i = 0; i < nwears; i++)
		if (wears[i].round == round && !strcmp(wears[i].kind, kind) &&
		    !strcmp(wears[i].workload, workload))
			return &wears[i];
	return NULL;
}

static double endurance(const struct wear *w)
{
	return w->max ? (double)w->writes / (double)w->frames / (double)w->max : 1;
}

struct wear_cell {
	int n;
	double nvm, inplace, ratio, lifetime;	/* medians over rounds */
	unsigned long long max_nvm, max_inplace;	/* of the median round */
	int n_swapdev;				/* rounds with the swap device's */
	double swapdev;				/* its endurance, median */
	unsigned long long max_swapdev;
};

static void wear_of(const char *workload, struct wear_cell *c)
{
	double en[MAX_ITEMS], ei[MAX_ITEMS], ra[MAX_ITEMS], li[MAX_ITEMS];
	int n = 0;

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < nwears; i++) {
		const struct wear *wn = &wears[i], *wi;
		const struct row *r;

		if (strcmp(wn->kind, "nvm") || strcmp(wn->workload, workload))
			continue;
		wi = wear_at(workload, "inplace", wn->round);
		r = row_at(workload, MODE_NVM, wn->round);
		if (!wi || !r || !wn->max || !wi->max || !wi->writes)
			continue;
		en[n] = endurance(wn);
		ei[n] = endurance(wi);
		ra[n] = en[n] / ei[n];
		li[n] = ((double)wi->max / (double)wi->writes) /
			((double)wn->max / (double)(r->stores + r->refused));
		c->max_nvm = wn->max;
		c->max_inplace = wi->max;
		n++;
	}
	c->n = n;
	c->nvm = median(en, n);
	c->inplace = median(ei, n);
	c->ratio = median(ra, n);
	c->lifetime = median(li, n);
	/* The swap device front end's wear, the same engine's: nvm's kind. */
	n = 0;
	for (int i = 0; i < nwears; i++) {
		const struct wear *ws = &wears[i];

		if (strcmp(ws->kind, "swapdev") || strcmp(ws->workload, workload) || !ws->max)
			continue;
		en[n++] = endurance(ws);
		c->max_swapdev = ws->max;
	}
	c->n_swapdev = n;
	c->swapdev = median(en, n);
}

/* The highest round of workload's rows, or of all rows for NULL. */
static int rounds_max_of(const char *workload)
{
	int m = 0;

	for (int i = 0; i < nrows; i++)
		if (rows[i].round > m && (!workload || !strcmp(rows[i].workload, workload)))
			m = rows[i].round;
	return m;
}

static int rounds_max(void)
{
	return rounds_max_of(NULL);
}

/*
 * The modes a workload runs in: the wear workload compares the engine's
 * two front ends with swap on pmem.
 */
static int mode_expected(const char *workload, int mode)
{
	return strcmp(workload, "aging") || mode == MODE_NVM || mode == MODE_PMEM ||
	       mode == MODE_SWAPDEV;
}

static void write_json(FILE *f, const char *machine)
{
	int nr = rounds_max();
	char date[32];
	time_t t = time(NULL);

	strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&t));
	fprintf(f, "{\n  \"date\": \"%s\",\n  \"machine\": \"%s\",\n", date, machine);
	fprintf(f, "  \"note\": \"QEMU under TCG: only ratios within this run mean anything\",\n");
	fprintf(f, "  \"rows\": [");
	for (int w = 0, first = 1; w < nworkloads; w++) {
		struct cell pm;
		struct wear_cell wc;

		cell_of(workloads[w], MODE_PMEM, &pm);
		wear_of(workloads[w], &wc);
		for (int m = 0; m < NMODES; m++) {
			struct cell c;

			cell_of(workloads[w], m, &c);
			if (!c.n)
				continue;
			fprintf(f, "%s\n    {\"workload\": \"%s\", \"mode\": \"%s\", \"rounds\": %d, "
				"\"median_s\": %.3f, \"min_s\": %.3f, \"max_s\": %.3f, ",
				first ? "" : ",", workloads[w], mode_names[m], c.n, c.med, c.min, c.max);
			first = 0;
			if (pm.n)
				fprintf(f, "\"ratio_to_pmem\": %.3f, \"ratio_to_pmem_rounds\": [", pm.med / c.med);
			else
				fprintf(f, "\"ratio_to_pmem\": null, \"ratio_to_pmem_rounds\": [");
			for (int r = 1, k = 0; r <= nr; r++) {
				const struct row *a = row_at(workloads[w], m, r), *b = row_at(workloads[w], MODE_PMEM, r);

				if (a && b)
					fprintf(f, "%s%.3f", k++ ? ", " : "", b->seconds / a->seconds);
			}
			fprintf(f, "], \"stores\": %.0f, \"loads\": %.0f, \"refusals\": %.0f, "
				"\"pswpout\": %.0f, \"pswpin\": %.0f",
				c.stores, c.loads, c.refused, c.pswpout, c.pswpin);
			if (wc.n)
				fprintf(f, ", \"endurance_nvm\": %.4f, \"endurance_inplace\": %.4f, "
					"\"endurance_ratio\": %.2f, \"lifetime_ratio\": %.2f, "
					"\"wear_max_nvm\": %llu, \"wear_max_inplace\": %llu",
					wc.nvm, wc.inplace, wc.ratio, wc.lifetime, wc.max_nvm, wc.max_inplace);
			if (wc.n_swapdev)
				fprintf(f, ", \"endurance_swapdev\": %.4f, \"wear_max_swapdev\": %llu",
					wc.swapdev, wc.max_swapdev);
			fprintf(f, "}");
		}
	}
	fprintf(f, "\n  ]\n}\n");
}

/*
 * The workload (index) and round whose histograms the picture shows: the
 * pair whose in-place wear went highest, where the two differ most.
 */
static int pick_hist(int *round)
{
	unsigned long long top = 0;
	int best = -1;

	for (int w = 0; w < nworkloads; w++)
		for (int r = rounds_max(); r >= 1; r--) {
			const struct wear *wi = wear_at(workloads[w], "inplace", r);

			if (wear_at(workloads[w], "nvm", r) && wi && (best < 0 || wi->max > top)) {
				top = wi->max;
				*round = r;
				best = w;
			}
		}
	return best;
}

static const char *const colours[NMODES] = { "#2a9d8f", "#e76f51", "#8ab17d", "#e9c46a", "#6c757d",
					     "#264653" };

static void svg_hist(FILE *f, const char *workload, int round, const char *kind,
		     const char *title, double x0, double y0, double w, double h,
		     unsigned long long xmax, const char *colour)
{
	unsigned long long total = 0;
	double peak = 0;

	for (int i = 0; i < nhists; i++)
		if (hists[i].round == round && !strcmp(hists[i].kind, kind) &&
		    !strcmp(hists[i].workload, workload))
			total += hists[i].frames;
	for (int i = 0; i < nhists; i++)
		if (hists[i].round == round && !strcmp(hists[i].kind, kind) &&
		    !strcmp(hists[i].workload, workload) && total)
			peak = (double)hists[i].frames / (double)total > peak ?
			       (double)hists[i].frames / (double)total : peak;
	fprintf(f, "<text x='%.0f' y='%.0f' font-size='13'>%s</text>\n", x0, y0 - 6, title);
	fprintf(f, "<line x1='%.0f' y1='%.0f' x2='%.0f' y2='%.0f' stroke='black'/>\n", x0, y0 + h, x0 + w, y0 + h);
	for (int i = 0; i < nhists && total && peak > 0; i++) {
		const struct hist *b = &hists[i];
		double bx, bw, bh;

		if (b->round != round || strcmp(b->kind, kind) || strcmp(b->workload, workload))
			continue;
		bx = x0 + w * (double)b->from / ((double)xmax + 1);
		bw = w * (double)(b->to - b->from + 1) / ((double)xmax + 1);
		bh = h * ((double)b->frames / (double)total) / peak;
		if (b->frames && bh < 3)
			bh = 3;	/* a worn tail of a few frames stays visible */
		fprintf(f, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'>"
			"<title>wear %llu-%llu: %llu frames</title></rect>\n",
			bx, y0 + h - bh, bw > 1 ? bw - 0.5 : bw, bh, colour, b->from, b->to, b->frames);
	}
	for (int t = 0; t <= 4; t++) {
		unsigned long long v = xmax * (unsigned long long)t / 4;

		fprintf(f, "<text x='%.1f' y='%.0f' font-size='10' text-anchor='middle'>%llu</text>\n",
			x0 + w * (double)v / ((double)xmax + 1), y0 + h + 12, v);
	}
}

static void write_svg(FILE *f, const char *machine)
{
	const double left = 60, top = 40, ph = 220, gw = 150;
	double width = left + gw * nworkloads + 40, ymax = 0.5;
	int hr, hwi;

	for (int w = 0; w < nworkloads; w++) {
		struct cell pm;

		cell_of(workloads[w], MODE_PMEM, &pm);
		for (int m = 0; m < NMODES && pm.n; m++) {
			struct cell c;

			cell_of(workloads[w], m, &c);
			if (c.n && c.max / pm.med > ymax)
				ymax = c.max / pm.med;
		}
	}
	ymax = ymax < 4 ? (double)(int)(ymax * 2 + 1) / 2 : (double)(int)ymax + 1;
	if (width < 960)
		width = 960;
	fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' width='%.0f' height='620' "
		"font-family='sans-serif'>\n<rect width='100%%' height='100%%' fill='white'/>\n", width);
	fprintf(f, "<text x='%.0f' y='16' font-size='15'>Guest benchmark: time relative to swap on "
		"the same pmem (median, min-max whiskers; lower is faster)</text>\n"
		"<text x='%.0f' y='32' font-size='11'>%s</text>\n", left, left, machine);
	for (int t = 0; t <= 4; t++) {
		double v = ymax * t / 4, y = top + ph - ph * v / ymax;

		fprintf(f, "<line x1='%.0f' x2='%.0f' y1='%.1f' y2='%.1f' stroke='#ddd'/>"
			"<text x='%.0f' y='%.1f' font-size='10' text-anchor='end'>%.2f</text>\n",
			left, width - 20, y, y, left - 4, y + 3, v);
	}
	for (int w = 0; w < nworkloads; w++) {
		struct cell pm;
		double gx = left + gw * w + 10;
		int k = 0;

		cell_of(workloads[w], MODE_PMEM, &pm);
		fprintf(f, "<text x='%.0f' y='%.0f' font-size='12' text-anchor='middle'>%s</text>\n",
			gx + (gw - 20) / 2, top + ph + 16, workloads[w]);
		for (int m = 0; m < NMODES && pm.n; m++) {
			struct cell c;
			double bw = (gw - 20) / NMODES, x, y, ylo, yhi;

			cell_of(workloads[w], m, &c);
			if (!c.n)
				continue;
			x = gx + bw * k++;
			y = top + ph - ph * (c.med / pm.med) / ymax;
			ylo = top + ph - ph * (c.min / pm.med) / ymax;
			yhi = top + ph - ph * (c.max / pm.med) / ymax;
			fprintf(f, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'>"
				"<title>%s %s: median %.2f s (%.2f-%.2f), %d rounds</title></rect>\n",
				x, y, bw - 2, top + ph - y, colours[m], workloads[w], mode_names[m],
				c.med, c.min, c.max, c.n);
			fprintf(f, "<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='black'/>\n",
				x + bw / 2 - 1, x + bw / 2 - 1, ylo, yhi);
		}
	}
	for (int m = 0; m < NMODES; m++)
		fprintf(f, "<rect x='%.0f' y='%.0f' width='10' height='10' fill='%s'/>"
			"<text x='%.0f' y='%.0f' font-size='11'>%s</text>\n",
			left + 120.0 * m, top + ph + 28, colours[m], left + 120.0 * m + 14, top + ph + 37,
			mode_names[m]);
	hwi = pick_hist(&hr);
	if (hwi >= 0) {
		const char *hw = workloads[hwi];
		const struct wear *wn = wear_at(hw, "nvm", hr), *wi = wear_at(hw, "inplace", hr);
		unsigned long long xmax = wn->max > wi->max ? wn->max : wi->max;
		char t1[512], t2[512];
		double hwid = width - left - 40;

		snprintf(t1, sizeof(t1), "frontswap-nvm: wear of the namespace's frames (%s, round %d; max %llu, mean %.2f)",
			 hw, hr, wn->max, (double)wn->writes / (double)wn->frames);
		snprintf(t2, sizeof(t2), "swap on pmem: writes per slot of the same namespace, same workload (max %llu, mean %.2f)",
			 wi->max, (double)wi->writes / (double)wi->frames);
		svg_hist(f, hw, hr, "nvm", t1, left, 360, hwid, 80, xmax, colours[MODE_NVM]);
		svg_hist(f, hw, hr, "inplace", t2, left, 500, hwid, 80, xmax, colours[MODE_PMEM]);
		fprintf(f, "<text x='%.0f' y='612' font-size='11'>x: page writes to a frame (same scale); "
			"y: share of frames, each histogram scaled to its tallest bin (any non-empty bin at least 3 px)</text>\n", left);
	}
	fprintf(f, "</svg>\n");
}

static void print_table(void)
{
	printf("| workload | mode | median s | min-max s | vs swap-on-pmem | pages to the swap device | pages to frontswap-nvm |\n");
	printf("|---|---|---:|---:|---:|---:|---:|\n");
	for (int w = 0; w < nworkloads; w++) {
		struct cell pm;

		cell_of(workloads[w], MODE_PMEM, &pm);
		for (int m = 0; m < NMODES; m++) {
			struct cell c;

			cell_of(workloads[w], m, &c);
			if (!c.n)
				continue;
			printf("| %s | %s | %.2f | %.2f-%.2f | %s%.2fx | %.0f | %.0f |\n",
			       workloads[w], mode_names[m], c.med, c.min, c.max,
			       pm.n ? "" : "n/a ", pm.n ? pm.med / c.med : 0, c.pswpout, c.stores);
		}
	}
	printf("\n| workload | endurance nvm | endurance swap-device | endurance in place | ratio | lifetime ratio | max wear nvm / swap-device / in place |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|\n");
	for (int w = 0; w < nworkloads; w++) {
		struct wear_cell wc;
		char sd[32] = "-", sdmax[32] = "-";

		wear_of(workloads[w], &wc);
		if (wc.n_swapdev) {
			snprintf(sd, sizeof(sd), "%.3f", wc.swapdev);
			snprintf(sdmax, sizeof(sdmax), "%llu", wc.max_swapdev);
		}
		if (wc.n)
			printf("| %s | %.3f | %s | %.4f | %.1fx | %.1fx | %llu / %s / %llu |\n", workloads[w],
			       wc.nvm, sd, wc.inplace, wc.ratio, wc.lifetime, wc.max_nvm, sdmax,
			       wc.max_inplace);
	}
}

/* The targets, as verdicts (the benchmark reports, never fails on them). */
static void print_targets(void)
{
	printf("\ntargets:\n");
	for (int w = 0; w < nworkloads; w++) {
		struct cell nvm, pm, disk;
		struct wear_cell wc;

		cell_of(workloads[w], MODE_NVM, &nvm);
		cell_of(workloads[w], MODE_PMEM, &pm);
		cell_of(workloads[w], MODE_DISK, &disk);
		wear_of(workloads[w], &wc);
		if (nvm.n && pm.n)
			printf("  %-10s nvm vs pmem %.2fx (>= 0.97%s): %s\n", workloads[w], pm.med / nvm.med,
			       strcmp(workloads[w], "same") ? "" : ", >= 1.10 with same-filled pages",
			       pm.med / nvm.med >= (strcmp(workloads[w], "same") ? 0.97 : 1.10) ? "met" : "MISSED");
		if (nvm.n && disk.n)
			printf("  %-10s nvm vs disk %.2fx (>= 2): %s\n", workloads[w], disk.med / nvm.med,
			       disk.med / nvm.med >= 2 ? "met" : "MISSED");
		if (wc.n)
			printf("  %-10s endurance ratio %.1fx (>= 10): %s\n", workloads[w], wc.ratio,
			       wc.ratio >= 10 ? "met" : "MISSED");
		if (wc.n_swapdev && wc.inplace > 0)
			printf("  %-10s swap-device endurance ratio %.1fx (>= 10): %s\n", workloads[w],
			       wc.swapdev / wc.inplace, wc.swapdev / wc.inplace >= 10 ? "met" : "MISSED");
	}
}

/* 0, or -1 after saying why: path cannot be opened or written. */
static int write_file(const char *path, void (*write)(FILE *, const char *),
		      const char *machine)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		return -1;
	}
	write(f, machine);
	if (fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *json = NULL, *svg = NULL, *machine = "";
	int require_all = 0, nlogs = 0;
	char line[1024];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && i + 1 < argc) {
			json = argv[++i];
		} else if (!strcmp(argv[i], "--svg") && i + 1 < argc) {
			svg = argv[++i];
		} else if (!strcmp(argv[i], "--machine") && i + 1 < argc) {
			machine = argv[++i];
		} else if (!strcmp(argv[i], "--require-all")) {
			require_all = 1;
		} else {
			FILE *f = fopen(argv[i], "r");

			if (!f) {
				perror(argv[i]);
				return 2;
			}
			while (fgets(line, sizeof(line), f))
				if (parse_line(line)) {
					fprintf(stderr, "guest_report: %s: bad line: %s", argv[i], line);
					fclose(f);
					return 2;
				}
			fclose(f);
			nlogs++;
		}
	}
	if (!nlogs || !nrows) {
		fprintf(stderr, "usage: guest_report --json F --svg F [--machine T] [--require-all] LOG...\n"
			"(no BENCH-ROW lines read)\n");
		return 2;
	}
	if ((json && write_file(json, write_json, machine)) ||
	    (svg && write_file(svg, write_svg, machine)))
		return 2;
	print_table();
	print_targets();
	if (require_all) {
		int missing = 0;

		for (int w = 0; w < nworkloads; w++) {
			int nr = rounds_max_of(workloads[w]);
			struct wear_cell wc;

			for (int m = 0; m < NMODES; m++)
				for (int r = 1; r <= nr && mode_expected(workloads[w], m); r++)
					if (!row_at(workloads[w], m, r)) {
						fprintf(stderr, "guest_report: no %s run of %s in round %d\n",
							mode_names[m], workloads[w], r);
						missing++;
					}
			wear_of(workloads[w], &wc);
			if (wc.n != nr) {
				fprintf(stderr, "guest_report: wear of %s in %d of %d rounds\n",
					workloads[w], wc.n, nr);
				missing++;
			}
			if (wc.n_swapdev != nr) {
				fprintf(stderr, "guest_report: swap-device wear of %s in %d of %d rounds\n",
					workloads[w], wc.n_swapdev, nr);
				missing++;
			}
		}
		if (missing)
			return 1;
	}
	return 0;
}
