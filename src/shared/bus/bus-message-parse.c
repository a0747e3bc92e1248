/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-message-parse.c: the validating parser of received messages (bus_message_from_wire(),
 * bus_message_size_needed()), see bus-message.h. It checks every rule of the specification on
 * the raw bytes first, then builds the message: keeping the received bytes as they are when
 * the header is already laid out as we would write it, else rebuilding it.
 */

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus-message-internal.h"
#include "bus/bus-names.h"

/* ---- parser ---- */

/* Validation state: positions are offsets in the whole message, so alignment is absolute. */
typedef struct Validator {
        const uint8_t *d;
        size_t size, pos; /* size: end of the region being validated */
        bool big, lax_fds, fds_up_to;
        bool canonical; /* the header is as message_build_wire() would lay it out */
        uint32_t n_fds;
        unsigned arrays, structs, total;
        const char *reason;
} Validator;

static int v_fail(Validator *v, const char *reason) {
        v->reason = reason;
        return -EBADMSG;
}

static int v_align(Validator *v, size_t align) {
        size_t end = ALIGN_TO(v->pos, align);

        if (end > v->size)
                return v_fail(v, "message truncated inside alignment padding");
        for (; v->pos < end; v->pos++)
                if (v->d[v->pos] != 0)
                        return v_fail(v, "alignment padding is not zero");
        return 0;
}

static int v_get(Validator *v, size_t align, size_t n, const uint8_t **ret) {
        int r = v_align(v, align);
        if (r < 0)
                return r;
        if (v->size - v->pos < n)
                return v_fail(v, "message truncated inside a value");
        *ret = v->d + v->pos;
        v->pos += n;
        return 0;
}

static int v_fixed(Validator *v, char type) {
        size_t size = bus_type_fixed_size(type);
        const uint8_t *p;
        int r;

        r = v_get(v, size, size, &p);
        if (r < 0)
                return r;
        if (type == 'b' && get32(v->big, p) > 1)
                return v_fail(v, "boolean value is not 0 or 1");
        if (type == 'h' && !v->lax_fds && get32(v->big, p) >= v->n_fds)
                return v_fail(v, "unix fd index is not below the UNIX_FDS header field");
        return 0;
}

/* A 'g' value: *ret points at it (NUL-terminated in the message). */
static int v_signature(Validator *v, const char **ret, size_t *ret_len) {
        const uint8_t *p;
        size_t len;
        int r;

        r = v_get(v, 1, 1, &p);
        if (r < 0)
                return r;
        len = *p;
        r = v_get(v, 1, len + 1, &p);
        if (r < 0)
                return r;
        if (p[len] != 0 || memchr(p, 0, len))
                return v_fail(v, "signature is not NUL-terminated or contains a NUL");
        if (!signature_is_valid_n((const char *) p, len))
                return v_fail(v, "invalid type signature");
        *ret = (const char *) p;
        *ret_len = len;
        return 0;
}

static int v_string(Validator *v, char type) {
        const uint8_t *p;
        size_t len;
        int r;

        r = v_get(v, 4, 4, &p);
        if (r < 0)
                return r;
        len = get32(v->big, p);
        if (len >= BUS_MESSAGE_SIZE_MAX)
                return v_fail(v, "message truncated inside a value");
        r = v_get(v, 1, len + 1, &p);
        if (r < 0)
                return r;
        if (p[len] != 0 || memchr(p, 0, len))
                return v_fail(v, "string is not NUL-terminated or contains a NUL");
        if (!utf8_valid((const char *) p, len))
                return v_fail(v, "string is not valid UTF-8");
        if (type == 'o' && !bus_object_path_is_valid((const char *) p))
                return v_fail(v, "invalid object path");
        return 0;
}

static int v_value(Validator *v, const char *sig, size_t n, size_t *ret_k);

static int v_enter(Validator *v, char type) {
        v->arrays += type == 'a';
        v->structs += IN_SET(type, '(', '{');
        if (++v->total > BUS_TOTAL_DEPTH_MAX || v->arrays > BUS_ARRAY_DEPTH_MAX ||
            v->structs > BUS_STRUCT_DEPTH_MAX)
                return v_fail(v, "containers nested too deeply");
        return 0;
}

static void v_leave(Validator *v, char type) {
        v->arrays -= type == 'a';
        v->structs -= IN_SET(type, '(', '{');
        v->total--;
}

