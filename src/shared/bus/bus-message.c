/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-message.c: the message object, its writer, sealing and the reader, see bus-message.h
 * (the validating parser is bus-message-parse.c). Layout: a sealed message is one buffer `wire` (fixed header, header-field
 * array, padding, body); while it is being written the body grows in `body` and the header is
 * laid out at sealing. Every offset inside the body is also its offset modulo 8 in the message,
 * because the body starts 8-aligned, so alignment is computed on body offsets.
 */

#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus-message-internal.h"
#include "bus/bus-message.h"
#include "bus/bus-names.h"
#include "bus/bus-signature.h"
#include "fd-util.h"
#include "string-util.h"

/* ---- growable buffer ---- */

/* Pads b with zeros to align, then reserves n bytes at *ret. */
static int buf_reserve(Buf *b, size_t align, size_t n, uint8_t **ret) {
        size_t start = ALIGN_TO(b->size, align);

        if (start + n > BUS_MESSAGE_SIZE_MAX)
                return -E2BIG;
        /* Also allocate for an empty reservation on a fresh buffer: its pointer is used below. */
        if ((start + n > b->alloc || !b->p) && !GREEDY_REALLOC(b->p, b->alloc, MAX(start + n, (size_t) 8)))
                return -ENOMEM;
        memset(b->p + b->size, 0, start - b->size);
        b->size = start + n;
        if (ret)
                *ret = b->p + start;
        return 0;
}

static int buf_put(Buf *b, bool big, size_t size, uint64_t v) {
        uint8_t *p;
        int r = buf_reserve(b, size, size, &p);
        if (r < 0)
                return r;
        put_n(big, p, v, size);
        return 0;
}

/* A string (s, o: 4-byte length; g: 1-byte length) with its NUL. */
static int buf_put_string(Buf *b, bool big, char type, const char *s) {
        size_t len = strlen(s), n = type == 'g' ? 1 : 4;
        uint8_t *p;
        int r;

        r = buf_reserve(b, n, n + len + 1, &p);
        if (r < 0)
                return r;
        put_n(big, p, len, n);
        memcpy(p + n, s, len + 1);
        return 0;
}

/* ---- object ---- */

int message_alloc(uint8_t type, char endian, BusMessage **ret) {
        BusMessage *m;

        if (endian == 0)
                endian = __BYTE_ORDER == __BIG_ENDIAN ? 'B' : 'l';
        if (type == 0 || !IN_SET(endian, 'l', 'B'))
                return -EINVAL;
        m = malloc(sizeof(BusMessage));
        if (!m)
                return -ENOMEM;
        memset(m, 0, offsetof(BusMessage, wsig));
        m->wsig[0] = 0;
        m->n_ref = 1;
        m->endian = endian;
        m->type = type;
        m->version = 1;
        *ret = m;
        return 0;
}

int bus_message_new(uint8_t type, char endian, BusMessage **ret) {
        assert(ret);
        return message_alloc(type, endian, ret);
}

BusMessage *bus_message_ref(BusMessage *m) {
        assert(m);
        m->n_ref++;
        return m;
}

BusMessage *bus_message_unref(BusMessage *m) {
        if (!m)
                return NULL;
        assert(m->n_ref > 0);
        if (--m->n_ref > 0)
                return NULL;
        for (size_t i = 0; i < _BUS_FIELD_MAX && !m->fields_borrowed; i++)
                free(m->fields[i]);
        for (size_t i = 0; i < m->n_wstack; i++)
                free(m->wstack[i].sig);
        free(m->wstack);
        free(m->body.p);
        free(m->wire);
        free(m->rstack);
        for (size_t i = 0; i < m->n_fds; i++)
                safe_close(m->fds[i]);
        free(m->fds);
        return mfree(m);
}

bool message_string_field_is_valid(BusHeaderField field, const char *v) {
        switch (field) {
        case BUS_FIELD_PATH:
                return bus_object_path_is_valid(v);
        case BUS_FIELD_INTERFACE:
                return bus_interface_name_is_valid(v);
        case BUS_FIELD_MEMBER:
                return bus_member_name_is_valid(v);
        case BUS_FIELD_ERROR_NAME:
                return bus_error_name_is_valid(v);
        case BUS_FIELD_DESTINATION:
        case BUS_FIELD_SENDER:
                return bus_name_is_valid(v);
        default:
                return false;
        }
}

