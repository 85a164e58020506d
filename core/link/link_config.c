/* The configuration of a PPP link from its phone-book entry and the request: the
 * transport, the modem's dialog, PPP's options and what RasGetConnectStatus shows.
 * docs/links.md lists the keys. */
#include "link/link_config.h"

#include <stdio.h>
#include <string.h>

#include "openras/base/text.h"
#include "openras/devnames.h"
#include "openras/pbk.h"

/* What Windows keeps in the entry: the MEDIA= block's Device= (mixed case, the device
 * name) and the DEVICE= line (capitals, the device type), as RASENTRY reports them. */
struct media_scan {
  const char *device_name, *device_type;
};

static int scan_media(void *ctx, const char *key, const char *value) {
  struct media_scan *m = ctx;
  if (strcmp(key, "DEVICE") == 0) {
    if (!m->device_type)
      m->device_type = value;
  } else if (!m->device_name && ora_ieq(key, "Device")) {
    m->device_name = value;
  }
  return 0;
}

static const char *get(const ora_link_params *p, const char *key) {
  return p->pbk && p->entry[0] ? ora_pbk_get(p->pbk, p->entry, key) : NULL;
}

static int64_t get_int(const ora_link_params *p, const char *key, int64_t def, int64_t lo,
                       int64_t hi) {
  int64_t v = p->pbk && p->entry[0] ? ora_pbk_get_int(p->pbk, p->entry, key, def) : def;
  return (v < lo || v > hi) ? def : v;
}

/* Windows' AuthRestrictions bits for the protocols we speak. */
enum { AR_PAP = 0x8, AR_MD5CHAP = 0x20, AR_MSCHAP2 = 0x200 };

static uint32_t auth_allowed(const ora_link_params *p) {
  const char *s = get(p, "ORA_PppAuth");
  if (s && *s) {
    uint32_t m = 0;
    char word[24];
    while (*s) {
      size_t n = 0;
      while (*s == ',' || *s == ' ')
        s++;
      while (*s && *s != ',' && *s != ' ' && n + 1 < sizeof word)
        word[n++] = *s++;
      word[n] = 0;
      while (*s && *s != ',' && *s != ' ')
        s++;
      if (ora_ieq(word, "pap"))
        m |= ORA_PPP_AUTH_PAP;
      else if (ora_ieq(word, "chap"))
        m |= ORA_PPP_AUTH_CHAP_MD5;
      else if (ora_ieq(word, "mschapv2"))
        m |= ORA_PPP_AUTH_MSCHAPV2;
    }
    return m ? m : ORA_PPP_AUTH_ALL;
  }
  int64_t ar = get_int(p, "AuthRestrictions", 0, 0, 0xffffffffll);
  uint32_t m = 0;
  if (ar & AR_PAP)
    m |= ORA_PPP_AUTH_PAP;
  if (ar & AR_MD5CHAP)
    m |= ORA_PPP_AUTH_CHAP_MD5;
  if (ar & AR_MSCHAP2)
    m |= ORA_PPP_AUTH_MSCHAPV2;
  return m ? m : ORA_PPP_AUTH_ALL; /* none of ours named (EAP only...): offer all */
}

/* Windows' dwVpnStrategy values (ras.h VS_*). */
enum {
  VS_DEFAULT = 0,
  VS_PPTP_ONLY = 1,
  VS_L2TP_ONLY = 3,
  VS_SSTP_ONLY = 5,
  VS_IKEV2_ONLY = 7,
  VS_GRE_ONLY = 9,
  VS_PPTP_SSTP = 12,
  VS_IKEV2_SSTP = 14,
};

/* Whether the entry's strategy lets the dial use L2TP, the one tunnel OpenRAS has.
 * "X first" strategies go on to L2TP as Windows does when X fails. */
static int strategy_allows_l2tp(int64_t vs) {
  switch (vs) {
  case VS_PPTP_ONLY:
  case VS_SSTP_ONLY:
  case VS_IKEV2_ONLY:
  case VS_GRE_ONLY:
  case VS_PPTP_SSTP:
  case VS_IKEV2_SSTP:
    return 0;
  default:
    return 1;
  }
}

