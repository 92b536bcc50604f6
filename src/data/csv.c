/*
 * csv.c — one CSV file into one SQLite table, streaming: libcsv hands
 * over fields a chunk at a time, each row goes through one prepared
 * INSERT inside one transaction, and no more than a row is ever held
 * (a large file: two batches of rows, see "Two threads" below).
 * Values such as "1,234", "£103,883.31", "83%", "(5)" are stored as
 * numbers and the column remembers how the file showed them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <csv.h>
#include <sqlite3.h>

#include "data.h"
#include "data_int.h"
#include "../util/buf.h"
#include "../util/clock.h"
#include "../util/path.h"
#include "../util/utf8.h"

/* What one fread() hands libcsv [bytes]: large blocks, few calls (a
 * 200 MB export is 200 reads). Only its first SNIFF bytes are looked at
 * for signs of a file that is not text. */
#define CHUNK (1024 * 1024)
#define SNIFF 65536

/* Windows-1252's 0x80-0x9F; the rest is Latin-1. */
static const uint16_t cp1252[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

enum enc { ENC_UTF8, ENC_1252 };

/* A number cell remembered as written, in case its column turns out to
 * mix percentages with plain numbers (then the fewer kind is stored as
 * the text the file showed, so "83%" never prints as 0.83). */
struct seen {
	sqlite3_int64 rowid;
	char         *text;
};

#define SEEN_MAX 10000

struct seenlist {
	struct seen *v;
	int          n, cap, overflow;
};

struct colstat {
	int   numbers, texts;  /* cells of each kind */
	struct seenlist pct, plain;
	int   currency, percent, group, paren, dates;
	int   decimals;        /* most decimals seen */
	/* number cells handed on to be remembered, [percent?]: the
	 * reading side's own count (the storing side owns the lists), one
	 * past SEEN_MAX so that the lists see their overflow */
	int   handed[2];
	char  datefmt[16];
};

/* A number cell of a row, remembered while its column could be mixed. */
struct rowcell {
	int    col, pct;
	size_t off;        /* its text in the row's bytes */
};

struct pend {
	enum cv_kind kind;
	int          integer;
	long long    ival;
	double       num;
	size_t       off, len;
};

/*
 * Two threads (files of PIPE_MIN bytes or more): one reads and parses
 * (libcsv, decoding, inference: about 60% of a load), the other — the
 * caller's — stores the rows (SQLite's inserts), a batch of rows at a
 * time, two batches in turn. Only the caller's thread writes messages:
 * the reader's first error is held and said after the rows before it are
 * stored, so that what a build says is what the one-thread load says.
 */
#ifndef PIPE_MIN
#define PIPE_MIN   (16u << 20)
#endif
#define BATCH_ROWS 4096
/* ... or fewer, once a batch holds this many bytes: rows of long fields
 * (each may be 16 MiB) must not make a batch of gigabytes, where one
 * thread holds a row. */
#define BATCH_BYTES (8u << 20)

static size_t pipe_min = PIPE_MIN;

void
db_csv_pipe_min(size_t bytes)
{
	pipe_min = bytes;
}

struct batch {
	struct buf      bytes;    /* the rows' values, NUL-terminated */
	struct pend    *pend;     /* nkeep a row */
	struct rowcell *cells;
	size_t          ncells, capcells;
	struct brow { long row; int ncells; } *rows;
	size_t          nrows;
	int             end;      /* the reader's last */
};

struct pipe {
	pthread_t       reader;
	pthread_mutex_t mu;
	pthread_cond_t  cv;
	struct batch    b[2];
	struct batch   *cur;      /* the reader's */
	struct batch   *full;     /* handed over, not yet taken */
	struct batch   *empty;    /* given back */
	int             stop;     /* the storing side failed */
	/* the reader's first error, said by the caller's thread */
	int             err, err_oom, err_line;
	const char     *err_file;
	char            err_msg[700];
};

struct loader {
	struct db      *db;
	const struct source *src;
	const char     *path;
	struct diags   *diags;
	enum enc        enc;
	sqlite3_stmt   *ins;
	/* The storing thread's: `group` rows an INSERT (one statement's
	 * start and end cost more than a row's values), or NULL. */
	sqlite3_stmt   *insn;
	int             group;
	size_t          row_max;  /* a row of this many bytes goes alone */
	char          **names;   /* header */
	int             ncols;
	int             col;     /* field index in the current row */
	long            row;     /* 1-based record number (header is 1) */
	int             header_done;
	int             failed;
	struct colstat *stat;
	struct buf     *hdr;     /* header names while reading row 1 */
	int             nhdr, caphdr;
	/* This row's number cells: column, percent?, offset in rowbuf. */
	struct rowcell *rowcells;
	int             nrowcells;
	/* This row's values, bound when the row is complete so SQLite can
	 * read them in place (SQLITE_STATIC) instead of copying each. */
	struct buf      rowbuf;
	struct pend    *pend;
	struct pend    *pk;          /* the kept columns' values, packed */
	int            *kcols;       /* the kept columns, nkeep of them */
	int             nkeep;
	struct pipe    *pipe;        /* two threads, or NULL */
	int             sfailed;     /* the storing thread failed */
	int             cancelled;   /* the reader saw db_cancelled() */
	int             auto_enc;     /* encoding="auto": may fall back */
	int             retry;        /* fall back to Windows-1252 */
	const char     *refs;         /* see db_load_csv() */
	char           *keep;         /* per column: store its values */
	unsigned char   delim;
	/* --timings (db_timings_on()) */
	long long       nbytes;       /* read (the reading thread's) */
	long long       stored;       /* rows stored */
	long long       store_ns;     /* the storing thread's inserts */
	int             piped;        /* two threads ran the last pass */
};

/* Set in the reading thread of two (pipe_read). */
static _Thread_local int reader_thread;

/* Is this the reading thread of two? */
static int
in_reader(const struct loader *l)
{
	return l->pipe != NULL && reader_thread;
}

/* Says msg at file:line (an error, or out of memory), or in the reading
 * thread holds it for the caller's thread to say. */
static void
say(struct loader *l, int oom, const char *file, long line, const char *msg)
{
	if (in_reader(l)) {
		struct pipe *q = l->pipe;
		if (q->err)
			return;    /* the first is the one said */
		q->err = 1;
		q->err_oom = oom;
		q->err_file = file;
		q->err_line = (int)line;
		snprintf(q->err_msg, sizeof(q->err_msg), "%s", msg);
	} else if (oom)
		diag_oom(l->diags, file, (int)line, "%s", msg);
	else
		diag_err(l->diags, file, (int)line, "%s", msg);
}

/* Marks the load failed, on this thread's side; 0 when it already was. */
static int
set_failed(struct loader *l)
{
	int *f = l->pipe != NULL && !in_reader(l) ? &l->sfailed : &l->failed;

	if (*f)
		return 0;
	*f = 1;
	return 1;
}

static void
fail(struct loader *l, long row, int col, const char *fmt, const char *arg)
{
	char msg[512], all[700];

	if (!set_failed(l))
		return;
	snprintf(msg, sizeof(msg), fmt, arg ? arg : "");
	/* file:row: and the column by number and, once known, by name. */
	if (col > 0 && l->header_done && col <= l->nhdr)
		snprintf(all, sizeof(all), "column %d (\"%.100s\"): %s", col,
		    l->hdr[col - 1].data, msg);
	else if (col > 0)
		snprintf(all, sizeof(all), "column %d: %s", col, msg);
	else
		snprintf(all, sizeof(all), "%s", msg);
	say(l, 0, l->path, row, all);
}

/* The load fails for want of memory: at the row it reached. */
static void
fail_oom(struct loader *l, long row, const char *what)
{
	char msg[128];

	if (!set_failed(l))
		return;
	snprintf(msg, sizeof(msg), "out of memory %s", what);
	say(l, 1, l->path, row, msg);
}

/* Appends a field to rowbuf as UTF-8 (NUL-terminated); *off is where. */
static int
decode(struct loader *l, const char *s, size_t n, size_t *off)
{
	size_t i;

	*off = l->rowbuf.len;
	if (l->enc == ENC_UTF8) {
		if (!utf8_valid(s, n)) {
			size_t k = 0, len;
			if (l->auto_enc) {
				/* Not UTF-8 after all: start again as Excel's
				 * Windows-1252 (nothing is committed yet). */
				l->retry = 1;
				l->failed = 1;
				return -1;
			}
			while (k < n && utf8_decode(s + k, n - k, &len) >= 0)
				k += len;
			{
				char b[8];
				snprintf(b, sizeof(b), "0x%02X", (unsigned char)s[k]);
				fail(l, l->row, l->col + 1, "byte %s is not UTF-8; "
				    "save the file as UTF-8, or say encoding=\"auto\" "
				    "or \"windows-1252\"", b);
			}
			return -1;
		}
		buf_put(&l->rowbuf, s, n);
	} else {
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			char enc[4];
			uint32_t cp = c < 0x80 ? c : c < 0xA0 ? cp1252[c - 0x80] : c;
			buf_put(&l->rowbuf, enc, utf8_encode(cp, enc));
		}
	}
	buf_putc(&l->rowbuf, '\0');
	if (l->rowbuf.oom) {
		fail_oom(l, l->row, "reading this row");
		return -1;
	}
	return 0;
}

