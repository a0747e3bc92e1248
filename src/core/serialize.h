/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * serialize.h: the record format of the state store: "key=value\n" lines, values C-escaped so
 * that a value never contains a newline. A Serializer is a growable buffer the caller owns and
 * reuses (ser_reset()); the first allocation failure is remembered and makes ser_done() fail,
 * so writers need not check every call. deserialize_lines() walks a record and hands each
 * unescaped key and value to a callback.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"
#include "time-base.h"

typedef struct Serializer {
        char *buf;
        size_t size, alloc;
        int error; /* the first error (-ENOMEM), 0 if none */
} Serializer;

void ser_reset(Serializer *s);
void ser_free(Serializer *s);
/* The record so far, or the first error. */
int ser_done(Serializer *s, const char **ret, size_t *ret_size);

void ser_item(Serializer *s, const char *key, const char *value); /* value NULL: nothing */
void ser_itemf(Serializer *s, const char *key, const char *format, ...) _printf_(3, 4);
void ser_bool(Serializer *s, const char *key, bool b);
void ser_int(Serializer *s, const char *key, int64_t i);
void ser_uint(Serializer *s, const char *key, uint64_t u);
/* A DualTimestamp as "REALTIME MONOTONIC"; nothing if both are 0. */
void ser_dual(Serializer *s, const char *key, const DualTimestamp *t);
/* A list, one line per entry (the reader appends). */
void ser_strv(Serializer *s, const char *key, char *const *l);

/* Calls item(key, value) for every line of data (size bytes, need not be NUL-terminated);
 * lines without '=' are skipped. A negative return of item stops and is returned. */
int deserialize_lines(const char *data, size_t size,
                      int (*item)(const char *key, const char *value, void *userdata), void *userdata);

int deser_bool(const char *v, bool *ret);
int deser_dual(const char *v, DualTimestamp *ret);
int deser_pid(const char *v, pid_t *ret);
/* n space-separated decimal numbers ("-1" reads as UINT64_MAX, which casts back to -1): 0 when all
 * n are there; then *ret_rest (if given) points after the last, else nothing may follow. */
int deser_numbers(const char *v, uint64_t *ret, size_t n, const char **ret_rest);
