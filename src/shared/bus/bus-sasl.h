/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-sasl: the line-based authentication that opens every D-Bus connection (D-Bus
 * specification, "Authentication Protocol"), as two pure state machines that never touch a
 * socket. The connection code reads bytes, hands them to bus_sasl_server_feed() or
 * bus_sasl_client_feed(), writes out what peek_output() shows (then drain_output()), and once
 * the state is BUS_SASL_AUTHENTICATED treats every byte the feed did not consume as the start
 * of the message stream. A feed consumes the initial NUL byte (server) and complete
 * "\r\n"-terminated lines only; a partial line stays with the caller, who passes it again with
 * more bytes. Each object owns its output buffer.
 *
 * Server, behaving as dbus-daemon 1.14 (libdbus dbus-auth.c), one reply per command:
 *
 *   first byte NUL                -> WAITING_FOR_AUTH (anything else: FAILED)
 *   WAITING_FOR_AUTH
 *     AUTH EXTERNAL               -> "DATA" (a challenge), WAITING_FOR_DATA
 *     AUTH EXTERNAL <hex uid>     -> "OK <guid>" if it is the socket's uid, WAITING_FOR_BEGIN
 *     AUTH ANONYMOUS [<hex trace>] -> "OK <guid>", WAITING_FOR_BEGIN
 *   WAITING_FOR_DATA
 *     DATA, DATA <hex uid>        -> "OK <guid>" for the socket's uid, WAITING_FOR_BEGIN
 *   WAITING_FOR_BEGIN
 *     NEGOTIATE_UNIX_FD           -> "AGREE_UNIX_FD" (ERROR if fds cannot pass)
 *     BEGIN                       -> AUTHENTICATED, no reply
 *
 * "REJECTED <allowed mechanisms>" answers AUTH without or with an unknown mechanism, a
 * refused identity, ERROR, and CANCEL after AUTH; it returns to WAITING_FOR_AUTH
 * and the sixth one fails. Other commands out of place get ERROR "<libdbus's text>". BEGIN
 * before OK and a line over BUS_SASL_LINE_MAX fail without a reply.
 *
 * A failed server may still hold replies (the last REJECTED): write them if possible, then
 * disconnect. Which authenticated identities may stay connected (allow_anonymous, user
 * policy) is the caller's decision, as in dbus-daemon, where it happens after BEGIN.
 *
 * Client: everything is written at once, pipelined (NUL, AUTH, optionally DATA and
 * NEGOTIATE_UNIX_FD, BEGIN); the feed then checks the replies in order and stops right after
 * the last one it expects, so messages the server sends next stay unconsumed.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "macro.h"

#ifndef UID_INVALID
#define UID_INVALID ((uid_t) -1)
#endif

/* Longest command line, its "\r\n" included; a longer one disconnects (as libdbus's 16 KiB
 * auth buffer does). */
#define BUS_SASL_LINE_MAX 16384U
/* The feed stops taking lines while more reply bytes than this wait to be written. */
#define BUS_SASL_OUTPUT_MAX 16384U
/* REJECTED replies after which the server gives up (libdbus's max_failures). */
#define BUS_SASL_FAILURES_MAX 6U
/* A server GUID: 32 lowercase hex characters and the NUL. */
#define BUS_GUID_STRING_SIZE 33U

typedef enum BusSaslMechanism {
        BUS_SASL_MECHANISM_EXTERNAL,
        BUS_SASL_MECHANISM_ANONYMOUS,
        _BUS_SASL_MECHANISM_MAX,
        _BUS_SASL_MECHANISM_INVALID = -EINVAL,
} BusSaslMechanism;

#define BUS_SASL_MECHANISM_MASK(m) (1U << (m))

/* "EXTERNAL", "ANONYMOUS"; NULL for anything else. */
const char *bus_sasl_mechanism_to_string(BusSaslMechanism m) _const_;
/* The mechanism of that exact (case-sensitive) name, or _BUS_SASL_MECHANISM_INVALID. This
 * maps a configuration's <auth> elements; DBUS_COOKIE_SHA1 is not implemented. */
BusSaslMechanism bus_sasl_mechanism_from_string(const char *s) _pure_;

typedef enum BusSaslState {
        BUS_SASL_IN_PROGRESS,
        BUS_SASL_AUTHENTICATED,
        BUS_SASL_FAILED, /* disconnect; the reason is in get_failure() */
} BusSaslState;

/* A new random GUID as libdbus makes them: 12 random bytes then the current time in seconds
 * as a 32-bit big-endian number, in lowercase hex. Returns 0 (it cannot fail: without
 * kernel randomness it falls back to a weaker mix). */
int bus_guid_new(char ret[static BUS_GUID_STRING_SIZE]);
/* Whether s is 32 hex characters (either case). */
bool bus_guid_is_valid(const char *s) _pure_;

/* ---- server ---- */

