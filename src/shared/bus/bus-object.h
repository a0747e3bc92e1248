/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-object: objects served on a Bus. An object is a path plus interfaces, each described by
 * a vtable of methods, properties and signals. A vtable is registered for one path, or as a
 * fallback for a path and everything below it, with a find() callback that says whether an
 * object exists there (the manager serves /org/freedesktop/systemd1/unit/<unit> that way,
 * looking units up on demand). Node enumerators list child nodes for introspection.
 *
 * The dispatcher checks a call's signature against the vtable before running the handler
 * (InvalidArgs otherwise) and answers UnknownObject, UnknownInterface, UnknownMethod and
 * UnknownProperty as sd-bus does. It implements org.freedesktop.DBus.Properties (Get, GetAll,
 * Set) from the property getters and setters, org.freedesktop.DBus.Introspectable from the
 * vtables (the XML busctl and gdbus read), and org.freedesktop.DBus.Peer (Ping,
 * GetMachineId) on every path.
 */

#include "bus/bus.h"

typedef enum BusVtableType {
        _BUS_VTABLE_END = 0,
        _BUS_VTABLE_START,
        _BUS_VTABLE_METHOD,
        _BUS_VTABLE_SIGNAL,
        _BUS_VTABLE_PROPERTY,
        _BUS_VTABLE_WRITABLE_PROPERTY,
} BusVtableType;

typedef enum BusVtableFlags {
        BUS_VTABLE_DEPRECATED = 1 << 0,
        BUS_VTABLE_HIDDEN = 1 << 1,              /* not introspected, not in GetAll */
        BUS_VTABLE_METHOD_NO_REPLY = 1 << 2,
        BUS_VTABLE_PROPERTY_CONST = 1 << 3,      /* never changes */
        BUS_VTABLE_PROPERTY_EMITS_CHANGE = 1 << 4, /* PropertiesChanged carries the value */
        BUS_VTABLE_PROPERTY_EMITS_INVALIDATION = 1 << 5, /* PropertiesChanged names it */
        BUS_VTABLE_PROPERTY_EXPLICIT = 1 << 6,   /* left out of GetAll */
} BusVtableFlags;

/* Appends the value of property (of type signature) to reply, inside the variant the
 * dispatcher opened. userdata is the object's userdata plus the vtable entry's offset. */
typedef int (*BusPropertyGetter)(Bus *bus, const char *path, const char *interface,
                                 const char *property, BusMessage *reply, void *userdata,
                                 BusError *error);
/* Reads the new value from value (positioned inside the variant) and applies it. */
typedef int (*BusPropertySetter)(Bus *bus, const char *path, const char *interface,
                                 const char *property, BusMessage *value, void *userdata,
                                 BusError *error);
/* Fallbacks: whether an object exists at path; 1 and *ret_found (the userdata handlers get)
 * if so, 0 if not, a negative errno on failure. */
typedef int (*BusObjectFind)(Bus *bus, const char *path, const char *interface, void *userdata,
                             void **ret_found, BusError *error);
/* The full paths of the objects below prefix (they need not be direct children). */
typedef int (*BusNodeEnumerator)(Bus *bus, const char *prefix, void *userdata, char ***ret_nodes,
                                 BusError *error);

typedef struct BusVtable {
        BusVtableType type;
        uint64_t flags;
        const char *member;
        const char *signature; /* method: arguments; signal: arguments; property: its type */
        const char *result;    /* method: reply signature */
        const char *names;     /* method/signal argument names, each NUL-terminated, in then
                                  out ("name\0mode\0job\0"); NULL: unnamed */
        BusMessageHandler method;
        BusPropertyGetter get;
        BusPropertySetter set;
        size_t offset;
} BusVtable;

