/* The data plane's speed (issue 15), natively, in a network and mount namespace of its
 * own (root; nothing is routed on the machine, the helper's resolv.conf is a private
 * file): slirp-fullbolt on a pty behind socat, the engine dialing it with openras-tun.
 *   pty_raw_MBps        bytes through the same socat pty chain into a sink (no PPP)
 *   dp_tcp_MBps         a bulk TCP transfer through the link (TUN, helper, engine,
 *                       HDLC, pty, slirp) to a sink on the namespace's loopback
 *   dp_tcp_vs_pty       their ratio (target: at least 0.5)
 *   dp_tcp_down_MBps / dp_tcp_down_vs_pty: the same from a loopback source to a socket
 *                       (slirp sends; the kernel behind the TUN advertises the window)
 *   udp_rtt_slirp_us    a 32-byte UDP echo through a bare PPP client, pty and slirp to
 *                       an echo server on loopback: slirp's (and the pty's) own cost
 *   udp_rtt_link_us     the same echo from a socket, through the data plane
 *   dp_added_rtt_us     their difference: what the data plane adds (target < 100 us)
 *   tcp_rtt_loopback_us / tcp_rtt_link_us: a 32-byte TCP echo, directly on loopback and
 *                       through the link
 *   dp_tcp_peer_window_bytes  the receive window slirp advertised to the upload (the
 *                       kernel's tcpi_snd_wnd); slirp's socket buffers are compiled in
 *                       (8 KiB, rounded up to whole segments)
 *   dp_tcp_rwnd_limited the share of the upload's busy time the sender spent stopped by
 *                       that window (tcpi_rwnd_limited / tcpi_busy_time)
 *   dp_tcp_ceiling_vs_pty  what any client could reach through slirp with that window:
 *                       one window per (slirp's own round trip + the window's time on
 *                       the pty), over the pty's rate
 * Prints "name<TAB>value<TAB>unit<TAB>runs" lines (medians). Exits 77 when it cannot run
 * (not root, no TUN, no slirp or socat). Usage: bench_dataplane HELPER [runs] */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/tcp.h> /* struct tcp_info with the window-limited times */
#include <pthread.h>
#include <sys/socket.h>

#include "openras/base/loop.h"
#include "openras/engine.h"
#include "openras/dpwire.h"
#include "openras/os.h"
#include "openras/rasdefs.h"
#include "os/stream.h"
#include "ppp/ppp.h"
#include "ppp/pppos.h"
#include "ppp_client.h"
#include "pty_server.h"
#include "sysmode_ns.h"
#include "../bench_stats.h"

#define ECHO_PORT 7107
#define SINK_PORT 7109
#define SOURCE_PORT 7111
#define BULK (16u << 20)

/* ---------------------------------------------------------------- the namespace */

/* ---------------------------------------------------------------- loopback servers */

static volatile uint64_t g_sink_bytes;

static void *udp_echo(void *arg) {
  int s = *(int *)arg;
  char buf[2048];
  for (;;) {
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    if (n > 0)
      sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
  }
  return NULL;
}

static void *tcp_serve(void *arg) { /* port ECHO_PORT echoes, SINK_PORT counts */
  int ls = *(int *)arg;
  struct sockaddr_in me;
  socklen_t ml = sizeof me;
  getsockname(ls, (struct sockaddr *)&me, &ml);
  int sink = ntohs(me.sin_port) == SINK_PORT, source = ntohs(me.sin_port) == SOURCE_PORT;
  for (;;) {
    int c = accept(ls, NULL, NULL);
    if (c < 0)
      continue;
    int one = 1;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    static char buf[65536];
    if (source) { /* BULK bytes to whoever connects */
      for (size_t sent = 0; sent < BULK;) {
        ssize_t w = write(c, buf, sizeof buf);
        if (w <= 0)
          break;
        sent += (size_t)w;
      }
      close(c);
      continue;
    }
    for (ssize_t n; (n = read(c, buf, sizeof buf)) > 0;) {
      if (sink)
        __atomic_add_fetch(&g_sink_bytes, (uint64_t)n, __ATOMIC_SEQ_CST);
      else if (write(c, buf, (size_t)n) != n)
        break;
    }
    close(c);
  }
  return NULL;
}

static int listen_on(int type, int port) {
  int s = socket(AF_INET, type, 0), one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) || (type == SOCK_STREAM && listen(s, 4)))
    return -1;
  return s;
}

/* ---------------------------------------------------------------- measurements */

