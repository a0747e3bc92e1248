/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ordered-set.c: OrderedSet over Hashmap (key == value). */

#include "ordered-set.h"

#define H(s) ((Hashmap *) (s))
#define CH(s) ((const Hashmap *) (s))

OrderedSet *ordered_set_new(const HashOps *ops) {
        return (OrderedSet *) hashmap_new(ops);
}

OrderedSet *ordered_set_free(OrderedSet *s) {
        return (OrderedSet *) hashmap_free(H(s));
}

int ordered_set_ensure_allocated(OrderedSet **s, const HashOps *ops) {
        return hashmap_ensure_allocated((Hashmap **) s, ops);
}

int ordered_set_put(OrderedSet *s, void *p) {
        if (hashmap_contains(H(s), p))
                return 0;
        return hashmap_put(H(s), p, p);
}

int ordered_set_ensure_put(OrderedSet **s, const HashOps *ops, void *p) {
        int r = ordered_set_ensure_allocated(s, ops);
        if (r < 0)
                return r;
        return ordered_set_put(*s, p);
}

int ordered_set_put_strdup(OrderedSet **s, const char *str) {
        char *c;
        int r;

        r = ordered_set_ensure_allocated(s, &string_hash_ops_free);
        if (r < 0)
                return r;
        if (ordered_set_contains(*s, str))
                return 0;
        c = strdup(str);
        if (!c)
                return -ENOMEM;
        r = hashmap_put(H(*s), c, c);
        if (r < 0)
                free(c);
        return r;
}

bool ordered_set_contains(const OrderedSet *s, const void *p) {
        return hashmap_contains(CH(s), p);
}

void *ordered_set_remove(OrderedSet *s, const void *p) {
        void *k = NULL;
        hashmap_remove2(H(s), p, &k);
        return k;
}

void *ordered_set_get(const OrderedSet *s, const void *p) {
        void *k = NULL;
        if (!hashmap_get2(CH(s), p, &k) && !k)
                return NULL;
        return k;
}

size_t ordered_set_size(const OrderedSet *s) {
        return hashmap_size(CH(s));
}

void *ordered_set_first(const OrderedSet *s) {
        return hashmap_first_key(CH(s));
}

void *ordered_set_steal_first(OrderedSet *s) {
        return hashmap_steal_first_key(H(s));
}

bool ordered_set_iterate(const OrderedSet *s, Iterator *i, void **ret) {
        return hashmap_iterate(CH(s), i, NULL, (const void **) ret);
}

char **ordered_set_get_strv(const OrderedSet *s) {
        return hashmap_get_strv_keys(CH(s));
}