typedef struct BusSaslServerConfig {
        unsigned mechanisms; /* BUS_SASL_MECHANISM_MASK() of each allowed mechanism */
        uid_t peer_uid; /* from SO_PEERCRED, UID_INVALID when unknown (EXTERNAL fails) */
        bool can_pass_fds; /* whether the transport passes fds (AGREE_UNIX_FD) */
        const char *guid; /* the server GUID sent with OK: 32 lowercase hex characters */
} BusSaslServerConfig;

typedef struct BusSaslServer BusSaslServer;

/* A server waiting for the NUL byte. The config is copied. Returns 0, -EINVAL for a bad GUID
 * or unknown mechanism bits, -ENOMEM. */
int bus_sasl_server_new(const BusSaslServerConfig *config, BusSaslServer **ret);
/* Frees s (NULL is fine); returns NULL. */
BusSaslServer *bus_sasl_server_free(BusSaslServer *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(BusSaslServer *, bus_sasl_server_free);

/* Processes the client's bytes: the NUL byte first, then complete lines, appending the replies
 * to the output buffer. Stops right after "BEGIN\r\n" once authenticated, on failure, at a
 * partial line, and while more than BUS_SASL_OUTPUT_MAX bytes of output wait (write them out,
 * then call again with the rest). Sets *ret_consumed (always) to the number of bytes used;
 * the caller keeps the others. Returns the state afterwards (out of memory fails the
 * conversation); feeding a finished conversation consumes nothing. */
BusSaslState bus_sasl_server_feed(BusSaslServer *s, const void *data, size_t size,
                                  size_t *ret_consumed);
BusSaslState bus_sasl_server_get_state(const BusSaslServer *s) _pure_;
/* The uid the client authenticated as (EXTERNAL), UID_INVALID before that or for ANONYMOUS. */
uid_t bus_sasl_server_get_uid(const BusSaslServer *s) _pure_;
/* The mechanism that authenticated the client, _BUS_SASL_MECHANISM_INVALID before that. */
BusSaslMechanism bus_sasl_server_get_mechanism(const BusSaslServer *s) _pure_;
/* Whether AGREE_UNIX_FD was sent. */
bool bus_sasl_server_get_unix_fds(const BusSaslServer *s) _pure_;
/* Once failed, an English sentence for the log (static); NULL otherwise. */
const char *bus_sasl_server_get_failure(const BusSaslServer *s) _pure_;
/* The reply bytes not yet written (owned by s, valid until the next call on s). */
const void *bus_sasl_server_peek_output(const BusSaslServer *s, size_t *ret_size);
/* Drops the first n (at most the pending size) output bytes, after they were written. */
void bus_sasl_server_drain_output(BusSaslServer *s, size_t n);

/* ---- client ---- */

typedef struct BusSaslClientConfig {
        BusSaslMechanism mechanism; /* EXTERNAL or ANONYMOUS */
        /* EXTERNAL: the uid to claim (normally getuid()), sent as initial response so that the
         * server answers OK at once (libdbus's way); UID_INVALID claims none and answers the
         * server's DATA challenge with an empty DATA (sd-bus's way: the peer credentials). */
        uid_t uid;
        bool want_fds; /* send NEGOTIATE_UNIX_FD */
        const char *expected_guid; /* the address's guid=, or NULL to accept any */
} BusSaslClientConfig;

typedef struct BusSaslClient BusSaslClient;

/* A client whose whole request is already in its output buffer. Returns 0, -EINVAL for a bad
 * mechanism or expected GUID, -ENOMEM. */
int bus_sasl_client_new(const BusSaslClientConfig *config, BusSaslClient **ret);
BusSaslClient *bus_sasl_client_free(BusSaslClient *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(BusSaslClient *, bus_sasl_client_free);

/* Checks the server's reply lines: DATA (to an AUTH without identity), OK <guid>, then
 * AGREE_UNIX_FD or ERROR if fds were asked for. REJECTED, ERROR to AUTH, a bad or unexpected
 * GUID, an over-long line or anything unexpected fail. Stops right after the last expected
 * reply; sets *ret_consumed (always). Returns the state afterwards. */
BusSaslState bus_sasl_client_feed(BusSaslClient *c, const void *data, size_t size,
                                  size_t *ret_consumed);
BusSaslState bus_sasl_client_get_state(const BusSaslClient *c) _pure_;
/* The server's GUID in lowercase once OK was received, NULL before (owned by c). */
const char *bus_sasl_client_get_server_guid(const BusSaslClient *c) _pure_;
/* Whether the server agreed to fd passing. */
bool bus_sasl_client_get_unix_fds(const BusSaslClient *c) _pure_;
const char *bus_sasl_client_get_failure(const BusSaslClient *c) _pure_;
const void *bus_sasl_client_peek_output(const BusSaslClient *c, size_t *ret_size);
void bus_sasl_client_drain_output(BusSaslClient *c, size_t n);
