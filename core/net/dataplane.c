/* The data plane of one connection (dataplane.h). */
#include "openras/base/check.h"
#include "net/dataplane.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "openras/base/loop.h"
#include "openras/base/text.h"
#include "openras/base/trace.h"
#include "openras/dpwire.h"
#include "openras/os.h"
#include "openras/rasdefs.h"
#include "os/stream.h"

#define READY_LIMIT_MS 10000u /* the helper's answer to CONFIG */
#define RX_CAP (4 * (ORA_DPW_HEADER + ORA_DPW_BODY_MAX))

static atomic_size_t g_live;

struct ora_dp {
  ora_loop *loop;
  ora_dp_events ev;
  void *ctx;
  ora_dpw_config cfg;
  ora_stream *st;
  ora_timer *limit;
  int up, reported;
  int busy, stopped; /* in rx(); ora_dp_stop() from one of its callbacks frees at its end */
  ora_dp_stats stats;
  size_t rx_len;
  uint8_t rx[RX_CAP];
};

static void fail(ora_dp *dp, const char *why) {
  ora_loop_cancel(dp->loop, dp->limit);
  dp->limit = NULL;
  ora_stream_close(dp->st);
  dp->st = NULL;
  if (dp->reported)
    return;
  dp->reported = 1;
  ora_trace("dataplane: no data plane: %s", why);
  dp->ev.ready(dp->ctx, ORA_ERROR_NO_IP_RAS_ADAPTER, "");
}

static void ready_limit(void *arg) {
  ora_dp *dp = arg;
  dp->limit = NULL;
  fail(dp, "the helper did not answer");
}

static void opened(void *ctx, uint32_t error) {
  ora_dp *dp = ctx;
  if (error) {
    fail(dp, "the helper could not be started");
    return;
  }
  uint8_t m[ORA_DPW_HEADER + ORA_DPW_CONFIG_LEN];
  ora_dpw_header(m, ORA_DPW_CONFIG, ORA_DPW_CONFIG_LEN);
  ora_dpw_config_encode(m + ORA_DPW_HEADER, &dp->cfg);
  if (ora_stream_write(dp->st, m, sizeof m) != 0)
    fail(dp, "the helper did not take its configuration");
}

static const char *ready_reason(uint32_t status) {
  switch (status) {
  case ORA_DPW_NO_TUN:
    return "no TUN device (no /dev/net/tun, or no CAP_NET_ADMIN)";
  case ORA_DPW_NO_CONFIG:
    return "the interface's addresses or routes were refused";
  case ORA_DPW_NO_DNS:
    return "the DNS servers could not be applied";
  default:
    return "the helper refused the configuration";
  }
}

/* One message from the helper; -1 ends the data plane. */
static int on_message(ora_dp *dp, uint8_t type, const uint8_t *b, size_t n) {
  if (type == ORA_DPW_READY && !dp->up && !dp->reported) {
    if (n < 4 || n > 4 + 15)
      return -1;
    uint32_t status = ora_dpw_get32(b);
    if (status != ORA_DPW_OK) {
      fail(dp, ready_reason(status));
      return -1;
    }
    char name[16];
    memcpy(name, b + 4, n - 4);
    name[n - 4] = '\0';
    ora_loop_cancel(dp->loop, dp->limit);
    dp->limit = NULL;
    dp->up = dp->reported = 1;
    dp->stats.last_ms = ora_now_ms();
    ora_trace("dataplane: interface %s up, MTU %u, the helper watches process %u", name,
              (unsigned)dp->cfg.mtu, (unsigned)dp->cfg.manager_pid);
    dp->ev.ready(dp->ctx, 0, name);
    return 0;
  }
  if (type != ORA_DPW_PACKET || !dp->up)
    return -1;
  if (ora_ipv4_check(b, n) != 0) {
    dp->stats.dropped_bad++;
    return 0;
  }
  if (n > dp->cfg.mtu) {
    dp->stats.dropped_big++;
    return 0;
  }
  dp->stats.packets_out++;
  dp->stats.bytes_out += n;
  dp->stats.last_ms = ora_now_ms();
  dp->ev.packet(dp->ctx, b, n);
  return 0;
}

/* The helper is gone, or no longer trusted: before READY the data plane failed, after it
 * the interface is gone. */
static void finish(ora_dp *dp, const char *why) {
  if (!dp->reported) {
    fail(dp, why);
    return;
  }
  int was_up = dp->up;
  dp->up = 0;
  ora_stream_close(dp->st);
  dp->st = NULL;
  if (was_up) {
    ora_trace("dataplane: %s", why);
    dp->ev.ended(dp->ctx);
  }
}

static void free_dp(ora_dp *dp) {
  free(dp);
  atomic_fetch_sub(&g_live, 1);
}

