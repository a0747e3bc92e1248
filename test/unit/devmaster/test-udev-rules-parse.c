/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-udev-rules-parse.c: the udev rules loader as a rules author sees it: every load-time
 * message of udev 252 with its exact text and line number (errors drop the line, format errors
 * and warnings keep it), the execution order of tokens, continuation lines, values and match
 * alternatives, OWNER/GROUP resolution through a fixed table, GOTO/LABEL, the rules files that
 * are read (override, masks, order, reload detection), the lines of udev-test.pl's test 157
 * that are Perl, and the Debian rules installed on this machine.
 */

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "path-util.h"
#include "string-util.h"
#include "test-helpers.h"
#include "udev-rules-parse.h"
#include "udev-rules.h"

/* ---- helpers ---- */

/* users: root 0, daemon 1; groups: root 0, tty 5, audio 29; "enomem" and "eio" fail. */
static int table_resolve(bool group, const char *name, uint32_t *ret_id, void *userdata) {
        static const struct {
                bool group;
                const char *name;
                uint32_t id;
        } table[] = {
                { false, "root", 0 }, { false, "daemon", 1 }, { true, "root", 0 },
                { true, "tty", 5 },   { true, "audio", 29 },
        };
        unsigned *calls = userdata;

        if (calls)
                (*calls)++;
        if (streq(name, "enomem"))
                return -ENOMEM;
        if (streq(name, "eio"))
                return -EIO;
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (table[i].group == group && streq(table[i].name, name)) {
                        *ret_id = table[i].id;
                        return 0;
                }
        return -ESRCH;
}

/* Every name exists (for the Debian rules, whose groups this machine may lack). */
static int any_resolve(bool group, const char *name, uint32_t *ret_id, void *userdata) {
        (void) group;
        (void) name;
        (void) userdata;
        *ret_id = 1000;
        return 0;
}

/* Captures every message, debug ones included, whatever SYSTEMD_LOG_LEVEL says. */
static void capture_start(LogCapture *cap) {
        log_set_max_level(LOG_DEBUG);
        log_capture_start(cap);
}

/* Parses text as "test.rules"; the messages go to cap. */
static UdevRules *parse_timing(const char *text, LogCapture *cap,
                               UdevRulesResolveNameTiming timing) {
        UdevRules *rules = NULL;

        ck_assert_int_eq(udev_rules_new(timing, &rules), 0);
        udev_rules_set_resolver(rules, table_resolve, NULL);
        capture_start(cap);
        (void) udev_rules_parse_buffer(rules, "test.rules", text, strlen(text));
        log_capture_stop();
        return rules;
}

static UdevRules *parse(const char *text, LogCapture *cap) {
        return parse_timing(text, cap, UDEV_RULES_RESOLVE_NAME_EARLY);
}

static const UdevRuleFile *only_file(const UdevRules *rules) {
        ck_assert_uint_eq(rules->n_files, 1);
        return rules->files[0];
}

/* The kept line with that number, or NULL if it was dropped. */
static const UdevRuleLine *find_line(const UdevRules *rules, unsigned line_number) {
        const UdevRuleFile *f = only_file(rules);

        for (size_t i = 0; i < f->n_lines; i++)
                if (f->lines[i].line_number == line_number)
                        return &f->lines[i];
        return NULL;
}

/* The dump of the line with that number, without the "test.rules:N [flags]" head; "" if dropped. */
static char *line_tokens(const UdevRules *rules, unsigned line_number) {
        const UdevRuleLine *l = find_line(rules, line_number);
        char *buf = NULL, *p;
        size_t size = 0;
        FILE *f;

        if (!l)
                return strdup("");
        f = open_memstream(&buf, &size);
        ck_assert_ptr_nonnull(f);
        udev_rule_line_dump(l, f);
        fclose(f);
        p = strchr(buf, ']');
        ck_assert_ptr_nonnull(p);
        memmove(buf, p + 2, strlen(p + 2) + 1);
        truncate_nl(buf);
        return buf;
}

#define assert_line(rules, n, expected)                                                           \
        do {                                                                                      \
                _cleanup_free_ char *_s = line_tokens((rules), (n));                              \
                ck_assert_msg(streq(_s, (expected)), "line %u is\n  %s\nexpected\n  %s", (n), _s, \
                              (expected));                                                        \
        } while (0)

#define assert_dropped(rules, n) ck_assert_msg(find_line((rules), (n)) == NULL, "line %u kept", (n))

/* Asserts that the captured log is exactly these lines. */
#define assert_log(cap, expected)                                                              \
        ck_assert_msg(streq((cap)->buf, (expected)), "log is:\n%s\nexpected:\n%s", (cap)->buf, \
                      (expected))

/* ---- errors: the line is dropped ---- */

START_TEST(test_errors_drop_the_line) {
        static const char text[] = "KERNEL==\"sda\", FOO=\"bar\", TAG+=\"a\"\n" /* 1 */
                                   "KERNEL=\"sda\", TAG+=\"a\"\n" /* 2 */
                                   "KERNEL{x}==\"sda\", TAG+=\"a\"\n" /* 3 */
                                   "ENV{DEVNAME}=\"x\"\n" /* 4 */
                                   "NAME=\"%k\"\n" /* 5 */
                                   "NAME=\"\"\n" /* 6 */
                                   "IMPORT{builtin}=\"nosuch\"\n" /* 7 */
                                   "RUN{builtin}+=\"nosuch x\"\n" /* 8 */
                                   "TEST{abc}==\"/x\", TAG+=\"a\"\n" /* 9 */
                                   "OPTIONS+=\"link_priority=x\"\n" /* 10 */
                                   "OPTIONS+=\"log_level=loud\"\n" /* 11 */
                                   "OWNER=\"enomem\"\n" /* 12 */
                                   "GROUP=\"enomem\"\n" /* 13 */
                                   "KERNEL==\"sda\" TAG+=\"a\" junk\n" /* 14 */
                                   "ENV{ACTION}=\"x\"\n" /* 15 */
                                   "CONST{foo}==\"x\", TAG+=\"a\"\n" /* 16 */
                                   "ATTR{}==\"x\", TAG+=\"a\"\n" /* 17 */
                                   "TAG-=\"a\", SYMLINK-=\"b\"\n" /* 18 */
                                   "RUN{foo}=\"x\"\n" /* 19 */
                                   "IMPORT{foo}=\"x\"\n" /* 20 */
                                   "OPTIONS==\"watch\"\n" /* 21 */
                                   "GOTO+=\"x\"\n" /* 22 */
                                   "TAG+=\"kept\"\n"; /* 23 */
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        LogCapture cap;

        rules = parse(text, &cap);
        assert_log(
                &cap,
                "test.rules:1 Invalid key 'FOO'\n"
                "test.rules:2 Invalid operator for KERNEL.\n"
                "test.rules:3 Invalid attribute for KERNEL.\n"
                "test.rules:4 Invalid ENV attribute. 'DEVNAME' cannot be set.\n"
                "test.rules:5 Ignoring NAME=\"%k\", as it will take no effect.\n"
                "test.rules:6 Ignoring NAME=\"\", as udev will not delete any network interfaces.\n"
                "test.rules:7 Unknown builtin command: nosuch\n"
                "test.rules:8 Unknown builtin command 'nosuch x', ignoring\n"
                "test.rules:9 Failed to parse mode 'abc': Invalid argument\n"
                "test.rules:10 Failed to parse link priority 'x': Invalid argument\n"
                "test.rules:11 Failed to parse log level 'loud': Invalid argument\n"
                "test.rules:12 Failed to resolve user name 'enomem': Cannot allocate memory\n"
                "test.rules:13 Failed to resolve group name 'enomem': Cannot allocate memory\n"
                "test.rules:14 Invalid key/value pair, ignoring.\n"
                "test.rules:15 Invalid ENV attribute. 'ACTION' cannot be set.\n"
                "test.rules:16 Invalid attribute for CONST.\n"
                "test.rules:17 Invalid attribute for ATTR.\n"
                "test.rules:18 Invalid operator for SYMLINK.\n"
                "test.rules:19 Invalid attribute for RUN.\n"
                "test.rules:20 Invalid attribute for IMPORT.\n"
                "test.rules:21 Invalid operator for OPTIONS.\n"
                "test.rules:22 Invalid operator for GOTO.\n");
        /* Only the last line survives: an error anywhere drops the whole line. */
        ck_assert_uint_eq(only_file(rules)->n_lines, 1);
        assert_line(rules, 23, "TAG+=\"kept\"");
}
END_TEST