int bus_message_set_string_field(BusMessage *m, BusHeaderField field, const char *value) {
        char *copy = NULL;

        assert(m);
        if (m->sealed)
                return -EPERM;
        if (field <= 0 || field >= _BUS_FIELD_MAX || !IN_SET(field_types[field], 's', 'o') ||
            (value && !message_string_field_is_valid(field, value)))
                return -EINVAL;
        if (value) {
                copy = strdup(value);
                if (!copy)
                        return -ENOMEM;
        }
        free(m->fields[field]);
        m->fields[field] = copy;
        return 0;
}

int bus_message_set_reply_serial(BusMessage *m, uint32_t serial) {
        assert(m);
        if (m->sealed)
                return -EPERM;
        m->reply_serial = serial;
        return 0;
}

int bus_message_set_flags(BusMessage *m, uint8_t flags) {
        assert(m);
        if (m->sealed)
                return -EPERM;
        m->flags = flags; /* unknown bits are carried as they are, receivers ignore them */
        return 0;
}

int bus_message_set_unix_fds(BusMessage *m, uint32_t n) {
        assert(m);
        if (m->sealed)
                return -EPERM;
        m->unix_fds = n;
        return 0;
}

int bus_message_append_fd(BusMessage *m, int fd) {
        _cleanup_close_ int copy = -EBADF;
        uint32_t index;
        int *a;
        int r;

        assert(m);
        if (m->sealed)
                return -EPERM;
        if (fd < 0)
                return -EBADF;
        if (m->n_fds >= BUS_MESSAGE_FDS_MAX)
                return -E2BIG;
        copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (copy < 0)
                return -errno;
        a = reallocarray(m->fds, m->n_fds + 1, sizeof(int));
        if (!a)
                return -ENOMEM;
        m->fds = a;
        index = (uint32_t) m->n_fds;
        if (m->unix_fds < index + 1)
                m->unix_fds = index + 1;
        r = bus_message_append_basic(m, 'h', &index);
        if (r < 0)
                return r;
        m->fds[m->n_fds++] = TAKE_FD(copy);
        return 0;
}

int bus_message_attach_fds(BusMessage *m, int *fds, size_t n) {
        assert(m);
        assert(fds || n == 0);
        if (m->n_fds > 0 || n != m->unix_fds)
                return -EINVAL;
        if (n == 0)
                return 0;
        m->fds = new(int, n);
        if (!m->fds)
                return -ENOMEM;
        memcpy(m->fds, fds, n * sizeof(int));
        m->n_fds = n;
        return 0;
}

const int *bus_message_get_fds(const BusMessage *m, size_t *ret_n) {
        assert(m);
        if (ret_n)
                *ret_n = m->n_fds;
        return m->fds;
}

int bus_message_read_fd(BusMessage *m, int *ret) {
        uint32_t index;
        int r;

        assert(m);
        r = bus_message_read_basic(m, 'h', &index);
        if (r <= 0)
                return r;
        if (index >= m->n_fds)
                return -EBADMSG;
        if (ret)
                *ret = m->fds[index];
        return 1;
}

uint8_t bus_message_get_type(const BusMessage *m) {
        return m->type;
}

uint8_t bus_message_get_flags(const BusMessage *m) {
        return m->flags;
}

char bus_message_get_endian(const BusMessage *m) {
        return m->endian;
}

uint32_t bus_message_get_serial(const BusMessage *m) {
        return m->serial;
}

const char *bus_message_get_string_field(const BusMessage *m, BusHeaderField field) {
        if (field <= 0 || field >= _BUS_FIELD_MAX)
                return NULL;
        if (field == BUS_FIELD_SIGNATURE && !m->fields[field])
                return m->sealed ? "" : NULL;
        return m->fields[field];
}

uint32_t bus_message_get_reply_serial(const BusMessage *m) {
        return m->reply_serial;
}

