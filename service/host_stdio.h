#ifndef OPENRAS_SERVICE_HOST_STDIO_H
#define OPENRAS_SERVICE_HOST_STDIO_H

/* Under Wine on Linux: points this process's Unix stderr at /dev/null (see
 * host_stdio.c). Anywhere else it does nothing. */
void ora_detach_host_stderr(void);

#endif
