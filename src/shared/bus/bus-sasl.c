/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-sasl.c: the D-Bus authentication conversation, see bus-sasl.h. The server reproduces
 * libdbus's (dbus-daemon 1.14) command handling reply for reply: the wording of its ERROR
 * lines, what counts as a failed attempt, its hex and uid parsing quirks (an odd digit count
 * is accepted; the uid is read like strtoul(…, 0)). Lines and replies never exceed
 * BUS_SASL_LINE_MAX bytes, so the hex decoding works in a fixed stack buffer.
 */

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "bus/bus-sasl.h"
#include "string-util.h"

/* ---- shared helpers ---- */

typedef struct SaslBuffer {
        char *data;
        size_t size, allocated;
} SaslBuffer;

static int sasl_buffer_append(SaslBuffer *b, const char *s, size_t n) {
        if (n == 0)
                return 0;
        if (!GREEDY_REALLOC(b->data, b->allocated, b->size + n))
                return -ENOMEM;
        memcpy(b->data + b->size, s, n);
        b->size += n;
        return 0;
}

static void sasl_buffer_drain(SaslBuffer *b, size_t n) {
        n = MIN(n, b->size);
        if (n == 0)
                return;
        memmove(b->data, b->data + n, b->size - n);
        b->size -= n;
}

/* Finds the first line in p[0..n): returns 1 and its length without "\r\n", 0 if no complete
 * line is there yet, -E2BIG if the line cannot end within BUS_SASL_LINE_MAX bytes. */
static int sasl_find_line(const char *p, size_t n, size_t *ret_len) {
        const char *e = memmem(p, MIN(n, (size_t) BUS_SASL_LINE_MAX), "\r\n", 2);

        if (e) {
                *ret_len = (size_t) (e - p);
                return 1;
        }
        return n >= BUS_SASL_LINE_MAX ? -E2BIG : 0;
}

/* libdbus accepts only ASCII without NUL bytes in a command. */
static bool sasl_line_is_ascii(const char *p, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (p[i] == 0 || (unsigned char) p[i] >= 0x80)
                        return false;
        return true;
}

static bool is_blank(char c) {
        return c == ' ' || c == '\t';
}

static size_t word_length(const char *p, size_t n) {
        size_t i = 0;

        while (i < n && !is_blank(p[i]))
                i++;
        return i;
}

static size_t skip_blanks(const char *p, size_t n, size_t i) {
        while (i < n && is_blank(p[i]))
                i++;
        return i;
}

static bool word_is(const char *p, size_t n, const char *word) {
        return strlen(word) == n && memcmp(p, word, n) == 0;
}

typedef enum SaslCommand {
        SASL_AUTH,
        SASL_CANCEL,
        SASL_DATA,
        SASL_BEGIN,
        SASL_REJECTED,
        SASL_OK,
        SASL_ERROR,
        SASL_NEGOTIATE_UNIX_FD,
        SASL_AGREE_UNIX_FD,
        SASL_UNKNOWN,
} SaslCommand;

static const char *const sasl_command_names[] = {
        [SASL_AUTH] = "AUTH",
        [SASL_CANCEL] = "CANCEL",
        [SASL_DATA] = "DATA",
        [SASL_BEGIN] = "BEGIN",
        [SASL_REJECTED] = "REJECTED",
        [SASL_OK] = "OK",
        [SASL_ERROR] = "ERROR",
        [SASL_NEGOTIATE_UNIX_FD] = "NEGOTIATE_UNIX_FD",
        [SASL_AGREE_UNIX_FD] = "AGREE_UNIX_FD",
};

/* Splits a line into its command (the first word, case-sensitive) and its arguments (the rest
 * after the blanks that follow the command, trailing blanks kept). */
static SaslCommand sasl_parse_command(const char *line, size_t n, const char **ret_args,
                                      size_t *ret_args_len) {
        size_t w = word_length(line, n), a = skip_blanks(line, n, w);

        *ret_args = line + a;
        *ret_args_len = n - a;
        for (size_t i = 0; i < ELEMENTSOF(sasl_command_names); i++)
                if (word_is(line, w, sasl_command_names[i]))
                        return (SaslCommand) i;
        return SASL_UNKNOWN;
}