uint32_t bus_message_get_unix_fds(const BusMessage *m) {
        return m->unix_fds;
}

size_t bus_message_get_body_size(const BusMessage *m) {
        return m->sealed ? m->body_size : m->body.size;
}

bool bus_message_is_sealed(const BusMessage *m) {
        return m->sealed;
}

/* ---- writer ---- */

/* Checks that the current container expects the complete type t (n bytes) next and moves past
 * it; at the top level the body signature grows. */
static int w_expect(BusMessage *m, const char *t, size_t n) {
        WContainer *c;

        if (m->sealed)
                return -EPERM;
        if (m->n_wstack == 0) {
                if (m->wsig_len + n > BUS_SIGNATURE_MAX)
                        return -E2BIG;
                memcpy(m->wsig + m->wsig_len, t, n);
                m->wsig_len += n;
                m->wsig[m->wsig_len] = 0;
                return 0;
        }
        c = &m->wstack[m->n_wstack - 1];
        if (c->index + n > c->sig_len || memcmp(wcontainer_sig(c) + c->index, t, n) != 0)
                return -EINVAL;
        c->index += n;
        if (c->type == 'a' && c->index == c->sig_len)
                c->index = 0;
        return 0;
}

/* Undoes the last w_expect() when writing the value failed. */
static void w_unexpect(BusMessage *m, size_t n) {
        WContainer *c;

        if (m->n_wstack == 0) {
                m->wsig_len -= n;
                m->wsig[m->wsig_len] = 0;
                return;
        }
        c = &m->wstack[m->n_wstack - 1];
        if (c->type == 'a' && c->index == 0)
                c->index = c->sig_len;
        c->index -= n;
}

static int basic_value_check(char type, const void *p) {
        switch (type) {
        case 's':
                return utf8_valid(p, strlen(p)) ? 0 : -EINVAL;
        case 'o':
                return bus_object_path_is_valid(p) ? 0 : -EINVAL;
        case 'g':
                return bus_signature_is_valid(p) ? 0 : -EINVAL;
        default:
                return 0;
        }
}

static int w_basic(BusMessage *m, char type, const void *p) {
        bool big = is_big(m->endian);
        uint64_t v;

        switch (type) {
        case 'y':
                v = *(const uint8_t *) p;
                break;
        case 'b':
                v = *(const int *) p ? 1 : 0;
                break;
        case 'n':
        case 'q':
                v = *(const uint16_t *) p;
                break;
        case 'i':
        case 'u':
                v = *(const uint32_t *) p;
                break;
        case 'h':
                v = *(const uint32_t *) p;
                m->fd_index_end = MAX(m->fd_index_end, v + 1);
                break;
        case 'x':
        case 't':
        case 'd':
                memcpy(&v, p, 8);
                break;
        default:
                return buf_put_string(&m->body, big, type, p);
        }
        return buf_put(&m->body, big, bus_type_fixed_size(type), v);
}

int bus_message_append_basic(BusMessage *m, char type, const void *p) {
        int r;

        assert(m);
        if (!bus_type_is_basic(type) || !p || basic_value_check(type, p) < 0)
                return -EINVAL;
        r = w_expect(m, &type, 1);
        if (r < 0)
                return r;
        r = w_basic(m, type, p);
        if (r < 0)
                w_unexpect(m, 1);
        return r;
}

/* The full type of the container to open ("a" + contents, "(" + contents + ")", …) in t, checked
 * against the nesting limits from the parent's depth. A dict entry is checked by w_expect()
 * against its array's element type, which was validated when the array was opened. */
