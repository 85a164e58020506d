/* POSIX byte streams (os/stream.h): a tty or pty in raw mode, a TCP socket, a
 * connected UDP socket, or a socket pair to a helper program, each with a thread that opens it and
 * then reads.
 *
 * The stream object is reference counted (owner, thread, each posted chunk) so
 * close() never waits for the thread: it cannot, since it runs with the loop lock
 * held and the thread may be waiting for that lock in ora_loop_post. The thread
 * also watches a pipe that close() writes, so a connect or a read in progress
 * ends at once. */
#define _GNU_SOURCE /* CRTSCTS, pipe2, SOCK_NONBLOCK */
#include "os/stream.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "openras/base/loop.h"
#include "openras/rasdefs.h"
#include "os/stream_common.h"

#define WRITE_BUDGET_MS 2000

static atomic_size_t g_live;

struct ora_stream {
  ora_stream_side side; /* first: see os/stream_common.h */
  atomic_int refs;
  int fd;        /* -1 until opened; set by the thread before it posts "opened" */
  int is_socket; /* writes use send(MSG_NOSIGNAL): no SIGPIPE when the peer left */
  int wake[2];   /* written by close() to stop the thread */
};

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void ora_stream_hold(ora_stream *st) {
  atomic_fetch_add(&st->refs, 1);
}

void ora_stream_drop(ora_stream *st) {
  if (atomic_fetch_sub(&st->refs, 1) != 1)
    return;
  if (st->fd >= 0)
    close(st->fd);
  ora_stream_side_end(st);
  close(st->wake[0]);
  close(st->wake[1]);
  free(st);
  atomic_fetch_sub(&g_live, 1);
}

size_t ora_stream_count(void) {
  return atomic_load(&g_live);
}

/* ---- opening ---- */

static speed_t speed_of(uint32_t baud) {
  static const struct {
    uint32_t bps;
    speed_t code;
  } rates[] = {{300, B300},       {1200, B1200},     {2400, B2400},     {4800, B4800},
               {9600, B9600},     {19200, B19200},   {38400, B38400},   {57600, B57600},
               {115200, B115200}, {230400, B230400}, {460800, B460800}, {921600, B921600}};
  speed_t best = B115200;
  if (baud == 0)
    return best;
  best = B300;
  /* The fastest standard rate not above the one asked for. */
  for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
    if (rates[i].bps <= baud)
      best = rates[i].code;
  return best;
}

uint32_t ora_stream_open_serial(ora_stream *st) {
  /* O_NONBLOCK: without CLOCAL yet, open() of a real port would wait for carrier. */
  int fd = open(st->side.target, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return (errno == ENOENT || errno == ENODEV || errno == ENXIO || errno == ENOTDIR)
               ? ORA_ERROR_PORT_NOT_FOUND
               : ORA_ERROR_PORT_NOT_AVAILABLE;
  struct termios t;
  if (tcgetattr(fd, &t) == 0) {
    /* Raw 8N1, no software flow control, no signals; CLOCAL so a carrier drop does
     * not hang the line up under us (PPP keepalive finds a dead peer); HUPCL so
     * the last close drops DTR, which hangs a modem up. */
    t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON |
                             IXOFF | IXANY | INPCK);
    t.c_oflag &= ~(tcflag_t)OPOST;
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | CSTOPB | CRTSCTS);
    t.c_cflag |= CS8 | CREAD | CLOCAL | HUPCL;
    if (st->side.rtscts)
      t.c_cflag |= CRTSCTS;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    speed_t sp = speed_of(st->side.baud);
    cfsetispeed(&t, sp);
    cfsetospeed(&t, sp);
    if (tcsetattr(fd, TCSANOW, &t) != 0) {
      close(fd);
      return ORA_ERROR_PORT_NOT_AVAILABLE;
    }
    ioctl(fd, TIOCEXCL); /* like a COM port: one user at a time */
    int dtr = TIOCM_DTR | TIOCM_RTS;
    ioctl(fd, TIOCMBIS, &dtr); /* fails harmlessly on a pty */
    if (st->side.flush)
      tcflush(fd, TCIOFLUSH); /* no stale modem output from an earlier user */
  }                           /* not a tty (a FIFO in tests): use it as it is */
  st->fd = fd;
  return 0;
}

