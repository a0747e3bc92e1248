/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-conn: the pending-reply table. A reply is delivered once, only from the callee the
 * call went to; a callee that goes away fails every call it owed (NoReply), a caller that goes
 * away is simply forgotten.
 */

#include "../test-helpers.h"
#include "busmaster/bus-conn.h"

static char no_replies[256];

static void on_no_reply(BusConn *caller, uint32_t serial, void *userdata) {
        size_t n = strlen(no_replies);

        (void) userdata;
        snprintf(no_replies + n, sizeof no_replies - n, "%s/%u ", caller->unique_name, serial);
}

static BusConn *conn(uint64_t id) {
        BusConn *c;

        ck_assert_int_eq(bus_conn_new(NULL, &c), 0);
        ck_assert_int_eq(bus_conn_set_id(c, id), 0);
        return c;
}

START_TEST(test_reply_once_from_callee) {
        BusReplies r;
        BusConn *a = conn(0), *b = conn(1), *c = conn(2);

        ck_assert_str_eq(a->unique_name, ":1.0");
        bus_replies_init(&r);
        ck_assert_int_eq(bus_replies_add(&r, a, b, 7), 0);
        ck_assert_uint_eq(a->n_waiting, 1);
        ck_assert_uint_eq(b->n_owed, 1);
        ck_assert(!bus_replies_take(&r, a, c, 7)); /* not the callee */
        ck_assert(!bus_replies_take(&r, a, b, 8)); /* another serial */
        ck_assert(bus_replies_take(&r, a, b, 7));
        ck_assert(!bus_replies_take(&r, a, b, 7)); /* only once */
        ck_assert_uint_eq(a->n_waiting, 0);
        bus_replies_done(&r);
        bus_conn_free(a);
        bus_conn_free(b);
        bus_conn_free(c);
}
END_TEST

START_TEST(test_callee_leaves) {
        BusReplies r;
        BusConn *a = conn(0), *b = conn(1), *c = conn(2);

        bus_replies_init(&r);
        no_replies[0] = 0;
        ck_assert_int_eq(bus_replies_add(&r, a, b, 1), 0);
        ck_assert_int_eq(bus_replies_add(&r, c, b, 5), 0);
        ck_assert_int_eq(bus_replies_add(&r, b, a, 9), 0); /* b's own call: just forgotten */
        bus_replies_drop_conn(&r, b, on_no_reply, NULL);
        ck_assert_str_eq(no_replies, ":1.2/5 :1.0/1 ");
        ck_assert_uint_eq(a->n_owed + a->n_waiting + c->n_waiting + b->n_owed + b->n_waiting, 0);
        /* a caller that leaves: nobody is told */
        ck_assert_int_eq(bus_replies_add(&r, a, c, 2), 0);
        no_replies[0] = 0;
        bus_replies_drop_conn(&r, a, on_no_reply, NULL);
        ck_assert_str_eq(no_replies, "");
        ck_assert(!bus_replies_take(&r, a, c, 2));
        bus_replies_done(&r);
        bus_conn_free(a);
        bus_conn_free(b);
        bus_conn_free(c);
}
END_TEST

/* reply_timeout: the oldest calls expire first, each caller gets its NoReply, and a call
 * still inside the timeout stays answerable. */
START_TEST(test_reply_timeout) {
        BusReplies r;
        BusConn *a = conn(0), *b = conn(1);
        usec_t next;

        bus_replies_init(&r);
        no_replies[0] = 0;
        ck_assert_int_eq(bus_replies_add(&r, a, b, 1), 0);
        ck_assert_int_eq(bus_replies_add(&r, b, a, 2), 0);
        ck_assert(bus_replies_contains(&r, a, b, 1));
        ck_assert(!bus_replies_contains(&r, b, a, 1));
        ck_assert_int_eq(bus_replies_add(&r, a, b, 3), 0);
        /* nothing is older than "long ago" */
        ck_assert(bus_replies_expire(&r, 0, on_no_reply, NULL) != USEC_INFINITY);
        ck_assert_str_eq(no_replies, "");
        /* everything recorded up to now expires, oldest first */
        next = bus_replies_expire(&r, now(CLOCK_MONOTONIC) + 1, on_no_reply, NULL);
        ck_assert(next == USEC_INFINITY);
        ck_assert_str_eq(no_replies, ":1.0/1 :1.1/2 :1.0/3 ");
        ck_assert(!bus_replies_take(&r, a, b, 3)); /* expired: a late reply is unexpected */
        ck_assert_uint_eq(a->n_waiting + b->n_waiting + a->n_owed + b->n_owed, 0);
        bus_replies_done(&r);
        bus_conn_free(a);
        bus_conn_free(b);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-conn");
        TCase *tc = tcase_create("replies");

        tcase_add_test(tc, test_reply_once_from_callee);
        tcase_add_test(tc, test_callee_leaves);
        tcase_add_test(tc, test_reply_timeout);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
