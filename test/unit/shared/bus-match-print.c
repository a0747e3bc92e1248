/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-match-print: bus-match's verdicts in a form a script can compare with dbus-daemon's
 * (test/integration/test-bus-match-dbus-daemon.sh). Strings travel hex-encoded so that any
 * byte survives.
 *
 *   bus-match-print parse    stdin: rules separated by NUL bytes; stdout, one line each:
 *                            "OK <hex canonical>" or "ERR <D-Bus error name> <hex message>"
 *   bus-match-print match    stdin: lines
 *                              conn <unique name>         the next subscriber (index 0, 1, …)
 *                              rule <conn index> <hex>    a rule of that subscriber
 *                              owns <unique> <name>       name ownership for sender=/destination=
 *                              msg <l|B> <type> <sender> <destination|-> <recipient|-> <path>
 *                                  <interface> <member> [<arg> …]   arg: s:<hex> o:<path> u:<n>
 *                            stdout per msg: the subscribers it reaches (the recipient, which
 *                            gets it anyway, plus every other whose rules match), ascending.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus-match.h"
#include "bus/bus-message.h"
#include "string-util.h"

#define CONNS_MAX 4096

static char *unhex(const char *h) {
        size_t n = strlen(h) / 2;
        char *s = malloc(n + 1);

        if (!s)
                abort();
        for (size_t i = 0; i < n; i++)
                s[i] = (char) (unhexchar(h[2 * i]) << 4 | unhexchar(h[2 * i + 1]));
        s[n] = 0;
        return s;
}

static void print_hex(const char *s) {
        for (; *s; s++)
                printf("%02x", (unsigned char) *s);
}

static int do_parse(void) {
        char *line = NULL;
        size_t allocated = 0;
        ssize_t k;

        while ((k = getdelim(&line, &allocated, 0, stdin)) > 0) {
                BusMatchRule *rule = NULL;
                char *error = NULL, *canonical;
                int r;

                if (line[k - 1] == 0)
                        k--;
                line[k] = 0;
                r = bus_match_rule_parse(line, &rule, &error);
                if (r >= 0) {
                        canonical = bus_match_rule_to_string(rule);
                        if (!canonical)
                                abort();
                        printf("OK ");
                        print_hex(canonical);
                        free(canonical);
                } else {
                        printf("ERR %s ", r == -E2BIG ? BUS_ERROR_LIMITS_EXCEEDED : BUS_ERROR_MATCH_RULE_INVALID);
                        print_hex(error ?: "");
                }
                printf("\n");
                free(error);
                bus_match_rule_free(rule);
        }
        free(line);
        return 0;
}

/* ---- match ---- */

typedef struct Conn {
        char *unique;
        BusMatchOwner owner;
        bool hit;
} Conn;

static Conn conns[CONNS_MAX];
static unsigned n_conns;
static char **owns; /* unique, name, unique, name, … */
static size_t n_owns;

static bool name_owner(const char *unique, const char *name, void *userdata) {
        for (size_t i = 0; i + 1 < n_owns; i += 2)
                if (streq(owns[i], unique) && streq(owns[i + 1], name))
                        return true;
        return false;
}

static int on_match(BusMatchEntry *e, void *userdata) {
        Conn *c = container_of(bus_match_entry_get_owner(e), Conn, owner);

        if (c->hit) /* once per owner was asked for */
                abort();
        c->hit = true;
        return 0;
}

static int append_arg(BusMessage *m, const char *arg) {
        _cleanup_free_ char *s = NULL;
        uint32_t u;

        if (startswith(arg, "s:")) {
                s = unhex(arg + 2);
                return bus_message_append_basic(m, 's', s);
        }
        if (startswith(arg, "o:"))
                return bus_message_append_basic(m, 'o', arg + 2);
        if (startswith(arg, "u:")) {
                u = (uint32_t) strtoul(arg + 2, NULL, 10);
                return bus_message_append_basic(m, 'u', &u);
        }
        return -EINVAL;
}

static const char *dash(const char *s) {
        return streq(s, "-") ? NULL : s;
}

