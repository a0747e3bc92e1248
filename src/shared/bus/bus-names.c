/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-names.c: name and path validation, see bus-names.h. The dotted names share one scanner
 * parameterised by which characters elements may hold and start with. Characters are
 * classified by a table: every header field of every message passes through here.
 */

#include <stdint.h>
#include <string.h>

#include "bus/bus-names.h"

#define C_WORD 1U  /* [A-Za-z0-9_] */
#define C_DIGIT 2U /* [0-9] */
#define C_DASH 4U  /* - */

#define W C_WORD
#define D (C_WORD | C_DIGIT)
static const uint8_t char_class[256] = {
        ['-'] = C_DASH,
        ['0'] = D, ['1'] = D, ['2'] = D, ['3'] = D, ['4'] = D,
        ['5'] = D, ['6'] = D, ['7'] = D, ['8'] = D, ['9'] = D,
        ['_'] = W,
        ['A'] = W, ['B'] = W, ['C'] = W, ['D'] = W, ['E'] = W, ['F'] = W, ['G'] = W, ['H'] = W,
        ['I'] = W, ['J'] = W, ['K'] = W, ['L'] = W, ['M'] = W, ['N'] = W, ['O'] = W, ['P'] = W,
        ['Q'] = W, ['R'] = W, ['S'] = W, ['T'] = W, ['U'] = W, ['V'] = W, ['W'] = W, ['X'] = W,
        ['Y'] = W, ['Z'] = W,
        ['a'] = W, ['b'] = W, ['c'] = W, ['d'] = W, ['e'] = W, ['f'] = W, ['g'] = W, ['h'] = W,
        ['i'] = W, ['j'] = W, ['k'] = W, ['l'] = W, ['m'] = W, ['n'] = W, ['o'] = W, ['p'] = W,
        ['q'] = W, ['r'] = W, ['s'] = W, ['t'] = W, ['u'] = W, ['v'] = W, ['w'] = W, ['x'] = W,
        ['y'] = W, ['z'] = W,
};
#undef W
#undef D

static bool is_word(char c) {
        return char_class[(uint8_t) c] & C_WORD;
}

static bool is_digit(char c) {
        return char_class[(uint8_t) c] & C_DIGIT;
}

bool bus_object_path_is_valid(const char *p) {
        const char *e;

        if (!p || p[0] != '/')
                return false;
        if (p[1] == 0)
                return true;
        for (e = p + 1;; e++) {
                if (*e == '/' || *e == 0) {
                        if (e[-1] == '/') /* empty element or trailing slash */
                                return false;
                        if (*e == 0)
                                return true;
                } else if (!is_word(*e))
                        return false;
        }
}

/* Two or more dot-separated non-empty elements; dash allows '-', digit_first allows elements
 * starting with a digit. */
static bool dotted_name_is_valid(const char *p, bool dash, bool digit_first) {
        uint8_t allowed = C_WORD | (dash ? C_DASH : 0);
        size_t elements = 0, n = 0;
        bool start = true;

        if (!p || !*p)
                return false;
        for (const char *c = p; *c; c++, n++) {
                if (*c == '.') {
                        if (start)
                                return false;
                        start = true;
                        continue;
                }
                if (!(char_class[(uint8_t) *c] & allowed))
                        return false;
                if (start && is_digit(*c) && !digit_first)
                        return false;
                if (start)
                        elements++;
                start = false;
        }
        return !start && elements >= 2 && n <= BUS_NAME_MAX;
}

bool bus_interface_name_is_valid(const char *p) {
        return dotted_name_is_valid(p, false, false);
}

bool bus_error_name_is_valid(const char *p) {
        return bus_interface_name_is_valid(p);
}

bool bus_member_name_is_valid(const char *p) {
        size_t n;

        if (!p || !*p || is_digit(*p))
                return false;
        for (n = 0; p[n]; n++)
                if (!is_word(p[n]))
                        return false;
        return n <= BUS_NAME_MAX;
}

bool bus_unique_name_is_valid(const char *p) {
        return p && p[0] == ':' && strlen(p) <= BUS_NAME_MAX && dotted_name_is_valid(p + 1, true, true);
}

bool bus_well_known_name_is_valid(const char *p) {
        return dotted_name_is_valid(p, true, false);
}

bool bus_name_is_valid(const char *p) {
        return bus_unique_name_is_valid(p) || bus_well_known_name_is_valid(p);
}
