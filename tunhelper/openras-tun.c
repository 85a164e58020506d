/* openras-tun: the native helper that gives a dialed PPP link a network interface.
 *
 * A Windows process under Wine cannot open /dev/net/tun, so the connection manager
 * starts this program (a Linux ELF, through CreateProcess) with a connected socket as
 * its stdin and stdout, and exchanges the messages of openras/dpwire.h over it: one
 * CONFIG (addresses, MTU, whether the default route goes over the link), then IPv4
 * packets both ways. This program
 *   - creates a TUN device (point-to-point: Wine lists it as a PPP adapter), gives it
 *     the link's addresses and MTU and the routes Windows would add;
 *   - applies the link's DNS servers (systemd-resolved per link, else resolvconf, else
 *     /etc/resolv.conf saved and restored; in sandbox mode, OPENRAS_SANDBOX=1, the
 *     launcher's private resolv.conf);
 *   - relays packets until the socket closes, the manager's process ends (CONFIG names
 *     it) or a signal arrives, then removes all of it and exits.
 * Nothing outlives it: the TUN is not persistent (the kernel removes it, and its
 * routes, when the last descriptor closes, also after kill -9), and a small child
 * forked before any change puts DNS back when this process ends in any way.
 *
 * It needs CAP_NET_ADMIN only (root, the owner of a user namespace's network, or a
 * file capability), runs no shell, and takes nothing from the command line but
 * --lo-up (bring loopback up: the sandbox launcher's first step). Packets from the
 * network are only relayed, never interpreted beyond the IPv4 header checks. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "openras/dpwire.h"

#define INBUF (64 * 1024)
#define OUTQ_HIGH (48 * 1024) /* stop reading the TUN above this: the kernel queues */
#define OUTQ_CAP (64 * 1024)
/* The manager reads this socket as fast as it can (it drops, never blocks, when the link
 * is full), so a socket that takes nothing for this long has no manager behind it: under
 * Wine, a killed manager's socket can stay open in wineserver, unread. */
#define STALL_MS 8000
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* the same number on every architecture */
#endif
#define RESOLV "/etc/resolv.conf"
#define RESOLV_MAX (64 * 1024)

static volatile sig_atomic_t g_stop;
static void on_signal(int sig) {
  (void)sig;
  g_stop = 1;
}

static void logf_(const char *fmt, const char *arg) {
  /* stderr is /dev/null under Wine; useful when run by hand or from native tests */
  fprintf(stderr, "openras-tun: ");
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
}

/* ---------------------------------------------------------------- socket I/O */

static int write_all(int fd, const uint8_t *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0 && errno == EAGAIN) {
      struct pollfd pf = {fd, POLLOUT, 0};
      if (poll(&pf, 1, 2000) <= 0)
        return -1;
      continue;
    }
    if (w <= 0)
      return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static int send_ready(int fd, uint32_t status, const char *ifname) {
  uint8_t m[ORA_DPW_HEADER + 4 + IFNAMSIZ];
  size_t n = strlen(ifname);
  ora_dpw_header(m, ORA_DPW_READY, 4 + n);
  ora_dpw_put32(m + ORA_DPW_HEADER, status);
  memcpy(m + ORA_DPW_HEADER + 4, ifname, n);
  return write_all(fd, m, ORA_DPW_HEADER + 4 + n);
}

/* Reads the first message, which must be CONFIG, within ten seconds. */
static int read_config(int fd, ora_dpw_config *c) {
  uint8_t b[ORA_DPW_HEADER + ORA_DPW_CONFIG_LEN];
  size_t got = 0;
  while (got < sizeof b) {
    struct pollfd pf = {fd, POLLIN, 0};
    if (poll(&pf, 1, 10000) <= 0)
      return -1;
    ssize_t r = read(fd, b + got, sizeof b - got);
    if (r < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (r <= 0)
      return -1;
    got += (size_t)r;
  }
  if (b[2] != ORA_DPW_CONFIG || ora_dpw_get16(b) != ORA_DPW_CONFIG_LEN)
    return -1;
  return ora_dpw_config_decode(b + ORA_DPW_HEADER, ORA_DPW_CONFIG_LEN, c);
}

/* ---------------------------------------------------------------- interface */

static void set_sin(struct sockaddr *sa, uint32_t addr) {
  struct sockaddr_in *sin = (struct sockaddr_in *)sa;
  memset(sin, 0, sizeof *sin);
  sin->sin_family = AF_INET;
  sin->sin_addr.s_addr = htonl(addr);
}

static int if_flags_up(int s, const char *name) {
  struct ifreq r;
  memset(&r, 0, sizeof r);
  snprintf(r.ifr_name, sizeof r.ifr_name, "%s", name);
  if (ioctl(s, SIOCGIFFLAGS, &r) < 0)
    return -1;
  r.ifr_flags |= IFF_UP | IFF_RUNNING;
  return ioctl(s, SIOCSIFFLAGS, &r);
}

static int lo_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0)
    return -1;
  int rc = if_flags_up(s, "lo");
  close(s);
  return rc;
}

