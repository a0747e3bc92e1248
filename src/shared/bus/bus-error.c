/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-error.c: see bus-error.h. The name/errno table follows the mapping sd-bus clients apply
 * (so that an error we send becomes the errno and message systemctl prints).
 */

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bus/bus-error.h"
#include "bus/bus-message-args.h"
#include "string-util.h"

#define SYSTEM_ERROR_PREFIX "System.Error."

/* name → errno, as clients read error names */
static const struct {
        const char *name;
        int error;
} name_map[] = {
        { BUS_ERROR_FAILED, EACCES },
        { BUS_ERROR_NO_MEMORY, ENOMEM },
        { BUS_ERROR_SERVICE_UNKNOWN, EHOSTUNREACH },
        { BUS_ERROR_NAME_HAS_NO_OWNER, ENXIO },
        { BUS_ERROR_NO_REPLY, ETIMEDOUT },
        { BUS_ERROR_IO_ERROR, EIO },
        { BUS_ERROR_BAD_ADDRESS, EADDRNOTAVAIL },
        { BUS_ERROR_NOT_SUPPORTED, EOPNOTSUPP },
        { BUS_ERROR_LIMITS_EXCEEDED, ENOBUFS },
        { BUS_ERROR_ACCESS_DENIED, EACCES },
        { BUS_ERROR_AUTH_FAILED, EACCES },
        { BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED, EACCES },
        { BUS_ERROR_NO_SERVER, EHOSTDOWN },
        { BUS_ERROR_TIMEOUT, ETIMEDOUT },
        { BUS_ERROR_NO_NETWORK, ENONET },
        { BUS_ERROR_ADDRESS_IN_USE, EADDRINUSE },
        { BUS_ERROR_DISCONNECTED, ECONNRESET },
        { BUS_ERROR_INVALID_ARGS, EINVAL },
        { BUS_ERROR_FILE_NOT_FOUND, ENOENT },
        { BUS_ERROR_FILE_EXISTS, EEXIST },
        { BUS_ERROR_UNKNOWN_METHOD, EBADR },
        { BUS_ERROR_UNKNOWN_OBJECT, EBADR },
        { BUS_ERROR_UNKNOWN_INTERFACE, EBADR },
        { BUS_ERROR_UNKNOWN_PROPERTY, EBADR },
        { BUS_ERROR_PROPERTY_READ_ONLY, EROFS },
        { BUS_ERROR_UNIX_PROCESS_ID_UNKNOWN, ESRCH },
        { BUS_ERROR_INVALID_SIGNATURE, EINVAL },
        { BUS_ERROR_INCONSISTENT_MESSAGE, EBADMSG },
        { BUS_ERROR_TIMED_OUT, ETIMEDOUT },
        { BUS_ERROR_MATCH_RULE_INVALID, EINVAL },
        { "org.freedesktop.DBus.Error.InvalidFileContent", EINVAL },
        { BUS_ERROR_MATCH_RULE_NOT_FOUND, ENOENT },
        { BUS_ERROR_SELINUX_SECURITY_CONTEXT_UNKNOWN, ESRCH },
        { BUS_ERROR_OBJECT_PATH_IN_USE, EBUSY },
};

/* errno → name and message, as servers name errno values */
static bool errno_to_const(int error, const char **name, const char **message) {
        switch (error) {
        case ENOMEM:
                *name = BUS_ERROR_NO_MEMORY, *message = "Not enough memory";
                return true;
        case EPERM:
        case EACCES:
                *name = BUS_ERROR_ACCESS_DENIED, *message = "Access denied";
                return true;
        case EINVAL:
                *name = BUS_ERROR_INVALID_ARGS, *message = "Invalid argument";
                return true;
        case ESRCH:
                *name = BUS_ERROR_UNIX_PROCESS_ID_UNKNOWN, *message = "No such process";
                return true;
        case ENOENT:
                *name = BUS_ERROR_FILE_NOT_FOUND, *message = "File not found";
                return true;
        case EEXIST:
                *name = BUS_ERROR_FILE_EXISTS, *message = "File exists";
                return true;
        case ETIMEDOUT:
        case ETIME:
                *name = BUS_ERROR_TIMEOUT, *message = "Timed out";
                return true;
        case EIO:
                *name = BUS_ERROR_IO_ERROR, *message = "Input/output error";
                return true;
        case ENETRESET:
        case ECONNABORTED:
        case ECONNRESET:
                *name = BUS_ERROR_DISCONNECTED, *message = "Disconnected";
                return true;
        case EOPNOTSUPP:
                *name = BUS_ERROR_NOT_SUPPORTED, *message = "Not supported";
                return true;
        case EADDRNOTAVAIL:
                *name = BUS_ERROR_BAD_ADDRESS, *message = "Address not available";
                return true;
        case ENOBUFS:
                *name = BUS_ERROR_LIMITS_EXCEEDED, *message = "Limits exceeded";
                return true;
        case EADDRINUSE:
                *name = BUS_ERROR_ADDRESS_IN_USE, *message = "Address in use";
                return true;
        case EBADMSG:
                *name = BUS_ERROR_INCONSISTENT_MESSAGE, *message = "Inconsistent message";
                return true;
        }
        return false;
}