static int v_variant(Validator *v) {
        const char *sig;
        size_t len, k;
        int r;

        r = v_signature(v, &sig, &len);
        if (r < 0)
                return r;
        if (len == 0 || complete_type_length(sig, len, v->arrays, v->structs) !=
                                (int) len)
                return v_fail(v, "variant signature is not a single complete type");
        r = v_enter(v, 'v');
        if (r < 0)
                return r;
        r = v_value(v, sig, len, &k);
        v_leave(v, 'v');
        return r;
}

static int v_array(Validator *v, const char *elem, size_t elen) {
        const uint8_t *p;
        size_t len, end, k, fixed = bus_type_fixed_size(elem[0]);
        int r;

        r = v_get(v, 4, 4, &p);
        if (r < 0)
                return r;
        len = get32(v->big, p);
        if (len > BUS_ARRAY_SIZE_MAX)
                return v_fail(v, "array is longer than 64 MiB");
        r = v_align(v, bus_type_alignment(elem[0]));
        if (r < 0)
                return r;
        if (v->size - v->pos < len)
                return v_fail(v, "message truncated inside an array");
        end = v->pos + len;
        if (fixed > 0 && len % fixed != 0)
                return v_fail(v, "array length is not a multiple of its element size");
        r = v_enter(v, 'a');
        if (r < 0)
                return r;
        if (fixed > 0 && !IN_SET(elem[0], 'b', 'h'))
                v->pos = end; /* every bit pattern is a valid value */
        while (r >= 0 && v->pos < end)
                r = v_value(v, elem, elen, &k);
        v_leave(v, 'a');
        if (r >= 0 && v->pos != end)
                return v_fail(v, "array element runs past the end of the array");
        return r;
}

static int v_struct(Validator *v, const char *sig, size_t n, size_t *ret_k) {
        char close = sig[0] == '(' ? ')' : '}';
        size_t i = 1, k;
        int r;

        r = v_align(v, 8);
        if (r >= 0)
                r = v_enter(v, sig[0]);
        if (r < 0)
                return r;
        while (r >= 0 && i < n && sig[i] != close) {
                r = v_value(v, sig + i, n - i, &k);
                i += k;
        }
        v_leave(v, sig[0]);
        *ret_k = i + 1;
        return r;
}

/* Validates one value of the complete type at sig (already a valid signature); *ret_k is the
 * length of that type. */
static int v_value(Validator *v, const char *sig, size_t n, size_t *ret_k) {
        int k;

        *ret_k = 1;
        if (bus_type_is_fixed(sig[0]))
                return v_fixed(v, sig[0]);
        switch (sig[0]) {
        case 's':
        case 'o':
                return v_string(v, sig[0]);
        case 'g': {
                const char *s;
                size_t len;
                return v_signature(v, &s, &len);
        }
        case 'v':
                return v_variant(v);
        case 'a':
                k = complete_type_length(sig, n, 0, 0);
                if (k < 2)
                        return v_fail(v, "invalid type signature");
                *ret_k = k;
                return v_array(v, sig + 1, k - 1);
        case '(':
        case '{':
                return v_struct(v, sig, n, ret_k);
        default:
                return v_fail(v, "invalid type signature");
        }
}

int bus_message_size_needed(const void *data, size_t n, size_t *ret_size) {
        const uint8_t *d = data;
        uint64_t total;
        bool big;

        assert(ret_size);
        if (n < BUS_MESSAGE_FIXED_HEADER_SIZE) {
                *ret_size = 0;
                return 0;
        }
        if (!IN_SET(d[0], 'l', 'B') || d[3] != 1)
                return -EBADMSG;
        big = is_big(d[0]);
        total = BUS_MESSAGE_FIXED_HEADER_SIZE + ALIGN_TO((uint64_t) get32(big, d + 12), 8) +
                get32(big, d + 4);
        if (total > BUS_MESSAGE_SIZE_MAX)
                return -EMSGSIZE;
        *ret_size = total;
        return 0;
}