static int container_type(char type, const char *contents, const WContainer *parent, char *t,
                          size_t *ret_n) {
        size_t n = contents ? strlen(contents) : 0;
        unsigned arrays = parent ? parent->arrays : 0, structs = parent ? parent->structs : 0;
        int k;

        if (n == 0 || n > BUS_SIGNATURE_MAX)
                return -EINVAL;
        switch (type) {
        case 'a':
                t[0] = 'a';
                memcpy(t + 1, contents, n);
                *ret_n = n + 1;
                break;
        case '(':
        case '{':
                t[0] = type;
                memcpy(t + 1, contents, n);
                t[n + 1] = type == '(' ? ')' : '}';
                *ret_n = n + 2;
                if (type == '{')
                        return parent && parent->type == 'a' ? 0 : -EINVAL;
                break;
        case 'v':
                k = complete_type_length(contents, n, arrays, structs);
                if (k < 0 || (size_t) k != n)
                        return -EINVAL;
                t[0] = 'v';
                *ret_n = 1;
                return 0;
        default:
                return -EINVAL;
        }
        if (*ret_n > BUS_SIGNATURE_MAX)
                return -E2BIG;
        /* the whole element type of the parent array or the whole contents of the parent
         * variant: validated, at this depth, when the parent was opened */
        if (parent && IN_SET(parent->type, 'a', 'v') && parent->index == 0 &&
            parent->sig_len == *ret_n && memcmp(wcontainer_sig(parent), t, *ret_n) == 0)
                return 0;
        k = complete_type_length(t, *ret_n, arrays, structs);
        return k < 0 || (size_t) k != *ret_n ? -EINVAL : 0;
}

/* Writes the start of the container and pushes it. */
static int w_push(BusMessage *m, char type, const char *contents, const WContainer *parent) {
        bool big = is_big(m->endian);
        WContainer c = {
                .type = type,
                .arrays = (parent ? parent->arrays : 0) + (type == 'a'),
                .structs = (parent ? parent->structs : 0) + IN_SET(type, '(', '{'),
                .total = (parent ? parent->total : 0) + 1,
        };
        int r;

        if (c.total > BUS_TOTAL_DEPTH_MAX)
                return -E2BIG;
        if (!GREEDY_REALLOC(m->wstack, m->n_wstack_alloc, m->n_wstack + 1))
                return -ENOMEM;
        c.sig_len = strlen(contents);
        if (c.sig_len < sizeof(c.small))
                memcpy(c.small, contents, c.sig_len + 1);
        else {
                c.sig = strdup(contents);
                if (!c.sig)
                        return -ENOMEM;
        }
        if (type == 'a') {
                r = buf_put(&m->body, big, 4, 0);
                c.len_offset = m->body.size - 4;
                if (r >= 0)
                        r = buf_reserve(&m->body, bus_type_alignment(contents[0]), 0, NULL);
                c.start = m->body.size;
        } else if (type == 'v')
                r = buf_put_string(&m->body, big, 'g', contents);
        else
                r = buf_reserve(&m->body, 8, 0, NULL);
        if (r < 0) {
                free(c.sig);
                return r;
        }
        m->wstack[m->n_wstack++] = c;
        return 0;
}

int bus_message_open_container(BusMessage *m, char type, const char *contents) {
        WContainer *parent;
        char t[BUS_SIGNATURE_MAX + 3];
        size_t n, saved_size;
        int r;

        assert(m);
        if (m->sealed)
                return -EPERM;
        parent = m->n_wstack > 0 ? &m->wstack[m->n_wstack - 1] : NULL;
        r = container_type(type, contents, parent, t, &n);
        if (r < 0)
                return r;
        r = w_expect(m, t, n);
        if (r < 0)
                return r;
        saved_size = m->body.size;
        r = w_push(m, type, contents, parent);
        if (r < 0) {
                m->body.size = saved_size;
                w_unexpect(m, n);
        }
        return r;
}

int bus_message_close_container(BusMessage *m) {
        WContainer *c;

        assert(m);
        if (m->sealed)
                return -EPERM;
        if (m->n_wstack == 0)
                return -ENXIO;
        c = &m->wstack[m->n_wstack - 1];
        if (c->type == 'a') {
                size_t len = m->body.size - c->start;
                if (len > BUS_ARRAY_SIZE_MAX)
                        return -E2BIG;
                put_n(is_big(m->endian), m->body.p + c->len_offset, len, 4);
        } else if (c->index != c->sig_len)
                return -EINVAL;
        free(c->sig);
        m->n_wstack--;
        return 0;
}

/* ---- sealing ---- */

