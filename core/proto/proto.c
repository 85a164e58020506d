/* Encoding and decoding of manager protocol messages (see proto.h). */
#include "openras/proto.h"
#include "openras/base/wipe.h"

#include <stdlib.h>
#include <string.h>

int ora_msg_header_decode(const uint8_t *b, size_t n, ora_msg_header *h) {
  if (n < ORA_MSG_HEADER)
    return -1;
  h->length = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
  h->version = (uint16_t)(b[4] | b[5] << 8);
  h->type = (uint16_t)(b[6] | b[7] << 8);
  h->id = (uint32_t)b[8] | (uint32_t)b[9] << 8 | (uint32_t)b[10] << 16 | (uint32_t)b[11] << 24;
  if (h->length < ORA_MSG_MIN || h->length > ORA_MSG_MAX || h->version != ORA_PROTO_VERSION)
    return -1;
  return 0;
}

static void reserve(ora_wbuf *w, size_t more) {
  if (w->failed)
    return;
  if (w->len + more > ORA_MSG_MAX) {
    w->failed = 1;
    return;
  }
  if (w->len + more <= w->cap)
    return;
  size_t nc = w->cap ? w->cap : 256;
  while (nc < w->len + more)
    nc *= 2;
  uint8_t *nd = malloc(nc);
  if (!nd) {
    w->failed = 1;
    return;
  }
  if (w->len)
    memcpy(nd, w->data, w->len);
  if (w->data) {
    ora_wipe(w->data, w->cap); /* old copies may hold a password */
    free(w->data);
  }
  w->data = nd;
  w->cap = nc;
}

void ora_wbuf_bytes(ora_wbuf *w, const void *p, size_t n) {
  reserve(w, n);
  if (w->failed)
    return;
  if (n)
    memcpy(w->data + w->len, p, n);
  w->len += n;
}

void ora_wbuf_u16(ora_wbuf *w, uint16_t v) {
  uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
  ora_wbuf_bytes(w, b, 2);
}

void ora_wbuf_u32(ora_wbuf *w, uint32_t v) {
  uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  ora_wbuf_bytes(w, b, 4);
}

void ora_wbuf_u64(ora_wbuf *w, uint64_t v) {
  ora_wbuf_u32(w, (uint32_t)v);
  ora_wbuf_u32(w, (uint32_t)(v >> 32));
}

void ora_wbuf_str(ora_wbuf *w, const char *s) {
  size_t n = strlen(s);
  if (n > 0xFFFF) {
    w->failed = 1;
    return;
  }
  ora_wbuf_u16(w, (uint16_t)n);
  ora_wbuf_bytes(w, s, n);
}

void ora_wbuf_begin(ora_wbuf *w, uint16_t type, uint32_t id) {
  memset(w, 0, sizeof *w);
  ora_wbuf_u32(w, 0);
  ora_wbuf_u16(w, ORA_PROTO_VERSION);
  ora_wbuf_u16(w, type);
  ora_wbuf_u32(w, id);
}

int ora_wbuf_finish(ora_wbuf *w) {
  if (w->failed || w->len < ORA_MSG_HEADER)
    return -1;
  uint32_t n = (uint32_t)w->len;
  w->data[0] = (uint8_t)n;
  w->data[1] = (uint8_t)(n >> 8);
  w->data[2] = (uint8_t)(n >> 16);
  w->data[3] = (uint8_t)(n >> 24);
  return 0;
}

void ora_wbuf_free(ora_wbuf *w) {
  if (w->data) {
    ora_wipe(w->data, w->cap);
    free(w->data);
  }
  memset(w, 0, sizeof *w);
}

void ora_rbuf_init(ora_rbuf *r, const uint8_t *msg, size_t len) {
  r->bad = len < ORA_MSG_HEADER;
  r->p = r->bad ? msg : msg + ORA_MSG_HEADER;
  r->left = r->bad ? 0 : len - ORA_MSG_HEADER;
}

void ora_rbuf_bytes(ora_rbuf *r, void *dst, size_t n) {
  if (r->bad || n > r->left) {
    r->bad = 1;
    memset(dst, 0, n);
    return;
  }
  memcpy(dst, r->p, n);
  r->p += n;
  r->left -= n;
}

uint16_t ora_rbuf_u16(ora_rbuf *r) {
  uint8_t b[2];
  ora_rbuf_bytes(r, b, 2);
  return (uint16_t)(b[0] | b[1] << 8);
}

