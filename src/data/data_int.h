/* data_int.h — shared inside src/data (not installed). */
#ifndef SC_DATA_INT_H
#define SC_DATA_INT_H

#include "data.h"

enum cv_kind { CV_EMPTY, CV_NUMBER, CV_DATE, CV_TEXT };

/* What a CSV value is, and how the file wrote it. */
struct cellval {
	enum cv_kind kind;
	double       num;
	int          integer;          /* a whole number, no '.': ival */
	long long    ival;             /* exactly, when integer */
	int          currency, percent, group, paren;
	int          decimals;
	char         iso[32];          /* CV_DATE: YYYY-MM-DD or YYYY-MM */
	char         datefmt[16];      /* how it was written: dd/MM/yyyy … */
};

/* Infers the kind of one value (already trimmed, UTF-8). */
void data_infer(const char *s, struct cellval *out);
/* Files of at least this many bytes load on two threads (one reads,
 * one stores; csv.c); 0: always one. Tests set it, to load a small file
 * both ways. */
void db_csv_pipe_min(size_t bytes);
void data_set_format(struct db *db, const char *table, const char *column,
    const char *fmt);

#endif
