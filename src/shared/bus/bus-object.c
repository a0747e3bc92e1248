/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-object.c: the object tree of a Bus (see bus-object.h). Registrations hang off BusNodes
 * keyed by path. A call to path P sees the vtables registered at P, the fallbacks registered
 * at P and at every prefix of P (nearest first) whose find() accepts P. The standard
 * interfaces (Peer, Introspectable, Properties) are answered here for every object; Peer and
 * Introspectable also for paths that only have children.
 */

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bus/bus-internal.h"
#include "bus/bus-names.h"
#include "bus/bus-signature.h"
#include "fd-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

#define PEER_INTERFACE "org.freedesktop.DBus.Peer"
#define INTROSPECTABLE_INTERFACE "org.freedesktop.DBus.Introspectable"
#define PROPERTIES_INTERFACE "org.freedesktop.DBus.Properties"

/* ---- nodes ---- */

static BusNode *node_get(Bus *b, const char *path, bool create) {
        BusNode *n = hashmap_get(b->nodes, path);

        if (n || !create)
                return n;
        n = new0(BusNode, 1);
        if (!n)
                return NULL;
        n->path = strdup(path);
        if (!n->path || hashmap_ensure_put(&b->nodes, &string_hash_ops, n->path, n) < 0) {
                free(n->path);
                return mfree(n);
        }
        return n;
}

void bus_node_release(Bus *b, BusNode *n) {
        if (n->vtables || n->fallbacks || n->enumerators)
                return;
        (void) hashmap_remove(b->nodes, n->path);
        free(n->path);
        free(n);
}

/* ---- registration ---- */

static bool vtable_is_valid(const BusVtable *v) {
        if (v[0].type != _BUS_VTABLE_START)
                return false;
        for (v++; v->type != _BUS_VTABLE_END; v++) {
                switch (v->type) {
                case _BUS_VTABLE_METHOD:
                        if (!bus_member_name_is_valid(v->member) ||
                            !bus_signature_is_valid(v->signature ? v->signature : "") ||
                            !bus_signature_is_valid(v->result ? v->result : "") || !v->method)
                                return false;
                        break;
                case _BUS_VTABLE_SIGNAL:
                        if (!bus_member_name_is_valid(v->member) ||
                            !bus_signature_is_valid(v->signature ? v->signature : ""))
                                return false;
                        break;
                case _BUS_VTABLE_PROPERTY:
                case _BUS_VTABLE_WRITABLE_PROPERTY:
                        if (!bus_member_name_is_valid(v->member) || !v->signature ||
                            !bus_signature_is_single(v->signature) || !v->get ||
                            (v->type == _BUS_VTABLE_WRITABLE_PROPERTY && !v->set))
                                return false;
                        break;
                default:
                        return false;
                }
                for (const BusVtable *w = v + 1; w->type != _BUS_VTABLE_END; w++)
                        if (streq(w->member, v->member) &&
                            (w->type == _BUS_VTABLE_SIGNAL) == (v->type == _BUS_VTABLE_SIGNAL))
                                return false;
        }
        return true;
}

static int add_vtable(Bus *b, BusSlot **ret_slot, const char *path, const char *interface,
                      const BusVtable *vtable, BusObjectFind find, void *userdata, bool fallback) {
        BusSlot *s;
        BusNode *n;

        assert(b);
        if (!bus_object_path_is_valid(path) || !bus_interface_name_is_valid(interface) ||
            !vtable_is_valid(vtable) ||
            STR_IN_SET(interface, PEER_INTERFACE, INTROSPECTABLE_INTERFACE, PROPERTIES_INTERFACE))
                return -EINVAL;
        n = node_get(b, path, true);
        if (!n)
                return -ENOMEM;
        for (BusSlot *i = fallback ? n->fallbacks : n->vtables; i; i = i->node_slots_next)
                if (streq(i->vtable.interface, interface))
                        return -EEXIST;
        s = new0(BusSlot, 1);
        if (!s) {
                bus_node_release(b, n);
                return -ENOMEM;
        }
        s->vtable.interface = strdup(interface);
        if (!s->vtable.interface) {
                free(s);
                bus_node_release(b, n);
                return -ENOMEM;
        }
        s->n_ref = 1;
        s->bus = b;
        s->type = BUS_SLOT_VTABLE;
        s->userdata = userdata;
        s->vtable.node = n;
        s->vtable.vtable = vtable;
        s->vtable.find = find;
        s->vtable.fallback = fallback;
        LIST_PREPEND(slots, b->slots, s);
        if (fallback)
                LIST_PREPEND(node_slots, n->fallbacks, s);
        else
                LIST_PREPEND(node_slots, n->vtables, s);
        if (ret_slot)
                *ret_slot = s;
        else
                s->floating = true;
        return 0;
}

