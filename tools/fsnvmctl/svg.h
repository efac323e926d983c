/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `wear --svg FILE`: a heat-map of the device's wear.  Frames are laid out
 * row by row from frame 0; a device with more frames than SVG_MAX_CELLS
 * groups consecutive frames into one cell coloured by the most worn of
 * them, so hot spots stay visible.  Colour runs from the least to the most
 * worn frame (viridis); black cells are bad frames.
 */
#ifndef FSNVMCTL_SVG_H
#define FSNVMCTL_SVG_H

#include "wearstat.h"

#define SVG_MAX_CELLS	16384

/* 0, or -1 with errno. */
int svg_write(const char *file, const char *device, const struct wear_report *w);

#endif /* FSNVMCTL_SVG_H */
