/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-env-util.c: environment names and blocks, EnvironmentFile= parsing and the Exec*=
 * $VAR / ${VAR} expansion, checked against systemd.exec(5) and systemd.service(5).
 */

#include <unistd.h>

#include "env-util.h"
#include "escape.h"
#include "fd-util.h"
#include "string-util.h"
#include "strv.h"
#include "test-helpers.h"

static char *joined(char **l) {
        char *j = strv_join(l, "|");
        ck_assert_ptr_nonnull(j);
        return j;
}

#define assert_strv(l, expected)                               \
        do {                                                   \
                _cleanup_free_ char *_j = joined(l);           \
                ck_assert_str_eq(_j, (expected));              \
        } while (0)

START_TEST(test_names_and_values) {
        ck_assert(env_name_is_valid("FOO"));
        ck_assert(env_name_is_valid("_foo_1"));
        ck_assert(env_name_is_valid("a"));
        ck_assert(!env_name_is_valid(""));
        ck_assert(!env_name_is_valid(NULL));
        ck_assert(!env_name_is_valid("1FOO"));
        ck_assert(!env_name_is_valid("FOO-BAR"));
        ck_assert(!env_name_is_valid("FOO BAR"));
        ck_assert(!env_name_is_valid("FOO="));
        ck_assert(!env_name_is_valid("export FOO"));
        ck_assert(!env_name_is_valid("FÖÖ"));

        ck_assert(env_value_is_valid(""));
        ck_assert(env_value_is_valid("tab\tnewline\nesc\033 é"));
        ck_assert(!env_value_is_valid("\xff"));
        ck_assert(!env_value_is_valid("a\xef\xbf\xbe")); /* U+FFFE noncharacter */
        ck_assert(!env_value_is_valid(NULL));

        ck_assert(env_assignment_is_valid("FOO=bar"));
        ck_assert(env_assignment_is_valid("FOO="));
        ck_assert(env_assignment_is_valid("FOO=a=b"));
        ck_assert(!env_assignment_is_valid("FOO"));
        ck_assert(!env_assignment_is_valid("=bar"));
        ck_assert(!env_assignment_is_valid("1=bar"));
        ck_assert(!env_assignment_is_valid("FOO=\xc3"));

        {
                char *ok[] = { (char *) "A=1", (char *) "B=2", NULL };
                char *dup[] = { (char *) "A=1", (char *) "A=2", NULL };
                char *bad[] = { (char *) "A", NULL };

                ck_assert(strv_env_is_valid(ok));
                ck_assert(strv_env_is_valid(NULL));
                ck_assert(!strv_env_is_valid(dup));
                ck_assert(!strv_env_is_valid(bad));
        }

        /* Very long names are bounded by ARG_MAX. */
        {
                size_t n = (size_t) sysconf(_SC_ARG_MAX) + 10;
                _cleanup_free_ char *longname = malloc(n + 1);

                ck_assert_ptr_nonnull(longname);
                memset(longname, 'A', n);
                longname[n] = 0;
                ck_assert(!env_name_is_valid(longname));
        }
}
END_TEST

START_TEST(test_get_replace_assign) {
        _cleanup_strv_free_ char **l = NULL;
        char *lookup[] = { (char *) "A=1", (char *) "AB=2", (char *) "A=3", NULL };

        /* the last assignment wins, and names match exactly */
        ck_assert_str_eq(strv_env_get(lookup, "A"), "3");
        ck_assert_str_eq(strv_env_get(lookup, "AB"), "2");
        ck_assert_ptr_null(strv_env_get(lookup, "B"));
        ck_assert_ptr_null(strv_env_get(lookup, ""));
        ck_assert_ptr_null(strv_env_get(NULL, "A"));
        ck_assert_str_eq(strv_env_get_n(lookup, "ABC", 2), "2");

        ck_assert_int_eq(strv_env_replace_consume(&l, strdup("FOO=1")), 1);
        ck_assert_int_eq(strv_env_replace_consume(&l, strdup("BAR=2")), 1);
        ck_assert_int_eq(strv_env_replace_consume(&l, strdup("FOO=3")), 0);
        assert_strv(l, "FOO=3|BAR=2");
        ck_assert_int_eq(strv_env_replace_consume(&l, strdup("novalue")), -EINVAL);
        ck_assert_int_eq(strv_env_replace_strdup(&l, "FOOBAR=x"), 1);
        assert_strv(l, "FOO=3|BAR=2|FOOBAR=x");

        ck_assert_int_eq(strv_env_assign(&l, "BAR", "new"), 0);
        ck_assert_int_eq(strv_env_assign(&l, "EMPTY", ""), 1);
        assert_strv(l, "FOO=3|BAR=new|FOOBAR=x|EMPTY=");
        ck_assert_int_eq(strv_env_assign(&l, "FOO", NULL), 0);
        assert_strv(l, "BAR=new|FOOBAR=x|EMPTY=");
        ck_assert_int_eq(strv_env_assign(&l, "NOTSET", NULL), 0);
        ck_assert_int_eq(strv_env_assign(&l, "1BAD", "x"), -EINVAL);
        assert_strv(l, "BAR=new|FOOBAR=x|EMPTY=");

        /* replacing also drops later duplicates */
        {
                _cleanup_strv_free_ char **d = strv_new("X=1", "Y=2", "X=3");
                ck_assert_int_eq(strv_env_replace_strdup(&d, "X=9"), 0);
                assert_strv(d, "X=9|Y=2");
                strv_env_unset(d, "Y");
                assert_strv(d, "X=9");
                strv_env_unset(d, "X=8");
                assert_strv(d, "X=9");
                strv_env_unset(d, "X=9");
                assert_strv(d, "");
        }
}
END_TEST

