/*
 * numfmt.h — Excel-style number and date formats, which report authors
 * already know: "0", "#,##0", "0.0%", "£#,##0.00", "+0.0%;-0.0%",
 * "d MMMM yyyy", "MMM yy", "yyyy/yy" (the financial year). Rounding is
 * half away from zero on the decimal digits Excel shows.
 */
#ifndef SC_NUMFMT_H
#define SC_NUMFMT_H

#include "../util/buf.h"

#define NUMFMT_MAX_SECTIONS 3

struct numfmt_section {
	char   prefix[24], suffix[24]; /* literal text around the number */
	int    int_min;   /* integer digits always shown ("0" count) */
	int    dec_min;   /* decimals always shown ('0' after '.') */
	int    dec_max;   /* decimals at most ('0' and '#') */
	int    group;     /* thousands separators */
	int    percent;   /* multiply by 100 */
	int    has_digits; /* a section of only text ("n/a") has none */
};

struct numfmt {
	int    is_date;
	char   date[48];          /* the date pattern */
	int    nsections;
	struct numfmt_section s[NUMFMT_MAX_SECTIONS];
};

/* Parses pat; returns 0, or -1 with a reason in err. */
int  numfmt_parse(const char *pat, struct numfmt *f, char *err, size_t errsz);
/* Appends v formatted by f (a number format). */
void numfmt_number(const struct numfmt *f, double v, struct buf *out);
/* The same for a whole number, exactly: all its digits, not the 15 of a
 * double (4111111111111111 stays itself). */
void numfmt_integer(const struct numfmt *f, long long v, struct buf *out);
/* Appends an ISO date (YYYY-MM-DD or YYYY-MM) formatted by f (a date
 * format); returns -1 (appending nothing) when iso is not a date. */
int  numfmt_date(const struct numfmt *f, const char *iso, struct buf *out);
/* Rounds |v| to dec decimals half away from zero on its 15 significant
 * digits, as Excel displays; writes digits without sign into out. */
void numfmt_round(double v, int dec, char *out, size_t outsz);
/* The 15 significant digits of v > 0 as printf("%.14e") gives them, and
 * the power of ten of the first; -1 when v is outside 1e-7 to 1e15 (the
 * caller then asks printf). */
int  numfmt_sig15(double v, char digits[15], int *exp10);

#endif
