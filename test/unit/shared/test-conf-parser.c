/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-conf-parser.c: the line rules of unit files as systemd 252 applies them (BOM, comments,
 * continuations, sections, assignments, limits, invalid UTF-8), the messages a user reads, and
 * a comparison with the real systemd-analyze when it is installed.
 */

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf-parser.h"
#include "fd-util.h"
#include "string-util.h"
#include "test-helpers.h"

static const char *const unit_sections[] = { "Unit", "Service", "-Install", NULL };

/* Records every assignment as "LINE [SECTION@SECTION_LINE] KEY=VALUE\n". Keys named "Bogus*"
 * are unknown; the key "Fail" makes the callback fail with -EIO. */
typedef struct Record {
        char buf[8192];
        size_t n;
        unsigned calls;
} Record;

static int record_cb(const char *unit, const char *filename, unsigned line, const char *section,
                     unsigned section_line, const char *key, const char *value, void *userdata) {
        Record *rec = userdata;
        int k;

        rec->calls++;
        if (startswith(key, "Bogus"))
                return CONFIG_KEY_UNKNOWN;
        if (streq(key, "Fail"))
                return -EIO;
        k = snprintf(rec->buf + rec->n, sizeof rec->buf - rec->n, "%u [%s@%u] %s=%s\n", line,
                     section ?: "(null)", section_line, key, value);
        if (k > 0 && rec->n + (size_t) k < sizeof rec->buf)
                rec->n += (size_t) k;
        return 0;
}

/* Parses the string s (strlen) with the unit sections, collecting assignments and messages. */
static int parse_str(const char *s, Record *rec, LogCapture *cap) {
        int r;

        memset(rec, 0, sizeof *rec);
        log_capture_start(cap);
        r = config_parse_buffer("t.service", "t.service", s, strlen(s), unit_sections, record_cb,
                                CONFIG_PARSE_WARN, rec);
        log_capture_stop();
        return r;
}

START_TEST(test_basic_assignments) {
        Record rec;
        LogCapture cap;

        ck_assert_int_eq(parse_str("[Unit]\n"
                                   "Description = Hello  world \n"
                                   "  Key = a=b\n"
                                   "Empty=\n"
                                   "\n"
                                   "   \t \n"
                                   "[Service]\n"
                                   "ExecStart=/bin/true\n",
                                   &rec, &cap),
                         0);
        ck_assert_str_eq(rec.buf, "2 [Unit@1] Description=Hello  world\n"
                                  "3 [Unit@1] Key=a=b\n"
                                  "4 [Unit@1] Empty=\n"
                                  "8 [Service@7] ExecStart=/bin/true\n");
        ck_assert_str_eq(cap.buf, "");
}
END_TEST

START_TEST(test_bom) {
        Record rec;
        LogCapture cap;

        ck_assert_int_eq(parse_str("\xef\xbb\xbf[Unit]\nA=1\n", &rec, &cap), 0);
        ck_assert_str_eq(rec.buf, "2 [Unit@1] A=1\n");

        /* Only the first BOM is removed: a second one is text, so this is no section header. */
        ck_assert_int_eq(parse_str("\xef\xbb\xbf[Unit]\n\xef\xbb\xbf[Service]\n", &rec, &cap), 0);
        ck_assert_str_eq(cap.buf, "t.service:2: Missing '=', ignoring line.\n");

        /* The BOM is removed after comments are recognised: "BOM#" is no comment. */
        ck_assert_int_eq(parse_str("\xef\xbb\xbf# comment\n[Unit]\n", &rec, &cap), 0);
        ck_assert_str_eq(cap.buf, "t.service:1: Assignment outside of section. Ignoring.\n");
}
END_TEST

START_TEST(test_comments) {
        Record rec;
        LogCapture cap;

        ck_assert_int_eq(parse_str("# leading comment\n"
                                   "; another\n"
                                   "[Unit]\n"
                                   "   # indented comment = not an assignment\n"
                                   "\t; also\n"
                                   "A=1 # not a comment\n",
                                   &rec, &cap),
                         0);
        ck_assert_str_eq(rec.buf, "6 [Unit@3] A=1 # not a comment\n");
        ck_assert_str_eq(cap.buf, "");
}
END_TEST

