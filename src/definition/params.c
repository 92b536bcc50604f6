/*
 * params.c — <params>: declared, set by -D, derived and validated, and
 * expanded as {name} in printed attributes. A year-end run changes one
 * parameter; everything that says which year follows from it, and a
 * value the definition does not allow fails before any data is read.
 */
#include "params.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml.h"
#include "../util/buf.h"
#include "../util/date.h"
#include "../util/suggest.h"
#include "../data/numfmt.h"

/* A -D or default longer than this is not a period or a name. */
#define PARAM_VALUE_MAX 1000
/* Bounds on what a definition can make of its parameters: each one is
 * looked up by name, and {name} repeated can grow a small file into a
 * large document (as XML's entities could). */
#define PARAMS_MAX 1000
#define EXPANDED_MAX (16u << 20)

static const char *
prop(struct doc *d, xmlNodePtr x, const char *name)
{
	return xml_prop(x, name, &d->arena);
}

/* "year, previous": the declared names, for messages. */
static void
name_list(const struct doc *d, char *out, size_t n)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < d->nparams && o + 70 < n; i++) {
		int k = snprintf(out + o, n - o, "%s%s", i ? ", " : "",
		    d->params[i].name);
		if (k > 0)
			o += (size_t)k;
	}
	if (i < d->nparams)
		snprintf(out + o, n - o, ", ...");
}

const char *
params_mean(const struct doc *d, const char *name, char *out, size_t n)
{
	struct suggest sg;
	size_t i;

	suggest_init(&sg, name);
	for (i = 0; i < d->nparams; i++)
		suggest_try(&sg, d->params[i].name);
	return suggest_text(&sg, NULL, NULL, out, n);
}