#define BUS_VTABLE_START(f) { .type = _BUS_VTABLE_START, .flags = (f) }
#define BUS_VTABLE_END { .type = _BUS_VTABLE_END }
#define BUS_METHOD_WITH_NAMES(m, sig, result_, names_, handler, f)                          \
        { .type = _BUS_VTABLE_METHOD, .member = (m), .signature = (sig), .result = (result_), \
          .names = (names_), .method = (handler), .flags = (f) }
#define BUS_METHOD(m, sig, result_, handler, f) BUS_METHOD_WITH_NAMES(m, sig, result_, NULL, handler, f)
#define BUS_SIGNAL_WITH_NAMES(m, sig, names_, f) \
        { .type = _BUS_VTABLE_SIGNAL, .member = (m), .signature = (sig), .names = (names_), .flags = (f) }
#define BUS_SIGNAL(m, sig, f) BUS_SIGNAL_WITH_NAMES(m, sig, NULL, f)
#define BUS_PROPERTY(m, sig, getter, off, f)                                                  \
        { .type = _BUS_VTABLE_PROPERTY, .member = (m), .signature = (sig), .get = (getter),  \
          .offset = (off), .flags = (f) }
#define BUS_WRITABLE_PROPERTY(m, sig, getter, setter, off, f)                                 \
        { .type = _BUS_VTABLE_WRITABLE_PROPERTY, .member = (m), .signature = (sig),          \
          .get = (getter), .set = (setter), .offset = (off), .flags = (f) }

/* Registers vtable (static storage; validated here: -EINVAL for a bad member name or
 * signature, a missing getter, a duplicate member) for interface at path. -EEXIST if that
 * interface is registered at path already. */
int bus_add_object_vtable(Bus *b, BusSlot **ret_slot, const char *path, const char *interface,
                          const BusVtable *vtable, void *userdata);
/* The same for prefix and every path below it; find (may be NULL: every path exists) decides
 * per path. */
int bus_add_fallback_vtable(Bus *b, BusSlot **ret_slot, const char *prefix,
                            const char *interface, const BusVtable *vtable, BusObjectFind find,
                            void *userdata);
int bus_add_node_enumerator(Bus *b, BusSlot **ret_slot, const char *path,
                            BusNodeEnumerator enumerator, void *userdata);

/* Emits PropertiesChanged for the named properties (NULL-terminated; NULL: every property
 * flagged EMITS_CHANGE or EMITS_INVALIDATION) of interface at path. -ENOENT if no such object
 * or interface. */
int bus_emit_properties_changed_strv(Bus *b, const char *path, const char *interface,
                                     char **names);
/* The introspection XML of path, a new string. */
int bus_introspect(Bus *b, const char *path, char **ret);

/* Property getters for common C types at userdata (with BUS_PROPERTY's offset): bool, a
 * uint32_t, uint64_t, int32_t, a char * (NULL gives ""), a char ** strv. */
int bus_property_get_bool(Bus *bus, const char *path, const char *interface, const char *property,
                          BusMessage *reply, void *userdata, BusError *error);
int bus_property_get_uint32(Bus *bus, const char *path, const char *interface,
                            const char *property, BusMessage *reply, void *userdata,
                            BusError *error);
int bus_property_get_uint64(Bus *bus, const char *path, const char *interface,
                            const char *property, BusMessage *reply, void *userdata,
                            BusError *error);
int bus_property_get_int32(Bus *bus, const char *path, const char *interface,
                           const char *property, BusMessage *reply, void *userdata,
                           BusError *error);
int bus_property_get_string(Bus *bus, const char *path, const char *interface,
                            const char *property, BusMessage *reply, void *userdata,
                            BusError *error);
int bus_property_get_strv(Bus *bus, const char *path, const char *interface, const char *property,
                          BusMessage *reply, void *userdata, BusError *error);

/* Used by bus.c: dispatches a method call to the objects. Returns 1 if answered (or no answer
 * is due), 0 if no object took it, a negative errno on failure. */
int bus_object_dispatch(Bus *b, BusMessage *m);