START_TEST(test_continuation) {
        Record rec;
        LogCapture cap;

        ck_assert_int_eq(parse_str("[Service]\n"
                                   "ExecStart=/bin/echo a \\\n"
                                   "# a comment inside the continuation\n"
                                   "   b\\\n"
                                   "; another one\n"
                                   "c\n"
                                   "Even=x\\\\\n"
                                   "Next=y\n"
                                   "Three=z\\\\\\\n"
                                   "w\n",
                                   &rec, &cap),
                         0);
        /* The last backslash becomes a space, the next line is appended with its blanks. */
        ck_assert_str_eq(rec.buf, "6 [Service@1] ExecStart=/bin/echo a     b c\n"
                                  "7 [Service@1] Even=x\\\\\n"
                                  "8 [Service@1] Next=y\n"
                                  "10 [Service@1] Three=z\\\\ w\n");
        ck_assert_str_eq(cap.buf, "");
}
END_TEST

START_TEST(test_continuation_at_eof) {
        Record rec;
        LogCapture cap;

        /* Parsed as it stands, and numbered one past the last line as systemd does. */
        ck_assert_int_eq(parse_str("[Service]\nA=1 \\\n  2\\", &rec, &cap), 0);
        ck_assert_str_eq(rec.buf, "4 [Service@1] A=1    2\n");

        ck_assert_int_eq(parse_str("[Service]\nA=1\\\n# only a comment follows\n", &rec, &cap), 0);
        ck_assert_str_eq(rec.buf, "4 [Service@1] A=1\n");

        /* A blank line ends the continuation. */
        ck_assert_int_eq(parse_str("[Service]\nA=1\\\n\nB=2\n", &rec, &cap), 0);
        ck_assert_str_eq(rec.buf, "3 [Service@1] A=1\n4 [Service@1] B=2\n");
}
END_TEST

START_TEST(test_line_endings) {
        static const char data[] = "[Unit]\r\nA=1\rB=2\n\rC=3\0D=4\n\nE=5\r\n\0F=6";
        Record rec = {};
        LogCapture cap;

        log_capture_start(&cap);
        ck_assert_int_eq(config_parse_buffer(NULL, "t.service", data, sizeof data - 1,
                                             unit_sections, record_cb, CONFIG_PARSE_WARN, &rec),
                         0);
        log_capture_stop();
        ck_assert_str_eq(rec.buf, "2 [Unit@1] A=1\n"
                                  "3 [Unit@1] B=2\n"
                                  "4 [Unit@1] C=3\n"
                                  "5 [Unit@1] D=4\n"
                                  "7 [Unit@1] E=5\n"
                                  "8 [Unit@1] F=6\n");
        ck_assert_str_eq(cap.buf, "");
}
END_TEST

START_TEST(test_invalid_section_header) {
        Record rec;
        LogCapture cap;

        ck_assert_int_eq(parse_str("[Unit]\nA=1\n[Service\nB=2\n", &rec, &cap), -EBADMSG);
        ck_assert_str_eq(rec.buf, "2 [Unit@1] A=1\n");
        ck_assert_log_contains(&cap, "t.service:3: Invalid section header '[Service'");
        ck_assert_log_contains(&cap, "t.service:3: Failed to parse file: Bad message");

        ck_assert_int_eq(parse_str("[Un\"it]\n", &rec, &cap), -EBADMSG);
        ck_assert_log_contains(&cap, "t.service:1: Bad characters in section header '[Un\"it]'");
        ck_assert_int_eq(parse_str("[Un\tit]\n", &rec, &cap), -EBADMSG);
        ck_assert_int_eq(parse_str("[\n", &rec, &cap), -EBADMSG);
        ck_assert_int_eq(parse_str("  [Unit]  \nA=1\n", &rec, &cap), 0);
        ck_assert_str_eq(rec.buf, "2 [Unit@1] A=1\n");
}
END_TEST

