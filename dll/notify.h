/* Notifier dispatch: the only per-connection state the DLL keeps.
 *
 * A dispatch belongs to one RasDial call (and the resumes that follow it). The
 * engine's sink, called on the engine's loop thread, only queues events here. An
 * asynchronous dispatch has a notifier thread (an idle one kept from an earlier dial,
 * or one started during the initial RasDial) that waits
 * until RasDial has stored the handle and returned (the gate), then calls the
 * notifier for each event and acknowledges it to the engine: the dial does not
 * advance while the notifier runs. A synchronous dispatch has no thread; RasDial
 * waits for the last event of the series.
 *
 * Dispatches are found by handle (resume, RasHangUp) and by an id that the engine
 * carries as the sink context, so an event for a dispatch that is gone is dropped
 * rather than touching freed memory. No lock of this module is held while calling the
 * engine or a notifier. */
#ifndef OPENRAS_DLL_NOTIFY_H
#define OPENRAS_DLL_NOTIFY_H

#include <windows.h>

#include "openras/engine.h"

typedef struct ora_dispatch ora_dispatch;

/* Notifier types of RasDial. */
#define ORA_NOTIFIER_FUNC 0
#define ORA_NOTIFIER_FUNC1 1
#define ORA_NOTIFIER_FUNC2 2
#define ORA_NOTIFIER_HWND 0xFFFFFFFFu

/* A new dispatch, registered; notifier NULL makes it synchronous. For an asynchronous
 * one its notifier thread is assigned now, waiting behind the closed gate. 0 or a RAS error.
 * The caller owns one reference (ora_dispatch_release). */
int ora_dispatch_create(DWORD type, void *notifier, ora_dispatch **out);

/* The sink and its context to give ora_engine_dial for this dispatch. */
void ora_dispatch_sink(ora_dispatch *d, ora_event_fn *fn, void **ctx);

/* Records the connection handle the engine returned. */
void ora_dispatch_bind(ora_dispatch *d, ora_handle h);

/* Opens the gate: notifications may run (called just before RasDial returns). */
void ora_dispatch_open(ora_dispatch *d);

/* Before a resume: closes the gate, forgets the last series' result, and lets a
 * notifier that returned 0 (RasDialFunc2) be notified again. */
void ora_dispatch_begin_series(ora_dispatch *d);

/* The dial failed at once: no notifier call will be made for this dispatch. Events
 * that still come are acknowledged so the engine never waits for this DLL. */
void ora_dispatch_silence(ora_dispatch *d);

/* Waits for the last event of the current series and returns its error (0 when the
 * series ended in Connected or a paused state). Gives up with the connection's
 * status when the engine reports the end otherwise (handle hung up: 631). */
DWORD ora_dispatch_wait(ora_dispatch *d);

/* Nonzero when the calling thread is this dispatch's notifier thread. */
int ora_dispatch_is_current_thread(ora_dispatch *d);

/* Unregisters the dispatch (no more events reach it) and stops its thread. */
void ora_dispatch_abandon(ora_dispatch *d);

/* The asynchronous dispatch of a connection (a new reference), or NULL. */
ora_dispatch *ora_dispatch_find(ora_handle h);

/* Replaces the notifier of an asynchronous dispatch (a resume names the notifier
 * again). 0, or ERROR_INVALID_PARAMETER for a synchronous one. */
int ora_dispatch_set_notifier(ora_dispatch *d, DWORD type, void *notifier);

/* The connection's last reference was hung up: its dispatches stop calling notifiers
 * (after a running call returns), their threads end and they are unregistered. */
void ora_dispatch_hung_up(ora_handle h);

void ora_dispatch_release(ora_dispatch *d);

#endif
