/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * lmdb-pages.h: the allocator of the static manager's LMDB (see lmdb-pages.c). The build links
 * the manager with a copy of liblmdb.a whose malloc/calloc/realloc/free are renamed to these
 * (configure.ac: LMDB_PAGES); other builds do not call them. Single-threaded, as the manager.
 */

#include <stddef.h>

void *lmdb_pages_malloc(size_t size);
void *lmdb_pages_calloc(size_t n, size_t size);
void *lmdb_pages_realloc(void *p, size_t size);
void lmdb_pages_free(void *p);
/* Pages handed out and not freed (for tests). */
size_t lmdb_pages_in_use(void);
