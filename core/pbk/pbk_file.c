/* Phone book files: load, save and locked read-modify-write through the OS layer. */
#include <stdlib.h>
#include <string.h>

#include "openras/os.h"
#include "openras/pbk.h"

/* The RAS result of an OS layer result: 0 for success, memory is memory, any other
 * failure is `other`. */
static int os_error(int os, int other) {
  return os == ORA_OS_OK ? 0 : os == ORA_OS_ENOMEM ? ORA_ERROR_NOT_ENOUGH_MEMORY : other;
}

/* Reads path into a phone book. *existed says whether the file was there. */
static int read_pbk(const char *path, int missing_ok, ora_pbk **out, char **data, size_t *len,
                    int *existed) {
  int rc = ora_file_read(path, data, len);

  *existed = rc == ORA_OS_OK;
  if (rc == ORA_OS_ENOENT) {
    *data = NULL;
    *len = 0;
    return missing_ok ? ora_pbk_new(out) : ORA_ERROR_CANNOT_OPEN_PHONEBOOK;
  }
  if (rc != ORA_OS_OK) {
    *data = NULL;
    return os_error(rc, ORA_ERROR_CANNOT_OPEN_PHONEBOOK);
  }
  rc = ora_pbk_parse(*data, *len, out);
  if (rc) {
    free(*data);
    *data = NULL;
  }
  return rc;
}

int ora_pbk_load(const char *path, unsigned flags, ora_pbk **out) {
  char *data;
  size_t len;
  int existed, rc;

  if (!out)
    return ORA_ERROR_INVALID_PARAMETER;
  *out = NULL;
  if (!path || !*path)
    return ORA_ERROR_INVALID_PARAMETER;
  /* The shared lock keeps a writer from replacing the file while it is read. Without
   * a lock file (never written through OpenRAS, or a read-only folder) it is read
   * without one. */
  ora_file_lock *lock = NULL;
  if (ora_file_lock_acquire(path, ORA_LOCK_SHARED, &lock) != 0)
    lock = NULL;
  rc = read_pbk(path, (flags & ORA_PBK_MISSING_OK) != 0, out, &data, &len, &existed);
  ora_file_lock_release(lock);
  free(data);
  return rc;
}

int ora_pbk_save(const ora_pbk *pb, const char *path) {
  char *text;
  size_t len;
  int rc;

  if (!pb || !path || !*path)
    return ORA_ERROR_INVALID_PARAMETER;
  rc = ora_pbk_serialize(pb, &text, &len);
  if (rc)
    return rc;
  ora_file_lock *lock;
  if ((rc = ora_file_lock_acquire(path, ORA_LOCK_EXCLUSIVE, &lock)) != 0) {
    free(text);
    return os_error(rc, ORA_ERROR_CANNOT_WRITE_PHONEBOOK);
  }
  rc = os_error(ora_file_replace(path, text, len), ORA_ERROR_CANNOT_WRITE_PHONEBOOK);
  ora_file_lock_release(lock);
  free(text);
  return rc;
}

int ora_pbk_update(const char *path, ora_pbk_update_fn fn, void *ctx) {
  ora_file_lock *lock;
  ora_pbk *pb = NULL;
  char *old = NULL, *text = NULL;
  size_t oldlen = 0, len = 0;
  int existed, rc;

  if (!path || !*path || !fn)
    return ORA_ERROR_INVALID_PARAMETER;
  if ((rc = ora_file_lock_acquire(path, ORA_LOCK_EXCLUSIVE, &lock)) != 0)
    return os_error(rc, ORA_ERROR_CANNOT_WRITE_PHONEBOOK);
  rc = read_pbk(path, 1, &pb, &old, &oldlen, &existed);
  if (rc == 0)
    rc = fn(pb, ctx);
  if (rc == 0)
    rc = ora_pbk_serialize(pb, &text, &len);
  /* Write only what changed: an untouched file keeps its time stamp, and a missing
   * one is not created empty. */
  if (rc == 0 && (existed ? len != oldlen || (len && memcmp(text, old, len) != 0) : len != 0))
    rc = os_error(ora_file_replace(path, text, len), ORA_ERROR_CANNOT_WRITE_PHONEBOOK);
  ora_file_lock_release(lock);
  free(text);
  free(old);
  ora_pbk_free(pb);
  return rc;
}