int bus_add_object_vtable(Bus *b, BusSlot **ret_slot, const char *path, const char *interface,
                          const BusVtable *vtable, void *userdata) {
        return add_vtable(b, ret_slot, path, interface, vtable, NULL, userdata, false);
}

int bus_add_fallback_vtable(Bus *b, BusSlot **ret_slot, const char *prefix,
                            const char *interface, const BusVtable *vtable, BusObjectFind find,
                            void *userdata) {
        return add_vtable(b, ret_slot, prefix, interface, vtable, find, userdata, true);
}

int bus_add_node_enumerator(Bus *b, BusSlot **ret_slot, const char *path,
                            BusNodeEnumerator enumerator, void *userdata) {
        BusSlot *s;
        BusNode *n;

        assert(b);
        assert(enumerator);
        if (!bus_object_path_is_valid(path))
                return -EINVAL;
        n = node_get(b, path, true);
        if (!n)
                return -ENOMEM;
        s = new0(BusSlot, 1);
        if (!s) {
                bus_node_release(b, n);
                return -ENOMEM;
        }
        s->n_ref = 1;
        s->bus = b;
        s->type = BUS_SLOT_ENUMERATOR;
        s->userdata = userdata;
        s->enumerator.node = n;
        s->enumerator.callback = enumerator;
        LIST_PREPEND(slots, b->slots, s);
        LIST_PREPEND(node_slots, n->enumerators, s);
        if (ret_slot)
                *ret_slot = s;
        else
                s->floating = true;
        return 0;
}

/* ---- lookup ---- */

/* One interface implementation found for a path. */
typedef struct Found {
        BusSlot *slot;
        void *userdata; /* as find() returned it */
} Found;

typedef struct Lookup {
        Found *items;
        size_t n, alloc;
} Lookup;

static void lookup_done(Lookup *l) {
        for (size_t i = 0; i < l->n; i++)
                bus_slot_unref(l->items[i].slot);
        free(l->items);
}

static bool lookup_has_interface(const Lookup *l, const char *interface) {
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->items[i].slot->vtable.interface, interface))
                        return true;
        return false;
}

static int lookup_add(Lookup *l, BusSlot *s, void *userdata) {
        if (lookup_has_interface(l, s->vtable.interface))
                return 0; /* the nearer registration wins */
        if (!GREEDY_REALLOC(l->items, l->alloc, l->n + 1))
                return -ENOMEM;
        l->items[l->n++] = (Found) { bus_slot_ref(s), userdata };
        return 0;
}

/* Collects the implementations of path (all interfaces, or only `interface` if non-NULL).
 * Returns 0, or a negative errno from a find() callback (with error set). */
