/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-config-internal: what bus-config.c offers the XML reader (bus-config-parse.c) and
 * nothing else.
 */

#include "bus-config.h"

/* A BusConfig with the default limits and nothing else. 0 or -ENOMEM. */
int bus_config_new(BusConfig **ret);
/* Takes path (freed on failure too); see bus-config.c for the de-duplication. */
int bus_config_servicedirs_add_take(BusServiceDir **dirs, size_t *n, char *path,
                                    BusServiceDirFlags flags);
int bus_config_selinux_associate(BusConfig *c, const char *name, const char *context);
/* Moves what inc holds into c as a successful <include> does (inc is left half-empty). */
int bus_config_merge_included(BusConfig *c, BusConfig *inc);
