#include "numfmt.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const month_names[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

static int
is_date_letter(char c)
{
	return c == 'd' || c == 'M' || c == 'y';
}

static int
is_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * A letter outside quotes that is not a format letter: a typo more often
 * than text ("#,##O" printed "449O"), so refused by name, as Excel
 * refuses it. The error is a clause that follows `format "..."`.
 */
static void
bad_letter(char c, int date, char *err, size_t errsz)
{
	const char *hint = "";

	if (date && c == 'o')
		hint = " (do, the day as 3rd, is one d and an o)";
	else if (c == 'O' || c == 'o')
		hint = c == 'O' ? " (a letter O?)" : " (a letter o?)";
	else if (c == 'E' || c == 'e')
		hint = " (Excel's scientific notation, which scrutineer does not "
		    "print)";
	else if (date && (c == 'D' || c == 'Y'))
		hint = c == 'D' ? " (days are a lower-case d)" :
		    " (years are a lower-case y)";
	else if (date && (c == 'h' || c == 'H' || c == 's'))
		hint = " (times are not printed)";
	if (date)
		snprintf(err, errsz, "has \"%c\"%s, which is not a date format "
		    "character; use d, dd or do for the day, M to MMMM for the "
		    "month, yy or yyyy for the year, or quote literal text", c,
		    hint);
	else
		snprintf(err, errsz, "has \"%c\"%s, which is not a format "
		    "character; use 0 # , . %% or quote literal text", c, hint);
}

/* Excel's characters that scrutineer does not print: refused by name
 * rather than printed as they stand ("#,##0_)" printed "1,235_)"). */
static int
excel_only(char c, char *err, size_t errsz)
{
	const char *what;

	switch (c) {
	case '[': case ']':
		what = "for a colour or a condition ([Red], [>100]); the house "
		    "style chooses colours, so remove it";
		break;
	case '_':
		what = "to pad with a space the width of the next character; "
		    "remove it";
		break;
	case '*':
		what = "to fill the cell with the next character; remove it";
		break;
	case '?':
		what = "for a digit padded with a space; use 0 or #";
		break;
	case '@':
		what = "for text; text prints as it is without a format, so "
		    "remove it";
		break;
	default:
		return 0;
	}
	snprintf(err, errsz, "has \"%c\", which Excel uses %s (or quote it to "
	    "print it)", c, what);
	return 1;
}

static int
is_digit_place(const char *p, size_t i, size_t n)
{
	return i < n && (p[i] == '0' || p[i] == '#');
}

