/* The simulated link: a scriptable far end for testing programs against every
 * outcome of a dial without hardware. Configured by ORA_Sim* keys of the phone-book
 * entry (docs/simulated-link.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openras/base/loop.h"
#include "openras/base/text.h"
#include "link/link.h"
#include "openras/pbk.h"
#include "openras/base/wipe.h"

#define MAX_DELAYS 32

struct ora_link {
  ora_link_ctx *ctx;
  ora_loop *loop;
  ora_timer *timer;
  uint32_t state; /* the state being worked on */
  uint32_t step_ms;
  struct {
    uint32_t state, ms;
  } delays[MAX_DELAYS];
  size_t ndelays;
  int fail_set;
  uint32_t fail_state, fail_error;
  uint32_t connect_error; /* ORA_SimResult */
  int check_creds;
  char user[ORA_USER_BYTES], password[ORA_PASSWORD_BYTES];         /* what the server accepts */
  char got_user[ORA_USER_BYTES], got_password[ORA_PASSWORD_BYTES]; /* what the caller gave */
  int password_expired;
  int interactive, interactive_done;
  int callback; /* the server offers callback */
  char callback_number[ORA_PHONE_BYTES];
  int paused_states;
  uint32_t drop_after_ms;
  ora_status info;
  uint32_t local_ip, server_ip; /* host order */
};

/* "State:number,State:number" -> calls add(state, number); returns -1 on a bad item. */
static int parse_pairs(const char *s, void (*add)(ora_link *, uint32_t, uint32_t), ora_link *l) {
  while (s && *s) {
    char name[40];
    size_t n = 0;
    while (*s == ' ' || *s == ',')
      s++;
    if (!*s)
      break;
    while (*s && *s != ':' && n + 1 < sizeof name)
      name[n++] = *s++;
    name[n] = '\0';
    if (*s != ':')
      return -1;
    s++;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s)
      return -1;
    s = end;
    uint32_t st;
    if (ora_state_from_name(name, &st) != 0)
      return -1;
    add(l, st, (uint32_t)v);
  }
  return 0;
}

static void add_delay(ora_link *l, uint32_t st, uint32_t ms) {
  if (l->ndelays < MAX_DELAYS) {
    l->delays[l->ndelays].state = st;
    l->delays[l->ndelays].ms = ms;
    l->ndelays++;
  }
}

static void add_fail(ora_link *l, uint32_t st, uint32_t err) {
  l->fail_set = 1;
  l->fail_state = st;
  l->fail_error = err;
}

static uint32_t delay_of(const ora_link *l, uint32_t st) {
  for (size_t i = 0; i < l->ndelays; i++)
    if (l->delays[i].state == st)
      return l->delays[i].ms;
  return l->step_ms;
}

