/* CHAP (RFC 1994) with MD5 and MS-CHAPv2 (RFC 2759). We only respond: the peer
 * sends Challenge, we answer with Response, it says Success or Failure. For
 * MS-CHAPv2 the Success message must carry the authenticator response that proves
 * the server knows the password too; otherwise authentication fails. Once the link
 * is up the peer may challenge again (RFC 1994 4): the session keeps the password
 * sealed (secret.h) until the link goes down. */
#include <string.h>

#include "crypto.h"
#include "openras/base/loop.h"
#include "openras/os.h"
#include "ppp/mschap.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_util.h"

enum { CHAP_CHALLENGE = 1, CHAP_RESPONSE = 2, CHAP_SUCCESS = 3, CHAP_FAILURE = 4 };

static void chap_timeout(void *arg) {
  ora_ppp *s = arg;
  s->auth_timer = NULL;
  ora_ppp_enter(s);
  ora_ppp_auth_finished(s, ORA_ERROR_PPP_TIMEOUT);
  ora_ppp_leave(s);
}

void ora_chap_start(ora_ppp *s) {
  s->chap_have_resp = 0;
  /* The authenticator retransmits its challenge; give it the whole budget. */
  s->auth_timer =
      ora_loop_timer(s->loop, s->lcp.t.restart_ms * s->lcp.t.max_configure, chap_timeout, s);
}

static void send_response(ora_ppp *s) {
  uint8_t pkt[4 + 1 + 64 + ORA_USER_BYTES];
  size_t ul = strlen(s->cfg.user), n = 0;
  if (ul > sizeof pkt - 5 - s->chap_resp_len)
    ul = sizeof pkt - 5 - s->chap_resp_len;
  pkt[n++] = CHAP_RESPONSE;
  pkt[n++] = s->auth_id;
  n += 2;
  pkt[n++] = (uint8_t)s->chap_resp_len;
  memcpy(pkt + n, s->chap_resp, s->chap_resp_len);
  n += s->chap_resp_len;
  memcpy(pkt + n, s->cfg.user, ul);
  n += ul;
  ora_put16(pkt + 2, (uint16_t)n);
  ora_ppp_send_frame(s, ORA_PPP_PROTO_CHAP, pkt, n);
}

static int answer_md5(ora_ppp *s, const char *pw, uint8_t id, const uint8_t *ch, size_t chl) {
  ora_crypto_part parts[3] = {{&id, 1}, {pw, strlen(pw)}, {ch, chl}};
  s->chap_resp_len = 16;
  return ora_md5_parts(parts, 3, s->chap_resp);
}

static int answer_mschapv2(ora_ppp *s, const char *pw, const uint8_t *ch, size_t chl) {
  uint8_t peer[16];
  if (chl != 16)
    return -1;
  if (ora_random(peer, sizeof peer))
    return -1;
  /* Response value: Peer-Challenge, 8 reserved zero octets, NT-Response, Flags. */
  memset(s->chap_resp, 0, 49);
  memcpy(s->chap_resp, peer, 16);
  if (ora_mschap_nt_response(ch, peer, s->cfg.user, pw, s->chap_resp + 24) ||
      ora_mschap_authenticator_response(pw, s->chap_resp + 24, peer, ch, s->cfg.user,
                                        s->chap_expect) ||
      ora_mschap_mppe_master_key(pw, s->chap_resp + 24, s->mppe_master))
    return -1;
  s->chap_resp_len = 49;
  return 0;
}

static int answer(ora_ppp *s, uint8_t id, const uint8_t *ch, size_t chl) {
  char pw[ORA_PASSWORD_BYTES];
  if (ora_ppp_password(s, pw))
    return -1;
  int rc = s->auth_alg == ORA_CHAP_MSV2 ? answer_mschapv2(s, pw, ch, chl)
                                        : answer_md5(s, pw, id, ch, chl);
  ora_ppp_wipe(pw, sizeof pw);
  return rc;
}