uint32_t ora_rbuf_u32(ora_rbuf *r) {
  uint8_t b[4];
  ora_rbuf_bytes(r, b, 4);
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

uint64_t ora_rbuf_u64(ora_rbuf *r) {
  uint64_t lo = ora_rbuf_u32(r);
  return lo | (uint64_t)ora_rbuf_u32(r) << 32;
}

void ora_rbuf_str(ora_rbuf *r, char *dst, size_t cap) {
  uint16_t n = ora_rbuf_u16(r);
  if (r->bad || (size_t)n >= cap || n > r->left || memchr(r->p, 0, n)) {
    r->bad = 1;
    dst[0] = '\0';
    return;
  }
  memcpy(dst, r->p, n);
  dst[n] = '\0';
  r->p += n;
  r->left -= n;
}

int ora_rbuf_done(const ora_rbuf *r) {
  return (r->bad || r->left != 0) ? -1 : 0;
}

void ora_put_request(ora_wbuf *w, const ora_dial_request *q) {
  ora_wbuf_str(w, q->phonebook);
  ora_wbuf_str(w, q->entry);
  ora_wbuf_str(w, q->phone_number);
  ora_wbuf_str(w, q->callback_number);
  ora_wbuf_str(w, q->user);
  ora_wbuf_str(w, q->password);
  ora_wbuf_str(w, q->domain);
  ora_wbuf_u32(w, q->subentry);
  ora_wbuf_u32(w, q->options);
  ora_wbuf_u64(w, q->callback_id);
  ora_wbuf_u32(w, (uint32_t)q->ack_required);
}

void ora_get_request(ora_rbuf *r, ora_dial_request *q) {
  ora_rbuf_str(r, q->phonebook, sizeof q->phonebook);
  ora_rbuf_str(r, q->entry, sizeof q->entry);
  ora_rbuf_str(r, q->phone_number, sizeof q->phone_number);
  ora_rbuf_str(r, q->callback_number, sizeof q->callback_number);
  ora_rbuf_str(r, q->user, sizeof q->user);
  ora_rbuf_str(r, q->password, sizeof q->password);
  ora_rbuf_str(r, q->domain, sizeof q->domain);
  q->subentry = ora_rbuf_u32(r);
  q->options = ora_rbuf_u32(r);
  q->callback_id = ora_rbuf_u64(r);
  q->ack_required = ora_rbuf_u32(r) != 0;
}

void ora_put_event(ora_wbuf *w, const ora_event *ev) {
  ora_wbuf_u32(w, ev->conn);
  ora_wbuf_u32(w, ev->seq);
  ora_wbuf_u32(w, ev->state);
  ora_wbuf_u32(w, ev->error);
  ora_wbuf_u32(w, ev->ext_error);
  ora_wbuf_u32(w, ev->subentry);
  ora_wbuf_u64(w, ev->callback_id);
  ora_wbuf_u32(w, (uint32_t)ev->last);
}

void ora_get_event(ora_rbuf *r, ora_event *ev) {
  ev->conn = ora_rbuf_u32(r);
  ev->seq = ora_rbuf_u32(r);
  ev->state = ora_rbuf_u32(r);
  ev->error = ora_rbuf_u32(r);
  ev->ext_error = ora_rbuf_u32(r);
  ev->subentry = ora_rbuf_u32(r);
  ev->callback_id = ora_rbuf_u64(r);
  ev->last = ora_rbuf_u32(r) != 0;
}

static void put_endpoint(ora_wbuf *w, const ora_endpoint *e) {
  ora_wbuf_u32(w, e->type);
  ora_wbuf_bytes(w, e->addr, sizeof e->addr);
}

static void get_endpoint(ora_rbuf *r, ora_endpoint *e) {
  e->type = ora_rbuf_u32(r);
  ora_rbuf_bytes(r, e->addr, sizeof e->addr);
}

void ora_put_status(ora_wbuf *w, const ora_status *s) {
  ora_wbuf_u32(w, s->state);
  ora_wbuf_u32(w, s->error);
  ora_wbuf_u32(w, s->substate);
  ora_wbuf_str(w, s->device_type);
  ora_wbuf_str(w, s->device_name);
  ora_wbuf_str(w, s->phone_number);
  put_endpoint(w, &s->local);
  put_endpoint(w, &s->remote);
}

void ora_get_status(ora_rbuf *r, ora_status *s) {
  s->state = ora_rbuf_u32(r);
  s->error = ora_rbuf_u32(r);
  s->substate = ora_rbuf_u32(r);
  ora_rbuf_str(r, s->device_type, sizeof s->device_type);
  ora_rbuf_str(r, s->device_name, sizeof s->device_name);
  ora_rbuf_str(r, s->phone_number, sizeof s->phone_number);
  get_endpoint(r, &s->local);
  get_endpoint(r, &s->remote);
}

void ora_put_info(ora_wbuf *w, const ora_conn_info *c) {
  ora_wbuf_u32(w, c->handle);
  ora_wbuf_str(w, c->entry);
  ora_wbuf_str(w, c->phonebook);
  ora_wbuf_str(w, c->device_type);
  ora_wbuf_str(w, c->device_name);
  ora_wbuf_u32(w, c->subentry);
  ora_wbuf_bytes(w, c->entry_guid, sizeof c->entry_guid);
}

void ora_get_info(ora_rbuf *r, ora_conn_info *c) {
  c->handle = ora_rbuf_u32(r);
  ora_rbuf_str(r, c->entry, sizeof c->entry);
  ora_rbuf_str(r, c->phonebook, sizeof c->phonebook);
  ora_rbuf_str(r, c->device_type, sizeof c->device_type);
  ora_rbuf_str(r, c->device_name, sizeof c->device_name);
  c->subentry = ora_rbuf_u32(r);
  ora_rbuf_bytes(r, c->entry_guid, sizeof c->entry_guid);
}

void ora_put_ip(ora_wbuf *w, const ora_ip_projection *p) {
  ora_wbuf_u32(w, p->error);
  ora_wbuf_u32(w, p->local);
  ora_wbuf_u32(w, p->server);
  ora_wbuf_u32(w, p->dns1);
  ora_wbuf_u32(w, p->dns2);
  ora_wbuf_u32(w, p->options);
  ora_wbuf_u32(w, p->server_options);
}

void ora_get_ip(ora_rbuf *r, ora_ip_projection *p) {
  p->error = ora_rbuf_u32(r);
  p->local = ora_rbuf_u32(r);
  p->server = ora_rbuf_u32(r);
  p->dns1 = ora_rbuf_u32(r);
  p->dns2 = ora_rbuf_u32(r);
  p->options = ora_rbuf_u32(r);
  p->server_options = ora_rbuf_u32(r);
}

void ora_put_lcp(ora_wbuf *w, const ora_lcp_projection *p) {
  const uint32_t v[] = {p->error,
                        (uint32_t)p->bundled,
                        p->auth_protocol,
                        p->auth_data,
                        p->server_auth_protocol,
                        p->server_auth_data,
                        p->terminate_reason,
                        p->server_terminate_reason,
                        p->options,
                        p->server_options,
                        p->mru,
                        p->server_mru};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    ora_wbuf_u32(w, v[i]);
}

void ora_get_lcp(ora_rbuf *r, ora_lcp_projection *p) {
  p->error = ora_rbuf_u32(r);
  p->bundled = ora_rbuf_u32(r) != 0;
  p->auth_protocol = ora_rbuf_u32(r);
  p->auth_data = ora_rbuf_u32(r);
  p->server_auth_protocol = ora_rbuf_u32(r);
  p->server_auth_data = ora_rbuf_u32(r);
  p->terminate_reason = ora_rbuf_u32(r);
  p->server_terminate_reason = ora_rbuf_u32(r);
  p->options = ora_rbuf_u32(r);
  p->server_options = ora_rbuf_u32(r);
  p->mru = ora_rbuf_u32(r);
  p->server_mru = ora_rbuf_u32(r);
}

void ora_put_diag(ora_wbuf *w, const ora_diag *d) {
  ora_wbuf_u32(w, d->threads);
  ora_wbuf_u32(w, d->handles);
  ora_wbuf_u32(w, d->clients);
  ora_wbuf_u32(w, d->routes);
  ora_wbuf_u32(w, d->connections);
  ora_wbuf_u64(w, d->heap_bytes);
}

void ora_get_diag(ora_rbuf *r, ora_diag *d) {
  d->threads = ora_rbuf_u32(r);
  d->handles = ora_rbuf_u32(r);
  d->clients = ora_rbuf_u32(r);
  d->routes = ora_rbuf_u32(r);
  d->connections = ora_rbuf_u32(r);
  d->heap_bytes = ora_rbuf_u64(r);
}

void ora_put_stats(ora_wbuf *w, const ora_stats *s) {
  const uint64_t v[] = {s->bytes_out,        s->bytes_in,          s->frames_out,
                        s->frames_in,        s->crc_errors,        s->timeout_errors,
                        s->alignment_errors, s->hardware_overruns, s->framing_errors,
                        s->buffer_overruns};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    ora_wbuf_u64(w, v[i]);
  ora_wbuf_u32(w, s->compression_out);
  ora_wbuf_u32(w, s->compression_in);
  ora_wbuf_u32(w, s->bps);
  ora_wbuf_u32(w, s->connect_ms);
}

void ora_get_stats(ora_rbuf *r, ora_stats *s) {
  uint64_t *v[] = {&s->bytes_out,        &s->bytes_in,          &s->frames_out,
                   &s->frames_in,        &s->crc_errors,        &s->timeout_errors,
                   &s->alignment_errors, &s->hardware_overruns, &s->framing_errors,
                   &s->buffer_overruns};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    *v[i] = ora_rbuf_u64(r);
  s->compression_out = ora_rbuf_u32(r);
  s->compression_in = ora_rbuf_u32(r);
  s->bps = ora_rbuf_u32(r);
  s->connect_ms = ora_rbuf_u32(r);
}

void ora_put_body_none(ora_wbuf *w, const ora_body_none *b) {
  (void)w;
  (void)b;
}
void ora_get_body_none(ora_rbuf *r, ora_body_none *b) {
  (void)r;
  (void)b;
}
void ora_put_body_handle(ora_wbuf *w, const ora_body_handle *b) {
  ora_wbuf_u32(w, b->h);
}
void ora_get_body_handle(ora_rbuf *r, ora_body_handle *b) {
  b->h = ora_rbuf_u32(r);
}
void ora_put_req_dial(ora_wbuf *w, const ora_req_dial *q) {
  ora_wbuf_u64(w, q->cookie);
  ora_put_request(w, &q->q);
}
void ora_get_req_dial(ora_rbuf *r, ora_req_dial *q) {
  q->cookie = ora_rbuf_u64(r);
  ora_get_request(r, &q->q);
}
void ora_put_req_resume(ora_wbuf *w, const ora_req_resume *q) {
  ora_wbuf_u32(w, q->h);
  ora_put_request(w, &q->q);
}
void ora_get_req_resume(ora_rbuf *r, ora_req_resume *q) {
  q->h = ora_rbuf_u32(r);
  ora_get_request(r, &q->q);
}
void ora_put_req_enum(ora_wbuf *w, const ora_req_enum *q) {
  ora_wbuf_u32(w, q->cap);
}
void ora_get_req_enum(ora_rbuf *r, ora_req_enum *q) {
  q->cap = ora_rbuf_u32(r);
}
void ora_put_req_stats(ora_wbuf *w, const ora_req_stats *q) {
  ora_wbuf_u32(w, q->h);
  ora_wbuf_u32(w, q->clear);
}
void ora_get_req_stats(ora_rbuf *r, ora_req_stats *q) {
  q->h = ora_rbuf_u32(r);
  q->clear = ora_rbuf_u32(r);
}
void ora_put_req_find(ora_wbuf *w, const ora_req_find *q) {
  ora_wbuf_str(w, q->phonebook);
  ora_wbuf_str(w, q->entry);
}
void ora_get_req_find(ora_rbuf *r, ora_req_find *q) {
  ora_rbuf_str(r, q->phonebook, sizeof q->phonebook);
  ora_rbuf_str(r, q->entry, sizeof q->entry);
}
void ora_put_rep_enum(ora_wbuf *w, const ora_rep_enum *p) {
  uint32_t n = p->items ? p->n : 0;
  ora_wbuf_u32(w, p->count);
  ora_wbuf_u32(w, n);
  for (uint32_t i = 0; i < n; i++)
    ora_put_info(w, &p->items[i]);
}
void ora_get_rep_enum(ora_rbuf *r, ora_rep_enum *p) {
  p->count = ora_rbuf_u32(r);
  p->n = ora_rbuf_u32(r);
  if (p->n > p->cap || (p->n && !p->items)) {
    r->bad = 1;
    p->n = 0;
    return;
  }
  for (uint32_t i = 0; i < p->n && !r->bad; i++)
    ora_get_info(r, &p->items[i]);
}