/* Decodes hex as libdbus does: either case, an odd final digit gives its high nibble. Returns
 * false at the first character that is not a hex digit. out holds at least (n + 1) / 2 bytes. */
static bool sasl_hex_decode(const char *s, size_t n, char *out, size_t *ret_n) {
        for (size_t i = 0; i < n; i++) {
                int v = unhexchar(s[i]);

                if (v < 0)
                        return false;
                if (i % 2 == 0)
                        out[i / 2] = (char) (v << 4);
                else
                        out[i / 2] = (char) (out[i / 2] | v);
        }
        *ret_n = (n + 1) / 2;
        return true;
}

static const char *const mechanism_names[_BUS_SASL_MECHANISM_MAX] = {
        [BUS_SASL_MECHANISM_EXTERNAL] = "EXTERNAL",
        [BUS_SASL_MECHANISM_ANONYMOUS] = "ANONYMOUS",
};

const char *bus_sasl_mechanism_to_string(BusSaslMechanism m) {
        if (m < 0 || m >= _BUS_SASL_MECHANISM_MAX)
                return NULL;
        return mechanism_names[m];
}

static BusSaslMechanism mechanism_from_name(const char *p, size_t n) {
        for (size_t i = 0; i < ELEMENTSOF(mechanism_names); i++)
                if (word_is(p, n, mechanism_names[i]))
                        return (BusSaslMechanism) i;
        return _BUS_SASL_MECHANISM_INVALID;
}

BusSaslMechanism bus_sasl_mechanism_from_string(const char *s) {
        return s ? mechanism_from_name(s, strlen(s)) : _BUS_SASL_MECHANISM_INVALID;
}

/* ---- GUIDs ---- */

bool bus_guid_is_valid(const char *s) {
        if (!s || strlen(s) != BUS_GUID_STRING_SIZE - 1)
                return false;
        for (size_t i = 0; s[i]; i++)
                if (unhexchar(s[i]) < 0)
                        return false;
        return true;
}

static void random_bytes(uint8_t *p, size_t n) {
        ssize_t k = -1;

#ifdef GRND_INSECURE
        k = getrandom(p, n, GRND_INSECURE);
#endif
        if (k != (ssize_t) n)
                k = getrandom(p, n, GRND_NONBLOCK);
        if (k != (ssize_t) n) {
                /* No entropy yet (early boot on an old kernel): a GUID only has to differ
                 * between servers, so time and pid will do. */
                struct timespec ts;
                uint64_t x;

                clock_gettime(CLOCK_REALTIME, &ts);
                x = (uint64_t) ts.tv_nsec ^ ((uint64_t) ts.tv_sec << 20) ^
                    ((uint64_t) getpid() << 40);
                for (size_t i = 0; i < n; i++) {
                        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                        p[i] = (uint8_t) (x >> 56);
                }
        }
}

int bus_guid_new(char ret[static BUS_GUID_STRING_SIZE]) {
        uint8_t bytes[16];
        uint32_t now = (uint32_t) time(NULL);

        random_bytes(bytes, 12);
        bytes[12] = (uint8_t) (now >> 24);
        bytes[13] = (uint8_t) (now >> 16);
        bytes[14] = (uint8_t) (now >> 8);
        bytes[15] = (uint8_t) now;
        for (size_t i = 0; i < sizeof bytes; i++) {
                ret[2 * i] = (char) hexchar(bytes[i] >> 4);
                ret[2 * i + 1] = (char) hexchar(bytes[i]);
        }
        ret[32] = 0;
        return 0;
}

/* ---- server ---- */

typedef enum ServerStep {
        SERVER_WAITING_FOR_NUL,
        SERVER_WAITING_FOR_AUTH,
        SERVER_WAITING_FOR_DATA,
        SERVER_WAITING_FOR_BEGIN,
        SERVER_AUTHENTICATED,
        SERVER_FAILED,
} ServerStep;

struct BusSaslServer {
        ServerStep step;
        unsigned mechanisms;
        uid_t peer_uid;
        bool can_pass_fds;
        char guid[BUS_GUID_STRING_SIZE];

        unsigned failures; /* REJECTED replies so far */
        bool asked_for_identity; /* the empty DATA challenge of EXTERNAL went out */
        bool unix_fds; /* AGREE_UNIX_FD went out (kept across CANCEL, as libdbus) */
        BusSaslMechanism mechanism; /* what reached OK, with uid */
        uid_t uid;
        const char *failure;
        SaslBuffer out;
};