static void
on_field(void *s, size_t n, void *data)
{
	struct loader *l = data;
	char *v;
	size_t len, off;

	if (l->failed)
		return;
	if (n > DATA_MAX_FIELD) {
		fail(l, l->row, l->col + 1, "a field is larger than %s; is the "
		    "file really CSV?", "16 MiB");
		return;
	}
	if (l->header_done && l->col >= l->ncols) {
		char b[96];
		snprintf(b, sizeof(b), "%d", l->ncols);
		snprintf(b + strlen(b), sizeof(b) - strlen(b), "; %s inside a "
		    "value needs quotes", l->delim == ',' ? "a comma" :
		    l->delim == '\t' ? "a tab" : l->delim == ';' ?
		    "a semicolon" : "the delimiter");
		fail(l, l->row, l->col + 1, "this row has more fields than the "
		    "header's %s", b);
		return;
	}
	if (s != NULL && memchr(s, '\0', n) != NULL) {
		/* Strings end at a NUL: the rest of the value would be lost
		 * without a word. */
		fail(l, l->row, l->col + 1, "the value has a NUL byte (0x00), "
		    "which is not text; remove it, or export the file again as "
		    "CSV%s", NULL);
		return;
	}
	/* A column no SQL reads: checked as the others are (a byte that
	 * is not UTF-8 still means Windows-1252, or an error), not kept. */
	if (l->header_done && !l->keep[l->col]) {
		if (l->enc == ENC_UTF8 && s != NULL && !utf8_valid(s, n) &&
		    decode(l, s, n, &off) != 0)
			return;
		l->pend[l->col].kind = CV_EMPTY;
		l->col++;
		return;
	}
	if (decode(l, s ? s : "", s ? n : 0, &off) != 0)
		return;
	v = l->rowbuf.data + off;
	len = l->rowbuf.len - off - 1;
	/* Spaces around a value are not part of it. */
	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	v[len] = '\0';
	if (!l->header_done) {
		if (l->nhdr >= DATA_MAX_COLUMNS) {
			fail(l, 1, l->nhdr + 1, "the file has more than %s columns, "
			    "the most an SQLite table can have; delete the columns "
			    "the report does not use", "2000");
			return;
		}
		if (l->nhdr == l->caphdr) {
			int cap = l->caphdr ? l->caphdr * 2 : 16;
			struct buf *h = realloc(l->hdr, (size_t)cap * sizeof(*h));
			if (h == NULL) {
				fail_oom(l, 1, "reading the header");
				return;
			}
			l->hdr = h;
			l->caphdr = cap;
		}
		buf_init(&l->hdr[l->nhdr]);
		buf_put(&l->hdr[l->nhdr], v, len);
		l->nhdr++;   /* counted either way, so that it is freed */
		if (l->hdr[l->nhdr - 1].oom) {
			/* Not "an empty column name" later. */
			fail_oom(l, 1, "reading the header");
			return;
		}
		l->col++;
		buf_reset(&l->rowbuf);
		return;
	}
	{
		struct cellval cv;
		struct colstat *st = &l->stat[l->col];
		struct pend *p = &l->pend[l->col];

		data_infer(v, &cv);
		p->kind = cv.kind;
		p->off = (size_t)(v - l->rowbuf.data);
		p->len = len;
		if (cv.kind == CV_NUMBER) {
			st->numbers++;
			st->currency |= cv.currency;
			st->percent |= cv.percent;
			st->group |= cv.group;
			st->paren |= cv.paren;
			if (cv.decimals > st->decimals)
				st->decimals = cv.decimals;
			p->integer = cv.integer;
			p->ival = cv.ival;
			p->num = cv.num;
			/* Remember how it was written while a mixed column
			 * could still need it. */
			if (st->handed[cv.percent != 0] <= SEEN_MAX &&
			    l->nrowcells < l->ncols) {
				st->handed[cv.percent != 0]++;
				l->rowcells[l->nrowcells].col = l->col;
				l->rowcells[l->nrowcells].pct = cv.percent;
				l->rowcells[l->nrowcells].off = p->off;
				l->nrowcells++;
			}
		} else if (cv.kind == CV_DATE) {
			st->dates++;
			memcpy(st->datefmt, cv.datefmt, sizeof(st->datefmt));
			/* The ISO form replaces the text in place: it is never
			 * longer than what the file wrote. */
			p->len = strlen(cv.iso);
			memcpy(v, cv.iso, p->len + 1);
		} else if (cv.kind == CV_TEXT)
			st->texts++;
	}
	l->col++;
}

