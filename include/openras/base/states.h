/* The names of the RAS connection states (rasdefs.h's ORA_CS_ values). */
#ifndef OPENRAS_BASE_STATES_H
#define OPENRAS_BASE_STATES_H

#include <stdint.h>

/* RASCS_ names without the prefix ("OpenPort", "Connected"); NULL for unknown values.
 * ora_state_from_name matches case-insensitively; 0 on success. */
const char *ora_state_name(uint32_t state);
int ora_state_from_name(const char *name, uint32_t *state);

#endif
