/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-bus-config.c: feeds arbitrary bytes to busmaster's dbus-daemon configuration reader as
 * one file, with <include> and <includedir> checked but not followed (BUS_CONFIG_NO_INCLUDES),
 * and checks what the daemon relies on: a refused document comes with a message, an accepted
 * one has a <listen>, sane limits and well-formed policy rules.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "busmaster/bus-config.h"
#include "fuzz.h"
#include "log.h"
#include "strv.h"

static void check(bool ok, const char *what) {
        if (!ok) {
                fprintf(stderr, "fuzz-bus-config: broken invariant: %s\n", what);
                abort();
        }
}

static void discard_log(int level, const char *message, void *userdata) {
        (void) level;
        (void) userdata;
        check(message != NULL, "NULL log message");
}

static void check_rules(const BusPolicyRuleList *l) {
        for (size_t i = 0; i < l->n_rules; i++) {
                const BusPolicyRule *r = &l->rules[i];

                check(r->type >= 0 && r->type < _BUS_POLICY_RULE_TYPE_MAX, "rule type");
                check(r->message_type >= BUS_POLICY_MESSAGE_ANY &&
                      r->message_type <= BUS_POLICY_MESSAGE_SIGNAL, "message type");
                check(r->min_fds <= BUS_POLICY_MAX_MESSAGE_UNIX_FDS &&
                      r->max_fds <= BUS_POLICY_MAX_MESSAGE_UNIX_FDS, "fd bounds");
                check(!r->name_is_prefix || r->name, "prefix rule without a name");
        }
}

static void check_config(const BusConfig *c) {
        const long *l = (const long *) &c->limits;

        check(!strv_isempty(c->listen), "accepted without <listen>");
        for (size_t i = 0; i < sizeof(c->limits) / sizeof(long); i++)
                check(l[i] >= 0 || &l[i] == &c->limits.reply_timeout, "negative limit");
        check(c->limits.reply_timeout >= -1, "reply_timeout");
        for (size_t i = 0; i < c->n_servicedirs; i++)
                check(c->servicedirs[i].path != NULL, "servicedir");
        check_rules(&c->policy.default_rules);
        check_rules(&c->policy.mandatory_rules);
        check_rules(&c->policy.at_console_true_rules);
        check_rules(&c->policy.at_console_false_rules);
        for (size_t i = 0; i < c->policy.n_by_uid; i++)
                check_rules(&c->policy.by_uid[i].list);
        for (size_t i = 0; i < c->policy.n_by_gid; i++)
                check_rules(&c->policy.by_gid[i].list);
        check(c->apparmor >= 0 && c->apparmor < _BUS_CONFIG_APPARMOR_MAX, "apparmor mode");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        BusConfig *c = NULL;
        char *err = NULL;
        int r;

        if (size > 256 * 1024)
                return 0;
        log_set_sink(discard_log, NULL);
        /* no passwd lookup for the home directory of <standard_session_servicedirs/> */
        (void) setenv("XDG_DATA_HOME", "/nonexistent/share", 0);

        r = bus_config_parse((const char *) data, size, "/nonexistent/fuzz.conf",
                             BUS_CONFIG_NO_INCLUDES, &c, &err);
        if (r < 0) {
                check(c == NULL, "result on failure");
                check(err != NULL || r == -ENOMEM, "failure without a message");
        } else {
                check(c != NULL, "no result on success");
                check_config(c);
        }
        free(err);
        bus_config_free(c);
        return 0;
}