static struct param *
find(struct doc *d, const char *name, size_t before)
{
	size_t i;

	for (i = 0; i < before; i++)
		if (strcmp(d->params[i].name, name) == 0)
			return &d->params[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Periods                                                             */
/* ------------------------------------------------------------------ */

enum pkind { PK_NONE, PK_YEAR, PK_FY, PK_QUARTER, PK_MONTH, PK_DATE };

struct period {
	enum pkind kind;
	int        y, sub, day;   /* sub: a quarter 1-4 or a month 1-12 */
	char       sep[2];        /* FY "/" or "-"; a quarter's, or "" */
	int        fy4;           /* FY written "2023/2024" */
	int        qfirst;        /* quarter written "Q4 2023" */
	char       q;             /* 'Q' or 'q' as written */
};

static int
parse_period(const char *v, struct period *p)
{
	size_t n = strlen(v);
	int a, b;

	memset(p, 0, sizeof(*p));
	p->q = 'Q';
	if (n >= 4 && (a = date_digits(v, 4)) >= 0) {
		const char *r = v + 4;
		p->y = a;
		if (n == 4)
			return p->kind = PK_YEAR;
		/* "2023/24", "2023/2024", "2023-2024": a financial year (a
		 * dash with two digits is a month, as ISO writes it). */
		if ((*r == '/' && n == 7 && (b = date_digits(r + 1, 2)) >= 0 &&
		    b == (a + 1) % 100) || ((*r == '/' || *r == '-') && n == 9 &&
		    (b = date_digits(r + 1, 4)) == a + 1)) {
			p->sep[0] = *r;
			p->fy4 = n == 9;
			return p->kind = PK_FY;
		}
		if (*r == '-' && n == 7 && (b = date_digits(r + 1, 2)) >= 1 && b <= 12) {
			p->sub = b;
			return p->kind = PK_MONTH;
		}
		if (*r == '-' && n == 10 && (b = date_digits(r + 1, 2)) >= 1 &&
		    b <= 12 && r[3] == '-' && (p->day = date_digits(r + 4, 2)) >= 1 &&
		    p->day <= date_days_in(a, b)) {
			p->sub = b;
			return p->kind = PK_DATE;
		}
		/* "2023 Q4", "2023-Q4", "2023Q4" */
		if (*r == ' ' || *r == '-')
			p->sep[0] = *r++;
		if ((*r == 'Q' || *r == 'q') && r[1] >= '1' && r[1] <= '4' &&
		    r[2] == '\0') {
			p->q = *r;
			p->sub = r[1] - '0';
			return p->kind = PK_QUARTER;
		}
		return p->kind = PK_NONE;
	}
	/* "Q4 2023", "Q4-2023", "Q42023" */
	if (n >= 6 && (v[0] == 'Q' || v[0] == 'q') && v[1] >= '1' && v[1] <= '4') {
		const char *r = v + 2;
		if (*r == ' ' || *r == '-')
			p->sep[0] = *r++;
		if (strlen(r) == 4 && (a = date_digits(r, 4)) >= 0) {
			p->y = a;
			p->q = v[0];
			p->sub = v[1] - '0';
			p->qfirst = 1;
			return p->kind = PK_QUARTER;
		}
	}
	return p->kind = PK_NONE;
}

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant). */
static long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Moves p's quarter or month (per a year: 4 or 12) by k; before the
 * year 1 leaves p.y 0, which the caller reports. */
static void
step(struct period *p, long k, int per)
{
	long t = (long)p->y * per + (p->sub - 1) + k;

	if (t < per) {
		p->y = 0;
		return;
	}
	p->y = (int)(t / per);
	p->sub = (int)(t % per) + 1;
}

/* k periods of unit (m, q or y) in months. */
static long
months(long k, char unit)
{
	return k * (unit == 'y' ? 12 : unit == 'q' ? 3 : 1);
}

/* value parsed and moved by shift into *pp; -1 with a reason in out. */
static int
shift_period(const char *value, const char *shift, struct period *pp,
    char *out, size_t n)
{
	struct period p;
	const char *s = shift;
	char unit = '\0';
	long k = 0;
	int sign = 1, nd = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	while (*s >= '0' && *s <= '9' && nd < 6) {
		k = k * 10 + (*s++ - '0');
		nd++;
	}
	if (*s == 'y' || *s == 'q' || *s == 'm' || *s == 'd')
		unit = *s++;
	if (nd == 0 || nd > 5 || *s != '\0') {
		snprintf(out, n, "shift=\"%s\" is not a number of periods; write "
		    "e.g. shift=\"-1\", or with a unit \"-1y\", \"-1q\", \"-3m\" "
		    "or \"-7d\"", shift);
		return -1;
	}
	k *= sign;
	switch (parse_period(value, &p)) {
	case PK_NONE:
		snprintf(out, n, "\"%s\" is not a period scrutineer can shift; "
		    "write a year (2023), a financial year (2023/24), a quarter "
		    "(2023 Q4), a month (2023-12) or a date (2023-12-31)", value);
		return -1;
	case PK_YEAR:
	case PK_FY:
		if (unit != '\0' && unit != 'y') {
			snprintf(out, n, "\"%s\" is a %s, which moves by whole "
			    "years: write shift=\"%ld\"", value, p.kind == PK_FY ?
			    "financial year" : "year", k);
			return -1;
		}
		p.y += (int)k;
		break;
	case PK_QUARTER:
		if (unit == 'm' || unit == 'd') {
			snprintf(out, n, "\"%s\" is a quarter, which moves by "
			    "quarters or years: write shift=\"%ldq\" or \"%ldy\"",
			    value, k, k);
			return -1;
		}
		step(&p, k * (unit == 'y' ? 4 : 1), 4);
		break;
	case PK_MONTH:
		if (unit == 'd') {
			snprintf(out, n, "\"%s\" is a month, which moves by months, "
			    "quarters or years, not days", value);
			return -1;
		}
		step(&p, months(k, unit), 12);
		break;
	case PK_DATE:
		if (unit == '\0' || unit == 'd')
			civil_from_days(days_from_civil(p.y, p.sub, p.day) + k,
			    &p.y, &p.sub, &p.day);
		else {
			/* Month arithmetic keeps the day, clamped to the
			 * month's end: 2024-02-29 less a year is 2023-02-28. */
			step(&p, months(k, unit), 12);
			if (p.y >= 1 && p.day > date_days_in(p.y, p.sub))
				p.day = date_days_in(p.y, p.sub);
		}
		break;
	}
	if (p.y < 1 || p.y > 9998) {
		snprintf(out, n, "shifting \"%s\" by %s leaves the years 1 to "
		    "9998", value, shift);
		return -1;
	}
	*pp = p;
	return 0;
}

/* p written back in the form it was read in. */
static void
write_period(const struct period *pp, char *out, size_t n)
{
	struct period p = *pp;

	switch (p.kind) {
	case PK_YEAR:
		snprintf(out, n, "%04d", p.y);
		break;
	case PK_FY:
		if (p.fy4)
			snprintf(out, n, "%04d%s%04d", p.y, p.sep, p.y + 1);
		else
			snprintf(out, n, "%04d%s%02d", p.y, p.sep, (p.y + 1) % 100);
		break;
	case PK_QUARTER:
		if (p.qfirst)
			snprintf(out, n, "%c%d%s%04d", p.q, p.sub, p.sep, p.y);
		else
			snprintf(out, n, "%04d%s%c%d", p.y, p.sep, p.q, p.sub);
		break;
	case PK_MONTH:
		snprintf(out, n, "%04d-%02d", p.y, p.sub);
		break;
	default:
		snprintf(out, n, "%04d-%02d-%02d", p.y, p.sub, p.day);
		break;
	}
}

/* The first day of p as an ISO date: a financial year starts on 1
 * April (as numfmt's "yyyy/yy" reads one), a quarter on the first of
 * its calendar quarter's months. */
static void
period_start(const struct period *p, char out[11])
{
	int m = p->kind == PK_FY ? 4 : p->kind == PK_QUARTER ?
	    (p->sub - 1) * 3 + 1 : p->kind == PK_MONTH || p->kind == PK_DATE ?
	    p->sub : 1;

	snprintf(out, 11, "%04d-%02d-%02d", p->y, m,
	    p->kind == PK_DATE ? p->day : 1);
}

int
params_shift(const char *value, const char *shift, char *out, size_t n)
{
	struct period p;

	if (shift_period(value, shift, &p, out, n) != 0)
		return -1;
	write_period(&p, out, n);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reading, deriving, validating                                       */
/* ------------------------------------------------------------------ */

/* Is v one of the |-separated values? */
static int
one_of(const char *list, const char *v)
{
	size_t n = strlen(v);

	for (;;) {
		size_t k = strcspn(list, "|");
		if (k == n && strncmp(list, v, n) == 0)
			return 1;
		if (list[k] == '\0')
			return 0;
		list += k + 1;
	}
}

/* Does an extended regular expression use \1 to \9 (glibc allows them,
 * and matches them by backtracking)? */
static int
backref(const char *re)
{
	for (; *re; re++)
		if (*re == '\\') {
			if (re[1] >= '1' && re[1] <= '9')
				return 1;
			if (re[1] != '\0')
				re++;
		}
	return 0;
}

static void
validate(const char *path, struct param *p, struct diags *diags)
{
	const char *how = p->set ? "-D" : p->from ? "derived" : "default";

	if (p->value == NULL)
		return;
	if (strlen(p->value) > PARAM_VALUE_MAX) {
		diag_err(diags, path, p->line, "parameter \"%s\" is %zu "
		    "characters long; a parameter may have at most %d",
		    p->name, strlen(p->value), PARAM_VALUE_MAX);
		return;
	}
	if (p->values != NULL && !one_of(p->values, p->value)) {
		char list[400];
		size_t i, o = 0;
		for (i = 0; p->values[i] && o + 6 < sizeof(list); i++) {
			if (p->values[i] == '|') {
				list[o++] = ',';
				list[o++] = ' ';
			} else
				list[o++] = p->values[i];
		}
		list[o] = '\0';
		diag_err(diags, path, p->line, "parameter \"%s\" is \"%s\" (%s), "
		    "which is not one of its values: %s%s; pass one of them "
		    "with -D %s=VALUE", p->name, p->value, how, list,
		    p->values[i] ? "..." : "", p->name);
	}
	if (p->pattern != NULL && (strlen(p->pattern) > 200 ||
	    backref(p->pattern))) {
		diag_err(diags, path, p->line, "parameter \"%s\": pattern= %s; "
		    "write a shorter extended regular expression, e.g. "
		    "[0-9]{4}/[0-9]{2}", p->name, strlen(p->pattern) > 200 ?
		    "is longer than 200 characters" : "has a back-reference "
		    "(\\1 to \\9), whose matching can take exponential time");
	} else if (p->pattern != NULL) {
		regex_t re;
		struct buf b;
		int rc;
		buf_init(&b);
		buf_printf(&b, "^(%s)$", p->pattern);
		if (b.oom) {
			buf_free(&b);
			return;
		}
		if ((rc = regcomp(&re, b.data, REG_EXTENDED | REG_NOSUB)) != 0) {
			char why[200];
			regerror(rc, &re, why, sizeof(why));
			diag_err(diags, path, p->line, "parameter \"%s\": "
			    "pattern=\"%s\" is not a regular expression (%s); "
			    "write an extended one, e.g. [0-9]{4}/[0-9]{2}",
			    p->name, p->pattern, why);
		} else {
			if (regexec(&re, p->value, 0, NULL, 0) != 0)
				diag_err(diags, path, p->line, "parameter \"%s\" is "
				    "\"%s\" (%s), which does not match its pattern "
				    "%s; pass a value that does with -D %s=VALUE",
				    p->name, p->value, how, p->pattern, p->name);
			regfree(&re);
		}
		buf_free(&b);
	}
}

/* A derived parameter's value from the one before it. */
static void
derive(struct doc *d, const char *path, size_t i, struct diags *diags)
{
	struct param *p = &d->params[i], *base;
	char out[400], names[300], iso[11], mean[96];
	struct period per;
	struct numfmt f;
	struct buf b;
	int bad;

	if ((base = find(d, p->from, i)) == NULL) {
		if (find(d, p->from, d->nparams) != NULL)
			diag_err(diags, path, p->line, "parameter \"%s\": from=\"%s\" "
			    "is declared after it; declare %s first (parameters "
			    "are derived in order)", p->name, p->from, p->from);
		else {
			name_list(d, names, sizeof(names));
			diag_err(diags, path, p->line, "parameter \"%s\": from=\"%s\" "
			    "names no parameter (declared: %s)%s", p->name, p->from,
			    names, params_mean(d, p->from, mean, sizeof(mean)));
		}
		return;
	}
	base->used = 1;
	if (base->value == NULL)
		return; /* its own error says why */
	if (shift_period(base->value, p->shift ? p->shift : "0", &per, out,
	    sizeof(out)) != 0) {
		diag_err(diags, path, p->line, "parameter \"%s\" from \"%s\": %s",
		    p->name, p->from, out);
		return;
	}
	if (p->format == NULL) {
		write_period(&per, out, sizeof(out));
		p->value = arena_strdup(&d->arena, out);
		return;
	}
	/* format=: the period written another way, by the date letters
	 * of a column's format ("yyyy" of 2023/24 is 2023, "yy" 23). */
	memset(&f, 0, sizeof(f));
	if ((bad = numfmt_parse(p->format, &f, out, sizeof(out))) != 0 ||
	    !f.is_date) {
		diag_err(diags, path, p->line, "parameter \"%s\": format=\"%s\" "
		    "is not a date format%s%s%s; write one with date letters, "
		    "e.g. \"yyyy\", \"yy\", \"MMMM yyyy\" or \"yyyy/yy\"",
		    p->name, p->format, bad ? " (" : "", bad ? out : "",
		    bad ? ")" : "");
		return;
	}
	period_start(&per, iso);
	buf_init(&b);
	if (numfmt_date(&f, iso, &b) == 0 && !b.oom)
		p->value = arena_strdup(&d->arena, b.data ? b.data : "");
	buf_free(&b);
}

int
params_read(struct doc *d, xmlNodePtr x, const char *path,
    int report_line, const struct def_define *defs, size_t ndefs,
    struct diags *diags)
{
	xmlNodePtr c;
	size_t n = 0, k = 0, i;
	char names[300], mean[96];

	for (c = x ? x->children : NULL; c != NULL; c = c->next)
		if (xml_is(c, "param"))
			n++;
	if (n > PARAMS_MAX) {
		diag_err(diags, path, xml_line(x), "<params> declares %zu "
		    "parameters; a definition may have at most %d", n,
		    PARAMS_MAX);
		n = PARAMS_MAX; /* the first ones, so others' errors are few */
	}
	if ((d->params = arena_alloc(&d->arena, (n + 1) *
	    sizeof(*d->params))) == NULL)
		return -1;
	memset(d->params, 0, (n + 1) * sizeof(*d->params));
	for (c = x ? x->children : NULL; c != NULL; c = c->next) {
		struct param *p = &d->params[k], *old;
		const char *name;
		if (k == n)
			break;
		if (!xml_is(c, "param") || (name = prop(d, c, "name")) == NULL)
			continue;
		if ((old = find(d, name, k)) != NULL)
			diag_err(diags, path, xml_line(c), "parameter \"%s\" is "
			    "declared twice (first on line %d); remove one", name,
			    old->line);
		p->name = name;
		p->value = prop(d, c, "default");
		p->line = xml_line(c);
		p->from = prop(d, c, "from");
		p->shift = prop(d, c, "shift");
		p->values = prop(d, c, "values");
		p->pattern = prop(d, c, "pattern");
		p->in_data = prop(d, c, "in-data");
		p->format = prop(d, c, "format");
		if (p->from != NULL && p->value != NULL)
			diag_err(diags, path, p->line, "parameter \"%s\" has both "
			    "from= and default=; a derived parameter takes its "
			    "value from \"%s\", so remove default=", name, p->from);
		if (p->shift != NULL && p->from == NULL)
			diag_err(diags, path, p->line, "parameter \"%s\": shift= "
			    "needs from=\"PARAM\", the parameter to shift", name);
		if (p->format != NULL && p->from == NULL)
			diag_err(diags, path, p->line, "parameter \"%s\": format= "
			    "needs from=\"PARAM\", the period to write", name);
		if (p->in_data != NULL && (strchr(p->in_data, '.') == NULL ||
		    p->in_data[0] == '.' ||
		    p->in_data[strlen(p->in_data) - 1] == '.'))
			diag_err(diags, path, p->line, "parameter \"%s\": "
			    "in-data=\"%s\" must name a source and its column, "
			    "e.g. in-data=\"crime.year\"", name, p->in_data);
		k++;
	}
	d->nparams = k;
	for (i = 0; i < ndefs; i++) {
		struct param *p = find(d, defs[i].name, k);
		if (p != NULL) {
			if ((p->value = arena_strdup(&d->arena, defs[i].value)) ==
			    NULL)
				return -1;
			p->set = 1;
		} else if (!defs[i].optional) {
			name_list(d, names, sizeof(names));
			diag_err(diags, path, x ? xml_line(x) : report_line,
			    "-D %s: the definition has no <param name=\"%s\">%s%s%s%s",
			    defs[i].name, defs[i].name, k ? " (it has: " :
			    "; declare it in <params>", names, k ? ")" : "",
			    params_mean(d, defs[i].name, mean, sizeof(mean)));
		}
	}
	for (i = 0; i < k; i++) {
		struct param *p = &d->params[i];
		if (p->from != NULL && !p->set)
			derive(d, path, i, diags);
		else if (p->value == NULL)
			diag_err(diags, path, p->line, "parameter \"%s\" has no "
			    "default and no -D %s=VALUE was given; add "
			    "default=\"...\" or pass it", p->name, p->name);
		validate(path, p, diags);
	}
	return d->arena.oom ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* {name} in printed text                                              */
/* ------------------------------------------------------------------ */

static int
ident_char(char c, int first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (!first && c >= '0' && c <= '9');
}

/* Length of "{name}" at s, or 0 when s does not start one. */
static size_t
brace_name(const char *s)
{
	size_t i = 1;

	if (s[0] != '{' || !ident_char(s[1], 1))
		return 0;
	while (ident_char(s[i], 0) && i < 64)
		i++;
	return s[i] == '}' ? i + 1 : 0;
}

const char *
params_expand(struct doc *d, const char *s, const char *file, int line,
    const char *what, struct diags *diags)
{
	struct buf b;
	const char *r;
	char names[300];

	if (s == NULL || strpbrk(s, "{}") == NULL)
		return s;
	buf_init(&b);
	while (*s) {
		size_t k;
		if ((s[0] == '{' && s[1] == '{') || (s[0] == '}' && s[1] == '}')) {
			buf_putc(&b, s[0]);
			s += 2;
		} else if ((k = brace_name(s)) > 0) {
			char name[64], mean[96];
			const char *v;
			memcpy(name, s + 1, k - 2);
			name[k - 2] = '\0';
			if ((v = doc_param_use(d, name)) != NULL)
				buf_puts(&b, v);
			else if (find(d, name, d->nparams) == NULL) {
				name_list(d, names, sizeof(names));
				diag_err(diags, file, line, "%s: {%s} names no "
				    "parameter (%s%s); write {{ for a brace that is "
				    "text%s", what, name, d->nparams ? "declared: " :
				    "there are no <params>", names, params_mean(d,
				    name, mean, sizeof(mean)));
			}
			s += k;
		} else
			buf_putc(&b, *s++);
	}
	if (b.oom) {
		/* Said, so that the value is not taken for one left out. */
		diag_oom(diags, file, line, "out of memory expanding %s", what);
		buf_free(&b);
		return NULL;
	}
	if ((d->expanded += b.len) > EXPANDED_MAX) {
		if (d->expanded - b.len <= EXPANDED_MAX)
			diag_err(diags, file, line, "%s: with its parameters, the "
			    "definition's text grows past %u MiB; print long "
			    "values less often", what, EXPANDED_MAX >> 20);
		buf_free(&b);
		return s;
	}
	r = arena_strdup(&d->arena, b.data ? b.data : "");
	buf_free(&b);
	return r;
}

/* Marks the parameters a template pattern names ({year}). */
static void
mark_pattern(struct doc *d, const char *s)
{
	for (; s != NULL && *s; s++) {
		size_t k = brace_name(s);
		if (k > 0) {
			char name[64];
			memcpy(name, s + 1, k - 2);
			name[k - 2] = '\0';
			(void)doc_param_use(d, name);
			s += k - 1;
		}
	}
}

void
params_check_used(struct doc *d, const struct template *t,
    struct diags *diags)
{
	size_t i;
	int k, r;

	for (k = 0; k < 3; k++) {
		mark_pattern(d, t->header.part[k]);
		mark_pattern(d, t->footer.part[k]);
	}
	for (k = 0; k < t->nparts; k++) {
		mark_pattern(d, t->parts[k].text);
		for (r = 0; r < t->parts[k].nrows; r++)
			mark_pattern(d, t->parts[k].rows[r].value);
	}
	for (i = 0; i < d->nparams; i++)
		if (!d->params[i].used)
			diag_add(diags, SC_WARNING, d->file, d->params[i].line,
			    "parameter \"%s\" is not used: no text, query or "
			    "template names it; print it with <value param=\"%s\"/> "
			    "or {%s}, use it in SQL as :%s, or remove it",
			    d->params[i].name, d->params[i].name, d->params[i].name,
			    d->params[i].name);
}
