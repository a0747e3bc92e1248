/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-bus-match.c: feeds arbitrary text to bus_match_rule_parse() (as AddMatch would: the
 * bytes up to the first NUL). A refused rule must come with an error text; an accepted one
 * must print a canonical form that parses again to an equal rule printing the same (unless
 * quoting pushed it over the length limit), and is matched against fixed messages of both byte
 * orders, alone and through a rule set, with the same verdicts.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus-match.h"
#include "bus/bus-message.h"
#include "fuzz.h"

static BusMessage *fixed_message(char endian, bool unicast) {
        BusMessage *m = NULL;
        uint32_t u = 7;

        if (bus_message_new(BUS_MESSAGE_SIGNAL, endian, &m) < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_PATH, "/org/example/obj") < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_INTERFACE, "org.example.If") < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_MEMBER, "Changed") < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_SENDER, ":1.7") < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_DESTINATION, unicast ? ":1.9" : NULL) < 0 ||
            bus_message_append_basic(m, 's', "org.example.Name") < 0 ||
            bus_message_append_basic(m, 'o', "/a/b") < 0 ||
            bus_message_append_basic(m, 'u', &u) < 0 ||
            bus_message_append_basic(m, 's', "x'y,z\\") < 0 ||
            bus_message_seal(m, 1) < 0)
                abort();
        return m;
}

static bool owns(const char *unique, const char *name, void *userdata) {
        return strcmp(unique, ":1.7") == 0 && strcmp(name, "org.example.Emitter") == 0;
}

static int count(BusMatchEntry *e, void *userdata) {
        (*(int *) userdata)++;
        return 0;
}

static void check_match(BusMatchRule *rule) {
        static BusMessage *msgs[4];
        BusMatchContext ctx = { .recipient = ":1.9", .name_owner = owns };
        BusMatchSet *set = NULL;
        BusMatchOwner owner;

        if (!msgs[0])
                for (int i = 0; i < 4; i++)
                        msgs[i] = fixed_message(i % 2 ? 'B' : 'l', i >= 2);
        if (bus_match_set_new(NULL, &set) < 0)
                abort();
        bus_match_owner_init(&owner);
        if (bus_match_set_add(set, rule, &owner, NULL, NULL) < 0)
                abort();
        for (int i = 0; i < 4; i++) {
                bool alone = bus_match_rule_matches(rule, msgs[i], &ctx);
                int n = 0;

                /* both byte orders give the same verdict, and the index finds the rule */
                if (i % 2 && alone != bus_match_rule_matches(rule, msgs[i - 1], &ctx))
                        abort();
                if (bus_match_set_foreach(set, msgs[i], &ctx, BUS_MATCH_ONCE_PER_OWNER, count, &n) != (int) alone ||
                    n != (int) alone)
                        abort();
        }
        bus_match_set_free(set); /* frees rule */
        if (bus_match_owner_count(&owner) != 0)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        BusMatchRule *rule = NULL, *again = NULL;
        char *text, *error = NULL, *canonical, *canonical2;
        int r;

        if (size > 4096)
                return 0;
        text = strndup((const char *) data, size);
        if (!text)
                return 0;
        r = bus_match_rule_parse(text, &rule, &error);
        free(text);
        if (r < 0) {
                if (!error && r != -ENOMEM)
                        abort();
                if (rule)
                        abort();
                free(error);
                return 0;
        }
        if (error)
                abort();
        canonical = bus_match_rule_to_string(rule);
        if (!canonical)
                abort();
        r = bus_match_rule_parse(canonical, &again, NULL);
        if (r == 0) {
                canonical2 = bus_match_rule_to_string(again);
                if (!canonical2 || strcmp(canonical, canonical2) != 0 || !bus_match_rule_equal(rule, again))
                        abort();
                free(canonical2);
                bus_match_rule_free(again);
        } else if (r != -E2BIG || strlen(canonical) <= BUS_MATCH_RULE_LENGTH_MAX)
                abort();
        free(canonical);
        check_match(rule);
        return 0;
}