/* Adds (SIOCADDRT) or deletes (SIOCDELRT) a route; 0, or -1 (an existing one counts as
 * added). *created, when given: whether this call made it. */
static int change_route(int s, unsigned long op, const char *dev, uint32_t dst, uint32_t mask,
                        uint32_t gw, int *created) {
  struct rtentry rt;
  memset(&rt, 0, sizeof rt);
  set_sin(&rt.rt_dst, dst);
  set_sin(&rt.rt_genmask, mask);
  set_sin(&rt.rt_gateway, gw);
  rt.rt_flags = RTF_UP | (gw ? RTF_GATEWAY : 0) | (mask == 0xffffffffu ? RTF_HOST : 0);
  rt.rt_dev = (char *)dev;
  int rc = ioctl(s, op, &rt);
  if (created)
    *created = rc == 0;
  return rc < 0 && !(op == SIOCADDRT && errno == EEXIST) ? -1 : 0;
}

static int add_route(int s, const char *dev, uint32_t dst, uint32_t mask, uint32_t gw) {
  return change_route(s, SIOCADDRT, dev, dst, mask, gw, NULL);
}

/* The host route that keeps a TCP- or tunnel-carried link's own server off the link: it
 * lives on another interface, so it does not go with the TUN; it is removed when this
 * program ends (by the janitor after a kill -9), unless it was there before. */
typedef struct kept_route {
  int added;
  char dev[IFNAMSIZ + 1];
  uint32_t dst, gw;
} kept_route;
static kept_route g_kept;

static void kept_route_remove(kept_route *k) {
  if (!k->added)
    return;
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s >= 0) {
    change_route(s, SIOCDELRT, k->dev, k->dst, 0xffffffffu, k->gw, NULL);
    close(s);
  }
  k->added = 0;
}

/* The route the kernel would take to addr now (from /proc/net/route, longest prefix):
 * its device and gateway. 0 when found. */
static int route_to(uint32_t addr, char *dev, size_t cap, uint32_t *gw) {
  FILE *f = fopen("/proc/net/route", "re");
  if (!f)
    return -1;
  char line[256], name[IFNAMSIZ + 1];
  unsigned d, g, flags, m;
  int best = -1;
  fgets(line, sizeof line, f); /* header */
  while (fgets(line, sizeof line, f)) {
    if (sscanf(line, "%16s %x %x %x %*s %*s %*s %x", name, &d, &g, &flags, &m) != 5)
      continue;
    /* the file has network byte order in host-endian hex */
    uint32_t dst = ntohl(d), mask = ntohl(m), gwy = ntohl(g);
    int len = __builtin_popcount(mask);
    if (!(flags & RTF_UP) || (addr & mask) != dst || len <= best)
      continue;
    best = len;
    snprintf(dev, cap, "%s", name);
    *gw = gwy;
  }
  fclose(f);
  return best >= 0 ? 0 : -1;
}

/* Windows' routes for a dial-up link: with RASEO_RemoteDefaultGateway all traffic
 * (two /1 routes: they win over the existing default without replacing it, and go
 * with the interface), and the route to a TCP-carried link's own server stays where it
 * was; otherwise the classful network of the assigned address. */
static int add_routes(int s, const char *dev, const ora_dpw_config *c) {
  if (c->flags & ORA_DPW_DEFAULT_ROUTE) {
    if (c->exclude) {
      kept_route *k = &g_kept;
      if (route_to(c->exclude, k->dev, sizeof k->dev, &k->gw) == 0) {
        k->dst = c->exclude;
        if (change_route(s, SIOCADDRT, k->dev, k->dst, 0xffffffffu, k->gw, &k->added) < 0)
          return -1;
      }
    }
    return add_route(s, dev, 0, 0x80000000u, 0) || add_route(s, dev, 0x80000000u, 0x80000000u, 0);
  }
  uint32_t a = c->local, mask = a < 0x80000000u   ? 0xff000000u
                                : a < 0xc0000000u ? 0xffff0000u
                                                  : 0xffffff00u;
  return add_route(s, dev, a & mask, mask, 0);
}

