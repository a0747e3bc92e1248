/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-match.c: D-Bus match rules. Rule texts are accepted or refused with dbus-daemon
 * 1.14's exact error texts and printed in its canonical form (the table below was checked
 * against the real daemon, see test/integration/test-bus-match-dbus-daemon.sh); every key
 * matches and fails to match as dbus-daemon's router does, on messages of both byte orders;
 * a rule set reports each subscriber once, skips the addressed receiver, finds what RemoveMatch
 * removes, drops rules naming a vanished unique name, and evaluates only a bounded number of
 * rules per message however many non-matching rules are installed.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bus/bus-match.h"
#include "bus/bus-message.h"
#include "string-util.h"
#include "test-helpers.h"

/* ---- parsing ---- */

typedef struct ParseCase {
        const char *text;
        const char *canonical; /* NULL: refused */
        const char *error;     /* the message when refused */
} ParseCase;

static const ParseCase parse_cases[] = {
        { "", "", NULL },
        { "   ", "", NULL },
        { "type='signal'", "type='signal'", NULL },
        { "type=signal", "type='signal'", NULL },
        { "  type ='signal'", "type='signal'", NULL },
        { "type= 'signal'", NULL, "Invalid message type ( signal) in match rule\n" },
        { "type='signal',", "type='signal'", NULL },
        { "type='signal', ", "type='signal'", NULL },
        { "type='method_call'", "type='method_call'", NULL },
        { "type='method_return'", "type='method_return'", NULL },
        { "type='error'", "type='error'", NULL },
        { "arg3='',type='error'", "type='error',arg3=''", NULL },
        /* canonical order: type interface member path path_namespace sender destination
         * eavesdrop args */
        { "arg1='b',destination=':1.5',eavesdrop='true',sender='org.a.B',path='/x',member='M',"
          "interface='org.i.F',type='signal',arg0='a'",
          "type='signal',interface='org.i.F',member='M',path='/x',sender='org.a.B',"
          "destination=':1.5',eavesdrop='true',arg0='a',arg1='b'", NULL },
        { "path_namespace='/org/a'", "path_namespace='/org/a'", NULL },
        { "path_namespace='/'", "path_namespace='/'", NULL },
        { "eavesdrop='false'", "", NULL },
        { "eavesdrop='true',eavesdrop='false'", "", NULL },
        { "eavesdrop='false',eavesdrop='true'", "eavesdrop='true'", NULL },
        /* quoting */
        { "arg0=''\\'''", "arg0=''\\'''", NULL },
        { "arg0=\\'", "arg0=''\\'''", NULL },
        { "arg0='\\'", "arg0='\\'", NULL },
        { "arg0=\\", "arg0='\\'", NULL },
        { "arg0=a\\,b", "arg0='a\\,b'", NULL },
        { "arg0=',',arg1=\\\\", "arg0=',',arg1='\\\\'", NULL },
        { "arg0='a'b'c'", "arg0='abc'", NULL },
        { "arg0=a b ", "arg0='a b '", NULL },
        { "arg0=''", "arg0=''", NULL },
        { "arg0=", "arg0=''", NULL },
        /* arg numbers go through strtoul(…, 0) */
        { "arg63='x'", "arg63='x'", NULL },
        { "arg0x1='a'", "arg1='a'", NULL },
        { "arg010='a'", "arg8='a'", NULL },
        { "arg+1='a'", "arg1='a'", NULL },
        { "arg0xapath='a'", "arg10path='a'", NULL },
        { "arg\v1='x'", "arg1='x'", NULL },
        { "arg2path='/a/',arg0namespace='org.a'", "arg0namespace='org.a',arg2path='/a/'", NULL },
        { "arg0path=''", "arg0path=''", NULL },
        { "arg0namespace='a'", "arg0namespace='a'", NULL },
        { "arg0namespace=':1'", "arg0namespace=':1'", NULL },
        /* libdbus's bus names */
        { "sender=':'", "sender=':'", NULL },
        { "sender=':1'", "sender=':1'", NULL },
        { "sender='org.freedesktop.DBus'", "sender='org.freedesktop.DBus'", NULL },
        { "destination='-a.b'", "destination='-a.b'", NULL },
        /* dbus-daemon stops at a key-less '=' and keeps what it had */
        { "=foo", "", NULL },
        { "type='signal',=x,bogus", "type='signal'", NULL },

        { "type", NULL, "Match rule has a key with no subsequent '=' character" },
        { "type='signal',member", NULL, "Match rule has a key with no subsequent '=' character" },
        { "type 'signal'", NULL, "Match rule has a key with no subsequent '=' character" },
        { "type='signal", NULL, "Unbalanced quotation marks in match rule" },
        { "foo='bar',member='", NULL, "Unbalanced quotation marks in match rule" },
        { "arg1='x\\'y'", NULL, "Unbalanced quotation marks in match rule" },
        { "type='signal' ", NULL, "Invalid message type (signal ) in match rule\n" },
        { "type='bogus'", NULL, "Invalid message type (bogus) in match rule\n" },
        { "type=''", NULL, "Invalid message type () in match rule\n" },
        { "type='signal',type='signal'", NULL, "Key type specified twice in match rule\n" },
        { "sender='a',sender='b.c'", NULL, "Sender name 'a' is invalid\n" },
        { "sender='a.b',sender='b.c'", NULL, "Key sender specified twice in match rule\n" },
        { "sender=''", NULL, "Sender name '' is invalid\n" },
        { "sender=':1.'", NULL, "Sender name ':1.' is invalid\n" },
        { "sender='1a.b'", NULL, "Sender name '1a.b' is invalid\n" },
        { "interface='nodot'", NULL, "Interface name 'nodot' is invalid\n" },
        { "interface='a.b',interface='a.b'", NULL, "Key interface specified twice in match rule\n" },
        { "interface='a-b.c'", NULL, "Interface name 'a-b.c' is invalid\n" },
        { "member=''", NULL, "Member name '' is invalid\n" },
        { "member='a.b'", NULL, "Member name 'a.b' is invalid\n" },
        { "member='9a'", NULL, "Member name '9a' is invalid\n" },
        { "member='A',member='B'", NULL, "Key member specified twice in match rule\n" },
        { "path='/a/'", NULL, "Path '/a/' is invalid\n" },
        { "path=''", NULL, "Path '' is invalid\n" },
        { "path_namespace='a'", NULL, "Path 'a' is invalid\n" },
        { "path='/a',path_namespace='/b'", NULL, "path or path_namespace specified twice in match rule\n" },
        { "path='/a',path='/a'", NULL, "path or path_namespace specified twice in match rule\n" },
        { "destination=''", NULL, "Destination name '' is invalid\n" },
        { "destination=':1.1',destination=':1.1'", NULL, "Key destination specified twice in match rule\n" },
        { "eavesdrop='yes'", NULL, "eavesdrop='yes' is invalid, it should be 'true' or 'false'\n" },
        { "eavesdrop=''", NULL, "eavesdrop='' is invalid, it should be 'true' or 'false'\n" },
        { "foo='bar'", NULL, "Unknown key \"foo\" in match rule" },
        { "Type='signal'", NULL, "Unknown key \"Type\" in match rule" },
        { "arg='x'", NULL,
          "Key 'arg' in match rule starts with 'arg' but lacks an arg number. Should be 'arg0' or 'arg7' for example.\n" },
        { "args='x'", NULL,
          "Key 'args' in match rule starts with 'arg' but could not parse arg number. Should be 'arg0' or 'arg7' for example.\n" },
        { "arg99999999999999999999='a'", NULL,
          "Key 'arg99999999999999999999' in match rule starts with 'arg' but could not parse arg number. "
          "Should be 'arg0' or 'arg7' for example.\n" },
        { "arg64='x'", NULL, "Key 'arg64' in match rule has arg number 64 but the maximum is 63.\n" },
        { "arg64path='x'", NULL, "Key 'arg64path' in match rule has arg number 64 but the maximum is 63.\n" },
        { "arg-1='a'", NULL,
          "Key 'arg-1' in match rule has arg number 18446744073709551615 but the maximum is 63.\n" },
        { "arg1namespace='a'", NULL,
          "Key 'arg1namespace' in match rule contains junk after argument number (1). "
          "Only 'arg1path' (for example) or 'arg0namespace' are valid" },
        { "arg0x='a'", NULL,
          "Key 'arg0x' in match rule contains junk after argument number (0). "
          "Only 'arg0path' (for example) or 'arg0namespace' are valid" },
        { "arg2Path='a'", NULL,
          "Key 'arg2Path' in match rule contains junk after argument number (2). "
          "Only 'arg2path' (for example) or 'arg0namespace' are valid" },
        { "arg0namespace='a.'", NULL, "arg0namespace='a.' is not a valid prefix of a bus name" },
        { "arg0namespace=''", NULL, "arg0namespace='' is not a valid prefix of a bus name" },
        { "arg0namespace='1a'", NULL, "arg0namespace='1a' is not a valid prefix of a bus name" },
        { "arg1path='a',arg1='b'", NULL, "Argument arg1 matched more than once in match rule\n" },
        { "arg0='a',arg0='b'", NULL, "Argument arg0 matched more than once in match rule\n" },
        { "arg0='a',arg0namespace='b'", NULL, "Argument arg0namespace matched more than once in match rule\n" },
        /* all pairs are tokenized before any is checked */
        { "foo='bar',type='x", NULL, "Unbalanced quotation marks in match rule" },
        { "type='x',member", NULL, "Match rule has a key with no subsequent '=' character" },
};