bool message_has_required_fields(const BusMessage *m) {
        switch (m->type) {
        case BUS_MESSAGE_METHOD_CALL:
                return m->fields[BUS_FIELD_PATH] && m->fields[BUS_FIELD_MEMBER];
        case BUS_MESSAGE_SIGNAL:
                return m->fields[BUS_FIELD_PATH] && m->fields[BUS_FIELD_INTERFACE] &&
                       m->fields[BUS_FIELD_MEMBER];
        case BUS_MESSAGE_ERROR:
                return m->fields[BUS_FIELD_ERROR_NAME] && m->reply_serial != 0;
        case BUS_MESSAGE_METHOD_RETURN:
                return m->reply_serial != 0;
        default:
                return true; /* unknown types carry whatever they like */
        }
}

/* Writes header field f (the string s or the number u) at the next 8-aligned offset from pos,
 * zeroing the padding before it; returns the offset after it. w has room (see message_header_end()). */
static size_t put_header_field(uint8_t *w, size_t pos, bool big, BusHeaderField f, const char *s,
                               uint32_t u) {
        size_t start = ALIGN_TO(pos, 8), len;

        memset(w + pos, 0, start - pos);
        w[start] = f;
        w[start + 1] = 1; /* the variant's signature: one type code */
        w[start + 2] = field_types[f];
        w[start + 3] = 0;
        pos = start + 4;
        if (field_types[f] == 'u') {
                put_n(big, w + pos, u, 4);
                return pos + 4;
        }
        len = strlen(s);
        if (field_types[f] == 'g')
                w[pos++] = (uint8_t) len;
        else {
                put_n(big, w + pos, len, 4);
                pos += 4;
        }
        memcpy(w + pos, s, len + 1);
        return pos + len + 1;
}

/* At the start of the body with no container open: the reader's stack is set up by the first
 * reader call (r_top()), so that a message that is only sent never allocates it. */
void message_reset_reader(BusMessage *m) {
        m->rpos = 0;
        m->n_rstack = 0;
}

/* Where the header-field array of m ends, laid out as message_build_wire() does. */
size_t message_header_end(const BusMessage *m) {
        size_t n = BUS_MESSAGE_FIXED_HEADER_SIZE;

        for (BusHeaderField f = 1; f < _BUS_FIELD_MAX; f++) {
                if (field_types[f] == 'u') {
                        uint32_t u = f == BUS_FIELD_UNIX_FDS ? m->unix_fds : m->reply_serial;
                        if (u != 0)
                                n = ALIGN_TO(n, 8) + 8;
                } else if (m->fields[f] && m->fields[f][0])
                        /* code, signature, then a 1-byte (g) or 4-byte length, string, NUL */
                        n = ALIGN_TO(n, 8) + 4 + (field_types[f] == 'g' ? 1 : 4) +
                            strlen(m->fields[f]) + 1;
        }
        return n;
}

/* Lays out the wire bytes from the header values and body_size bytes of body. */
static int build_wire(BusMessage *m, const uint8_t *body, size_t body_size) {
        bool big = is_big(m->endian);
        size_t end = message_header_end(m), body_offset = ALIGN_TO(end, 8);
        uint64_t total = (uint64_t) body_offset + body_size;
        size_t pos = BUS_MESSAGE_FIXED_HEADER_SIZE;
        uint8_t *wire;

        if (total > BUS_MESSAGE_SIZE_MAX ||
            end - BUS_MESSAGE_FIXED_HEADER_SIZE > BUS_ARRAY_SIZE_MAX)
                return -E2BIG;
        wire = malloc(total); /* the exact size: message_header_end() measured what is written below */
        if (!wire)
                return -ENOMEM;
        for (BusHeaderField f = 1; f < _BUS_FIELD_MAX; f++) {
                if (field_types[f] == 'u') {
                        uint32_t u = f == BUS_FIELD_UNIX_FDS ? m->unix_fds : m->reply_serial;
                        if (u != 0)
                                pos = put_header_field(wire, pos, big, f, NULL, u);
                } else if (m->fields[f] && m->fields[f][0])
                        pos = put_header_field(wire, pos, big, f, m->fields[f], 0);
        }
        assert(pos == end);
        memset(wire + end, 0, body_offset - end);
        if (body_size > 0)
                memcpy(wire + body_offset, body, body_size);
        wire[0] = m->endian;
        wire[1] = m->type;
        wire[2] = m->flags;
        wire[3] = m->version;
        put_n(big, wire + 4, body_size, 4);
        put_n(big, wire + 8, m->serial, 4);
        put_n(big, wire + 12, end - BUS_MESSAGE_FIXED_HEADER_SIZE, 4);

        m->wire = wire;
        m->wire_size = total;
        m->body_offset = body_offset;
        m->body_size = body_size;
        m->sealed = true;
        message_reset_reader(m);
        return 0;
}