START_TEST(test_merge_and_clean) {
        _cleanup_strv_free_ char **a = strv_new("PATH=/bin", "HOME=/root", "LANG=C");
        char *b[] = { (char *) "HOME=/home/u", (char *) "NEW=1", (char *) "LANG=", NULL };
        _cleanup_strv_free_ char **c = NULL;

        /* later sources override earlier ones, positions of existing names are kept */
        ck_assert_int_eq(strv_env_merge(&a, b), 0);
        assert_strv(a, "PATH=/bin|HOME=/home/u|LANG=|NEW=1");
        ck_assert_int_eq(strv_env_merge(&a, NULL), 0);
        ck_assert_int_eq(strv_env_merge(&c, b), 0);
        assert_strv(c, "HOME=/home/u|NEW=1|LANG=");

        /* clean: invalid entries go, and the LAST assignment of a name is kept */
        {
                char **l = strv_new("FOO=1", "BAR", "1X=2", "BAZ=a", "FOO=2", "=x", "BAZ=b", "Q=\xff");
                l = strv_env_clean(l);
                assert_strv(l, "FOO=2|BAZ=b");
                strv_free(l);
                ck_assert_ptr_null(strv_env_clean(NULL));
        }
}
END_TEST

static void collect_invalid(const char *entry, void *userdata) {
        ck_assert_int_eq(strv_extend(userdata, entry), 0);
}

START_TEST(test_clean_callback) {
        _cleanup_strv_free_ char **bad = NULL;
        char **l = strv_new("A=1", "B C=2", "A=3");

        l = strv_env_clean_with_callback(l, collect_invalid, &bad);
        assert_strv(l, "A=3");
        assert_strv(bad, "B C=2");
        strv_free(l);
}
END_TEST

/* systemd.exec(5): Environment="VAR1=word1 word2" VAR2=word3 "VAR3=$word 5 6" */
START_TEST(test_environment_line_example) {
        _cleanup_strv_free_ char **words = NULL, **env = NULL;

        ck_assert_int_eq(strv_split_full("\"VAR1=word1 word2\" VAR2=word3 \"VAR3=$word 5 6\"", NULL,
                                         EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE, &words), 3);
        STRV_FOREACH(w, words) {
                ck_assert(env_assignment_is_valid(*w));
                ck_assert_int_ge(strv_env_replace_strdup(&env, *w), 0);
        }
        ck_assert_str_eq(strv_env_get(env, "VAR1"), "word1 word2");
        ck_assert_str_eq(strv_env_get(env, "VAR2"), "word3");
        ck_assert_str_eq(strv_env_get(env, "VAR3"), "$word 5 6");
}
END_TEST

static void assert_expand(char **argv, char **env, const char *expected) {
        _cleanup_strv_free_ char **out = NULL;

        ck_assert_int_eq(replace_env_argv(argv, env, &out), 0);
        ck_assert_ptr_nonnull(out);
        assert_strv(out, expected);
}

/* systemd.service(5): Environment=ONE='one' "TWO='two two' too" THREE= */
START_TEST(test_exec_expansion_example) {
        _cleanup_strv_free_ char **env = NULL, **words = NULL;
        char *braces[] = { (char *) "/bin/echo", (char *) "${ONE}", (char *) "${TWO}", (char *) "${THREE}", NULL };
        char *plain[] = { (char *) "/bin/echo", (char *) "$ONE", (char *) "$TWO", (char *) "$THREE", NULL };

        ck_assert_int_eq(strv_split_full("ONE='one' \"TWO='two two' too\" THREE=", NULL,
                                         EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE, &words), 3);
        STRV_FOREACH(w, words)
                ck_assert_int_ge(strv_env_replace_strdup(&env, *w), 0);

        /* ${X} is one argument, even if empty */
        assert_expand(braces, env, "/bin/echo|one|'two two' too|");
        /* $X alone is split into words, an empty value into none */
        assert_expand(plain, env, "/bin/echo|one|two two|too");
}
END_TEST