START_TEST(test_parse_table) {
        const ParseCase *c = &parse_cases[_i];
        _cleanup_(bus_match_rule_freep) BusMatchRule *rule = NULL, *again = NULL;
        _cleanup_free_ char *error = NULL, *canonical = NULL, *canonical2 = NULL;
        int r;

        r = bus_match_rule_parse(c->text, &rule, &error);
        if (!c->canonical) {
                ck_assert_msg(r == -EINVAL, "\"%s\" gave %d", c->text, r);
                ck_assert_ptr_null(rule);
                ck_assert_str_eq(error, c->error);
                return;
        }
        ck_assert_msg(r == 0, "\"%s\" refused: %s", c->text, error);
        ck_assert_ptr_null(error);
        canonical = bus_match_rule_to_string(rule);
        ck_assert_str_eq(canonical, c->canonical);
        /* the canonical form parses to an equal rule that prints the same */
        ck_assert_int_eq(bus_match_rule_parse(canonical, &again, NULL), 0);
        ck_assert(bus_match_rule_equal(rule, again));
        canonical2 = bus_match_rule_to_string(again);
        ck_assert_str_eq(canonical2, canonical);
}
END_TEST

START_TEST(test_parse_limits) {
        _cleanup_free_ char *text = NULL, *error = NULL, *canonical = NULL;
        BusMatchRule *rule = NULL;
        char buf[1100];

        /* 1024 bytes are fine, 1025 are over dbus-daemon's limit */
        memset(buf, ' ', sizeof buf);
        memcpy(buf, "arg0=", 5);
        buf[1024] = 0;
        ck_assert_int_eq(bus_match_rule_parse(buf, &rule, &error), 0);
        rule = bus_match_rule_free(rule);
        buf[1024] = ' ';
        buf[1025] = 0;
        ck_assert_int_eq(bus_match_rule_parse(buf, &rule, &error), -E2BIG);
        ck_assert_str_eq(error, "Match rule text is 1025 bytes, maximum is 1024");
        ck_assert_ptr_null(rule);
        error = mfree(error);
        /* no error text asked for */
        ck_assert_int_eq(bus_match_rule_parse("x", &rule, NULL), -EINVAL);

        /* only 16 pairs are read; the 17th is ignored, even if broken */
        text = strdup("");
        for (int i = 0; i < 16; i++) {
                char pair[16];
                snprintf(pair, sizeof pair, "arg%d='%d',", i, i);
                ck_assert_int_eq(strextend(&text, pair), 0);
        }
        ck_assert_int_eq(strextend(&text, "bogus='"), 0);
        ck_assert_int_eq(bus_match_rule_parse(text, &rule, &error), 0);
        canonical = bus_match_rule_to_string(rule);
        ck_assert(endswith(canonical, ",arg15='15'"));
        bus_match_rule_free(rule);
}
END_TEST