int bus_sasl_server_new(const BusSaslServerConfig *config, BusSaslServer **ret) {
        BusSaslServer *s;

        if (!config || !ret || !bus_guid_is_valid(config->guid) ||
            (config->mechanisms & ~((1U << _BUS_SASL_MECHANISM_MAX) - 1)) != 0)
                return -EINVAL;
        for (const char *g = config->guid; *g; g++)
                if (*g >= 'A' && *g <= 'F')
                        return -EINVAL;

        s = new0(BusSaslServer, 1);
        if (!s)
                return -ENOMEM;
        s->step = SERVER_WAITING_FOR_NUL;
        s->mechanisms = config->mechanisms;
        s->peer_uid = config->peer_uid;
        s->can_pass_fds = config->can_pass_fds;
        memcpy(s->guid, config->guid, sizeof s->guid);
        s->mechanism = _BUS_SASL_MECHANISM_INVALID;
        s->uid = UID_INVALID;
        *ret = s;
        return 0;
}

BusSaslServer *bus_sasl_server_free(BusSaslServer *s) {
        if (!s)
                return NULL;
        free(s->out.data);
        free(s);
        return NULL;
}

static void server_fail(BusSaslServer *s, const char *reason) {
        s->step = SERVER_FAILED;
        s->failure = reason;
}

/* Appends to the replies; after running out of memory nothing more (the caller disconnects). */
static void server_send(BusSaslServer *s, const char *text) {
        if (s->step == SERVER_FAILED)
                return;
        if (sasl_buffer_append(&s->out, text, strlen(text)) < 0)
                server_fail(s, "Out of memory during authentication");
}

/* libdbus quotes the message: ERROR "Unknown command" */
static void server_send_error(BusSaslServer *s, const char *message) {
        server_send(s, "ERROR \"");
        server_send(s, message);
        server_send(s, "\"\r\n");
}

static void server_reject(BusSaslServer *s) {
        server_send(s, "REJECTED");
        for (BusSaslMechanism m = 0; m < _BUS_SASL_MECHANISM_MAX; m++)
                if (s->mechanisms & BUS_SASL_MECHANISM_MASK(m)) {
                        server_send(s, " ");
                        server_send(s, mechanism_names[m]);
                }
        server_send(s, "\r\n");
        if (s->step == SERVER_FAILED)
                return;

        s->asked_for_identity = false;
        s->mechanism = _BUS_SASL_MECHANISM_INVALID;
        s->uid = UID_INVALID;
        if (++s->failures >= BUS_SASL_FAILURES_MAX)
                server_fail(s, "Too many failed authentication attempts");
        else
                s->step = SERVER_WAITING_FOR_AUTH;
}

static void server_ok(BusSaslServer *s, BusSaslMechanism m, uid_t uid) {
        server_send(s, "OK ");
        server_send(s, s->guid);
        server_send(s, "\r\n");
        if (s->step == SERVER_FAILED)
                return;
        s->mechanism = m;
        s->uid = uid;
        s->step = SERVER_WAITING_FOR_BEGIN;
}

/* The identity EXTERNAL asks for, as libdbus reads it: the whole string must be a number for
 * strtoul(…, 0) (so leading blanks, a sign, 0x and octal are accepted). ULONG_MAX means
 * "no uid" there and is refused. */
static bool external_parse_uid(const char *identity, size_t n, unsigned long *ret) {
        unsigned long v;
        char *end;

        if (n == 0 || memchr(identity, 0, n))
                return false;
        errno = 0;
        v = strtoul(identity, &end, 0);
        if (errno != 0 || end == identity || (size_t) (end - identity) != n || v == ULONG_MAX)
                return false;
        *ret = v;
        return true;
}