/* A non-blocking connect that close() (the wake pipe) or the deadline can end. */
static int connect_one(ora_stream *st, const struct addrinfo *ai, uint64_t deadline, int *err) {
  int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
  if (fd < 0) {
    *err = errno;
    return -1;
  }
  if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
    return fd;
  if (errno != EINPROGRESS) {
    *err = errno;
    close(fd);
    return -1;
  }
  for (;;) {
    uint64_t now = now_ms();
    if (now >= deadline) {
      *err = ETIMEDOUT;
      break;
    }
    struct pollfd p[2] = {{fd, POLLOUT, 0}, {st->wake[0], POLLIN, 0}};
    int n = poll(p, 2, (int)(deadline - now));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 || p[1].revents) {
      *err = ECANCELED;
      break;
    }
    if (p[0].revents) {
      int so = 0;
      socklen_t sl = sizeof so;
      if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &sl) == 0 && so == 0)
        return fd;
      *err = so ? so : ECONNREFUSED;
      break;
    }
  }
  close(fd);
  return -1;
}

/* The addresses of host:port for a socket type; 0, or a RAS error. */
static uint32_t lookup(const char *host, const char *port, int socktype, struct addrinfo **res) {
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = socktype;
  *res = NULL;
  int gai = getaddrinfo(host, port, &hints, res);
  if (gai == EAI_MEMORY)
    return ORA_ERROR_NOT_ENOUGH_MEMORY; /* the name may well exist */
  if (gai || !*res)
    return ORA_ERROR_DNSNAME_NOT_RESOLVABLE;
  return 0;
}

uint32_t ora_stream_open_tcp(ora_stream *st, const char *host, const char *port) {
  struct addrinfo *res;
  uint32_t e = lookup(host, port, SOCK_STREAM, &res);
  if (e)
    return e;
  uint64_t deadline =
      now_ms() + (st->side.connect_ms ? st->side.connect_ms : ORA_STREAM_DEFAULT_CONNECT_MS);
  int fd = -1, err = 0;
  for (struct addrinfo *ai = res; ai && fd < 0 && err != ECANCELED; ai = ai->ai_next)
    fd = connect_one(st, ai, deadline, &err);
  freeaddrinfo(res);
  if (fd < 0)
    return ORA_ERROR_NO_ANSWER;
  int one = 1; /* PPP frames are small and latency matters */
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  st->fd = fd;
  return 0;
}

uint32_t ora_stream_open_udp(ora_stream *st, const char *host, const char *port) {
  struct addrinfo *res;
  uint32_t e = lookup(host, port, SOCK_DGRAM, &res);
  if (e)
    return e;
  int fd = -1;
  for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
    fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  if (fd < 0)
    return ORA_ERROR_NO_ANSWER; /* no route to it */
  st->fd = fd;
  return 0;
}

uint32_t ora_stream_open_helper(ora_stream *st) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    return ORA_ERROR_NO_IP_RAS_ADAPTER;
  /* Twice forked, so the helper is nobody's zombie: the middle child exits at once. */
  pid_t mid = fork();
  if (mid < 0) {
    close(sv[0]);
    close(sv[1]);
    return ORA_ERROR_NO_IP_RAS_ADAPTER;
  }
  if (mid == 0) {
    if (fork() == 0) {
      dup2(sv[1], 0); /* dup2 clears close-on-exec on the copies */
      dup2(sv[1], 1);
      char *argv[] = {st->side.target, NULL};
      execv(st->side.target, argv);
      _exit(127); /* the stream sees EOF */
    }
    _exit(0);
  }
  close(sv[1]);
  while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
    ;
  st->fd = sv[0];
  return 0;
}

int ora_stream_wait_closed(void *arg, uint32_t ms) {
  ora_stream *st = arg;
  struct pollfd p = {st->wake[0], POLLIN, 0};
  return poll(&p, 1, (int)ms) != 0;
}

/* ---- the thread ---- */

