/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * macro.h: the small language extensions every sysmaster file uses: cleanup attributes,
 * ownership transfer (TAKE_PTR/TAKE_FD), array sizes, allocation wrappers and a few
 * compiler hints. Nothing here allocates except the new()/new0() wrappers.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _noreturn_ __attribute__((noreturn))
#define _pure_ __attribute__((pure))
#define _const_ __attribute__((const))
#define _sentinel_ __attribute__((sentinel))
#define _warn_unused_result_ __attribute__((warn_unused_result))
#define _likely_(x) (__builtin_expect(!!(x), 1))
#define _unlikely_(x) (__builtin_expect(!!(x), 0))
#define _fallthrough_ __attribute__((fallthrough))

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))
#define STRLEN(x) (sizeof("" x "") - 1)

#undef MIN
#undef MAX
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define CLAMP(x, lo, hi) ((x) < (lo) ? (lo) : (x) > (hi) ? (hi) : (x))
#define ALIGN_TO(l, a) (((l) + (a) - 1) & ~((size_t) (a) - 1))
#define DIV_ROUND_UP(x, y) (((x) + (y) - 1) / (y))

#define container_of(ptr, type, member) ((type *) ((char *) (ptr) - offsetof(type, member)))

/* Hands ownership of a pointer or fd to the caller/another owner and clears the local. */
#define TAKE_PTR(p)                                 \
        ({                                          \
                __typeof__(p) _take_ptr_ = (p);     \
                (p) = NULL;                         \
                _take_ptr_;                         \
        })
#define TAKE_FD(fd)                                 \
        ({                                          \
                int _take_fd_ = (fd);               \
                (fd) = -1;                          \
                _take_fd_;                          \
        })

/* IN_SET(x, a, b, c): x equals one of the listed values. */
#define IN_SET(x, first, ...)                                                           \
        ({                                                                              \
                const __typeof__(first) _in_set_v_[] = { first, __VA_ARGS__ };          \
                bool _in_set_r_ = false;                                                \
                for (size_t _in_set_i_ = 0; _in_set_i_ < ELEMENTSOF(_in_set_v_); _in_set_i_++) \
                        if ((x) == _in_set_v_[_in_set_i_]) {                            \
                                _in_set_r_ = true;                                      \
                                break;                                                  \
                        }                                                               \
                _in_set_r_;                                                             \
        })

#define new(t, n) ((t *) malloc_multiply(sizeof(t), (n)))
#define new0(t, n) ((t *) calloc((n) ? (n) : 1, sizeof(t)))

static inline void *malloc_multiply(size_t size, size_t n) {
        if (size > 0 && n > SIZE_MAX / size)
                return NULL;
        return malloc((size * n) != 0 ? size * n : 1);
}

/* Grows *p (an array of *n_allocated elements of size sz) so that it holds at least need. */
void *greedy_realloc(void **p, size_t *n_allocated, size_t need, size_t sz);
#define GREEDY_REALLOC(array, n_allocated, need) \
        greedy_realloc((void **) &(array), &(n_allocated), (need), sizeof((array)[0]))

static inline void *mfree(void *p) {
        free(p);
        return NULL;
}

static inline void freep(void *p) {
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func)         \
        static inline void func##p(type *p) {           \
                if (*p)                                 \
                        func(*p);                       \
        }

/* Returns a negative errno, whatever sign the input has; never 0 (-EIO then). */
static inline int negative_errno(void) {
        return errno > 0 ? -errno : -EIO;
}
#define ERRNO_VALUE(e) (abs(e))

/* An int (a pid, an fd) stored as a hashmap key or value, and back. */
#define INT_TO_PTR(i) ((void *) (intptr_t) (i))
#define PTR_TO_INT(p) ((int) (intptr_t) (p))
#define PID_TO_PTR(p) ((void *) (intptr_t) (p))
#define PTR_TO_PID(p) ((pid_t) (intptr_t) (p))

#define ASSERT_PTR(p) ({ __typeof__(p) _ap_ = (p); assert(_ap_); _ap_; })

/* Loops over a NULL-free fixed list of strings. */
#define FOREACH_STRING(x, ...) \
        for (const char *const *_fs_l_ = (const char *const[]) { __VA_ARGS__, NULL }; ((x) = *_fs_l_); _fs_l_++)

/* "no user" / "no group" (as the kernel and libc use (uid_t) -1). */
#define UID_INVALID ((uid_t) -1)
#define GID_INVALID ((gid_t) -1)