/* Lays out the wire bytes from the header values and m->body, then frees m->body. */
int message_build_wire(BusMessage *m) {
        int r;

        r = build_wire(m, m->body.p, m->body.size);
        if (r < 0)
                return r;
        m->body.p = mfree(m->body.p);
        m->body.size = m->body.alloc = 0;
        return 0;
}

int bus_message_new_forward(BusMessage *m, const char *sender, BusMessage **ret) {
        _cleanup_(bus_message_unrefp) BusMessage *n = NULL;
        int r;

        assert(m);
        assert(ret);
        if (!m->sealed)
                return -EBUSY;
        if (sender && !message_string_field_is_valid(BUS_FIELD_SENDER, sender))
                return -EINVAL;
        r = message_alloc(m->type, m->endian, &n);
        if (r < 0)
                return r;
        n->flags = m->flags;
        n->version = m->version;
        n->serial = m->serial;
        n->reply_serial = m->reply_serial;
        n->unix_fds = m->unix_fds;
        for (BusHeaderField f = 1; f < _BUS_FIELD_MAX; f++) {
                const char *v = f == BUS_FIELD_SENDER ? sender : m->fields[f];

                if (field_types[f] == 'u' || !v)
                        continue;
                n->fields[f] = strdup(v);
                if (!n->fields[f])
                        return -ENOMEM;
        }
        if (m->n_fds > 0) {
                n->fds = new(int, m->n_fds);
                if (!n->fds)
                        return -ENOMEM;
                for (; n->n_fds < m->n_fds; n->n_fds++) {
                        n->fds[n->n_fds] = fcntl(m->fds[n->n_fds], F_DUPFD_CLOEXEC, 3);
                        if (n->fds[n->n_fds] < 0)
                                return -errno;
                }
        }
        r = build_wire(n, m->wire + m->body_offset, m->body_size);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(n);
        return 0;
}

int bus_message_seal(BusMessage *m, uint32_t serial) {
        int r;

        assert(m);
        if (m->sealed)
                return -EPERM;
        if (serial == 0 || m->n_wstack > 0 || !message_has_required_fields(m) ||
            m->fd_index_end > m->unix_fds)
                return -EINVAL;
        if (m->wsig_len > 0) {
                free(m->fields[BUS_FIELD_SIGNATURE]);
                m->fields[BUS_FIELD_SIGNATURE] = strdup(m->wsig);
                if (!m->fields[BUS_FIELD_SIGNATURE])
                        return -ENOMEM;
        }
        m->serial = serial;
        r = message_build_wire(m);
        if (r < 0)
                m->serial = 0;
        return r;
}

int bus_message_get_wire(const BusMessage *m, const void **ret, size_t *ret_size) {
        assert(m);
        if (!m->sealed)
                return -EBUSY;
        if (ret)
                *ret = m->wire;
        if (ret_size)
                *ret_size = m->wire_size;
        return 0;
}

/* ---- reader ---- */

static const uint8_t *body_of(const BusMessage *m) {
        return m->wire + m->body_offset;
}

void bus_message_rewind(BusMessage *m) {
        const char *sig = bus_message_get_string_field(m, BUS_FIELD_SIGNATURE);

        assert(m);
        if (!m->sealed)
                return;
        m->rpos = 0;
        m->n_rstack = 0;
        if (!GREEDY_REALLOC(m->rstack, m->n_rstack_alloc, 1)) {
                /* cannot happen after the first rewind; readers then report -ENOMEM */
                return;
        }
        m->rstack[0] = (RContainer) {
                .sig = sig,
                .sig_len = strlen(sig),
                .end = m->body_size,
        };
        m->n_rstack = 1;
}