/* name as an SQL identifier, in double quotes. */
static void
put_ident(struct buf *b, const char *name)
{
	buf_putc(b, '"');
	for (; *name; name++) {
		if (*name == '"')
			buf_putc(b, '"');
		buf_putc(b, *name);
	}
	buf_putc(b, '"');
}

/* Does text mention name (ignoring case)? */
static int
mentions(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	/* Empty, or written in SQL some other way than it reads
	 * ("a""b"): kept. */
	if (n == 0 || strpbrk(name, "\"`[]") != NULL)
		return 1;
	/* The first byte first (equal bytes, or letters of another case,
	 * agree once 0x20 is set): this runs at every byte of the SQL for
	 * every column. */
	for (p = text; *p; p++)
		if ((*p | 0x20) == (*name | 0x20) && strncasecmp(p, name, n) == 0)
			return 1;
	return 0;
}

/* "INSERT INTO "id" (kept columns" into sql; returns how many. */
static int
insert_into(const struct loader *l, struct buf *sql)
{
	int i, k = 0;

	buf_printf(sql, "INSERT INTO \"%s\" ", l->src->id);
	for (i = 0; i < l->ncols; i++)
		if (l->keep[i]) {
			buf_puts(sql, k++ ? "," : "(");
			put_ident(sql, l->hdr[i].data);
		}
	return k;
}

/* Rows an INSERT of the storing thread: enough that a statement's own
 * cost is spread thin; fewer when the columns are many, so that the
 * statement stays within SQLite's parameters. */
#define GROUP_ROWS 32

/*
 * The storing thread's INSERT of GROUP_ROWS rows. Without it (no column
 * kept, too many columns, no memory) rows are stored one at a time, as
 * they are on one thread.
 */
static void
prepare_group(struct loader *l)
{
	sqlite3 *h = db_handle(l->db);
	struct buf sql;
	int g, k, group = GROUP_ROWS;

	if (l->nkeep == 0)
		return;
	while (group > 1 && group * l->nkeep >
	    sqlite3_limit(h, SQLITE_LIMIT_VARIABLE_NUMBER, -1))
		group /= 2;
	if (group < 2)
		return;
	buf_init(&sql);
	(void)insert_into(l, &sql);
	buf_puts(&sql, ") VALUES ");
	for (g = 0; g < group; g++)
		for (k = 0; k < l->nkeep; k++)
			buf_puts(&sql, k ? ",?" : g ? "),(?" : "(?");
	buf_puts(&sql, ")");
	/* Half of what SQLite takes in a row: the values' bytes, a header
	 * and the group's other rows never reach it. */
	l->row_max = (size_t)sqlite3_limit(h, SQLITE_LIMIT_LENGTH, -1) / 2;
	if (!sql.oom && sqlite3_prepare_v2(h, sql.data, -1, &l->insn,
	    NULL) == SQLITE_OK)
		l->group = group;
	else if (l->insn != NULL) {
		sqlite3_finalize(l->insn);
		l->insn = NULL;
	}
	buf_free(&sql);
}

/* A column name's hash, case ignored (ASCII, as strcasecmp). */
static uint32_t
name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)(*s >= 'A' && *s <= 'Z' ? *s | 0x20 :
		    *s)) * 16777619u;
	return h;
}

/*
 * Every header name given, and none twice (case ignored): the first
 * column that repeats an earlier one is told, with the earliest it
 * repeats. A table of the names seen, not every pair: a 300-column
 * export was 45,000 comparisons, a twentieth of a small build.
 */
static int
header_names(struct loader *l)
{
	size_t cap = 16, j;
	int i, *seen, rc = 0;

	while (cap < 2 * (size_t)l->nhdr)
		cap *= 2;
	if ((seen = malloc(cap * sizeof(*seen))) == NULL) {
		fail_oom(l, 1, "reading the header");
		return -1;
	}
	for (j = 0; j < cap; j++)
		seen[j] = -1;
	for (i = 0; i < l->nhdr && rc == 0; i++) {
		const char *a = l->hdr[i].data ? l->hdr[i].data : "";
		if (*a == '\0') {
			fail(l, 1, i + 1, "the header has an empty column name; "
			    "name every column%s", NULL);
			rc = -1;
			break;
		}
		for (j = name_hash(a) & (cap - 1); seen[j] >= 0;
		    j = (j + 1) & (cap - 1))
			if (strcasecmp(a, l->hdr[seen[j]].data) == 0) {
				char b[300];
				snprintf(b, sizeof(b), "\"%.200s\" (also column %d)", a,
				    seen[j] + 1);
				fail(l, 1, i + 1, "the header names column %s twice; "
				    "rename one", b);
				rc = -1;
				break;
			}
		if (rc == 0)
			seen[j] = i;
	}
	free(seen);
	return rc;
}

