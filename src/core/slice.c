/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * slice.c: the slice unit type (slice.h). Starting a slice creates its cgroup (its parent
 * slices are started first through the Requires=/After= dependencies loading added) and makes
 * it active; stopping makes it dead, and the runtime prunes the cgroup once it is inactive.
 * -.slice and system.slice are perpetual: coldplug brings them up active, stop is refused.
 */

#include "cgroup.h"
#include "kill.h"
#include "log.h"
#include "slice.h"
#include "string-util.h"
#include "unit.h"

static const char *const slice_state_table[_SLICE_STATE_MAX] = {
        [SLICE_DEAD] = "dead",
        [SLICE_ACTIVE] = "active",
};

const char *slice_state_to_string(SliceState s) {
        return s >= 0 && s < _SLICE_STATE_MAX ? slice_state_table[s] : NULL;
}

SliceState slice_state_from_string(const char *s) {
        return (SliceState) string_table_lookup(slice_state_table, _SLICE_STATE_MAX, s);
}

static const UnitActiveState state_translation[_SLICE_STATE_MAX] = {
        [SLICE_DEAD] = UNIT_INACTIVE,
        [SLICE_ACTIVE] = UNIT_ACTIVE,
};

static void slice_set_state(Slice *s, SliceState state) {
        SliceState old = s->state;

        s->state = state;
        if (old != state)
                log_unit_debug(&s->meta, "Changed %s -> %s", slice_state_to_string(old),
                               slice_state_to_string(state));
        unit_notify(&s->meta, state_translation[old], state_translation[state], 0);
}

static int slice_load(Unit *u) {
        /* as systemd's slice_init(): slices stay up when another unit is isolated */
        if (!unit_setting_last(u, "Unit.IgnoreOnIsolate"))
                u->rt.ignore_on_isolate = true;
        return 0;
}

static int slice_start(Unit *u) {
        Slice *s = SLICE(u);
        int r;

        if (s->state == SLICE_ACTIVE)
                return -EALREADY;
        r = unit_acquire_invocation_id(u);
        if (r < 0)
                return r;
        (void) unit_realize_cgroup(u);
        slice_set_state(s, SLICE_ACTIVE);
        return 1;
}

static int slice_stop(Unit *u) {
        Slice *s = SLICE(u);

        if (u->perpetual)
                return -EPERM;
        if (s->state == SLICE_DEAD)
                return -EALREADY;
        /* the cgroup goes when the runtime sees the unit inactive (unit_prune_cgroup()) */
        slice_set_state(s, SLICE_DEAD);
        return 1;
}

/* Crash recovery (manager-store.h): the state alone; taken as read back (no side effects). */
static void slice_serialize(Unit *u, Serializer *s) {
        ser_item(s, "state", slice_state_to_string(SLICE(u)->state));
}

static int slice_deserialize_item(Unit *u, const char *key, const char *value) {
        SliceState st;

        if (streq(key, "state") && (st = slice_state_from_string(value)) >= 0)
                SLICE(u)->state = st;
        return 0;
}

static int slice_coldplug(Unit *u) {
        Slice *s = SLICE(u);

        if (!u->perpetual || s->state != SLICE_DEAD)
                return 0;
        (void) unit_realize_cgroup(u);
        slice_set_state(s, SLICE_ACTIVE);
        return 0;
}

static int slice_kill(Unit *u, KillWho who, int signo, BusError *error) {
        return kill_unit_processes(u, who, signo, -1, -1, error);
}

static UnitActiveState slice_active_state(Unit *u) {
        return state_translation[SLICE(u)->state];
}

static const char *slice_sub_state_to_string(Unit *u) {
        return slice_state_to_string(SLICE(u)->state);
}

static bool slice_may_gc(Unit *u) {
        return !u->perpetual;
}

const UnitVTable slice_vtable = {
        .object_size = sizeof(Slice),
        .sub_state_names = slice_state_table,
        .load = slice_load,
        .start = slice_start,
        .stop = slice_stop,
        .kill = slice_kill,
        .coldplug = slice_coldplug,
        .serialize = slice_serialize,
        .deserialize_item = slice_deserialize_item,
        .active_state = slice_active_state,
        .sub_state_to_string = slice_sub_state_to_string,
        .may_gc = slice_may_gc,
        .can_transient = true,
};
