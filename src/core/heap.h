/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* heap: the manager's heap, where it starts (on huge-page boundaries when a restoring manager
 * runs with its heap on transparent huge pages) and giving back what it does not use after a
 * burst (see heap.c). */

/* Call first thing in main(), before the manager allocates anything that lives long. Fixes
 * glibc's mmap and trim thresholds; the rest only if glibc's heap is on huge pages
 * (GLIBC_TUNABLES has MANAGER_GLIBC_TUNABLES). */
void heap_thp_align_start(void);

/* Once the manager is idle after its start-up, a restore, a reload or a burst of commits
 * (manager_schedule_heap_settle()): the heap in use stays, the free pages inside it are given
 * back (malloc_trim(): a daemon-reload frees and allocates every unit's loaded data, and the
 * new data does not fit the holes of the old). With huge pages, first: the parked block is
 * freed (nothing of it is resident), the heap so far is advised MADV_NOHUGEPAGE (khugepaged
 * would otherwise collapse its partly used 2 MiB ranges into whole pages again), and after the
 * trim the free rest of the top chunk, which glibc trims only in whole huge pages, is given
 * back too. Later heap extensions are on huge pages again. Safe to call any number of times. */
void heap_settle(void);
