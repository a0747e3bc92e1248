/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-error: D-Bus errors as values. A BusError is a name and a message, both owned (or both
 * static, for the constant ones); the standard names of the specification are defined here.
 * Errors convert to and from errno the way sd-bus does, because the real clients (systemctl,
 * busctl) turn the error names they receive into exit codes and messages that way:
 * well-known names map to errno values, and an errno without a standard name travels as
 * "System.Error.EXXX" with strerror() as its message.
 */

#include <stdarg.h>
#include <stdbool.h>

#include "bus/bus-message.h"
#include "macro.h"

#define BUS_ERROR_FAILED "org.freedesktop.DBus.Error.Failed"
#define BUS_ERROR_NO_MEMORY "org.freedesktop.DBus.Error.NoMemory"
#define BUS_ERROR_SERVICE_UNKNOWN "org.freedesktop.DBus.Error.ServiceUnknown"
#define BUS_ERROR_NAME_HAS_NO_OWNER "org.freedesktop.DBus.Error.NameHasNoOwner"
#define BUS_ERROR_NO_REPLY "org.freedesktop.DBus.Error.NoReply"
#define BUS_ERROR_IO_ERROR "org.freedesktop.DBus.Error.IOError"
#define BUS_ERROR_BAD_ADDRESS "org.freedesktop.DBus.Error.BadAddress"
#define BUS_ERROR_NOT_SUPPORTED "org.freedesktop.DBus.Error.NotSupported"
#define BUS_ERROR_LIMITS_EXCEEDED "org.freedesktop.DBus.Error.LimitsExceeded"
#define BUS_ERROR_ACCESS_DENIED "org.freedesktop.DBus.Error.AccessDenied"
#define BUS_ERROR_AUTH_FAILED "org.freedesktop.DBus.Error.AuthFailed"
#define BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED \
        "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired"
#define BUS_ERROR_NO_SERVER "org.freedesktop.DBus.Error.NoServer"
#define BUS_ERROR_TIMEOUT "org.freedesktop.DBus.Error.Timeout"
#define BUS_ERROR_NO_NETWORK "org.freedesktop.DBus.Error.NoNetwork"
#define BUS_ERROR_ADDRESS_IN_USE "org.freedesktop.DBus.Error.AddressInUse"
#define BUS_ERROR_DISCONNECTED "org.freedesktop.DBus.Error.Disconnected"
#define BUS_ERROR_INVALID_ARGS "org.freedesktop.DBus.Error.InvalidArgs"
#define BUS_ERROR_FILE_NOT_FOUND "org.freedesktop.DBus.Error.FileNotFound"
#define BUS_ERROR_FILE_EXISTS "org.freedesktop.DBus.Error.FileExists"
#define BUS_ERROR_UNKNOWN_METHOD "org.freedesktop.DBus.Error.UnknownMethod"
#define BUS_ERROR_UNKNOWN_OBJECT "org.freedesktop.DBus.Error.UnknownObject"
#define BUS_ERROR_UNKNOWN_INTERFACE "org.freedesktop.DBus.Error.UnknownInterface"
#define BUS_ERROR_UNKNOWN_PROPERTY "org.freedesktop.DBus.Error.UnknownProperty"
#define BUS_ERROR_PROPERTY_READ_ONLY "org.freedesktop.DBus.Error.PropertyReadOnly"
#define BUS_ERROR_UNIX_PROCESS_ID_UNKNOWN "org.freedesktop.DBus.Error.UnixProcessIdUnknown"
#define BUS_ERROR_INVALID_SIGNATURE "org.freedesktop.DBus.Error.InvalidSignature"
#define BUS_ERROR_INCONSISTENT_MESSAGE "org.freedesktop.DBus.Error.InconsistentMessage"
#define BUS_ERROR_TIMED_OUT "org.freedesktop.DBus.Error.TimedOut"
#define BUS_ERROR_MATCH_RULE_NOT_FOUND "org.freedesktop.DBus.Error.MatchRuleNotFound"
#define BUS_ERROR_MATCH_RULE_INVALID "org.freedesktop.DBus.Error.MatchRuleInvalid"
#define BUS_ERROR_SELINUX_SECURITY_CONTEXT_UNKNOWN \
        "org.freedesktop.DBus.Error.SELinuxSecurityContextUnknown"
#define BUS_ERROR_OBJECT_PATH_IN_USE "org.freedesktop.DBus.Error.ObjectPathInUse"

typedef struct BusError {
        char *name;
        char *message;
} BusError;

#define BUS_ERROR_NULL ((BusError) {})

/* Frees the strings and resets e (NULL-safe). */
void bus_error_free(BusError *e);
static inline void bus_error_freep(BusError *e) {
        bus_error_free(e);
}
#define _cleanup_bus_error_ _cleanup_(bus_error_freep)

static inline bool bus_error_is_set(const BusError *e) {
        return e && e->name;
}
bool bus_error_has_name(const BusError *e, const char *name);

/* Sets e (if non-NULL and not set yet; the first error wins) to name and the formatted
 * message. Returns the errno the name maps to, negated (-EIO for unknown names), so that
 * handlers can `return bus_error_setf(...)`. -ENOMEM if the copy fails. */
int bus_error_setf(BusError *e, const char *name, const char *format, ...) _printf_(3, 4);
int bus_error_set(BusError *e, const char *name, const char *message);
/* Sets e from a (negative or positive) errno the way sd-bus names it. Returns -|error|. */
int bus_error_set_errno(BusError *e, int error);
/* The same with a message of our own. */
int bus_error_set_errnof(BusError *e, int error, const char *format, ...) _printf_(3, 4);
/* The errno a D-Bus error name maps to (positive; EIO when unknown; a "System.Error.EXXX"
 * name gives EXXX). */
int bus_error_name_to_errno(const char *name);
/* The error carried by an ERROR message (name, and the first string argument if any). */
int bus_error_from_message(BusError *e, BusMessage *m);
/* A new ERROR message replying to call. */
int bus_message_new_error(BusMessage *call, const BusError *e, BusMessage **ret);
int bus_message_new_errorf(BusMessage *call, BusMessage **ret, const char *name,
                           const char *format, ...) _printf_(4, 5);
