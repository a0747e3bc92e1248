/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dbus-job.c: the Job objects (dbus-job.h), found by id below /org/freedesktop/systemd1/job.
 */

#include <errno.h>
#include <stdlib.h>

#include "dbus-job.h"
#include "dbus-unit.h"
#include "manager.h"
#include "parse-util.h"
#include "string-util.h"
#include "strv.h"

#define JOB_OF(userdata) ((Job *) (userdata))

static int get_id(BUS_GETTER_ARGS) {
        return bus_append_u32(reply, JOB_OF(userdata)->id);
}

static int get_unit(BUS_GETTER_ARGS) {
        Job *j = userdata;
        _cleanup_free_ char *p = bus_unit_path(j->unit);

        if (!p)
                return -ENOMEM;
        return bus_message_append(reply, "(so)", j->unit->id, p);
}

static int get_type(BUS_GETTER_ARGS) {
        return bus_append_string(reply, job_type_to_string(JOB_OF(userdata)->type));
}

static int get_state(BUS_GETTER_ARGS) {
        return bus_append_string(reply, job_state_to_string(JOB_OF(userdata)->state));
}

int bus_job_append_entry(BusMessage *reply, Job *j) {
        _cleanup_free_ char *jp = job_dbus_path(j), *up = bus_unit_path(j->unit);

        if (!jp || !up)
                return -ENOMEM;
        return bus_message_append(reply, "(usssoo)", j->id, j->unit->id, job_type_to_string(j->type),
                                  job_state_to_string(j->state), jp, up);
}

int bus_job_reply_list(Bus *bus, BusMessage *message, Job **jobs) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        int r;

        r = bus_message_new_method_return(message, &reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "(usssoo)");
        for (Job **j = jobs; r >= 0 && j && *j; j++)
                r = bus_job_append_entry(reply, *j);
        if (r >= 0)
                r = bus_message_close_container(reply);
        return r < 0 ? r : bus_reply_message(bus, message, reply);
}

static int method_cancel(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        int r = job_cancel(userdata);

        if (r < 0)
                return r;
        return bus_reply(bus, message, NULL);
}

static int method_get_waiting(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *member = bus_message_get_string_field(message, BUS_FIELD_MEMBER);
        _cleanup_free_ Job **jobs = NULL;
        int r;

        r = streq(member, "GetAfter") ? job_get_after(userdata, &jobs) : job_get_before(userdata, &jobs);
        if (r < 0)
                return r;
        return bus_job_reply_list(bus, message, jobs);
}

static const BusVtable job_vtable[] = {
        BUS_VTABLE_START(0),
        BUS_METHOD("Cancel", "", "", method_cancel, 0),
        BUS_METHOD_WITH_NAMES("GetAfter", "", "a(usssoo)", "jobs\0", method_get_waiting, 0),
        BUS_METHOD_WITH_NAMES("GetBefore", "", "a(usssoo)", "jobs\0", method_get_waiting, 0),
        BUS_PROPERTY("Id", "u", get_id, 0, BUS_VTABLE_PROPERTY_CONST),
        BUS_PROPERTY("Unit", "(so)", get_unit, 0, BUS_VTABLE_PROPERTY_CONST),
        BUS_PROPERTY("JobType", "s", get_type, 0, BUS_VTABLE_PROPERTY_CONST),
        BUS_PROPERTY("State", "s", get_state, 0, BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        BUS_PROPERTY("ActivationDetails", "a(ss)", bus_prop_empty_a_ss, 0, BUS_VTABLE_PROPERTY_CONST),
        BUS_VTABLE_END,
};

static int job_find(Bus *bus, const char *path, const char *interface, void *userdata,
                    void **found, BusError *error) {
        const char *e = startswith(path, BUS_JOB_PREFIX "/");
        uint32_t id;
        Job *j = NULL;

        if (!e || safe_atou32(e, &id) < 0)
                return 0;
        j = manager_get_job(userdata, id);
        if (!j)
                return 0;
        *found = j;
        return 1;
}

static int job_enumerate(Bus *bus, const char *prefix, void *userdata, char ***ret_nodes,
                         BusError *error) {
        _cleanup_strv_free_ char **l = NULL;
        Manager *m = userdata;
        Job *j = NULL;

        HASHMAP_FOREACH(j, m->jobs) {
                char *p = job_dbus_path(j);
                if (!p || strv_consume(&l, p) < 0)
                        return -ENOMEM;
        }
        *ret_nodes = TAKE_PTR(l);
        return 0;
}

int bus_job_register(Bus *b, Manager *m) {
        int r;

        r = bus_add_fallback_vtable(b, NULL, BUS_JOB_PREFIX, BUS_JOB_INTERFACE, job_vtable, job_find, m);
        if (r < 0)
                return r;
        return bus_add_node_enumerator(b, NULL, BUS_JOB_PREFIX, job_enumerate, m);
}
