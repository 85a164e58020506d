/* RAS numbers shared by the core and the DLL: connection states, dial options and
 * error codes. The values are those of the documented RAS API (ras.h, raserror.h);
 * the names carry an ORA_ prefix so this header never clashes with windows.h. */
#ifndef OPENRAS_RASDEFS_H
#define OPENRAS_RASDEFS_H

#include <stdint.h>

/* RASCONNSTATE */
enum {
  ORA_CS_OpenPort = 0,
  ORA_CS_PortOpened,
  ORA_CS_ConnectDevice,
  ORA_CS_DeviceConnected,
  ORA_CS_AllDevicesConnected,
  ORA_CS_Authenticate,
  ORA_CS_AuthNotify,
  ORA_CS_AuthRetry,
  ORA_CS_AuthCallback,
  ORA_CS_AuthChangePassword,
  ORA_CS_AuthProject,
  ORA_CS_AuthLinkSpeed,
  ORA_CS_AuthAck,
  ORA_CS_ReAuthenticate,
  ORA_CS_Authenticated,
  ORA_CS_PrepareForCallback,
  ORA_CS_WaitForModemReset,
  ORA_CS_WaitForCallback,
  ORA_CS_Projected,
  ORA_CS_StartAuthentication,
  ORA_CS_CallbackComplete,
  ORA_CS_LogonNetwork,
  ORA_CS_SubEntryConnected,
  ORA_CS_SubEntryDisconnected,
  ORA_CS_ApplySettings,
  ORA_CS_RUNNING_LAST = ORA_CS_ApplySettings,

  ORA_CS_PAUSED = 0x1000,
  ORA_CS_Interactive = ORA_CS_PAUSED,
  ORA_CS_RetryAuthentication,
  ORA_CS_CallbackSetByCaller,
  ORA_CS_PasswordExpired,
  ORA_CS_InvokeEapUI,
  ORA_CS_PAUSED_LAST = ORA_CS_InvokeEapUI,

  ORA_CS_DONE = 0x2000,
  ORA_CS_Connected = ORA_CS_DONE,
  ORA_CS_Disconnected
};

/* A state the dial works through on its own (OpenPort ... ApplySettings). */
static inline int ora_state_is_running(uint32_t s) {
  return s <= ORA_CS_RUNNING_LAST;
}
/* A paused state: the dial waits for RasDial to resume it (RASCS_PAUSED ... ). */
static inline int ora_state_is_paused(uint32_t s) {
  return s >= ORA_CS_PAUSED && s <= ORA_CS_PAUSED_LAST;
}

/* RASCONNSUBSTATE */
enum {
  ORA_CSS_None = 0,
  ORA_CSS_Dormant = 1,
  ORA_CSS_Reconnecting = 2,
  ORA_CSS_Reconnected = 0x2000
};

/* RASDIALEXTENSIONS.dwfOptions */
enum {
  ORA_RDEOPT_UsePrefixSuffix = 0x1,
  ORA_RDEOPT_PausedStates = 0x2,
  ORA_RDEOPT_IgnoreModemSpeaker = 0x4,
  ORA_RDEOPT_SetModemSpeaker = 0x8,
  ORA_RDEOPT_IgnoreSoftwareCompression = 0x10,
  ORA_RDEOPT_SetSoftwareCompression = 0x20,
  ORA_RDEOPT_DisableConnectedUI = 0x40,
  ORA_RDEOPT_DisableReconnectUI = 0x80,
  ORA_RDEOPT_DisableReconnect = 0x100,
  ORA_RDEOPT_NoUser = 0x200,
  ORA_RDEOPT_PauseOnScript = 0x400,
  ORA_RDEOPT_Router = 0x800,
  ORA_RDEOPT_CustomDial = 0x1000,
  ORA_RDEOPT_UseCustomScripting = 0x2000,
  ORA_RDEOPT_InvokeAutoTriggerCredentialUI = 0x4000,
  ORA_RDEOPT_EapInfoCryptInCapable = 0x8000,
  ORA_RDEOPT_ALL = 0xFFFF
};

/* Win32 error codes the RAS API returns. */
enum {
  ORA_ERROR_SUCCESS = 0,
  ORA_ERROR_INVALID_HANDLE = 6,
  ORA_ERROR_NOT_ENOUGH_MEMORY = 8,
  ORA_ERROR_INVALID_PARAMETER = 87,
  ORA_ERROR_CALL_NOT_IMPLEMENTED = 120,
  ORA_ERROR_INSUFFICIENT_BUFFER = 122
};

