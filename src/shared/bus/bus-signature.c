/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-signature.c: the D-Bus signature grammar, see bus-signature.h. The parser is a small
 * recursive descent over one complete type; recursion is bounded by the nesting limits.
 */

#include <errno.h>
#include <string.h>

#include "macro.h"
#include "bus/bus-signature.h"

const uint8_t bus_type_class[256] = {
        ['y'] = 1, ['n'] = 2, ['q'] = 2, ['b'] = 4, ['i'] = 4, ['u'] = 4, ['h'] = 4,
        ['x'] = 8, ['t'] = 8, ['d'] = 8, ['s'] = BUS_TYPE_CLASS_STRING,
        ['o'] = BUS_TYPE_CLASS_STRING, ['g'] = BUS_TYPE_CLASS_STRING,
};

size_t bus_type_alignment(char c) {
        switch (c) {
        case 'y':
        case 'g':
        case 'v':
                return 1;
        case 'n':
        case 'q':
                return 2;
        case 'b':
        case 'i':
        case 'u':
        case 'h':
        case 's':
        case 'o':
        case 'a':
                return 4;
        case 'x':
        case 't':
        case 'd':
        case '(':
        case '{':
                return 8;
        default:
                return 0;
        }
}

/* A dict entry: '{' basic-key complete-value '}', s points at '{'. */
static int dict_entry_length(const char *s, size_t n, unsigned arrays, unsigned structs) {
        int k;

        if (structs + 1 > BUS_STRUCT_DEPTH_MAX)
                return -EINVAL;
        if (n < 4 || !bus_type_is_basic(s[1]))
                return -EINVAL;
        k = bus_signature_complete_type_length(s + 2, n - 2, arrays, structs + 1);
        if (k < 0)
                return k;
        if ((size_t) k + 2 >= n || s[2 + k] != '}')
                return -EINVAL;
        return k + 3;
}

static int struct_length(const char *s, size_t n, unsigned arrays, unsigned structs) {
        size_t i = 1;

        if (structs + 1 > BUS_STRUCT_DEPTH_MAX)
                return -EINVAL;
        if (n < 2 || s[1] == ')')
                return -EINVAL; /* empty structs are not allowed */
        for (;;) {
                int k;

                if (i >= n || s[i] == 0)
                        return -EINVAL;
                if (s[i] == ')')
                        return (int) i + 1;
                k = bus_signature_complete_type_length(s + i, n - i, arrays, structs + 1);
                if (k < 0)
                        return k;
                i += k;
        }
}

int bus_signature_complete_type_length(const char *s, size_t n, unsigned arrays,
                                       unsigned structs) {
        int k;

        if (n == 0 || !s)
                return -EINVAL;
        if (bus_type_is_basic(s[0]) || s[0] == 'v')
                return 1;
        switch (s[0]) {
        case 'a':
                if (arrays + 1 > BUS_ARRAY_DEPTH_MAX || n < 2)
                        return -EINVAL;
                if (s[1] == '{')
                        k = dict_entry_length(s + 1, n - 1, arrays + 1, structs);
                else
                        k = bus_signature_complete_type_length(s + 1, n - 1, arrays + 1, structs);
                return k < 0 ? k : k + 1;
        case '(':
                return struct_length(s, n, arrays, structs);
        default:
                return -EINVAL;
        }
}

bool bus_signature_is_valid_n(const char *s, size_t n) {
        size_t i = 0;

        if (n > BUS_SIGNATURE_MAX || (n > 0 && !s))
                return false;
        while (i < n) {
                int k = bus_signature_complete_type_length(s + i, n - i, 0, 0);
                if (k < 0)
                        return false;
                i += k;
        }
        return true;
}

bool bus_signature_is_valid(const char *s) {
        return s && bus_signature_is_valid_n(s, strlen(s));
}

bool bus_signature_is_single(const char *s) {
        size_t n;
        int k;

        if (!s)
                return false;
        n = strlen(s);
        if (n > BUS_SIGNATURE_MAX)
                return false;
        k = bus_signature_complete_type_length(s, n, 0, 0);
        return k > 0 && (size_t) k == n;
}