START_TEST(test_sections) {
        Record rec;
        LogCapture cap;

        ck_assert_int_eq(parse_str("A=0\n"
                                   "[Weird]\n"
                                   "B=1\n"
                                   "[X-Vendor]\n"
                                   "C=2\n"
                                   "[Install]\n"
                                   "WantedBy=multi-user.target\n"
                                   "[Unit]\n"
                                   "D=3\n"
                                   "X-Custom=4\n"
                                   "Bogus=5\n"
                                   "[ Unit ]\n"
                                   "E=6\n",
                                   &rec, &cap),
                         0);
        ck_assert_str_eq(rec.buf, "9 [Unit@8] D=3\n");
        ck_assert_uint_eq(rec.calls, 2); /* D and Bogus: never X-Custom */
        ck_assert_str_eq(cap.buf, "t.service:1: Assignment outside of section. Ignoring.\n"
                                  "t.service:2: Unknown section 'Weird'. Ignoring.\n"
                                  "t.service:11: Unknown key 'Bogus' in section [Unit], ignoring.\n"
                                  "t.service:12: Unknown section ' Unit '. Ignoring.\n");
}
END_TEST

START_TEST(test_any_section) {
        Record rec = {};
        LogCapture cap;
        const char *s = "A=0\nBogus=1\n[Anything]\nB=1\n[X-Mine]\nC=2\n";

        log_capture_start(&cap);
        ck_assert_int_eq(config_parse_buffer(NULL, "f.conf", s, strlen(s), NULL, record_cb,
                                             CONFIG_PARSE_WARN, &rec),
                         0);
        log_capture_stop();
        ck_assert_str_eq(rec.buf, "1 [(null)@0] A=0\n4 [Anything@3] B=1\n");
        ck_assert_str_eq(cap.buf, "f.conf:2: Unknown key 'Bogus', ignoring.\n");
}
END_TEST

START_TEST(test_bad_assignments) {
        Record rec;
        LogCapture cap;

        ck_assert_int_eq(parse_str("[Unit]\n"
                                   "NoEquals\n"
                                   "=value\n"
                                   "  = value\n"
                                   ".include /etc/foo\n"
                                   "Ok=1\n",
                                   &rec, &cap),
                         0);
        ck_assert_str_eq(rec.buf, "6 [Unit@1] Ok=1\n");
        ck_assert_str_eq(cap.buf, "t.service:2: Missing '=', ignoring line.\n"
                                  "t.service:3: Missing key name before '=', ignoring line.\n"
                                  "t.service:4: Missing key name before '=', ignoring line.\n"
                                  "t.service:5: Missing '=', ignoring line.\n");
}
END_TEST

START_TEST(test_invalid_utf8) {
        Record rec;
        LogCapture cap;

        /* systemd 252 says "ignoring assignment" but fails the whole file with EINVAL. */
        ck_assert_int_eq(parse_str("[Unit]\nA=1\nB=\xff x\nC=3\n", &rec, &cap), -EINVAL);
        ck_assert_str_eq(rec.buf, "2 [Unit@1] A=1\n");
        ck_assert_log_contains(&cap, "t.service:3: String is not UTF-8 clean, ignoring "
                                     "assignment: B=\xef\xbf\xbd x\n");
        ck_assert_log_contains(&cap, "t.service:3: Failed to parse file: Invalid argument");

        /* Overlong forms, surrogates and noncharacters are refused as systemd refuses them. */
        ck_assert_int_eq(parse_str("[Unit]\nA=\xc0\x80\n", &rec, &cap), -EINVAL);
        ck_assert_int_eq(parse_str("[Unit]\nA=\xed\xa0\x80\n", &rec, &cap), -EINVAL);
        ck_assert_int_eq(parse_str("[Unit]\nA=\xef\xbf\xbe\n", &rec, &cap), -EINVAL);
        ck_assert_int_eq(parse_str("[Unit]\nA=\xef\xb7\x90\n", &rec, &cap), -EINVAL);
        ck_assert_int_eq(parse_str("[Unit]\nA=\xe2\x82\n", &rec, &cap), -EINVAL);

        /* Valid multi-byte text passes; invalid bytes in comments do not matter. */
        ck_assert_int_eq(
                parse_str("[Unit]\n# \xff\nA=gr\xc3\xbc\xc3\x9f \xf0\x9f\x98\x80\n", &rec, &cap),
                0);
        ck_assert_str_eq(rec.buf, "3 [Unit@1] A=gr\xc3\xbc\xc3\x9f \xf0\x9f\x98\x80\n");
}
END_TEST

