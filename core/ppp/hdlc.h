/* RFC 1662 asynchronous HDLC-like framing: byte stuffing with an ACCM, FCS-16 or
 * FCS-32, and the PPP header with optional address/control and protocol field
 * compression. Knows nothing of the protocols inside the frames. */
#ifndef OPENRAS_PPP_HDLC_H
#define OPENRAS_PPP_HDLC_H

#include <stddef.h>
#include <stdint.h>

#define ORA_HDLC_FLAG 0x7e
#define ORA_HDLC_ESC 0x7d
#define ORA_FCS16_INIT 0xffffu
#define ORA_FCS16_GOOD 0xf0b8u /* residue over data plus its FCS */
#define ORA_FCS32_INIT 0xffffffffu
#define ORA_FCS32_GOOD 0xdebb20e3u

uint16_t ora_fcs16(uint16_t fcs, const uint8_t *p, size_t n);
uint32_t ora_fcs32(uint32_t fcs, const uint8_t *p, size_t n);

/* Worst case encoded size of a frame of n bytes (header included): every byte and
 * the FCS escaped, plus the two flags. */
#define ORA_HDLC_ENCODED_MAX(n) (2 * ((n) + 4) + 2)

/* Encodes one frame: opening flag, header (FF 03 unless acfc, the protocol in one
 * byte when pfc and it fits), info, FCS, closing flag, escaping every byte below
 * 0x20 set in accm plus 0x7d and 0x7e. Returns the encoded length, or 0 when cap
 * is too small. */
size_t ora_hdlc_encode(uint8_t *out, size_t cap, uint16_t proto, const uint8_t *info, size_t len,
                       uint32_t accm, int acfc, int pfc, int fcs32);

/* The same for a frame whose PPP header is already in place (frame = header and
 * info, as a frame-level PPP session hands it over). */
size_t ora_hdlc_encode_frame(uint8_t *out, size_t cap, const uint8_t *frame, size_t len,
                             uint32_t accm, int fcs32);

/* Incremental decoder. Feed it any slice of the byte stream; each complete frame
 * with a good FCS is handed to the callback without its FCS (header still in). */
typedef void (*ora_hdlc_frame_fn)(void *ctx, const uint8_t *frame, size_t len);

typedef struct ora_hdlc_dec {
  uint8_t *buf;
  size_t cap; /* the longest frame accepted, FCS included */
  size_t len;
  int escaped;
  int overflow;  /* frame being received is too long: skip to the next flag */
  int fcs32;     /* FCS size in use */
  uint32_t accm; /* receive ACCM: unescaped control characters set here are dropped */
  /* Counters (never reset by the decoder). */
  uint64_t frames, crc_errors, framing_errors, overruns, aborts;
} ora_hdlc_dec;

void ora_hdlc_dec_init(ora_hdlc_dec *d, uint8_t *buf, size_t cap);
void ora_hdlc_dec_input(ora_hdlc_dec *d, const uint8_t *p, size_t n, ora_hdlc_frame_fn fn,
                        void *ctx);

/* Splits a decoded frame into protocol and info. The address/control field may be
 * omitted only when allow_acfc, a one-byte protocol only when allow_pfc (what we
 * asked for and the peer acknowledged). Returns 0, or -1 for a malformed header. */
int ora_ppp_header_parse(const uint8_t *frame, size_t len, int allow_acfc, int allow_pfc,
                         uint16_t *proto, const uint8_t **info, size_t *info_len);

#endif
