/* The phone book's in-memory model, shared by the files of core/pbk only. */
#ifndef OPENRAS_PBK_INTERNAL_H
#define OPENRAS_PBK_INTERNAL_H

#include <stddef.h>

#include "openras/base/text.h"
#include "openras/pbk.h"

enum pbk_kind {
  PBK_BLANK,   /* empty or only spaces/tabs */
  PBK_COMMENT, /* first non-blank character is ';' */
  PBK_OTHER,   /* inside a section, no '=' or an empty key: kept, never read */
  PBK_SECTION, /* "[name]"; key holds the name */
  PBK_KV       /* "key=value"; key and val hold the trimmed parts */
};

enum pbk_eol { PBK_EOL_NONE, PBK_EOL_LF, PBK_EOL_CRLF };

/* One line. raw is a single allocation: the exact bytes (raw[len] == 0), then for
 * PBK_SECTION/PBK_KV the NUL-terminated key (and value) that key/val point to. */
typedef struct pbk_line {
  char *raw;
  size_t len;
  const char *key;
  const char *val;
  unsigned char kind;
  unsigned char eol;
} pbk_line;

/* A section header and the lines after it. The preamble has no header (head.raw NULL). */
typedef struct pbk_section {
  pbk_line head;
  pbk_line *body;
  size_t n, cap;
} pbk_section;

struct ora_pbk {
  int bom;           /* the input started with EF BB BF */
  unsigned char eol; /* line end for lines we add: the file's first one, else CRLF */
  size_t nlines;     /* lines in the file, headers included */
  pbk_section pre;
  pbk_section *sec;
  size_t nsec, seccap;
};

/* Builds a line from raw[0..len) (no line end), classifying it. Returns 0,
 * ORA_ERROR_CANNOT_LOAD_PHONEBOOK for an unterminated '[', or ORA_ERROR_NOT_ENOUGH_MEMORY. */
int pbk_line_make(pbk_line *out, const char *raw, size_t len, unsigned char eol);
void pbk_line_free(pbk_line *l);

/* A deep copy of src (one allocation, as pbk_line_make builds it). 0 or ENOMEM. */
int pbk_line_copy(pbk_line *out, const pbk_line *src);

/* Inserts l at position pos of s's body (taking ownership on success). 0 or ENOMEM. */
int pbk_body_insert(pbk_section *s, size_t pos, pbk_line *l);

/* ASCII case-insensitive prefix test (equality: ora_ieq, base/text.h). */
int pbk_iprefix(const char *s, const char *prefix);

#endif
