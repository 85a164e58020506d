/* What a stream's reader thread hands to the loop thread, the same on both
 * platforms: the result of the open, bytes read, and the end of the stream, each
 * as a chunk posted with ora_loop_post and delivered under the loop lock, never
 * after the owner closed the stream.
 *
 * Each platform's struct ora_stream starts with an ora_stream_side and supplies
 * ora_stream_hold/ora_stream_drop, its reference count (a posted chunk holds one). */
#ifndef OPENRAS_OS_STREAM_CHUNKS_H
#define OPENRAS_OS_STREAM_CHUNKS_H

#include <stddef.h>
#include <stdint.h>

#include "os/stream.h"

typedef struct ora_stream_side {
  struct ora_loop *loop;
  ora_stream_opened_fn opened;
  ora_stream_rx_fn rx;
  void *ctx;
  int closed; /* loop lock */
  int usable; /* loop lock: opened and not ended */
} ora_stream_side;

enum { ORA_CH_OPENED, ORA_CH_DATA, ORA_CH_END };

void ora_stream_hold(ora_stream *st);
void ora_stream_drop(ora_stream *st); /* frees the stream with the last reference */

/* Posts a chunk (reader thread); 0, or -1 when it could not be posted. */
int ora_stream_post(ora_stream *st, int type, uint32_t error, const uint8_t *data, size_t len);

#endif