START_TEST(test_exec_expansion_rules) {
        char *env[] = { (char *) "FOO=foo bar", (char *) "E=", (char *) "Q=\"a b\" 'c\\ d'", NULL };

        {       /* unset whole-word variable: the argument disappears (also $FOO/bar) */
                char *argv[] = { (char *) "a", (char *) "$UNSET", (char *) "$FOO/bar", (char *) "$", (char *) "$}", (char *) "b", NULL };
                assert_expand(argv, env, "a|b");
        }
        {       /* braceless inside a word stays literal; braces are replaced as one piece */
                char *argv[] = { (char *) "x$FOO", (char *) "-${FOO}-", (char *) "${UNSET}", (char *) "${E}x", NULL };
                assert_expand(argv, env, "x$FOO|-foo bar-||x");
        }
        {       /* $$ is a literal $, also at the start of a word */
                char *argv[] = { (char *) "$$FOO", (char *) "a$$b", (char *) "$${FOO}", (char *) "100$", NULL };
                assert_expand(argv, env, "$FOO|a$b|${FOO}|100$");
        }
        {       /* unsupported or unterminated forms are left alone */
                char *argv[] = { (char *) "${FOO:-x}", (char *) "${FOO", (char *) "${}", (char *) "a$}", NULL };
                assert_expand(argv, env, "${FOO:-x}|${FOO||a$}");
        }
        {       /* whole-word split removes quotes (no C unescaping) */
                char *argv[] = { (char *) "$Q", (char *) "$E", NULL };
                assert_expand(argv, env, "a b|c d");
        }
        {
                char *argv[] = { NULL };
                assert_expand(argv, env, "");
        }

        {
                _cleanup_free_ char *s = replace_env("pre ${FOO} $$ $FOO ${E}end", env);
                ck_assert_str_eq(s, "pre foo bar $ $FOO end");
        }
}
END_TEST

/* ---- EnvironmentFile= ---- */

static char **load_text(const char *text, const char *fname, int expected_r) {
        _cleanup_fclose_ FILE *f = fmemopen((void *) text, strlen(text), "r");
        char **l = NULL;

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(load_env_file(f, fname, &l), expected_r);
        return l;
}

#define assert_env_file(text, expected)                                 \
        do {                                                            \
                _cleanup_strv_free_ char **_l = load_text((text), "/test.env", 0); \
                assert_strv(_l, (expected));                            \
        } while (0)

START_TEST(test_env_file_basics) {
        /* repeated keys: later wins, at the first position */
        assert_env_file("a=a\n"
                        "a=b\n"
                        "a=b\n"
                        "a=a\n"
                        "b=b\\\n"
                        "c\n"
                        "d= d\\\n"
                        "e  \\\n"
                        "f  \n"
                        "g=g\\ \n"
                        "h= ąęół\\ śćńźżµ \n"
                        "i=i\\",
                        "a=a|b=bc|d=de  f|g=g |h=ąęół śćńźżµ|i=i");
        assert_env_file("a=a\\\n", "a=a");
        assert_env_file("a=\nb=", "a=|b=");
        assert_env_file("", "");
        assert_env_file("\n\n   \n", "");
        assert_env_file("# Generated\n"
                        "\n"
                        "HWMON_MODULES=\"coretemp f71882fg\"\n"
                        "\n"
                        "; For compatibility reasons\n"
                        "   # indented comment\n"
                        "MODULE_0=coretemp\n"
                        "MODULE_1=f71882fg",
                        "HWMON_MODULES=coretemp f71882fg|MODULE_0=coretemp|MODULE_1=f71882fg");
        /* spaces around the key and '=' */
        assert_env_file("  KEY  =  value with  inner   spaces   \n", "KEY=value with  inner   spaces");
        /* lines without '=' are ignored */
        assert_env_file("JUSTAWORD\nX=1\n", "X=1");
        /* CRLF line ends */
        assert_env_file("A=1\r\nB=2\r\n", "A=1|B=2");
}
END_TEST

