/* The link drivers the engine can choose from, by the name an entry gives. */
#include <string.h>

#include "link/link.h"
#include "link/ppp_link.h"

extern const ora_link_ops ora_link_sim;

static const ora_link_ops *const drivers[] = {&ora_link_sim,  &ora_link_modem, &ora_link_direct,
                                              &ora_link_null, &ora_link_tcp,   &ora_link_l2tp,
                                              &ora_link_vpn};

const ora_link_ops *ora_link_find(const char *name) {
  for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
    const char *a = drivers[i]->name, *b = name;
    while (*a && *b && (*a | 32) == (*b | 32))
      a++, b++;
    if (!*a && !*b)
      return drivers[i];
  }
  return NULL;
}