/* Bytes through the socat pty chain into `cat`: MB/s. */
static double pty_raw_rate(void) {
  server sv;
  if (pty_server_start(&sv, "exec cat > raw.out"))
    return -1;
  int fd = open(sv.tty, O_WRONLY | O_NOCTTY);
  char out[256];
  snprintf(out, sizeof out, "%s/raw.out", sv.dir);
  static uint8_t buf[4096];
  for (size_t i = 0; i < sizeof buf; i++)
    buf[i] = (uint8_t)(i * 7); /* binary, as PPP frames are */
  uint64_t t0 = ora_now_us();
  for (size_t sent = 0; fd >= 0 && sent < BULK;) {
    ssize_t w = write(fd, buf, sizeof buf);
    if (w <= 0)
      break;
    sent += (size_t)w;
  }
  struct stat st;
  int all = 0; /* the sink holds every byte (its file may not exist yet) */
  while (!(all = stat(out, &st) == 0 && (uint64_t)st.st_size >= BULK) &&
         ora_now_us() - t0 < 60000000)
    ora_sleep_ms(1);
  double mbps = all ? (double)BULK / (double)(ora_now_us() - t0) : -1;
  if (fd >= 0)
    close(fd);
  server_stop(&sv);
  return mbps;
}

/* UDP echo round trips through a bare PPP client (no TUN, no helper, no engine). */
static int udp_rtt_slirp(double *rtt, int n) {
  server sv;
  if (server_start(&sv, "-P"))
    return -1;
  ppp_client b;
  int done = 0;
  if (ppp_client_open(&b, sv.tty, NULL, NULL) == 0) {
    ora_loop_lock(b.loop);
    ora_ppp_ip_info ip;
    ora_ppp_get_ip(b.s, &ip);
    for (; done < n; done++) {
      uint8_t p[60];
      memset(p, 0, sizeof p);
      p[0] = 0x45, p[3] = 60, p[8] = 64, p[9] = 17;
      uint32_t src = ip.local, dst = 0x0a000202;
      for (int k = 0; k < 4; k++)
        p[12 + k] = (uint8_t)(src >> (24 - 8 * k)), p[16 + k] = (uint8_t)(dst >> (24 - 8 * k));
      uint16_t c = ora_inet_checksum(p, 20);
      p[10] = (uint8_t)(c >> 8), p[11] = (uint8_t)c;
      p[20] = 0x13, p[21] = 0x88, p[22] = ECHO_PORT >> 8, p[23] = ECHO_PORT & 255, p[25] = 40;
      /* UDP checksum 0: none */
      int want = b.udp_in + 1;
      uint64_t t0 = ora_now_us();
      if (ora_ppp_send_ip(b.s, p, sizeof p) != 0)
        break;
      ora_loop_unlock(b.loop);
      while (ppp_client_flag(&b, &b.udp_in) < want && ora_now_us() - t0 < 1000000)
        ;
      ora_loop_lock(b.loop);
      if (b.udp_in < want)
        break;
      rtt[done] = (double)(ora_now_us() - t0);
    }
    ora_loop_unlock(b.loop);
  }
  ppp_client_close(&b);
  server_stop(&sv);
  return done;
}

static int udp_rtt_socket(uint32_t to, double *rtt, int n) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(ECHO_PORT)};
  a.sin_addr.s_addr = htonl(to);
  struct timeval tv = {1, 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(s, (struct sockaddr *)&a, sizeof a))
    return -1;
  char buf[64] = "ping";
  int i = 0;
  for (; i < n; i++) {
    uint64_t t0 = ora_now_us();
    if (send(s, buf, 32, 0) != 32 || recv(s, buf, sizeof buf, 0) != 32)
      break;
    rtt[i] = (double)(ora_now_us() - t0);
  }
  close(s);
  return i;
}

static int tcp_connect(uint32_t to, int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(to);
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(s, (struct sockaddr *)&a, sizeof a)) {
    close(s);
    return -1;
  }
  return s;
}

static int tcp_rtt(uint32_t to, double *rtt, int n) {
  int s = tcp_connect(to, ECHO_PORT);
  if (s < 0)
    return -1;
  char buf[64] = "ping";
  int i = 0;
  for (; i < n; i++) {
    uint64_t t0 = ora_now_us();
    if (write(s, buf, 32) != 32)
      break;
    size_t got = 0;
    for (ssize_t r; got < 32 && (r = read(s, buf + got, 32 - got)) > 0;)
      got += (size_t)r;
    if (got < 32)
      break;
    rtt[i] = (double)(ora_now_us() - t0);
  }
  close(s);
  return i;
}

/* The upload's view of its peer, read from the kernel when it ends. */
static double g_peer_window, g_rwnd_limited;

