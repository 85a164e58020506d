/* A network and mount namespace in which the data plane's system mode (openras-tun
 * setting routes and DNS in the dialing process's namespace) cannot touch the machine:
 * only loopback is up, /sys shows this namespace, a file of the caller's is bind-mounted
 * over /etc/resolv.conf, and resolvectl and resolvconf are hidden, so the helper takes
 * its resolv.conf path. Used by native.test_dataplane_system and bench_dataplane; needs
 * root. Also what the system-mode tests check with (an uplink stand-in, the link's
 * interface, routes), used by test_link_l2tp in the namespace softether.sh makes.
 * Include from one file per program. */
#ifndef OPENRAS_TESTS_SYSMODE_NS_H
#define OPENRAS_TESTS_SYSMODE_NS_H

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

/* Brings interface name up, first giving it addr/mask (host order) unless addr is 0;
 * s is any AF_INET socket. 0 or -1. */
static inline int ora_ns_if_up(int s, const char *name, uint32_t addr, uint32_t mask) {
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
  struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
  sin->sin_family = AF_INET;
  if (addr) {
    sin->sin_addr.s_addr = htonl(addr);
    if (ioctl(s, SIOCSIFADDR, &ifr) < 0)
      return -1;
    sin->sin_addr.s_addr = htonl(mask);
    if (ioctl(s, SIOCSIFNETMASK, &ifr) < 0)
      return -1;
  }
  if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
    return -1;
  ifr.ifr_flags |= IFF_UP;
  return ioctl(s, SIOCSIFFLAGS, &ifr);
}

/* An uplink stand-in: a TUN "up0" with 198.51.100.1/24 that carries nothing, so routes
 * have a way out to be checked against. Its descriptor (kept open while it is needed:
 * the interface goes with it), or -1. */
static inline int ora_ns_uplink(void) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  int up = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  strcpy(ifr.ifr_name, "up0");
  int ok = s >= 0 && up >= 0 && ioctl(up, TUNSETIFF, &ifr) == 0 &&
           ora_ns_if_up(s, "up0", 0xc6336401u, 0xffffff00u) == 0;
  if (s >= 0)
    close(s);
  if (!ok && up >= 0)
    close(up);
  return ok ? up : -1;
}

/* The first interface whose name starts with "ras" (a link's TUN), "" when none. */
static inline void ora_ns_ras_if(char *name, size_t cap) {
  name[0] = '\0';
  struct if_nameindex *all = if_nameindex();
  for (struct if_nameindex *i = all; i && i->if_index; i++)
    if (strncmp(i->if_name, "ras", 3) == 0 && !name[0])
      snprintf(name, cap, "%s", i->if_name);
  if_freenameindex(all);
}

/* Is there a main-table route dst/mask (host order) through dev? A table that cannot be
 * read aborts: no answer may pass for "no route". */
static inline int ora_ns_has_route(const char *dev, uint32_t dst, uint32_t mask) {
  FILE *f = fopen("/proc/net/route", "r");
  if (!f)
    abort();
  char line[256], ifn[32];
  unsigned d, g, m, flags;
  int found = 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "%31s %x %x %x %*d %*d %*d %x", ifn, &d, &g, &flags, &m) == 5 &&
        strcmp(ifn, dev) == 0 && ntohl(d) == dst && ntohl(m) == mask)
      found = 1;
  fclose(f);
  return found;
}

/* Enters the namespace; resolv_text is written to resolv_path, which then stands for
 * /etc/resolv.conf. 0 or -1. */
static inline int ora_sysmode_ns_enter(const char *resolv_path, const char *resolv_text) {
  FILE *f = fopen(resolv_path, "w");
  if (!f || fputs(resolv_text, f) < 0 || fclose(f) != 0)
    return -1;
  if (unshare(CLONE_NEWNET | CLONE_NEWNS) != 0 ||
      mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
      mount("sysfs", "/sys", "sysfs", 0, NULL) != 0 || /* /sys/class/net of this namespace */
      mount(resolv_path, "/etc/resolv.conf", NULL, MS_BIND, NULL) != 0)
    return -1;
  const char *hide[] = {"/usr/bin/resolvectl", "/sbin/resolvconf", "/usr/sbin/resolvconf"};
  for (size_t i = 0; i < sizeof hide / sizeof hide[0]; i++)
    if (access(hide[i], F_OK) == 0 && mount("/dev/null", hide[i], NULL, MS_BIND, NULL) != 0)
      return -1;
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  int rc = s < 0 ? -1 : ora_ns_if_up(s, "lo", 0, 0);
  if (s >= 0)
    close(s);
  return rc;
}

#endif