/* Checks the value of a known header field and stores it in m. pos is where the value starts. */
static int v_store_field(Validator *v, BusMessage *m, uint8_t code, size_t pos) {
        const uint8_t *p = v->d + pos;
        const char *s;

        if (field_types[code] == 'u') {
                uint32_t u = get32(v->big, v->d + ALIGN_TO(pos, 4));
                if (code == BUS_FIELD_REPLY_SERIAL) {
                        if (u == 0)
                                return v_fail(v, "REPLY_SERIAL header field is 0");
                        m->reply_serial = u;
                } else
                        m->unix_fds = u;
                if (u == 0)
                        v->canonical = false; /* a rebuilt header leaves it out */
                return 0;
        }
        s = field_types[code] == 'g' ? (const char *) p + 1 :
                                       (const char *) v->d + ALIGN_TO(pos, 4) + 4;
        if (code == BUS_FIELD_PATH && streq(s, LOCAL_PATH))
                return v_fail(v, "PATH header field uses the reserved local path");
        if (code == BUS_FIELD_INTERFACE && streq(s, LOCAL_INTERFACE))
                return v_fail(v, "INTERFACE header field uses the reserved local interface");
        if (code != BUS_FIELD_SIGNATURE && !message_string_field_is_valid(code, s)) {
                static const char *const reasons[_BUS_FIELD_MAX] = {
                        [BUS_FIELD_PATH] = "invalid object path in the PATH header field",
                        [BUS_FIELD_INTERFACE] = "invalid interface name in the INTERFACE field",
                        [BUS_FIELD_MEMBER] = "invalid member name in the MEMBER header field",
                        [BUS_FIELD_ERROR_NAME] = "invalid error name in the ERROR_NAME field",
                        [BUS_FIELD_DESTINATION] = "invalid bus name in the DESTINATION field",
                        [BUS_FIELD_SENDER] = "invalid bus name in the SENDER header field",
                };
                return v_fail(v, reasons[code]);
        }
        if (s[0] == 0)
                v->canonical = false; /* an empty signature: a rebuilt header leaves it out */
        m->fields[code] = (char *) s; /* borrowed from the input until message_parse() ends */
        return 0;
}

