/* Small helpers shared by the PPP modules. */
#ifndef OPENRAS_PPP_UTIL_H
#define OPENRAS_PPP_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "openras/engine.h"
#include "openras/base/wipe.h"

static inline uint16_t ora_get16(const uint8_t *p) {
  return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t ora_get32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void ora_put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}
static inline void ora_put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* Secrets go through the engine's wipe, which the compiler may not elide. */
static inline void ora_ppp_wipe(void *p, size_t n) {
  ora_wipe(p, n);
}

#endif
