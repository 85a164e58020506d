/* The Hayes modem as a dial stage before a channel: it talks AT commands on the
 * channel's raw bytes until CONNECT, watches the data for the modem's own NO CARRIER,
 * and hangs up with "+++" and ATH (link/hayes.h is the dialog itself). Loop thread. */
#ifndef OPENRAS_LINK_MODEM_H
#define OPENRAS_LINK_MODEM_H

#include <stddef.h>
#include <stdint.h>

#include "link/chan.h"
#include "link/hayes.h"

struct ora_loop;
typedef struct ora_modem ora_modem;

/* done: the dial finished (error 0: connected at speed, 0 if unknown) or, after
 * ora_modem_hangup, the hang-up did (error 0). */
int ora_modem_create(struct ora_loop *loop, const ora_hayes_config *cfg, ora_chan *chan,
                     void (*done)(void *ctx, uint32_t error, uint32_t speed), void *ctx,
                     ora_modem **out);
void ora_modem_destroy(ora_modem *m);

void ora_modem_dial(ora_modem *m);
/* Line bytes while the dialog runs (dialed, not online yet): how many it took. */
int ora_modem_in_dialog(const ora_modem *m);
size_t ora_modem_input(ora_modem *m, const uint8_t *buf, size_t len);
int ora_modem_online(const ora_modem *m);
/* Data-mode bytes: 1 when the modem said NO CARRIER (the call is gone; the dialog
 * knows it), 0 otherwise. The pattern may span chunks. */
int ora_modem_carrier_lost(ora_modem *m, const uint8_t *buf, size_t len);
/* Starts the hang-up dialog: 0 (done() follows), or -1 when there is nothing to hang
 * up (never dialed). */
int ora_modem_hangup(ora_modem *m);

#endif
