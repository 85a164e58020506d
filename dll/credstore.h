/* Saved credentials of phone-book entries (RasSetEntryDialParams, RasSetCredentials).
 *
 * Nothing secret goes into the phone book. Each entry's saved values live in the
 * registry, in HKCU\Software\OpenRAS\Credentials\<id> (per user) or, for the default
 * credentials of an all-users entry (RASCM_DefaultCreds), in
 * HKLM\Software\OpenRAS\Credentials\<id>. <id> is 16 hex digits of a 64-bit FNV-1a hash
 * of the phone book's full path (lower case) and the entry name (ASCII lower case);
 * the key also holds "Phonebook" and "Entry" (REG_SZ) so a lookup can confirm it is the
 * right one. Values: "UserName", "Domain", "CallbackNumber" (REG_SZ) and "Password"
 * (REG_BINARY): the password's UTF-8 bytes encrypted with CryptProtectData for the
 * current user (for the machine, CRYPTPROTECT_LOCAL_MACHINE, in HKLM), with a fixed
 * OpenRAS entropy. A value that is absent was never saved. Every plaintext copy is
 * wiped with SecureZeroMemory. docs/phonebook-api.md describes the design.
 *
 * Windows never hands a saved password back: RasGetEntryDialParams and
 * RasGetCredentials return ORACRED_HANDLE in its place, RasSetEntryDialParams and
 * RasSetCredentials keep the saved password when given it back, and RasDial is meant
 * to use the saved password when it sees it (oracred_dial_saved). The domain "*" is
 * the same kind of stand-in: RasDial dials with the saved domain (or none), and the
 * setters keep the saved domain when given "*" (behaviour.md section 8). */
#ifndef OPENRAS_DLL_CREDSTORE_H
#define OPENRAS_DLL_CREDSTORE_H

#include <windows.h>

#include <stddef.h>

#include "openras/engine.h"

/* The stand-in for a saved password: 16 asterisks, what Windows returns. */
#define ORACRED_HANDLE "****************"

/* Which values: the RASCM_UserName/Password/Domain bits, and the callback number. */
enum { ORACRED_USER = 0x1, ORACRED_PASSWORD = 0x2, ORACRED_DOMAIN = 0x4, ORACRED_CALLBACK = 0x100 };

typedef struct {
  unsigned have; /* ORACRED_* of the values saved */
  char user[ORA_USER_BYTES];
  char domain[ORA_DOMAIN_BYTES];
  char callback[ORA_PHONE_BYTES];
  char password[ORA_PASSWORD_BYTES]; /* filled only when asked for; wipe after use */
} oracred;

/* Reads what is saved for (phone book path, entry); machine = the all-users default
 * credentials. The password is decrypted only with want_password. Nothing saved is
 * not an error (have == 0). 0 or a Win32 error. */
int oracred_load(const char *pbk_path, const char *entry, int machine, int want_password,
                 oracred *out);

/* Saves the values named by `what` from c (a password equal to ORACRED_HANDLE keeps
 * the saved one), and deletes those named by `clear`. 0 or a Win32 error. */
int oracred_store(const char *pbk_path, const char *entry, int machine, const oracred *c,
                  unsigned what, unsigned clear);

/* Follows the entry when it is deleted or renamed (per-user and machine values). */
void oracred_forget(const char *pbk_path, const char *entry);
void oracred_rename(const char *pbk_path, const char *old_name, const char *new_name);

/* The same per-entry key scheme for other per-user stores (EAP user data, dll/authdata.c):
 * HKCU\<root>\<id>, labelled with "Phonebook" and "Entry". create = 0 opens the entry's
 * key (ERROR_FILE_NOT_FOUND when absent or another entry's); create = 1 opens or makes
 * it, emptying a stale key of another entry with the same id. 0 with *out (close it), or
 * a Win32 error. _delete removes the key when it is the entry's. */
LONG oracred_user_key(const WCHAR *root, const char *pbk_path, const char *entry, int create,
                      HKEY *out);
void oracred_user_key_delete(const WCHAR *root, const char *pbk_path, const char *entry);

/* EAP user data (dll/authdata.c) follows the entry when it is deleted or renamed. */
void oraeap_forget(const char *pbk_path, const char *entry);
void oraeap_rename(const char *pbk_path, const char *old_name, const char *new_name);

/* The domain stand-in of RASDIALPARAMS and RASCREDENTIALS. */
#define ORACRED_ANY_DOMAIN "*"

/* For RasDial given a stand-in: the saved value of the entry (what = ORACRED_PASSWORD
 * or ORACRED_DOMAIN; phonebook "" = the default phone books, searched as RasDial
 * does), per-user first, then the machine default. 1 with out filled (wipe a password
 * after use), 0 (out empty) if none. */
int oracred_dial_saved(const char *phonebook, const char *entry, unsigned what, char *out,
                       size_t cap);

#endif