static int
parse_section(const char *p, size_t n, struct numfmt_section *s, char *err,
    size_t errsz)
{
	size_t i = 0, pl = 0, sl = 0;
	int seen_digit = 0, in_dec = 0, after = 0;

	memset(s, 0, sizeof(*s));
	while (i < n) {
		char c = p[i];
		if (c == '"') {
			/* Quoted literal text. */
			size_t j = i + 1;
			while (j < n && p[j] != '"')
				j++;
			if (j >= n) {
				snprintf(err, errsz, "has a quote (\") that is not "
				    "closed; close it after the text");
				return -1;
			}
			if (seen_digit)
				after = 1;
			for (i = i + 1; i < j; i++) {
				if (after ? sl + 1 >= sizeof(s->suffix) :
				    pl + 1 >= sizeof(s->prefix)) {
					snprintf(err, errsz, "has more than %d bytes of text "
					    "before or after the number; shorten it",
					    (int)sizeof(s->prefix) - 1);
					return -1;
				}
				if (after)
					s->suffix[sl++] = p[i];
				else
					s->prefix[pl++] = p[i];
			}
			i = j + 1;
			continue;
		}
		if (c == ',' && !(i > 0 && is_digit_place(p, i - 1, n) &&
		    is_digit_place(p, i + 1, n))) {
			/* "#,##0," is Excel's "in thousands": printed as
			 * 1,234,567 it would be a thousand times too big. */
			snprintf(err, errsz, "has a comma that is not between two "
			    "digit places; the thousands comma goes inside the "
			    "digits (#,##0), Excel's trailing comma (thousands) is "
			    "not printed, so divide in the query, or quote a comma "
			    "to print it");
			return -1;
		}
		if (c == '0' || c == '#' || (c == ',' && seen_digit && !after) ||
		    (c == '.' && !after)) {
			if (after) {
				snprintf(err, errsz, "has digit places after the text "
				    "that follows the number; keep 0 # , . together");
				return -1;
			}
			if (c == '.') {
				if (in_dec) {
					snprintf(err, errsz, "has two decimal points; keep "
					    "one");
					return -1;
				}
				in_dec = 1;
			} else if (c == ',') {
				if (in_dec) {
					snprintf(err, errsz, "has a thousands comma after "
					    "the decimal point; put commas in the whole part "
					    "only (#,##0.00)");
					return -1;
				}
				s->group = 1;
			} else if (in_dec) {
				s->dec_max++;
				if (c == '0') {
					if (s->dec_max != s->dec_min + 1) {
						snprintf(err, errsz, "has a 0 after a # in the "
						    "decimals; put the 0s first (0.0#)");
						return -1;
					}
					s->dec_min++;
				}
			} else if (c == '0')
				s->int_min++;
			seen_digit = 1;
			s->has_digits = 1;
			i++;
			continue;
		}
		if (c == '%')
			s->percent = 1;
		if (is_date_letter(c)) {
			snprintf(err, errsz, "has \"%c\", a date letter, among the "
			    "places of a number; a format is a number or a date, "
			    "not both (quote literal text: 0 \"days\")", c);
			return -1;
		}
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
			bad_letter(c, 0, err, errsz);
			return -1;
		}
		if (excel_only(c, err, errsz))
			return -1;
		/* \x: the next character as it is (Excel's escape). */
		if (c == '\\' && i + 1 < n) {
			i++;
			c = p[i];
		}
		if (seen_digit)
			after = 1;
		/* A literal character: £, +, -, %, space, brackets, and an
		 * escaped one. */
		{
			size_t clen = 1;
			unsigned char uc = (unsigned char)c;
			if (uc >= 0xF0) clen = 4;
			else if (uc >= 0xE0) clen = 3;
			else if (uc >= 0xC0) clen = 2;
			if (i + clen > n)
				clen = n - i;
			if (after) {
				if (sl + clen >= sizeof(s->suffix)) {
					snprintf(err, errsz, "has more than %d bytes of text "
					    "before or after the number; shorten it",
					    (int)sizeof(s->suffix) - 1);
					return -1;
				}
				memcpy(s->suffix + sl, p + i, clen);
				sl += clen;
			} else {
				if (pl + clen >= sizeof(s->prefix)) {
					snprintf(err, errsz, "has more than %d bytes of text "
					    "before or after the number; shorten it",
					    (int)sizeof(s->prefix) - 1);
					return -1;
				}
				memcpy(s->prefix + pl, p + i, clen);
				pl += clen;
			}
			i += clen;
		}
	}
	s->prefix[pl] = '\0';
	s->suffix[sl] = '\0';
	if (s->dec_max > 10) {
		snprintf(err, errsz, "has more than 10 decimal places; use at "
		    "most 10");
		return -1;
	}
	return 0;
}

/*
 * A date pattern's letters, outside quotes and escapes: d, dd or do; M
 * to MMMM (Excel's m too); yy or yyyy. Anything else is refused by name:
 * "dddd" (Excel's weekday) printed "0303", "DD/MM/YYYY" printed itself.
 */
static int
check_date(const char *pat, char *err, size_t errsz)
{
	const char *p = pat;

	while (*p) {
		char c = *p == 'm' ? 'M' : *p;
		size_t run = 1;
		if (*p == '"') {
			const char *q = strchr(p + 1, '"');
			if (q == NULL) {
				snprintf(err, errsz, "has a quote (\") that is not "
				    "closed; close it after the text");
				return -1;
			}
			p = q + 1;
			continue;
		}
		if (*p == '\\') {
			p += p[1] != '\0' ? 2 : 1;
			continue;
		}
		if (!is_letter(*p)) {
			p++;
			continue;
		}
		while (p[run] != '\0' && (p[run] == *p ||
		    (c == 'M' && (p[run] == 'm' || p[run] == 'M'))))
			run++;
		if (c == 'd' && run == 1 && p[1] == 'o')
			run = 2;        /* "do": 3rd */
		else if (c == 'd' && run > 2) {
			snprintf(err, errsz, "has \"%.*s\", Excel's day of the week, "
			    "which scrutineer does not print; use d, dd or do (3, "
			    "03, 3rd)", (int)(run < 8 ? run : 8), p);
			return -1;
		} else if (c == 'M' && run > 4) {
			snprintf(err, errsz, "has %d M's in a row; months are M, MM, "
			    "MMM or MMMM (2, 02, Feb, February)", (int)run);
			return -1;
		} else if (c == 'y' && run != 2 && run != 4) {
			snprintf(err, errsz, "has %d y's in a row; years are yy or "
			    "yyyy (24, 2024)", (int)run);
			return -1;
		} else if (c != 'd' && c != 'M' && c != 'y') {
			bad_letter(*p, 1, err, errsz);
			return -1;
		}
		p += run;
	}
	return 0;
}

