/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* macro.c: the out-of-line helpers behind macro.h (array growth). */

#include "macro.h"

void *greedy_realloc(void **p, size_t *n_allocated, size_t need, size_t sz) {
        size_t n;
        void *q;

        if (*p && *n_allocated >= need)
                return *p;
        n = MAX(need * 2, (size_t) 8);
        if (sz > 0 && n > SIZE_MAX / sz)
                return NULL;
        q = realloc(*p, n * sz);
        if (!q)
                return NULL;
        *p = q;
        *n_allocated = n;
        return q;
}
