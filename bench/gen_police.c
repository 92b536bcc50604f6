/*
 * gen_police.c — writes a police.uk street-level crime CSV of a realistic
 * shape: the same columns, Leicestershire's districts and LSOA naming
 * ("Blaby 001A"), crime types with police.uk's mix, seasonal months, and
 * some anti-social behaviour rows with no Crime ID. Deterministic: the
 * same arguments give the same bytes.
 *
 *   gen_police ROWS FIRST_MONTH MONTHS > street.csv
 *   gen_police 30000 2021-04 24
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 0x9E3779B97F4A7C15ULL;

static uint32_t
rnd(void)
{
	/* xorshift64*: small, fast, the same everywhere. */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 2685821657736338717ULL) >> 32);
}

static const struct { const char *name; int lsoas, weight; } districts[] = {
	{ "Blaby", 60, 95 },
	{ "Charnwood", 110, 170 },
	{ "Harborough", 55, 75 },
	{ "Hinckley and Bosworth", 66, 105 },
	{ "Melton", 30, 45 },
	{ "North West Leicestershire", 62, 100 },
	{ "Oadby and Wigston", 36, 55 },
};

static const struct { const char *type; int weight; } types[] = {
	{ "Anti-social behaviour", 240 },
	{ "Violence and sexual offences", 300 },
	{ "Criminal damage and arson", 80 },
	{ "Public order", 80 },
	{ "Shoplifting", 60 },
	{ "Other theft", 55 },
	{ "Vehicle crime", 50 },
	{ "Burglary", 45 },
	{ "Drugs", 25 },
	{ "Other crime", 20 },
	{ "Bicycle theft", 12 },
	{ "Theft from the person", 10 },
	{ "Possession of weapons", 10 },
	{ "Robbery", 8 },
};

static const char *const outcomes[] = {
	"Investigation complete; no suspect identified",
	"Unable to prosecute suspect",
	"Under investigation",
	"Awaiting court outcome",
	"Offender given a caution",
	"Local resolution",
	"Court result unavailable",
	"Status update unavailable",
};

static const char *const streets[] = {
	"On or near Station Road", "On or near High Street",
	"On or near Church Lane", "On or near Parking Area",
	"On or near Supermarket", "On or near Main Street",
	"On or near Petrol Station", "On or near Sports/Recreation Area",
	"On or near Leicester Road", "On or near Park/Open Space",
};

static int
pick(const int *w, int n)
{
	int total = 0, i, r;

	for (i = 0; i < n; i++)
		total += w[i];
	r = (int)(rnd() % (uint32_t)total);
	for (i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

int
main(int argc, char **argv)
{
	long rows, i;
	int y0, m0, months, nd = 7, nt = 14, dw[7], tw[14], k, mw[240];

	if (argc != 4 || sscanf(argv[2], "%d-%d", &y0, &m0) != 2 ||
	    (rows = atol(argv[1])) <= 0 || (months = atoi(argv[3])) <= 0 ||
	    months > 240) {
		fprintf(stderr, "usage: gen_police ROWS YYYY-MM MONTHS\n");
		return 2;
	}
	for (k = 0; k < nd; k++)
		dw[k] = districts[k].weight;
	for (k = 0; k < nt; k++)
		tw[k] = types[k].weight;
	/* More in summer, and a slow rise over the period. */
	for (k = 0; k < months; k++) {
		int mon = (m0 - 1 + k) % 12;
		static const int season[12] = { 88, 86, 95, 97, 104, 106, 110,
			108, 101, 100, 96, 92 };
		mw[k] = season[mon] * (1000 + k * 4) / 1000;
	}
	printf("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,"
	    "Location,LSOA code,LSOA name,Crime type,Last outcome category,"
	    "Context\r\n");
	for (i = 0; i < rows; i++) {
		int d = pick(dw, nd), t = pick(tw, nt), m = pick(mw, months);
		int y = y0 + (m0 - 1 + m) / 12, mon = (m0 - 1 + m) % 12 + 1;
		int lsoa = (int)(rnd() % (uint32_t)districts[d].lsoas) + 1;
		char letter = (char)('A' + rnd() % 4);
		double lon = -1.45 + (rnd() % 100000) / 100000.0 * 0.9;
		double lat = 52.40 + (rnd() % 100000) / 100000.0 * 0.45;
		if (t == 0)
			printf(",");
		else
			printf("%08x%08x%08x%08x,", rnd(), rnd(), rnd(), rnd());
		printf("%04d-%02d,Leicestershire Police,Leicestershire Police,"
		    "%.6f,%.6f,%s,E0%07d,%s %03d%c,%s,%s,\r\n", y, mon, lon, lat,
		    streets[rnd() % 10], 1025000 + d * 200 + lsoa,
		    districts[d].name, lsoa, letter, types[t].type,
		    t == 0 ? "" : outcomes[rnd() % 8]);
	}
	return 0;
}