int
numfmt_parse(const char *pat, struct numfmt *f, char *err, size_t errsz)
{
	const char *p;
	int digits = 0, dates = 0, inq = 0;

	memset(f, 0, sizeof(*f));
	if (pat == NULL || *pat == '\0') {
		snprintf(err, errsz, "is empty; write one such as \"#,##0\" or "
		    "\"d MMMM yyyy\", or leave format= out");
		return -1;
	}
	/* What the pattern is, from its characters outside quotes. */
	for (p = pat; *p; p++) {
		if (*p == '"')
			inq = !inq;
		else if (inq)
			continue;
		else if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '0' || *p == '#')
			digits++;
		else if (is_date_letter(*p) || *p == 'm')
			dates++;
	}
	if (dates > 0 && digits == 0) {
		if (strlen(pat) >= sizeof(f->date)) {
			snprintf(err, errsz, "is too long for a date format (at most "
			    "%d characters); shorten it", (int)sizeof(f->date) - 1);
			return -1;
		}
		if (check_date(pat, err, errsz) != 0)
			return -1;
		f->is_date = 1;
		strcpy(f->date, pat);
		/* Excel spells months in lower case ("mmm yy"); there are no
		 * minutes here to confuse them with. Text in quotes is kept. */
		inq = 0;
		for (char *q = f->date; *q; q++) {
			if (*q == '"')
				inq = !inq;
			else if (!inq && *q == '\\' && q[1] != '\0')
				q++;
			else if (!inq && *q == 'm')
				*q = 'M';
		}
		return 0;
	}
	if (digits == 0) {
		snprintf(err, errsz, "has no digit place (0 or #) and no date "
		    "letters (d, M, y); write one such as \"#,##0\", \"0.0%%\" or "
		    "\"d MMMM yyyy\"");
		return -1;
	}
	p = pat;
	while (1) {
		const char *semi = p;
		inq = 0;
		while (*semi && (inq || *semi != ';')) {
			if (*semi == '"')
				inq = !inq;
			else if (!inq && *semi == '\\' && semi[1] != '\0')
				semi++;
			semi++;
		}
		if (f->nsections == NUMFMT_MAX_SECTIONS) {
			snprintf(err, errsz, "has more than %d sections; write at "
			    "most POSITIVE;NEGATIVE;ZERO", NUMFMT_MAX_SECTIONS);
			return -1;
		}
		if (parse_section(p, (size_t)(semi - p),
		    &f->s[f->nsections], err, errsz) != 0)
			return -1;
		f->nsections++;
		if (*semi == '\0')
			break;
		p = semi + 1;
	}
	if (!f->s[0].has_digits) {
		snprintf(err, errsz, "has no digit place (0 or #) in its first "
		    "section, the one for positive numbers; add one");
		return -1;
	}
	return 0;
}

/*
 * The 15 significant digits printf("%.14e") gives for v, without printf
 * (a third of formatting a long table): v times an exact power of ten,
 * with the product's rounding error recovered exactly by fma, decides
 * the last digit as printf does (to nearest, ties to even). Returns -1
 * for what this does not cover (0, below 1e-7, 1e15 and above).
 */
int
numfmt_sig15(double v, char digits[15], int *exp10)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
	    1e19, 1e20, 1e21, 1e22 };
	double r, n, frac, err;
	uint64_t d;
	int e, i, up;

	if (!(v >= 1e-7 && v < 1e15))
		return -1;
	e = (int)floor(log10(v));       /* may be one out: checked below */
	if (e > 14)
		e = 14;
	if (e < -7)
		e = -7;
	for (i = 0; i < 2; i++) {
		if (14 - e < 0 || 14 - e > 22)
			return -1;
		r = v * p10[14 - e];    /* the power is exact: one rounding */
		if (r < 1e14)
			e--;
		else if (r >= 1e15)
			e++;
		else
			break;
	}
	if (r < 1e14 || r >= 1e15)
		return -1;
	err = fma(v, p10[14 - e], -r);  /* exact: v * 10^k = r + err */
	n = floor(r);
	frac = r - n;                   /* exact below 2^53 */
	if (frac > 0.5)
		up = 1;
	else if (frac < 0.5)
		up = 0;
	else
		up = err > 0 ? 1 : err < 0 ? 0 : (uint64_t)n % 2 == 1;
	/* frac < 0.5 by at least an ulp of r, which err cannot make up;
	 * frac > 0.5 likewise. */
	d = (uint64_t)n + (uint64_t)up;
	if (d >= 1000000000000000ULL) {
		d /= 10;
		e++;
	}
	for (i = 14; i >= 0; i--) {
		digits[i] = (char)('0' + d % 10);
		d /= 10;
	}
	*exp10 = e;
	return 0;
}

