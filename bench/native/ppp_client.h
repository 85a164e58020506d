/* A bare PPP client for the native benchmarks: the real loop, POSIX stream and PPP
 * session on a pty, with no engine, link driver or data plane around them. Include
 * from one file per program. */
#ifndef OPENRAS_BENCH_PPP_CLIENT_H
#define OPENRAS_BENCH_PPP_CLIENT_H

#include <string.h>

#include "openras/base/loop.h"
#include "openras/os.h"
#include "openras/rasdefs.h"
#include "os/stream.h"
#include "ppp/ppp.h"
#include "ppp/pppos.h"

typedef struct ppp_client {
  ora_loop *loop;
  ora_pppos *pos;
  ora_ppp *s; /* the session inside pos */
  ora_stream *st;
  int ip_up, down, udp_in; /* udp_in: UDP datagrams received once IPCP is up */
  uint64_t started_us, up_at_us, negotiation_us;
} ppp_client;

static inline void pc_write(void *ctx, const uint8_t *buf, size_t len) {
  ppp_client *c = ctx;
  if (c->st)
    ora_stream_write(c->st, buf, len);
}
static inline void pc_ip_up(void *ctx, const ora_ppp_ip_info *ip) {
  ppp_client *c = ctx;
  (void)ip;
  ora_ppp_stats st;
  ora_pppos_get_stats(c->pos, &st);
  c->negotiation_us = st.negotiation_us;
  c->up_at_us = ora_now_us();
  c->ip_up = 1;
}
static inline void pc_down(void *ctx, uint32_t error) {
  (void)error;
  ((ppp_client *)ctx)->down = 1;
}
static inline void pc_ip_packet(void *ctx, const uint8_t *pkt, size_t len) {
  if (len >= 28 && pkt[9] == 17)
    ((ppp_client *)ctx)->udp_in++;
}
static inline void pc_rx(void *ctx, const uint8_t *buf, size_t len) {
  ppp_client *c = ctx;
  if (!c->s)
    return;
  if (len == 0)
    ora_ppp_lower_down(c->s, ORA_ERROR_PORT_DISCONNECTED);
  else
    ora_pppos_input(c->pos, buf, len);
}
static const ora_ppp_callbacks ppp_client_callbacks = {
    .write = pc_write, .on_ip_up = pc_ip_up, .on_down = pc_down, .on_ip_packet = pc_ip_packet};

/* One of the client's flags, read under the loop lock. */
static inline int ppp_client_flag(ppp_client *c, const int *f) {
  ora_loop_lock(c->loop);
  int v = *f;
  ora_loop_unlock(c->loop);
  return v;
}

/* Runs PPP on tty (user NULL: no authentication) until IPCP is up or the session
 * ends, limit_ms at most; 0 when up. cfg_in: the session's configuration (NULL: the
 * defaults). The loop is not locked on return; ppp_client_close follows either way. */
static inline int ppp_client_open_with(ppp_client *c, const char *tty, const char *user,
                                       const char *password, const ora_ppp_config *cfg_in,
                                       int limit_ms) {
  memset(c, 0, sizeof *c);
  ora_ppp_config cfg;
  if (cfg_in)
    cfg = *cfg_in;
  else
    ora_ppp_config_default(&cfg);
  if (user) {
    strcpy(cfg.user, user);
    strcpy(cfg.password, password);
  }
  cfg.peer_ip = 0x0a000202;
  cfg.echo_interval_ms = 0;
  if (ora_loop_create(&c->loop)) {
    c->loop = NULL;
    return -1;
  }
  ora_loop_lock(c->loop);
  int opened = ora_pppos_create(c->loop, &cfg, &ppp_client_callbacks, c, &c->pos) == 0 &&
               (c->s = ora_pppos_session(c->pos)) != NULL &&
               ora_stream_open(c->loop, tty, pc_rx, c, &c->st) == 0;
  if (opened) {
    c->started_us = ora_now_us();
    ora_ppp_start(c->s);
  }
  ora_loop_unlock(c->loop);
  for (int i = 0;
       opened && i < limit_ms && !ppp_client_flag(c, &c->ip_up) && !ppp_client_flag(c, &c->down);
       i++)
    ora_sleep_ms(1);
  return opened && ppp_client_flag(c, &c->ip_up) ? 0 : -1;
}

static inline int ppp_client_open(ppp_client *c, const char *tty, const char *user,
                                  const char *password) {
  return ppp_client_open_with(c, tty, user, password, NULL, 5000);
}

static inline void ppp_client_close(ppp_client *c) {
  if (!c->loop)
    return;
  ora_loop_lock(c->loop);
  ora_stream_close(c->st);
  c->st = NULL;
  if (c->pos)
    ora_pppos_destroy(c->pos);
  c->pos = NULL;
  c->s = NULL;
  ora_loop_unlock(c->loop);
  for (int i = 0; i < 2000 && ora_stream_count(); i++)
    ora_sleep_ms(1); /* the stream's thread posts its end to the loop, then leaves */
  ora_loop_destroy(c->loop);
  c->loop = NULL;
}

#endif
