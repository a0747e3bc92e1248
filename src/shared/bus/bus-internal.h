/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-internal.h: the Bus and BusSlot structures, shared by bus.c (connection, calls, matches)
 * and bus-object.c (object tree, dispatch, introspection). Nobody else includes this.
 */

#include "bus/bus-match.h"
#include "bus/bus-object.h"
#include "bus/bus.h"
#include "hashmap.h"
#include "list.h"

typedef enum BusSlotType {
        BUS_SLOT_REPLY,
        BUS_SLOT_MATCH,
        BUS_SLOT_FILTER,
        BUS_SLOT_VTABLE,     /* exact path or fallback */
        BUS_SLOT_ENUMERATOR,
} BusSlotType;

typedef struct BusNode BusNode;

struct BusSlot {
        unsigned n_ref;
        Bus *bus;           /* NULL once the registration ended */
        BusSlotType type;
        bool floating;
        void *userdata;
        LIST_FIELDS(BusSlot, slots);     /* Bus.slots: every live registration */
        LIST_FIELDS(BusSlot, node_slots); /* BusNode lists */
        union {
                struct {
                        uint32_t serial;
                        BusMessageHandler callback;
                        EventSource *timeout;
                } reply;
                struct {
                        BusMatchEntry *entry;
                        BusMessageHandler callback;
                        char *text;      /* sent with AddMatch, NULL if not */
                } match;
                struct {
                        BusMessageHandler callback;
                } filter;
                struct {
                        BusNode *node;
                        char *interface;
                        const BusVtable *vtable;
                        BusObjectFind find;
                        bool fallback;
                } vtable;
                struct {
                        BusNode *node;
                        BusNodeEnumerator callback;
                } enumerator;
        };
};

/* A path that has registrations. */
struct BusNode {
        char *path;
        BusSlot *vtables;     /* exact-path vtables */
        BusSlot *fallbacks;   /* fallback vtables for this prefix */
        BusSlot *enumerators;
};

struct Bus {
        unsigned n_ref;
        Event *event;
        BusTransport *transport;
        bool is_bus_client, hello_done, closed;
        char *unique_name;
        uint32_t serial, hello_serial;
        void *userdata;
        void (*send_hook)(void *userdata); /* bus_set_send_hook() */
        void *send_hook_userdata;

        Hashmap *replies;   /* serial (as a pointer-sized integer) → BusSlot */
        BusMatchSet *matches;
        BusSlot *slots;     /* all live slots */
        BusSlot *filters;
        Hashmap *nodes;     /* path → BusNode */

        /* messages that arrived during bus_call(), dispatched from the loop later */
        BusMessage **rqueue;
        size_t n_rqueue, rqueue_alloc;
        EventSource *rqueue_source;
        bool in_call;
        uint32_t awaited_serial;
        BusMessage *awaited_reply;

        void (*disconnected)(Bus *b, void *userdata);
        void *disconnected_userdata;
};

/* bus-object.c: frees the node of a vtable/enumerator slot when it became empty. */
void bus_node_release(Bus *b, BusNode *n);