/* Splits what arrived into messages; -1 when the helper broke the protocol. */
static int take(ora_dp *dp, const uint8_t *buf, size_t len) {
  while (len && dp->st) {
    size_t room = RX_CAP - dp->rx_len, part = room < len ? room : len;
    memcpy(dp->rx + dp->rx_len, buf, part);
    dp->rx_len += part;
    buf += part;
    len -= part;
    size_t off = 0;
    for (;;) {
      uint8_t type;
      const uint8_t *body;
      size_t n;
      long used = ora_dpw_next(dp->rx + off, dp->rx_len - off, &type, &body, &n);
      if (used == 0)
        break;
      if (used < 0 || on_message(dp, type, body, n) != 0)
        return dp->st ? -1 : 0; /* without a stream: it has already ended */
      off += (size_t)used;
      if (!dp->st)
        return 0; /* a callback stopped us */
    }
    memmove(dp->rx, dp->rx + off, dp->rx_len - off);
    dp->rx_len -= off;
  }
  return 0;
}

static void rx(void *ctx, const uint8_t *buf, size_t len) {
  ora_dp *dp = ctx;
  dp->busy++;
  if (len == 0)
    finish(dp, "the helper ended");
  else if (take(dp, buf, len) != 0)
    finish(dp, "the helper broke the protocol"); /* not trusted with more packets */
  if (--dp->busy == 0 && dp->stopped)
    free_dp(dp);
}

int ora_dp_start(ora_loop *loop, const ora_dp_params *p, const ora_dp_events *ev, void *ctx,
                 ora_dp **out) {
  ORA_ASSERT(ora_loop_held(loop));
  *out = NULL;
  if (!p->helper || !p->helper[0] || !p->local)
    return ORA_ERROR_NO_IP_RAS_ADAPTER;
  ora_dp *dp = calloc(1, sizeof *dp);
  if (!dp)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  dp->loop = loop;
  dp->ev = *ev;
  dp->ctx = ctx;
  dp->cfg.local = p->local;
  dp->cfg.peer = p->peer;
  dp->cfg.dns1 = p->dns1;
  dp->cfg.dns2 = p->dns2;
  dp->cfg.exclude = p->exclude;
  dp->cfg.mtu = p->mtu < 68 ? 68 : p->mtu > 1500 ? 1500 : p->mtu;
  dp->cfg.flags = p->default_route ? ORA_DPW_DEFAULT_ROUTE : 0;
  dp->cfg.manager_pid = ora_os_host_pid();
  ora_stream_params sp;
  memset(&sp, 0, sizeof sp);
  sp.kind = ORA_STREAM_HELPER;
  sp.target = p->helper;
  int rc = ora_stream_open_async(loop, &sp, opened, rx, dp, &dp->st);
  if (rc == 0)
    dp->limit = ora_loop_timer(loop, READY_LIMIT_MS, ready_limit, dp);
  if (rc != 0 || !dp->limit) {
    ora_stream_close(dp->st);
    free(dp);
    return rc ? rc : ORA_ERROR_NOT_ENOUGH_MEMORY;
  }
  atomic_fetch_add(&g_live, 1);
  *out = dp;
  return 0;
}

void ora_dp_from_link(ora_dp *dp, const uint8_t *pkt, size_t len) {
  ORA_ASSERT(ora_loop_held(dp->loop));
  if (!dp->up || !dp->st)
    return; /* not up yet: the peer's early packets are lost, as on a real adapter */
  if (len > ORA_DPW_BODY_MAX || ora_ipv4_check(pkt, len) != 0) {
    dp->stats.dropped_bad++;
    return;
  }
  uint8_t m[ORA_DPW_HEADER + ORA_DPW_BODY_MAX];
  ora_dpw_header(m, ORA_DPW_PACKET, len);
  memcpy(m + ORA_DPW_HEADER, pkt, len);
  if (ora_stream_write(dp->st, m, ORA_DPW_HEADER + len) != 0) {
    dp->stats.dropped_bad++; /* the helper stalled: its end is reported by rx() */
    return;
  }
  dp->stats.packets_in++;
  dp->stats.bytes_in += len;
  dp->stats.last_ms = ora_now_ms();
}

void ora_dp_stats_get(const ora_dp *dp, ora_dp_stats *out) {
  *out = dp->stats;
}

void ora_dp_stop(ora_dp *dp) {
  if (!dp)
    return;
  ora_loop_cancel(dp->loop, dp->limit);
  dp->limit = NULL;
  ora_stream_close(dp->st);
  dp->st = NULL;
  if (dp->busy)
    dp->stopped = 1; /* from a callback of rx(): it frees on its way out */
  else
    free_dp(dp);
}

size_t ora_dp_count(void) {
  return atomic_load(&g_live);
}