START_TEST(test_every_key_checks_attr_and_operator) {
        static const struct {
                const char *line, *message;
        } cases[] = {
                { "ACTION{x}==\"add\"", "Invalid attribute for ACTION." },
                { "ACTION=\"add\"", "Invalid operator for ACTION." },
                { "DEVPATH+=\"/x\"", "Invalid operator for DEVPATH." },
                { "DRIVER:=\"x\"", "Invalid operator for DRIVER." },
                { "SUBSYSTEM{x}==\"a\"", "Invalid attribute for SUBSYSTEM." },
                { "KERNELS=\"a\"", "Invalid operator for KERNELS." },
                { "SUBSYSTEMS{x}==\"a\"", "Invalid attribute for SUBSYSTEMS." },
                { "DRIVERS-=\"a\"", "Invalid operator for DRIVERS." },
                { "ATTRS{a}=\"b\"", "Invalid operator for ATTRS." },
                { "ATTRS==\"b\"", "Invalid attribute for ATTRS." },
                { "TAGS=\"a\"", "Invalid operator for TAGS." },
                { "RESULT=\"a\"", "Invalid operator for RESULT." },
                { "SYMLINK{x}+=\"a\"", "Invalid attribute for SYMLINK." },
                { "NAME-=\"a\"", "Invalid operator for NAME." },
                { "ENV=\"a\"", "Invalid attribute for ENV." },
                { "ENV{A}-=\"a\"", "Invalid operator for ENV." },
                { "CONST{arch}=\"x86-64\"", "Invalid operator for CONST." },
                { "TAG{x}+=\"a\"", "Invalid attribute for TAG." },
                { "ATTR{a}-=\"1\"", "Invalid operator for ATTR." },
                { "SYSCTL{}=\"1\"", "Invalid attribute for SYSCTL." },
                { "SYSCTL{a}-=\"1\"", "Invalid operator for SYSCTL." },
                { "TEST=\"/x\"", "Invalid operator for TEST." },
                { "PROGRAM{x}=\"/x\"", "Invalid attribute for PROGRAM." },
                { "PROGRAM-=\"/x\"", "Invalid operator for PROGRAM." },
                { "IMPORT=\"x\"", "Invalid attribute for IMPORT." },
                { "IMPORT{file}-=\"x\"", "Invalid operator for IMPORT." },
                { "OPTIONS{x}=\"watch\"", "Invalid attribute for OPTIONS." },
                { "OWNER{x}=\"root\"", "Invalid attribute for OWNER." },
                { "OWNER==\"root\"", "Invalid operator for OWNER." },
                { "GROUP-=\"root\"", "Invalid operator for GROUP." },
                { "MODE{x}=\"0600\"", "Invalid attribute for MODE." },
                { "MODE!=\"0600\"", "Invalid operator for MODE." },
                { "SECLABEL=\"x\"", "Invalid attribute for SECLABEL." },
                { "SECLABEL{selinux}==\"x\"", "Invalid operator for SECLABEL." },
                { "RUN==\"x\"", "Invalid operator for RUN." },
                { "RUN-=\"x\"", "Invalid operator for RUN." },
                { "GOTO{x}=\"a\"", "Invalid attribute for GOTO." },
                { "LABEL:=\"a\"", "Invalid operator for LABEL." },
                { "SYSFS{vendor}==\"x\"", "Invalid key 'SYSFS'" },
                { "BUS==\"usb\"", "Invalid key 'BUS'" },
                { "kernel==\"sda\"", "Invalid key 'kernel'" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
                _cleanup_free_ char *text = strjoin_real(cases[i].line, ", TAG+=\"a\"\n", NULL);
                _cleanup_free_ char *expected =
                        strjoin_real("test.rules:1 ", cases[i].message, "\n", NULL);
                LogCapture cap;

                rules = parse(text, &cap);
                ck_assert_msg(streq(cap.buf, expected), "%s: log is\n%s", cases[i].line, cap.buf);
                ck_assert_uint_eq(only_file(rules)->n_lines, 0);
        }
}
END_TEST

/* ---- format errors: logged, the token is kept ---- */

START_TEST(test_format_errors_keep_the_token) {
        static const char text[] = "SYMLINK+=\"a%zb\"\n" /* 1 */
                                   "SYMLINK+=\"x%s\"\n" /* 2 */
                                   "ENV{A}=\"$env\"\n" /* 3 */
                                   "SYMLINK+=\"%c{x}\"\n" /* 4 */
                                   "SYMLINK+=\"%c{2+} $result{1} %c\"\n" /* 5: valid */
                                   "TAG+=\"\"\n" /* 6 */
                                   "RUN+=\"\"\n" /* 7 */
                                   "ATTR{%q}=\"1\"\n" /* 8 */
                                   "ATTRS{a$}==\"1\", TAG+=\"t\"\n" /* 9 */
                                   "SYMLINK+=\"%s{}\"\n" /* 10 */
                                   "SYMLINK+=\"%E{unterminated\"\n" /* 11 */
                                   "SYMLINK+=\"$$ %% $kernel %k\"\n" /* 12: valid */
                                   "TEST==\"\", TAG+=\"t\"\n" /* 13 */
                                   "KERNEL==\"%z\", TAG+=\"t\"\n"; /* 14: matches are not checked */
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        LogCapture cap;

        rules = parse(text, &cap);
        assert_log(&cap,
                   "test.rules:1 Invalid value \"a%zb\" for SYMLINK (char 2: invalid substitution "
                   "type), ignoring.\n"
                   "test.rules:2 Invalid value \"x%s\" for SYMLINK (char 4: attribute value "
                   "missing), ignoring.\n"
                   "test.rules:3 Invalid value \"$env\" for ENV (char 5: attribute value missing), "
                   "ignoring.\n"
                   "test.rules:4 Invalid value \"%c{x}\" for SYMLINK (char 6: attribute value not "
                   "a valid number), ignoring.\n"
                   "test.rules:6 Invalid value \"\" for TAG (char 0: empty value), ignoring.\n"
                   "test.rules:7 Invalid value \"\" for RUN (char 0: empty value), ignoring.\n"
                   "test.rules:8 Invalid attribute \"%q\" for ATTR (char 1: invalid substitution "
                   "type), ignoring.\n"
                   "test.rules:9 Invalid attribute \"a$\" for ATTRS (char 2: invalid substitution "
                   "type), ignoring.\n"
                   "test.rules:10 Invalid value \"%s{}\" for SYMLINK (char 1: invalid substitution "
                   "type), ignoring.\n"
                   "test.rules:11 Invalid value \"%E{unterminated\" for SYMLINK (char 1: invalid "
                   "substitution type), ignoring.\n"
                   "test.rules:13 Invalid value \"\" for TEST (char 0: empty value), ignoring.\n");
        ck_assert_uint_eq(only_file(rules)->n_lines, 14);
        assert_line(rules, 1, "SYMLINK+=\"a%zb\"(subst)");
        assert_line(rules, 8, "ATTR{%q}=\"1\"");
        assert_line(rules, 13, "TEST==[\"\"](empty) TAG+=\"t\"");
}
END_TEST

/* ---- warnings: the token is kept, with the operator udev assumes ---- */

START_TEST(test_warnings_and_coerced_operators) {
        static const char text[] =
                "NAME+=\"lan0\"\n" /* 1 */
                "ENV{A}:=\"1\"\n" /* 2 */
                "TAG:=\"t\"\n" /* 3 */
                "ATTR{a}+=\"1\"\n" /* 4 */
                "SYSCTL{k}:=\"1\"\n" /* 5 */
                "OWNER+=\"root\"\n" /* 6 */
                "GROUP+=\"tty\"\n" /* 7 */
                "MODE+=\"0600\"\n" /* 8 */
                "SECLABEL{selinux}:=\"x\"\n" /* 9 */
                "SUBSYSTEM==\"bus\", TAG+=\"t\"\n" /* 10 */
                "SUBSYSTEM==\"class\", TAG+=\"t\"\n" /* 11 */
                "ATTRS{device/vendor}==\"x\", TAG+=\"t\"\n" /* 12 */
                "ATTRS{../x}==\"x\", TAG+=\"t\"\n" /* 13 */
                "KERNEL==\"a\", GOTO=\"e\", GOTO=\"f\"\n" /* 14 */
                "OPTIONS+=\"last_rule\"\n" /* 15 */
                "OPTIONS+=\"watch,db_persist\", TAG+=\"t\"\n" /* 16 */
                "KERNEL==\"sda\", ACTION==\"add\"\n" /* 17 */
                "PROGRAM=\"/bin/p\", IMPORT{db}+=\"K\", OPTIONS+=\"db_persist\"\n" /* 18: silent */
                "LABEL=\"e\"\n"; /* 19 */
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        LogCapture cap;

        rules = parse(text, &cap);
        assert_log(&cap,
                   "test.rules:1 NAME key takes '==', '!=', '=', or ':=' operator, assuming '='.\n"
                   "test.rules:2 ENV key takes '==', '!=', '=', or '+=' operator, assuming '='.\n"
                   "test.rules:3 TAG key takes '==', '!=', '=', or '+=' operator, assuming '='.\n"
                   "test.rules:4 ATTR key takes '==', '!=', or '=' operator, assuming '='.\n"
                   "test.rules:5 SYSCTL key takes '==', '!=', or '=' operator, assuming '='.\n"
                   "test.rules:6 OWNER key takes '=' or ':=' operator, assuming '='.\n"
                   "test.rules:7 GROUP key takes '=' or ':=' operator, assuming '='.\n"
                   "test.rules:8 MODE key takes '=' or ':=' operator, assuming '='.\n"
                   "test.rules:9 SECLABEL key takes '=' or '+=' operator, assuming '='.\n"
                   "test.rules:10 \"bus\" must be specified as \"subsystem\".\n"
                   "test.rules:11 \"class\" must be specified as \"subsystem\".\n"
                   "test.rules:12 'device' link may not be available in future kernels.\n"
                   "test.rules:13 Direct reference to parent sysfs directory, may break in future "
                   "kernels.\n"
                   "test.rules:14 Contains multiple GOTO keys, ignoring GOTO=\"f\".\n"
                   "test.rules:15 Invalid value for OPTIONS key, ignoring: 'last_rule'\n"
                   "test.rules:15 The line takes no effect, ignoring.\n"
                   "test.rules:16 Invalid value for OPTIONS key, ignoring: 'watch,db_persist'\n"
                   "test.rules:17 The line takes no effect, ignoring.\n");
        assert_line(rules, 1, "NAME=\"lan0\"");
        assert_line(rules, 2, "ENV{A}=\"1\"");
        assert_line(rules, 3, "TAG=\"t\"");
        assert_line(rules, 4, "ATTR{a}=\"1\"");
        assert_line(rules, 5, "SYSCTL{k}=\"1\"");
        assert_line(rules, 6, "OWNER{id}=0");
        assert_line(rules, 7, "GROUP{id}=5");
        assert_line(rules, 8, "MODE{id}=0600");
        assert_line(rules, 9, "SECLABEL{selinux}=\"x\"");
        assert_line(rules, 10, "SUBSYSTEM==[\"bus\"](subsystem) TAG+=\"t\"");
        assert_line(rules, 14, "KERNEL==[\"a\"](plain) GOTO=\"e\"->16");
        assert_dropped(rules, 15);
        assert_line(rules, 16, "TAG+=\"t\"");
        assert_dropped(rules, 17);
        /* PROGRAM= and IMPORT+= are matches; OPTIONS+= is OPTIONS=; none of them warns. */
        assert_line(rules, 18,
                    "PROGRAM==[\"/bin/p\"](plain) IMPORT{db}==[\"K\"](plain) OPTIONS{db_persist}=");
}
END_TEST

/* ---- token order ---- */

START_TEST(test_token_order) {
        static const char text[] =
                "RUN+=\"/bin/r\", RUN{builtin}+=\"kmod load x\", SYMLINK+=\"l\", ATTR{a}=\"1\", "
                "NAME=\"n\", ENV{E}=\"1\", SECLABEL{selinux}=\"s\", OPTIONS+=\"static_node=null\", "
                "TAG+=\"t\", MODE=\"0600\", GROUP=\"tty\", OWNER=\"%c{1}\", "
                "OPTIONS+=\"log_level=debug\", "
                "OPTIONS+=\"link_priority=5\", OPTIONS+=\"watch\", OPTIONS+=\"db_persist\", "
                "OPTIONS+=\"string_escape=replace\", OPTIONS+=\"string_escape=none\", "
                "RESULT==\"r\", "
                "IMPORT{parent}=\"P\", IMPORT{cmdline}=\"c\", IMPORT{db}=\"d\", "
                "IMPORT{builtin}=\"hwdb\", "
                "IMPORT{program}=\"/bin/i\", IMPORT{file}=\"/f\", PROGRAM==\"/bin/p\", "
                "TEST==\"/t\", "
                "TAGS==\"x\", ATTRS{v}==\"a\", DRIVERS==\"d\", SUBSYSTEMS==\"s\", KERNELS==\"k\", "
                "SYSCTL{k}==\"1\", ATTR{b}==\"2\", DRIVER==\"drv\", SUBSYSTEM==\"block\", "
                "TAG==\"tg\", "
                "CONST{arch}==\"x86-64\", ENV{X}==\"1\", NAME==\"eth0\", SYMLINK==\"sl\", "
                "KERNEL==\"sda\", "
                "DEVPATH==\"/d\", ACTION==\"add\", SYSCTL{w}=\"1\"\n";
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        const UdevRuleLine *l;
        LogCapture cap;

        rules = parse(text, &cap);
        assert_log(&cap, "");
        assert_line(
                rules, 1,
                "ACTION==[\"add\"](plain) DEVPATH==[\"/d\"](plain) KERNEL==[\"sda\"](plain) "
                "SYMLINK==[\"sl\"](plain) NAME==[\"eth0\"](plain) ENV{X}==[\"1\"](plain) "
                "CONST{arch}==[\"x86-64\"](plain) TAG==[\"tg\"](plain) "
                "SUBSYSTEM==[\"block\"](plain) "
                "DRIVER==[\"drv\"](plain) ATTR{b}==[\"2\"](plain) SYSCTL{k}==[\"1\"](plain) "
                "(KERNELS==[\"k\"](plain) SUBSYSTEMS==[\"s\"](plain) DRIVERS==[\"d\"](plain) "
                "ATTRS{v}==[\"a\"](plain) TAGS==[\"x\"](plain)) TEST==[\"/t\"](plain) "
                "PROGRAM==[\"/bin/p\"](plain) IMPORT{file}==[\"/f\"](plain) "
                "IMPORT{program}==[\"/bin/i\"](plain) IMPORT{builtin}==[\"hwdb\"](plain)(hwdb) "
                "IMPORT{db}==[\"d\"](plain) IMPORT{cmdline}==[\"c\"](plain) "
                "IMPORT{parent}==[\"P\"](plain) RESULT==[\"r\"](plain) "
                "OPTIONS{string_escape=none}= OPTIONS{string_escape=replace}= OPTIONS{db_persist}= "
                "OPTIONS{watch}=1 OPTIONS{link_priority}=5 OPTIONS{log_level}=7 "
                "OWNER=\"%c{1}\"(subst) GROUP{id}=5 MODE{id}=0600 TAG+=\"t\" "
                "OPTIONS{static_node}=\"null\" SECLABEL{selinux}=\"s\" ENV{E}=\"1\" NAME=\"n\" "
                "SYMLINK+=\"l\" ATTR{a}=\"1\" SYSCTL{w}=\"1\" RUN{builtin}+=\"kmod load x\"(kmod) "
                "RUN{program}+=\"/bin/r\"");
        l = find_line(rules, 1);
        ck_assert_uint_eq(l->parents_begin, 12);
        ck_assert_uint_eq(l->parents_end, 17);
        ck_assert_int_eq(l->flags, UDEV_RULE_LINE_HAS_NAME | UDEV_RULE_LINE_HAS_DEVLINK |
                                           UDEV_RULE_LINE_HAS_STATIC_NODE |
                                           UDEV_RULE_LINE_UPDATE_SOMETHING);
}
END_TEST

START_TEST(test_token_order_is_stable) {
        static const char text[] =
                "ENV{B}=\"2\", KERNEL==\"a\", ENV{A}=\"1\", KERNEL!=\"b\", ENV{B}+=\"3\"\n"
                "ENV{X}=\"1\", SYMLINK+=\"$env{X}\"\n"
                "SYMLINK+=\"$env{X}\", ENV{X}=\"1\"\n";
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        LogCapture cap;

        rules = parse(text, &cap);
        assert_line(rules, 1,
                    "KERNEL==[\"a\"](plain) KERNEL!=[\"b\"](plain) ENV{B}=\"2\" ENV{A}=\"1\" "
                    "ENV{B}+=\"3\"");
        /* ENV runs before SYMLINK whatever the written order. */
        assert_line(rules, 2, "ENV{X}=\"1\" SYMLINK+=\"$env{X}\"(subst)");
        assert_line(rules, 3, "ENV{X}=\"1\" SYMLINK+=\"$env{X}\"(subst)");
        ck_assert_uint_eq(find_line(rules, 2)->parents_begin, find_line(rules, 2)->parents_end);
}
END_TEST

/* ---- lines: continuation, comments, whitespace, limits ---- */

START_TEST(test_continuation) {
        static const char text[] =
                "KERNEL==\"sda\", \\\n" /* 1 */
                "TAG+=\"a\"\n" /* 2: line 2 */
                "KERNEL==\"sda\",\\\n" /* 3 */
                "# comment in continuation\n" /* 4 */
                "TAG+=\"b\",\\\n" /* 5 */
                "  # space before comment\n" /* 6 */
                "  TAG+=\"c\",   \\\n" /* 7 */
                "\\\n" /* 8 */
                " \\\n" /* 9 */
                "TAG+=\"d\"\n" /* 10: line 10 */
                "KERNEL==\"sda\", TAG+=\"e\" \\\n" /* 11 */
                "\n" /* 12: blank ends it, line 12 */
                "TAG+=\"f\"\n" /* 13 */
                "KERNEL==\"sda\", TAG+=\"g\" \\\n" /* 14 */
                "   \t\n" /* 15: whitespace only ends it */
                "KERNEL==\"sda\", TAG+=\"h\" \\\n" /* 16 */
                "KERNEL==\"sdb\", TAG+=\"i\"\n" /* 17: joined */
                "KERNEL==\"sda\", TAG+=\"j\"\\\\\n" /* 18: "\\" ends in a backslash */
                "TAG+=\"k\"\n" /* 19 */
                "KERNEL==\"sda\", BAD \\\n" /* 20 */
                "TAG+=\"l\"\n" /* 21 */
                "TAG+=\"m\" \\\n"; /* 22: EOF: dropped silently */
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        LogCapture cap;

        rules = parse(text, &cap);
        assert_log(&cap, "test.rules:19 Invalid key '\\TAG'\n"
                         "test.rules:21 Invalid key/value pair, ignoring.\n");
        ck_assert_uint_eq(only_file(rules)->n_lines, 6);
        assert_line(rules, 2, "KERNEL==[\"sda\"](plain) TAG+=\"a\"");
        assert_line(rules, 10, "KERNEL==[\"sda\"](plain) TAG+=\"b\" TAG+=\"c\" TAG+=\"d\"");
        assert_line(rules, 12, "KERNEL==[\"sda\"](plain) TAG+=\"e\"");
        assert_line(rules, 13, "TAG+=\"f\"");
        assert_line(rules, 15, "KERNEL==[\"sda\"](plain) TAG+=\"g\"");
        assert_line(rules, 17,
                    "KERNEL==[\"sda\"](plain) KERNEL==[\"sdb\"](plain) TAG+=\"h\" TAG+=\"i\"");
}
END_TEST

START_TEST(test_comments_and_separators) {
        static const char text[] = "# comment\n"
                                   "   # indented comment\n"
                                   "\n"
                                   "KERNEL==\"sda\" TAG+=\"ws\"\n" /* 4 */
                                   "KERNEL==\"sda\",,, TAG+=\"commas\",\n" /* 5 */
                                   "KERNEL==\"sda\"TAG+=\"glued\"\n" /* 6 */
                                   "\t  KERNEL == \"sda\" , TAG += \"spaces\"   \n" /* 7 */
                                   "KERNEL==\"sda\", TAG+=\"#not-a-comment\"\n"; /* 8 */
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        LogCapture cap;

        rules = parse(text, &cap);
        assert_log(&cap, "");
        assert_line(rules, 4, "KERNEL==[\"sda\"](plain) TAG+=\"ws\"");
        assert_line(rules, 5, "KERNEL==[\"sda\"](plain) TAG+=\"commas\"");
        assert_line(rules, 6, "KERNEL==[\"sda\"](plain) TAG+=\"glued\"");
        assert_line(rules, 7, "KERNEL==[\"sda\"](plain) TAG+=\"spaces\"");
        assert_line(rules, 8, "KERNEL==[\"sda\"](plain) TAG+=\"#not-a-comment\"");
}
END_TEST

START_TEST(test_line_endings) {
        static const char text[] =
                "TAG+=\"crlf\"\r\nTAG+=\"cr\"\rTAG+=\"nul\"\0TAG+=\"lfcr\"\n\rX=\"5\"\n\nY=\"7\"";
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        LogCapture cap;

        ck_assert_int_eq(udev_rules_new(UDEV_RULES_RESOLVE_NAME_EARLY, &rules), 0);
        capture_start(&cap);
        ck_assert_int_eq(udev_rules_parse_buffer(rules, "test.rules", text, sizeof text - 1), 0);
        log_capture_stop();
        assert_log(&cap, "test.rules:5 Invalid key 'X'\ntest.rules:7 Invalid key 'Y'\n");
        assert_line(rules, 1, "TAG+=\"crlf\"");
        assert_line(rules, 2, "TAG+=\"cr\"");
        assert_line(rules, 3, "TAG+=\"nul\"");
        assert_line(rules, 4, "TAG+=\"lfcr\"");
}
END_TEST

START_TEST(test_line_too_long) {
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        _cleanup_free_ char *text = NULL;
        size_t n = 0;
        LogCapture cap;

        /* A joined line of 2001 physical lines, far over 16384 bytes, then valid lines. */
        text = malloc(100000);
        ck_assert_ptr_nonnull(text);
        n += (size_t) sprintf(text + n, "KERNEL==\"sda\", \\\n");
        for (unsigned i = 1; i < 2000; i++)
                n += (size_t) sprintf(text + n, "TAG+=\"test%u\",\\\n", i);
        n += (size_t) sprintf(text + n, "TAG+=\"test2000\"\nTAG+=\"after\"\n");

        rules = parse(text, &cap);
        assert_log(&cap, "test.rules:2001: Line is too long, ignored\n");
        ck_assert_uint_eq(only_file(rules)->n_lines, 1);
        assert_line(rules, 2002, "TAG+=\"after\"");
}
END_TEST

START_TEST(test_physical_line_limit) {
        _cleanup_(udev_rules_freep) UdevRules *ok = NULL, *cut = NULL;
        _cleanup_free_ char *text = NULL;
        const size_t max = UDEV_RULES_LINE_SIZE - 1;
        LogCapture cap;
        int r;

        /* 16383 bytes are a line; a GOTO before a longer line stays unresolved and everything
         * after it is lost (udev stops reading the file there). */
        text = malloc(3 * UDEV_RULES_LINE_SIZE);
        ck_assert_ptr_nonnull(text);
        strcpy(text, "TAG+=\"");
        memset(text + 6, 'x', max - 7);
        strcpy(text + max - 1, "\"\nKERNEL==\"a\", GOTO=\"end\"\nTAG+=\"");
        ok = parse(text, &cap); /* unterminated last value: that line is bad */
        ck_assert_uint_eq(strlen(find_line(ok, 1)->tokens[0].value), max - 7);

        strcpy(text + max - 1, "\"\nKERNEL==\"a\", GOTO=\"end\"\nTAG+=\"");
        memset(text + strlen(text), 'y', UDEV_RULES_LINE_SIZE);
        strcpy(text + strlen(text) - 1, "\"\nFOO=\"x\"\nLABEL=\"end\"\n");
        ck_assert_int_eq(udev_rules_new(UDEV_RULES_RESOLVE_NAME_EARLY, &cut), 0);
        capture_start(&cap);
        r = udev_rules_parse_buffer(cut, "test.rules", text, strlen(text));
        log_capture_stop();
        ck_assert_int_eq(r, -ENOBUFS);
        assert_log(&cap, "");
        ck_assert_uint_eq(only_file(cut)->n_lines, 2);
        ck_assert_int_eq(find_line(cut, 2)->goto_line, -1);
        ck_assert(find_line(cut, 2)->flags & UDEV_RULE_LINE_HAS_GOTO);
}
END_TEST

/* ---- values ---- */

START_TEST(test_values) {
        static const char
                text[] = "KERNEL==\"a|b||c|\", TAG+=\"t\"\n" /* 1 */
                         "KERNEL==\"|\", TAG+=\"t\"\n" /* 2 */
                         "KERNEL==\"sd*|vd?\", TAG+=\"t\"\n" /* 3 */
                         "KERNEL==\"?*\", TAG+=\"t\"\n" /* 4 */
                         "KERNEL!=\"?*\", TAG+=\"t\"\n" /* 5 */
                         "KERNEL==\"\", TAG+=\"t\"\n" /* 6 */
                         "SUBSYSTEM==\"subsystem\", TAG+=\"t\"\n" /* 7 */
                         "SUBSYSTEM==\"subsystem|bus\", TAG+=\"t\"\n" /* 8 */
                         "PROGRAM==\"/bin/echo a|b\", RESULT==\"a|b\"\n" /* 9 */
                         "TEST==\"a|b\", TAG+=\"a|b\"\n" /* 10 */
                         "KERNEL==\"a\\\"b\", TAG+=\"c\\d\"\n" /* 11 */
                         "TAG+=e\"x\\ty\\x41\\101\\u00e9\\\"z\"\n" /* 12 */
                         "TAG+=e\"bad\\q\"\n" /* 13 */
                         "TAG+=e\"nul\\x00\"\n" /* 14 */
                         "KERNEL==e\"a\\x7cb\", TAG+=\"t\"\n" /* 15 */
                         "ATTR{x}==\"a \", ATTR{y}==\"a\", ATTR{z}==\"\", TAG+=\"t\"\n" /* 16 */
                         "ATTR{[block/sda]size}==\"1\", ATTRS{%k}==\"1\", ATTR{p}==\"1\", "
                         "TAG+=\"t\"\n"; /* 17 */
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        const UdevRuleLine *l;
        LogCapture cap;

        rules = parse(text, &cap);
        assert_log(&cap, "test.rules:13 Invalid key/value pair, ignoring.\n"
                         "test.rules:14 Invalid key/value pair, ignoring.\n");
        assert_line(rules, 1, "KERNEL==[\"a\",\"b\",\"c\"](plain|) TAG+=\"t\"");
        assert_line(rules, 2, "KERNEL==[](plain|) TAG+=\"t\"");
        assert_line(rules, 3, "KERNEL==[\"sd*\",\"vd?\"](glob) TAG+=\"t\"");
        assert_line(rules, 4, "KERNEL!=[\"?*\"](empty) TAG+=\"t\"");
        assert_line(rules, 5, "KERNEL==[\"?*\"](empty) TAG+=\"t\"");
        assert_line(rules, 6, "KERNEL==[](empty) TAG+=\"t\"");
        assert_line(rules, 7, "SUBSYSTEM==[\"subsystem\"](subsystem) TAG+=\"t\"");
        assert_line(rules, 8, "SUBSYSTEM==[\"subsystem\",\"bus\"](plain) TAG+=\"t\"");
        assert_line(rules, 9, "PROGRAM==[\"/bin/echo a|b\"](plain) RESULT==[\"a\",\"b\"](plain)");
        assert_line(rules, 10, "TEST==[\"a|b\"](plain) TAG+=\"a|b\"");
        assert_line(rules, 11, "KERNEL==[\"a\"b\"](plain) TAG+=\"c\\d\"");
        assert_line(rules, 12,
                    "TAG+=\"x\ty"
                    "AA\xc3\xa9\"z\"");
        assert_line(rules, 15, "KERNEL==[\"a\",\"b\"](plain) TAG+=\"t\"");

        l = find_line(rules, 16);
        ck_assert(l->tokens[0].attr_match_remove_trailing_whitespace == false);
        ck_assert(l->tokens[1].attr_match_remove_trailing_whitespace == true);
        ck_assert(l->tokens[2].attr_match_remove_trailing_whitespace == false);
        ck_assert_int_eq(l->tokens[0].attr_subst, UDEV_RULE_SUBST_PLAIN);
        l = find_line(rules, 17);
        ck_assert_int_eq(l->tokens[0].attr_subst, UDEV_RULE_SUBST_SUBSYS);
        ck_assert_int_eq(l->tokens[1].attr_subst, UDEV_RULE_SUBST_PLAIN);
        ck_assert_int_eq(l->tokens[2].attr_subst, UDEV_RULE_SUBST_FORMAT);
        ck_assert_uint_eq(l->parents_begin, 2);
        ck_assert_uint_eq(l->parents_end, 3);
}
END_TEST

START_TEST(test_match_string) {
        static const char text[] =
                "KERNEL==\"sda|sdb\", KERNEL!=\"sd*\", KERNEL==\"|vd*\", KERNEL==\"?*\", "
                "SUBSYSTEM==\"class\", KERNEL==\"|x\", KERNEL==\"\", TAG+=\"t\"\n";
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        const UdevRuleToken *t;
        LogCapture cap;

        rules = parse(text, &cap);
        t = find_line(rules, 1)->tokens;
        ck_assert(udev_rule_token_match_string(&t[0], "sdb"));
        ck_assert(!udev_rule_token_match_string(&t[0], "sdc"));
        ck_assert(!udev_rule_token_match_string(&t[1], "sdc"));
        ck_assert(udev_rule_token_match_string(&t[1], "vda"));
        ck_assert(udev_rule_token_match_string(&t[2], NULL));
        ck_assert(udev_rule_token_match_string(&t[2], "vdz"));
        ck_assert(!udev_rule_token_match_string(&t[2], "sda"));
        ck_assert(udev_rule_token_match_string(&t[3], "x"));
        ck_assert(!udev_rule_token_match_string(&t[3], ""));
        ck_assert(udev_rule_token_match_string(&t[4], ""));
        ck_assert(udev_rule_token_match_string(&t[4], "x"));
        ck_assert(!udev_rule_token_match_string(&t[4], "y"));
        ck_assert(udev_rule_token_match_string(&t[5], NULL));
        ck_assert(!udev_rule_token_match_string(&t[5], "a"));
        /* SUBSYSTEM=="class" matches devices of the subsystems "subsystem", "bus" and "class". */
        ck_assert_int_eq(t[6].type, UDEV_TK_M_SUBSYSTEM);
        ck_assert(udev_rule_token_match_string(&t[6], "bus"));
        ck_assert(!udev_rule_token_match_string(&t[6], "block"));
}
END_TEST

/* ---- keys with decoded values ---- */

START_TEST(test_owner_group_mode) {
        static const char text[] =
                "OWNER=\"daemon\"\n" /* 1 */
                "OWNER=\"1000\"\n" /* 2: numeric, no lookup */
                "OWNER=\"nosuchuser\"\n" /* 3 */
                "GROUP=\"eio\"\n" /* 4 */
                "GROUP:=\"audio\"\n" /* 5 */
                "OWNER=\"%c{1}\", GROUP=\"$env{G}\", MODE=\"%c{3}\"\n" /* 6 */
                "MODE=\"0660\"\n" /* 7 */
                "MODE=\"abc\"\n" /* 8 */
                "MODE=\"\"\n" /* 9 */
                "OWNER=\"daemon\", GROUP=\"daemon\"\n"; /* 10: cached user, unknown group */
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        const UdevRuleLine *l;
        LogCapture cap;
        unsigned calls = 0;

        ck_assert_int_eq(udev_rules_new(UDEV_RULES_RESOLVE_NAME_EARLY, &rules), 0);
        udev_rules_set_resolver(rules, table_resolve, &calls);
        capture_start(&cap);
        ck_assert_int_eq(udev_rules_parse_buffer(rules, "test.rules", text, strlen(text)), 0);
        log_capture_stop();
        assert_log(&cap,
                   "test.rules:3 Unknown user 'nosuchuser', ignoring\n"
                   "test.rules:4 Failed to resolve group 'eio', ignoring: Input/output error\n"
                   "test.rules:9 Invalid value \"\" for MODE (char 0: empty value), ignoring.\n"
                   "test.rules:10 Unknown group 'daemon', ignoring\n");
        assert_line(rules, 1, "OWNER{id}=1");
        assert_line(rules, 2, "OWNER{id}=1000");
        assert_line(rules, 3, "OWNER{id}=-1");
        assert_line(rules, 4, "GROUP{id}=-1");
        assert_line(rules, 5, "GROUP{id}:=29");
        assert_line(rules, 6,
                    "OWNER=\"%c{1}\"(subst) GROUP=\"$env{G}\"(subst) MODE=\"%c{3}\"(subst)");
        assert_line(rules, 7, "MODE{id}=0660");
        assert_line(rules, 8, "MODE=\"abc\"");
        assert_line(rules, 10, "OWNER{id}=1 GROUP{id}=-1");
        l = find_line(rules, 3);
        ck_assert_uint_eq(l->tokens[0].data.uid, UID_INVALID);
        ck_assert_int_eq(l->flags, UDEV_RULE_LINE_HAS_DEVLINK);
        /* daemon, nosuchuser, eio, audio, daemon (group): the user daemon came from the cache. */
        ck_assert_uint_eq(calls, 5);
}
END_TEST

START_TEST(test_resolve_names_late_and_never) {
        static const char text[] = "OWNER=\"daemon\", GROUP=\"tty\", MODE=\"0600\"\nOWNER=\"\"\n";
        _cleanup_(udev_rules_freep) UdevRules *late = NULL, *never = NULL;
        LogCapture cap;

        late = parse_timing(text, &cap, UDEV_RULES_RESOLVE_NAME_LATE);
        assert_log(&cap,
                   "test.rules:2 Invalid value \"\" for OWNER (char 0: empty value), ignoring.\n");
        assert_line(late, 1, "OWNER=\"daemon\" GROUP=\"tty\" MODE{id}=0600");
        never = parse_timing(text, &cap, UDEV_RULES_RESOLVE_NAME_NEVER);
        assert_log(&cap, "test.rules:1 User name resolution is disabled, ignoring OWNER=daemon\n"
                         "test.rules:1 Resolving group name is disabled, ignoring GROUP=\"tty\"\n"
                         "test.rules:2 User name resolution is disabled, ignoring OWNER=\n"
                         "test.rules:2 The line takes no effect, ignoring.\n");
        assert_line(never, 1, "MODE{id}=0600");
}
END_TEST

START_TEST(test_options) {
        static const char text[] =
                "OPTIONS+=\"string_escape=none\", OPTIONS=\"string_escape=replace\", "
                "OPTIONS:=\"db_persist\"\n"
                "OPTIONS+=\"watch\", OPTIONS+=\"nowatch\"\n"
                "OPTIONS+=\"link_priority=-100\", OPTIONS+=\"link_priority=0x10\"\n"
                "OPTIONS+=\"log_level=err\", OPTIONS+=\"log_level=reset\", "
                "OPTIONS+=\"log_level=6\"\n"
                "OPTIONS+=\"log_level=8\"\n"
                "OPTIONS+=\"log_level=DEBUG\"\n"
                "OPTIONS+=\"link_priority=99999999999\"\n"
                "KERNEL==\"tty0\", OPTIONS+=\"static_node=tty0\", GROUP=\"tty\"\n";
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        LogCapture cap;

        rules = parse(text, &cap);
        assert_log(&cap, "test.rules:5 Failed to parse log level '8': Invalid argument\n"
                         "test.rules:6 Failed to parse log level 'DEBUG': Invalid argument\n"
                         "test.rules:7 Failed to parse link priority '99999999999': Numerical "
                         "result out of range\n");
        assert_line(rules, 1,
                    "OPTIONS{string_escape=none}= OPTIONS{string_escape=replace}= "
                    "OPTIONS{db_persist}:=");
        assert_line(rules, 2, "OPTIONS{watch}=1 OPTIONS{watch}=0");
        assert_line(rules, 3, "OPTIONS{link_priority}=-100 OPTIONS{link_priority}=16");
        assert_line(rules, 4, "OPTIONS{log_level}=3 OPTIONS{log_level}=-1 OPTIONS{log_level}=6");
        assert_line(rules, 8,
                    "KERNEL==[\"tty0\"](plain) GROUP{id}=5 OPTIONS{static_node}=\"tty0\"");
        ck_assert_int_eq(find_line(rules, 8)->flags,
                         UDEV_RULE_LINE_HAS_DEVLINK | UDEV_RULE_LINE_HAS_STATIC_NODE);
}
END_TEST

START_TEST(test_builtins_and_imports) {
        static const char text[] =
                "IMPORT{program}=\"path_id %p\"\n" /* 1: a builtin after all */
                "IMPORT{program}=\"/lib/udev/x\"\n" /* 2 */
                "IMPORT{builtin}=\"path\"\n" /* 3: prefix of path_id */
                "IMPORT{builtin}=\"  usb_id  x\"\n" /* 4 */
                "RUN{builtin}+=\"net_setup_link\"\n" /* 5 */
                "RUN{program}+=\"x\", RUN+=\"y\"\n" /* 6 */
                "TEST{0644}==\"/x\", TEST{}==\"/y\", TEST!=\"z\", TAG+=\"t\"\n" /* 7 */
                "CONST{virt}==\"kvm\", CONST{arch}!=\"arm\", TAG+=\"t\"\n"; /* 8 */
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        const UdevRuleLine *l;
        LogCapture cap;

        rules = parse(text, &cap);
        assert_log(&cap, "test.rules:1 Found builtin command 'path_id %p' for IMPORT, replacing "
                         "attribute\n");
        assert_line(rules, 1, "IMPORT{builtin}==[\"path_id %p\"](plain)(path_id)(subst)");
        assert_line(rules, 2, "IMPORT{program}==[\"/lib/udev/x\"](plain)");
        assert_line(rules, 3, "IMPORT{builtin}==[\"path\"](plain)(path_id)");
        assert_line(rules, 4, "IMPORT{builtin}==[\"  usb_id  x\"](plain)(usb_id)");
        assert_line(rules, 5, "RUN{builtin}+=\"net_setup_link\"(net_setup_link)");
        assert_line(rules, 6, "RUN{program}+=\"x\" RUN{program}+=\"y\"");
        assert_line(rules, 7,
                    "TEST==[\"/x\"](plain)(mode 0644) TEST==[\"/y\"](plain) TEST!=[\"z\"](plain) "
                    "TAG+=\"t\"");
        l = find_line(rules, 7);
        ck_assert_uint_eq(l->tokens[1].data.mode, UDEV_RULES_MODE_INVALID);
        assert_line(rules, 8,
                    "CONST{virt}==[\"kvm\"](plain) CONST{arch}!=[\"arm\"](plain) TAG+=\"t\"");

        ck_assert_int_eq(udev_rules_builtin_lookup(""), UDEV_RULES_BUILTIN_BLKID);
        ck_assert_int_eq(udev_rules_builtin_lookup("k"), UDEV_RULES_BUILTIN_KEYBOARD);
        ck_assert_int_eq(udev_rules_builtin_lookup("kmod load"), UDEV_RULES_BUILTIN_KMOD);
        ck_assert_int_eq(udev_rules_builtin_lookup("uaccess"), UDEV_RULES_BUILTIN_UACCESS);
        ck_assert_int_eq(udev_rules_builtin_lookup("hwdbx"), _UDEV_RULES_BUILTIN_INVALID);
        ck_assert_str_eq(udev_rules_builtin_to_string(UDEV_RULES_BUILTIN_NET_SETUP_LINK),
                         "net_setup_link");
}
END_TEST

/* ---- line kinds ---- */

START_TEST(test_line_flags) {
        static const char text[] = "KERNEL==\"sda\", SYMLINK+=\"disk\", MODE=\"0600\"\n" /* 1 */
                                   "KERNEL==\"eth0\", NAME=\"lan0\"\n" /* 2 */
                                   "KERNEL==\"null\", OPTIONS+=\"static_node=null\"\n" /* 3 */
                                   "LABEL=\"x\"\n" /* 4 */
                                   "KERNEL==\"a\", IMPORT{db}=\"K\"\n"; /* 5 */
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        const UdevRuleLine *devlink, *name, *stat_node, *label, *import;
        LogCapture cap;

        rules = parse(text, &cap);
        devlink = find_line(rules, 1);
        name = find_line(rules, 2);
        stat_node = find_line(rules, 3);
        label = find_line(rules, 4);
        import = find_line(rules, 5);
        ck_assert_int_eq(devlink->flags, UDEV_RULE_LINE_HAS_DEVLINK);
        ck_assert_int_eq(name->flags, UDEV_RULE_LINE_HAS_NAME);
        ck_assert_int_eq(stat_node->flags, UDEV_RULE_LINE_HAS_STATIC_NODE);
        ck_assert_int_eq(label->flags, UDEV_RULE_LINE_HAS_LABEL);
        ck_assert_int_eq(import->flags, UDEV_RULE_LINE_UPDATE_SOMETHING);

        /* add of a block device: devlink lines run, NAME-only lines do not */
        ck_assert(udev_rule_line_wanted(devlink, false, true, false));
        ck_assert(!udev_rule_line_wanted(name, false, true, false));
        /* a network interface: the other way round */
        ck_assert(!udev_rule_line_wanted(devlink, false, false, true));
        ck_assert(udev_rule_line_wanted(name, false, false, true));
        /* remove: neither */
        ck_assert(!udev_rule_line_wanted(devlink, true, true, true));
        ck_assert(!udev_rule_line_wanted(name, true, true, true));
        ck_assert(!udev_rule_line_wanted(stat_node, false, true, true));
        ck_assert(!udev_rule_line_wanted(label, false, true, true));
        ck_assert(udev_rule_line_wanted(import, true, false, false));
}
END_TEST

/* ---- GOTO/LABEL ---- */

START_TEST(test_goto) {
        static const char text[] =
                "KERNEL==\"a\", GOTO=\"end\"\n" /* 1 -> line 9 */
                "KERNEL==\"b\", GOTO=\"nowhere\"\n" /* 2: dropped */
                "KERNEL==\"c\", GOTO=\"nowhere\", TAG+=\"kept\"\n" /* 3: GOTO removed */
                "KERNEL==\"d\", LABEL=\"mid\", GOTO=\"missing\"\n" /* 4: label only */
                "LABEL=\"back\"\n" /* 5 */
                "GOTO=\"back\"\n" /* 6: backwards: dropped */
                "GOTO=\"self\", LABEL=\"self\"\n" /* 7: not itself */
                "KERNEL==\"e\", GOTO=\"mid\"\n" /* 8: mid is before */
                "LABEL=\"end\"\n" /* 9 */
                "GOTO=\"dup\"\n" /* 10 -> 11 */
                "LABEL=\"dup\"\n" /* 11 */
                "LABEL=\"dup\"\n"; /* 12 */
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        const UdevRuleFile *f;
        LogCapture cap;

        rules = parse(text, &cap);
        assert_log(&cap, "test.rules:2: GOTO=\"nowhere\" has no matching label, ignoring\n"
                         "test.rules:2: The line takes no effect any more, dropping\n"
                         "test.rules:3: GOTO=\"nowhere\" has no matching label, ignoring\n"
                         "test.rules:4: GOTO=\"missing\" has no matching label, ignoring\n"
                         "test.rules:4: The line takes no effect any more, dropping\n"
                         "test.rules:6: GOTO=\"back\" has no matching label, ignoring\n"
                         "test.rules:6: The line takes no effect any more, dropping\n"
                         "test.rules:7: GOTO=\"self\" has no matching label, ignoring\n"
                         "test.rules:7: The line takes no effect any more, dropping\n"
                         "test.rules:8: GOTO=\"mid\" has no matching label, ignoring\n"
                         "test.rules:8: The line takes no effect any more, dropping\n");
        f = only_file(rules);
        ck_assert_uint_eq(f->n_lines, 9);
        assert_line(rules, 1, "KERNEL==[\"a\"](plain) GOTO=\"end\"->5");
        ck_assert_uint_eq(f->lines[5].line_number, 9);
        assert_dropped(rules, 2);
        assert_line(rules, 3, "KERNEL==[\"c\"](plain) TAG+=\"kept\"");
        ck_assert_int_eq(find_line(rules, 3)->goto_line, -1);
        /* a line left with only its label keeps the label for other GOTOs, not its matches */
        assert_line(rules, 4, "LABEL=\"mid\"");
        assert_dropped(rules, 6);
        assert_line(rules, 7, "LABEL=\"self\"");
        assert_dropped(rules, 8);
        assert_line(rules, 10, "GOTO=\"dup\"->7");
        ck_assert_uint_eq(f->lines[7].line_number, 11);
}
END_TEST

/* ---- udev-test.pl test 157: Perl source in a rules file ---- */

START_TEST(test_udev_test_157_perl_lines) {
        static const char text[] =
                "# empty line finishes continuation\n"
                "KERNEL==\"sda\", TAG+=\"foo\" \\\n"
                "\n"
                "KERNEL==\"sdb\", TAG+=\"hoge\"\n"
                "KERNEL==\"sda\", TAG+=\"aaa\" \\\n"
                "KERNEL==\"sdb\", TAG+=\"bbb\"\n"
                "TAGS==\"foo\", SYMLINK+=\"found\"\n"
                "TAGS==\"aaa\", SYMLINK+=\"bad\"\n"
                "                    EOF\n"
                "        },\n"
                "        {\n"
                "                desc            => \"continuations with space only line\",\n"
                "                devices => [\n"
                "                        {\n"
                "                                devpath         => "
                "\"/devices/pci0000:00/0000:00:1f.2/host0/target0:0:0/0:0:0:0/block/sda\",\n"
                "                                exp_links       => [\"found\"],\n"
                "                                not_exp_name    => \"bad\",\n"
                "                        }],\n"
                "                rules           => <<EOF\n"
                "# space only line finishes continuation\n"
                "KERNEL==\"sda\", TAG+=\"foo\" \\\n"
                "   \t\n"
                "KERNEL==\"sdb\", TAG+=\"hoge\"\n"
                "KERNEL==\"sda\", TAG+=\"aaa\" \\\n"
                "KERNEL==\"sdb\", TAG+=\"bbb\"\n"
                "TAGS==\"foo\", SYMLINK+=\"found\"\n"
                "TAGS==\"aaa\", SYMLINK+=\"bad\"\n";
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        LogCapture cap;

        rules = parse(text, &cap);
        assert_log(&cap, "test.rules:9 Invalid key/value pair, ignoring.\n"
                         "test.rules:10 Invalid key/value pair, ignoring.\n"
                         "test.rules:11 Invalid key/value pair, ignoring.\n"
                         "test.rules:12 Invalid key/value pair, ignoring.\n"
                         "test.rules:13 Invalid key/value pair, ignoring.\n"
                         "test.rules:14 Invalid key/value pair, ignoring.\n"
                         "test.rules:15 Invalid key/value pair, ignoring.\n"
                         "test.rules:16 Invalid key/value pair, ignoring.\n"
                         "test.rules:17 Invalid key/value pair, ignoring.\n"
                         "test.rules:18 Invalid key/value pair, ignoring.\n"
                         "test.rules:19 Invalid key/value pair, ignoring.\n");
        /* the rules around the Perl survive */
        ck_assert_uint_eq(only_file(rules)->n_lines, 10);
        assert_line(rules, 3, "KERNEL==[\"sda\"](plain) TAG+=\"foo\"");
        assert_line(rules, 4, "KERNEL==[\"sdb\"](plain) TAG+=\"hoge\"");
        assert_line(rules, 6,
                    "KERNEL==[\"sda\"](plain) KERNEL==[\"sdb\"](plain) TAG+=\"aaa\" TAG+=\"bbb\"");
        assert_line(rules, 7, "(TAGS==[\"foo\"](plain)) SYMLINK+=\"found\"");
        assert_line(rules, 8, "(TAGS==[\"aaa\"](plain)) SYMLINK+=\"bad\"");
        assert_line(rules, 22, "KERNEL==[\"sda\"](plain) TAG+=\"foo\"");
        assert_line(rules, 25,
                    "KERNEL==[\"sda\"](plain) KERNEL==[\"sdb\"](plain) TAG+=\"aaa\" TAG+=\"bbb\"");
        assert_line(rules, 27, "(TAGS==[\"aaa\"](plain)) SYMLINK+=\"bad\"");
}
END_TEST

/* ---- files ---- */

static void write_file(const char *dir, const char *name, const char *text) {
        _cleanup_free_ char *p = strjoin_real(dir, "/", name, NULL);
        FILE *f = fopen(p, "we");

        ck_assert_ptr_nonnull(f);
        ck_assert_int_ge(fputs(text, f), 0);
        ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_load_directories) {
        char base[] = "/tmp/test-udev-rules-XXXXXX";
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        _cleanup_free_ char *run = NULL, *usr = NULL, *link = NULL, *p = NULL;
        char *dirs[3];
        LogCapture cap;
        struct timespec ts[2] = { { 0, UTIME_OMIT }, { 12345, 0 } };

        ck_assert_ptr_nonnull(mkdtemp(base));
        run = strjoin_real(base, "/run", NULL);
        usr = strjoin_real(base, "/usr", NULL);
        ck_assert_int_eq(mkdir(run, 0755), 0);
        ck_assert_int_eq(mkdir(usr, 0755), 0);
        write_file(run, "20-both.rules", "TAG+=\"run\"\n");
        write_file(usr, "20-both.rules", "TAG+=\"usr\"\n");
        write_file(run, "30-empty.rules", "");
        write_file(usr, "30-empty.rules", "TAG+=\"masked\"\n");
        link = strjoin_real(run, "/40-null.rules", NULL);
        ck_assert_int_eq(symlink("/dev/null", link), 0);
        write_file(usr, "40-null.rules", "TAG+=\"masked-by-null\"\n");
        write_file(usr, "10-first.rules", "TAG+=\"first\"\n");
        write_file(run, "99-last.rules", "TAG+=\"last\"\n");
        write_file(run, ".hidden.rules", "TAG+=\"hidden\"\n");
        write_file(run, "50-other.conf", "TAG+=\"other\"\n");
        dirs[0] = run;
        dirs[1] = usr;
        dirs[2] = NULL;

        ck_assert_int_eq(udev_rules_new(UDEV_RULES_RESOLVE_NAME_EARLY, &rules), 0);
        capture_start(&cap);
        ck_assert_int_eq(udev_rules_load(rules, dirs), 0);
        log_capture_stop();
        ck_assert_uint_eq(rules->n_files, 3);
        ck_assert_str_eq(path_basename(rules->files[0]->filename), "10-first.rules");
        ck_assert(startswith(rules->files[1]->filename, run));
        ck_assert_str_eq(path_basename(rules->files[1]->filename), "20-both.rules");
        ck_assert_str_eq(path_basename(rules->files[2]->filename), "99-last.rules");
        ck_assert_log_contains(&cap, "Skipping empty file: ");
        ck_assert_log_contains(&cap, "Skipping overridden file '");
        ck_assert_ptr_eq(rules->files[2]->lines[0].file, rules->files[2]);

        /* nothing changed; then a changed mtime, a new file, a removed file */
        ck_assert(!udev_rules_should_reload(rules));
        p = strjoin_real(usr, "/10-first.rules", NULL);
        ck_assert_int_eq(utimensat(AT_FDCWD, p, ts, 0), 0);
        ck_assert(udev_rules_should_reload(rules));

        udev_rules_free(rules);
        ck_assert_int_eq(udev_rules_new(UDEV_RULES_RESOLVE_NAME_EARLY, &rules), 0);
        ck_assert_int_eq(udev_rules_load(rules, dirs), 0);
        ck_assert(!udev_rules_should_reload(rules));
        write_file(usr, "60-new.rules", "TAG+=\"new\"\n");
        ck_assert(udev_rules_should_reload(rules));
        free(p);
        p = strjoin_real(usr, "/60-new.rules", NULL);
        ck_assert_int_eq(unlink(p), 0);
        ck_assert(!udev_rules_should_reload(rules));
        free(p);
        p = strjoin_real(run, "/99-last.rules", NULL);
        ck_assert_int_eq(unlink(p), 0);
        ck_assert(udev_rules_should_reload(rules));

        ck_assert(udev_rules_should_reload(NULL));
        {
                _cleanup_free_ char *cmd = strjoin_real("rm -rf ", base, NULL);
                ck_assert_int_eq(system(cmd), 0);
        }
}
END_TEST

START_TEST(test_permission_warnings) {
        char base[] = "/tmp/test-udev-rules-XXXXXX";
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        _cleanup_free_ char *exec = NULL, *ww = NULL, *expected = NULL, *missing = NULL;
        LogCapture cap;

        ck_assert_ptr_nonnull(mkdtemp(base));
        write_file(base, "70-exec.rules", "TAG+=\"a\"\n");
        write_file(base, "71-ww.rules", "TAG+=\"b\"\n");
        exec = strjoin_real(base, "/70-exec.rules", NULL);
        ww = strjoin_real(base, "/71-ww.rules", NULL);
        missing = strjoin_real(base, "/72-missing.rules", NULL);
        ck_assert_int_eq(chmod(exec, 0755), 0);
        ck_assert_int_eq(chmod(ww, 0666), 0);

        ck_assert_int_eq(udev_rules_new(UDEV_RULES_RESOLVE_NAME_EARLY, &rules), 0);
        capture_start(&cap);
        ck_assert_int_eq(udev_rules_parse_file(rules, exec), 0);
        ck_assert_int_eq(udev_rules_parse_file(rules, ww), 0);
        ck_assert_int_eq(udev_rules_parse_file(rules, missing), 0);
        log_capture_stop();
        expected = strjoin_real("Configuration file ", exec,
                                " is marked executable. Please remove executable permission bits. "
                                "Proceeding anyway.\n"
                                "Reading rules file: ",
                                exec,
                                "\n"
                                "Configuration file ",
                                ww,
                                " is marked world-writable. Please remove world writability "
                                "permission bits. Proceeding anyway.\n"
                                "Reading rules file: ",
                                ww, "\n", NULL);
        assert_log(&cap, expected);
        ck_assert_uint_eq(rules->n_files, 2);
        ck_assert_int_eq(unlink(exec), 0);
        ck_assert_int_eq(unlink(ww), 0);
        ck_assert_int_eq(rmdir(base), 0);
}
END_TEST

/* ---- the Debian rules of this machine ---- */

/* Logical lines of a rules file counted independently of the parser (continuations joined,
 * comments and blank lines skipped). */
static size_t count_logical_lines(const char *path) {
        _cleanup_free_ char *data = NULL;
        size_t size = 0, n = 0;
        bool continued = false;
        char *line, *save = NULL;

        ck_assert_int_eq(read_full_file(path, 16 * 1024 * 1024, &data, &size), 0);
        for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                const char *s = line + strspn(line, " \t");
                size_t len = strlen(s);

                if (s[0] == '#')
                        continue;
                if (len > 0 && s[len - 1] == '\\') {
                        continued = true;
                        continue;
                }
                if (len > 0 || continued)
                        n++;
                continued = false;
        }
        return n;
}

