/* Names of the RASCONNSTATE values, for phone-book keys, traces and samples. */
#include <string.h>

#include "openras/base/states.h"
#include "openras/base/text.h"
#include "openras/rasdefs.h"

static const struct {
  uint32_t state;
  const char *name;
} names[] = {
    {ORA_CS_OpenPort, "OpenPort"},
    {ORA_CS_PortOpened, "PortOpened"},
    {ORA_CS_ConnectDevice, "ConnectDevice"},
    {ORA_CS_DeviceConnected, "DeviceConnected"},
    {ORA_CS_AllDevicesConnected, "AllDevicesConnected"},
    {ORA_CS_Authenticate, "Authenticate"},
    {ORA_CS_AuthNotify, "AuthNotify"},
    {ORA_CS_AuthRetry, "AuthRetry"},
    {ORA_CS_AuthCallback, "AuthCallback"},
    {ORA_CS_AuthChangePassword, "AuthChangePassword"},
    {ORA_CS_AuthProject, "AuthProject"},
    {ORA_CS_AuthLinkSpeed, "AuthLinkSpeed"},
    {ORA_CS_AuthAck, "AuthAck"},
    {ORA_CS_ReAuthenticate, "ReAuthenticate"},
    {ORA_CS_Authenticated, "Authenticated"},
    {ORA_CS_PrepareForCallback, "PrepareForCallback"},
    {ORA_CS_WaitForModemReset, "WaitForModemReset"},
    {ORA_CS_WaitForCallback, "WaitForCallback"},
    {ORA_CS_Projected, "Projected"},
    {ORA_CS_StartAuthentication, "StartAuthentication"},
    {ORA_CS_CallbackComplete, "CallbackComplete"},
    {ORA_CS_LogonNetwork, "LogonNetwork"},
    {ORA_CS_SubEntryConnected, "SubEntryConnected"},
    {ORA_CS_SubEntryDisconnected, "SubEntryDisconnected"},
    {ORA_CS_ApplySettings, "ApplySettings"},
    {ORA_CS_Interactive, "Interactive"},
    {ORA_CS_RetryAuthentication, "RetryAuthentication"},
    {ORA_CS_CallbackSetByCaller, "CallbackSetByCaller"},
    {ORA_CS_PasswordExpired, "PasswordExpired"},
    {ORA_CS_InvokeEapUI, "InvokeEapUI"},
    {ORA_CS_Connected, "Connected"},
    {ORA_CS_Disconnected, "Disconnected"},
};

const char *ora_state_name(uint32_t state) {
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (names[i].state == state)
      return names[i].name;
  return NULL;
}

int ora_state_from_name(const char *name, uint32_t *state) {
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (ora_ieq(names[i].name, name)) {
      *state = names[i].state;
      return 0;
    }
  return -1;
}
