/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * list.h: intrusive doubly linked lists. The links live in the item, as two fields
 * <name>_prev and <name>_next, so an item can sit in several lists at once (one name each) and
 * linking never allocates. The list is a plain head pointer (NULL when empty) owned by whoever
 * holds it; the macros never allocate or free items. An unlinked item has both links NULL.
 */

#include <stddef.h>

/* Declares the two link fields of list `name` inside a struct of type t. */
#define LIST_FIELDS(t, name) t *name##_prev, *name##_next

/* Declares a list head (a plain pointer to the first item, NULL when empty). */
#define LIST_HEAD(t, name) t *name

/* Links item in front of head; item must not be in this list already. */
#define LIST_PREPEND(name, head, item)                          \
        do {                                                    \
                (item)->name##_prev = NULL;                     \
                (item)->name##_next = (head);                   \
                if (head)                                       \
                        (head)->name##_prev = (item);           \
                (head) = (item);                                \
        } while (0)

/* Unlinks item, which must be in the list that starts at head, and clears its links. */
#define LIST_REMOVE(name, head, item)                                           \
        do {                                                                    \
                if ((item)->name##_next)                                        \
                        (item)->name##_next->name##_prev = (item)->name##_prev; \
                if ((item)->name##_prev)                                        \
                        (item)->name##_prev->name##_next = (item)->name##_next; \
                else                                                            \
                        (head) = (item)->name##_next;                           \
                (item)->name##_prev = (item)->name##_next = NULL;               \
        } while (0)

/* Walks the list from head; i must not be unlinked inside the loop body. */
#define LIST_FOREACH(name, i, head) for ((i) = (head); (i); (i) = (i)->name##_next)
