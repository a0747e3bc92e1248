/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-rules-exec.h: runs the loaded rules (udev-rules.h) for one event (udev-event.h) with
 * udev 252's semantics, and the whole per-event processing around it (spec §2.4): old record,
 * tags, rules, node permissions, links, database.
 */

#include "udev-event.h"
#include "udev-rules.h"

/* Applies every rules line to the event in order, honouring GOTO and the per-device line
 * skipping. Returns 0, or a negative errno on a critical failure (e.g. -ENOMEM). */
int udev_rules_apply_to_event(UdevRules *rules, UdevEvent *e);

/* The per-event steps of udevd 252 up to the database: on "remove" read and delete the record
 * and tags, run the rules, remove the links; otherwise clone the old record and its tags, run
 * the rules, apply node permissions, update links and /dev/{char,block}/M:m, keep or set
 * USEC_INITIALIZED, write tags and the record. RUN is left to udev_event_execute_run(). */
int udev_event_execute_rules(UdevEvent *e, UdevRules *rules);
