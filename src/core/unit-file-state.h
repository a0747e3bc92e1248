/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * unit-file-state.h: the UnitFileState of a unit as systemd 252 reports it (enabled, disabled,
 * static, masked, indirect, alias, linked, generated, transient, … and their "-runtime" forms):
 * derived from where the unit file lives, its [Install] section, and the symlinks that
 * `systemctl enable` would have created in the configuration directories.
 */

#include "unit.h"

/* Returns the state name (a static string), or NULL when the unit has no fragment. */
const char *unit_file_state(const Unit *u);
