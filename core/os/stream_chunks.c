/* Chunk delivery for streams (os/stream_chunks.h), shared by posix_stream.c and
 * win32_stream.c. */
#include "os/stream_chunks.h"

#include <stdlib.h>
#include <string.h>

#include "engine/loop.h"

typedef struct chunk {
  ora_stream *st;
  int type;
  uint32_t error;
  size_t len;
  uint8_t data[];
} chunk;

static ora_stream_side *side_of(ora_stream *st) {
  return (ora_stream_side *)st; /* the first member of every platform's stream */
}

static void deliver(void *arg) {
  chunk *c = arg;
  ora_stream_side *s = side_of(c->st);
  if (!s->closed) {
    switch (c->type) {
    case ORA_CH_OPENED:
      if (c->error)
        s->closed = 1; /* nothing follows a failed open */
      else
        s->usable = 1;
      if (s->opened)
        s->opened(s->ctx, c->error);
      break;
    case ORA_CH_DATA:
      s->rx(s->ctx, c->data, c->len);
      break;
    default:
      s->closed = 1;
      s->usable = 0;
      s->rx(s->ctx, NULL, 0);
      break;
    }
  }
  ora_stream *st = c->st;
  free(c);
  ora_stream_drop(st);
}

int ora_stream_post(ora_stream *st, int type, uint32_t error, const uint8_t *data, size_t len) {
  chunk *c = malloc(sizeof *c + len);
  if (!c)
    return -1;
  c->st = st;
  c->type = type;
  c->error = error;
  c->len = len;
  if (len)
    memcpy(c->data, data, len);
  ora_stream_hold(st);
  if (ora_loop_post(side_of(st)->loop, deliver, c)) {
    ora_stream_drop(st); /* the owner still holds one, so this never frees */
    free(c);
    return -1;
  }
  return 0;
}