void
numfmt_round(double v, int dec, char *out, size_t outsz)
{
	char e[64], digits[64];
	int exp10, nd = 0, point, i, k;
	char *mant = e;

	v = fabs(v);
	if (!isfinite(v))
		v = 0;
	/* 15 significant digits, then decimal rounding half up on them. */
	if (numfmt_sig15(v, digits, &exp10) == 0)
		nd = 15;
	else {
		snprintf(e, sizeof(e), "%.14e", v);
		{
			char *x = strchr(e, 'e');
			exp10 = atoi(x + 1);
			*x = '\0';
		}
		for (; *mant; mant++)
			if (*mant >= '0' && *mant <= '9')
				digits[nd++] = *mant;
	}
	/* digits[0] is at 10^exp10; keep up to 10^-dec. */
	point = exp10 + 1;            /* digits before the decimal point */
	k = point + dec;              /* digits to keep */
	if (k < 0) {
		nd = 0;
		point = 1;
		digits[0] = '0';
		nd = 1;
	} else if (k < nd) {
		int up = digits[k] >= '5';
		nd = k;
		for (i = nd - 1; up && i >= 0; i--) {
			if (digits[i] == '9')
				digits[i] = '0';
			else {
				digits[i]++;
				up = 0;
			}
		}
		if (up) {
			memmove(digits + 1, digits, (size_t)nd);
			digits[0] = '1';
			nd++;
			point++;
		}
		if (nd == 0) {
			digits[0] = '0';
			nd = 1;
			point = 1;
		}
	}
	/* Write: integer part, '.', dec decimals. */
	{
		size_t o = 0;
		if (point <= 0)
			out[o++] = '0';
		for (i = 0; i < point && o + 2 < outsz; i++)
			out[o++] = i < nd ? digits[i] : '0';
		if (dec > 0 && o + 2 < outsz) {
			out[o++] = '.';
			for (i = 0; i < dec && o + 1 < outsz; i++) {
				int idx = point + i;
				out[o++] = (idx >= 0 && idx < nd) ? digits[idx] : '0';
			}
		}
		out[o] = '\0';
	}
}

/* The section of f that a value with this sign uses. */
static const struct numfmt_section *
section(const struct numfmt *f, int neg, int zero)
{
	if (f->nsections >= 2 && neg)
		return &f->s[1];
	if (f->nsections >= 3 && zero)
		return &f->s[2];
	return &f->s[0];
}

/* Appends num (digits, then '.' and s->dec_max decimals when it has
 * any; no sign) as section s shows it. */
static void
emit(const struct numfmt *f, const struct numfmt_section *s, int neg,
    char *num, struct buf *out)
{
	char *dot;
	int i, intlen, dec;

	/* Optional decimals ('#') drop trailing zeros. */
	dec = s->dec_max;
	dot = strchr(num, '.');
	if (dot != NULL) {
		char *end = num + strlen(num);
		while (dec > s->dec_min && end[-1] == '0') {
			*--end = '\0';
			dec--;
		}
		if (dec == 0)
			*dot = '\0';
	}
	/* A value that rounds to zero shows no minus sign. */
	{
		int nonzero = 0;
		for (i = 0; num[i]; i++)
			if (num[i] >= '1' && num[i] <= '9')
				nonzero = 1;
		if (!nonzero)
			neg = 0;
	}
	if (neg && s == &f->s[0])
		buf_putc(out, '-');
	buf_puts(out, s->prefix);
	dot = strchr(num, '.');
	intlen = dot ? (int)(dot - num) : (int)strlen(num);
	/* Leading zeros: "0" shows one, "#" none, "00" two. */
	{
		const char *ip = num;
		int len = intlen;
		while (len > 1 && *ip == '0' && len > s->int_min) {
			ip++;
			len--;
		}
		if (len == 1 && *ip == '0' && s->int_min == 0 && (dot || 1)) {
			/* "#.##" shows ".5"; keep "0" when nothing follows. */
			if (dot == NULL)
				buf_putc(out, '0');
		} else {
			for (i = len; i < s->int_min; i++)
				buf_putc(out, '0');
			for (i = 0; i < len; i++) {
				buf_putc(out, ip[i]);
				if (s->group && (len - i - 1) % 3 == 0 &&
				    i + 1 < len)
					buf_putc(out, ',');
			}
		}
	}
	if (dot != NULL)
		buf_puts(out, dot);
	buf_puts(out, s->suffix);
}