static int lookup_path(Bus *b, const char *path, const char *interface, Lookup *l,
                       BusError *error) {
        _cleanup_free_ char *prefix = strdup(path);
        BusNode *n;
        int r;

        if (!prefix)
                return -ENOMEM;
        n = node_get(b, path, false);
        if (n)
                for (BusSlot *s = n->vtables; s; s = s->node_slots_next)
                        if (!interface || streq(s->vtable.interface, interface)) {
                                r = lookup_add(l, s, s->userdata);
                                if (r < 0)
                                        return r;
                        }
        for (;;) {
                n = node_get(b, prefix, false);
                for (BusSlot *s = n ? n->fallbacks : NULL; s; s = s->node_slots_next) {
                        void *found = s->userdata;

                        if (interface && !streq(s->vtable.interface, interface))
                                continue;
                        if (lookup_has_interface(l, s->vtable.interface))
                                continue;
                        if (s->vtable.find) {
                                r = s->vtable.find(b, path, s->vtable.interface, s->userdata,
                                                   &found, error);
                                if (r < 0)
                                        return r;
                                if (r == 0)
                                        continue;
                        }
                        r = lookup_add(l, s, found);
                        if (r < 0)
                                return r;
                }
                if (streq(prefix, "/"))
                        break;
                char *slash = strrchr(prefix, '/');
                if (slash == prefix)
                        slash[1] = 0;
                else
                        *slash = 0;
        }
        return 0;
}

static bool is_property(const BusVtable *v) {
        return v->type == _BUS_VTABLE_PROPERTY || v->type == _BUS_VTABLE_WRITABLE_PROPERTY;
}

static const BusVtable *vtable_find(const BusVtable *v, const char *member, bool property) {
        for (v++; v->type != _BUS_VTABLE_END; v++) {
                if (is_property(v) == property && v->type != _BUS_VTABLE_SIGNAL &&
                    streq(v->member, member))
                        return v;
        }
        return NULL;
}

static void *vtable_userdata(const Found *f, const BusVtable *v) {
        return (uint8_t *) f->userdata + v->offset;
}

/* ---- children, for introspection ---- */

/* Adds the first path component below prefix of each node path into *children (no dups). */
static int add_child(char ***children, const char *prefix, const char *path) {
        const char *rest;
        size_t len;
        _cleanup_free_ char *name = NULL;

        if (streq(prefix, "/"))
                rest = path + 1;
        else {
                rest = startswith(path, prefix);
                if (!rest || rest[0] != '/')
                        return 0;
                rest++;
        }
        if (!rest[0])
                return 0;
        len = strcspn(rest, "/");
        name = strndup(rest, len);
        if (!name)
                return -ENOMEM;
        if (strv_contains(*children, name))
                return 0;
        return strv_extend(children, name);
}

static int collect_children(Bus *b, const char *path, char ***ret, BusError *error) {
        _cleanup_strv_free_ char **children = NULL;
        Iterator i = ITERATOR_FIRST;
        BusNode *n;
        int r;

        while (hashmap_iterate(b->nodes, &i, (void **) &n, NULL)) {
                if (n->vtables) {
                        r = add_child(&children, path, n->path);
                        if (r < 0)
                                return r;
                }
                for (BusSlot *s = n->enumerators; s; s = s->node_slots_next) {
                        _cleanup_strv_free_ char **nodes = NULL;

                        /* only enumerators at or above/below path can name its children */
                        if (!path_startswith(n->path, path) && !path_startswith(path, n->path))
                                continue;
                        r = s->enumerator.callback(b, n->path, s->userdata, &nodes, error);
                        if (r < 0)
                                return r;
                        STRV_FOREACH(p, nodes) {
                                r = add_child(&children, path, *p);
                                if (r < 0)
                                        return r;
                        }
                }
        }
        strv_sort(children);
        *ret = TAKE_PTR(children);
        return 0;
}

/* ---- introspection ---- */

static const char introspect_doctype[] =
        "<!DOCTYPE node PUBLIC \"-//freedesktop//DTD D-BUS Object Introspection 1.0//EN\"\n"
        "\"https://www.freedesktop.org/standards/dbus/1.0/introspect.dtd\">\n";

