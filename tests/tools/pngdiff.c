/* pngdiff A.png B.png — compares two images pixel by pixel: same size,
 * and at most 0.5% of pixels differing by more than 24 in any channel
 * (antialiasing may differ between cairo builds). Exit 0 when alike. */
#include <stdio.h>
#include <stdlib.h>
#include <cairo.h>

int
main(int argc, char **argv)
{
	cairo_surface_t *a, *b;
	int w, h, x, y, sa, sb;
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
			int c, worst = 0;
			for (c = 0; c < 3; c++) {
				int d = abs(pa[y * sa + x * 4 + c] - pb[y * sb + x * 4 + c]);
				if (d > worst)
					worst = d;
			}
			bad += worst > 24;
		}
	if (bad * 200 > (long)w * h) {
		printf("%ld of %d pixels differ\n", bad, w * h);
		return 1;
	}
	return 0;
}
