/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * target.c: the target unit type (target.h). Start and stop complete synchronously: the new
 * state is reported with unit_notify(), which finishes the job ("Reached target X." /
 * "Stopped target X."). States: dead ↔ active.
 */

#include <string.h>

#include "log.h"
#include "string-util.h"
#include "target.h"

static const char *const target_state_table[_TARGET_STATE_MAX + 1] = {
        [TARGET_DEAD] = "dead",
        [TARGET_ACTIVE] = "active",
        [_TARGET_STATE_MAX] = NULL,
};

const char *target_state_to_string(TargetState s) {
        return s >= 0 && s < _TARGET_STATE_MAX ? target_state_table[s] : NULL;
}

TargetState target_state_from_string(const char *s) {
        for (TargetState i = 0; s && i < _TARGET_STATE_MAX; i++)
                if (strcmp(target_state_table[i], s) == 0)
                        return i;
        return _TARGET_STATE_INVALID;
}

static const UnitActiveState state_translation[_TARGET_STATE_MAX] = {
        [TARGET_DEAD] = UNIT_INACTIVE,
        [TARGET_ACTIVE] = UNIT_ACTIVE,
};

static Target *TARGET(Unit *u) {
        return (Target *) u;
}

static void target_set_state(Target *t, TargetState state) {
        TargetState old = t->state;

        t->state = state;
        if (old != state)
                log_unit_debug(&t->meta, "Changed %s -> %s", target_state_to_string(old),
                               target_state_to_string(state));
        unit_notify(&t->meta, state_translation[old], state_translation[state], 0);
}

static int target_start(Unit *u) {
        Target *t = TARGET(u);

        /* unit_start() gave the unit its new invocation ID already. */
        if (t->state == TARGET_ACTIVE)
                return -EALREADY;
        target_set_state(t, TARGET_ACTIVE);
        return 1;
}

static int target_stop(Unit *u) {
        Target *t = TARGET(u);

        if (t->state == TARGET_DEAD)
                return -EALREADY;
        target_set_state(t, TARGET_DEAD);
        return 1;
}

static UnitActiveState target_active_state(Unit *u) {
        return state_translation[TARGET(u)->state];
}

static const char *target_sub_state_to_string(Unit *u) {
        return target_state_to_string(TARGET(u)->state);
}

/* Crash recovery (manager-store.h): the state alone; taken as read back (no side effects). */
static void target_serialize(Unit *u, Serializer *s) {
        ser_item(s, "state", target_state_to_string(TARGET(u)->state));
}

static int target_deserialize_item(Unit *u, const char *key, const char *value) {
        TargetState st;

        if (streq(key, "state") && (st = target_state_from_string(value)) >= 0)
                TARGET(u)->state = st;
        return 0;
}

const UnitVTable target_vtable = {
        .object_size = sizeof(Target),
        .sub_state_names = target_state_table,
        .start = target_start,
        .stop = target_stop,
        .active_state = target_active_state,
        .sub_state_to_string = target_sub_state_to_string,
        .serialize = target_serialize,
        .deserialize_item = target_deserialize_item,
        .can_fail = true,
        .status_finished_start = {
                [JOB_DONE] = "Reached target %s.",
        },
        .status_finished_stop = {
                [JOB_DONE] = "Stopped target %s.",
        },
};