static const char introspect_standard[] =
        " <interface name=\"org.freedesktop.DBus.Peer\">\n"
        "  <method name=\"Ping\"/>\n"
        "  <method name=\"GetMachineId\">\n"
        "   <arg type=\"s\" name=\"machine_uuid\" direction=\"out\"/>\n"
        "  </method>\n"
        " </interface>\n"
        " <interface name=\"org.freedesktop.DBus.Introspectable\">\n"
        "  <method name=\"Introspect\">\n"
        "   <arg name=\"xml_data\" type=\"s\" direction=\"out\"/>\n"
        "  </method>\n"
        " </interface>\n"
        " <interface name=\"org.freedesktop.DBus.Properties\">\n"
        "  <method name=\"Get\">\n"
        "   <arg name=\"interface_name\" direction=\"in\" type=\"s\"/>\n"
        "   <arg name=\"property_name\" direction=\"in\" type=\"s\"/>\n"
        "   <arg name=\"value\" direction=\"out\" type=\"v\"/>\n"
        "  </method>\n"
        "  <method name=\"GetAll\">\n"
        "   <arg name=\"interface_name\" direction=\"in\" type=\"s\"/>\n"
        "   <arg name=\"props\" direction=\"out\" type=\"a{sv}\"/>\n"
        "  </method>\n"
        "  <method name=\"Set\">\n"
        "   <arg name=\"interface_name\" direction=\"in\" type=\"s\"/>\n"
        "   <arg name=\"property_name\" direction=\"in\" type=\"s\"/>\n"
        "   <arg name=\"value\" direction=\"in\" type=\"v\"/>\n"
        "  </method>\n"
        "  <signal name=\"PropertiesChanged\">\n"
        "   <arg type=\"s\" name=\"interface_name\"/>\n"
        "   <arg type=\"a{sv}\" name=\"changed_properties\"/>\n"
        "   <arg type=\"as\" name=\"invalidated_properties\"/>\n"
        "  </signal>\n"
        " </interface>\n";

static void write_flags(FILE *f, const BusVtable *v) {
        if (v->flags & BUS_VTABLE_DEPRECATED)
                fputs("   <annotation name=\"org.freedesktop.DBus.Deprecated\" value=\"true\"/>\n", f);
        if (v->type == _BUS_VTABLE_METHOD && (v->flags & BUS_VTABLE_METHOD_NO_REPLY))
                fputs("   <annotation name=\"org.freedesktop.DBus.Method.NoReply\" value=\"true\"/>\n", f);
        if (is_property(v)) {
                if (v->flags & BUS_VTABLE_PROPERTY_EXPLICIT)
                        fputs("   <annotation name=\"org.freedesktop.systemd1.Explicit\" value=\"true\"/>\n", f);
                if (v->flags & BUS_VTABLE_PROPERTY_CONST)
                        fputs("   <annotation name=\"org.freedesktop.DBus.Property.EmitsChangedSignal\" value=\"const\"/>\n", f);
                else if (v->flags & BUS_VTABLE_PROPERTY_EMITS_INVALIDATION)
                        fputs("   <annotation name=\"org.freedesktop.DBus.Property.EmitsChangedSignal\" value=\"invalidates\"/>\n", f);
                else if (!(v->flags & BUS_VTABLE_PROPERTY_EMITS_CHANGE))
                        fputs("   <annotation name=\"org.freedesktop.DBus.Property.EmitsChangedSignal\" value=\"false\"/>\n", f);
        }
}

/* Writes one <arg/> per complete type of sig; *names advances through the NUL-separated
 * names (an empty string, or NULL, ends them). */
static void write_args(FILE *f, const char *sig, const char **names, const char *direction) {
        size_t n = sig ? strlen(sig) : 0;

        while (n > 0) {
                int k = bus_signature_complete_type_length(sig, n, 0, 0);

                if (k <= 0)
                        return;
                fprintf(f, "   <arg type=\"%.*s\"", k, sig);
                if (*names && **names) {
                        fprintf(f, " name=\"%s\"", *names);
                        *names += strlen(*names) + 1;
                }
                if (direction)
                        fprintf(f, " direction=\"%s\"/>\n", direction);
                else
                        fputs("/>\n", f);
                sig += k;
                n -= (size_t) k;
        }
}

