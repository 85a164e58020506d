/* The process's engine instance and the calls into it (engine_client.h). */
#include <windows.h>

#include <string.h>

#include "engine_client.h"

static INIT_ONCE g_once = INIT_ONCE_STATIC_INIT;
static ora_engine *g_engine;

static BOOL CALLBACK create_engine(INIT_ONCE *once, void *param, void **ctx) {
  (void)once, (void)param, (void)ctx;
  /* No phone-book settings: the DLL resolves phone books itself (pbk_access.c). */
  ora_engine_config cfg;
  memset(&cfg, 0, sizeof cfg);
  if (ora_engine_create(&cfg, &g_engine) != 0) {
    g_engine = NULL;
    return FALSE; /* INIT_ONCE lets a later call try again */
  }
  /* The engine's thread and the notifier threads run code of this DLL until the
   * process ends: keep the DLL loaded whatever FreeLibrary calls follow. */
  HMODULE self;
  GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                     (LPCWSTR)(void *)create_engine, &self);
  return TRUE;
}

static ora_engine *engine(void) {
  if (!InitOnceExecuteOnce(&g_once, create_engine, NULL, NULL))
    return NULL;
  return g_engine;
}

int orac_dial(const ora_dial_request *req, ora_event_fn sink, void *sink_ctx, ora_handle *out) {
  ora_engine *e = engine();
  *out = 0;
  if (!e)
    return ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
  return ora_engine_dial(e, req, sink, sink_ctx, out);
}

int orac_resume(ora_handle h, const ora_dial_request *req) {
  ora_engine *e = engine(); /* the manager may know handles this process never saw */
  return e ? ora_engine_resume(e, h, req) : ORA_ERROR_INVALID_HANDLE;
}

int orac_ack(ora_handle h, uint32_t seq, int keep_going) {
  ora_engine *e = engine(); /* the manager may know handles this process never saw */
  return e ? ora_engine_ack(e, h, seq, keep_going) : ORA_ERROR_INVALID_HANDLE;
}

int orac_hangup(ora_handle h) {
  ora_engine *e = engine(); /* the manager may know handles this process never saw */
  return e ? ora_engine_hangup(e, h) : ORA_ERROR_INVALID_HANDLE;
}

#define ORAC_DEFINE(MSG, name, T, put, get, how)                                                   \
  int orac_##name(ora_handle h, T *out) {                                                          \
    ora_engine *e = engine(); /* the manager may know handles this process never saw */            \
    return e ? ora_engine_##name(e, h, out) : ORA_ERROR_INVALID_HANDLE;                            \
  }
ORA_HANDLE_CALLS(ORAC_DEFINE)

int orac_enum(ora_conn_info *items, size_t cap, size_t *count) {
  ora_engine *e = engine();
  return e ? ora_engine_enum(e, items, cap, count) : ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
}

int orac_stats(ora_handle h, int clear, ora_stats *out) {
  ora_engine *e = engine();
  return e ? ora_engine_stats(e, h, clear, out) : ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
}

int orac_find(const char *phonebook, const char *entry, ora_handle *out) {
  ora_engine *e = engine();
  return e ? ora_engine_find(e, phonebook, entry, out) : ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
}

int orac_watch(ora_watch_fn fn, void *ctx, uint32_t *id) {
  ora_engine *e = engine();
  return e ? ora_engine_watch(e, fn, ctx, id) : ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
}