static BusMessage *build(char **w, size_t n) {
        BusMessage *m = NULL;
        uint8_t type = (uint8_t) atoi(w[2]);

        if (n < 9 || bus_message_new(type, w[1][0], &m) < 0)
                abort();
        if (bus_message_set_string_field(m, BUS_FIELD_SENDER, w[3]) < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_DESTINATION, dash(w[4])) < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_PATH, w[6]) < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_INTERFACE, dash(w[7])) < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_MEMBER, w[8]) < 0)
                abort();
        for (size_t i = 9; i < n; i++)
                if (append_arg(m, w[i]) < 0)
                        abort();
        if (bus_message_seal(m, 1) < 0)
                abort();
        return m;
}

static void do_msg(BusMatchSet *set, char **w, size_t n) {
        BusMessage *m = build(w, n);
        const char *recipient = dash(w[5]);
        BusMatchContext ctx = { .sender = w[3], .recipient = recipient, .name_owner = name_owner };
        bool first = true;

        for (unsigned i = 0; i < n_conns; i++) {
                conns[i].hit = false;
                if (recipient && streq(conns[i].unique, recipient))
                        ctx.skip_owner = &conns[i].owner;
        }
        if (bus_match_set_foreach(set, m, &ctx, BUS_MATCH_ONCE_PER_OWNER, on_match, NULL) < 0)
                abort();
        for (unsigned i = 0; i < n_conns; i++) {
                bool any = false;

                /* the index must agree with evaluating each rule on its own */
                for (BusMatchEntry *e = bus_match_owner_first(&conns[i].owner); e; e = bus_match_entry_next(e))
                        any = any || bus_match_rule_matches(bus_match_entry_get_rule(e), m, &ctx);
                if (&conns[i].owner != ctx.skip_owner && any != conns[i].hit)
                        abort();
                if (conns[i].hit || &conns[i].owner == ctx.skip_owner) {
                        printf(first ? "%u" : " %u", i);
                        first = false;
                }
        }
        printf("\n");
        fflush(stdout);
        bus_message_free(m);
}

static int do_match(void) {
        BusMatchSet *set = NULL;
        char *line = NULL;
        size_t allocated = 0;

        if (bus_match_set_new(NULL, &set) < 0)
                abort();
        while (getline(&line, &allocated, stdin) > 0) {
                char *w[80];
                size_t n = 0;

                for (char *p = strtok(line, " \n"); p && n < ELEMENTSOF(w); p = strtok(NULL, " \n"))
                        w[n++] = p;
                if (n == 2 && streq(w[0], "conn") && n_conns < CONNS_MAX) {
                        conns[n_conns].unique = strdup(w[1]);
                        bus_match_owner_init(&conns[n_conns++].owner);
                } else if (IN_SET(n, 2U, 3U) && streq(w[0], "rule")) {
                        _cleanup_free_ char *text = unhex(n == 3 ? w[2] : ""); /* "" is the empty rule */
                        unsigned c = (unsigned) atoi(w[1]);
                        BusMatchRule *rule = NULL;

                        if (c >= n_conns || bus_match_rule_parse(text, &rule, NULL) < 0 ||
                            bus_match_set_add(set, rule, &conns[c].owner, NULL, NULL) < 0) {
                                fprintf(stderr, "bad rule line for %u: %s\n", c, text);
                                return 1;
                        }
                } else if (n == 3 && streq(w[0], "owns")) {
                        owns = reallocarray(owns, n_owns + 2, sizeof(char *));
                        if (!owns)
                                abort();
                        owns[n_owns++] = strdup(w[1]);
                        owns[n_owns++] = strdup(w[2]);
                } else if (n >= 9 && streq(w[0], "msg"))
                        do_msg(set, w, n);
                else if (n > 0) {
                        fprintf(stderr, "bad line: %s\n", w[0]);
                        return 1;
                }
        }
        free(line);
        bus_match_set_free(set);
        for (unsigned i = 0; i < n_conns; i++)
                free(conns[i].unique);
        for (size_t i = 0; i < n_owns; i++)
                free(owns[i]);
        free(owns);
        return 0;
}

int main(int argc, char *argv[]) {
        if (argc == 2 && streq(argv[1], "parse"))
                return do_parse();
        if (argc == 2 && streq(argv[1], "match"))
                return do_match();
        fprintf(stderr, "usage: %s parse|match < input\n", argv[0]);
        return 2;
}