/* A VPN server as "host:port" ("[v6]:port" for an IPv6 literal). */
static int server_target(char *out, size_t cap, const char *host, const char *port) {
  int v6 = strchr(host, ':') != NULL && host[0] != '[';
  int n = snprintf(out, cap, v6 ? "[%s]:%s" : "%s:%s", host, port);
  return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int valid_dial_chars(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == ';')
      return 0; /* a CR would end the command; ';' would return to command mode */
  return 1;
}

/* An L2TP link's transport: UDP to the server Windows keeps in PhoneNumber (a name or an
 * address), and the tunnel's timers. 0, or 633 (the strategy allows no tunnel OpenRAS
 * has), 791 (IPsec wanted), 87 (no usable server). */
static int l2tp_transport(const ora_link_params *p, const char *number, ora_ppp_link_config *l) {
  int64_t vs = get_int(p, "VpnStrategy", VS_DEFAULT, 0, 0xffffffffll);
  if (!strategy_allows_l2tp(vs))
    return ORA_ERROR_PORT_NOT_AVAILABLE; /* Windows' answer when a miniport is missing */
  /* L2TP runs inside IPsec unless the ProhibitIpSec policy (or the entry's own
   * ORA_ProhibitIpSec) says not to; OpenRAS has no IPsec, so without that it cannot
   * give the protection the entry asks for. */
  int64_t prohibit = get_int(p, "ORA_ProhibitIpSec", -1, 0, 1);
  if (prohibit < 0)
    prohibit = (p->engine_flags & ORA_ENGINE_PROHIBIT_IPSEC) != 0;
  if (!prohibit)
    return ORA_ERROR_OAKLEY_NO_POLICY;
  const char *port = get(p, "ORA_L2tpPort");
  if (!number[0] || !valid_dial_chars(number) ||
      server_target(l->target, sizeof l->target, number, port && *port ? port : ORA_L2TP_PORT))
    return ORA_ERROR_INVALID_PARAMETER;
  l->sp.kind = ORA_STREAM_UDP;
  ora_l2tp_config_default(&l->l2tp);
  l->l2tp.rtx_initial_ms = (uint32_t)get_int(p, "ORA_L2tpRetransmitMs", 1000, 1, 60000);
  l->l2tp.rtx_count = (uint32_t)get_int(p, "ORA_L2tpRetransmits", 5, 0, 100);
  l->l2tp.hello_ms = (uint32_t)get_int(p, "ORA_L2tpHelloMs", 60000, 0, 3600000);
  return 0;
}