static RContainer *r_top(BusMessage *m) {
        if (m->n_rstack == 0 && m->sealed)
                bus_message_rewind(m); /* the first read after sealing */
        return m->n_rstack > 0 ? &m->rstack[m->n_rstack - 1] : NULL;
}

static void r_advance(RContainer *c, size_t n) {
        c->index += n;
        if (c->type == 'a' && c->index >= c->sig_len)
                c->index = 0;
}

/* Aligns the read position and makes sure n bytes follow; returns a pointer to them. */
static const uint8_t *r_get(BusMessage *m, size_t align, size_t n) {
        size_t pos = ALIGN_TO(m->rpos, align);

        if (pos > m->body_size || m->body_size - pos < n)
                return NULL;
        m->rpos = pos + n;
        return body_of(m) + pos;
}

/* The next type in c: returns its length in the signature, 0 at the end, -errno. */
static int r_next(BusMessage *m, RContainer *c) {
        int k;

        if (!m->sealed)
                return -EBUSY;
        if (!c)
                return -ENOMEM;
        if (c->type == 'a' ? m->rpos >= c->end : c->index >= c->sig_len)
                return 0;
        if (bus_type_is_basic(c->sig[c->index]) || c->sig[c->index] == 'v')
                return 1;
        if (c->sig[c->index] == '{') {
                /* a dict entry, the element of the array being read: '{', key, value, '}' */
                if (c->sig_len - c->index < 4)
                        return -EBADMSG;
                k = complete_type_length(c->sig + c->index + 2,
                                                       c->sig_len - c->index - 2, 0, 0);
                return k < 0 ? -EBADMSG : k + 3;
        }
        k = complete_type_length(c->sig + c->index, c->sig_len - c->index, 0, 0);
        return k < 0 ? -EBADMSG : k;
}

/* Reads a signature ('g') value in place: *ret points at it in the body, NUL-terminated. */
static int r_signature(BusMessage *m, const char **ret, size_t *ret_len) {
        const uint8_t *p = r_get(m, 1, 1);
        size_t len;

        if (!p)
                return -EBADMSG;
        len = *p;
        p = r_get(m, 1, len + 1);
        if (!p)
                return -EBADMSG;
        *ret = (const char *) p;
        *ret_len = len;
        return 0;
}

int bus_message_peek_type(BusMessage *m, char *ret_type, const char **ret_contents) {
        RContainer *c;
        const char *contents = NULL;
        size_t n = 0;
        int k;

        assert(m);
        c = r_top(m);
        k = r_next(m, c);
        if (k <= 0)
                return k;
        switch (c->sig[c->index]) {
        case 'a':
                contents = c->sig + c->index + 1;
                n = k - 1;
                break;
        case '(':
        case '{':
                contents = c->sig + c->index + 1;
                n = k - 2;
                break;
        case 'v': {
                size_t saved = m->rpos;
                int r = r_signature(m, &contents, &n);
                m->rpos = saved;
                if (r < 0)
                        return r;
                break;
        }
        }
        if (ret_type)
                *ret_type = c->sig[c->index];
        if (ret_contents) {
                memcpy(m->peek_buf, contents ?: "", n);
                m->peek_buf[n] = 0;
                *ret_contents = contents ? m->peek_buf : NULL;
        }
        return 1;
}

