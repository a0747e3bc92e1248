/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-rules-parse.h: parses one udev rules file into the program of udev-rules.h, with udev
 * 252's line syntax, operator coercions, token order, GOTO resolution and load-time messages.
 *
 * Diagnostics are logged with the prefix "<file>:<line> " at udev's levels: errors drop the
 * whole line, format errors and warnings keep it; "GOTO has no matching label" and "Line is too
 * long" use "<file>:<line>: ". A bad line never stops the file, and no input crashes the parser.
 */

#include "udev-rules.h"

/* Parses a rules file and appends it to rules (udev_rules_load() does this for every file).
 * Returns 0, also when the file does not exist or is empty (then nothing is added, as in udev),
 * or a negative errno when it cannot be opened (logged) or read to its end (what was read stays
 * loaded with its GOTOs unresolved, as udev leaves it; the caller logs). */
int udev_rules_parse_file(UdevRules *rules, const char *filename);
/* The same for size bytes of data (anything) as the contents of a file named filename. */
int udev_rules_parse_buffer(UdevRules *rules, const char *filename, const void *data, size_t size);

/* Frees a file of the rule set with its lines; NULL-safe, returns NULL. */
UdevRuleFile *udev_rule_file_free(UdevRuleFile *f);