static BusMatchRule *parse(const char *text) {
        BusMatchRule *rule = NULL;
        _cleanup_free_ char *error = NULL;

        ck_assert_msg(bus_match_rule_parse(text, &rule, &error) == 0, "%s: %s", text, error);
        return rule;
}

START_TEST(test_equal) {
        static const struct {
                const char *a, *b;
                bool equal;
        } cases[] = {
                { "type='signal',member='A'", "member=A,type=signal", true },
                { "eavesdrop='false'", "", true },
                { "eavesdrop='true'", "", false },
                { "arg0='a'", "arg0path='a'", false },
                { "arg0='a'", "arg0namespace='a'", false },
                { "arg0='a'", "arg1='a'", false },
                { "arg1='a'", "arg1='a',arg2=''", false },
                { "path='/a'", "path_namespace='/a'", false },
                { "sender=':1.1'", "destination=':1.1'", false },
                { "interface='a.b'", "interface='a.c'", false },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(bus_match_rule_freep) BusMatchRule *a = parse(cases[i].a), *b = parse(cases[i].b);
                ck_assert_msg(bus_match_rule_equal(a, b) == cases[i].equal, "%s vs %s", cases[i].a, cases[i].b);
                ck_assert(bus_match_rule_equal(b, a) == cases[i].equal);
        }
}
END_TEST

/* ---- matching ---- */

/* A sealed message: type, path, interface, member, destination (or NULL), sender (or NULL),
 * then arguments as pairs (char type, value) ended by 0: 's'/'o' with a string, 'u' with an
 * unsigned. */
static BusMessage *message(char endian, uint8_t type, const char *path, const char *interface, const char *member,
                           const char *destination, const char *sender, ...) {
        BusMessage *m = NULL;
        va_list ap;
        int t;

        ck_assert_int_eq(bus_message_new(type, endian, &m), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_PATH, path), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_INTERFACE, interface), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_MEMBER, member), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_DESTINATION, destination), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_SENDER, sender), 0);
        va_start(ap, sender);
        while ((t = va_arg(ap, int)) != 0) {
                if (t == 'u') {
                        uint32_t u = va_arg(ap, unsigned);
                        ck_assert_int_eq(bus_message_append_basic(m, 'u', &u), 0);
                } else
                        ck_assert_int_eq(bus_message_append_basic(m, (char) t, va_arg(ap, const char *)), 0);
        }
        va_end(ap);
        ck_assert_int_eq(bus_message_seal(m, 7), 0);
        return m;
}

