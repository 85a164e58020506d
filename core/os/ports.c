/* The process's table of claimed serial ports (os/ports.h). Tiny and rarely
 * touched (once per open and close), so a list under a spin lock: it needs no
 * initialisation, which a static mutex would on Windows. */
#include "os/ports.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "openras/base/text.h"
#include "openras/rasdefs.h"
#include "openras/os.h"

#define POLL_MS 20u

typedef struct port {
  struct port *next;
  int releasing;
  char name[];
} port;

static atomic_flag g_lock = ATOMIC_FLAG_INIT;
static port *g_ports;

static void lock(void) {
  while (atomic_flag_test_and_set_explicit(&g_lock, memory_order_acquire))
    ;
}

static void unlock(void) {
  atomic_flag_clear_explicit(&g_lock, memory_order_release);
}

/* "\\.\COM5" and "COM5" name the same port on Windows. */
static const char *bare(const char *name) {
  return strncmp(name, "\\\\.\\", 4) == 0 ? name + 4 : name;
}

static int same_name(const char *a, const char *b) {
  return ora_ieq(bare(a), bare(b));
}

static port **find(const char *name) {
  port **pp = &g_ports;
  while (*pp && !same_name((*pp)->name, name))
    pp = &(*pp)->next;
  return pp;
}

uint32_t ora_port_claim(const char *target, uint32_t max_wait_ms, ora_port_wait_fn wait,
                        void *arg) {
  size_t n = strlen(target);
  port *mine = malloc(sizeof *mine + n + 1);
  if (!mine)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  mine->releasing = 0;
  memcpy(mine->name, target, n + 1);
  uint64_t deadline = ora_now_ms() + max_wait_ms;
  for (;;) {
    lock();
    port **pp = find(target);
    if (!*pp) {
      mine->next = g_ports;
      g_ports = mine;
      unlock();
      return 0;
    }
    int releasing = (*pp)->releasing;
    unlock();
    uint64_t now = ora_now_ms();
    if (!releasing || now >= deadline ||
        wait(arg, (uint32_t)(deadline - now < POLL_MS ? deadline - now : POLL_MS))) {
      free(mine);
      return ORA_ERROR_PORT_NOT_AVAILABLE;
    }
  }
}

void ora_port_releasing(const char *target) {
  lock();
  port *p = *find(target);
  if (p)
    p->releasing = 1;
  unlock();
}

void ora_port_release(const char *target) {
  lock();
  port **pp = find(target), *p = *pp;
  if (p)
    *pp = p->next;
  unlock();
  free(p);
}

unsigned ora_port_count(void) {
  unsigned n = 0;
  lock();
  for (const port *p = g_ports; p; p = p->next)
    n++;
  unlock();
  return n;
}
