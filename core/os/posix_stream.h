/* Kept for existing includes: the stream interface is core/os/stream.h. */
#ifndef OPENRAS_POSIX_STREAM_H
#define OPENRAS_POSIX_STREAM_H

#include "os/stream.h"

#endif
