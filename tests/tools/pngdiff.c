/* pngdiff A.png B.png — compares two images pixel by pixel: same size and
 * every pixel the same. The chart pictures are drawn the same, byte for
 * byte, by two runs and by the -O2 and ASan builds (cairo is linked in
 * statically, one copy for both), so no antialiasing tolerance is needed:
 * any allowance would let a changed series colour (#12436D -> #20507A
 * is 14 a channel at most) or an axis moved by a few pixels through.
 * Says how many pixels differ, by how much and where. Exit 0 when alike,
 * 1 when not, 2 when a file cannot be read. */
#include <stdio.h>
#include <stdlib.h>
#include <cairo.h>

int
main(int argc, char **argv)
{
	cairo_surface_t *a, *b;
	int w, h, x, y, sa, sb, worst = 0, x0 = 0, y0 = 0, x1 = -1, y1 = -1;
	long bad = 0;
	unsigned char *pa, *pb;

	if (argc != 3) {
		fprintf(stderr, "usage: pngdiff A.png B.png\n");
		return 2;
	}
	a = cairo_image_surface_create_from_png(argv[1]);
	b = cairo_image_surface_create_from_png(argv[2]);
	if (cairo_surface_status(a) || cairo_surface_status(b)) {
		fprintf(stderr, "pngdiff: cannot read %s\n",
		    cairo_surface_status(a) ? argv[1] : argv[2]);
		return 2;
	}
	w = cairo_image_surface_get_width(a);
	h = cairo_image_surface_get_height(a);
	if (w != cairo_image_surface_get_width(b) ||
	    h != cairo_image_surface_get_height(b)) {
		printf("size differs: %dx%d against %dx%d\n", w, h,
		    cairo_image_surface_get_width(b),
		    cairo_image_surface_get_height(b));
		return 1;
	}
	pa = cairo_image_surface_get_data(a);
	pb = cairo_image_surface_get_data(b);
	sa = cairo_image_surface_get_stride(a);
	sb = cairo_image_surface_get_stride(b);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			int c, d = 0;
			/* Blue, green, red: the alpha byte is unused (RGB24). */
			for (c = 0; c < 3; c++) {
				int e = abs(pa[y * sa + x * 4 + c] - pb[y * sb + x * 4 + c]);
				if (e > d)
					d = e;
			}
			if (d == 0)
				continue;
			if (bad++ == 0) {
				x0 = x1 = x;
				y0 = y1 = y;
			}
			x0 = x < x0 ? x : x0;
			x1 = x > x1 ? x : x1;
			y1 = y;
			worst = d > worst ? d : worst;
		}
	if (bad > 0) {
		printf("%ld of %d pixels differ (by up to %d a channel), in "
		    "x %d-%d, y %d-%d\n", bad, w * h, worst, x0, x1, y0, y1);
		return 1;
	}
	return 0;
}