static void on_challenge(ora_ppp *s, uint8_t id, const uint8_t *d, size_t dl) {
  if (dl < 1 || d[0] == 0 || (size_t)d[0] + 1 > dl)
    return; /* Value-Size missing, zero or past the end */
  /* After success the peer may challenge again at any time (RFC 1994 4), which is
   * answered once the link is up. */
  if (s->auth_done && s->phase != ORA_PPP_NETWORK)
    return;
  if (s->chap_have_resp && id == s->auth_id) {
    send_response(s); /* retransmitted challenge: the same answer */
    return;
  }
  if (answer(s, id, d + 1, d[0]))
    return; /* a challenge we cannot answer (wrong size, no password): the peer gives up */
  s->auth_id = id;
  s->chap_have_resp = 1;
  s->chap_rechallenge = s->auth_done;
  send_response(s);
}

/* Case-insensitive search of "S=" plus 40 hex digits in an MS-CHAPv2 message. */
static int success_ok(const ora_ppp *s, const uint8_t *m, size_t ml) {
  for (size_t i = 0; i + 42 <= ml; i++) {
    if (m[i] != 'S' || m[i + 1] != '=')
      continue;
    size_t j;
    for (j = 2; j < 42; j++) {
      uint8_t c = m[i + j], e = (uint8_t)s->chap_expect[j];
      if (c >= 'a' && c <= 'f')
        c = (uint8_t)(c - 'a' + 'A');
      if (c != e)
        break;
    }
    if (j == 42)
      return 1;
  }
  return 0;
}

/* An MS-CHAPv2 Failure message "E=691 R=0 C=... V=3 M=..." carries the error. */
static uint32_t failure_code(const uint8_t *m, size_t ml) {
  for (size_t i = 0; i + 2 < ml; i++) {
    if (m[i] != 'E' || m[i + 1] != '=' || (i && m[i - 1] != ' '))
      continue;
    uint32_t v = 0;
    size_t j = i + 2;
    while (j < ml && j < i + 8 && m[j] >= '0' && m[j] <= '9')
      v = v * 10 + (uint32_t)(m[j++] - '0');
    if (v >= 600 && v <= 899)
      return v;
    break;
  }
  return ORA_ERROR_AUTHENTICATION_FAILURE;
}

/* The answer to a challenge: the first ends authentication; a re-challenge that
 * fails ends the link (the peer hangs up anyway), one that succeeds changes nothing. */
static void finished(ora_ppp *s, uint32_t error) {
  if (!s->auth_done) {
    ora_ppp_auth_finished(s, error);
    return;
  }
  s->chap_rechallenge = 0;
  if (error)
    ora_ppp_fail(s, error);
}

void ora_chap_input(ora_ppp *s, const uint8_t *pkt, size_t len) {
  if (len < 4)
    return;
  size_t plen = ora_get16(pkt + 2);
  if (plen < 4 || plen > len)
    return;
  const uint8_t *d = pkt + 4;
  size_t dl = plen - 4;
  switch (pkt[0]) {
  case CHAP_CHALLENGE:
    on_challenge(s, pkt[1], d, dl);
    break;
  case CHAP_SUCCESS:
    if (!s->chap_have_resp || pkt[1] != s->auth_id || (s->auth_done && !s->chap_rechallenge))
      return;
    if (s->auth_alg == ORA_CHAP_MSV2 && !success_ok(s, d, dl)) {
      finished(s, ORA_ERROR_AUTHENTICATION_FAILURE); /* server not genuine */
    } else {
      /* The keys of this answer: a genuine server derives the same ones. */
      if (s->auth_alg == ORA_CHAP_MSV2 &&
          ora_mschap_mppe_client_key(s->mppe_master, 1, s->mppe_send) == 0 &&
          ora_mschap_mppe_client_key(s->mppe_master, 0, s->mppe_recv) == 0)
        s->have_mppe = 1;
      ora_ppp_wipe(s->mppe_master, sizeof s->mppe_master);
      finished(s, 0);
    }
    break;
  case CHAP_FAILURE:
    if (!s->chap_have_resp || pkt[1] != s->auth_id || (s->auth_done && !s->chap_rechallenge))
      return;
    finished(s,
             s->auth_alg == ORA_CHAP_MSV2 ? failure_code(d, dl) : ORA_ERROR_AUTHENTICATION_FAILURE);
    break;
  default:
    break;
  }
}