static int
begin_table(struct loader *l)
{
	sqlite3 *h = db_handle(l->db);
	struct buf sql;
	int i, k, rc;

	if (l->nhdr == 0) {
		fail(l, 1, 0, "the file is empty; it needs a header row%s", NULL);
		return -1;
	}
	if (header_names(l) != 0)
		return -1;
	l->ncols = l->nhdr;
	if (l->ncols <= 0 || l->ncols > DATA_MAX_COLUMNS) { /* stopped before */
		fail(l, 1, 0, "more than %s columns", "2000");
		return -1;
	}
	l->stat = calloc((size_t)l->ncols, sizeof(*l->stat));
	l->rowcells = calloc((size_t)l->ncols + 1, sizeof(*l->rowcells));
	l->pend = calloc((size_t)l->ncols + 1, sizeof(*l->pend));
	l->keep = calloc((size_t)l->ncols + 1, 1);
	l->pk = calloc((size_t)l->ncols + 1, sizeof(*l->pk));
	l->kcols = calloc((size_t)l->ncols + 1, sizeof(*l->kcols));
	if (l->stat == NULL || l->rowcells == NULL || l->pend == NULL ||
	    l->keep == NULL || l->pk == NULL || l->kcols == NULL) {
		/* failed, so that no row is stored into what is missing */
		fail_oom(l, 1, "reading the header");
		return -1;
	}
	for (i = 0; i < l->ncols; i++)
		l->keep[i] = l->refs == NULL || mentions(l->refs, l->hdr[i].data);
	buf_init(&sql);
	buf_printf(&sql, "CREATE TABLE \"%s\" (", l->src->id);
	for (i = 0; i < l->ncols; i++) {
		buf_puts(&sql, i ? ", " : "");
		put_ident(&sql, l->hdr[i].data);
	}
	buf_puts(&sql, ")");
	/* SQL cut short would fail as SQLite's error, not memory. */
	if (sql.oom) {
		fail_oom(l, 1, "making its table");
		buf_free(&sql);
		return -1;
	}
	rc = sqlite3_exec(h, sql.data, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		char msg[600];
		snprintf(msg, sizeof(msg), "<csv id=\"%s\">: cannot make its "
		    "table: %s", l->src->id, sqlite3_errmsg(h));
		say(l, 0, l->src->file, l->src->line, msg);
		l->failed = 1;
		buf_free(&sql);
		return -1;
	}
	buf_reset(&sql);
	/* Only the columns kept: the others stay NULL without a bind each
	 * (most of a police.uk export's twelve columns). */
	k = insert_into(l, &sql);
	/* No column named: count(*) still needs the rows. */
	buf_puts(&sql, k ? ") VALUES (" : "DEFAULT VALUES");
	for (i = 0; i < k; i++)
		buf_puts(&sql, i ? ",?" : "?");
	if (k)
		buf_puts(&sql, ")");
	if (sql.oom) {
		fail_oom(l, 1, "making its table");
		buf_free(&sql);
		return -1;
	}
	rc = sqlite3_prepare_v2(h, sql.data, -1, &l->ins, NULL);
	buf_free(&sql);
	if (rc != SQLITE_OK) {
		char msg[600];
		snprintf(msg, sizeof(msg), "<csv id=\"%s\">: cannot store its "
		    "rows: %s", l->src->id, sqlite3_errmsg(h));
		say(l, 0, l->src->file, l->src->line, msg);
		l->failed = 1;
		return -1;
	}
	for (i = 0; i < l->ncols; i++)
		if (l->keep[i])
			l->kcols[l->nkeep++] = i;
	if (l->pipe != NULL)
		prepare_group(l);
	return 0;
}

/* Binds one row's kept values pk[0 .. nkeep-1], at offsets into bytes,
 * as the statement's parameters from first (1-based): SQLITE_OK, or
 * what refused one (a value longer than SQLite takes). */
static int
bind_row(struct loader *l, sqlite3_stmt *st, int first,
    const struct pend *pk, const char *bytes)
{
	int k, rc = SQLITE_OK;

	for (k = 0; k < l->nkeep && rc == SQLITE_OK; k++) {
		const struct pend *p = &pk[k];
		if (p->kind == CV_NUMBER && p->integer)
			rc = sqlite3_bind_int64(st, first + k, p->ival);
		else if (p->kind == CV_NUMBER)
			rc = sqlite3_bind_double(st, first + k, p->num);
		else if (p->kind == CV_EMPTY)
			rc = sqlite3_bind_null(st, first + k);
		else
			rc = sqlite3_bind_text(st, first + k, bytes + p->off,
			    (int)p->len, SQLITE_STATIC);
	}
	return rc;
}

/* Remembers a stored row's number cells' text by its rowid while their
 * column could still turn out mixed. 0, or -1 with a message. */
static int
row_stored(struct loader *l, long row, sqlite3_int64 id, const char *bytes,
    const struct rowcell *cells, int ncells)
{
	int k;

	l->stored++;
	for (k = 0; k < ncells; k++) {
		struct colstat *st = &l->stat[cells[k].col];
		struct seenlist *sl = cells[k].pct ? &st->pct : &st->plain;
		if (!sl->overflow && sl->n == SEEN_MAX) {
			int q;
			for (q = 0; q < sl->n; q++)
				free(sl->v[q].text);
			sl->overflow = 1;
			sl->n = 0;
			free(sl->v);
			sl->v = NULL;
		}
		if (sl->overflow)
			continue;
		if (sl->n == sl->cap) {
			int cap = sl->cap ? sl->cap * 2 : 8;
			struct seen *v = realloc(sl->v, (size_t)cap * sizeof(*v));
			if (v == NULL)
				break;
			sl->v = v;
			sl->cap = cap;
		}
		/* Not remembered, a mixed column would keep this cell a
		 * number (or lose its text): out of memory, not a quiet
		 * difference in the table. */
		if ((sl->v[sl->n].text = strdup(bytes + cells[k].off)) == NULL)
			break;
		sl->v[sl->n].rowid = id;
		sl->n++;
	}
	if (k < ncells) {
		fail_oom(l, row, "reading this row");
		return -1;
	}
	return 0;
}

/* Stores one row (see bind_row()). 0, or -1 with a message. */
static int
row_insert(struct loader *l, long row, const struct pend *pk,
    const char *bytes, const struct rowcell *cells, int ncells)
{
	sqlite3 *h = db_handle(l->db);
	int rc;

	if ((rc = bind_row(l, l->ins, 1, pk, bytes)) != SQLITE_OK) {
		/* Not stored without the value. */
		fail(l, row, 0, "cannot store the row: %s", sqlite3_errstr(rc));
		sqlite3_reset(l->ins);
		return -1;
	}
	if (sqlite3_step(l->ins) != SQLITE_DONE) {
		fail(l, row, 0, "cannot store the row: %s", sqlite3_errmsg(h));
		sqlite3_reset(l->ins);
		return -1;
	}
	rc = row_stored(l, row, sqlite3_last_insert_rowid(h), bytes, cells,
	    ncells);
	sqlite3_reset(l->ins);
	return rc;
}

