/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * unit-printf.h: specifier expansion in unit files (spec unit-files.md §7), on top of the
 * generic engine in src/shared/specifier.h. Three contexts: unit names (dependency settings:
 * only %i %j %n %N %p, the system set and %g %G %u %U), paths (%-expansion of an Exec*= binary)
 * and full (everything). Results are owned by the caller.
 */

#include "unit.h"

int unit_name_printf(const Unit *u, const char *text, char **ret);
int unit_path_printf(const Unit *u, const char *text, char **ret);
int unit_full_printf(const Unit *u, const char *text, char **ret);
