/* RasGetErrorStringA/W: one short English sentence for every RAS error code, RASBASE (600)
 * to RASBASEEND (872). The sentences are OpenRAS's own wording of what each raserror.h name
 * means; a code that raserror.h leaves unassigned gets a sentence naming its number. Codes
 * outside the range are refused, so that clients fall back to FormatMessage. */
#include <windows.h>
#include <ras.h>

#include <string.h>

#include "openras/rasdefs.h"

/* Enough for every message (512 characters always suffice, says the documentation). */
#define ORA_ERRSTR_MAX 512

/* M(code, name, text): the raserror.h name, without its ERROR_ prefix, is for the reader. The
 * designated index makes a code's place certain; -Woverride-init (in -Wextra) refuses a code
 * given twice, and the PE test refuses a code left out. */
#define M(code, name, text) [(code)-ORA_RASBASE] = text
#define UNASSIGNED(code)                                                                           \
  [(code)-ORA_RASBASE] = "Remote access error " #code " has no assigned meaning."

static const char *const messages[ORA_RASBASEEND - ORA_RASBASE + 1] = {
    M(600, PENDING, "The operation has not finished yet."),
    M(601, INVALID_PORT_HANDLE, "The port handle is not valid."),
    M(602, PORT_ALREADY_OPEN, "The port is already open."),
    M(603, BUFFER_TOO_SMALL, "The caller's buffer is too small."),
    M(604, WRONG_INFO_SPECIFIED, "The information supplied is wrong."),
    M(605, CANNOT_SET_PORT_INFO, "The port settings could not be applied."),
    M(606, PORT_NOT_CONNECTED, "The port is not connected."),
    M(607, EVENT_INVALID, "The event is not valid."),
    M(608, DEVICE_DOES_NOT_EXIST, "The device does not exist."),
    M(609, DEVICETYPE_DOES_NOT_EXIST, "The device type does not exist."),
    M(610, BUFFER_INVALID, "The buffer is not valid."),
    M(611, ROUTE_NOT_AVAILABLE, "The route is not available."),
    M(612, ROUTE_NOT_ALLOCATED, "The route has not been allocated."),
    M(613, INVALID_COMPRESSION_SPECIFIED, "The compression requested is not valid."),
    M(614, OUT_OF_BUFFERS, "No buffers are left."),
    M(615, PORT_NOT_FOUND, "The port was not found."),
    M(616, ASYNC_REQUEST_PENDING, "An asynchronous request is still in progress."),
    M(617, ALREADY_DISCONNECTING, "The connection is already being closed."),
    M(618, PORT_NOT_OPEN, "The port is not open."),
    M(619, PORT_DISCONNECTED, "The port was disconnected."),
    M(620, NO_ENDPOINTS, "No endpoints are available."),
    M(621, CANNOT_OPEN_PHONEBOOK, "The phone book could not be opened."),
    M(622, CANNOT_LOAD_PHONEBOOK, "The phone book could not be loaded."),
    M(623, CANNOT_FIND_PHONEBOOK_ENTRY, "The phone-book entry was not found."),
    M(624, CANNOT_WRITE_PHONEBOOK, "The phone book could not be written."),
    M(625, CORRUPT_PHONEBOOK, "The phone book is corrupt."),
    M(626, CANNOT_LOAD_STRING, "A string resource could not be loaded."),
    M(627, KEY_NOT_FOUND, "A key was not found."),
    M(628, DISCONNECTION, "The connection was closed."),
    M(629, REMOTE_DISCONNECTION, "The remote side closed the connection."),
    M(630, HARDWARE_FAILURE, "A hardware failure closed the connection."),
    M(631, USER_DISCONNECTION, "The user closed the connection."),
    M(632, INVALID_SIZE, "The structure size is not valid."),
    M(633, PORT_NOT_AVAILABLE, "The port is in use or not available."),
    M(634, CANNOT_PROJECT_CLIENT, "The client could not be registered on the remote network."),
    M(635, UNKNOWN, "An unknown error occurred."),
    M(636, WRONG_DEVICE_ATTACHED, "The wrong device is attached to the port."),
    M(637, BAD_STRING, "A string could not be converted."),
    M(638, REQUEST_TIMEOUT, "The request timed out."),
    M(639, CANNOT_GET_LANA, "No NetBIOS adapter number is available."),
    M(640, NETBIOS_ERROR, "A NetBIOS error occurred."),
    M(641, SERVER_OUT_OF_RESOURCES, "The server has run out of resources."),
    M(642, NAME_EXISTS_ON_NET,
      "This computer's NetBIOS name is already in use on the remote network."),
    M(643, SERVER_GENERAL_NET_FAILURE, "A network adapter on the server failed."),
    M(644, WARNING_MSG_ALIAS_NOT_ADDED, "The message alias name could not be added."),
    M(645, AUTH_INTERNAL, "An internal authentication error occurred."),
    M(646, RESTRICTED_LOGON_HOURS, "The account may not log on at this time of day."),
    M(647, ACCT_DISABLED, "The account is disabled."),
    M(648, PASSWD_EXPIRED, "The password has expired."),
    M(649, NO_DIALIN_PERMISSION, "The account has no permission to dial in."),
    M(650, SERVER_NOT_RESPONDING, "The remote access server is not responding."),
    M(651, FROM_DEVICE, "The modem or other device reported an error."),
    M(652, UNRECOGNIZED_RESPONSE, "The device sent a response that was not recognized."),
    M(653, MACRO_NOT_FOUND, "A macro the device needs was not found."),
    M(654, MACRO_NOT_DEFINED, "A command or response uses an undefined macro."),
    M(655, MESSAGE_MACRO_NOT_FOUND, "The message macro was not found."),
    M(656, DEFAULTOFF_MACRO_NOT_FOUND, "The defaultoff macro was not found."),
    M(657, FILE_COULD_NOT_BE_OPENED, "The device information file could not be opened."),
    M(658, DEVICENAME_TOO_LONG, "The device name is too long."),
    M(659, DEVICENAME_NOT_FOUND, "The device name is missing from the device information file."),
    M(660, NO_RESPONSES, "The device information file has no responses for a command."),
    M(661, NO_COMMAND_FOUND, "The device information file is missing a command."),
    M(662, WRONG_KEY_SPECIFIED, "A key is not allowed in this device section."),
    M(663, UNKNOWN_DEVICE_TYPE, "The device type is unknown."),
    M(664, ALLOCATING_MEMORY, "Memory could not be allocated."),
    M(665, PORT_NOT_CONFIGURED, "The port is not configured for remote access."),
    M(666, DEVICE_NOT_READY, "The device is not ready."),
    M(667, READING_INI_FILE, "The configuration file could not be read."),
    M(668, NO_CONNECTION, "The connection was lost."),
    M(669, BAD_USAGE_IN_INI_FILE, "The usage setting in the configuration file is not valid."),
    M(670, READING_SECTIONNAME, "A section name could not be read from the configuration file."),
    M(671, READING_DEVICETYPE, "A device type could not be read from the configuration file."),
    M(672, READING_DEVICENAME, "A device name could not be read from the configuration file."),
    M(673, READING_USAGE, "A usage setting could not be read from the configuration file."),
    M(674, READING_MAXCONNECTBPS,
      "The maximum connect speed could not be read from the configuration file."),
    M(675, READING_MAXCARRIERBPS,
      "The maximum carrier speed could not be read from the configuration file."),
    M(676, LINE_BUSY, "The line is busy."),
    M(677, VOICE_ANSWER, "A person answered instead of a modem."),
    M(678, NO_ANSWER, "Nobody answered the call."),
    M(679, NO_CARRIER, "No carrier was detected."),
    M(680, NO_DIALTONE, "There is no dial tone."),
    M(681, IN_COMMAND, "The device reported an error in a command."),
    M(682, WRITING_SECTIONNAME, "A section name could not be written to the configuration file."),
    M(683, WRITING_DEVICETYPE, "A device type could not be written to the configuration file."),
    M(684, WRITING_DEVICENAME, "A device name could not be written to the configuration file."),
    M(685, WRITING_MAXCONNECTBPS,
      "The maximum connect speed could not be written to the configuration file."),
    M(686, WRITING_MAXCARRIERBPS,
      "The maximum carrier speed could not be written to the configuration file."),
    M(687, WRITING_USAGE, "A usage setting could not be written to the configuration file."),
    M(688, WRITING_DEFAULTOFF,
      "The defaultoff setting could not be written to the configuration file."),
    M(689, READING_DEFAULTOFF,
      "The defaultoff setting could not be read from the configuration file."),
    M(690, EMPTY_INI_FILE, "The configuration file is empty."),
    M(691, AUTHENTICATION_FAILURE, "The user name or password was not accepted."),
    M(692, PORT_OR_DEVICE, "The port or the device attached to it failed."),
    M(693, NOT_BINARY_MACRO, "The macro is not a binary macro."),
    M(694, DCB_NOT_FOUND, "The device control block was not found."),
    M(695, STATE_MACHINES_NOT_STARTED, "The state machines have not been started."),
    M(696, STATE_MACHINES_ALREADY_STARTED, "The state machines are already running."),
    M(697, PARTIAL_RESPONSE_LOOPING, "The device keeps sending a partial response."),
    M(698, UNKNOWN_RESPONSE_KEY, "A response keyword in the device information file is unknown."),
    M(699, RECV_BUF_FULL, "The device response filled the receive buffer."),
    M(700, CMD_TOO_LONG, "A command for the device is too long."),
    M(701, UNSUPPORTED_BPS, "The device asked for a speed the port does not support."),
    M(702, UNEXPECTED_RESPONSE, "The device sent an unexpected response."),
    M(703, INTERACTIVE_MODE, "The connection needs interactive input from the user."),
    M(704, BAD_CALLBACK_NUMBER, "The callback number is not valid."),
    M(705, INVALID_AUTH_STATE, "The authentication state is not valid."),
    M(706, WRITING_INITBPS, "The initial speed could not be written to the configuration file."),
    M(707, X25_DIAGNOSTIC, "The X.25 network reported a diagnostic."),
    M(708, ACCT_EXPIRED, "The account has expired."),
    M(709, CHANGING_PASSWORD, "The password could not be changed."),
    M(710, OVERRUN, "Data was lost to overrun errors on the serial port."),
    M(711, RASMAN_CANNOT_INITIALIZE, "The remote access connection manager could not start."),
    M(712, BIPLEX_PORT_NOT_AVAILABLE, "The two-way port is not available."),
    M(713, NO_ACTIVE_ISDN_LINES, "No ISDN lines are active."),
    M(714, NO_ISDN_CHANNELS_AVAILABLE, "No ISDN channels are free."),
    M(715, TOO_MANY_LINE_ERRORS, "The phone line has too many errors."),
    M(716, IP_CONFIGURATION, "The IP configuration for remote access is not usable."),
    M(717, NO_IP_ADDRESSES, "No IP address is left in the pool."),
    M(718, PPP_TIMEOUT, "PPP negotiation timed out."),
    M(719, PPP_REMOTE_TERMINATED, "The remote peer ended the PPP session."),
    M(720, PPP_NO_PROTOCOLS_CONFIGURED, "No PPP control protocols are configured."),
    M(721, PPP_NO_RESPONSE, "The remote peer does not answer PPP."),
    M(722, PPP_INVALID_PACKET, "A PPP packet was not valid."),
    M(723, PHONE_NUMBER_TOO_LONG, "The phone number is too long."),
    M(724, IPXCP_NO_DIALOUT_CONFIGURED, "IPX is not configured for dialing out."),
    M(725, IPXCP_NO_DIALIN_CONFIGURED, "IPX is not configured for dialing in."),
    M(726, IPXCP_DIALOUT_ALREADY_ACTIVE, "IPX is already in use by another dial-out connection."),
    M(727, ACCESSING_TCPCFGDLL, "The TCP/IP configuration library could not be used."),
    M(728, NO_IP_RAS_ADAPTER, "No IP adapter for remote access was found."),
    M(729, SLIP_REQUIRES_IP, "SLIP needs the IP protocol."),
    M(730, PROJECTION_NOT_COMPLETE, "Protocol negotiation has not finished."),
    M(731, PROTOCOL_NOT_CONFIGURED, "The protocol is not configured."),
    M(732, PPP_NOT_CONVERGING, "PPP negotiation does not converge."),
    M(733, PPP_CP_REJECTED, "The peer rejected a PPP control protocol."),
    M(734, PPP_LCP_TERMINATED, "The PPP link control protocol ended."),
    M(735, PPP_REQUIRED_ADDRESS_REJECTED, "The server rejected the requested address."),
    M(736, PPP_NCP_TERMINATED, "The remote peer ended a network control protocol."),
    M(737, PPP_LOOPBACK_DETECTED, "A loopback was detected on the link."),
    M(738, PPP_NO_ADDRESS_ASSIGNED, "The server assigned no address."),
    M(739, CANNOT_USE_LOGON_CREDENTIALS,
      "The logon credentials cannot be used for this authentication."),
    M(740, TAPI_CONFIGURATION, "The TAPI devices are configured wrongly."),
    M(741, NO_LOCAL_ENCRYPTION, "This computer cannot provide the requested encryption."),
    M(742, NO_REMOTE_ENCRYPTION, "The remote computer cannot provide the requested encryption."),
    M(743, REMOTE_REQUIRES_ENCRYPTION, "The remote computer insists on encryption."),
    M(744, IPXCP_NET_NUMBER_CONFLICT, "The IPX network number from the server is already in use."),
    M(745, INVALID_SMM, "The session module is not valid."),
    M(746, SMM_UNINITIALIZED, "The session module has not been initialized."),
    M(747, NO_MAC_FOR_PORT, "No network adapter is bound to the port."),
    M(748, SMM_TIMEOUT, "The session module timed out."),
    M(749, BAD_PHONE_NUMBER, "The phone number is not valid."),
    M(750, WRONG_MODULE, "The wrong module was used."),
    M(751, INVALID_CALLBACK_NUMBER,
      "The callback number contains characters that are not allowed."),
    M(752, SCRIPT_SYNTAX, "The script has a syntax error."),
    M(753, HANGUP_FAILED, "The connection could not be hung up."),
    M(754, BUNDLE_NOT_FOUND, "The multilink bundle was not found."),
    M(755, CANNOT_DO_CUSTOMDIAL, "The custom dialer cannot be used."),
    M(756, DIAL_ALREADY_IN_PROGRESS, "This entry is already being dialed."),
    M(757, RASAUTO_CANNOT_INITIALIZE, "The autodial service could not start."),
    M(758, CONNECTION_ALREADY_SHARED, "The connection is already shared."),
    M(759, SHARING_CHANGE_FAILED, "The sharing settings could not be changed."),
    M(760, SHARING_ROUTER_INSTALL, "Connection sharing conflicts with the installed router."),
    M(761, SHARE_CONNECTION_FAILED, "The connection could not be shared."),
    M(762, SHARING_PRIVATE_INSTALL, "The private network for sharing could not be set up."),
    M(763, CANNOT_SHARE_CONNECTION, "This connection cannot be shared."),
    M(764, NO_SMART_CARD_READER, "No smart card reader is installed."),
    M(765, SHARING_ADDRESS_EXISTS,
      "The address needed for sharing is already used by another adapter."),
    M(766, NO_CERTIFICATE, "No certificate was found."),
    M(767, SHARING_MULTIPLE_ADDRESSES,
      "The private adapter for sharing has more than one address."),
    M(768, FAILED_TO_ENCRYPT, "The data could not be encrypted."),
    M(769, BAD_ADDRESS_SPECIFIED, "The destination address cannot be reached."),
    M(770, CONNECTION_REJECT, "The remote computer refused the connection."),
    M(771, CONGESTION, "The network is too congested to connect."),
    M(772, INCOMPATIBLE, "The remote equipment is incompatible."),
    M(773, NUMBERCHANGED, "The number dialed has changed."),
    M(774, TEMPFAILURE, "A temporary failure stopped the call."),
    M(775, BLOCKED, "The remote computer blocked the call."),
    M(776, DONOTDISTURB, "The called party has asked not to be disturbed."),
    M(777, OUTOFORDER, "The remote equipment is out of order."),
    M(778, UNABLE_TO_AUTHENTICATE_SERVER, "The identity of the server could not be verified."),
    M(779, SMART_CARD_REQUIRED, "This connection needs a smart card."),
    M(780, INVALID_FUNCTION_FOR_ENTRY, "The function is not valid for this entry."),
    M(781, CERT_FOR_ENCRYPTION_NOT_FOUND, "No certificate suitable for encryption was found."),
    M(782, SHARING_RRAS_CONFLICT,
      "Connection sharing conflicts with the routing and remote access service."),
    M(783, SHARING_NO_PRIVATE_LAN, "Connection sharing needs a private network adapter."),
    M(784, NO_DIFF_USER_AT_LOGON, "A different user cannot be given while logging on."),
    M(785, NO_REG_CERT_AT_LOGON, "A registered certificate cannot be used while logging on."),
    M(786, OAKLEY_NO_CERT, "The key exchange found no valid certificate."),
    M(787, OAKLEY_AUTH_FAIL, "The key exchange could not authenticate the peer."),
    M(788, OAKLEY_ATTRIB_FAIL, "The key exchange could not agree on security attributes."),
    M(789, OAKLEY_GENERAL_PROCESSING, "The key exchange failed while processing."),
    M(790, OAKLEY_NO_PEER_CERT, "The peer sent no certificate during the key exchange."),
    M(791, OAKLEY_NO_POLICY, "No IPsec policy was found for the key exchange."),
    M(792, OAKLEY_TIMED_OUT, "The key exchange timed out."),
    M(793, OAKLEY_ERROR, "The key exchange reported an error."),
    M(794, UNKNOWN_FRAMED_PROTOCOL, "The framed protocol is unknown."),
    M(795, WRONG_TUNNEL_TYPE, "The tunnel type is wrong."),
    M(796, UNKNOWN_SERVICE_TYPE, "The service type is unknown."),
    M(797, CONNECTING_DEVICE_NOT_FOUND, "The device for this connection was not found."),
    M(798, NO_EAPTLS_CERTIFICATE, "No certificate for EAP-TLS was found."),
    M(799, SHARING_HOST_ADDRESS_CONFLICT,
      "Connection sharing found an address conflict with another host."),
    M(800, AUTOMATIC_VPN_FAILED, "The VPN connection could not be made with any tunnel type."),
    M(801, VALIDATING_SERVER_CERT, "The server certificate could not be checked."),
    M(802, READING_SCARD, "The smart card could not be read."),
    M(803, INVALID_PEAP_COOKIE_CONFIG, "The saved PEAP configuration is not valid."),
    M(804, INVALID_PEAP_COOKIE_USER, "The saved PEAP user data is not valid."),
    M(805, INVALID_MSCHAPV2_CONFIG, "The MS-CHAPv2 configuration is not valid."),
    M(806, VPN_GRE_BLOCKED, "GRE packets for the VPN are being blocked."),
    M(807, VPN_DISCONNECT, "The VPN connection was interrupted."),
    M(808, VPN_REFUSED, "The VPN server refused the connection."),
    M(809, VPN_TIMEOUT, "The VPN server did not answer in time."),
    M(810, VPN_BAD_CERT, "The certificate for the VPN is not valid."),
    M(811, VPN_BAD_PSK, "The preshared key for the VPN is wrong."),
    M(812, SERVER_POLICY, "The server's policy refused the connection."),
    M(813, BROADBAND_ACTIVE, "A broadband connection is already active."),
    M(814, BROADBAND_NO_NIC, "No network adapter for the broadband connection was found."),
    M(815, BROADBAND_TIMEOUT, "The broadband service did not answer in time."),
    M(816, FEATURE_DEPRECATED, "The feature is no longer supported."),
    M(817, CANNOT_DELETE, "The connection cannot be deleted while it is in use."),
    M(818, RASQEC_RESOURCE_CREATION_FAILED, "The quarantine client could not create a resource."),
    M(819, RASQEC_NAPAGENT_NOT_ENABLED, "The network access protection agent is not enabled."),
    M(820, RASQEC_NAPAGENT_NOT_CONNECTED,
      "The network access protection agent could not be reached."),
    M(821, RASQEC_CONN_DOESNOTEXIST, "The quarantine client has no such connection."),
    M(822, RASQEC_TIMEOUT, "The quarantine client did not answer in time."),
    M(823, PEAP_CRYPTOBINDING_INVALID, "The PEAP cryptobinding is not valid."),
    M(824, PEAP_CRYPTOBINDING_NOTRECEIVED, "No PEAP cryptobinding was received."),
    M(825, INVALID_VPNSTRATEGY, "The VPN strategy setting is not valid."),
    M(826, EAPTLS_CACHE_CREDENTIALS_INVALID, "The cached EAP-TLS credentials are not valid."),
    M(827, IPSEC_SERVICE_STOPPED, "The IPsec service is stopped."),
    M(828, IDLE_TIMEOUT, "The connection was closed after being idle."),
    M(829, LINK_FAILURE, "The link failed."),
    M(830, USER_LOGOFF, "The connection was closed because the user logged off."),
    M(831, FAST_USER_SWITCH, "The connection was closed by a switch of user."),
    M(832, HIBERNATION, "The connection was closed because the computer hibernated."),
    M(833, SYSTEM_SUSPENDED, "The connection was closed because the computer was suspended."),
    M(834, RASMAN_SERVICE_STOPPED,
      "The connection was closed because the connection manager stopped."),
    M(835, INVALID_SERVER_CERT, "The server certificate is not valid."),
    M(836, NOT_NAP_CAPABLE, "The connection does not support network access protection."),
    M(837, INVALID_TUNNELID, "The tunnel identifier is not valid."),
    M(838, UPDATECONNECTION_REQUEST_IN_PROCESS, "A connection update is already in progress."),
    M(839, PROTOCOL_ENGINE_DISABLED, "The protocol engine is disabled."),
    M(840, INTERNAL_ADDRESS_FAILURE, "The internal address could not be obtained."),
    M(841, FAILED_CP_REQUIRED, "A required control protocol failed."),
    M(842, TS_UNACCEPTABLE, "The traffic selectors were not acceptable."),
    M(843, MOBIKE_DISABLED, "MOBIKE is disabled for this connection."),
    M(844, CANNOT_INITIATE_MOBIKE_UPDATE, "A MOBIKE update could not be started."),
    M(845, PEAP_SERVER_REJECTED_CLIENT_TLV, "The PEAP server rejected the client's TLV."),
    M(846, INVALID_PREFERENCES, "The preferences are not valid."),
    M(847, EAPTLS_SCARD_CACHE_CREDENTIALS_INVALID,
      "The cached smart-card credentials for EAP-TLS are not valid."),
    M(848, SSTP_COOKIE_SET_FAILURE, "The SSTP cookie could not be set."),
    M(849, INVALID_PEAP_COOKIE_ATTRIBUTES, "The attributes of the saved PEAP data are not valid."),
    M(850, EAP_METHOD_NOT_INSTALLED, "The EAP method is not installed."),
    M(851, EAP_METHOD_DOES_NOT_SUPPORT_SSO, "The EAP method does not support single sign-on."),
    M(852, EAP_METHOD_OPERATION_NOT_SUPPORTED, "The EAP method does not support this operation."),
    M(853, EAP_USER_CERT_INVALID, "The EAP user certificate is not valid."),
    M(854, EAP_USER_CERT_EXPIRED, "The EAP user certificate has expired."),
    M(855, EAP_USER_CERT_REVOKED, "The EAP user certificate has been revoked."),
    M(856, EAP_USER_CERT_OTHER_ERROR, "The EAP user certificate could not be used."),
    M(857, EAP_SERVER_CERT_INVALID, "The EAP server certificate is not valid."),
    M(858, EAP_SERVER_CERT_EXPIRED, "The EAP server certificate has expired."),
    M(859, EAP_SERVER_CERT_REVOKED, "The EAP server certificate has been revoked."),
    M(860, EAP_SERVER_CERT_OTHER_ERROR, "The EAP server certificate could not be used."),
    M(861, EAP_USER_ROOT_CERT_NOT_FOUND,
      "The root certificate of the EAP user certificate was not found."),
    M(862, EAP_USER_ROOT_CERT_INVALID,
      "The root certificate of the EAP user certificate is not valid."),
    M(863, EAP_USER_ROOT_CERT_EXPIRED,
      "The root certificate of the EAP user certificate has expired."),
    M(864, EAP_SERVER_ROOT_CERT_NOT_FOUND,
      "The root certificate of the EAP server certificate was not found."),
    M(865, EAP_SERVER_ROOT_CERT_INVALID,
      "The root certificate of the EAP server certificate is not valid."),
    M(866, EAP_SERVER_ROOT_CERT_NAME_REQUIRED,
      "A name for the EAP server root certificate is required."),
    M(867, PEAP_IDENTITY_MISMATCH, "The PEAP identity does not match."),
    M(868, DNSNAME_NOT_RESOLVABLE, "The server name could not be resolved."),
    M(869, EAPTLS_PASSWD_INVALID, "The EAP-TLS password is not valid."),
    M(870, IKEV2_PSK_INTERFACE_ALREADY_EXISTS, "An IKEv2 preshared-key interface already exists."),
    UNASSIGNED(871),
    UNASSIGNED(872),
};

