/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* heap.c: the manager's heap: where it starts, and what it gives back (heap.h).
 *
 * A manager that restores its state runs with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (from
 * sysmaster-init after a restart, from reexec.c after a re-execution; the first manager of a
 * boot does not: huge pages cost resident memory): glibc then grows the heap to 2 MiB-aligned
 * ends and advises MADV_HUGEPAGE, so that the restore faults its megabytes of fresh heap in
 * 2 MiB pages instead of 4 KiB ones (a 4 KiB fault costs ~30 µs on a paravirtualised VM). Static glibc's first heap extension happens before
 * main() (_dl_non_dynamic_init() allocates), starts wherever the break was and is too short
 * for the rest of glibc to advise the one that follows: the first ~2-4 MiB of the heap, exactly
 * what a restore fills first, stay in 4 KiB pages.
 *
 * This module, run first thing in main(), (1) parks the free top of that first extension, and
 * the rest of the 2 MiB range its end is in, in one block whose pages are never touched
 * (address space, not memory) until heap_settle() frees it, so that the heap grows at
 * once, (2) with M_TOP_PAD at 2 MiB for that one extension, so that it is at least a huge page
 * long and advised by glibc: the heap proper starts on a 2 MiB boundary, and from there glibc
 * extends it in whole advised huge pages. (A 2 MiB range that gets one 4 KiB page before it is
 * advised and mapped in whole stays in 4 KiB pages; one that is partly parked would make the
 * parked part resident.)
 * Setting one malloc parameter turns glibc's sliding mmap threshold off, so (3) it is fixed at
 * 1 MiB (the trim threshold at twice that, as the sliding rule would): a 200 KB ListUnits
 * reply comes from the heap, not from a fresh mmap. The allocator stays glibc's; this only
 * decides where the heap starts. Every manager, huge pages or not, gets the fixed thresholds
 * (heap_fix_thresholds()).
 *
 * Huge pages are for the burst of a start, restore or reload: a heap in 2 MiB pages is resident in
 * whole 2 MiB ranges, used or not. heap_settle() gives the unused part back once the manager is
 * idle (and, with or without huge pages, the free pages a reload leaves in the heap). Owner:
 * main.c starts the heap; the manager schedules a settle after start-up, a restore and a
 * reload (manager_schedule_heap_settle()); nothing else touches the heap's settings. */

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "heap.h"
#include "init-protocol.h"
#include "macro.h"

#define HUGE_PAGE_SIZE (UINT64_C(2) << 20)
#define MMAP_THRESHOLD (1 << 20)
/* glibc's largest mmap threshold on 64 bits: the parked block must come from the heap */
#define MMAP_THRESHOLD_MAX (32 << 20)
#define TOP_PAD_DEFAULT (128 << 10)     /* glibc's */

static uintptr_t heap_start;            /* 0: heap_thp_align_start() parked nothing */
static void *parked_block;

static bool heap_on_huge_pages(void) {
        const char *t = getenv("GLIBC_TUNABLES");

        return t && strstr(t, MANAGER_GLIBC_TUNABLES);
}

/* glibc's sliding mmap threshold off, at 1 MiB (the trim threshold at twice that, as the
 * sliding rule would). With the sliding rule, freeing an mmapped chunk raises the threshold to
 * its size: once the state store was reopened (state_store_release_cache()), LMDB's 3 MB of
 * page lists, calloc()ed again, came from the heap, where calloc() writes every page, instead
 * of untouched mmapped memory: 3 MB more resident after each daemon-reload. */
static void heap_fix_thresholds(void) {
        (void) mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        (void) mallopt(M_TRIM_THRESHOLD, 2 * MMAP_THRESHOLD);
}

void heap_thp_align_start(void) {
        uintptr_t first, brk0, boundary;
        void *probe;

        if (!heap_on_huge_pages()) {
                heap_fix_thresholds();
                return;
        }

        (void) mallopt(M_TOP_PAD, (int) HUGE_PAGE_SIZE);
        (void) mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX);

        brk0 = (uintptr_t) sbrk(0);
        boundary = ALIGN_TO(brk0, HUGE_PAGE_SIZE);
        probe = malloc(1);              /* the top of the heap starts right after it */
        if (probe && (uintptr_t) probe < brk0) {
                first = (uintptr_t) probe;
                free(probe);
                /* Up to the first 2 MiB boundary at or past the old break: glibc extends the
                 * heap (by at least M_TOP_PAD, advised) before it writes the header of what
                 * follows the block, so nothing in the 2 MiB range of the old break is ever
                 * touched and the first write past the boundary goes to advised memory. */
                parked_block = malloc(boundary - first);
                if (parked_block)
                        heap_start = first & ~(uintptr_t) (getpagesize() - 1);
        } else
                free(probe);

        /* From the boundary on glibc extends the heap in whole, advised huge pages by itself. A
         * bigger pad would leave megabytes free at the top, where a large request is served
         * without a look at the mmap threshold (LMDB's 2 MB dirty list, mostly untouched, would
         * be resident in whole huge pages). */
        (void) mallopt(M_TOP_PAD, TOP_PAD_DEFAULT);
        heap_fix_thresholds();
}

void heap_settle(void) {
        uintptr_t end, top, page = (uintptr_t) getpagesize();

        if (heap_start == 0) {
                (void) malloc_trim(0);
                return;
        }
        /* address space only: free memory from now on */
        parked_block = mfree(parked_block);
        end = (uintptr_t) sbrk(0);
        if (end > heap_start)
                (void) madvise((void *) heap_start, end - heap_start, MADV_NOHUGEPAGE);
        (void) malloc_trim(0);
        /* glibc trims the top of a heap on huge pages in whole 2 MiB: the rest of the top chunk
         * (mallinfo2's keepcost, ending at the break) was faulted in with its huge page */
        end = (uintptr_t) sbrk(0);
        top = ALIGN_TO(end - mallinfo2().keepcost + 64, page);
        if (top < end && top > heap_start)
                (void) madvise((void *) top, end - top, MADV_DONTNEED);
}
