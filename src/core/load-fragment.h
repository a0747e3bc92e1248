/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * load-fragment.h: what each unit-file key means. load_fragment_assignment() is the
 * conf-parser callback that applies one "Key=Value" to a Unit: it knows every key of
 * systemd 252 (so valid files never get "Unknown key" warnings), interprets the keys that
 * loading needs (dependencies, Description, Documentation, Exec*=, Environment=, the settings
 * that create implicit dependencies, …) and keeps every other value in the unit's settings
 * store. A problem in a value is logged with file:line and that value is skipped; a fatal
 * problem (an unusable Exec*= line) returns -ENOEXEC, which makes the unit bad-setting.
 */

#include "unit.h"

int load_fragment_assignment(const char *unit, const char *filename, unsigned line,
                             const char *section, unsigned section_line, const char *key,
                             const char *value, void *userdata);

/* The sections a unit of type t may have ("Unit", "<Type>", "Install"), NULL-terminated. */
const char *const *load_fragment_sections(UnitType t);
/* Whether "Section.Key" is a key systemd 252 knows. */
bool load_fragment_key_is_known(const char *section_key);
/* The value type systemd documents for a known key ("BOOLEAN", "SECONDS", "UNIT [...]", …), or
 * NULL for an unknown key. */
const char *load_fragment_key_type(const char *section_key);
/* Keys that systemd keeps in one list per unit (an empty assignment to one resets all). */
extern const char *const load_fragment_socket_listen_keys[];
extern const char *const load_fragment_timer_value_keys[];
extern const char *const load_fragment_path_spec_keys[];
/* Whether any key of such a group has a value in u. */
bool load_fragment_group_is_set(const Unit *u, const char *const *group);

/* Parses a whole file into u (fragment or drop-in). Returns 0, or a negative errno: -ENOEXEC for
 * a fatal setting, -EBADMSG for a fatal syntax error, an I/O error. */
int load_fragment_parse_file(Unit *u, const char *path);
/* The same with the file's stat() when the caller has it (NULL: looked up if needed). After a
 * restart an unchanged file is parsed from the state store's copy; a file read from disk is
 * kept there (manager-store.h). */
struct stat;
int load_fragment_parse_path(Unit *u, const char *path, const struct stat *st);
