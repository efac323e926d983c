// SPDX-License-Identifier: GPL-2.0
/* The wear heat-map (see svg.h). */
#include <math.h>

#include "svg.h"

/* Five stops of matplotlib's viridis: readable and grey-scale safe. */
static const u8 viridis[5][3] = {
	{ 0x44, 0x01, 0x54 }, { 0x3b, 0x52, 0x8b }, { 0x21, 0x91, 0x8c },
	{ 0x5e, 0xc9, 0x62 }, { 0xfd, 0xe7, 0x25 },
};

static void color(double t, char out[8])
{
	double x = (t < 0 ? 0 : t > 1 ? 1 : t) * 4;
	int i = x >= 4 ? 3 : (int)x, c;
	double frac = x - i;
	u8 rgb[3];

	for (c = 0; c < 3; c++)
		rgb[c] = (u8)lround(viridis[i][c] +
				    (viridis[i + 1][c] - viridis[i][c]) * frac);
	snprintf(out, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

/* XML-escape a string for text content. */
static void put_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

int svg_write(const char *file, const char *device, const struct wear_report *w)
{
	u64 group = (w->total + SVG_MAX_CELLS - 1) / SVG_MAX_CELLS, cells, c;
	unsigned int cols, rows, px, width, height, grid_y = 56, legend_y, i;
	double range = (double)(w->max - w->min);
	FILE *f;
	int err;

	if (!group)
		group = 1;
	cells = (w->total + group - 1) / group;
	cols = (unsigned int)ceil(sqrt((double)cells * 2));
	if (cols > 128)
		cols = 128;
	if (cols < 1)
		cols = 1;
	rows = (unsigned int)((cells + cols - 1) / cols);
	px = 800 / cols;
	px = px < 6 ? 6 : px > 24 ? 24 : px;
	width = cols * px + 20;
	if (width < 520)
		width = 520;
	legend_y = grid_y + rows * px + 16;
	height = legend_y + 54;

	f = fopen(file, "we");
	if (!f)
		return -1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" font-family=\"sans-serif\" font-size=\"12\">\n",
		width, height, width, height);
	fputs("<title>frontswap-nvm wear heat-map of ", f);
	put_text(f, device);
	fputs("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
	      "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">Wear of ", f);
	put_text(f, device);
	fprintf(f, "</text>\n<text x=\"10\" y=\"40\">%llu frames, %llu per cell (colour: most worn of the cell), row by row from frame 0; black: bad</text>\n",
		(unsigned long long)w->total, (unsigned long long)group);

	fprintf(f, "<g transform=\"translate(10 %u)\" shape-rendering=\"crispEdges\">\n", grid_y);
	for (c = 0; c < cells; c++) {
		u64 first = c * group, last = first + group, fr, hottest = 0;
		bool usable = false;
		char col[8];

		if (last > w->total)
			last = w->total;
		for (fr = first; fr < last; fr++) {
			if (WS_STATE(w->state[fr]) == WS_BAD)
				continue;
			if (!usable || w->wear[fr] > hottest)
				hottest = w->wear[fr];
			usable = true;
		}
		if (usable)
			color(range > 0 ? (double)(hottest - w->min) / range : 0, col);
		else
			snprintf(col, sizeof(col), "#000000");
		fprintf(f, "<rect x=\"%llu\" y=\"%llu\" width=\"%u\" height=\"%u\" fill=\"%s\">",
			(unsigned long long)(c % cols) * px,
			(unsigned long long)(c / cols) * px, px, px, col);
		if (group == 1)
			fprintf(f, "<title>frame %llu: wear %llu%s</title>",
				(unsigned long long)first, (unsigned long long)hottest,
				usable ? "" : " (bad)");
		else
			fprintf(f, "<title>frames %llu-%llu: max wear %llu</title>",
				(unsigned long long)first,
				(unsigned long long)last - 1, (unsigned long long)hottest);
		fputs("</rect>\n", f);
	}
	fputs("</g>\n", f);

	/* legend: the colour scale with min, middle and max wear */
	fputs("<defs><linearGradient id=\"scale\">", f);
	for (i = 0; i < 5; i++)
		fprintf(f, "<stop offset=\"%u%%\" stop-color=\"#%02x%02x%02x\"/>",
			i * 25, viridis[i][0], viridis[i][1], viridis[i][2]);
	fputs("</linearGradient></defs>\n", f);
	fprintf(f, "<text x=\"10\" y=\"%u\">wear (writes per frame)</text>\n", legend_y);
	fprintf(f, "<rect x=\"10\" y=\"%u\" width=\"300\" height=\"14\" fill=\"url(#scale)\" stroke=\"#333\"/>\n",
		legend_y + 6);
	fprintf(f, "<text x=\"10\" y=\"%u\">%llu</text>\n", legend_y + 36,
		(unsigned long long)w->min);
	fprintf(f, "<text x=\"160\" y=\"%u\" text-anchor=\"middle\">%llu</text>\n",
		legend_y + 36, (unsigned long long)(w->min + (w->max - w->min) / 2));
	fprintf(f, "<text x=\"310\" y=\"%u\" text-anchor=\"end\">%llu</text>\n",
		legend_y + 36, (unsigned long long)w->max);
	fprintf(f, "<rect x=\"340\" y=\"%u\" width=\"14\" height=\"14\" fill=\"#000000\"/>"
		"<text x=\"360\" y=\"%u\">bad frame</text>\n", legend_y + 6, legend_y + 18);
	fputs("</svg>\n", f);

	err = ferror(f);
	if (fclose(f) || err) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}