/* identity is NUL-terminated at identity[n]. */
static void server_external_data(BusSaslServer *s, const char *identity, size_t n) {
        unsigned long uid;

        if (s->peer_uid == UID_INVALID) {
                server_reject(s); /* no credentials to check against */
                return;
        }
        if (n == 0 && !s->asked_for_identity) {
                /* No initial response: ask for one with an empty challenge. */
                server_send(s, "DATA\r\n");
                s->asked_for_identity = true;
                if (s->step != SERVER_FAILED)
                        s->step = SERVER_WAITING_FOR_DATA;
                return;
        }
        if (n == 0) /* an empty answer to the challenge: whoever the socket says */
                uid = s->peer_uid;
        else if (!external_parse_uid(identity, n, &uid)) {
                server_reject(s);
                return;
        }
        if (uid != (unsigned long) s->peer_uid) {
                server_reject(s);
                return;
        }
        server_ok(s, BUS_SASL_MECHANISM_EXTERNAL, (uid_t) uid);
}

/* The optional trace string of ANONYMOUS must be UTF-8 as libdbus checks it: no NUL, no
 * overlong forms, no surrogates, nothing above U+10FFFF (noncharacters are fine). */
static bool anonymous_trace_is_valid(const char *p, size_t n) {
        while (n > 0) {
                uint32_t c;
                int k = utf8_decode_one(p, n, &c);

                if (k < 0 || c == 0)
                        return false;
                p += k;
                n -= (size_t) k;
        }
        return true;
}

static void server_process_data(BusSaslServer *s, BusSaslMechanism m, const char *hex, size_t n) {
        char decoded[BUS_SASL_LINE_MAX / 2 + 1];
        size_t k;

        if (!sasl_hex_decode(hex, n, decoded, &k)) {
                server_send_error(s, "Invalid hex encoding");
                return;
        }
        decoded[k] = 0;
        if (m == BUS_SASL_MECHANISM_EXTERNAL) {
                server_external_data(s, decoded, k);
                return;
        }
        if (k > 0 && !anonymous_trace_is_valid(decoded, k)) {
                server_reject(s);
                return;
        }
        server_ok(s, BUS_SASL_MECHANISM_ANONYMOUS, UID_INVALID);
}

/* "AUTH" alone asks for the mechanism list; "AUTH MECH [hex initial response]" starts one. */
static void server_auth(BusSaslServer *s, const char *args, size_t n) {
        size_t w, r;
        BusSaslMechanism m;

        if (n == 0) {
                server_reject(s);
                return;
        }
        w = word_length(args, n);
        r = skip_blanks(args, n, w);
        m = mechanism_from_name(args, w);
        if (m < 0 || !(s->mechanisms & BUS_SASL_MECHANISM_MASK(m))) {
                server_reject(s);
                return;
        }
        server_process_data(s, m, args + r, n - r);
}

static void server_waiting_for_auth(BusSaslServer *s, SaslCommand cmd, const char *args, size_t n) {
        switch (cmd) {
        case SASL_AUTH:
                server_auth(s, args, n);
                break;
        case SASL_CANCEL:
        case SASL_DATA:
                server_send_error(s, "Not currently in an auth conversation");
                break;
        case SASL_BEGIN:
                server_fail(s, "Client sent BEGIN before authenticating");
                break;
        case SASL_ERROR:
                server_reject(s);
                break;
        case SASL_NEGOTIATE_UNIX_FD:
                server_send_error(s, "Need to authenticate first");
                break;
        default:
                server_send_error(s, "Unknown command");
                break;
        }
}

static void server_waiting_for_data(BusSaslServer *s, SaslCommand cmd, const char *args, size_t n) {
        switch (cmd) {
        case SASL_AUTH:
                server_send_error(s, "Sent AUTH while another AUTH in progress");
                break;
        case SASL_CANCEL:
        case SASL_ERROR:
                server_reject(s);
                break;
        case SASL_DATA:
                /* only EXTERNAL sends challenges */
                server_process_data(s, BUS_SASL_MECHANISM_EXTERNAL, args, n);
                return;
        case SASL_BEGIN:
                server_fail(s, "Client sent BEGIN before authenticating");
                break;
        case SASL_NEGOTIATE_UNIX_FD:
                server_send_error(s, "Need to authenticate first");
                break;
        default:
                server_send_error(s, "Unknown command");
                break;
        }
}

