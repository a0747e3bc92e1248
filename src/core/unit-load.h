/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * unit-load.h: turning a stub unit into a loaded one, as systemd 252 does: find the fragment
 * through the name map, detect masks, merge aliases, parse the fragment and the drop-ins,
 * process .wants/.requires/.upholds directories, add the per-type implicit and default
 * dependencies, verify. The outcome is the unit's load state (loaded, not-found, masked,
 * bad-setting, error, merged) and load_error.
 */

#include "unit.h"

/* Loads u if it is a stub. Never fails: problems end up in u->load_state / u->load_error. */
void unit_load(Unit *u);
/* After every queued unit is loaded: orders targets after the loaded units they pull in
 * (systemd's default target dependencies), for the targets u is wanted/required/… by. */
void unit_add_target_dependencies_of(Unit *u);