#define SIGNAL(endian, path, interface, member, ...) \
        message(endian, BUS_MESSAGE_SIGNAL, path, interface, member, NULL, ":1.7", ##__VA_ARGS__, 0)

static bool owns(const char *unique, const char *name, void *userdata) {
        /* :1.7 owns org.example.Emitter; :1.9 owns org.example.Target */
        return (streq(unique, ":1.7") && streq(name, "org.example.Emitter")) ||
               (streq(unique, ":1.9") && streq(name, "org.example.Target"));
}

static const BusMatchContext bus_ctx = { .name_owner = owns };

static bool matches(const char *text, BusMessage *m, const BusMatchContext *ctx) {
        _cleanup_(bus_match_rule_freep) BusMatchRule *rule = parse(text);
        return bus_match_rule_matches(rule, m, ctx);
}

#define ASSERT_MATCH(text, m, ctx) ck_assert_msg(matches(text, m, ctx), "%s should match", text)
#define ASSERT_NO_MATCH(text, m, ctx) ck_assert_msg(!matches(text, m, ctx), "%s should not match", text)

static const char endians[] = { 'l', 'B' };

START_TEST(test_match_header_keys) {
        _cleanup_(bus_message_freep) BusMessage *m =
                SIGNAL(endians[_i], "/org/example/Obj", "org.example.If", "Changed", 's', "x");

        ASSERT_MATCH("", m, &bus_ctx);
        ASSERT_MATCH("type='signal'", m, &bus_ctx);
        ASSERT_NO_MATCH("type='method_call'", m, &bus_ctx);
        ASSERT_NO_MATCH("type='error'", m, &bus_ctx);
        ASSERT_MATCH("interface='org.example.If'", m, &bus_ctx);
        ASSERT_NO_MATCH("interface='org.example.Other'", m, &bus_ctx);
        ASSERT_MATCH("member='Changed'", m, &bus_ctx);
        ASSERT_NO_MATCH("member='changed'", m, &bus_ctx);
        ASSERT_MATCH("path='/org/example/Obj'", m, &bus_ctx);
        ASSERT_NO_MATCH("path='/org/example'", m, &bus_ctx);
        ASSERT_MATCH("type='signal',interface='org.example.If',member='Changed',path='/org/example/Obj'", m, &bus_ctx);
        ASSERT_NO_MATCH("type='signal',interface='org.example.If',member='Changed',path='/org'", m, &bus_ctx);
}
END_TEST

START_TEST(test_match_path_namespace) {
        _cleanup_(bus_message_freep) BusMessage *m = SIGNAL(endians[_i], "/com/example/foo/bar", "a.b", "M");
        _cleanup_(bus_message_freep) BusMessage *root = SIGNAL(endians[_i], "/", "a.b", "M");

        ASSERT_MATCH("path_namespace='/'", m, &bus_ctx);
        ASSERT_MATCH("path_namespace='/'", root, &bus_ctx);
        ASSERT_MATCH("path_namespace='/com'", m, &bus_ctx);
        ASSERT_MATCH("path_namespace='/com/example/foo'", m, &bus_ctx);
        ASSERT_MATCH("path_namespace='/com/example/foo/bar'", m, &bus_ctx);
        ASSERT_NO_MATCH("path_namespace='/com/example/fo'", m, &bus_ctx);
        ASSERT_NO_MATCH("path_namespace='/com/example/foo/bar/baz'", m, &bus_ctx);
        ASSERT_NO_MATCH("path_namespace='/com'", root, &bus_ctx);
}
END_TEST

START_TEST(test_match_sender) {
        _cleanup_(bus_message_freep) BusMessage *m = SIGNAL(endians[_i], "/a", "a.b", "M");
        BusMatchContext no_lookup = {}, from_bus = { .sender = "org.freedesktop.DBus", .name_owner = owns };

        /* the SENDER field, or the context's sender, against unique and well-known names */
        ASSERT_MATCH("sender=':1.7'", m, &bus_ctx);
        ASSERT_NO_MATCH("sender=':1.70'", m, &bus_ctx);
        ASSERT_MATCH("sender='org.example.Emitter'", m, &bus_ctx);
        ASSERT_NO_MATCH("sender='org.example.Target'", m, &bus_ctx);
        ASSERT_NO_MATCH("sender='org.example.Emitter'", m, &no_lookup);
        ASSERT_MATCH("sender=':1.7'", m, NULL);
        ASSERT_NO_MATCH("sender='org.freedesktop.DBus'", m, &bus_ctx);
        /* a message from the bus itself matches only sender='org.freedesktop.DBus' */
        ASSERT_MATCH("sender='org.freedesktop.DBus'", m, &from_bus);
        ASSERT_NO_MATCH("sender=':1.7'", m, &from_bus);
        ASSERT_NO_MATCH("sender='org.example.Emitter'", m, &from_bus);
}
END_TEST

START_TEST(test_match_destination_eavesdrop) {
        _cleanup_(bus_message_freep) BusMessage *broadcast = SIGNAL(endians[_i], "/a", "a.b", "M");
        _cleanup_(bus_message_freep) BusMessage *unicast =
                message(endians[_i], BUS_MESSAGE_SIGNAL, "/a", "a.b", "M", "org.example.Target", ":1.7", 0);
        _cleanup_(bus_message_freep) BusMessage *call =
                message(endians[_i], BUS_MESSAGE_METHOD_CALL, "/a", "a.b", "M", ":1.9", ":1.7", 0);
        BusMatchContext to_target = { .recipient = ":1.9", .name_owner = owns };
        BusMatchContext unknown_receiver = { .name_owner = owns };
        BusMatchContext mine = { .recipient = ":1.9", .to_receiver = true, .name_owner = owns };

        /* broadcasts: destination= never matches, eavesdrop changes nothing */
        ASSERT_MATCH("type='signal'", broadcast, &bus_ctx);
        ASSERT_MATCH("eavesdrop='true'", broadcast, &bus_ctx);
        ASSERT_NO_MATCH("destination=':1.9'", broadcast, &bus_ctx);
        ASSERT_NO_MATCH("destination=':1.9',eavesdrop='true'", broadcast, &bus_ctx);

        /* someone else's unicast: only eavesdropping rules see it */
        ASSERT_NO_MATCH("type='signal'", unicast, &to_target);
        ASSERT_NO_MATCH("", call, &to_target);
        ASSERT_MATCH("eavesdrop='true'", unicast, &to_target);
        ASSERT_MATCH("type='method_call',eavesdrop='true'", call, &to_target);
        ASSERT_NO_MATCH("destination=':1.9'", unicast, &to_target);
        ASSERT_MATCH("destination=':1.9',eavesdrop='true'", unicast, &to_target);
        ASSERT_MATCH("destination='org.example.Target',eavesdrop='true'", unicast, &to_target);
        ASSERT_MATCH("destination='org.example.Target',eavesdrop='true'", call, &to_target);
        ASSERT_NO_MATCH("destination=':1.8',eavesdrop='true'", unicast, &to_target);
        ASSERT_NO_MATCH("destination='org.example.Emitter',eavesdrop='true'", unicast, &to_target);
        /* receiver not known: destination= compares with the DESTINATION field */
        ASSERT_MATCH("destination='org.example.Target',eavesdrop='true'", unicast, &unknown_receiver);
        ASSERT_NO_MATCH("destination=':1.9',eavesdrop='true'", unicast, &unknown_receiver);

        /* a client filtering what was addressed to it needs no eavesdrop */
        ASSERT_MATCH("type='signal'", unicast, &mine);
        ASSERT_MATCH("destination=':1.9'", unicast, &mine);
        ASSERT_MATCH("destination='org.example.Target'", unicast, &mine);
        ASSERT_NO_MATCH("destination=':1.8'", unicast, &mine);
}
END_TEST

START_TEST(test_match_args) {
        _cleanup_(bus_message_freep) BusMessage *m = SIGNAL(endians[_i], "/a", "a.b", "M", 's', "org.example.Foo",
                                                           'u', 5, 'o', "/aa/bb/cc", 's', "", 's', "x'y");

        ASSERT_MATCH("arg0='org.example.Foo'", m, &bus_ctx);
        ASSERT_NO_MATCH("arg0='org.example.foo'", m, &bus_ctx);
        ASSERT_NO_MATCH("arg0='org.example.Fo'", m, &bus_ctx);
        ASSERT_NO_MATCH("arg1='5'", m, &bus_ctx);      /* not a string */
        ASSERT_NO_MATCH("arg2='/aa/bb/cc'", m, &bus_ctx); /* object paths only for argNpath */
        ASSERT_MATCH("arg3=''", m, &bus_ctx);
        ASSERT_MATCH("arg4=x\\''y'", m, &bus_ctx);
        ASSERT_MATCH("arg4='x'\\''y'", m, &bus_ctx);
        ASSERT_NO_MATCH("arg5=''", m, &bus_ctx);      /* no such argument */
        ASSERT_NO_MATCH("arg63=''", m, &bus_ctx);
        ASSERT_MATCH("arg0='org.example.Foo',arg3='',arg4='x'\\''y'", m, &bus_ctx);
        ASSERT_NO_MATCH("arg0='org.example.Foo',arg3='z'", m, &bus_ctx);

        /* arg0namespace: whole dot-separated elements, strings only */
        ASSERT_MATCH("arg0namespace='org'", m, &bus_ctx);
        ASSERT_MATCH("arg0namespace='org.example'", m, &bus_ctx);
        ASSERT_MATCH("arg0namespace='org.example.Foo'", m, &bus_ctx);
        ASSERT_NO_MATCH("arg0namespace='org.exam'", m, &bus_ctx);
        ASSERT_NO_MATCH("arg0namespace='org.example.Foo.Bar'", m, &bus_ctx);

        /* argNpath: on strings and object paths, '/'-terminated prefixes either way */
        ASSERT_MATCH("arg2path='/aa/bb/cc'", m, &bus_ctx);
        ASSERT_MATCH("arg2path='/aa/bb/'", m, &bus_ctx);
        ASSERT_MATCH("arg2path='/'", m, &bus_ctx);
        ASSERT_NO_MATCH("arg2path='/aa/bb'", m, &bus_ctx);
        ASSERT_NO_MATCH("arg2path='/aa/b'", m, &bus_ctx);
        ASSERT_NO_MATCH("arg2path='/aa/bb/cc/dd'", m, &bus_ctx);
        ASSERT_NO_MATCH("arg2path=''", m, &bus_ctx);
        ASSERT_NO_MATCH("arg1path='5'", m, &bus_ctx);
        ASSERT_MATCH("arg3path=''", m, &bus_ctx);
        ASSERT_NO_MATCH("arg3path='/'", m, &bus_ctx);
}
END_TEST

START_TEST(test_match_arg_path_strings) {
        /* the specification's example: arg0path='/aa/bb/' */
        static const struct {
                const char *arg;
                bool match;
        } cases[] = {
                { "/", true }, { "/aa/", true }, { "/aa/bb/", true }, { "/aa/bb/cc/", true },
                { "/aa/bb/cc", true }, { "/aa/b", false }, { "/aa", false }, { "/aa/bb", false },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(bus_message_freep) BusMessage *m = SIGNAL(endians[_i], "/a", "a.b", "M", 's', cases[i].arg);
                ck_assert_msg(matches("arg0path='/aa/bb/'", m, &bus_ctx) == cases[i].match, "%s", cases[i].arg);
        }
}
END_TEST

START_TEST(test_match_no_body_and_reader) {
        _cleanup_(bus_message_freep) BusMessage *m = SIGNAL(endians[_i], "/a", "a.b", "M", 's', "one", 's', "two");
        const char *s = NULL;

        ASSERT_MATCH("arg1='two'", m, &bus_ctx);
        /* matching leaves the reader at the start of the body */
        ck_assert_int_eq(bus_message_read_basic(m, 's', &s), 1);
        ck_assert_str_eq(s, "one");
        ASSERT_MATCH("arg0='one'", m, &bus_ctx);
        ck_assert_int_eq(bus_message_read_basic(m, 's', &s), 1);
        ck_assert_str_eq(s, "one");
}
END_TEST

/* ---- sets ---- */

typedef struct Sub {
        BusMatchOwner owner;
        unsigned hits;
} Sub;

static int count_hit(BusMatchEntry *e, void *userdata) {
        Sub *sub = container_of(bus_match_entry_get_owner(e), Sub, owner);
        unsigned *calls = userdata;

        sub->hits++;
        (*calls)++;
        return 0;
}

static BusMatchEntry *add(BusMatchSet *s, const char *text, Sub *sub, void *userdata) {
        BusMatchEntry *e = NULL;
        ck_assert_int_eq(bus_match_set_add(s, parse(text), sub ? &sub->owner : NULL, userdata, &e), 0);
        return e;
}

START_TEST(test_set_once_per_owner) {
        Sub a = {}, b = {}, c = {}; /* outlive the set's cleanup */
        _cleanup_(bus_match_set_freep) BusMatchSet *s = NULL;
        _cleanup_(bus_message_freep) BusMessage *m = SIGNAL(endians[_i], "/a/b", "org.x.If", "M", 's', "k");
        unsigned calls = 0;

        ck_assert_int_eq(bus_match_set_new(NULL, &s), 0);
        bus_match_owner_init(&a.owner);
        bus_match_owner_init(&b.owner);
        bus_match_owner_init(&c.owner);
        /* a has three matching rules in different buckets, b one, c none */
        add(s, "type='signal'", &a, NULL);
        add(s, "member='M'", &a, NULL);
        add(s, "path_namespace='/a',arg0='k'", &a, NULL);
        add(s, "interface='org.x.If',member='M',path='/a/b'", &b, NULL);
        add(s, "member='N'", &c, NULL);
        ck_assert_uint_eq(bus_match_set_size(s), 5);
        ck_assert_uint_eq(bus_match_owner_count(&a.owner), 3);

        ck_assert_int_eq(bus_match_set_foreach(s, m, &bus_ctx, BUS_MATCH_ONCE_PER_OWNER, count_hit, &calls), 2);
        ck_assert_uint_eq(a.hits, 1);
        ck_assert_uint_eq(b.hits, 1);
        ck_assert_uint_eq(c.hits, 0);
        /* and again: the stamps of the previous message do not carry over */
        ck_assert_int_eq(bus_match_set_foreach(s, m, &bus_ctx, BUS_MATCH_ONCE_PER_OWNER, count_hit, &calls), 2);
        ck_assert_uint_eq(a.hits, 2);
        /* without the flag every matching rule is reported */
        ck_assert_int_eq(bus_match_set_foreach(s, m, &bus_ctx, 0, count_hit, &calls), 4);
        ck_assert_uint_eq(a.hits, 5);
        ck_assert_uint_eq(calls, 8);

        /* the addressed receiver is skipped (it gets the message anyway) */
        BusMatchContext ctx = bus_ctx;
        ctx.skip_owner = &a.owner;
        ck_assert_int_eq(bus_match_set_foreach(s, m, &ctx, BUS_MATCH_ONCE_PER_OWNER, count_hit, &calls), 1);
        ck_assert_uint_eq(a.hits, 5);
        ck_assert_uint_eq(b.hits, 4);

        bus_match_owner_done(&a.owner);
        ck_assert_uint_eq(bus_match_owner_count(&a.owner), 0);
        ck_assert_uint_eq(bus_match_set_size(s), 2);
        ck_assert_int_eq(bus_match_set_foreach(s, m, &bus_ctx, BUS_MATCH_ONCE_PER_OWNER, count_hit, &calls), 1);
}
END_TEST

static int stop_at_first(BusMatchEntry *e, void *userdata) {
        return -ECANCELED;
}

START_TEST(test_set_find_remove) {
        Sub a = {}, b = {};
        _cleanup_(bus_match_set_freep) BusMatchSet *s = NULL;
        _cleanup_(bus_match_rule_freep) BusMatchRule *probe = NULL, *other = NULL;
        _cleanup_(bus_message_freep) BusMessage *m = SIGNAL(endians[_i], "/a", "a.b", "M");
        BusMatchEntry *e1, *e2, *e3, *e4;
        unsigned calls = 0;

        ck_assert_int_eq(bus_match_set_new(NULL, &s), 0);
        bus_match_owner_init(&a.owner);
        bus_match_owner_init(&b.owner);
        e1 = add(s, "type='signal',member='M'", &a, NULL);
        e2 = add(s, "member='M',type='signal'", &a, NULL); /* the same rule again */
        e3 = add(s, "type='signal',member='M'", &b, NULL);
        e4 = add(s, "type='signal',member='M'", NULL, NULL);

        /* the owner's entries, oldest first */
        ck_assert_ptr_eq(bus_match_owner_first(&a.owner), e1);
        ck_assert_ptr_eq(bus_match_entry_next(e1), e2);
        ck_assert_ptr_null(bus_match_entry_next(e2));
        ck_assert_ptr_eq(bus_match_entry_get_owner(e3), &b.owner);

        /* RemoveMatch removes the newest equal rule of the caller */
        probe = parse("type='signal',member='M',eavesdrop='false'");
        other = parse("type='signal',member='M',path='/a'");
        ck_assert_ptr_eq(bus_match_set_find(s, &a.owner, probe), e2);
        ck_assert_ptr_eq(bus_match_set_find(s, &b.owner, probe), e3);
        ck_assert_ptr_eq(bus_match_set_find(s, NULL, probe), e4);
        ck_assert_ptr_null(bus_match_set_find(s, &a.owner, other));
        bus_match_entry_free(e2);
        ck_assert_ptr_eq(bus_match_set_find(s, &a.owner, probe), e1);
        bus_match_entry_free(e1);
        ck_assert_ptr_null(bus_match_set_find(s, &a.owner, probe));
        ck_assert_ptr_null(bus_match_owner_first(&a.owner));

        /* a negative callback return stops the walk */
        ck_assert_int_eq(bus_match_set_foreach(s, m, &bus_ctx, 0, stop_at_first, &calls), -ECANCELED);
        bus_match_entry_free(e4);
        bus_match_entry_free(NULL);
        ck_assert_int_eq(bus_match_set_foreach(s, m, &bus_ctx, 0, count_hit, &calls), 1);
        ck_assert_uint_eq(b.hits, 1);
}
END_TEST

static void count_destroy(void *userdata) {
        (*(unsigned *) userdata)++;
}

START_TEST(test_set_drop_name) {
        BusMatchSet *s = NULL;
        Sub a = {}, b = {};
        unsigned destroyed = 0;

        ck_assert_int_eq(bus_match_set_new(count_destroy, &s), 0);
        bus_match_owner_init(&a.owner);
        bus_match_owner_init(&b.owner);
        add(s, "sender=':1.5'", &a, &destroyed);
        add(s, "member='M',destination=':1.5',eavesdrop='true'", &a, &destroyed);
        add(s, "sender=':1.5',destination=':1.5',eavesdrop='true'", &b, &destroyed);
        add(s, "sender=':1.50'", &b, &destroyed);
        add(s, "sender='org.a.B'", &b, &destroyed);
        add(s, "arg0=':1.5'", NULL, &destroyed);

        /* :1.5 went away: the rules naming it in sender= or destination= go too */
        ck_assert_uint_eq(bus_match_set_drop_name(s, ":1.5"), 3);
        ck_assert_uint_eq(destroyed, 3);
        ck_assert_uint_eq(bus_match_owner_count(&a.owner), 0);
        ck_assert_uint_eq(bus_match_owner_count(&b.owner), 2);
        ck_assert_uint_eq(bus_match_set_drop_name(s, ":1.5"), 0);
        ck_assert_uint_eq(bus_match_set_size(s), 3);

        /* freeing the set frees the rest and unlinks them from their owners */
        bus_match_set_free(s);
        ck_assert_uint_eq(destroyed, 6);
        ck_assert_uint_eq(bus_match_owner_count(&b.owner), 0);
        ck_assert_ptr_null(bus_match_owner_first(&b.owner));
}
END_TEST

START_TEST(test_set_agrees_with_rules) {
        /* every rule of the table, in one set, reports exactly the rules that match alone */
        static const char *const rules[] = {
                "", "type='signal'", "type='method_call'", "interface='org.x.If'", "member='M'",
                "member='N'", "path='/a/b'", "path='/a'", "path_namespace='/a'", "sender=':1.7'",
                "sender='org.example.Emitter'", "sender='org.example.Target'", "arg0='k'", "arg0='l'",
                "arg0namespace='k'", "arg0path='k'", "type='signal',interface='org.x.If',member='M',path='/a/b',arg0='k'",
                "type='signal',sender=':1.7',member='M'", "type='signal',sender=':1.8',member='M'",
                "sender='org.freedesktop.DBus'", "arg1='v'", "eavesdrop='true'", "destination=':1.9'",
                "destination=':1.9',eavesdrop='true'", "destination='org.example.Target',eavesdrop='true'",
        };
        Sub subs[ELEMENTSOF(rules)] = {};
        _cleanup_(bus_match_set_freep) BusMatchSet *s = NULL;
        BusMessage *msgs[] = {
                SIGNAL(endians[_i], "/a/b", "org.x.If", "M", 's', "k", 's', "v"),
                SIGNAL(endians[_i], "/a", "org.x.If", "N", 'u', 3),
                message(endians[_i], BUS_MESSAGE_METHOD_CALL, "/a/b", "org.x.If", "M", ":1.9", ":1.7", 's', "k", 0),
                message(endians[_i], BUS_MESSAGE_SIGNAL, "/a/b", "org.x.If", "M", NULL, "org.freedesktop.DBus", 's', "k", 0),
        };
        BusMatchContext ctx = { .recipient = ":1.9", .name_owner = owns };
        unsigned calls = 0;

        ck_assert_int_eq(bus_match_set_new(NULL, &s), 0);
        for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
                bus_match_owner_init(&subs[i].owner);
                add(s, rules[i], &subs[i], NULL);
        }
        for (size_t k = 0; k < ELEMENTSOF(msgs); k++) {
                ctx.recipient = k == 2 ? ":1.9" : NULL;
                for (size_t i = 0; i < ELEMENTSOF(rules); i++)
                        subs[i].hits = 0;
                bus_match_set_foreach(s, msgs[k], &ctx, BUS_MATCH_ONCE_PER_OWNER, count_hit, &calls);
                for (size_t i = 0; i < ELEMENTSOF(rules); i++)
                        ck_assert_msg(subs[i].hits == (unsigned) matches(rules[i], msgs[k], &ctx),
                                      "message %zu, rule %s: set says %u", k, rules[i], subs[i].hits);
                bus_message_free(msgs[k]);
        }
}
END_TEST