static void server_waiting_for_begin(BusSaslServer *s, SaslCommand cmd) {
        switch (cmd) {
        case SASL_AUTH:
                server_send_error(s, "Sent AUTH while expecting BEGIN");
                break;
        case SASL_DATA:
                server_send_error(s, "Sent DATA while expecting BEGIN");
                break;
        case SASL_BEGIN:
                s->step = SERVER_AUTHENTICATED;
                return;
        case SASL_NEGOTIATE_UNIX_FD:
                if (!s->can_pass_fds) {
                        server_send_error(s, "Unix FD passing not supported, not authenticated or "
                                             "otherwise not possible");
                        return;
                }
                server_send(s, "AGREE_UNIX_FD\r\n");
                s->unix_fds = true;
                return;
        case SASL_CANCEL:
        case SASL_ERROR:
                server_reject(s);
                break;
        default:
                server_send_error(s, "Unknown command");
                break;
        }
}

static void server_process_line(BusSaslServer *s, const char *line, size_t n) {
        const char *args;
        size_t args_len;
        SaslCommand cmd;

        if (!sasl_line_is_ascii(line, n)) {
                server_send_error(s, "Command contained non-ASCII");
                return;
        }
        cmd = sasl_parse_command(line, n, &args, &args_len);
        switch (s->step) {
        case SERVER_WAITING_FOR_AUTH:
                server_waiting_for_auth(s, cmd, args, args_len);
                break;
        case SERVER_WAITING_FOR_DATA:
                server_waiting_for_data(s, cmd, args, args_len);
                break;
        case SERVER_WAITING_FOR_BEGIN:
                server_waiting_for_begin(s, cmd);
                break;
        default:
                assert(false);
        }
}

BusSaslState bus_sasl_server_feed(BusSaslServer *s, const void *data, size_t size,
                                  size_t *ret_consumed) {
        const char *p = data;
        size_t used = 0, len;
        int r;

        assert(s);
        assert(data || size == 0);
        assert(ret_consumed);

        if (s->step == SERVER_WAITING_FOR_NUL && size > 0) {
                /* libdbus reads this byte on its own, before any line */
                if (p[0] != 0)
                        server_fail(s, "Credentials byte was not nul");
                else {
                        used = 1;
                        s->step = SERVER_WAITING_FOR_AUTH;
                }
        }
        while (s->step >= SERVER_WAITING_FOR_AUTH && s->step <= SERVER_WAITING_FOR_BEGIN &&
               s->out.size <= BUS_SASL_OUTPUT_MAX) {
                r = sasl_find_line(p + used, size - used, &len);
                if (r == 0)
                        break;
                if (r < 0) {
                        server_fail(s, "Authentication command line too long");
                        break;
                }
                server_process_line(s, p + used, len);
                used += len + 2;
        }
        *ret_consumed = used;
        return bus_sasl_server_get_state(s);
}

BusSaslState bus_sasl_server_get_state(const BusSaslServer *s) {
        return s->step == SERVER_AUTHENTICATED ? BUS_SASL_AUTHENTICATED
               : s->step == SERVER_FAILED      ? BUS_SASL_FAILED
                                               : BUS_SASL_IN_PROGRESS;
}

uid_t bus_sasl_server_get_uid(const BusSaslServer *s) {
        return s->step == SERVER_AUTHENTICATED ? s->uid : UID_INVALID;
}

BusSaslMechanism bus_sasl_server_get_mechanism(const BusSaslServer *s) {
        return s->step == SERVER_AUTHENTICATED ? s->mechanism : _BUS_SASL_MECHANISM_INVALID;
}

bool bus_sasl_server_get_unix_fds(const BusSaslServer *s) {
        return s->unix_fds;
}

const char *bus_sasl_server_get_failure(const BusSaslServer *s) {
        return s->step == SERVER_FAILED ? s->failure : NULL;
}

const void *bus_sasl_server_peek_output(const BusSaslServer *s, size_t *ret_size) {
        *ret_size = s->out.size;
        return s->out.data;
}

void bus_sasl_server_drain_output(BusSaslServer *s, size_t n) {
        sasl_buffer_drain(&s->out, n);
}

/* ---- client ---- */

typedef enum ClientStep {
        CLIENT_WAITING_FOR_DATA_OR_OK, /* sent AUTH EXTERNAL without identity, then DATA */
        CLIENT_WAITING_FOR_OK,
        CLIENT_WAITING_FOR_DATA_REPLY, /* got OK at once: the reply to our DATA follows */
        CLIENT_WAITING_FOR_AGREE,
        CLIENT_AUTHENTICATED,
        CLIENT_FAILED,
} ClientStep;

