/* batch.h — `scrutineer batch` (batch.c): many definitions built on
 * threads of one process, with a progress line, a summary and JSON. */
#ifndef SC_CLI_BATCH_H
#define SC_CLI_BATCH_H

/* argv[0] is "batch"; returns the exit status (see scrutineer(1)). */
int batch_main(int argc, char **argv);

#endif