static void pipe_put(struct loader *l, long row);

static void
on_row(int term, void *data)
{
	struct loader *l = data;
	int k;

	(void)term;
	if (l->failed)
		return;
	if (!l->header_done) {
		l->header_done = 1;
		if (begin_table(l) != 0)
			return;
		l->row++;
		l->col = 0;
		buf_reset(&l->rowbuf);
		return;
	}
	if (l->col < l->ncols) {
		char b[64];
		snprintf(b, sizeof(b), "%d field%s, the header has %d", l->col,
		    l->col == 1 ? "" : "s", l->ncols);
		fail(l, l->row, 0, "this row has %s; every row needs a value "
		    "(or an empty one) for each column", b);
		return;
	}
	if (l->row > DATA_MAX_ROWS) {
		fail(l, l->row, 0, "more than %s rows", "50,000,000");
		return;
	}
	for (k = 0; k < l->nkeep; k++)
		l->pk[k] = l->pend[l->kcols[k]];
	if (l->pipe != NULL)
		pipe_put(l, l->row);
	else
		(void)row_insert(l, l->row, l->pk, l->rowbuf.data, l->rowcells,
		    l->nrowcells);
	l->nrowcells = 0;
	buf_reset(&l->rowbuf);
	l->row++;
	l->col = 0;
}

/* Gives the full batch to the storing thread and takes back the other;
 * 0, or -1 when that thread has stopped. */
static int
pipe_hand(struct pipe *q)
{
	int rc = 0;

	pthread_mutex_lock(&q->mu);
	while (q->full != NULL && !q->stop)
		pthread_cond_wait(&q->cv, &q->mu);
	if (!q->stop) {
		q->full = q->cur;
		pthread_cond_broadcast(&q->cv);
		while (q->empty == NULL && !q->stop)
			pthread_cond_wait(&q->cv, &q->mu);
	}
	if (q->stop)
		rc = -1;
	else {
		q->cur = q->empty;
		q->empty = NULL;
	}
	pthread_mutex_unlock(&q->mu);
	return rc;
}

/* The reader's side of on_row: the row into its batch. */
static void
pipe_put(struct loader *l, long row)
{
	struct batch *b = l->pipe->cur;
	size_t base = b->bytes.len;
	int k;

	if (b->ncells + (size_t)l->nrowcells > b->capcells) {
		size_t cap = b->capcells ? b->capcells * 2 : 1024;
		struct rowcell *v;
		while (cap < b->ncells + (size_t)l->nrowcells)
			cap *= 2;
		if ((v = realloc(b->cells, cap * sizeof(*v))) == NULL) {
			fail_oom(l, row, "reading this row");
			return;
		}
		b->cells = v;
		b->capcells = cap;
	}
	buf_put(&b->bytes, l->rowbuf.data, l->rowbuf.len);
	if (b->bytes.oom) {
		fail_oom(l, row, "reading this row");
		return;
	}
	if (b->rows == NULL &&
	    ((b->rows = malloc(BATCH_ROWS * sizeof(*b->rows))) == NULL ||
	    (b->pend = malloc(BATCH_ROWS * ((size_t)l->nkeep + 1) *
	    sizeof(*b->pend))) == NULL)) {
		fail_oom(l, row, "reading this row");
		return;
	}
	for (k = 0; k < l->nkeep; k++) {
		struct pend *p = &b->pend[b->nrows * (size_t)l->nkeep + k];
		*p = l->pk[k];
		p->off += base;
	}
	for (k = 0; k < l->nrowcells; k++) {
		b->cells[b->ncells] = l->rowcells[k];
		b->cells[b->ncells++].off += base;
	}
	b->rows[b->nrows].row = row;
	b->rows[b->nrows++].ncells = l->nrowcells;
	if ((b->nrows == BATCH_ROWS || b->bytes.len >= BATCH_BYTES) &&
	    pipe_hand(l->pipe) != 0)
		l->failed = 1;    /* the storing side has said why */
}

/* Empties a batch for reuse. */
static void
batch_reset(struct batch *b)
{
	buf_reset(&b->bytes);
	b->nrows = b->ncells = 0;
	b->end = 0;
}

/*
 * How many rows from r go in one INSERT: l->group when that many are
 * left and none is so long that SQLite could refuse it (a row it
 * refuses is told at its own row, so it goes alone); else 1.
 */
static size_t
group_size(const struct loader *l, const struct batch *b, size_t r)
{
	size_t g, k;

	if (l->group < 2 || b->nrows - r < (size_t)l->group)
		return 1;
	for (g = r; g < r + (size_t)l->group; g++) {
		size_t bytes = 0;
		for (k = 0; k < (size_t)l->nkeep; k++)
			bytes += b->pend[g * (size_t)l->nkeep + k].len;
		if (bytes >= l->row_max)
			return 1;
	}
	return (size_t)l->group;
}

/*
 * Stores l->group rows of b from r (their number cells from b->cells +
 * c) with one statement. A fresh table's rowids count up from the
 * last: the statement's k-th row is the last one's less group-1-k.
 * Only memory can fail it (group_size() kept long rows out), and the
 * load fails with it: told at the group's first row.
 */
static int
rows_insert(struct loader *l, const struct batch *b, size_t r, size_t c)
{
	sqlite3 *h = db_handle(l->db);
	sqlite3_int64 last;
	int k, rc = SQLITE_OK;

	for (k = 0; k < l->group && rc == SQLITE_OK; k++)
		rc = bind_row(l, l->insn, 1 + k * l->nkeep,
		    &b->pend[(r + (size_t)k) * (size_t)l->nkeep], b->bytes.data);
	if (rc != SQLITE_OK || sqlite3_step(l->insn) != SQLITE_DONE) {
		fail(l, b->rows[r].row, 0, "cannot store the row: %s",
		    sqlite3_errmsg(h));
		sqlite3_reset(l->insn);
		return -1;
	}
	last = sqlite3_last_insert_rowid(h);
	for (k = 0; k < l->group && rc == 0; k++) {
		const struct brow *br = &b->rows[r + (size_t)k];
		rc = row_stored(l, br->row, last - (l->group - 1 - k),
		    b->bytes.data, b->cells + c, br->ncells);
		c += (size_t)br->ncells;
	}
	sqlite3_reset(l->insn);
	return rc;
}