struct BusSaslClient {
        ClientStep step;
        bool want_fds;
        bool unix_fds;
        char expected_guid[BUS_GUID_STRING_SIZE]; /* "" for any */
        char guid[BUS_GUID_STRING_SIZE]; /* "" until OK */
        const char *failure;
        SaslBuffer out;
};

static void lowercase_copy(char *dst, const char *src, size_t n) {
        for (size_t i = 0; i < n; i++)
                dst[i] = (char) hexchar(unhexchar(src[i]));
        dst[n] = 0;
}

static int client_write_request(BusSaslClient *c, const BusSaslClientConfig *config) {
        /* what sd-bus sends as ANONYMOUS trace: "anonymous" */
        static const char anonymous_trace[] = "616e6f6e796d6f7573";
        char line[128], uid_text[32];
        int k = 0;

        if (config->mechanism == BUS_SASL_MECHANISM_ANONYMOUS)
                k = snprintf(line, sizeof line, "%cAUTH ANONYMOUS %s\r\n", 0, anonymous_trace);
        else if (config->uid == UID_INVALID)
                k = snprintf(line, sizeof line, "%cAUTH EXTERNAL\r\nDATA\r\n", 0);
        else {
                size_t n =
                        (size_t) snprintf(uid_text, sizeof uid_text, "%u", (unsigned) config->uid);
                char hex[2 * sizeof uid_text + 1];

                for (size_t i = 0; i < n; i++) {
                        hex[2 * i] = (char) hexchar(uid_text[i] >> 4);
                        hex[2 * i + 1] = (char) hexchar(uid_text[i]);
                }
                hex[2 * n] = 0;
                k = snprintf(line, sizeof line, "%cAUTH EXTERNAL %s\r\n", 0, hex);
        }
        assert(k > 0 && (size_t) k < sizeof line);
        if (sasl_buffer_append(&c->out, line, (size_t) k) < 0)
                return -ENOMEM;
        if (config->want_fds && sasl_buffer_append(&c->out, "NEGOTIATE_UNIX_FD\r\n", 19) < 0)
                return -ENOMEM;
        return sasl_buffer_append(&c->out, "BEGIN\r\n", 7);
}