static int sim_create(const ora_link_params *p, ora_link_ctx *ctx, ora_link **out) {
  ora_link *l = calloc(1, sizeof *l);
  if (!l)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  const ora_pbk *pb = p->pbk;
  const char *e = p->entry;
  l->ctx = ctx;
  l->loop = p->loop;
  int64_t step = pb ? ora_pbk_get_int(pb, e, "ORA_SimStepMs", 0) : 0;
  l->step_ms = (step >= 0 && step < 3600000) ? (uint32_t)step : 0;
  const char *s;
  int bad = 0;
  if (pb && (s = ora_pbk_get(pb, e, "ORA_SimDelay")))
    bad |= parse_pairs(s, add_delay, l);
  if (pb && (s = ora_pbk_get(pb, e, "ORA_SimFail")))
    bad |= parse_pairs(s, add_fail, l);
  if (pb && (s = ora_pbk_get(pb, e, "ORA_SimResult"))) {
    static const struct {
      const char *name;
      uint32_t err;
    } results[] = {{"busy", ORA_ERROR_LINE_BUSY},       {"noanswer", ORA_ERROR_NO_ANSWER},
                   {"nocarrier", ORA_ERROR_NO_CARRIER}, {"nodialtone", ORA_ERROR_NO_DIALTONE},
                   {"voice", ORA_ERROR_VOICE_ANSWER},   {"ok", 0}};
    size_t i;
    for (i = 0; i < sizeof results / sizeof results[0]; i++)
      if (strcmp(s, results[i].name) == 0)
        break;
    if (i == sizeof results / sizeof results[0])
      bad = 1;
    else
      l->connect_error = results[i].err;
  }
  if (bad) {
    free(l);
    return ORA_ERROR_CANNOT_LOAD_PHONEBOOK; /* a key we cannot read must not dial */
  }
  const char *u = pb ? ora_pbk_get(pb, e, "ORA_SimUser") : NULL;
  const char *pw = pb ? ora_pbk_get(pb, e, "ORA_SimPassword") : NULL;
  l->check_creds = u || pw;
  ora_copy_str(l->user, sizeof l->user, u);
  ora_copy_str(l->password, sizeof l->password, pw);
  ora_copy_str(l->got_user, sizeof l->got_user, p->req->user);
  ora_copy_str(l->got_password, sizeof l->got_password, p->req->password);
  l->password_expired = pb ? ora_pbk_get_bool(pb, e, "ORA_SimPasswordExpired", 0) : 0;
  l->interactive = pb ? ora_pbk_get_bool(pb, e, "ORA_SimInteractive", 0) : 0;
  l->callback = pb ? ora_pbk_get_bool(pb, e, "ORA_SimCallback", 0) : 0;
  ora_copy_str(l->callback_number, sizeof l->callback_number, p->req->callback_number);
  if (l->callback && strcmp(l->callback_number, "*") == 0 &&
      !(p->req->options & ORA_RDEOPT_PausedStates) && pb) {
    /* Without paused states "*" means the phone book's callback number; with none
     * there, the dial reaches CallbackSetByCaller and fails with 704. */
    const char *cb = ora_pbk_get(pb, e, "CallbackNumber");
    if (cb && cb[0])
      ora_copy_str(l->callback_number, sizeof l->callback_number, cb);
  }
  l->paused_states = (p->req->options & ORA_RDEOPT_PausedStates) != 0;
  int64_t drop = pb ? ora_pbk_get_int(pb, e, "ORA_SimDropAfterMs", 0) : 0;
  l->drop_after_ms = (drop > 0 && drop < 24 * 3600 * 1000) ? (uint32_t)drop : 0;

  ora_copy_str(l->info.device_type, sizeof l->info.device_type,
               pb && (s = ora_pbk_get(pb, e, "ORA_SimDeviceType")) ? s : "modem");
  ora_copy_str(l->info.device_name, sizeof l->info.device_name,
               pb && (s = ora_pbk_get(pb, e, "ORA_SimDeviceName")) ? s : "OpenRAS Simulated Modem");
  ora_copy_str(l->info.phone_number, sizeof l->info.phone_number,
               p->req->phone_number[0] ? p->req->phone_number
                                       : (pb ? ora_pbk_get(pb, e, "PhoneNumber") : NULL));
  /* Unset or unreadable: 10.0.0.2 and 10.0.0.1. */
  if (!pb || ora_ipv4_parse(ora_pbk_get(pb, e, "ORA_SimLocalIp"), &l->local_ip) != 0)
    l->local_ip = 0x0a000002;
  if (!pb || ora_ipv4_parse(ora_pbk_get(pb, e, "ORA_SimServerIp"), &l->server_ip) != 0)
    l->server_ip = 0x0a000001;
  *out = l;
  return 0;
}

static void dropped(void *arg) {
  ora_link *l = arg;
  l->timer = NULL;
  ora_link_down(l->ctx, ORA_ERROR_REMOTE_DISCONNECTION);
}