static void write_interface(FILE *f, const char *interface, const BusVtable *v) {
        fprintf(f, " <interface name=\"%s\">\n", interface);
        if (v->flags & BUS_VTABLE_DEPRECATED)
                fputs("  <annotation name=\"org.freedesktop.DBus.Deprecated\" value=\"true\"/>\n", f);
        for (v++; v->type != _BUS_VTABLE_END; v++) {
                const char *names = v->names;

                if (v->flags & BUS_VTABLE_HIDDEN)
                        continue;
                switch (v->type) {
                case _BUS_VTABLE_METHOD:
                        fprintf(f, "  <method name=\"%s\">\n", v->member);
                        write_args(f, v->signature, &names, "in");
                        write_args(f, v->result, &names, "out");
                        write_flags(f, v);
                        fputs("  </method>\n", f);
                        break;
                case _BUS_VTABLE_SIGNAL:
                        fprintf(f, "  <signal name=\"%s\">\n", v->member);
                        write_args(f, v->signature, &names, NULL);
                        write_flags(f, v);
                        fputs("  </signal>\n", f);
                        break;
                case _BUS_VTABLE_PROPERTY:
                case _BUS_VTABLE_WRITABLE_PROPERTY:
                        fprintf(f, "  <property name=\"%s\" type=\"%s\" access=\"%s\">\n", v->member,
                                v->signature,
                                v->type == _BUS_VTABLE_WRITABLE_PROPERTY ? "readwrite" : "read");
                        write_flags(f, v);
                        fputs("  </property>\n", f);
                        break;
                default:
                        break;
                }
        }
        fputs(" </interface>\n", f);
}

/* Returns 1 with the XML, 0 if nothing exists at path (no object and no children). */
static int introspect_path(Bus *b, const char *path, char **ret, BusError *error) {
        _cleanup_(lookup_done) Lookup l = {};
        _cleanup_strv_free_ char **children = NULL;
        _cleanup_free_ char *xml = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        r = lookup_path(b, path, NULL, &l, error);
        if (r < 0)
                return r;
        r = collect_children(b, path, &children, error);
        if (r < 0)
                return r;
        if (l.n == 0 && strv_isempty(children) && !streq(path, "/"))
                return 0;

        f = open_memstream(&xml, &size);
        if (!f)
                return -ENOMEM;
        fputs(introspect_doctype, f);
        fputs("<node>\n", f);
        fputs(introspect_standard, f);
        for (size_t i = 0; i < l.n; i++)
                write_interface(f, l.items[i].slot->vtable.interface, l.items[i].slot->vtable.vtable);
        STRV_FOREACH(c, children)
                fprintf(f, " <node name=\"%s\"/>\n", *c);
        fputs("</node>\n", f);
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret = TAKE_PTR(xml);
        return 1;
}

int bus_introspect(Bus *b, const char *path, char **ret) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        int r;

        r = introspect_path(b, path, ret, &error);
        if (r == 0)
                return -ENOENT;
        return r < 0 ? r : 0;
}

/* ---- properties ---- */

static int append_property(Bus *b, const char *path, const char *interface, const Found *f,
                           const BusVtable *v, BusMessage *reply, BusError *error) {
        int r;

        r = bus_message_open_container(reply, 'v', v->signature);
        if (r < 0)
                return r;
        r = v->get(b, path, interface, v->member, reply, vtable_userdata(f, v), error);
        if (r < 0)
                return r;
        return bus_message_close_container(reply);
}