#undef M
#undef UNASSIGNED

/* The message of `code` in UTF-16, NUL-terminated, in w[ORA_ERRSTR_MAX]: its length in
 * UTF-16 units with the terminator, or 0 when `code` is not a RAS error code. */
static int message_w(UINT code, WCHAR *w) {
  if (code < ORA_RASBASE || code > ORA_RASBASEEND || !messages[code - ORA_RASBASE])
    return 0;
  return MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, messages[code - ORA_RASBASE], -1, w,
                             ORA_ERRSTR_MAX);
}

static DWORD error_string_w(UINT code, WCHAR *out, DWORD size) {
  WCHAR w[ORA_ERRSTR_MAX];
  int n = out ? message_w(code, w) : 0;
  if (n <= 0)
    return ERROR_INVALID_PARAMETER;
  if ((DWORD)n > size)
    return ERROR_INSUFFICIENT_BUFFER;
  memcpy(out, w, (size_t)n * sizeof(WCHAR));
  return ERROR_SUCCESS;
}

static DWORD error_string_a(UINT code, char *out, DWORD size) {
  WCHAR w[ORA_ERRSTR_MAX];
  int n = out ? message_w(code, w) : 0;
  if (n <= 0)
    return ERROR_INVALID_PARAMETER;
  int need = WideCharToMultiByte(CP_ACP, 0, w, n, NULL, 0, NULL, NULL);
  if (need <= 0)
    return ERROR_INVALID_PARAMETER;
  if ((DWORD)need > size)
    return ERROR_INSUFFICIENT_BUFFER;
  WideCharToMultiByte(CP_ACP, 0, w, n, out, need, NULL, NULL);
  return ERROR_SUCCESS;
}

/* InBufSize counts characters (bytes of the ANSI code page for A, UTF-16 units for W), the
 * terminator included; the buffer is untouched on failure. RasGetErrorString reports only
 * through its return value: the thread's last error is left as the caller had it. */
DWORD APIENTRY RasGetErrorStringA(UINT ResourceId, LPSTR lpszString, DWORD InBufSize) {
  DWORD saved = GetLastError();
  DWORD rc = error_string_a(ResourceId, lpszString, InBufSize);
  SetLastError(saved);
  return rc;
}

DWORD APIENTRY RasGetErrorStringW(UINT ResourceId, LPWSTR lpszString, DWORD InBufSize) {
  DWORD saved = GetLastError();
  DWORD rc = error_string_w(ResourceId, lpszString, InBufSize);
  SetLastError(saved);
  return rc;
}