static int make_tun(const ora_dpw_config *c, char *name) {
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return -ORA_DPW_NO_TUN;
  struct ifreq r;
  memset(&r, 0, sizeof r);
  r.ifr_flags = IFF_TUN | IFF_NO_PI;
  snprintf(r.ifr_name, sizeof r.ifr_name, "ras%%d");
  if (ioctl(fd, TUNSETIFF, &r) < 0) {
    close(fd);
    return -ORA_DPW_NO_TUN;
  }
  /* The link type of a real ppp0: Wine (and other tools) list the interface as a PPP
   * adapter by it (Wine 8 looks only at the hardware type). */
  ioctl(fd, TUNSETLINK, (unsigned long)ARPHRD_PPP);
  snprintf(name, IFNAMSIZ, "%s", r.ifr_name);
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  int ok = s >= 0;
  struct ifreq q;
  memset(&q, 0, sizeof q);
  snprintf(q.ifr_name, sizeof q.ifr_name, "%s", name);
  set_sin(&q.ifr_addr, c->local);
  ok = ok && ioctl(s, SIOCSIFADDR, &q) == 0;
  set_sin(&q.ifr_netmask, 0xffffffffu);
  ok = ok && ioctl(s, SIOCSIFNETMASK, &q) == 0;
  if (c->peer) {
    set_sin(&q.ifr_dstaddr, c->peer);
    ok = ok && ioctl(s, SIOCSIFDSTADDR, &q) == 0;
  }
  q.ifr_mtu = c->mtu;
  ok = ok && ioctl(s, SIOCSIFMTU, &q) == 0;
  ok = ok && if_flags_up(s, name) == 0;
  ok = ok && add_routes(s, name, c) == 0;
  if (s >= 0)
    close(s);
  if (!ok) {
    close(fd); /* the interface and whatever was set on it go with it */
    return -ORA_DPW_NO_CONFIG;
  }
  return fd;
}

/* ---------------------------------------------------------------- DNS */

enum { DNS_NONE, DNS_FILE, DNS_RESOLVED, DNS_RESOLVCONF };

typedef struct dns_state {
  int how;
  char ifname[IFNAMSIZ];
  char *saved; /* DNS_FILE: what resolv.conf held before */
  size_t saved_len;
  char mine[256];   /* DNS_FILE: what we wrote, to restore only our own change */
  kept_route route; /* also undone at the end (the janitor knows it too) */
} dns_state;

static int run_argv(char *const argv[], const char *input) {
  int in[2];
  if (pipe2(in, O_CLOEXEC) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(in[0], 0);
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0)
      dup2(null, 1);
    execv(argv[0], argv);
    _exit(127);
  }
  close(in[0]);
  if (input)
    write_all(in[1], (const uint8_t *)input, strlen(input));
  close(in[1]);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static char *read_file(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  char *b = malloc(RESOLV_MAX);
  ssize_t n = b ? read(fd, b, RESOLV_MAX - 1) : -1;
  close(fd);
  if (n < 0) {
    free(b);
    return NULL;
  }
  b[n] = '\0';
  *len = (size_t)n;
  return b;
}

/* Rewrites the file in place: a bind-mounted resolv.conf cannot be renamed over. */
static int write_file(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0)
    return -1;
  int rc = write_all(fd, (const uint8_t *)data, len);
  close(fd);
  return rc;
}

/* addr (host order) as dotted decimal into out[INET_ADDRSTRLEN]. */
static const char *dotted(uint32_t addr, char *out) {
  struct in_addr a = {htonl(addr)};
  return inet_ntop(AF_INET, &a, out, INET_ADDRSTRLEN);
}

static void dns_text(const ora_dpw_config *c, const char *ifname, char *out, size_t cap) {
  int n = snprintf(out, cap, "# openras %s\n", ifname);
  uint32_t d[2] = {c->dns1, c->dns2};
  char a[INET_ADDRSTRLEN];
  for (int i = 0; i < 2 && n > 0 && (size_t)n < cap; i++)
    if (d[i])
      n += snprintf(out + n, cap - (size_t)n, "nameserver %s\n", dotted(d[i], a));
}

