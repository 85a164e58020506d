/* The Hayes (AT command) modem dialog: reset, init string, dial, and a hang-up
 * that also works from data mode ("+++" between guard times, then ATH). A state
 * machine with no I/O and no clock of its own: the driver feeds it the line's
 * bytes and timer expiries, and it answers through callbacks, so it is tested on
 * byte streams split anywhere (tests/native/test_link_hayes.c).
 *
 * Result codes (verbose, or numeric after ATV0) and the RAS errors they give:
 *   OK                          command done (after ATD: 651, no connection)
 *   CONNECT [speed][/...]       connected: the rest of the input is line data
 *   BUSY                        676 ORA_ERROR_LINE_BUSY
 *   NO ANSWER                   678 ORA_ERROR_NO_ANSWER
 *   NO CARRIER                  679 ORA_ERROR_NO_CARRIER
 *   NO DIALTONE, NO DIAL TONE   680 ORA_ERROR_NO_DIALTONE
 *   VOICE                       677 ORA_ERROR_VOICE_ANSWER
 *   ERROR, or any other line    651 ORA_ERROR_FROM_DEVICE (other lines only
 *                               while dialing; while resetting they are banner
 *                               text and ignored)
 *   no answer in time           692 ORA_ERROR_PORT_OR_DEVICE: a modem that stops
 *                               answering is a device fault (the engine's own
 *                               per-state watchdog, 638, stays the last resort)
 * Echoed commands (lines starting with "AT"), RING, blank lines and progress
 * lines (CARRIER, PROTOCOL, COMPRESSION, DIALING, RINGING, +MCR: ...) are
 * skipped. Lines are cut at ORA_HAYES_LINE_MAX bytes; control bytes other than
 * CR and LF are dropped. */
#ifndef OPENRAS_HAYES_H
#define OPENRAS_HAYES_H

#include <stddef.h>
#include <stdint.h>

#define ORA_HAYES_LINE_MAX 128 /* response line kept, terminator included */
#define ORA_HAYES_CMD_MAX 160  /* command, without the CR, terminator included */

enum ora_hayes_result {
  ORA_HAYES_NONE = 0, /* not a result: echo, blank, RING, progress text */
  ORA_HAYES_OK,
  ORA_HAYES_CONNECT,
  ORA_HAYES_NO_CARRIER,
  ORA_HAYES_ERROR,
  ORA_HAYES_NO_DIALTONE,
  ORA_HAYES_BUSY,
  ORA_HAYES_NO_ANSWER,
  ORA_HAYES_VOICE,
  ORA_HAYES_UNKNOWN /* a line we cannot read */
};

/* Classifies one response line (no line end; need not be NUL-terminated).
 * *speed gets the CONNECT speed, or 0 when the line gives none. */
int ora_hayes_classify(const char *line, size_t len, uint32_t *speed);
/* The RAS error a final result stands for (0 for OK and CONNECT). */
uint32_t ora_hayes_error(int result);

typedef struct ora_hayes_config {
  char reset[ORA_HAYES_CMD_MAX]; /* "ATZ"; "" skips the reset */
  char init[ORA_HAYES_CMD_MAX];  /* "ATE0V1"; "" skips it */
  char dial[ORA_HAYES_CMD_MAX];  /* the whole dial command, "ATDT5551234" */
  uint32_t cmd_timeout_ms;       /* answer to reset/init/ATH; 0 = 3000 */
  uint32_t dial_timeout_ms;      /* result of the dial; 0 = 90000 */
  uint32_t guard_ms;             /* escape guard time; 0 = 1000 */
  unsigned reset_tries;          /* reset sends before giving up; 0 = 2 */
} ora_hayes_config;

typedef struct ora_hayes_callbacks {
  void (*write)(void *ctx, const uint8_t *buf, size_t len);
  /* (Re)arms the dialog's single timer; 0 stops it. On expiry the driver calls
   * ora_hayes_timeout(). */
  void (*timer)(void *ctx, uint32_t ms);
  /* The dial (error 0: connected at speed, 0 if unknown) or the hang-up (error
   * always 0) finished. */
  void (*done)(void *ctx, uint32_t error, uint32_t speed);
} ora_hayes_callbacks;

typedef struct ora_hayes {
  ora_hayes_config cfg;
  ora_hayes_callbacks cb;
  void *ctx;
  int state;
  unsigned tries;
  char line[ORA_HAYES_LINE_MAX];
  size_t len;
  int overlong;
  int skip_lf; /* online after a CR that ended the input: drop a following LF */
  uint32_t speed;
} ora_hayes;

void ora_hayes_init(ora_hayes *h, const ora_hayes_config *cfg, const ora_hayes_callbacks *cb,
                    void *ctx);
/* Starts reset, init and dial; done() follows. */
void ora_hayes_dial(ora_hayes *h);
/* Bytes from the line. Returns how many it took: once CONNECT is read (done()
 * called with 0), the bytes after that line are the peer's data and are left to
 * the caller. */
size_t ora_hayes_input(ora_hayes *h, const uint8_t *buf, size_t len);
/* The timer armed through the callbacks expired. */
void ora_hayes_timeout(ora_hayes *h);
/* Hangs up: from data mode (after CONNECT) guard time, "+++", guard time, then
 * ATH; while dialing, a CR aborts the call first; then ATH. done(0) follows,
 * also when the modem does not answer. Returns 0 when started, or 1 when there
 * is nothing to hang up (never dialed, or already hung up): no done() then. */
int ora_hayes_hangup(ora_hayes *h);
/* The modem said NO CARRIER in data mode: the call is over and the modem on-hook,
 * so a later hang-up has nothing to do. */
void ora_hayes_carrier_lost(ora_hayes *h);
/* Nonzero between CONNECT and a hang-up. */
int ora_hayes_online(const ora_hayes *h);

#endif