/* raserror.h codes (RASBASE 600) used by the engine and drivers. */
enum {
  ORA_RASBASE = 600,
  ORA_ERROR_BUFFER_TOO_SMALL = 603,
  ORA_ERROR_WRONG_INFO_SPECIFIED = 604,
  ORA_ERROR_INVALID_PORT_HANDLE = 601,
  ORA_ERROR_PORT_ALREADY_OPEN = 602,
  ORA_ERROR_CANNOT_SET_PORT_INFO = 605,
  ORA_ERROR_PORT_NOT_CONNECTED = 606,
  ORA_ERROR_DEVICE_DOES_NOT_EXIST = 608,
  ORA_ERROR_DEVICETYPE_DOES_NOT_EXIST = 609,
  ORA_ERROR_PORT_NOT_FOUND = 615,
  ORA_ERROR_ALREADY_DISCONNECTING = 617,
  ORA_ERROR_PORT_NOT_OPEN = 618,
  ORA_ERROR_PORT_DISCONNECTED = 619,
  ORA_ERROR_CANNOT_OPEN_PHONEBOOK = 621,
  ORA_ERROR_CANNOT_LOAD_PHONEBOOK = 622,
  ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY = 623,
  ORA_ERROR_CANNOT_WRITE_PHONEBOOK = 624,
  ORA_ERROR_CORRUPT_PHONEBOOK = 625,
  ORA_ERROR_CANNOT_LOAD_STRING = 626,
  ORA_ERROR_KEY_NOT_FOUND = 627,
  ORA_ERROR_DISCONNECTION = 628,
  ORA_ERROR_REMOTE_DISCONNECTION = 629,
  ORA_ERROR_HARDWARE_FAILURE = 630,
  ORA_ERROR_USER_DISCONNECTION = 631,
  ORA_ERROR_INVALID_SIZE = 632,
  ORA_ERROR_PORT_NOT_AVAILABLE = 633,
  ORA_ERROR_UNKNOWN = 635,
  ORA_ERROR_WRONG_DEVICE_ATTACHED = 636,
  ORA_ERROR_REQUEST_TIMEOUT = 638,
  ORA_ERROR_PASSWD_EXPIRED = 648,
  ORA_ERROR_FROM_DEVICE = 651,
  ORA_ERROR_UNRECOGNIZED_RESPONSE = 652,
  ORA_ERROR_NO_CONNECTION = 668,
  ORA_ERROR_LINE_BUSY = 676,
  ORA_ERROR_VOICE_ANSWER = 677,
  ORA_ERROR_NO_ANSWER = 678,
  ORA_ERROR_NO_CARRIER = 679,
  ORA_ERROR_NO_DIALTONE = 680,
  ORA_ERROR_AUTHENTICATION_FAILURE = 691,
  ORA_ERROR_PORT_OR_DEVICE = 692,
  ORA_ERROR_INTERACTIVE_MODE = 703,
  ORA_ERROR_BAD_CALLBACK_NUMBER = 704,
  ORA_ERROR_RASMAN_CANNOT_INITIALIZE = 711,
  ORA_ERROR_PPP_TIMEOUT = 718,
  ORA_ERROR_PPP_NO_PROTOCOLS_CONFIGURED = 720,
  ORA_ERROR_PPP_NO_RESPONSE = 721,
  ORA_ERROR_PPP_INVALID_PACKET = 722,
  ORA_ERROR_PHONE_NUMBER_TOO_LONG = 723,
  ORA_ERROR_NO_IP_RAS_ADAPTER = 728, /* no data plane (ORA_DataPlane=required) */
  ORA_ERROR_PROJECTION_NOT_COMPLETE = 730,
  ORA_ERROR_PROTOCOL_NOT_CONFIGURED = 731,
  ORA_ERROR_PPP_NOT_CONVERGING = 732,
  ORA_ERROR_PPP_CP_REJECTED = 733,
  ORA_ERROR_PPP_LCP_TERMINATED = 734,
  ORA_ERROR_PPP_REQUIRED_ADDRESS_REJECTED = 735,
  ORA_ERROR_PPP_NCP_TERMINATED = 736,
  ORA_ERROR_PPP_LOOPBACK_DETECTED = 737,
  ORA_ERROR_PPP_NO_ADDRESS_ASSIGNED = 738,
  ORA_ERROR_DIAL_ALREADY_IN_PROGRESS = 756,
  ORA_ERROR_INVALID_FUNCTION_FOR_ENTRY = 780,
  ORA_ERROR_OAKLEY_NO_POLICY = 791, /* an L2TP dial that needs IPsec (docs/links.md) */
  ORA_ERROR_AUTOMATIC_VPN_FAILED = 800,
  ORA_ERROR_VPN_REFUSED = 808,  /* the server refused the tunnel (l2tp/l2tp.h) */
  ORA_ERROR_VPN_TIMEOUT = 809,  /* the server never answered */
  ORA_ERROR_IDLE_TIMEOUT = 828, /* dwIdleDisconnectSeconds without traffic */
  ORA_ERROR_DNSNAME_NOT_RESOLVABLE = 868,
  ORA_RASBASEEND = 872
};

#endif