static int dns_apply(dns_state *st, const ora_dpw_config *c, int sandbox) {
  if (!c->dns1 && !c->dns2)
    return 0;
  char text[256];
  dns_text(c, st->ifname, text, sizeof text);
  if (!sandbox && access("/run/systemd/resolve", F_OK) == 0 &&
      access("/usr/bin/resolvectl", X_OK) == 0) {
    char a1[INET_ADDRSTRLEN], a2[INET_ADDRSTRLEN];
    dotted(c->dns1, a1);
    dotted(c->dns2, a2);
    char *argv[] = {"/usr/bin/resolvectl",          "dns", st->ifname, c->dns1 ? a1 : a2,
                    c->dns1 && c->dns2 ? a2 : NULL, NULL};
    st->how = DNS_RESOLVED; /* per link: it goes with the interface */
    return run_argv(argv, NULL);
  }
  if (!sandbox && access("/sbin/resolvconf", X_OK) == 0) {
    char rec[IFNAMSIZ + 16];
    snprintf(rec, sizeof rec, "%s.openras", st->ifname);
    char *argv[] = {"/sbin/resolvconf", "-a", rec, NULL};
    st->how = DNS_RESOLVCONF;
    return run_argv(argv, text);
  }
  st->saved = read_file(RESOLV, &st->saved_len);
  if (!st->saved)
    return -1;
  snprintf(st->mine, sizeof st->mine, "%s", text);
  st->how = DNS_FILE;
  return write_file(RESOLV, text, strlen(text));
}

static void dns_restore(dns_state *st) {
  if (st->how == DNS_RESOLVCONF) {
    char rec[IFNAMSIZ + 16];
    snprintf(rec, sizeof rec, "%s.openras", st->ifname);
    char *argv[] = {"/sbin/resolvconf", "-d", rec, NULL};
    run_argv(argv, NULL);
  } else if (st->how == DNS_FILE) {
    size_t n = 0;
    char *now = read_file(RESOLV, &n);
    if (now && strcmp(now, st->mine) == 0) /* someone else's later change stays */
      write_file(RESOLV, st->saved, st->saved_len);
    free(now);
  }
  free(st->saved);
  st->saved = NULL;
  st->how = DNS_NONE;
  kept_route_remove(&st->route);
}

/* The janitor: a child that waits for this process to end (its pipe closes) and then
 * puts DNS back and removes the kept route, so a kill -9 leaves nothing behind. An
 * orderly end undoes it all itself and says so with a byte first (janitor_done), so the
 * janitor does not undo again what a next link may have set meanwhile. It learns what to undo from
 * the same dns_state, copied at fork after DNS was applied. */
static int start_janitor(dns_state *st) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    /* hold nothing of the parent's: not the TUN, not the manager's socket */
    for (int fd = 0; fd < 1024; fd++)
      if (fd != p[0] && fd != 2)
        close(fd);
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    char c;
    ssize_t n;
    while ((n = read(p[0], &c, 1)) < 0 && errno == EINTR) {
    }
    if (n != 1)
      dns_restore(st);
    _exit(0);
  }
  close(p[0]);
  return p[1]; /* kept open until we exit */
}

/* What the janitor would undo is undone: it may end without touching anything. */
static void janitor_done(int fd) {
  if (fd >= 0)
    while (write(fd, "x", 1) < 0 && errno == EINTR) {
    }
}

/* ---------------------------------------------------------------- relay */

typedef struct relay {
  int sock, tun;
  int manager; /* a pidfd of the manager's process (readable once it ends), or -1 */
  size_t mtu;
  uint8_t in[INBUF];
  size_t in_len;
  uint8_t out[OUTQ_CAP];
  size_t out_len;
  unsigned long dropped;
  long long stuck_since; /* ms: output waiting and nothing written since, else 0 */
} relay;

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Messages from the manager: packets for the TUN. -1 on a protocol error. */
static int from_manager(relay *r) {
  size_t off = 0;
  for (;;) {
    uint8_t type;
    const uint8_t *pkt;
    size_t n;
    long used = ora_dpw_next(r->in + off, r->in_len - off, &type, &pkt, &n);
    if (used < 0 || (used > 0 && type != ORA_DPW_PACKET))
      return -1;
    if (used == 0)
      break;
    off += (size_t)used;
    if (n > r->mtu || ora_ipv4_check(pkt, n) != 0 || write(r->tun, pkt, n) != (ssize_t)n)
      r->dropped++;
  }
  memmove(r->in, r->in + off, r->in_len - off);
  r->in_len -= off;
  return 0;
}

static void from_tun(relay *r) {
  uint8_t pkt[ORA_DPW_BODY_MAX];
  while (r->out_len < OUTQ_HIGH) {
    ssize_t n = read(r->tun, pkt, sizeof pkt);
    if (n <= 0)
      return;
    if ((size_t)n > r->mtu || ora_ipv4_check(pkt, (size_t)n) != 0) {
      r->dropped++;
      continue;
    }
    ora_dpw_header(r->out + r->out_len, ORA_DPW_PACKET, (size_t)n);
    memcpy(r->out + r->out_len + ORA_DPW_HEADER, pkt, (size_t)n);
    r->out_len += ORA_DPW_HEADER + (size_t)n;
  }
}