static int r_basic(BusMessage *m, char type, void *ret) {
        bool big = is_big(m->endian);
        RContainer *c;
        const uint8_t *p;
        size_t size;
        int k;

        assert(m);
        c = r_top(m);
        k = r_next(m, c);
        if (k <= 0)
                return k;
        if (c->sig[c->index] != type || !bus_type_is_basic(type))
                return -ENXIO;
        size = bus_type_fixed_size(type);
        if (size > 0) {
                p = r_get(m, size, size);
                if (!p)
                        return -EBADMSG;
                if (type == 'h' && ret && get32(big, p) >= m->unix_fds)
                        return -EBADMSG;
                if (ret) {
                        if (type == 'b')
                                *(int *) ret = get32(big, p) != 0;
                        else if (size == 1)
                                *(uint8_t *) ret = *p;
                        else if (size == 2)
                                *(uint16_t *) ret = get16(big, p);
                        else if (size == 4)
                                *(uint32_t *) ret = get32(big, p);
                        else {
                                uint64_t v = get64(big, p);
                                memcpy(ret, &v, 8);
                        }
                }
        } else {
                const char *s;
                size_t len;

                if (type == 'g') {
                        if (r_signature(m, &s, &len) < 0)
                                return -EBADMSG;
                } else {
                        p = r_get(m, 4, 4);
                        if (!p)
                                return -EBADMSG;
                        len = get32(big, p);
                        s = (const char *) r_get(m, 1, (size_t) len + 1);
                        if (!s)
                                return -EBADMSG;
                }
                if (ret)
                        *(const char **) ret = s;
        }
        r_advance(c, 1);
        return 1;
}

static int r_enter(BusMessage *m, char type, const char *contents) {
        bool big = is_big(m->endian);
        RContainer n = { .type = type }, *c;
        const uint8_t *p;
        int k;

        assert(m);
        c = r_top(m);
        k = r_next(m, c);
        if (k <= 0)
                return k;
        if (c->sig[c->index] != type || !IN_SET(type, 'a', '(', '{', 'v'))
                return -ENXIO;
        if (m->n_rstack > BUS_TOTAL_DEPTH_MAX)
                return -E2BIG;
        if (type == 'v') {
                if (r_signature(m, &n.sig, &n.sig_len) < 0)
                        return -EBADMSG;
        } else {
                n.sig = c->sig + c->index + 1;
                n.sig_len = type == 'a' ? (size_t) k - 1 : (size_t) k - 2;
        }
        if (contents && (strlen(contents) != n.sig_len || memcmp(contents, n.sig, n.sig_len) != 0))
                return -ENXIO;
        if (type == 'a') {
                size_t len;

                p = r_get(m, 4, 4);
                if (!p)
                        return -EBADMSG;
                len = get32(big, p);
                if (!r_get(m, bus_type_alignment(n.sig[0]), 0) || m->body_size - m->rpos < len)
                        return -EBADMSG;
                n.end = m->rpos + len;
        } else if (type != 'v' && !r_get(m, 8, 0))
                return -EBADMSG;
        if (!GREEDY_REALLOC(m->rstack, m->n_rstack_alloc, m->n_rstack + 1))
                return -ENOMEM;
        c = r_top(m); /* the stack may have moved */
        r_advance(c, type == 'v' ? 1 : (size_t) k);
        m->rstack[m->n_rstack++] = n;
        return 1;
}

/* On failure the read position is left where it was. */
int bus_message_read_basic(BusMessage *m, char type, void *ret) {
        size_t saved = m->rpos;
        int r;

        r = r_basic(m, type, ret);
        if (r <= 0)
                m->rpos = saved;
        return r;
}

int bus_message_enter_container(BusMessage *m, char type, const char *contents) {
        size_t saved = m->rpos;
        int r;

        r = r_enter(m, type, contents);
        if (r <= 0)
                m->rpos = saved;
        return r;
}

int bus_message_skip(BusMessage *m) {
        char type;
        int r;

        r = bus_message_peek_type(m, &type, NULL);
        if (r <= 0)
                return r;
        if (bus_type_is_basic(type))
                return bus_message_read_basic(m, type, NULL);
        r = bus_message_enter_container(m, type, NULL);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        r = bus_message_exit_container(m);
        return r < 0 ? r : 1;
}

int bus_message_exit_container(BusMessage *m) {
        RContainer *c;
        int r = 0;

        assert(m);
        if (m->n_rstack <= 1)
                return -ENXIO;
        c = r_top(m);
        if (c->type == 'a')
                m->rpos = c->end;
        else
                while ((r = bus_message_skip(m)) > 0)
                        ;
        if (c->type != 'a' && r < 0)
                return r;
        m->n_rstack--;
        return 0;
}