int ora_ppp_link_read_config(const ora_link_params *p, int kind, ora_ppp_link_config *l) {
  memset(l, 0, sizeof *l);
  l->kind = kind;
  const ora_dial_request *req = p->req;
  const char *s;
  char number[ORA_PHONE_BYTES];
  ora_copy_str(number, sizeof number,
               req->phone_number[0] ? req->phone_number : get(p, "PhoneNumber"));
  ora_copy_str(l->info.phone_number, sizeof l->info.phone_number, number);

  /* The transport. UDP for "l2tp"; TCP for "tcp" (ORA_TcpAddress, else the phone
   * number as host:port, as Windows keeps a VPN server in PhoneNumber) and for a modem
   * with ORA_TcpAddress (a virtual modem); a serial port otherwise. */
  const char *tcp = get(p, "ORA_TcpAddress");
  if (l->kind == ORA_PPP_LINK_TCP && !(tcp && *tcp))
    tcp = number;
  if (l->kind == ORA_PPP_LINK_L2TP) {
    int rc = l2tp_transport(p, number, l);
    if (rc)
      return rc;
  } else if (tcp && *tcp && l->kind != ORA_PPP_LINK_DIRECT) {
    l->sp.kind = ORA_STREAM_TCP;
    ora_copy_str(l->target, sizeof l->target, tcp);
    l->sp.connect_timeout_ms =
        (uint32_t)get_int(p, "ORA_TcpConnectTimeoutMs", 30000, 1, 24 * 3600 * 1000);
  } else if (l->kind == ORA_PPP_LINK_TCP) {
    return ORA_ERROR_INVALID_PARAMETER; /* nowhere to connect to */
  } else {
    l->sp.kind = ORA_STREAM_SERIAL;
    s = get(p, "ORA_Port");
    if (!(s && *s))
      s = get(p, "Port");
    if (!(s && *s))
      return ORA_ERROR_PORT_NOT_FOUND;
    ora_copy_str(l->target, sizeof l->target, s);
    int64_t baud = get_int(p, "ORA_Baud", -1, 1, 100000000);
    if (baud < 0)
      baud = get_int(p, "ConnectBPS", 115200, 1, 100000000);
    l->sp.baud = (uint32_t)baud;
    s = get(p, "ORA_FlowControl");
    if (s && *s)
      l->sp.rtscts = ora_ieq(s, "rtscts") || ora_ieq(s, "hardware");
    else
      l->sp.rtscts = (int)get_int(p, "HwFlowControl", l->kind == ORA_PPP_LINK_MODEM, 0, 1);
    /* Drop a modem's stale output; keep what a direct peer already sent (its first
     * Configure-Request: waiting for its retransmission costs seconds). */
    l->sp.flush = l->kind == ORA_PPP_LINK_MODEM;
  }
  l->sp.target = l->target;

  /* The dialer. */
  if (l->kind == ORA_PPP_LINK_MODEM) {
    ora_hayes_config *h = &l->hayes;
    s = get(p, "ORA_ModemReset");
    ora_copy_str(h->reset, sizeof h->reset, s ? s : "ATZ");
    s = get(p, "ORA_ModemInit");
    ora_copy_str(h->init, sizeof h->init, s ? s : "ATE0V1&D2");
    s = get(p, "ORA_DialMode");
    int pulse = s && ora_ieq(s, "pulse");
    const char *prefix = "", *suffix = "";
    if (req->options & ORA_RDEOPT_UsePrefixSuffix) {
      prefix = (s = get(p, "ORA_DialPrefix")) ? s : "";
      suffix = (s = get(p, "ORA_DialSuffix")) ? s : "";
    }
    if (!valid_dial_chars(prefix) || !valid_dial_chars(number) || !valid_dial_chars(suffix) ||
        !valid_dial_chars(h->reset) || !valid_dial_chars(h->init))
      return ORA_ERROR_INVALID_PARAMETER;
    int n =
        snprintf(h->dial, sizeof h->dial, "ATD%c%s%s%s", pulse ? 'P' : 'T', prefix, number, suffix);
    if (n < 0 || (size_t)n >= sizeof h->dial)
      return ORA_ERROR_PHONE_NUMBER_TOO_LONG;
    h->cmd_timeout_ms = (uint32_t)get_int(p, "ORA_ModemCmdTimeoutMs", 3000, 1, 600000);
    h->dial_timeout_ms = (uint32_t)get_int(p, "ORA_ModemDialTimeoutMs", 90000, 1, 3600000);
    h->guard_ms = (uint32_t)get_int(p, "ORA_ModemGuardMs", 1000, 1, 60000);
  }

  /* PPP. Windows' own keys first (IpAssign/IpAddress, IpNameAssign,
   * AuthRestrictions), then ours. */
  ora_ppp_config *c = &l->ppp;
  ora_ppp_config_default(c);
  c->auth_allow = auth_allowed(p);
  uint32_t ip;
  if (get_int(p, "IpAssign", 1, 1, 2) == 2 && (s = get(p, "IpAddress")) &&
      ora_ipv4_parse(s, &ip) == 0)
    c->local_ip = ip;
  c->want_dns = get_int(p, "IpNameAssign", 1, 1, 2) == 1;
  if ((s = get(p, "ORA_PppPeerIp")) && *s) {
    if (ora_ipv4_parse(s, &ip) != 0)
      return ORA_ERROR_CANNOT_LOAD_PHONEBOOK;
    c->peer_ip = ip;
  }
  c->restart_ms = (uint32_t)get_int(p, "ORA_PppRestartMs", c->restart_ms, 1, 600000);
  /* The restart timer starts small and backs off (RFC 1661 4.6): its first value covers
   * a 64-byte packet each way twice at the line's speed plus 100 ms for the peer, and
   * never less than ORA_PPP_RESTART_INITIAL_MS. */
  uint32_t initial = ORA_PPP_RESTART_INITIAL_MS;
  if (l->kind != ORA_PPP_LINK_TCP && l->kind != ORA_PPP_LINK_L2TP && l->sp.baud) {
    uint64_t ms = 100u + 4u * 640000u / l->sp.baud;
    if (ms > initial)
      initial = ms > 3000 ? 3000 : (uint32_t)ms;
  }
  c->restart_initial_ms = (uint32_t)get_int(p, "ORA_PppRestartInitialMs", initial, 1, 600000);
  c->max_configure = (uint32_t)get_int(p, "ORA_PppMaxConfigure", c->max_configure, 1, 1000);
  c->echo_interval_ms =
      (uint32_t)get_int(p, "ORA_PppEchoIntervalMs", c->echo_interval_ms, 0, 3600000);
  c->echo_fails = (uint32_t)get_int(p, "ORA_PppEchoFails", c->echo_fails, 1, 1000);
  if (l->kind == ORA_PPP_LINK_L2TP) {
    /* A tunnel: frames keep their address and control bytes and need no escaping. */
    c->acfc = c->pfc = 0;
    c->accm = 0;
    c->mru = ORA_L2TP_PPP_MTU;
  }
  c->mru = (uint16_t)get_int(p, "ORA_PppMru", c->mru, 128, 1500);

  /* The data plane: whether to carry traffic, the routes, the idle limit (0 is
   * Windows' "use the global value", which is none here; 0xFFFFFFFF RASIDS_Disabled). */
  s = get(p, "ORA_DataPlane");
  l->dataplane = !s || !*s || ora_ieq(s, "auto") ? ORA_DP_AUTO
                 : ora_ieq(s, "required")        ? ORA_DP_REQUIRED
                 : ora_ieq(s, "off")             ? ORA_DP_OFF
                                                 : -1;
  if (l->dataplane < 0)
    return ORA_ERROR_CANNOT_LOAD_PHONEBOOK;
  l->default_route = get_int(p, "IpPrioritizeRemote", 1, 0, 1) == 1;
  l->idle_s = (uint32_t)get_int(p, "IdleDisconnectSeconds", 0, 0, 0x7fffffff);

  /* What RasGetConnectStatus and RasEnumConnections show: the device the entry names
   * (as RasGetEntryProperties reports it), else the one RasEnumDevices lists for this
   * link (openras/devnames.h); ORA_DeviceType overrides the type. */
  struct media_scan m = {NULL, NULL};
  if (p->pbk && p->entry[0])
    ora_pbk_foreach(p->pbk, p->entry, "", scan_media, &m);
  s = get(p, "ORA_DeviceType");
  if (!s || !*s)
    s = m.device_type && *m.device_type                               ? m.device_type
        : l->kind == ORA_PPP_LINK_TCP || l->kind == ORA_PPP_LINK_L2TP ? ORA_DEVTYPE_VPN
                                                                      : ORA_DEVTYPE_MODEM;
  ora_copy_str(l->info.device_type, sizeof l->info.device_type, s);
  if (m.device_name && *m.device_name)
    ora_copy_str(l->info.device_name, sizeof l->info.device_name, m.device_name);
  else if (l->kind == ORA_PPP_LINK_TCP)
    ora_copy_str(l->info.device_name, sizeof l->info.device_name, ORA_DEVNAME_TCP);
  else if (l->kind == ORA_PPP_LINK_L2TP)
    ora_copy_str(l->info.device_name, sizeof l->info.device_name, ORA_DEVNAME_L2TP);
  else
    snprintf(l->info.device_name, sizeof l->info.device_name, "%s (%.300s)",
             l->kind == ORA_PPP_LINK_MODEM ? ORA_DEVNAME_MODEM_PREFIX : ORA_DEVNAME_CABLE_PREFIX,
             l->target);
  return 0;
}
