/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-activation: starting services on demand, as dbus-daemon 1.14 does (bus/activation.c).
 *
 * The .service files ("[D-BUS Service]" with Name=, Exec=, User=, SystemdService=) are read
 * from the configured service directories, earlier directories winning; in a directory marked
 * strict (the transient $XDG_RUNTIME_DIR/dbus-1/services) FILE.service must name FILE. A
 * request for an activatable name without owner (StartServiceByName, or a message without
 * NO_AUTO_START) waits in a pending activation until the name gets an owner, the start fails
 * (the helper exits, systemd reports ActivationFailure) or service_start_timeout expires. The
 * service is started by exec'ing Exec= (through <servicehelper> on a system bus) or, with
 * --systemd-activation and SystemdService=, by the ActivationRequest signal to
 * org.freedesktop.systemd1 (which is itself waited for when it is not there yet).
 */

#include <stdbool.h>

#include "bus/bus-error.h"
#include "bus/bus-message.h"
#include "bus-config.h"
#include "hashmap.h"

typedef struct Broker Broker;
typedef struct BusConn BusConn;
typedef struct BusActivation BusActivation;

int bus_activation_new(Broker *b, BusActivation **ret);
BusActivation *bus_activation_free(BusActivation *a);

/* (Re)reads the service files of dirs. Returns 1 when the set of activatable names changed,
 * 0 when not, -ENOMEM. Unreadable or invalid files are logged and skipped. */
int bus_activation_load(BusActivation *a, const BusServiceDir *dirs, size_t n_dirs);
/* Walks the activatable names. */
bool bus_activation_iterate(BusActivation *a, Iterator *i, const char **ret_name);

/* Starts name for c's message m: auto_start (m is a message to deliver once name has an
 * owner) or StartServiceByName (m is that call, answered once the name appears). Returns 0
 * (pending), or a negative errno with error set as dbus-daemon sets it. */
int bus_activation_activate(BusActivation *a, BusConn *c, BusMessage *m, const char *name,
                            bool auto_start, BusError *error);
/* name got an owner: the messages waiting for it are delivered, the StartServiceByName
 * callers answered. */
void bus_activation_name_owned(BusActivation *a, const char *name, BusConn *owner);
/* org.freedesktop.systemd1.Activator.ActivationFailure(unit, error name, message) sent to the
 * bus by the owner of org.freedesktop.systemd1. */
void bus_activation_systemd_failure(BusActivation *a, BusMessage *m);
/* c disconnected: its waiting messages are dropped. */
void bus_activation_conn_gone(BusActivation *a, BusConn *c);
/* UpdateActivationEnvironment(a{ss}) call m: kept for exec'd services and, with systemd
 * activation, forwarded as org.freedesktop.systemd1.Manager.SetEnvironment. Returns 0 or a
 * negative errno with error set. */
int bus_activation_update_environment(BusActivation *a, BusMessage *m, BusError *error);
