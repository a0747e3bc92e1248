/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * init-link: the manager's end of the channel to sysmaster-init (src/shared/init-protocol.h),
 * on the event loop. It says HELLO, sends heartbeats at half the interval init asks for,
 * delivers exit records once each (serials seen before are dropped, so a re-sent record after
 * a re-HELLO is not reported twice), hands over the fd store entries init pushes, forwards the
 * signals init received, and sends acknowledgements, fd store changes and the shutdown request.
 *
 * The manager owns the InitLink; the InitLink owns its socket. fds handed to callbacks belong
 * to the callee.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "init-protocol.h"
#include "macro.h"

typedef struct InitLink InitLink;

typedef struct InitLinkCallbacks {
        /* A record not seen before; acknowledge it with init_link_ack() once it is stored. */
        void (*exit_record)(InitLink *l, const InitExitRecord *record, void *userdata);
        /* One entry of the fd store: the callee takes the n fds. */
        void (*fdstore_entry)(InitLink *l, const char *name, int *fds, size_t n, void *userdata);
        /* The store was pushed completely (after each HELLO). */
        void (*fdstore_end)(InitLink *l, void *userdata);
        /* A signal init received (SIGINT for ctrl-alt-del, …). */
        void (*signal)(InitLink *l, int sig, void *userdata);
        /* init refused a message: its type, the positive errno, the fd store name if any. */
        void (*error)(InitLink *l, uint16_t type, int error, const char *name, void *userdata);
        /* The channel is gone (init died or closed it). */
        void (*disconnected)(InitLink *l, void *userdata);
} InitLinkCallbacks;

/* Takes fd (the SOCK_SEQPACKET end named by $SYSMASTER_INIT_FD) in all cases and sends HELLO.
 * Returns 0 or a negative errno. */
int init_link_new(Event *e, int fd, const InitLinkCallbacks *callbacks, void *userdata,
                  InitLink **ret);
/* The same with the fd from $SYSMASTER_INIT_FD (which is then unset): -ENXIO if not set. */
int init_link_new_from_env(Event *e, const InitLinkCallbacks *callbacks, void *userdata,
                           InitLink **ret);
InitLink *init_link_free(InitLink *l);
DEFINE_TRIVIAL_CLEANUP_FUNC(InitLink *, init_link_free);

/* From init's HELLO: which manager we are since boot (0 before the answer), the heartbeat
 * interval it expects. */
uint32_t init_link_get_generation(const InitLink *l);
/* The channel's fd (owned by the link), for re-execution in place (reexec.h). */
int init_link_get_fd(const InitLink *l);
uint64_t init_link_get_heartbeat_usec(const InitLink *l);
/* Whether the fd store has been received completely since the last HELLO. */
bool init_link_store_received(const InitLink *l);

/* Startup: reads init's answer to HELLO and the fd store it pushes, blocking up to timeout_usec,
 * and stops right after FDSTORE_END (the exit records that follow stay queued until the
 * manager is ready for them). 0, -ETIMEDOUT or -EPIPE. */
int init_link_wait_store(InitLink *l, uint64_t timeout_usec);
/* Handles what is queued now (e.g. the exit records after init_link_wait_store()). */
void init_link_process(InitLink *l);
/* After init_link_wait_store(): handles every exit record init held when it sent FDSTORE_END,
 * waiting for them up to timeout_usec. 0, -ETIMEDOUT or -EPIPE. */
int init_link_process_held_records(InitLink *l, uint64_t timeout_usec);
/* How many records init dropped from its full ring since boot, as of its last FDSTORE_END;
 * UINT64_MAX when unknown (no store received yet, or an init that does not say). */
uint64_t init_link_dropped_records(const InitLink *l);

/* Drops every record up to serial at init. */
int init_link_ack(InitLink *l, uint64_t serial);
/* Puts n (1..INIT_FDS_PER_MESSAGE_MAX) fds under name (replacing an entry of that name); init
 * keeps duplicates, the caller keeps its fds. */
int init_link_fdstore_put(InitLink *l, const char *name, const int *fds, size_t n);
int init_link_fdstore_remove(InitLink *l, const char *name);
/* Asks init to end the system (or the namespace) after the manager is done. */
int init_link_shutdown(InitLink *l, InitShutdownAction action, int exit_status);
/* Sends a heartbeat now (also done by the timer). */
int init_link_heartbeat(InitLink *l);
