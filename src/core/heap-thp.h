/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "event.h"

/* heap-thp: lets the manager's whole heap live on transparent huge pages, and gives back what
 * it does not use after a burst (see heap-thp.c). */

/* Call first thing in main(), before the manager allocates anything that lives long. Does
 * nothing unless glibc's heap is on huge pages (GLIBC_TUNABLES has glibc.malloc.hugetlb=1).
 * Returns the bytes of address space parked (0 when nothing was done). */
unsigned long heap_thp_align_start(void);

/* Once the manager is idle after its start-up, a restore or a reload: the heap in use stays,
 * the free pages inside it are given back (malloc_trim(): a daemon-reload frees and allocates
 * every unit's loaded data, and the new data does not fit the holes of the old). With huge
 * pages, first: the parked block is freed (nothing of it is resident), the heap so far is
 * advised MADV_NOHUGEPAGE (khugepaged would otherwise collapse its partly used 2 MiB ranges
 * into whole pages again), and after the trim the free rest of the top chunk, which glibc
 * trims only in whole huge pages, is given back too. Later heap extensions are on huge pages
 * again. Safe to call any number of times. */
void heap_settle(void);

/* heap_settle() once nothing else is pending in e, delay usec from now at the earliest (after
 * a restore: the clients that waited for the new manager come first; giving back splits huge
 * pages, and the pages touched next fault in one by one). One event source for the process,
 * set again for each burst (it keeps e alive); no-op without e. */
void heap_settle_schedule(Event *e, usec_t delay);
