/* Phone books: Windows' rasphone.pbk INI format, read, queried, edited and written
 * back without losing anything this module does not understand.
 *
 * Model: the file is an ordered list of lines. Lines before the first section
 * (only blank lines and ';' comments are allowed there) form a preamble; each
 * "[Entry Name]" line starts an entry that owns every line up to the next one.
 * Every line keeps its exact bytes and its own line end (LF, CRLF or none for a
 * last line without one), and the UTF-8 BOM is kept, so serializing an unchanged
 * phone book gives back the input byte for byte. Keys may repeat inside an entry
 * (one MEDIA=/DEVICE= block per link, alternate PhoneNumber lines), so lookups
 * walk the entry's lines in order.
 *
 * Matching: entry names and keys compare case-insensitively with ASCII case
 * folding only ("VPN" == "vpn", but "Ä" != "ä"). Values are returned with
 * surrounding spaces and tabs trimmed, as Windows reads them.
 *
 * Lifetime: every const char * returned points into the phone book and stays
 * valid until the next call that changes it (add, remove, rename, set,
 * remove_key) or ora_pbk_free().
 *
 * Limits (the parser refuses larger input with ORA_ERROR_CANNOT_LOAD_PHONEBOOK,
 * and the writers refuse to produce it): see ORA_PBK_MAX_*. docs/phonebook.md
 * describes the format and the ORA_* keys.
 *
 * Return values: 0 or a RAS/Win32 error code from openras/rasdefs.h.
 * Not thread-safe: one ora_pbk is used by one thread at a time. */
#ifndef OPENRAS_PBK_H
#define OPENRAS_PBK_H

#include <stddef.h>
#include <stdint.h>

#include "openras/rasdefs.h"

enum {
  ORA_PBK_MAX_SIZE = 16 * 1024 * 1024, /* bytes in a file, BOM included */
  ORA_PBK_MAX_LINE = 64 * 1024,        /* bytes in one line, line end excluded */
  ORA_PBK_MAX_LINES = 256 * 1024,      /* lines in a file */
  ORA_PBK_MAX_NAME = 256 * 3           /* bytes in an entry name add/rename accept */
};

/* Win32 codes not (yet) in rasdefs.h. */
enum { ORA_PBK_ERROR_ALREADY_EXISTS = 183 /* ERROR_ALREADY_EXISTS */ };

typedef struct ora_pbk ora_pbk;

/* ---- whole phone book ---- */

/* An empty phone book (no BOM, CRLF line ends), to build one from scratch. */
int ora_pbk_new(ora_pbk **out);

/* Parses text[0..len) (need not be NUL-terminated). 0, ORA_ERROR_CANNOT_LOAD_PHONEBOOK
 * for malformed input (NUL byte, text before the first section that is not blank or a
 * comment, '[' without ']', a limit exceeded), or ORA_ERROR_NOT_ENOUGH_MEMORY.
 * *out is NULL on failure. */
int ora_pbk_parse(const char *text, size_t len, ora_pbk **out);

/* The file image: *text is malloc'd (NUL-terminated, free with free()), *len excludes
 * the NUL. Byte-exact with the parsed input when nothing changed.
 * ORA_ERROR_CANNOT_WRITE_PHONEBOOK when the result would exceed the parser's limits. */
int ora_pbk_serialize(const ora_pbk *pb, char **text, size_t *len);

void ora_pbk_free(ora_pbk *pb);

/* ---- files (through core/os/os.h) ---- */

/* Flags of ora_pbk_load. */
enum { ORA_PBK_MISSING_OK = 1 /* a missing file loads as an empty phone book */ };

/* Reads and parses path. A missing file is ORA_ERROR_CANNOT_OPEN_PHONEBOOK (what a
 * dialer reports), or an empty phone book with ORA_PBK_MISSING_OK (what a writer
 * wants). A read error is ORA_ERROR_CANNOT_OPEN_PHONEBOOK whatever the flags, so a
 * writer never mistakes an unreadable file for an empty one. Malformed: 622. */
int ora_pbk_load(const char *path, unsigned flags, ora_pbk **out);

/* Writes the phone book over path atomically (temporary file + rename). Does not
 * lock or merge: for read-modify-write use ora_pbk_update. 0 or
 * ORA_ERROR_CANNOT_WRITE_PHONEBOOK. */
int ora_pbk_save(const ora_pbk *pb, const char *path);

/* The change function of ora_pbk_update: edits pb and returns 0 to keep the edits,
 * or any nonzero code to abandon them (ora_pbk_update then returns that code). */
typedef int (*ora_pbk_update_fn)(ora_pbk *pb, void *ctx);

/* Read-modify-write under the phone book's lock so that concurrent writers (other
 * threads or processes using this function) lose no update: locks "<path>.lock",
 * loads path (missing = empty), runs fn, and replaces the file atomically when the
 * image changed, then unlocks. 0, fn's nonzero code, 622 if the file is malformed,
 * 621 if unreadable, ORA_ERROR_CANNOT_WRITE_PHONEBOOK if locking or writing failed. */
int ora_pbk_update(const char *path, ora_pbk_update_fn fn, void *ctx);

/* ---- entries ---- */

/* Number of entries (sections), in file order. */
size_t ora_pbk_count(const ora_pbk *pb);

/* The name of entry i (between '[' and the last ']' of its line), or NULL if i is out
 * of range. */
const char *ora_pbk_name(const ora_pbk *pb, size_t i);

/* Index of the first entry named name (case-insensitive), or -1. */
int ora_pbk_find(const ora_pbk *pb, const char *name);

