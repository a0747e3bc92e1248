/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-udev-queue.c: the event queue's ordering and dependency rules (udev-queue.h): what
 * makes devmaster hold back an event until an earlier one for the same device, a parent or a
 * child, the old path of a move, or the same node has finished, exactly as udevd 252 does.
 */

#include <stdarg.h>

#include "device-db.h"
#include "device.h"
#include "test-helpers.h"
#include "udev-queue.h"

static UdevQueue *q;

static void setup(void) {
        /* queued devices are sealed: nothing is read from sysfs */
        ck_assert_int_eq(device_set_sysfs_root("/nonexistent-sysfs"), 0);
        ck_assert_int_eq(device_db_set_run_dir("/nonexistent-run"), 0);
        ck_assert_int_eq(udev_queue_new(&q), 0);
}

static void teardown(void) {
        q = udev_queue_free(q);
        device_set_sysfs_root(NULL);
        device_db_set_run_dir(NULL);
}

/* Queues a device built from KEY=VALUE strings (NULL-terminated); returns the event. */
static UdevQueueEvent *queue(int expect, const char *first, ...) {
        char *strv[16];
        size_t n = 0;
        va_list ap;
        Device *d = NULL;
        UdevQueueEvent *ev = NULL;

        va_start(ap, first);
        for (const char *s = first; s; s = va_arg(ap, const char *)) {
                ck_assert(n < 15);
                strv[n++] = (char *) s;
        }
        va_end(ap);
        strv[n] = NULL;
        ck_assert_int_eq(device_new_from_strv(&d, strv), 0);
        ck_assert_int_eq(udev_queue_insert(q, d, &ev), expect);
        device_unref(d);
        return ev;
}

#define ADD(seq, path) "ACTION=add", "DEVPATH=" path, "SUBSYSTEM=test", "SEQNUM=" seq

START_TEST(test_devpath_conflict) {
        ck_assert(udev_queue_devpath_conflict("/devices/a", "/devices/a"));
        ck_assert(udev_queue_devpath_conflict("/devices/a", "/devices/a/b"));
        ck_assert(udev_queue_devpath_conflict("/devices/a/b/c", "/devices/a"));
        ck_assert(!udev_queue_devpath_conflict("/devices/a", "/devices/ab"));
        ck_assert(!udev_queue_devpath_conflict("/devices/ab", "/devices/a"));
        ck_assert(!udev_queue_devpath_conflict("/devices/a/b", "/devices/a/c"));
        ck_assert(!udev_queue_devpath_conflict(NULL, "/devices/a"));
        ck_assert(!udev_queue_devpath_conflict("/devices/a", NULL));
}
END_TEST

START_TEST(test_parent_child_and_siblings) {
        UdevQueueEvent *parent, *child, *other, *prefix, *grandchild;

        parent = queue(1, ADD("1", "/devices/a"), NULL);
        child = queue(0, ADD("2", "/devices/a/b"), NULL);
        other = queue(0, ADD("3", "/devices/c"), NULL);
        prefix = queue(0, ADD("4", "/devices/ab"), NULL);
        grandchild = queue(0, ADD("5", "/devices/a/b/x"), NULL);

        ck_assert(!udev_queue_event_is_blocked(parent, 0));
        ck_assert(udev_queue_event_is_blocked(child, 0));
        ck_assert_uint_eq(child->blocker_seqnum, 1);
        ck_assert(!udev_queue_event_is_blocked(other, 0));
        ck_assert(!udev_queue_event_is_blocked(prefix, 0)); /* not a path-component prefix */
        ck_assert(udev_queue_event_is_blocked(grandchild, 0));

        /* the parent's event ends: the child may go, the grandchild still waits for the child */
        parent->state = UDEV_QUEUE_EVENT_RUNNING;
        ck_assert(!udev_queue_event_free(parent));
        ck_assert(!udev_queue_event_is_blocked(child, 0));
        ck_assert(udev_queue_event_is_blocked(grandchild, 0));
        ck_assert_uint_eq(grandchild->blocker_seqnum, 2);
        ck_assert(!udev_queue_event_free(child));
        ck_assert(!udev_queue_event_is_blocked(grandchild, 0));
        /* checked once, remembered */
        ck_assert_uint_eq(grandchild->blocker_seqnum, grandchild->seqnum);
        ck_assert(!udev_queue_event_free(other));
        ck_assert(!udev_queue_event_free(prefix));
        ck_assert(udev_queue_event_free(grandchild)); /* now empty */
        ck_assert(udev_queue_is_empty(q));
}
END_TEST

START_TEST(test_a_later_event_never_blocks_an_earlier_one) {
        UdevQueueEvent *first;

        first = queue(1, ADD("10", "/devices/a/b"), NULL);
        queue(0, ADD("11", "/devices/a"), NULL);
        ck_assert(!udev_queue_event_is_blocked(first, 0));
}
END_TEST