/* What the simulated server does after state `st` finished. */
static void finish(void *arg) {
  ora_link *l = arg;
  l->timer = NULL;
  uint32_t st = l->state, next;
  if (l->fail_set && l->fail_state == st) {
    ora_link_next(l->ctx, st, l->fail_error, 0);
    return;
  }
  switch (st) {
  case ORA_CS_OpenPort:
    next = ORA_CS_PortOpened;
    break;
  case ORA_CS_PortOpened:
    next = ORA_CS_ConnectDevice;
    break;
  case ORA_CS_ConnectDevice:
    if (l->connect_error) {
      ora_link_next(l->ctx, st, l->connect_error, 0);
      return;
    }
    next = ORA_CS_DeviceConnected;
    break;
  case ORA_CS_DeviceConnected:
    next =
        (l->interactive && !l->interactive_done) ? ORA_CS_Interactive : ORA_CS_AllDevicesConnected;
    break;
  case ORA_CS_AllDevicesConnected:
    next = ORA_CS_Authenticate;
    break;
  case ORA_CS_Authenticate:
  case ORA_CS_AuthRetry:
  case ORA_CS_AuthChangePassword:
    next = ORA_CS_AuthNotify;
    break;
  case ORA_CS_AuthNotify:
    if (l->check_creds &&
        (strcmp(l->user, l->got_user) != 0 || strcmp(l->password, l->got_password) != 0))
      next = ORA_CS_RetryAuthentication;
    else if (l->password_expired)
      next = ORA_CS_PasswordExpired;
    else if (l->callback && l->callback_number[0])
      next = ORA_CS_AuthCallback;
    else
      next = ORA_CS_AuthProject;
    break;
  case ORA_CS_AuthCallback:
    next = strcmp(l->callback_number, "*") == 0 ? ORA_CS_CallbackSetByCaller
                                                : ORA_CS_PrepareForCallback;
    break;
  case ORA_CS_PrepareForCallback:
    next = ORA_CS_WaitForModemReset;
    break;
  case ORA_CS_WaitForModemReset:
    next = ORA_CS_WaitForCallback;
    break;
  case ORA_CS_WaitForCallback:
    next = ORA_CS_CallbackComplete;
    break;
  case ORA_CS_CallbackComplete:
    next = ORA_CS_AuthProject;
    break;
  case ORA_CS_AuthProject:
    next = ORA_CS_Authenticated;
    break;
  case ORA_CS_Authenticated:
    next = ORA_CS_Projected;
    break;
  case ORA_CS_Projected:
    next = ORA_CS_Connected;
    if (l->drop_after_ms)
      l->timer = ora_loop_timer(l->loop, l->drop_after_ms, dropped, l);
    break;
  default:
    next = ORA_CS_Disconnected; /* a state this far end never leads to */
    break;
  }
  ora_link_next(l->ctx, next, 0, 0);
}

static void sim_step(ora_link *l, uint32_t state) {
  l->state = state;
  l->timer = ora_loop_timer(l->loop, delay_of(l, state), finish, l);
}

static void sim_resume(ora_link *l, uint32_t paused, const ora_dial_request *req) {
  uint32_t next;
  switch (paused) {
  case ORA_CS_RetryAuthentication:
    ora_copy_str(l->got_user, sizeof l->got_user, req->user);
    ora_copy_str(l->got_password, sizeof l->got_password, req->password);
    next = ORA_CS_AuthRetry;
    break;
  case ORA_CS_PasswordExpired:
    /* The server takes the new password; it is the one to check from now on. */
    ora_copy_str(l->password, sizeof l->password, req->password);
    ora_copy_str(l->got_password, sizeof l->got_password, req->password);
    l->password_expired = 0;
    next = ORA_CS_AuthChangePassword;
    break;
  case ORA_CS_CallbackSetByCaller:
    ora_copy_str(l->callback_number, sizeof l->callback_number, req->callback_number);
    next = (l->callback_number[0] && strcmp(l->callback_number, "*") != 0)
               ? ORA_CS_PrepareForCallback
               : ORA_CS_AuthProject; /* no number given: no callback */
    break;
  case ORA_CS_Interactive:
    l->interactive_done = 1;
    next = ORA_CS_AllDevicesConnected;
    break;
  default:
    next = ORA_CS_Disconnected;
    break;
  }
  ora_link_next(l->ctx, next, 0, 0);
}

static void sim_hangup(ora_link *l) {
  ora_loop_cancel(l->loop, l->timer);
  l->timer = NULL;
  ora_link_closed(l->ctx);
}

static void sim_destroy(ora_link *l) {
  ora_loop_cancel(l->loop, l->timer);
  ora_wipe(l, sizeof *l);
  free(l);
}

static void sim_status(ora_link *l, ora_status *out) {
  memcpy(out->device_type, l->info.device_type, sizeof out->device_type);
  memcpy(out->device_name, l->info.device_name, sizeof out->device_name);
  memcpy(out->phone_number, l->info.phone_number, sizeof out->phone_number);
}

static int sim_ip(ora_link *l, ora_ip_projection *out) {
  out->local = l->local_ip;
  out->server = l->server_ip;
  return 0;
}

const ora_link_ops ora_link_sim = {
    .name = "sim",
    .create = sim_create,
    .step = sim_step,
    .resume = sim_resume,
    .hangup = sim_hangup,
    .destroy = sim_destroy,
    .status = sim_status,
    .ip_projection = sim_ip,
};
