/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* heap-thp: lets the manager's whole heap live on transparent huge pages (see heap-thp.c). */

/* Call first thing in main(), before the manager allocates anything that lives long. Does
 * nothing unless glibc's heap is on huge pages (GLIBC_TUNABLES has glibc.malloc.hugetlb=1).
 * Returns the bytes of address space parked (0 when nothing was done). */
unsigned long heap_thp_align_start(void);

/* Once the manager is idle after its start-up, a restore or a reload: the heap in use stays,
 * the rest is given back. The parked block is freed (nothing of it is resident), the heap so far is
 * advised MADV_NOHUGEPAGE (khugepaged would otherwise collapse its partly used 2 MiB ranges
 * into whole pages again), malloc_trim() returns the free pages, splitting the huge pages they
 * are in, and so is the free rest of the top chunk, which glibc trims only in whole huge
 * pages. Later heap extensions are on huge pages again. No-op unless heap_thp_align_start()
 * did something; safe to call more than once. */
void heap_thp_settle(void);