/* Appends an empty entry "[name]" at the end of the file. ORA_PBK_ERROR_ALREADY_EXISTS if
 * the name is taken, ORA_ERROR_INVALID_PARAMETER if it is empty, longer than
 * ORA_PBK_MAX_NAME or holds a control character. */
int ora_pbk_add(ora_pbk *pb, const char *name);

/* Deletes the entry and all its lines. ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY if absent. */
int ora_pbk_remove(ora_pbk *pb, const char *name);

/* Renames an entry in place, keeping its lines. Changing only the case of the name is
 * allowed. 623 if old_name is absent, ORA_PBK_ERROR_ALREADY_EXISTS if new_name is taken
 * by another entry, ORA_ERROR_INVALID_PARAMETER for a bad new name. */
int ora_pbk_rename(ora_pbk *pb, const char *old_name, const char *new_name);

/* A new phone book holding a copy of one entry only: the first entry named entry
 * (case-insensitive, as ora_pbk_find), its header and every line after it up to the
 * next entry (comments, blank lines, unknown and repeated keys, MEDIA=/DEVICE= blocks),
 * with pb's BOM and line-end convention; the preamble and the other entries are left
 * out. Every query of that entry (get, get_nth, get_int, get_bool, foreach, line_count,
 * line) answers exactly as on pb, and serializing it gives the entry's bytes as pb
 * holds them (after the BOM, if any). The copy is independent of pb: free either in
 * any order. Costs one allocation per line of the entry, whatever the size of pb;
 * for a dial that keeps only its entry of a large phone book. 0,
 * ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY if the entry is absent,
 * ORA_ERROR_INVALID_PARAMETER for a NULL argument, or ORA_ERROR_NOT_ENOUGH_MEMORY;
 * *out is NULL on failure. */
int ora_pbk_extract(const ora_pbk *pb, const char *entry, ora_pbk **out);

/* ---- values ---- */

/* The trimmed value of the first key= line in the entry, or NULL if the entry or key
 * is absent. Searches the whole entry, MEDIA=/DEVICE= blocks included. */
const char *ora_pbk_get(const ora_pbk *pb, const char *entry, const char *key);

/* Like ora_pbk_get for the n-th (0-based) occurrence of a repeated key. */
const char *ora_pbk_get_nth(const ora_pbk *pb, const char *entry, const char *key, size_t n);

/* The value as a decimal integer (optional sign), or def if absent, empty, not a
 * number or out of int64 range. */
int64_t ora_pbk_get_int(const ora_pbk *pb, const char *entry, const char *key, int64_t def);

/* 1 for "1"/"yes"/"true"/"on", 0 for "0"/"no"/"false"/"off" (any case), else def. */
int ora_pbk_get_bool(const ora_pbk *pb, const char *entry, const char *key, int def);

/* Sets key=value: rewrites the first occurrence in place (keeping how the key was
 * spelled), or inserts a new line after the last non-blank line of the entry's general
 * part (the lines before the first MEDIA=, DEVICE= or NETCOMPONENTS= line). 623 if the
 * entry is absent; ORA_ERROR_INVALID_PARAMETER if the key is empty, has '=', a control
 * character, surrounding blanks or starts with '[' or ';', or the value has a control
 * character other than tab. Surrounding blanks in value are written but not read back. */
int ora_pbk_set(ora_pbk *pb, const char *entry, const char *key, const char *value);

/* Deletes the first occurrence of key (call again for repeated keys). 623 if the entry
 * is absent, ORA_ERROR_KEY_NOT_FOUND if the key is. */
int ora_pbk_remove_key(ora_pbk *pb, const char *entry, const char *key);

/* Called for each key=value line; returns 0 to go on, nonzero to stop. */
typedef int (*ora_pbk_kv_fn)(void *ctx, const char *key, const char *value);

/* Calls fn, in file order, for every key of the entry that starts with prefix
 * (case-insensitive; "" lists all keys). Returns 0 when all were listed, fn's nonzero
 * code if it stopped, 623 if the entry is absent. The phone book must not be changed
 * from inside fn. Used by link drivers to read their ORA_<Driver>* keys. */
int ora_pbk_foreach(const ora_pbk *pb, const char *entry, const char *prefix, ora_pbk_kv_fn fn,
                    void *ctx);

/* ---- lines of one entry (blocks and repeated keys: MEDIA=, DEVICE=, alternates) ---- */

/* Lines after the entry's header, in file order; 0 if the entry is absent. */
size_t ora_pbk_line_count(const ora_pbk *pb, const char *entry);

/* Line i of the entry: 1 with *key (as spelled, trimmed) and *value set for a key=value
 * line; otherwise *key and *value are NULL and the result is 0 for a blank line, 2 for a
 * comment or other text, -1 if the entry or line is absent. */
int ora_pbk_line(const ora_pbk *pb, const char *entry, size_t i, const char **key,
                 const char **value);

/* Rewrites the value of key=value line i, keeping the key as the file spelled it. 623 if
 * the entry is absent, ORA_ERROR_INVALID_PARAMETER if line i is absent or not key=value
 * or the value is not writable (see ora_pbk_set). */
int ora_pbk_line_set(ora_pbk *pb, const char *entry, size_t i, const char *value);

/* Inserts "key=value" (a blank line when key is NULL) before line i; i == count appends.
 * Same key and value rules as ora_pbk_set. */
int ora_pbk_line_insert(ora_pbk *pb, const char *entry, size_t i, const char *key,
                        const char *value);

/* Deletes line i. 623 if the entry is absent, ORA_ERROR_INVALID_PARAMETER if the line is. */
int ora_pbk_line_remove(ora_pbk *pb, const char *entry, size_t i);

#endif