static void *run(void *arg) {
  ora_stream *st = arg;
  if (st->side.open_in_thread) {
    uint32_t err = ora_stream_do_open(st);
    ora_stream_post(st, ORA_CH_OPENED, err, NULL, 0);
    if (err)
      goto out;
  }
  uint8_t buf[ORA_STREAM_READ];
  for (;;) {
    struct pollfd p[2] = {{st->fd, POLLIN, 0}, {st->wake[0], POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (p[1].revents)
      goto out; /* closed by the owner: no end-of-stream report */
    if (!p[0].revents)
      continue;
    ssize_t n = read(st->fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (st->side.kind == ORA_STREAM_UDP && (n == 0 || (n < 0 && errno == ECONNREFUSED)))
      continue; /* an empty datagram, or an ICMP error for an earlier one: not an end */
    if (n <= 0)
      break; /* EOF; EIO is what a pty gives once the other side is gone */
    if (ora_stream_post(st, ORA_CH_DATA, 0, buf, (size_t)n) == ORA_STREAM_POST_GONE)
      break; /* nobody listens any more */
  }
  ora_stream_post(st, ORA_CH_END, 0, NULL, 0);
out:
  ora_stream_drop(st);
  return NULL;
}

ora_stream *ora_stream_create(int kind) {
  ora_stream *st = calloc(1, sizeof *st);
  if (!st)
    return NULL;
  if (pipe2(st->wake, O_CLOEXEC)) {
    free(st);
    return NULL;
  }
  atomic_init(&st->refs, 1);
  atomic_init(&st->side.port_claimed, 0);
  st->fd = -1;
  st->side.kind = kind;
  st->is_socket = kind != ORA_STREAM_SERIAL;
  atomic_fetch_add(&g_live, 1);
  return st;
}

int ora_stream_start(ora_stream *st) {
  atomic_fetch_add(&st->refs, 1); /* the thread's */
  pthread_t th;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int rc = pthread_create(&th, &attr, run, st);
  pthread_attr_destroy(&attr);
  if (rc) {
    atomic_fetch_sub(&st->refs, 1);
    ora_stream_drop(st);
    return -1;
  }
  return 0;
}

uint32_t ora_stream_write_now(ora_stream *st, const uint8_t *p, size_t len) {
  uint64_t deadline = now_ms() + WRITE_BUDGET_MS;
  while (len) {
    ssize_t n = st->is_socket ? send(st->fd, p, len, MSG_NOSIGNAL) : write(st->fd, p, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN) {
        uint64_t now = now_ms();
        if (now >= deadline)
          return ORA_ERROR_HARDWARE_FAILURE;
        struct pollfd pf = {st->fd, POLLOUT, 0};
        poll(&pf, 1, (int)(deadline - now));
        continue;
      }
      return ORA_ERROR_HARDWARE_FAILURE;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static int addr_bytes(const struct sockaddr_storage *ss, int *family, uint8_t out[16]) {
  if (ss->ss_family == AF_INET) {
    memcpy(out, &((const struct sockaddr_in *)ss)->sin_addr, 4);
    *family = 4;
    return 0;
  }
  if (ss->ss_family == AF_INET6) {
    memcpy(out, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
    *family = 6;
    return 0;
  }
  return -1;
}

int ora_stream_addresses(ora_stream *st, int *family, uint8_t local[16], uint8_t remote[16]) {
  struct sockaddr_storage a, b;
  socklen_t al = sizeof a, bl = sizeof b;
  if (!st || !st->side.usable || !st->is_socket || st->side.kind == ORA_STREAM_HELPER ||
      getsockname(st->fd, (struct sockaddr *)&a, &al) != 0 ||
      getpeername(st->fd, (struct sockaddr *)&b, &bl) != 0)
    return -1;
  int fb = 0;
  if (addr_bytes(&a, family, local) || addr_bytes(&b, &fb, remote) || fb != *family)
    return -1;
  return 0;
}

int ora_stream_set_dtr(ora_stream *st, int on) {
  if (!st || !st->side.usable || st->side.kind != ORA_STREAM_SERIAL)
    return -1;
  int bit = TIOCM_DTR;
  return ioctl(st->fd, on ? TIOCMBIS : TIOCMBIC, &bit) == 0 ? 0 : -1;
}

void ora_stream_close(ora_stream *st) {
  if (!st)
    return;
  ora_stream_side_closing(st);
  ora_stream_releasing(st);
  if (st->side.usable)
    ora_stream_set_dtr(st, 0);
  st->side.closed = 1;
  st->side.usable = 0;
  char b = 0;
  while (write(st->wake[1], &b, 1) < 0 && errno == EINTR)
    ;
  ora_stream_drop(st);
}