/* A buffer "[Unit]\nA=" followed by n 'x' and then tail. */
static char *make_long(size_t n, const char *tail, size_t *ret_size) {
        size_t head = strlen("[Unit]\nA="), t = strlen(tail);
        char *s = malloc(head + n + t + 1);

        ck_assert_ptr_nonnull(s);
        memcpy(s, "[Unit]\nA=", head);
        memset(s + head, 'x', n);
        memcpy(s + head + n, tail, t + 1);
        *ret_size = head + n + t;
        return s;
}

static int parse_n(const char *s, size_t n, Record *rec, LogCapture *cap) {
        int r;

        memset(rec, 0, sizeof *rec);
        log_capture_start(cap);
        r = config_parse_buffer(NULL, "t.service", s, n, unit_sections, record_cb,
                                CONFIG_PARSE_WARN, rec);
        log_capture_stop();
        return r;
}

START_TEST(test_line_limit) {
        _cleanup_free_ char *ok = NULL, *too_long = NULL, *at_eof = NULL;
        Record rec;
        LogCapture cap;
        size_t n;

        /* The physical line "A=xxx…" is CONFIG_LINE_MAX - 1 bytes: accepted. */
        ok = make_long(CONFIG_LINE_MAX - 3, "\nB=1\n", &n);
        ck_assert_int_eq(parse_n(ok, n, &rec, &cap), 0);
        ck_assert_uint_eq(rec.calls, 2);

        /* CONFIG_LINE_MAX bytes: refused, even when the newline follows. */
        too_long = make_long(CONFIG_LINE_MAX - 2, "\nB=1\n", &n);
        ck_assert_int_eq(parse_n(too_long, n, &rec, &cap), -ENOBUFS);
        ck_assert_uint_eq(rec.calls, 0);
        ck_assert_log_contains(&cap, "t.service:2: Line too long");

        at_eof = make_long(CONFIG_LINE_MAX - 2, "", &n);
        ck_assert_int_eq(parse_n(at_eof, n, &rec, &cap), -ENOBUFS);
}
END_TEST

START_TEST(test_continuation_limit) {
        _cleanup_free_ char *s = NULL;
        size_t half = CONFIG_LINE_MAX / 2, n = 0;
        Record rec;
        LogCapture cap;

        /* Two physical lines of half the limit each join to exactly the limit: accepted. */
        s = malloc(CONFIG_LINE_MAX + 64);
        ck_assert_ptr_nonnull(s);
        n = (size_t) sprintf(s, "[Unit]\nA=");
        memset(s + n, 'x', half - 3);
        n += half - 3;
        s[n++] = '\\';
        s[n++] = '\n';
        memset(s + n, 'y', half);
        n += half;
        ck_assert_int_eq(parse_n(s, n, &rec, &cap), 0);
        ck_assert_uint_eq(rec.calls, 1);

        /* One byte more is refused. */
        s[n++] = 'y';
        ck_assert_int_eq(parse_n(s, n, &rec, &cap), -ENOBUFS);
        ck_assert_uint_eq(rec.calls, 0);
        ck_assert_log_contains(&cap, "t.service:3: Continuation line too long");
}
END_TEST

START_TEST(test_callback_error) {
        Record rec;
        LogCapture cap;

        ck_assert_int_eq(parse_str("[Unit]\nA=1\nFail=yes\nB=2\n", &rec, &cap), -EIO);
        ck_assert_str_eq(rec.buf, "2 [Unit@1] A=1\n");
        ck_assert_uint_eq(rec.calls, 2);
}
END_TEST

typedef struct LevelCapture {
        int max_level_seen;
        unsigned n;
} LevelCapture;

static void level_sink(int level, const char *message, void *userdata) {
        LevelCapture *c = userdata;

        (void) message;
        c->n++;
        if (level < c->max_level_seen)
                c->max_level_seen = level;
}