static int append_all_properties(Bus *b, const char *path, const Found *f, BusMessage *reply,
                                 BusError *error) {
        const char *interface = f->slot->vtable.interface;
        int r;

        for (const BusVtable *v = f->slot->vtable.vtable + 1; v->type != _BUS_VTABLE_END; v++) {
                if (!is_property(v) ||
                    (v->flags & (BUS_VTABLE_HIDDEN | BUS_VTABLE_PROPERTY_EXPLICIT)))
                        continue;
                r = bus_message_open_container(reply, '{', "sv");
                if (r >= 0)
                        r = bus_message_append_basic(reply, 's', v->member);
                if (r >= 0)
                        r = append_property(b, path, interface, f, v, reply, error);
                if (r >= 0)
                        r = bus_message_close_container(reply);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int properties_call(Bus *b, BusMessage *m, const char *path, const char *member,
                           Lookup *l, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        const char *interface, *property = NULL;
        int r;

        if (streq(member, "GetAll")) {
                if (!bus_message_has_signature(m, "s"))
                        return bus_reply_errorf(b, m, BUS_ERROR_INVALID_ARGS,
                                                "Invalid arguments '%s' to call %s.%s(), expecting '%s'.",
                                                bus_message_get_string_field(m, BUS_FIELD_SIGNATURE),
                                                PROPERTIES_INTERFACE, member, "s");
                r = bus_message_read(m, "s", &interface);
                if (r < 0)
                        return r;
                if (interface[0] && !lookup_has_interface(l, interface))
                        return bus_reply_errorf(b, m, BUS_ERROR_UNKNOWN_INTERFACE,
                                                "Unknown interface '%s'.", interface);
                r = bus_message_new_method_return(m, &reply);
                if (r >= 0)
                        r = bus_message_open_container(reply, 'a', "{sv}");
                for (size_t i = 0; r >= 0 && i < l->n; i++)
                        if (!interface[0] || streq(l->items[i].slot->vtable.interface, interface))
                                r = append_all_properties(b, path, &l->items[i], reply, error);
                if (r >= 0)
                        r = bus_message_close_container(reply);
                if (r < 0)
                        return bus_reply_errno(b, m, r, error);
                return bus_reply_message(b, m, reply);
        }

        if (!bus_message_has_signature(m, streq(member, "Get") ? "ss" : "ssv"))
                return bus_reply_errorf(b, m, BUS_ERROR_INVALID_ARGS,
                                        "Invalid arguments '%s' to call %s.%s(), expecting '%s'.",
                                        bus_message_get_string_field(m, BUS_FIELD_SIGNATURE),
                                        PROPERTIES_INTERFACE, member,
                                        streq(member, "Get") ? "ss" : "ssv");
        r = bus_message_read(m, "ss", &interface, &property);
        if (r < 0)
                return r;
        for (size_t i = 0; i < l->n; i++) {
                const Found *f = &l->items[i];
                const BusVtable *v;

                if (!streq(f->slot->vtable.interface, interface))
                        continue;
                v = vtable_find(f->slot->vtable.vtable, property, true);
                if (!v || (v->flags & BUS_VTABLE_HIDDEN))
                        break;
                if (streq(member, "Get")) {
                        r = bus_message_new_method_return(m, &reply);
                        if (r >= 0)
                                r = append_property(b, path, interface, f, v, reply, error);
                        if (r < 0)
                                return bus_reply_errno(b, m, r, error);
                        return bus_reply_message(b, m, reply);
                }
                /* Set */
                if (v->type != _BUS_VTABLE_WRITABLE_PROPERTY)
                        return bus_reply_errorf(b, m, BUS_ERROR_PROPERTY_READ_ONLY,
                                                "Property '%s' is not writable.", property);
                {
                        const char *contents;
                        char type;

                        r = bus_message_peek_type(m, &type, &contents);
                        if (r <= 0)
                                return r < 0 ? r : -EBADMSG;
                        if (!streq(contents, v->signature))
                                return bus_reply_errorf(b, m, BUS_ERROR_INVALID_ARGS,
                                                        "Incorrect parameters for property '%s', expected '%s', got '%s'.",
                                                        property, v->signature, contents);
                        r = bus_message_enter_container(m, 'v', v->signature);
                        if (r <= 0)
                                return r < 0 ? r : -EBADMSG;
                        r = v->set(b, path, interface, property, m, vtable_userdata(f, v), error);
                        if (r < 0)
                                return bus_reply_errno(b, m, r, error);
                        return bus_reply(b, m, NULL);
                }
        }
        return bus_reply_errorf(b, m, BUS_ERROR_UNKNOWN_PROPERTY,
                                "Unknown interface %s or property %s.", interface, property);
}

int bus_emit_properties_changed_strv(Bus *b, const char *path, const char *interface,
                                     char **names) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        _cleanup_(lookup_done) Lookup l = {};
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        _cleanup_strv_free_ char **invalidated = NULL;
        const Found *f;
        int r;

        r = lookup_path(b, path, interface, &l, &error);
        if (r < 0)
                return r;
        if (l.n == 0)
                return -ENOENT;
        f = &l.items[0];
        r = bus_message_new_signal(path, PROPERTIES_INTERFACE, "PropertiesChanged", &m);
        if (r >= 0)
                r = bus_message_append(m, "s", interface);
        if (r >= 0)
                r = bus_message_open_container(m, 'a', "{sv}");
        for (const BusVtable *v = f->slot->vtable.vtable + 1; r >= 0 && v->type != _BUS_VTABLE_END; v++) {
                if (!is_property(v))
                        continue;
                if (names ? !strv_contains(names, v->member)
                          : !(v->flags & (BUS_VTABLE_PROPERTY_EMITS_CHANGE |
                                          BUS_VTABLE_PROPERTY_EMITS_INVALIDATION)))
                        continue;
                if (v->flags & BUS_VTABLE_PROPERTY_EMITS_INVALIDATION) {
                        r = strv_extend(&invalidated, v->member);
                        continue;
                }
                if (!(v->flags & BUS_VTABLE_PROPERTY_EMITS_CHANGE))
                        return -EDOM; /* a property that does not change, or says nothing */
                r = bus_message_open_container(m, '{', "sv");
                if (r >= 0)
                        r = bus_message_append_basic(m, 's', v->member);
                if (r >= 0)
                        r = append_property(b, path, interface, f, v, m, &error);
                if (r >= 0)
                        r = bus_message_close_container(m);
        }
        if (r >= 0)
                r = bus_message_close_container(m);
        if (r >= 0)
                r = bus_message_append_strv(m, invalidated);
        if (r < 0)
                return r;
        return bus_send(b, m, NULL);
}

/* ---- Peer ---- */

static int get_machine_id(char ret[static 33]) {
        _cleanup_free_ char *s = NULL;
        int r;

        r = read_full_file("/etc/machine-id", 4096, &s, NULL);
        if (r < 0)
                return r;
        strstrip(s);
        if (strlen(s) != 32)
                return -EINVAL;
        for (size_t i = 0; i < 32; i++)
                if (unhexchar(s[i]) < 0)
                        return -EINVAL;
        memcpy(ret, s, 33);
        return 0;
}

static int peer_call(Bus *b, BusMessage *m, const char *member) {
        char id[33];
        int r;

        if (streq(member, "Ping") && bus_message_has_signature(m, ""))
                return bus_reply(b, m, NULL);
        if (streq(member, "GetMachineId") && bus_message_has_signature(m, "")) {
                r = get_machine_id(id);
                if (r < 0)
                        return bus_reply_errno(b, m, r, NULL);
                return bus_reply(b, m, "s", id);
        }
        return bus_reply_errorf(b, m, BUS_ERROR_UNKNOWN_METHOD,
                                "Unknown method %s or interface %s.", member, PEER_INTERFACE);
}

/* ---- dispatch ---- */

static int method_call(Bus *b, BusMessage *m, const char *interface, const Found *f,
                       const BusVtable *v) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        const char *sig = bus_message_get_string_field(m, BUS_FIELD_SIGNATURE);
        int r;

        if (!streq(sig, v->signature ? v->signature : ""))
                return bus_reply_errorf(b, m, BUS_ERROR_INVALID_ARGS,
                                        "Invalid arguments '%s' to call %s.%s(), expecting '%s'.",
                                        sig, interface, v->member, v->signature ? v->signature : "");
        bus_message_rewind(m);
        r = v->method(b, m, vtable_userdata(f, v), &error);
        if (r < 0)
                return bus_reply_errno(b, m, r, &error);
        if (bus_error_is_set(&error))
                return bus_reply_error(b, m, &error);
        return 1;
}