START_TEST(test_debian_rules) {
        static const char dir[] = "/lib/udev/rules.d";
        char *dirs[] = { (char *) dir, NULL };
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        _cleanup_(closedirp) DIR *d = NULL;
        size_t files = 0, lines = 0;
        struct dirent *de;
        LogCapture cap;

        d = opendir(dir);
        if (!d) {
                fprintf(stderr, "SKIP test_debian_rules: no %s\n", dir);
                return;
        }
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' && endswith(de->d_name, ".rules")) {
                        _cleanup_free_ char *p = strjoin_real(dir, "/", de->d_name, NULL);
                        struct stat st;

                        if (stat(p, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
                                continue;
                        files++;
                        lines += count_logical_lines(p);
                }

        ck_assert_int_eq(udev_rules_new(UDEV_RULES_RESOLVE_NAME_EARLY, &rules), 0);
        udev_rules_set_resolver(rules, any_resolve, NULL);
        capture_start(&cap);
        ck_assert_int_eq(udev_rules_load(rules, dirs), 0);
        log_capture_stop();
        /* nothing but "Reading rules file: …" */
        for (char *l = cap.buf; *l; l = strchr(l, '\n') + 1)
                ck_assert_msg(startswith(l, "Reading rules file: "), "unexpected message: %s", l);
        ck_assert_uint_eq(rules->n_files, files);
        ck_assert_uint_eq(udev_rules_count_lines(rules), lines);
        /* Debian 12's udev 252 with systemd's rules: 41 files, 632 physical lines that are
         * neither blank nor comments, joined to 557 rules. */
        if (files == 41)
                ck_assert_uint_eq(lines, 557);
        fprintf(stderr, "test_debian_rules: %zu files, %zu lines, %zu tokens\n", files, lines,
                udev_rules_count_tokens(rules));
}
END_TEST

/* ---- nothing crashes ---- */

START_TEST(test_garbage) {
        static const char *const inputs[] = {
                "",
                "\\",
                "\\\n",
                "=",
                "==",
                "\"",
                "e\"",
                "KERNEL{",
                "KERNEL{}",
                "KERNEL{}==\"",
                "A=e\"\\",
                "A=e\"\\\"",
                "A==\"x\"\"",
                "LABEL=\"\"\nGOTO=\"\"",
                ",,,",
                "\r\r\r",
                "TAG+=\"%",
                "TAG+=\"$",
                "TAG+=\"%c{",
                "TAG+=\"%c{1",
                "SYMLINK+=\"$attr{",
                "#\\\nX",
                "KERNEL==\"|||\", TAG+=\"x\"",
                "ATTR{%%}==\"\", TAG+=\"x\"",
        };

        for (size_t i = 0; i < ELEMENTSOF(inputs); i++) {
                _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
                LogCapture cap;

                rules = parse(inputs[i], &cap);
                ck_assert_ptr_nonnull(rules);
        }
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("udev-rules-parse");
        TCase *tc = tcase_create("udev-rules-parse");

        tcase_add_test(tc, test_errors_drop_the_line);
        tcase_add_test(tc, test_every_key_checks_attr_and_operator);
        tcase_add_test(tc, test_format_errors_keep_the_token);
        tcase_add_test(tc, test_warnings_and_coerced_operators);
        tcase_add_test(tc, test_token_order);
        tcase_add_test(tc, test_token_order_is_stable);
        tcase_add_test(tc, test_continuation);
        tcase_add_test(tc, test_comments_and_separators);
        tcase_add_test(tc, test_line_endings);
        tcase_add_test(tc, test_line_too_long);
        tcase_add_test(tc, test_physical_line_limit);
        tcase_add_test(tc, test_values);
        tcase_add_test(tc, test_match_string);
        tcase_add_test(tc, test_owner_group_mode);
        tcase_add_test(tc, test_resolve_names_late_and_never);
        tcase_add_test(tc, test_options);
        tcase_add_test(tc, test_builtins_and_imports);
        tcase_add_test(tc, test_line_flags);
        tcase_add_test(tc, test_goto);
        tcase_add_test(tc, test_udev_test_157_perl_lines);
        tcase_add_test(tc, test_load_directories);
        tcase_add_test(tc, test_permission_warnings);
        tcase_add_test(tc, test_debian_rules);
        tcase_add_test(tc, test_garbage);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