int bus_sasl_client_new(const BusSaslClientConfig *config, BusSaslClient **ret) {
        _cleanup_(bus_sasl_client_freep) BusSaslClient *c = NULL;

        if (!config || !ret ||
            !IN_SET(config->mechanism, BUS_SASL_MECHANISM_EXTERNAL, BUS_SASL_MECHANISM_ANONYMOUS) ||
            (config->expected_guid && !bus_guid_is_valid(config->expected_guid)))
                return -EINVAL;

        c = new0(BusSaslClient, 1);
        if (!c)
                return -ENOMEM;
        c->want_fds = config->want_fds;
        if (config->expected_guid)
                lowercase_copy(c->expected_guid, config->expected_guid, BUS_GUID_STRING_SIZE - 1);
        c->step = config->mechanism == BUS_SASL_MECHANISM_EXTERNAL && config->uid == UID_INVALID
                          ? CLIENT_WAITING_FOR_DATA_OR_OK
                          : CLIENT_WAITING_FOR_OK;
        if (client_write_request(c, config) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(c);
        return 0;
}

BusSaslClient *bus_sasl_client_free(BusSaslClient *c) {
        if (!c)
                return NULL;
        free(c->out.data);
        free(c);
        return NULL;
}

static void client_fail(BusSaslClient *c, const char *reason) {
        c->step = CLIENT_FAILED;
        c->failure = reason;
}

/* "OK <guid>": exactly 32 hex digits, matching the address's guid= if there was one. */
static void client_take_ok(BusSaslClient *c, const char *args, size_t n, ClientStep next) {
        char guid[BUS_GUID_STRING_SIZE];

        if (n != BUS_GUID_STRING_SIZE - 1) {
                client_fail(c, "Server sent an invalid GUID");
                return;
        }
        for (size_t i = 0; i < n; i++)
                if (unhexchar(args[i]) < 0) {
                        client_fail(c, "Server sent an invalid GUID");
                        return;
                }
        lowercase_copy(guid, args, n);
        if (c->expected_guid[0] && !streq(guid, c->expected_guid)) {
                client_fail(c, "Server GUID does not match the one in the address");
                return;
        }
        memcpy(c->guid, guid, sizeof guid);
        c->step = next;
}

static ClientStep client_after_ok(const BusSaslClient *c) {
        return c->want_fds ? CLIENT_WAITING_FOR_AGREE : CLIENT_AUTHENTICATED;
}

static void client_unexpected(BusSaslClient *c, SaslCommand cmd) {
        client_fail(c, cmd == SASL_REJECTED ? "Server rejected the authentication"
                       : cmd == SASL_ERROR  ? "Server answered the authentication with an error"
                                            : "Server sent an unexpected authentication reply");
}

static void client_process_line(BusSaslClient *c, const char *line, size_t n) {
        const char *args;
        size_t args_len;
        SaslCommand cmd;

        if (!sasl_line_is_ascii(line, n)) {
                client_fail(c, "Server sent a non-ASCII authentication reply");
                return;
        }
        cmd = sasl_parse_command(line, n, &args, &args_len);
        switch (c->step) {
        case CLIENT_WAITING_FOR_DATA_OR_OK:
                if (cmd == SASL_DATA) { /* the challenge our pipelined DATA answers */
                        c->step = CLIENT_WAITING_FOR_OK;
                        return;
                }
                if (cmd == SASL_OK) {
                        client_take_ok(c, args, args_len, CLIENT_WAITING_FOR_DATA_REPLY);
                        return;
                }
                client_unexpected(c, cmd);
                return;
        case CLIENT_WAITING_FOR_OK:
                if (cmd == SASL_OK) {
                        client_take_ok(c, args, args_len, client_after_ok(c));
                        return;
                }
                client_unexpected(c, cmd);
                return;
        case CLIENT_WAITING_FOR_DATA_REPLY:
                /* libdbus answers a DATA after OK with ERROR, old sd-bus with another OK */
                if (cmd == SASL_OK || cmd == SASL_ERROR) {
                        c->step = client_after_ok(c);
                        return;
                }
                client_unexpected(c, cmd);
                return;
        case CLIENT_WAITING_FOR_AGREE:
                if (cmd == SASL_AGREE_UNIX_FD || cmd == SASL_ERROR) {
                        c->unix_fds = cmd == SASL_AGREE_UNIX_FD;
                        c->step = CLIENT_AUTHENTICATED;
                        return;
                }
                client_unexpected(c, cmd);
                return;
        default:
                assert(false);
        }
}

BusSaslState bus_sasl_client_feed(BusSaslClient *c, const void *data, size_t size,
                                  size_t *ret_consumed) {
        const char *p = data;
        size_t used = 0, len;
        int r;

        assert(c);
        assert(data || size == 0);
        assert(ret_consumed);

        while (c->step < CLIENT_AUTHENTICATED) {
                r = sasl_find_line(p + used, size - used, &len);
                if (r == 0)
                        break;
                if (r < 0) {
                        client_fail(c, "Server sent an over-long authentication reply");
                        break;
                }
                client_process_line(c, p + used, len);
                used += len + 2;
        }
        *ret_consumed = used;
        return bus_sasl_client_get_state(c);
}

BusSaslState bus_sasl_client_get_state(const BusSaslClient *c) {
        return c->step == CLIENT_AUTHENTICATED ? BUS_SASL_AUTHENTICATED
               : c->step == CLIENT_FAILED      ? BUS_SASL_FAILED
                                               : BUS_SASL_IN_PROGRESS;
}

const char *bus_sasl_client_get_server_guid(const BusSaslClient *c) {
        return c->guid[0] ? c->guid : NULL;
}

bool bus_sasl_client_get_unix_fds(const BusSaslClient *c) {
        return c->unix_fds;
}

const char *bus_sasl_client_get_failure(const BusSaslClient *c) {
        return c->step == CLIENT_FAILED ? c->failure : NULL;
}

const void *bus_sasl_client_peek_output(const BusSaslClient *c, size_t *ret_size) {
        *ret_size = c->out.size;
        return c->out.data;
}

void bus_sasl_client_drain_output(BusSaslClient *c, size_t n) {
        sasl_buffer_drain(&c->out, n);
}