/* With n rules that each differ from the message in member, interface or path installed, one
 * message evaluates only the rules that can match: the cost does not grow with n. */
static const unsigned scaling_sizes[] = { 1024, 32768, 65536 };

START_TEST(test_set_scaling) {
        Sub hit = {}, decoys = {};
        _cleanup_(bus_match_set_freep) BusMatchSet *s = NULL;
        _cleanup_(bus_message_freep) BusMessage *m =
                SIGNAL(endians[_i % 2], "/org/example/obj7", "org.example.If", "Changed", 's', "name7");
        unsigned n = scaling_sizes[_i / 2], calls = 0;
        uint64_t before;

        ck_assert_int_eq(bus_match_set_new(NULL, &s), 0);
        bus_match_owner_init(&hit.owner);
        bus_match_owner_init(&decoys.owner);
        for (unsigned i = 0; i < n; i++) {
                char text[256];

                switch (i % 4) {
                case 0: /* other members */
                        snprintf(text, sizeof text, "type='signal',interface='org.example.If',member='M%u'", i);
                        break;
                case 1: /* other interfaces */
                        snprintf(text, sizeof text, "type='signal',interface='org.example.I%u',member='Changed'", i);
                        break;
                case 2: /* other paths */
                        snprintf(text, sizeof text, "type='signal',path='/org/example/p%u',member='Changed'", i);
                        break;
                default: /* other first arguments (NameOwnerChanged-style watches) */
                        snprintf(text, sizeof text,
                                 "type='signal',sender=':1.7',interface='org.example.If',member='Changed',arg0='n%u'", i);
                        break;
                }
                add(s, text, &decoys, NULL);
        }
        add(s, "type='signal',interface='org.example.If',member='Changed',path='/org/example/obj7'", &hit, NULL);
        add(s, "type='signal',sender=':1.7',member='Changed',arg0='name7'", &hit, NULL);
        add(s, "type='signal',path_namespace='/org/example'", &hit, NULL);
        ck_assert_uint_eq(bus_match_set_size(s), n + 3);

        before = bus_match_set_get_evaluations(s);
        ck_assert_int_eq(bus_match_set_foreach(s, m, &bus_ctx, 0, count_hit, &calls), 3);
        ck_assert_uint_eq(hit.hits, 3);
        ck_assert_uint_eq(decoys.hits, 0);
        /* the three rules that match, nothing else */
        ck_assert_uint_eq(bus_match_set_get_evaluations(s) - before, 3);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-match");
        TCase *tc = tcase_create("core");

        tcase_add_loop_test(tc, test_parse_table, 0, ELEMENTSOF(parse_cases));
        tcase_add_test(tc, test_parse_limits);
        tcase_add_test(tc, test_equal);
        tcase_add_loop_test(tc, test_match_header_keys, 0, 2);
        tcase_add_loop_test(tc, test_match_path_namespace, 0, 2);
        tcase_add_loop_test(tc, test_match_sender, 0, 2);
        tcase_add_loop_test(tc, test_match_destination_eavesdrop, 0, 2);
        tcase_add_loop_test(tc, test_match_args, 0, 2);
        tcase_add_loop_test(tc, test_match_arg_path_strings, 0, 2);
        tcase_add_loop_test(tc, test_match_no_body_and_reader, 0, 2);
        tcase_add_loop_test(tc, test_set_once_per_owner, 0, 2);
        tcase_add_loop_test(tc, test_set_find_remove, 0, 2);
        tcase_add_test(tc, test_set_drop_name);
        tcase_add_loop_test(tc, test_set_agrees_with_rules, 0, 2);
        tcase_add_loop_test(tc, test_set_scaling, 0, 2 * ELEMENTSOF(scaling_sizes));
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
