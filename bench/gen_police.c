/*
 * gen_police.c — writes a police.uk street-level crime CSV of a realistic
 * shape: the same columns, Leicestershire's districts and LSOA naming
 * ("Blaby 001A"), crime types with police.uk's mix, seasonal months, and
 * some anti-social behaviour rows with no Crime ID. Deterministic: the
 * same arguments give the same bytes.
 *
 *   gen_police ROWS FIRST_MONTH MONTHS > street.csv
 *   gen_police 30000 2021-04 24
 *
 * --real: as police.uk writes it today (bench W4r): 64-hex Crime IDs
 * (SHA-256), and the few locations with a comma in their name quoted.
 *
 *   gen_police --real 1000000 2021-04 24 > street.csv
 *
 * --incidents: a council's incident export instead (bench W4i), the
 * shape a new user brought: a reference, the date as DD/MM/YYYY and the
 * time, ward, category, a sub-category that is quoted where it has a
 * comma, status and the date closed (empty while open), over YEARS
 * financial years from April of FIRST_YEAR.
 *
 *   gen_police --incidents 572000 2019 5 > incidents.csv
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Real police.uk names with a comma: quoted in the file. */
static const char *const quoted_streets[] = {
	"\"On or near Shopping Area, Fosse Park\"",
	"\"On or near Hospital, Leicester Royal Infirmary\"",
};

static const char *const wards[] = {
	"Blaby and Countesthorpe", "Cosby with South Whetstone",
	"Enderby and St John's", "Fairestone", "Forest", "Millfield",
	"Narborough and Littlethorpe", "Normanton", "Pastures", "Ravenhurst and Fosse",
	"Saxondale", "Stanton and Flamville", "Winstanley", "Glenfields",
	"Kirby Muxloe", "Leicester Forest East", "Braunstone Town Ravenhurst",
};

static const struct { const char *cat, *sub; int weight; } incidents[] = {
	{ "Anti-social behaviour", "Nuisance", 220 },
	{ "Anti-social behaviour", "\"Noise, music\"", 90 },
	{ "Anti-social behaviour", "\"Noise, barking dog\"", 40 },
	{ "Anti-social behaviour", "Personal", 60 },
	{ "Environmental", "Fly-tipping", 140 },
	{ "Environmental", "Graffiti", 35 },
	{ "Environmental", "\"Littering, dog fouling\"", 50 },
	{ "Environmental", "Abandoned vehicle", 30 },
	{ "Criminal damage", "Vehicle", 45 },
	{ "Criminal damage", "Dwelling", 30 },
	{ "Criminal damage", "\"Other building, fence or wall\"", 20 },
	{ "Hate incident", "Race", 8 },
	{ "Hate incident", "\"Sexual orientation, gender identity\"", 4 },
	{ "Neighbour dispute", "Boundary", 25 },
	{ "Neighbour dispute", "\"Parking, access\"", 30 },
};

static const char *const statuses[] = {
	"Open", "Closed - resolved", "Closed - no further action",
	"Closed - referred to police", "Closed - warning letter",
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

static const int season[12] = { 88, 86, 95, 97, 104, 106, 110, 108, 101,
	100, 96, 92 };

static int
gen_incidents(long rows, int fy0, int years)
{
	int iw[sizeof(incidents) / sizeof(incidents[0])], dw[366 * 10];
	int ni = (int)(sizeof(iw) / sizeof(iw[0])), ndays = 0, k;
	int y = fy0, m = 4, d = 1;
	struct { short y, m, d; } day[366 * 10];
	long i;

	if (years < 1 || years > 10)
		return 2;
	for (k = 0; k < ni; k++)
		iw[k] = incidents[k].weight;
	/* Every day of the years, weighted by the season. */
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	while (!(y == fy0 + years && m == 4)) {
		int len = mdays[m - 1] + (m == 2 && y % 4 == 0 &&
		    (y % 100 != 0 || y % 400 == 0));
		day[ndays].y = (short)y;
		day[ndays].m = (short)m;
		day[ndays].d = (short)d;
		dw[ndays++] = season[m - 1];
		if (++d > len) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	printf("Reference,Date reported,Time,Ward,Category,Sub-category,"
	    "Status,Date closed\r\n");
	for (i = 0; i < rows; i++) {
		int t = pick(iw, ni), dd = pick(dw, ndays);
		int st = (int)(rnd() % 5), late = (int)(rnd() % 40);
		printf("INC%07ld,%02d/%02d/%04d,%02u:%02u,%s,%s,%s,%s,", i + 1,
		    day[dd].d, day[dd].m, day[dd].y, rnd() % 24, rnd() % 60,
		    wards[rnd() % (sizeof(wards) / sizeof(wards[0]))],
		    incidents[t].cat, incidents[t].sub, statuses[st]);
		if (st != 0 && dd + late < ndays)
			printf("%02d/%02d/%04d", day[dd + late].d,
			    day[dd + late].m, day[dd + late].y);
		printf("\r\n");
	}
	return 0;
}

int
main(int argc, char **argv)
{
	long rows, i;
	int y0, m0, months, nd = 7, nt = 14, dw[7], tw[14], k, mw[240];
	int real = 0;

	if (argc == 5 && strcmp(argv[1], "--incidents") == 0) {
		if ((rows = atol(argv[2])) <= 0 || gen_incidents(rows,
		    atoi(argv[3]), atoi(argv[4])) != 0) {
			fprintf(stderr, "usage: gen_police --incidents ROWS "
			    "FIRST_YEAR YEARS\n");
			return 2;
		}
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "--real") == 0) {
		real = 1;
		argc--;
		argv++;
	}
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
		const char *street, *outcome;
		if (t == 0)
			printf(",");
		else if (real)
			printf("%08x%08x%08x%08x%08x%08x%08x%08x,", rnd(), rnd(),
			    rnd(), rnd(), rnd(), rnd(), rnd(), rnd());
		else
			printf("%08x%08x%08x%08x,", rnd(), rnd(), rnd(), rnd());
		/* drawn after the ID, as before --real, so that the
		 * default output stays the same bytes */
		outcome = t == 0 ? "" : outcomes[rnd() % 8];
		street = streets[rnd() % 10];
		if (real && rnd() % 50 == 0)
			street = quoted_streets[rnd() % 2];
		printf("%04d-%02d,Leicestershire Police,Leicestershire Police,"
		    "%.6f,%.6f,%s,E0%07d,%s %03d%c,%s,%s,\r\n", y, mon, lon, lat,
		    street, 1025000 + d * 200 + lsoa,
		    districts[d].name, lsoa, letter, types[t].type, outcome);
	}
	return 0;
}