int bus_object_dispatch(Bus *b, BusMessage *m) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        _cleanup_(lookup_done) Lookup l = {};
        const char *path = bus_message_get_string_field(m, BUS_FIELD_PATH);
        const char *interface = bus_message_get_string_field(m, BUS_FIELD_INTERFACE);
        const char *member = bus_message_get_string_field(m, BUS_FIELD_MEMBER);
        int r;

        assert(path && member);
        if (streq_ptr(interface, PEER_INTERFACE) ||
            (!interface && STR_IN_SET(member, "Ping", "GetMachineId")))
                return peer_call(b, m, member);

        r = lookup_path(b, path, NULL, &l, &error);
        if (r < 0)
                return bus_reply_errno(b, m, r, &error);

        if (streq_ptr(interface, INTROSPECTABLE_INTERFACE) || (!interface && streq(member, "Introspect"))) {
                _cleanup_free_ char *xml = NULL;

                if (!streq(member, "Introspect"))
                        return bus_reply_errorf(b, m, BUS_ERROR_UNKNOWN_METHOD,
                                                "Unknown method %s or interface %s.", member,
                                                INTROSPECTABLE_INTERFACE);
                r = introspect_path(b, path, &xml, &error);
                if (r < 0)
                        return bus_reply_errno(b, m, r, &error);
                if (r == 0)
                        return bus_reply_errorf(b, m, BUS_ERROR_UNKNOWN_OBJECT,
                                                "Unknown object '%s'.", path);
                return bus_reply(b, m, "s", xml);
        }

        if (l.n == 0)
                return bus_reply_errorf(b, m, BUS_ERROR_UNKNOWN_OBJECT, "Unknown object '%s'.", path);

        if (streq_ptr(interface, PROPERTIES_INTERFACE)) {
                if (!STR_IN_SET(member, "Get", "GetAll", "Set"))
                        return bus_reply_errorf(b, m, BUS_ERROR_UNKNOWN_METHOD,
                                                "Unknown method %s or interface %s.", member,
                                                PROPERTIES_INTERFACE);
                r = properties_call(b, m, path, member, &l, &error);
                return r < 0 ? bus_reply_errno(b, m, r, &error) : 1;
        }

        if (interface && !lookup_has_interface(&l, interface))
                return bus_reply_errorf(b, m, BUS_ERROR_UNKNOWN_INTERFACE,
                                        "Unknown interface '%s'.", interface);
        for (size_t i = 0; i < l.n; i++) {
                const char *iface = l.items[i].slot->vtable.interface;
                const BusVtable *v;

                if (interface && !streq(iface, interface))
                        continue;
                v = vtable_find(l.items[i].slot->vtable.vtable, member, false);
                if (v)
                        return method_call(b, m, iface, &l.items[i], v);
        }
        return bus_reply_errorf(b, m, BUS_ERROR_UNKNOWN_METHOD, "Unknown method %s or interface %s.",
                                member, interface ? interface : "(null)");
}