void bus_error_free(BusError *e) {
        if (!e)
                return;
        free(e->name);
        free(e->message);
        *e = BUS_ERROR_NULL;
}

bool bus_error_has_name(const BusError *e, const char *name) {
        return bus_error_is_set(e) && streq(e->name, name);
}

int bus_error_name_to_errno(const char *name) {
        const char *p;

        if (!name)
                return EIO;
        p = startswith(name, SYSTEM_ERROR_PREFIX);
        if (p) {
                for (int i = 1; i < 4096; i++) {
                        const char *n = strerrorname_np(i);
                        if (n && streq(n, p))
                                return i;
                }
                return EIO;
        }
        for (size_t i = 0; i < ELEMENTSOF(name_map); i++)
                if (streq(name_map[i].name, name))
                        return name_map[i].error;
        return EIO;
}

int bus_error_set(BusError *e, const char *name, const char *message) {
        int error;

        assert(name);
        error = bus_error_name_to_errno(name);
        if (!e || bus_error_is_set(e))
                return -error;
        e->name = strdup(name);
        e->message = message ? strdup(message) : NULL;
        if (!e->name || (message && !e->message)) {
                bus_error_free(e);
                return -ENOMEM;
        }
        return -error;
}

_printf_(3, 0) static int error_setv(BusError *e, const char *name, const char *format, va_list ap) {
        _cleanup_free_ char *message = NULL;

        if (format && vasprintf(&message, format, ap) < 0)
                return -ENOMEM;
        return bus_error_set(e, name, message);
}

int bus_error_setf(BusError *e, const char *name, const char *format, ...) {
        va_list ap;
        int r;

        va_start(ap, format);
        r = error_setv(e, name, format, ap);
        va_end(ap);
        return r;
}

int bus_error_set_errno(BusError *e, int error) {
        const char *name, *message;
        _cleanup_free_ char *dynamic = NULL;
        int r;

        error = ERRNO_VALUE(error);
        if (error == 0)
                error = EIO;
        if (!errno_to_const(error, &name, &message)) {
                const char *n = strerrorname_np(error);

                if (!n) {
                        name = BUS_ERROR_FAILED;
                        message = "Operation failed";
                } else {
                        dynamic = strjoin(SYSTEM_ERROR_PREFIX, n);
                        if (!dynamic)
                                return -ENOMEM;
                        name = dynamic;
                        message = strerror(error);
                }
        }
        r = bus_error_set(e, name, message);
        return r == -ENOMEM ? r : -error;
}

int bus_error_set_errnof(BusError *e, int error, const char *format, ...) {
        _cleanup_bus_error_ BusError tmp = BUS_ERROR_NULL;
        _cleanup_free_ char *message = NULL;
        va_list ap;
        int r;

        r = bus_error_set_errno(&tmp, error);
        if (r == -ENOMEM)
                return r;
        va_start(ap, format);
        r = vasprintf(&message, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        r = bus_error_set(e, tmp.name, message);
        return r == -ENOMEM ? r : -ERRNO_VALUE(error ? error : EIO);
}

int bus_error_from_message(BusError *e, BusMessage *m) {
        const char *name = bus_message_get_string_field(m, BUS_FIELD_ERROR_NAME);
        const char *message = NULL;
        char type;

        if (bus_message_get_type(m) != BUS_MESSAGE_ERROR || !name)
                return -EINVAL;
        bus_message_rewind(m);
        if (bus_message_peek_type(m, &type, NULL) > 0 && type == 's')
                (void) bus_message_read_basic(m, 's', &message);
        bus_message_rewind(m);
        return bus_error_set(e, name, message);
}

int bus_message_new_error(BusMessage *call, const BusError *e, BusMessage **ret) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        const char *sender;
        int r;

        assert(call);
        assert(bus_error_is_set(e));
        r = bus_message_new(BUS_MESSAGE_ERROR, 0, &m);
        if (r < 0)
                return r;
        r = bus_message_set_string_field(m, BUS_FIELD_ERROR_NAME, e->name);
        if (r < 0)
                return r;
        r = bus_message_set_reply_serial(m, bus_message_get_serial(call));
        if (r < 0)
                return r;
        sender = bus_message_get_string_field(call, BUS_FIELD_SENDER);
        if (sender) {
                r = bus_message_set_string_field(m, BUS_FIELD_DESTINATION, sender);
                if (r < 0)
                        return r;
        }
        if (e->message) {
                r = bus_message_append_basic(m, 's', e->message);
                if (r < 0)
                        return r;
        }
        bus_message_set_flags(m, BUS_MESSAGE_NO_REPLY_EXPECTED);
        *ret = TAKE_PTR(m);
        return 0;
}

int bus_message_new_errorf(BusMessage *call, BusMessage **ret, const char *name,
                           const char *format, ...) {
        _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = error_setv(&e, name, format, ap);
        va_end(ap);
        if (r == -ENOMEM)
                return r;
        return bus_message_new_error(call, &e, ret);
}