/* The storing thread: each batch's rows, in order, until the last. */
static void
pipe_store(struct loader *l)
{
	struct pipe *q = l->pipe;
	int end = 0, timed = db_timings_on(l->db);
	long long t0;

	while (!end) {
		struct batch *b;
		size_t r, c = 0;
		pthread_mutex_lock(&q->mu);
		while (q->full == NULL)
			pthread_cond_wait(&q->cv, &q->mu);
		b = q->full;
		q->full = NULL;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		end = b->end;
		if (db_cancelled(l->db))
			l->sfailed = 1;    /* said by the caller (api.c) */
		t0 = timed ? clock_ns() : 0;
		for (r = 0; r < b->nrows && !l->sfailed; ) {
			size_t g = group_size(l, b, r);
			if (g > 1) {
				(void)rows_insert(l, b, r, c);
				for (; g > 0; g--, r++)
					c += (size_t)b->rows[r].ncells;
				continue;
			}
			(void)row_insert(l, b->rows[r].row,
			    &b->pend[r * (size_t)l->nkeep], b->bytes.data,
			    b->cells + c, b->rows[r].ncells);
			c += (size_t)b->rows[r].ncells;
			r++;
		}
		if (timed)
			l->store_ns += clock_ns() - t0;
		pthread_mutex_lock(&q->mu);
		if (l->sfailed)
			q->stop = 1;
		batch_reset(b);
		q->empty = b;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		if (l->sfailed)
			break;
	}
}

/* A column mixing "83%" with plain numbers: the fewer kind goes back
 * to the text the file showed. */
static void
unmix(struct loader *l, int col)
{
	struct colstat *s = &l->stat[col];
	struct seenlist *few;
	sqlite3 *h = db_handle(l->db);
	sqlite3_stmt *up;
	struct buf sql;
	const char *p;
	int k;

	if (s->pct.n + s->pct.overflow == 0 ||
	    s->plain.n + s->plain.overflow == 0)
		return;
	few = s->pct.overflow ? &s->plain : s->plain.overflow ? &s->pct :
	    s->pct.n <= s->plain.n ? &s->pct : &s->plain;
	if (few->overflow)
		return;
	buf_init(&sql);
	buf_printf(&sql, "UPDATE \"%s\" SET \"", l->src->id);
	for (p = l->hdr[col].data; *p; p++) {
		if (*p == '"')
			buf_putc(&sql, '"');
		buf_putc(&sql, *p);
	}
	buf_puts(&sql, "\" = ? WHERE rowid = ?");
	if (sql.oom) {
		/* The values would keep the wrong kind without a word. */
		fail_oom(l, l->row, "reading the file");
		buf_free(&sql);
		return;
	}
	if (sqlite3_prepare_v2(h, sql.data, -1, &up, NULL) == SQLITE_OK) {
		for (k = 0; k < few->n; k++) {
			sqlite3_bind_text(up, 1, few->v[k].text, -1, SQLITE_STATIC);
			sqlite3_bind_int64(up, 2, few->v[k].rowid);
			sqlite3_step(up);
			sqlite3_reset(up);
		}
		sqlite3_finalize(up);
	}
	buf_free(&sql);
	if (few == &s->pct)
		s->percent = 0;
	s->numbers -= few->n;
	s->texts += few->n;
}

static void
free_seen(struct seenlist *sl)
{
	int k;

	for (k = 0; k < sl->n; k++)
		free(sl->v[k].text);
	free(sl->v);
}

static void
remember_formats(struct loader *l)
{
	int i;

	for (i = 0; i < l->ncols; i++)
		unmix(l, i);
	for (i = 0; i < l->ncols; i++) {
		const struct colstat *s = &l->stat[i];
		char fmt[40];
		const char *dec = s->decimals > 0 ?
		    (s->decimals == 1 ? ".0" : s->decimals == 2 ? ".00" :
		    ".000") : "";
		if (s->numbers > 0 && s->numbers >= s->texts) {
			if (s->percent)
				snprintf(fmt, sizeof(fmt), "0%s%%", dec);
			else if (s->currency)
				snprintf(fmt, sizeof(fmt), "\xc2\xa3#,##0%s", dec);
			else if (s->group)
				snprintf(fmt, sizeof(fmt), "#,##0%s", dec);
			else
				snprintf(fmt, sizeof(fmt), "0%s", dec);
			if (s->paren) {
				char neg[44];
				snprintf(neg, sizeof(neg), ";(%s)", fmt);
				strncat(fmt, neg, sizeof(fmt) - strlen(fmt) - 1);
			}
			data_set_format(l->db, l->src->id, l->hdr[i].data, fmt);
		} else if (s->dates > 0 && s->dates >= s->texts)
			data_set_format(l->db, l->src->id, l->hdr[i].data,
			    s->datefmt);
	}
}

/* libcsv grows its field buffer without limit; this stops it at the
 * field cap, so a 200 MB "field" fails at 16 MiB instead of filling
 * memory first. */
static void *
capped_realloc(void *p, size_t n)
{
	if (n > (size_t)DATA_MAX_FIELD + 65536)
		return NULL;
	return realloc(p, n);
}