/* MB/s of a bulk TCP transfer to the sink through the link. */
static double tcp_bulk(void) {
  int s = tcp_connect(0x0a000202, SINK_PORT);
  if (s < 0)
    return -1;
  uint64_t base = __atomic_load_n(&g_sink_bytes, __ATOMIC_SEQ_CST);
  static char buf[65536];
  memset(buf, 0x5a, sizeof buf);
  uint64_t t0 = ora_now_us();
  for (size_t sent = 0; sent < BULK;) {
    ssize_t w = write(s, buf, sizeof buf);
    if (w <= 0)
      break;
    sent += (size_t)w;
  }
  uint64_t got;
  while ((got = __atomic_load_n(&g_sink_bytes, __ATOMIC_SEQ_CST) - base) < BULK &&
         ora_now_us() - t0 < 120000000)
    ora_sleep_ms(1);
  double mbps = got >= BULK ? (double)BULK / (double)(ora_now_us() - t0) : -1;
  struct tcp_info ti;
  socklen_t tl = sizeof ti;
  memset(&ti, 0, sizeof ti);
  g_peer_window = g_rwnd_limited = 0;
  if (getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0 &&
      tl >= offsetof(struct tcp_info, tcpi_snd_wnd) + sizeof ti.tcpi_snd_wnd) {
    g_peer_window = ti.tcpi_snd_wnd;
    g_rwnd_limited =
        ti.tcpi_busy_time ? (double)ti.tcpi_rwnd_limited / (double)ti.tcpi_busy_time : 0;
  }
  close(s);
  return mbps;
}