START_TEST(test_env_file_quotes_and_escapes) {
        /* unquoted: backslash keeps the next character; quotes after the first char are literal */
        assert_env_file("a=\\ \\n \\t \\x \\y \\' \n"
                        "b= \\$'                  \n"
                        "c= ' \\n\\t\\$\\`\\\\\n"
                        "'   \n"
                        "d= \" \\n\\t\\$\\`\\\\\n"
                        "\"   \n",
                        "a= n t x y '|b=$'|c= \\n\\t\\$\\`\\\\\n|d= \\n\\t$`\\\n");
        assert_env_file("A=x\"y\" 'z'\n", "A=x\"y\" 'z'");
        /* text after a closing quote is glued on, but quotes there are literal */
        assert_env_file("A=\"a b\"c'd e'\n", "A=a bc'd e'");
        assert_env_file("A=\"a\" \"b\"\n", "A=ab");
        assert_env_file("A=\"multi\nline\"\nB='x\\ny'\n", "A=multi\nline|B=x\\ny");
        /* double quotes: a backslash-newline vanishes */
        assert_env_file("A=\"one \\\ntwo\"\n", "A=one two");
        /* unterminated quotes are taken to the end of the file */
        assert_env_file("A='open\nB=2", "A=open\nB=2");
        assert_env_file("A=\"open", "A=open");
        /* a backslash-continued comment swallows the next line */
        assert_env_file("#comment \\\nX=hidden\nY=shown\n", "Y=shown");
}
END_TEST

START_TEST(test_env_file_invalid) {
        LogCapture cap;
        _cleanup_strv_free_ char **l = NULL;
        const char *s;

        log_capture_start(&cap);
        l = load_text("GOOD=1\n"
                      "export FOO=bar\n"
                      "1BAD=x\n"
                      "BAD-NAME=y\n"
                      "OK_2=z\n",
                      "/etc/test.env", 0);
        log_capture_stop();
        assert_strv(l, "GOOD=1|OK_2=z");
        ck_assert_log_contains(&cap, "/etc/test.env:2:");
        ck_assert_log_contains(&cap, "export FOO=bar");
        ck_assert_log_contains(&cap, "/etc/test.env:3:");
        ck_assert_log_contains(&cap, "/etc/test.env:4:");

        /* invalid UTF-8 (including noncharacters) makes the whole file fail */
        FOREACH_STRING(s, "fo\xef\xbf\xbeo=bar", "foo=b\xef\xbf\xbf" "ar", "baz=hello world\xff") {
                char **m = load_text(s, "/x.env", -EINVAL);
                ck_assert_ptr_null(m);
        }
}
END_TEST

/* Without ENV_FILE_DROP_INVALID (the os-release / machine-info reading) keys stay as written. */
START_TEST(test_env_file_keep_invalid) {
        const char *text = "GOOD=1\n"
                           "export FOO=bar\n"
                           "1BAD=x\n"
                           "  SPACED KEY  = y \n"
                           "GOOD=2\n";
        _cleanup_fclose_ FILE *f = fmemopen((void *) text, strlen(text), "r");
        _cleanup_strv_free_ char **l = NULL;
        const char *s;

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(load_env_file_full(f, "/etc/os-release", 0, &l), 0);
        assert_strv(l, "GOOD=2|export FOO=bar|1BAD=x|SPACED KEY=y");
        ck_assert_str_eq(strv_env_get(l, "GOOD"), "2");
        ck_assert_str_eq(strv_env_get(l, "export FOO"), "bar");
        ck_assert_ptr_null(strv_env_get(l, "FOO"));

        /* Bad UTF-8 still spoils the whole file. */
        FOREACH_STRING(s, "A=\xef\xbf\xbe", "A=ok\nB=\xff\n") {
                _cleanup_fclose_ FILE *g = fmemopen((void *) s, strlen(s), "r");
                char **m = NULL;

                ck_assert_ptr_nonnull(g);
                ck_assert_int_eq(load_env_file_full(g, NULL, 0, &m), -EINVAL);
                ck_assert_ptr_null(m);
        }
}
END_TEST

START_TEST(test_env_file_from_path) {
        char path[] = "/tmp/test-env-util.XXXXXX";
        _cleanup_strv_free_ char **l = NULL;
        int fd;

        fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, "A=1\nB=\"2 3\"\n", 12), 12);
        close(fd);

        ck_assert_int_eq(load_env_file(NULL, path, &l), 0);
        assert_strv(l, "A=1|B=2 3");
        unlink(path);

        ck_assert_int_eq(load_env_file(NULL, "/nonexistent/sysmaster-test.env", &l), -ENOENT);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("env-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_names_and_values);
        tcase_add_test(tc, test_get_replace_assign);
        tcase_add_test(tc, test_merge_and_clean);
        tcase_add_test(tc, test_clean_callback);
        tcase_add_test(tc, test_environment_line_example);
        tcase_add_test(tc, test_exec_expansion_example);
        tcase_add_test(tc, test_exec_expansion_rules);
        tcase_add_test(tc, test_env_file_basics);
        tcase_add_test(tc, test_env_file_quotes_and_escapes);
        tcase_add_test(tc, test_env_file_invalid);
        tcase_add_test(tc, test_env_file_keep_invalid);
        tcase_add_test(tc, test_env_file_from_path);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