START_TEST(test_warn_flag) {
        const char *s = "[Unit]\nNoEquals\n[Oops\n";
        LevelCapture c = { .max_level_seen = LOG_DEBUG + 1 };
        Record rec = {};

        log_set_sink(level_sink, &c);
        ck_assert_int_eq(
                config_parse_buffer(NULL, "t", s, strlen(s), unit_sections, record_cb, 0, &rec),
                -EBADMSG);
        ck_assert_int_eq(c.max_level_seen, LOG_DEBUG);

        c = (LevelCapture){ .max_level_seen = LOG_DEBUG + 1 };
        ck_assert_int_eq(config_parse_buffer(NULL, "t", s, strlen(s), unit_sections, record_cb,
                                             CONFIG_PARSE_WARN, &rec),
                         -EBADMSG);
        ck_assert_int_eq(c.max_level_seen, LOG_ERR);
        log_set_sink(NULL, NULL);
}
END_TEST

START_TEST(test_parse_file) {
        char path[] = "/tmp/test-conf-parser-XXXXXX";
        const char *content = "[Unit]\nDescription=From a file\n";
        _cleanup_fclose_ FILE *f = NULL;
        Record rec = {};
        LogCapture cap;
        int fd;

        fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t) strlen(content));
        ck_assert_int_eq(fchmod(fd, 0755), 0);
        close(fd);

        log_capture_start(&cap);
        ck_assert_int_eq(config_parse_file("t.service", path, NULL, unit_sections, record_cb,
                                           CONFIG_PARSE_WARN, &rec),
                         0);
        log_capture_stop();
        ck_assert_str_eq(rec.buf, "2 [Unit@1] Description=From a file\n");
        ck_assert_log_contains(&cap, "is marked executable. Please remove executable "
                                     "permission bits. Proceeding anyway.");

        f = fopen(path, "re");
        ck_assert_ptr_nonnull(f);
        memset(&rec, 0, sizeof rec);
        ck_assert_int_eq(config_parse_file(NULL, "other-name", f, NULL, record_cb, 0, &rec), 0);
        ck_assert_str_eq(rec.buf, "2 [Unit@1] Description=From a file\n");

        unlink(path);
        ck_assert_int_eq(config_parse_file(NULL, path, NULL, NULL, record_cb, 0, &rec), -ENOENT);
        ck_assert_int_eq(config_parse_file(NULL, "/", NULL, NULL, record_cb, 0, &rec), -EISDIR);
}
END_TEST

START_TEST(test_empty_input) {
        Record rec = {};

        ck_assert_int_eq(config_parse_buffer(NULL, "t", NULL, 0, unit_sections, record_cb, 0, &rec),
                         0);
        ck_assert_int_eq(config_parse_buffer(NULL, "t", "\xef\xbb\xbf", 3, unit_sections, record_cb,
                                             0, &rec),
                         0);
        ck_assert_int_eq(config_parse_buffer(NULL, "t", "\\", 1, unit_sections, record_cb, 0, &rec),
                         0);
        ck_assert_uint_eq(rec.calls, 0);
}
END_TEST

/* Known keys of the oracle test: everything else is unknown, as for systemd. */
static int oracle_cb(const char *unit, const char *filename, unsigned line, const char *section,
                     unsigned section_line, const char *key, const char *value, void *userdata) {
        static const char *const known[] = { "Unit.Description",  "Unit.Documentation",
                                             "Service.ExecStart", "Service.Environment",
                                             "Service.Type",      NULL };
        char buf[256];

        snprintf(buf, sizeof buf, "%s.%s", section, key);
        for (const char *const *k = known; *k; k++)
                if (streq(*k, buf))
                        return 0;
        return CONFIG_KEY_UNKNOWN;
}

/* Runs systemd-analyze verify on path; keeps the lines that start with "path:". */
static bool run_systemd_analyze(const char *path, char *out, size_t size) {
        char cmd[512], line[4096];
        size_t n = 0, plen = strlen(path);
        bool any = false;
        FILE *p;

        snprintf(cmd, sizeof cmd, "systemd-analyze verify --man=no '%s' 2>&1", path);
        p = popen(cmd, "r");
        if (!p)
                return false;
        out[0] = 0;
        while (fgets(line, sizeof line, p)) {
                if (strncmp(line, path, plen) != 0 || line[plen] != ':')
                        continue;
                if (strstr(line, "Command ") || strstr(line, "not executable"))
                        continue; /* semantic checks, not the parser's business */
                any = true;
                n += (size_t) snprintf(out + n, size - n, "%s", line);
                if (n >= size)
                        break;
        }
        pclose(p);
        return any;
}