/* What a file that is not text starts with, for the message. */
static const struct { const char *magic; size_t n; const char *what; }
binary_kinds[] = {
	{ "\x1f\x8b", 2, "gzip data" },
	{ "PK\x03\x04", 4, "a ZIP archive, or an Excel .xlsx workbook" },
	{ "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "an Excel .xls workbook" },
	{ "BZh", 3, "bzip2 data" },
	{ "\xfd" "7zXZ", 6, "xz data" },
	{ "\x28\xb5\x2f\xfd", 4, "zstd data" },
	{ "7z\xbc\xaf\x27\x1c", 6, "a 7-Zip archive" },
	{ "%PDF-", 5, "a PDF" },
	{ "\x89PNG", 4, "a PNG image" },
	{ "\xff\xd8\xff", 3, "a JPEG image" },
	{ "SQLite format 3", 16, "an SQLite database" },
	{ "\x7f" "ELF", 4, "a program" },
};

/*
 * NULL when the first chunk of a file reads as text; else what it looks
 * like. Binary data read as Windows-1252 (encoding="auto") would load as
 * a table of nonsense, so a known signature, a UTF-16 byte-order mark or
 * eight or more control bytes (not tab, line ends, form feed) in the
 * first 64 KiB say it is not a CSV file. A single NUL further on is left
 * to on_field, which names its row and column.
 */
static const char *
not_text(const unsigned char *b, size_t n)
{
	size_t i, ctl = 0;

	for (i = 0; i < sizeof(binary_kinds) / sizeof(binary_kinds[0]); i++)
		if (n >= binary_kinds[i].n && memcmp(b, binary_kinds[i].magic,
		    binary_kinds[i].n) == 0)
			return binary_kinds[i].what;
	if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) ||
	    (b[0] == 0xFE && b[1] == 0xFF)))
		return "UTF-16, Excel's \"Unicode Text\"";
	for (i = 0; i < n; i++)
		if (b[i] < 0x20 && b[i] != '\t' && b[i] != '\n' &&
		    b[i] != '\r' && b[i] != '\f' && b[i] != '\v')
			ctl++;
	return ctl >= 8 ? "binary data" : NULL;
}

static int
parser_init(struct csv_parser *p, unsigned char delim)
{
	if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return -1;
	csv_set_realloc_func(p, capped_realloc);
	/* It grows by this much at a time; the default (128 bytes) makes a
	 * long field cost time quadratic in its length where realloc moves. */
	csv_set_blk_size(p, 256 * 1024);
	csv_set_delim(p, delim);
	return 0;
}

/* Frees what one pass over the file built. */
static void
pass_free(struct loader *l)
{
	int i;

	if (l->ins)
		sqlite3_finalize(l->ins);
	l->ins = NULL;
	if (l->insn)
		sqlite3_finalize(l->insn);
	l->insn = NULL;
	l->group = 0;
	for (i = 0; i < l->nhdr; i++)
		buf_free(&l->hdr[i]);
	for (i = 0; l->stat != NULL && i < l->ncols; i++) {
		free_seen(&l->stat[i].pct);
		free_seen(&l->stat[i].plain);
	}
	free(l->rowcells);
	free(l->pk);
	free(l->kcols);
	l->pk = NULL;
	l->kcols = NULL;
	l->nkeep = 0;
	free(l->hdr);
	free(l->stat);
	free(l->pend);
	free(l->keep);
	l->rowcells = NULL;
	l->hdr = NULL;
	l->stat = NULL;
	l->pend = NULL;
	l->keep = NULL;
	l->nhdr = l->caphdr = l->ncols = l->col = l->nrowcells = 0;
	l->header_done = l->failed = 0;
	l->row = 1;
	buf_reset(&l->rowbuf);
}

/*
 * One pass over the file: every chunk through libcsv, into on_field and
 * on_row.
 */
static void
read_pass(struct loader *l, struct csv_parser *p, FILE *f, unsigned char *buf)
{
	const struct source *src = l->src;
	unsigned char delim = l->delim;
	size_t n, off;
	int first = 1, i;

	/* header="no": columns c1, c2 … named from the first row's width. */
	while (!l->failed && (n = fread(buf, 1, CHUNK, f)) > 0) {
		l->nbytes += (long long)n;
		/* A cancelled build stops here, a chunk at a time; on two
		 * threads the storing side stops at its next batch. */
		if (db_cancelled(l->db)) {
			l->cancelled = l->failed = 1;
			break;
		}
		off = 0;
		if (first) {
			const char *what = not_text(buf, n < SNIFF ? n : SNIFF);
			first = 0;
			if (what != NULL) {
				char msg[300];
				snprintf(msg, sizeof(msg), "this is not a text file (it "
				    "looks like %s); a data file must be CSV text: "
				    "unpack it, or export it as CSV UTF-8", what);
				say(l, 0, l->path, 0, msg);
				l->failed = 1;
				break;
			}
			if (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB &&
			    buf[2] == 0xBF)
				off = 3; /* the BOM Excel writes */
			if (!src->header) {
				/* Count the first row's fields for the names. */
				size_t k;
				int q = 0, cols = 1;
				for (k = off; k < n && (q || (buf[k] != '\n' &&
				    buf[k] != '\r')); k++) {
					if (buf[k] == '"')
						q = !q;
					else if (!q && buf[k] == delim)
						cols++;
				}
				/* One past the cap, so that a wider file is refused
				 * as one, not at its first row. */
				for (i = 0; i < cols && i <= DATA_MAX_COLUMNS; i++) {
					char name[16];
					snprintf(name, sizeof(name), "c%d", i + 1);
					on_field(name, strlen(name), l);
				}
				on_row(0, l);
				l->row = 1;
			}
		}
		if (csv_parse(p, buf + off, n - off, on_field, on_row, l) !=
		    n - off && !l->failed) {
			if (csv_error(p) == CSV_ENOMEM ||
			    csv_error(p) == CSV_ETOOBIG)
				fail(l, l->row, l->col + 1, "a field is larger than %s; "
				    "is the file really CSV?", "16 MiB");
			else if (csv_error(p) == CSV_EPARSE)
				fail(l, l->row, l->col + 1, "a quote inside a value that "
				    "is not in quotes; put the whole value in quotes "
				    "and write the quote twice (\"\")%s", NULL);
			else
				fail(l, l->row, l->col + 1, "%s",
				    csv_strerror(csv_error(p)));
		}
	}
	if (!l->failed && ferror(f))
		fail(l, l->row, 0, "cannot read the file: %s", strerror(errno));
	if (!l->failed && csv_fini(p, on_field, on_row, l) != 0)
		fail(l, l->row, l->col + 1, "a quoted value is not closed; the "
		    "quote that opens it needs a closing quote%s", NULL);
	if (!l->failed && !l->header_done)
		fail(l, 1, 0, "the file is empty; it needs a header row%s", NULL);
}

struct reader_args {
	struct loader     *l;
	struct csv_parser *p;
	FILE              *f;
	unsigned char     *buf;
};

/* The reading thread: the pass, then its last batch, even after a
 * failure, so that the storing thread stops. */
