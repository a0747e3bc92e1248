/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lmdb-pages.c: LMDB's page buffers away from the manager's heap.
 *
 * LMDB copies every page a write transaction changes into a buffer of exactly one page that it
 * mallocs and keeps in a pool for the next transactions; the pool is freed when the environment
 * is closed (state_store_release_cache(), once the manager is idle). At boot with 1000 services
 * the pool grows to ~95 pages, malloc'ed one by one between the unit objects the same turn
 * creates: freed, they were 4 KiB holes between live objects, each straddling two pages, which
 * malloc_trim() cannot give back (~370 kB of the idle manager's RSS, bench/README.md item 14).
 *
 * Here a request of exactly one page (LMDB's page size is the system's) comes from a region of
 * its own, reserved once (address space only) and used page by page; a freed page's memory goes
 * back to the kernel (MADV_DONTNEED) at once and its number onto a stack kept outside the
 * region (a link inside the page would fault it in again). Every other request is the C
 * library's. A pointer's origin is its address (inside the region or not).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lmdb-pages.h"
#include "macro.h"

#define REGION_PAGES 16384u /* 64 MiB of address space; beyond it, pages come from malloc() */

static uint8_t *region;      /* MAP_FAILED: could not reserve, use malloc() */
static size_t page_size, n_bumped, n_in_use;
static uint16_t free_pages[REGION_PAGES]; /* numbers of the freed pages (a stack) */
static size_t n_free;

static bool region_ready(void) {
        if (!region) {
                page_size = (size_t) sysconf(_SC_PAGESIZE);
                region = mmap(NULL, REGION_PAGES * page_size, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        }
        return region != MAP_FAILED;
}

static bool in_region(const void *p) {
        return region && region != MAP_FAILED && (const uint8_t *) p >= region &&
               (const uint8_t *) p < region + REGION_PAGES * page_size;
}

/* A page of zeros: never touched, or given back to the kernel when freed. */
static void *page_get(void) {
        void *p;

        if (n_free > 0)
                p = region + (size_t) free_pages[--n_free] * page_size;
        else if (n_bumped < REGION_PAGES)
                p = region + n_bumped++ * page_size;
        else
                return NULL;
        n_in_use++;
        return p;
}

void *lmdb_pages_malloc(size_t size) {
        void *p;

        if (region_ready() && size == page_size && (p = page_get()))
                return p;
        return malloc(size);
}

void *lmdb_pages_calloc(size_t n, size_t size) {
        void *p;

        if (region_ready() && n == 1 && size == page_size && (p = page_get()))
                return p;
        return calloc(n, size);
}

void lmdb_pages_free(void *p) {
        if (!in_region(p)) {
                free(p);
                return;
        }
        (void) madvise(p, page_size, MADV_DONTNEED);
        free_pages[n_free++] = (uint16_t) (((uint8_t *) p - region) / page_size);
        n_in_use--;
}

void *lmdb_pages_realloc(void *p, size_t size) {
        void *q;

        if (!in_region(p))
                return realloc(p, size);
        q = lmdb_pages_malloc(size);
        if (!q)
                return NULL;
        memcpy(q, p, MIN(size, page_size));
        lmdb_pages_free(p);
        return q;
}

size_t lmdb_pages_in_use(void) {
        return n_in_use;
}