/* ---- common getters ---- */

int bus_property_get_bool(Bus *bus, const char *path, const char *interface, const char *property,
                          BusMessage *reply, void *userdata, BusError *error) {
        int b = *(bool *) userdata;

        return bus_message_append_basic(reply, 'b', &b);
}

int bus_property_get_uint32(Bus *bus, const char *path, const char *interface,
                            const char *property, BusMessage *reply, void *userdata,
                            BusError *error) {
        return bus_message_append_basic(reply, 'u', userdata);
}

int bus_property_get_uint64(Bus *bus, const char *path, const char *interface,
                            const char *property, BusMessage *reply, void *userdata,
                            BusError *error) {
        return bus_message_append_basic(reply, 't', userdata);
}

int bus_property_get_int32(Bus *bus, const char *path, const char *interface,
                           const char *property, BusMessage *reply, void *userdata,
                           BusError *error) {
        return bus_message_append_basic(reply, 'i', userdata);
}

int bus_property_get_string(Bus *bus, const char *path, const char *interface,
                            const char *property, BusMessage *reply, void *userdata,
                            BusError *error) {
        const char *s = *(char **) userdata;

        return bus_message_append_basic(reply, 's', s ? s : "");
}

int bus_property_get_strv(Bus *bus, const char *path, const char *interface, const char *property,
                          BusMessage *reply, void *userdata, BusError *error) {
        return bus_message_append_strv(reply, *(char ***) userdata);
}