void
numfmt_number(const struct numfmt *f, double v, struct buf *out)
{
	const struct numfmt_section *s = section(f, v < 0, v == 0);
	char num[128];

	if (!s->has_digits) {
		buf_puts(out, s->prefix);
		buf_puts(out, s->suffix);
		return;
	}
	if (s->percent)
		v *= 100;
	numfmt_round(v, s->dec_max, num, sizeof(num));
	emit(f, s, v < 0, num, out);
}

void
numfmt_integer(const struct numfmt *f, long long v, struct buf *out)
{
	const struct numfmt_section *s = section(f, v < 0, v == 0);
	/* |v| as unsigned: -LLONG_MIN does not fit a long long. */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;
	char num[64], rev[24];
	int n = 0, o = 0, i;

	if (!s->has_digits) {
		buf_puts(out, s->prefix);
		buf_puts(out, s->suffix);
		return;
	}
	if (s->percent) {
		if (u > ULLONG_MAX / 100) {
			numfmt_number(f, (double)v, out);
			return;
		}
		u *= 100;
	}
	do {
		rev[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	while (n > 0)
		num[o++] = rev[--n];
	if (s->dec_max > 0) {
		num[o++] = '.';
		for (i = 0; i < s->dec_max; i++)
			num[o++] = '0';
	}
	num[o] = '\0';
	emit(f, s, v < 0, num, out);
}

int
numfmt_date(const struct numfmt *f, const char *iso, struct buf *out)
{
	int y = 0, m = 0, d = 0, n;
	const char *p = f->date;

	n = sscanf(iso, "%4d-%2d-%2d", &y, &m, &d);
	if (n < 2 || m < 1 || m > 12 || y < 1 || y > 9999)
		return -1;
	if (n < 3)
		d = 1;
	while (*p) {
		if (*p == '"') {
			/* Quoted text, as written. */
			const char *q = strchr(p + 1, '"');
			if (q == NULL)
				q = p + strlen(p);
			buf_put(out, p + 1, (size_t)(q - p - 1));
			p = *q != '\0' ? q + 1 : q;
		} else if (*p == '\\' && p[1] != '\0') {
			buf_putc(out, p[1]);
			p += 2;
		} else if (strncmp(p, "yyyy/yy", 7) == 0) {
			/* The financial year, April to March. */
			int fy = m >= 4 ? y : y - 1;
			buf_printf(out, "%04d/%02d", fy, (fy + 1) % 100);
			p += 7;
		} else if (strncmp(p, "yyyy", 4) == 0) {
			buf_printf(out, "%04d", y);
			p += 4;
		} else if (strncmp(p, "yy", 2) == 0) {
			buf_printf(out, "%02d", y % 100);
			p += 2;
		} else if (strncmp(p, "MMMM", 4) == 0) {
			buf_puts(out, month_names[m - 1]);
			p += 4;
		} else if (strncmp(p, "MMM", 3) == 0) {
			buf_printf(out, "%.3s", month_names[m - 1]);
			p += 3;
		} else if (strncmp(p, "MM", 2) == 0) {
			buf_printf(out, "%02d", m);
			p += 2;
		} else if (*p == 'M') {
			buf_printf(out, "%d", m);
			p++;
		} else if (strncmp(p, "do", 2) == 0) {
			const char *sfx = "th";
			if (d % 100 < 11 || d % 100 > 13)
				sfx = d % 10 == 1 ? "st" : d % 10 == 2 ? "nd" :
				    d % 10 == 3 ? "rd" : "th";
			buf_printf(out, "%d%s", d, sfx);
			p += 2;
		} else if (strncmp(p, "dd", 2) == 0) {
			buf_printf(out, "%02d", d);
			p += 2;
		} else if (*p == 'd') {
			buf_printf(out, "%d", d);
			p++;
		} else
			buf_putc(out, *p++);
	}
	return 0;
}
