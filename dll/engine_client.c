/* The process's engine instance (engine_client.h). */
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

ora_engine *orac_engine(void) {
  if (!InitOnceExecuteOnce(&g_once, create_engine, NULL, NULL))
    return NULL;
  return g_engine;
}