/* MB/s of a bulk TCP transfer from the loopback source through the link. */
static double tcp_bulk_down(void) {
  int s = tcp_connect(0x0a000202, SOURCE_PORT);
  if (s < 0)
    return -1;
  static char buf[65536];
  uint64_t t0 = ora_now_us(), got = 0;
  for (ssize_t r; got < BULK && (r = read(s, buf, sizeof buf)) > 0;)
    got += (uint64_t)r;
  double mbps = got == BULK ? (double)BULK / (double)(ora_now_us() - t0) : -1;
  close(s);
  return mbps;
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv) {
  const char *helper = argc > 1 ? argv[1] : "";
  int runs = argc > 2 ? atoi(argv[2]) : 3;
  if (geteuid() != 0 || access("/dev/net/tun", R_OK | W_OK) || access(helper, X_OK) ||
      access(slirp_path(), X_OK) || system("command -v socat >/dev/null 2>&1")) {
    fprintf(stderr, "bench_dataplane: needs root, /dev/net/tun, the helper, slirp and socat\n");
    return 77;
  }
  char dir[] = "/tmp/ora-bench-dp-XXXXXX";
  char resolv[64];
  if (!mkdtemp(dir) ||
      snprintf(resolv, sizeof resolv, "%s/resolv.conf", dir) >= (int)sizeof resolv ||
      ora_sysmode_ns_enter(resolv, "nameserver 192.0.2.53\n")) {
    fprintf(stderr, "bench_dataplane: cannot make its namespace\n");
    return 1;
  }
  int us = listen_on(SOCK_DGRAM, ECHO_PORT), te = listen_on(SOCK_STREAM, ECHO_PORT),
      ts = listen_on(SOCK_STREAM, SINK_PORT), tsrc = listen_on(SOCK_STREAM, SOURCE_PORT);
  pthread_t t;
  if (us < 0 || te < 0 || ts < 0 || tsrc < 0 || pthread_create(&t, NULL, udp_echo, &us) ||
      pthread_create(&t, NULL, tcp_serve, &te) || pthread_create(&t, NULL, tcp_serve, &ts) ||
      pthread_create(&t, NULL, tcp_serve, &tsrc))
    return 1;
  enum { RT = 200 };
  double raw[16], bulk[16], down[16], ratio[16], ratio_down[16], rs[16], rl[16], add[16], tl[16],
      tlo[16], win[16], limited[16], ceiling[16];
  double v[RT];
  int n = 0;
  for (int r = 0; r < runs && r < 16; r++) {
    raw[n] = pty_raw_rate();
    int k = udp_rtt_slirp(v, RT);
    if (raw[n] <= 0 || k < RT / 2) {
      fprintf(stderr, "bench_dataplane: run %d: pty or bare PPP failed\n", r);
      continue;
    }
    rs[n] = median(v, (size_t)k);
    /* the engine with its data plane, dialing a fresh slirp */
    server sv;
    if (server_start(&sv, "-P"))
      return 1;
    char pbk[300];
    snprintf(pbk, sizeof pbk, "%s/rasphone.pbk", dir);
    FILE *f = fopen(pbk, "w");
    fprintf(f,
            "[bench]\r\nORA_Link=direct\r\nPort=%s\r\nORA_PppPeerIp=10.0.2.2\r\n"
            "ORA_PppEchoIntervalMs=0\r\nORA_DataPlane=required\r\n",
            sv.tty);
    fclose(f);
    ora_engine_config cfg;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.tun_helper, sizeof cfg.tun_helper, "%s", helper);
    ora_engine *e;
    ora_dial_request req;
    memset(&req, 0, sizeof req);
    snprintf(req.phonebook, sizeof req.phonebook, "%s", pbk);
    strcpy(req.entry, "bench");
    ora_handle h = 0;
    ora_status st;
    memset(&st, 0, sizeof st);
    if (ora_engine_create(&cfg, &e) == 0 && ora_engine_dial(e, &req, NULL, NULL, &h) == 0)
      for (int i = 0; i < 1000; i++) {
        if (ora_engine_status(e, h, &st) || st.state == ORA_CS_Connected || st.error)
          break;
        ora_sleep_ms(10);
      }
    int ok = st.state == ORA_CS_Connected && !st.error;
    if (ok) {
      k = udp_rtt_socket(0x0a000202, v, RT);
      ok = k >= RT / 2;
      rl[n] = ok ? median(v, (size_t)k) : 0;
      k = tcp_rtt(0x0a000202, v, RT);
      ok = ok && k >= RT / 2;
      tl[n] = ok ? median(v, (size_t)k) : 0;
      k = tcp_rtt(INADDR_LOOPBACK, v, RT);
      ok = ok && k >= RT / 2;
      tlo[n] = ok ? median(v, (size_t)k) : 0;
      bulk[n] = ok ? tcp_bulk() : -1;
      win[n] = g_peer_window;
      limited[n] = g_rwnd_limited;
      down[n] = ok ? tcp_bulk_down() : -1;
      ok = ok && bulk[n] > 0 && down[n] > 0;
    }
    if (h)
      ora_engine_hangup(e, h);
    for (int i = 0; i < 5000 && ora_stream_count(); i++)
      ora_sleep_ms(1); /* the link closes (and its stream leaves) before its loop goes */
    ora_engine_destroy(e);
    server_stop(&sv);
    if (!ok) {
      fprintf(stderr, "bench_dataplane: run %d: the dial or its traffic failed (%s, %u)\n", r,
              ora_state_name(st.state) ? ora_state_name(st.state) : "?", (unsigned)st.error);
      continue;
    }
    ratio[n] = bulk[n] / raw[n];
    ratio_down[n] = down[n] / raw[n];
    add[n] = rl[n] - rs[n];
    /* bytes per microsecond = MB/s */
    ceiling[n] = win[n] > 0 ? win[n] / (rs[n] + win[n] / raw[n]) / raw[n] : 0;
    n++;
  }
  if (n == 0)
    return 1;
  printf("pty_raw_MBps\t%.2f\tMB/s\t%d\n", median(raw, (size_t)n), n);
  printf("dp_tcp_MBps\t%.2f\tMB/s\t%d\n", median(bulk, (size_t)n), n);
  printf("dp_tcp_vs_pty\t%.3f\tratio\t%d\n", median(ratio, (size_t)n), n);
  printf("dp_tcp_down_MBps\t%.2f\tMB/s\t%d\n", median(down, (size_t)n), n);
  printf("dp_tcp_down_vs_pty\t%.3f\tratio\t%d\n", median(ratio_down, (size_t)n), n);
  printf("udp_rtt_slirp_us\t%.0f\tus\t%d\n", median(rs, (size_t)n), n);
  printf("udp_rtt_link_us\t%.0f\tus\t%d\n", median(rl, (size_t)n), n);
  printf("dp_added_rtt_us\t%.0f\tus\t%d\n", median(add, (size_t)n), n);
  printf("tcp_rtt_loopback_us\t%.0f\tus\t%d\n", median(tlo, (size_t)n), n);
  printf("tcp_rtt_link_us\t%.0f\tus\t%d\n", median(tl, (size_t)n), n);
  printf("dp_tcp_peer_window_bytes\t%.0f\tbytes\t%d\n", median(win, (size_t)n), n);
  printf("dp_tcp_rwnd_limited\t%.2f\tshare\t%d\n", median(limited, (size_t)n), n);
  printf("dp_tcp_ceiling_vs_pty\t%.3f\tratio\t%d\n", median(ceiling, (size_t)n), n);
  char cmd[160];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    fprintf(stderr, "bench_dataplane: could not remove %s\n", dir);
  return 0;
}