static int relay_run(relay *r) {
  while (!g_stop) {
    struct pollfd pf[3] = {{r->sock, POLLIN | (r->out_len ? POLLOUT : 0), 0},
                           {r->tun, r->out_len < OUTQ_HIGH ? POLLIN : 0, 0},
                           {r->manager, POLLIN, 0}}; /* poll skips a negative fd */
    int wait = -1;                                   /* no timer unless output is stuck */
    if (r->out_len) {
      long long t = now_ms();
      if (!r->stuck_since)
        r->stuck_since = t;
      if (t - r->stuck_since >= STALL_MS) {
        logf_("%s", "the manager has taken nothing for 8 s: ending");
        return 0;
      }
      wait = (int)(STALL_MS - (t - r->stuck_since));
    }
    if (poll(pf, 3, wait) < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (pf[2].revents & POLLIN) {
      logf_("%s", "the manager's process has ended: ending");
      return 0;
    }
    if (pf[0].revents & POLLOUT) {
      ssize_t w = write(r->sock, r->out, r->out_len);
      if (w < 0 && errno != EAGAIN && errno != EINTR)
        return 0;
      if (w > 0) {
        memmove(r->out, r->out + w, r->out_len - (size_t)w);
        r->out_len -= (size_t)w;
        r->stuck_since = 0;
      }
    }
    if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(r->sock, r->in + r->in_len, sizeof r->in - r->in_len);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        return 0; /* the manager closed: the link is down or the manager is gone */
      if (n > 0) {
        r->in_len += (size_t)n;
        if (from_manager(r) != 0)
          return -1;
      }
    }
    if (pf[1].revents & POLLIN)
      from_tun(r);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--lo-up") == 0)
    return lo_up() == 0 ? 0 : 1;
  if (argc != 1) {
    fprintf(stderr, "usage: openras-tun   (started by the OpenRAS manager)\n"
                    "       openras-tun --lo-up\n");
    return 2;
  }
  /* Wine's fork for a Linux program passes on every descriptor of the manager's process
   * not marked close-on-exec (seen: directories, the test runner's log and pipes); none
   * is ours to hold, and a pipe held here keeps whoever waits on it waiting. */
  close_range(3, ~0u, 0);
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  static relay r;
  r.sock = 0;
  fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
  ora_dpw_config c;
  if (read_config(0, &c) != 0) {
    send_ready(0, ORA_DPW_BAD_CONFIG, "");
    return 1;
  }
  /* Watch the manager's process itself: under Wine its end need not close this socket,
   * whose other end wineserver may go on holding. */
  r.manager = -1;
  if (c.manager_pid) {
    r.manager = (int)syscall(SYS_pidfd_open, (pid_t)c.manager_pid, 0);
    if (r.manager < 0 && errno == ESRCH) {
      logf_("%s", "the manager's process is gone before the interface: ending");
      return 1;
    }
  }
  const char *sb = getenv("OPENRAS_SANDBOX");
  int sandbox = sb && strcmp(sb, "1") == 0;
  char name[IFNAMSIZ] = "";
  int tun = make_tun(&c, name);
  if (tun < 0) {
    logf_("cannot set up the interface (%s)", strerror(errno));
    kept_route_remove(&g_kept);
    send_ready(0, (uint32_t)-tun, "");
    return 1;
  }
  dns_state dns;
  memset(&dns, 0, sizeof dns);
  snprintf(dns.ifname, sizeof dns.ifname, "%s", name);
  dns.route = g_kept;
  /* The janitor is forked with what to undo; DNS is applied before, by us. */
  if (c.dns1 || c.dns2) {
    dns_state plan = dns;
    if (dns_apply(&plan, &c, sandbox) != 0) {
      dns_restore(&plan);
      close(tun);
      send_ready(0, ORA_DPW_NO_DNS, name);
      return 1;
    }
    dns = plan;
  }
  int janitor = -1;
  if ((dns.how != DNS_NONE || dns.route.added) && (janitor = start_janitor(&dns)) < 0) {
    dns_restore(&dns);
    close(tun);
    send_ready(0, ORA_DPW_NO_DNS, name);
    return 1;
  }
  if (send_ready(0, ORA_DPW_OK, name) != 0) {
    dns_restore(&dns);
    janitor_done(janitor);
    return 1;
  }
  r.tun = tun;
  r.mtu = c.mtu;
  int rc = relay_run(&r);
  dns_restore(&dns);
  janitor_done(janitor);
  close(tun);
  return rc == 0 ? 0 : 1;
}
