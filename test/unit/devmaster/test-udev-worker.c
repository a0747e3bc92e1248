/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-udev-worker.c: the hand-over of pipelined devices between the manager and a worker
 * (UdevWorkerShared, udev-worker.h). A device sent to a busy worker is either started by the
 * worker or taken back by the manager (to run on another worker), never both and never
 * neither: no event is lost or processed twice, whatever the timing.
 */

#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-helpers.h"
#include "udev-worker.h"

START_TEST(test_in_order_nothing_taken_back) {
        UdevWorkerShared s = {};

        /* a worker that keeps up starts everything it is sent */
        ck_assert(udev_worker_shared_claim(&s, 0));
        ck_assert(udev_worker_shared_claim(&s, 1));
        /* sent 0 and 1, both started: taking back finds nothing */
        ck_assert_uint_eq(udev_worker_shared_take_back(&s, 2), 2);
        ck_assert(udev_worker_shared_claim(&s, 2));
}
END_TEST

START_TEST(test_not_started_is_taken_back) {
        UdevWorkerShared s = {};

        /* sent 0, 1, 2; the worker is busy with 0 */
        ck_assert(udev_worker_shared_claim(&s, 0));
        ck_assert_uint_eq(udev_worker_shared_take_back(&s, 3), 1);
        /* the worker drops 1 and 2 when it gets to them */
        ck_assert(!udev_worker_shared_claim(&s, 1));
        ck_assert(!udev_worker_shared_claim(&s, 2));
        /* what is sent afterwards is its own again */
        ck_assert(udev_worker_shared_claim(&s, 3));
        /* taking back again finds nothing new */
        ck_assert_uint_eq(udev_worker_shared_take_back(&s, 4), 4);
}
END_TEST

START_TEST(test_numbers_wrap_around) {
        UdevWorkerShared s = {
                /* a long-lived worker: 2^32 - 2 devices started, none pending */
                .handover = ((uint64_t) (UINT32_MAX - 1) << 32) | (UINT32_MAX - 1),
        };

        ck_assert(udev_worker_shared_claim(&s, UINT32_MAX - 1));
        /* sent UINT32_MAX and 0 (wrapped) while busy; taken back */
        ck_assert_uint_eq(udev_worker_shared_take_back(&s, 1), UINT32_MAX);
        ck_assert(!udev_worker_shared_claim(&s, UINT32_MAX));
        ck_assert(!udev_worker_shared_claim(&s, 0));
        ck_assert(udev_worker_shared_claim(&s, 1));
        ck_assert_uint_eq(udev_worker_shared_take_back(&s, 2), 2);
}
END_TEST

#define N_DEVICES 50000U

typedef struct Page {
        UdevWorkerShared shared;
        uint32_t n_sent; /* stands in for the socket: devices below this were sent */
        uint8_t started[N_DEVICES];
} Page;

/* The worker: goes through the devices in sending order, as udev_worker_main() does. */
static void fake_worker(Page *p) {
        for (uint32_t i = 0; i < N_DEVICES; i++) {
                while (__atomic_load_n(&p->n_sent, __ATOMIC_ACQUIRE) <= i)
                        sched_yield();
                p->started[i] = udev_worker_shared_claim(&p->shared, i);
        }
        _exit(EXIT_SUCCESS);
}

START_TEST(test_started_or_taken_back_exactly_once) {
        static uint8_t taken_back[N_DEVICES];
        unsigned n_started = 0, n_taken_back = 0;
        uint32_t bad = UINT32_MAX;
        uint32_t marked = 0; /* devices below this were already looked at by a take-back */
        Page *p;
        pid_t pid;
        int status;

        p = mmap(NULL, sizeof *p, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        ck_assert(p != MAP_FAILED);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                fake_worker(p);

        /* the manager: sends every device, takes back from time to time, as a stalled worker
         * or an idle one elsewhere would make it */
        srand(42);
        for (uint32_t n = 1; n <= N_DEVICES; n++) {
                __atomic_store_n(&p->n_sent, n, __ATOMIC_RELEASE);
                if (n + 100 <= N_DEVICES && rand() % 4 == 0) {
                        uint32_t started = udev_worker_shared_take_back(&p->shared, n);

                        for (uint32_t i = started > marked ? started : marked; i < n; i++)
                                taken_back[i] = 1;
                        marked = n;
                }
                if (rand() % 8 == 0)
                        sched_yield();
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

        for (uint32_t i = 0; i < N_DEVICES; i++) {
                if (p->started[i] + taken_back[i] != 1 && bad == UINT32_MAX)
                        bad = i; /* one check at the end: 50 000 ck_assert()s would each report */
                n_started += p->started[i];
                n_taken_back += taken_back[i];
        }
        /* (the message's arguments are evaluated only when it fails) */
        ck_assert_msg(bad == UINT32_MAX, "device %u: started %u, taken back %u", bad, p->started[bad], taken_back[bad]);
        /* the race was run: the worker started devices, and the manager took some back before the
         * worker got to them (the last 100 are never taken back, so some are always started) */
        ck_assert_uint_gt(n_started, 0);
        ck_assert_uint_gt(n_taken_back, 0);
        ck_assert_int_eq(munmap(p, sizeof *p), 0);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("udev-worker");
        TCase *tc = tcase_create("handover");

        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_in_order_nothing_taken_back);
        tcase_add_test(tc, test_not_started_is_taken_back);
        tcase_add_test(tc, test_numbers_wrap_around);
        tcase_add_test(tc, test_started_or_taken_back_exactly_once);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