static void *
pipe_read(void *arg)
{
	struct reader_args *a = arg;

	reader_thread = 1;
	read_pass(a->l, a->p, a->f, a->buf);
	a->l->pipe->cur->end = 1;
	(void)pipe_hand(a->l->pipe);
	return NULL;
}

/*
 * The pass on two threads: this one stores what the other reads. The
 * reader's error is said here once the rows before it are stored (and
 * not at all when storing failed first, at an earlier row). Falls back
 * to one thread when the second cannot start.
 */
static void
pipe_run(struct loader *l, struct csv_parser *p, FILE *f, unsigned char *buf)
{
	struct pipe q;
	struct reader_args a = { l, p, f, buf };
	int i;

	memset(&q, 0, sizeof(q));
	for (i = 0; i < 2; i++)
		buf_init(&q.b[i].bytes);
	q.cur = &q.b[0];
	q.empty = &q.b[1];
	if (pthread_mutex_init(&q.mu, NULL) != 0) {
		read_pass(l, p, f, buf);
		return;
	}
	if (pthread_cond_init(&q.cv, NULL) != 0) {
		pthread_mutex_destroy(&q.mu);
		read_pass(l, p, f, buf);
		return;
	}
	l->pipe = &q;
	l->piped = 1;
	if (pthread_create(&q.reader, NULL, pipe_read, &a) != 0) {
		l->piped = 0;
		l->pipe = NULL;
		read_pass(l, p, f, buf);
	} else {
		pipe_store(l);
		pthread_join(q.reader, NULL);
		l->pipe = NULL;
		/* Storing failed (said): not read again for a byte the
		 * reader met after, as one thread would never have. */
		if (l->sfailed) {
			l->failed = 1;
			l->retry = 0;
		}
		else if (q.err)
			say(l, q.err_oom, q.err_file, q.err_line, q.err_msg);
		l->sfailed = 0;
	}
	pthread_cond_destroy(&q.cv);
	pthread_mutex_destroy(&q.mu);
	for (i = 0; i < 2; i++) {
		buf_free(&q.b[i].bytes);
		free(q.b[i].pend);
		free(q.b[i].cells);
		free(q.b[i].rows);
	}
}

/* --timings: the file's load, at its <csv>. */
static void
load_note(struct loader *l, long long ns)
{
	double s = (double)ns / 1e9, mb = (double)l->nbytes / 1e6;
	char two[96] = "";

	if (l->piped)
		snprintf(two, sizeof(two), "; on two threads, storing took "
		    "%.3f s of it", (double)l->store_ns / 1e9);
	diag_add(l->diags, SC_NOTE, l->src->file, l->src->line, "timings: "
	    "%s: %lld row%s, %.1f MB in %.3f s (%.0f MB/s), %d of %d column%s "
	    "stored%s", l->path, l->stored, l->stored == 1 ? "" : "s", mb, s,
	    s > 0 ? mb / s : 0.0, l->nkeep, l->ncols, l->ncols == 1 ? "" : "s",
	    two);
	db_load_time(l->db, ns, l->nbytes, l->stored);
}

int
db_load_csv(struct db *db, const struct source *src, const char *path,
    const char *refs, struct diags *diags)
{
	struct loader l;
	struct csv_parser p;
	FILE *f;
	unsigned char *buf = NULL, delim = ',';
	int errs = diags->errors, pipe_ok, ok;
	sqlite3 *h = db_handle(db);
	struct stat sb;
	long long t0 = clock_ns();

	memset(&l, 0, sizeof(l));
	l.db = db;
	l.src = src;
	l.path = path;
	l.diags = diags;
	l.row = 1;
	l.refs = refs;
	buf_init(&l.rowbuf);
	if ((f = path_fopen(path, "data file", diags, src->file,
	    src->line)) == NULL)
		return -1;
	if (src->encoding == NULL || strcmp(src->encoding, "auto") == 0) {
		l.enc = ENC_UTF8;
		l.auto_enc = 1;
	} else
		l.enc = strcmp(src->encoding, "windows-1252") == 0 ? ENC_1252 :
		    ENC_UTF8;
	if (src->delimiter != NULL) {
		if (strcmp(src->delimiter, "\\t") == 0 ||
		    strcmp(src->delimiter, "tab") == 0)
			delim = '\t';
		else if (strlen(src->delimiter) == 1)
			delim = (unsigned char)src->delimiter[0];
		else {
			diag_err(diags, src->file, src->line, "<csv delimiter=\"%s\">: "
			    "write one character, or \"tab\"", src->delimiter);
			fclose(f);
			return -1;
		}
	}
	l.delim = delim;
	pipe_ok = pipe_min != 0 && fstat(fileno(f), &sb) == 0 &&
	    S_ISREG(sb.st_mode) && (unsigned long long)sb.st_size >= pipe_min;
	if (parser_init(&p, delim) != 0) {
		fclose(f);
		diag_oom(diags, path, 0, "out of memory reading the file");
		return -1;
	}
	if ((buf = malloc(CHUNK)) == NULL) {
		csv_free(&p);
		fclose(f);
		diag_oom(diags, path, 0, "out of memory reading the file");
		return -1;
	}
again:
	l.nbytes = l.stored = 0;
	sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
	if (pipe_ok)
		pipe_run(&l, &p, f, buf);
	else
		read_pass(&l, &p, f, buf);
	if (l.retry) {
		/* Undo the pass (the table too) and read it again. */
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		pass_free(&l);
		csv_free(&p);
		if (parser_init(&p, delim) != 0) {
			fclose(f);
			free(buf);
			diag_oom(diags, path, 0, "out of memory reading the file");
			return -1;
		}
		rewind(f);
		l.retry = 0;
		l.auto_enc = 0;
		l.enc = ENC_1252;
		diag_add(diags, SC_NOTE, src->file, src->line, "%s is not UTF-8; "
		    "reading it as Windows-1252 (Excel's CSV)", path);
		goto again;
	}
	csv_free(&p);
	fclose(f);
	free(buf);
	ok = !l.failed;
	if (ok) {
		remember_formats(&l);
		sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
		if (db_timings_on(db))
			load_note(&l, clock_ns() - t0);
	} else
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	pass_free(&l);
	buf_free(&l.rowbuf);
	/* failed without a message: cancelled */
	return diags->errors == errs && ok ? 0 : -1;
}