START_TEST(test_move_devpath_old_both_ways) {
        UdevQueueEvent *move, *old_child, *renamed_again;

        queue(1, ADD("1", "/devices/net/eth0"), NULL);
        move = queue(0, "ACTION=move", "DEVPATH=/devices/net/lan0", "DEVPATH_OLD=/devices/net/eth0",
                     "SUBSYSTEM=net", "SEQNUM=2", NULL);
        /* blocked by the event on the old path */
        ck_assert(udev_queue_event_is_blocked(move, 0));
        ck_assert_uint_eq(move->blocker_seqnum, 1);
        ck_assert_str_eq(move->devpath_old, "/devices/net/eth0");

        /* an event below the old path waits for the move */
        old_child = queue(0, ADD("3", "/devices/net/eth0/queues"), NULL);
        ck_assert(udev_queue_event_is_blocked(old_child, 0));
        ck_assert(!udev_queue_event_free(q->events)); /* seqnum 1 done */
        ck_assert(!udev_queue_event_is_blocked(move, 0));
        ck_assert(udev_queue_event_is_blocked(old_child, 0));
        ck_assert_uint_eq(old_child->blocker_seqnum, 2);

        /* an event for the new path waits too */
        renamed_again = queue(0, ADD("4", "/devices/net/lan0"), NULL);
        ck_assert(udev_queue_event_is_blocked(renamed_again, 0));
}
END_TEST

START_TEST(test_same_device_id_or_node) {
        UdevQueueEvent *a, *b, *c, *d;

        a = queue(1, "ACTION=add", "DEVPATH=/devices/virtual/mem/null", "SUBSYSTEM=mem", "SEQNUM=1",
                  "MAJOR=1", "MINOR=3", "DEVNAME=null", NULL);
        /* another path, same device number: the same database id c1:3 */
        b = queue(0, "ACTION=change", "DEVPATH=/devices/other/null2", "SUBSYSTEM=mem", "SEQNUM=2",
                  "MAJOR=1", "MINOR=3", NULL);
        /* another path and number, same node */
        c = queue(0, "ACTION=change", "DEVPATH=/devices/other/x", "SUBSYSTEM=mem", "SEQNUM=3",
                  "MAJOR=1", "MINOR=9", "DEVNAME=null", NULL);
        /* nothing in common */
        d = queue(0, "ACTION=change", "DEVPATH=/devices/other/y", "SUBSYSTEM=mem", "SEQNUM=4",
                  "MAJOR=1", "MINOR=5", "DEVNAME=zero", NULL);
        ck_assert(!udev_queue_event_is_blocked(a, 0));
        ck_assert_str_eq(b->id, "c1:3");
        ck_assert(udev_queue_event_is_blocked(b, 0));
        ck_assert(udev_queue_event_is_blocked(c, 0));
        ck_assert_uint_eq(c->blocker_seqnum, 1);
        ck_assert(!udev_queue_event_is_blocked(d, 0));
}
END_TEST

START_TEST(test_seqnum_order_and_retry) {
        UdevQueueEvent *ev;
        uint64_t expect[] = { 3, 5, 7, 9 };
        size_t i = 0;

        queue(1, ADD("5", "/devices/e5"), NULL);
        queue(0, ADD("9", "/devices/e9"), NULL);
        queue(0, ADD("3", "/devices/e3"), NULL);
        queue(0, ADD("7", "/devices/e7"), NULL);
        ck_assert_uint_eq(q->n_events, 4);
        UDEV_QUEUE_FOREACH(ev, q) {
                ck_assert_uint_eq(ev->seqnum, expect[i]);
                i++;
        }
        ck_assert_uint_eq(q->last->seqnum, 9);

        /* an event waiting for a retry is blocked until its time */
        ev = q->events;
        ev->retry_next_usec = 1000;
        ck_assert(udev_queue_event_is_blocked(ev, 999));
        ck_assert(!udev_queue_event_is_blocked(ev, 1000));
}
END_TEST

START_TEST(test_insert_refuses_incomplete_devices) {
        Device *d = NULL;
        char *strv[] = { (char *) "ACTION=add", (char *) "DEVPATH=/devices/x",
                         (char *) "SUBSYSTEM=test", (char *) "SEQNUM=1", NULL };

        ck_assert_int_eq(device_new_from_strv(&d, strv), 0);
        ck_assert_int_eq(udev_queue_insert(q, d, NULL), 1);
        ck_assert_uint_eq(q->n_events, 1);
        device_unref(d);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("udev-queue");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_devpath_conflict);
        tcase_add_test(tc, test_parent_child_and_siblings);
        tcase_add_test(tc, test_a_later_event_never_blocks_an_earlier_one);
        tcase_add_test(tc, test_move_devpath_old_both_ways);
        tcase_add_test(tc, test_same_device_id_or_node);
        tcase_add_test(tc, test_seqnum_order_and_retry);
        tcase_add_test(tc, test_insert_refuses_incomplete_devices);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
