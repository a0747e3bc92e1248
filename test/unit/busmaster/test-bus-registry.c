/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-registry: the name ownership queue against dbus-daemon 1.14's algorithm: the
 * RequestName/ReleaseName replies and the exact sequence of NameOwnerChanged, NameLost and
 * NameAcquired a client sees.
 */

#include <stdio.h>

#include "../test-helpers.h"
#include "busmaster/bus-registry.h"
#include "string-util.h"

typedef struct Holder {
        BusNameHolder h;
        const char *name;
} Holder;

static char events[4096];

static const char *who(BusNameHolder *h) {
        return h ? container_of(h, Holder, h)->name : "";
}

static void ev(const char *kind, const char *a, const char *b, const char *c) {
        size_t n = strlen(events);

        if (c)
                snprintf(events + n, sizeof events - n, "%s(%s,%s,%s) ", kind, a, b, c);
        else
                snprintf(events + n, sizeof events - n, "%s(%s->%s) ", kind, a, b);
}

static void on_changed(const char *name, BusNameHolder *o, BusNameHolder *n, void *u) {
        (void) u;
        ev("NOC", name, who(o), who(n));
}

static void on_acquired(BusNameHolder *h, const char *name, void *u) {
        (void) u;
        ev("Acquired", name, who(h), NULL);
}

static void on_lost(BusNameHolder *h, const char *name, void *u) {
        (void) u;
        ev("Lost", name, who(h), NULL);
}

static const BusRegistryCallbacks cbs = { on_changed, on_acquired, on_lost };

static BusRegistry *reg;
static Holder A = { .name = "A" }, B = { .name = "B" }, C = { .name = "C" };

static void setup(void) {
        ck_assert_int_eq(bus_registry_new(&cbs, NULL, &reg), 0);
        bus_name_holder_init(&A.h);
        bus_name_holder_init(&B.h);
        bus_name_holder_init(&C.h);
        events[0] = 0;
}

static void teardown(void) {
        bus_registry_release_all(reg, &A.h);
        bus_registry_release_all(reg, &B.h);
        bus_registry_release_all(reg, &C.h);
        reg = bus_registry_free(reg);
}

static const char *queue(const char *name) {
        static char buf[64];
        BusNameHolder *const *q;
        int n = bus_registry_get_queue(reg, name, &q);

        buf[0] = 0;
        for (int i = 0; i < n; i++)
                strcat(buf, who(q[i]));
        return buf;
}

START_TEST(test_first_owner_then_queue) {
        ck_assert_int_eq(bus_registry_request(reg, &A.h, "x.y", 0), BUS_REQUEST_NAME_PRIMARY_OWNER);
        ck_assert_str_eq(events, "NOC(x.y,,A) Acquired(x.y->A) ");
        events[0] = 0;
        ck_assert_int_eq(bus_registry_request(reg, &A.h, "x.y", 0), BUS_REQUEST_NAME_ALREADY_OWNER);
        ck_assert_int_eq(bus_registry_request(reg, &B.h, "x.y", 0), BUS_REQUEST_NAME_IN_QUEUE);
        ck_assert_int_eq(bus_registry_request(reg, &C.h, "x.y", BUS_NAME_DO_NOT_QUEUE), BUS_REQUEST_NAME_EXISTS);
        ck_assert_str_eq(events, "");
        ck_assert_str_eq(queue("x.y"), "AB");
        /* the owner leaves: the next in line gets it */
        ck_assert_int_eq(bus_registry_release(reg, &A.h, "x.y"), BUS_RELEASE_NAME_RELEASED);
        ck_assert_str_eq(events, "Lost(x.y->A) NOC(x.y,A,B) Acquired(x.y->B) ");
        ck_assert_int_eq(bus_registry_release(reg, &A.h, "x.y"), BUS_RELEASE_NAME_NOT_OWNER);
        ck_assert_int_eq(bus_registry_release(reg, &A.h, "no.such"), BUS_RELEASE_NAME_NON_EXISTENT);
}
END_TEST

START_TEST(test_replace) {
        ck_assert_int_eq(bus_registry_request(reg, &A.h, "x.y", BUS_NAME_ALLOW_REPLACEMENT), 1);
        events[0] = 0;
        /* replacing an owner that allows it: the old owner waits behind the new one */
        ck_assert_int_eq(bus_registry_request(reg, &B.h, "x.y", BUS_NAME_REPLACE_EXISTING), 1);
        ck_assert_str_eq(events, "Lost(x.y->A) NOC(x.y,A,B) Acquired(x.y->B) ");
        ck_assert_str_eq(queue("x.y"), "BA");
        events[0] = 0;
        /* B did not allow replacement: C queues (REPLACE_EXISTING is not remembered) */
        ck_assert_int_eq(bus_registry_request(reg, &C.h, "x.y", BUS_NAME_REPLACE_EXISTING), 2);
        ck_assert_str_eq(queue("x.y"), "BCA");
        ck_assert_str_eq(events, "");
}
END_TEST

START_TEST(test_replace_do_not_queue_owner) {
        ck_assert_int_eq(bus_registry_request(reg, &A.h, "x.y",
                                              BUS_NAME_ALLOW_REPLACEMENT | BUS_NAME_DO_NOT_QUEUE), 1);
        events[0] = 0;
        ck_assert_int_eq(bus_registry_request(reg, &B.h, "x.y",
                                              BUS_NAME_REPLACE_EXISTING | BUS_NAME_DO_NOT_QUEUE), 1);
        ck_assert_str_eq(events, "Lost(x.y->A) NOC(x.y,A,B) Acquired(x.y->B) ");
        ck_assert_str_eq(queue("x.y"), "B");
        ck_assert_uint_eq(bus_name_holder_count(&A.h), 0);
}
END_TEST

START_TEST(test_do_not_queue_leaves_queue) {
        ck_assert_int_eq(bus_registry_request(reg, &A.h, "x.y", 0), 1);
        ck_assert_int_eq(bus_registry_request(reg, &B.h, "x.y", 0), 2);
        ck_assert_str_eq(queue("x.y"), "AB");
        ck_assert_int_eq(bus_registry_request(reg, &B.h, "x.y", BUS_NAME_DO_NOT_QUEUE), 3);
        ck_assert_str_eq(queue("x.y"), "A");
        ck_assert_uint_eq(bus_name_holder_count(&B.h), 0);
}
END_TEST

START_TEST(test_release_all_newest_first) {
        ck_assert_int_eq(bus_registry_request(reg, &A.h, ":1.1", 0), 1);
        ck_assert_int_eq(bus_registry_request(reg, &A.h, "a.one", 0), 1);
        ck_assert_int_eq(bus_registry_request(reg, &A.h, "a.two", 0), 1);
        ck_assert_int_eq(bus_registry_request(reg, &B.h, "a.one", 0), 2);
        events[0] = 0;
        bus_registry_release_all(reg, &A.h);
        ck_assert_str_eq(events, "Lost(a.two->A) NOC(a.two,A,) Lost(a.one->A) NOC(a.one,A,B) "
                                 "Acquired(a.one->B) Lost(:1.1->A) NOC(:1.1,A,) ");
        ck_assert_ptr_null(bus_registry_get_owner(reg, "a.two"));
        ck_assert_ptr_eq(bus_registry_get_owner(reg, "a.one"), &B.h);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-registry");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_first_owner_then_queue);
        tcase_add_test(tc, test_replace);
        tcase_add_test(tc, test_replace_do_not_queue_owner);
        tcase_add_test(tc, test_do_not_queue_leaves_queue);
        tcase_add_test(tc, test_release_all_newest_first);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
