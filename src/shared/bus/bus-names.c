/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-names.c: name and path validation, see bus-names.h. The dotted names share one scanner
 * parameterised by which characters elements may hold and start with.
 */

#include <string.h>

#include "bus/bus-names.h"

static bool is_alpha_(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
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
                } else if (!is_alpha_(*e) && !is_digit(*e))
                        return false;
        }
}

/* Two or more dot-separated non-empty elements; dash allows '-', digit_first allows elements
 * starting with a digit. */
static bool dotted_name_is_valid(const char *p, bool dash, bool digit_first) {
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
                if (!is_alpha_(*c) && !is_digit(*c) && !(dash && *c == '-'))
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
                if (!is_alpha_(p[n]) && !is_digit(p[n]))
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
