/* PAP (RFC 1334): we send Authenticate-Request with the user name and password
 * until the peer answers Ack or Nak, at most max_configure times. */
#include <string.h>

#include "openras/base/loop.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_util.h"

enum { PAP_REQ = 1, PAP_ACK = 2, PAP_NAK = 3 };

static void pap_timeout(void *arg);

static void pap_send(ora_ppp *s) {
  uint8_t pkt[4 + 1 + 255 + 1 + 255];
  char pw[ORA_PASSWORD_BYTES];
  if (ora_ppp_password(s, pw))
    pw[0] = '\0';
  size_t ul = strlen(s->cfg.user), pl = strlen(pw), n = 0;
  if (ul > 255) /* the length fields are one octet */
    ul = 255;
  if (pl > 255)
    pl = 255;
  pkt[n++] = PAP_REQ;
  pkt[n++] = ++s->auth_id;
  n += 2;
  pkt[n++] = (uint8_t)ul;
  memcpy(pkt + n, s->cfg.user, ul);
  n += ul;
  pkt[n++] = (uint8_t)pl;
  memcpy(pkt + n, pw, pl);
  n += pl;
  ora_ppp_wipe(pw, sizeof pw);
  ora_put16(pkt + 2, (uint16_t)n);
  s->auth_tries++;
  ora_ppp_send_frame(s, ORA_PPP_PROTO_PAP, pkt, n);
  ora_ppp_wipe(pkt, sizeof pkt);
  s->auth_timer = ora_loop_timer(s->loop, s->auth_wait_ms, pap_timeout, s);
}

static void pap_timeout(void *arg) {
  ora_ppp *s = arg;
  s->auth_timer = NULL;
  ora_ppp_enter(s);
  if (s->auth_tries >= s->lcp.t.max_configure) {
    ora_ppp_auth_finished(s, ORA_ERROR_PPP_TIMEOUT);
  } else {
    s->auth_wait_ms = ora_fsm_backoff(&s->lcp.t, s->auth_wait_ms);
    pap_send(s);
  }
  ora_ppp_leave(s);
}

void ora_pap_start(ora_ppp *s) {
  s->auth_tries = 0;
  s->auth_wait_ms = s->lcp.t.restart_initial_ms; /* then as the restart timer backs off */
  pap_send(s);
}

void ora_pap_input(ora_ppp *s, const uint8_t *pkt, size_t len) {
  if (len < 4 || s->auth_done)
    return;
  size_t plen = ora_get16(pkt + 2);
  if (plen < 4 || plen > len || pkt[1] != s->auth_id)
    return; /* damaged, or the answer to an older request */
  /* The message (Msg-Length + Message) is informational only and never read. */
  if (pkt[0] == PAP_ACK)
    ora_ppp_auth_finished(s, 0);
  else if (pkt[0] == PAP_NAK)
    ora_ppp_auth_finished(s, ORA_ERROR_AUTHENTICATION_FAILURE);
}

void ora_auth_stop(ora_ppp *s) {
  if (s->auth_timer) {
    ora_loop_cancel(s->loop, s->auth_timer);
    s->auth_timer = NULL;
  }
}