/* The header-field array a(yv), from offset 16 to v->size. */
static int v_header_fields(Validator *v, BusMessage *m) {
        bool seen[_BUS_FIELD_MAX] = {};
        uint8_t last = 0;

        while (v->pos < v->size) {
                const uint8_t *code;
                const char *sig;
                size_t len, k, value_pos;
                int r;

                r = v_get(v, 8, 1, &code);
                if (r >= 0)
                        r = v_signature(v, &sig, &len);
                if (r < 0)
                        return r;
                if (*code == 0)
                        return v_fail(v, "header field code 0 is invalid");
                if (len == 0 || complete_type_length(sig, len, 0, 0) != (int) len)
                        return v_fail(v, "variant signature is not a single complete type");
                value_pos = v->pos;
                v->total = 1; /* inside the array's struct's variant */
                r = v_value(v, sig, len, &k);
                v->total = 0;
                if (r < 0)
                        return r;
                if (*code >= _BUS_FIELD_MAX) {
                        v->canonical = false;
                        continue; /* unknown fields are accepted and dropped */
                }
                if (seen[*code])
                        return v_fail(v, "duplicate header field");
                seen[*code] = true;
                if (*code < last)
                        v->canonical = false;
                last = *code;
                if (len != 1 || sig[0] != field_types[*code])
                        return v_fail(v, "header field has the wrong type for its code");
                r = v_store_field(v, m, *code, value_pos);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int v_fixed_header(Validator *v, size_t *ret_fields_end) {
        const uint8_t *d = v->d;
        uint64_t total;
        size_t fields_len;

        if (v->size < BUS_MESSAGE_FIXED_HEADER_SIZE)
                return v_fail(v, "message is shorter than the fixed header");
        if (!IN_SET(d[0], 'l', 'B'))
                return v_fail(v, "invalid byte-order mark");
        if (d[1] == 0)
                return v_fail(v, "message type 0 is invalid");
        if (d[3] != 1)
                return v_fail(v, "unsupported protocol version");
        v->big = is_big(d[0]);
        if (get32(v->big, d + 8) == 0)
                return v_fail(v, "serial is 0");
        fields_len = get32(v->big, d + 12);
        if (fields_len > BUS_ARRAY_SIZE_MAX)
                return v_fail(v, "header field array is longer than 64 MiB");
        total = BUS_MESSAGE_FIXED_HEADER_SIZE + ALIGN_TO((uint64_t) fields_len, 8) +
                get32(v->big, d + 4);
        if (total > BUS_MESSAGE_SIZE_MAX) {
                v->reason = "message is larger than 128 MiB";
                return -EMSGSIZE;
        }
        if (v->size < total)
                return v_fail(v, "message is truncated");
        if (v->size > total)
                return v_fail(v, "trailing bytes after the message");
        *ret_fields_end = BUS_MESSAGE_FIXED_HEADER_SIZE + fields_len;
        return 0;
}

static int v_body(Validator *v, const BusMessage *m) {
        const char *sig = m->fields[BUS_FIELD_SIGNATURE] ?: "";
        size_t n = strlen(sig), i = 0, k;
        int r;

        while (i < n) {
                r = v_value(v, sig + i, n - i, &k);
                if (r < 0)
                        return r;
                i += k;
        }
        if (v->pos != v->size)
                return v_fail(v, "body is longer than its signature describes");
        return 0;
}

/* The input is what message_build_wire() would lay out (known fields only, in ascending order,
 * none empty): one copy of it is the message, and the fields point into that copy. */
static int message_keep_wire(BusMessage *m, const uint8_t *d, size_t size, size_t body_offset) {
        uint8_t *wire = malloc(size);

        if (!wire)
                return -ENOMEM;
        memcpy(wire, d, size);
        for (size_t i = 0; i < _BUS_FIELD_MAX; i++)
                if (m->fields[i])
                        m->fields[i] = (char *) wire + ((const uint8_t *) m->fields[i] - d);
        m->wire = wire;
        m->wire_size = size;
        m->body_offset = body_offset;
        m->body_size = size - body_offset;
        m->sealed = true;
        message_reset_reader(m);
        return 0;
}

/* Otherwise the message owns copies of the fields and the wire bytes are laid out anew, without
 * the unknown fields and in the canonical order. */
static int message_rebuild_wire(BusMessage *m, const uint8_t *body, size_t body_size) {
        char *copies[_BUS_FIELD_MAX] = {};

        for (size_t i = 0; i < _BUS_FIELD_MAX; i++)
                if (m->fields[i] && !(copies[i] = strdup(m->fields[i]))) {
                        for (size_t j = 0; j < i; j++)
                                free(copies[j]);
                        return -ENOMEM;
                }
        memcpy(m->fields, copies, sizeof(copies));
        m->fields_borrowed = false;
        if (body_size > 0) {
                m->body.p = malloc(body_size);
                if (!m->body.p)
                        return -ENOMEM;
                memcpy(m->body.p, body, body_size);
                m->body.size = m->body.alloc = body_size;
        }
        return message_build_wire(m);
}

static int message_parse(Validator *v, BusMessage *m) {
        size_t fields_end, saved_size = v->size, body_offset;
        int r;

        r = v_fixed_header(v, &fields_end);
        if (r < 0)
                return r;
        v->pos = BUS_MESSAGE_FIXED_HEADER_SIZE;
        v->size = fields_end;
        r = v_header_fields(v, m);
        v->size = saved_size;
        if (r < 0)
                return r;
        r = v_align(v, 8);
        if (r < 0)
                return r;
        if (!message_has_required_fields(m))
                return v_fail(v, "a header field required by the message type is missing");
        if (v->fds_up_to && m->unix_fds > v->n_fds) {
                v->reason = "UNIX_FDS header field names more fds than were received";
                return -ENOBUFS;
        }
        if (!v->fds_up_to && m->unix_fds != v->n_fds)
                return v_fail(v, "UNIX_FDS header field does not match the fds received");
        v->n_fds = m->unix_fds;
        body_offset = v->pos;
        r = v_body(v, m);
        if (r < 0)
                return r;
        m->flags = v->d[2];
        m->serial = get32(v->big, v->d + 8);
        if (v->canonical)
                return message_keep_wire(m, v->d, v->size, body_offset);
        return message_rebuild_wire(m, v->d + body_offset, v->size - body_offset);
}

int bus_message_from_wire(const void *data, size_t size, uint32_t n_fds, BusParseFlags flags,
                          BusMessage **ret, const char **ret_reason) {
        _cleanup_(bus_message_freep) BusMessage *m = NULL;
        Validator v = {
                .d = data,
                .size = size,
                .n_fds = n_fds,
                .lax_fds = flags & BUS_PARSE_LAX_FD_INDEX,
                .fds_up_to = flags & BUS_PARSE_FDS_UP_TO,
                .canonical = true,
        };
        int r;

        assert(data || size == 0);
        assert(ret);
        if (size < BUS_MESSAGE_FIXED_HEADER_SIZE || !IN_SET(v.d[0], 'l', 'B') || v.d[1] == 0) {
                r = v_fixed_header(&v, &(size_t) { 0 });
                if (ret_reason)
                        *ret_reason = v.reason;
                return r;
        }
        r = message_alloc(v.d[1], v.d[0], &m);
        if (r < 0)
                return r;
        m->fields_borrowed = true;
        r = message_parse(&v, m);
        if (r < 0) {
                if (ret_reason)
                        *ret_reason = r == -ENOMEM ? "out of memory" : v.reason;
                return r;
        }
        *ret = TAKE_PTR(m);
        return 0;
}