START_TEST(test_oracle_systemd_analyze) {
        static const char *const content[] = {
                "\xef\xbb\xbf"
                "Stray=1\n"
                "[Unit]\n"
                "Description=oracle \\\n"
                "# comment inside\n"
                "  test\n"
                "Bogus=1\n"
                "X-Vendor=1\n"
                "NoEquals\n"
                "=x\n"
                "[Weird]\n"
                "A=1\n"
                "[X-Ext]\n"
                "B=2\n"
                "[Service]\n"
                "Type=oneshot\n"
                "ExecStart=/bin/true\n"
                "Environment=A=b\\\\\n"
                "Other = 1\n"
                "[Install]\n"
                "Unknown=1\n",
                "[Service]\nExecStart=/bin/true\n[Broken\n",
                "[Service]\nExecStart=/bin/true\nEnvironment=\xff\n",
                "[Service]\nExecStart=/bin/true\nEnvironment=\xef\xbf\xbe\n",
                "[Service]\nExecStart=/bin/true\n[Un\"it]\n",
                "\xef\xbb\xbf# comment\n[Service]\nExecStart=/bin/true\n",
                "[Service]\nExecStart=/bin/true\rBogus=1\n\rBogus2=2\n\nBogus3=3 \\",
                NULL,
        };
        char dir[] = "/tmp/test-conf-parser-oracle-XXXXXX", path[256];
        static char want[16384];

        if (access("/usr/bin/systemd-analyze", X_OK) < 0 &&
            access("/bin/systemd-analyze", X_OK) < 0) {
                fprintf(stderr, "SKIP oracle comparison: systemd-analyze is not installed\n");
                return;
        }
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/oracle.service", dir);

        for (size_t i = 0; content[i]; i++) {
                Record rec = {};
                LogCapture cap;
                FILE *f = fopen(path, "we");

                ck_assert_ptr_nonnull(f);
                fputs(content[i], f);
                fclose(f);
                ck_assert_int_eq(chmod(path, 0644), 0);

                if (!run_systemd_analyze(path, want, sizeof want)) {
                        fprintf(stderr,
                                "SKIP oracle comparison: systemd-analyze printed nothing "
                                "about %s (cannot run here?)\n",
                                path);
                        break;
                }
                log_capture_start(&cap);
                (void) config_parse_file(
                        "oracle.service", path, NULL,
                        (const char *const[]){ "Unit", "Service", "Install", NULL }, oracle_cb, 0,
                        &rec);
                log_capture_stop();
                /* Our log at debug level also has "Failed to parse file", which systemd prints
                 * only with CONFIG_PARSE_WARN: compare systemd's lines with ours. */
                for (char *l = want, *e; *l; l = e + 1) {
                        e = strchr(l, '\n');
                        ck_assert_ptr_nonnull(e);
                        *e = 0;
                        ck_assert_msg(strstr(cap.buf, l),
                                      "case %zu: systemd said \"%s\", we said:\n%s", i, l, cap.buf);
                }
        }
        unlink(path);
        rmdir(dir);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("conf-parser");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_basic_assignments);
        tcase_add_test(tc, test_bom);
        tcase_add_test(tc, test_comments);
        tcase_add_test(tc, test_continuation);
        tcase_add_test(tc, test_continuation_at_eof);
        tcase_add_test(tc, test_line_endings);
        tcase_add_test(tc, test_invalid_section_header);
        tcase_add_test(tc, test_sections);
        tcase_add_test(tc, test_any_section);
        tcase_add_test(tc, test_bad_assignments);
        tcase_add_test(tc, test_invalid_utf8);
        tcase_add_test(tc, test_line_limit);
        tcase_add_test(tc, test_continuation_limit);
        tcase_add_test(tc, test_callback_error);
        tcase_add_test(tc, test_warn_flag);
        tcase_add_test(tc, test_parse_file);
        tcase_add_test(tc, test_empty_input);
        tcase_add_test(tc, test_oracle_systemd_analyze);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
