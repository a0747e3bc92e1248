/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-names: validation of the names D-Bus messages carry, as the specification defines them.
 * Interface, member, error and bus names are at most 255 bytes; object paths have no length
 * limit of their own (the message size bounds them). Pure functions, NULL is never valid.
 */

#include <stdbool.h>

#include "macro.h"

#define BUS_NAME_MAX 255U

/* "/" or "/" followed by '/'-separated non-empty elements of [A-Za-z0-9_], no trailing '/'. */
bool bus_object_path_is_valid(const char *p) _pure_;
/* Two or more '.'-separated elements of [A-Za-z0-9_], none starting with a digit. */
bool bus_interface_name_is_valid(const char *p) _pure_;
/* Error names follow the interface-name rules. */
bool bus_error_name_is_valid(const char *p) _pure_;
/* One element of [A-Za-z0-9_] not starting with a digit. */
bool bus_member_name_is_valid(const char *p) _pure_;
/* ":" then two or more '.'-separated elements of [A-Za-z0-9_-] (digits allowed first). */
bool bus_unique_name_is_valid(const char *p) _pure_;
/* Two or more '.'-separated elements of [A-Za-z0-9_-], none starting with a digit. */
bool bus_well_known_name_is_valid(const char *p) _pure_;
/* A unique or a well-known bus name. */
bool bus_name_is_valid(const char *p) _pure_;
