/* pack.c — agenda packs (stub while the module is written). */
#include "../job.h"

int
pack_sniff(const char *path)
{
	(void)path;
	return 0;
}

int
pack_check(sc_job *j)
{
	(void)j;
	return SC_EUSAGE;
}

int
pack_build(sc_job *j)
{
	(void)j;
	return SC_EUSAGE;
}
