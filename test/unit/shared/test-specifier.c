/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-specifier.c: "%X" expansion as a unit file author sees it (spec unit-files.md §7): the
 * escaping rules, unknown specifiers, length limits, and the values of the system-wide
 * specifiers (machine, boot, host, OS, user, temporary directories), checked against fixture
 * files and against what the running system reports.
 */

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd-util.h"
#include "specifier.h"
#include "string-util.h"
#include "test-helpers.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

static char tmpdir[] = "/tmp/test-specifier.XXXXXX";

static void setup_tmpdir(void) {
        strcpy(tmpdir, "/tmp/test-specifier.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* Tests that change the process's identity or namespaces need CK_FORK. */
static bool forking(void) {
        return !streq_ptr(getenv("CK_FORK"), "no");
}

/* Writes exactly content (no newline added) to tmpdir/name; returns the path (static buffer
 * rotated among four). */
static const char *fixture(const char *name, const char *content) {
        static char paths[4][256];
        static unsigned k;
        char *p = paths[k++ % 4];
        FILE *f;

        snprintf(p, 256, "%s/%s", tmpdir, name);
        f = fopen(p, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(content, 1, strlen(content), f), strlen(content));
        ck_assert_int_eq(fclose(f), 0);
        return p;
}

/* Runs one callback and returns its value (NULL on error, with the error in *r). */
static char *call(SpecifierCallback cb, const void *data, int *r) {
        char *v = NULL;
        *r = cb('x', data, NULL, &v);
        return *r < 0 ? NULL : v;
}

static void assert_call(SpecifierCallback cb, const void *data, const char *expected) {
        int r;
        _cleanup_free_ char *v = call(cb, data, &r);

        ck_assert_msg(r >= 0, "callback failed: %s", strerror(-r));
        ck_assert_str_eq(strempty(v), expected);
}

static void assert_call_fails(SpecifierCallback cb, const void *data, int expected) {
        int r;

        free(call(cb, data, &r));
        ck_assert_int_eq(r, expected);
}

static int printf_table(const char *text, size_t max, const Specifier *table, const void *userdata,
                        char **ret) {
        return specifier_printf(text, max, table, userdata, ret);
}

/* ------------------------------------------------------------------------------------------ */
/* The engine                                                                                  */

static int lookup_echo_userdata(char c, const void *data, const void *userdata, char **ret) {
        char *s = strdup(userdata ? userdata : "none");
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

static int lookup_fail(char c, const void *data, const void *userdata, char **ret) {
        return -ENOKEY;
}

static int lookup_specifier_char(char c, const void *data, const void *userdata, char **ret) {
        return asprintf_safe(ret, "<%c>", c);
}

static const Specifier test_table[] = {
        { 'i', specifier_string, "inst" },
        { 'n', specifier_string, "foo@inst.service" },
        { 'e', specifier_string, "" },
        { 'z', specifier_string, NULL },
        { 'u', lookup_echo_userdata, NULL },
        { 'F', lookup_fail, NULL },
        { 'X', NULL, NULL },
        { '-', lookup_specifier_char, NULL },
        { '7', lookup_specifier_char, NULL },
        {},
};

static void expand_ok(const char *text, const char *expected) {
        _cleanup_free_ char *s = NULL;

        ck_assert_msg(printf_table(text, SIZE_MAX, test_table, "ud", &s) == 0, "%s", text);
        ck_assert_str_eq(s, expected);
}

static void expand_fails(const char *text, int expected) {
        char *s = (char *) "untouched";

        ck_assert_int_eq(printf_table(text, SIZE_MAX, test_table, "ud", &s), expected);
        ck_assert_str_eq(s, "untouched");
}

/* spec §7.1 */
START_TEST(test_printf_rules) {
        expand_ok("", "");
        expand_ok("plain text", "plain text");
        expand_ok("%i", "inst");
        expand_ok("a%ib%nc", "ainstbfoo@inst.servicec");
        expand_ok("100%%", "100%");
        expand_ok("%%i", "%i");
        expand_ok("%%%i", "%inst");
        expand_ok("%%%%", "%%");
        /* A specifier with an empty value inserts nothing. */
        expand_ok("[%e][%z]", "[][]");
        /* '%' before something that cannot be a specifier stays. */
        expand_ok("%/", "%/");
        expand_ok("a %= b", "a %= b");
        expand_ok("%\xc3\xa4", "%\xc3\xa4");
        expand_ok("%\t", "%\t");
        /* A lone '%' at the end stays. */
        expand_ok("50%", "50%");
        expand_ok("%", "%");
        expand_ok("%i%", "inst%");
        /* A table may define non-alphanumeric specifiers; digits are specifiers too. */
        expand_ok("%-", "<->");
        expand_ok("%7", "<7>");
        /* userdata reaches the callbacks. */
        expand_ok("%u", "ud");
}
END_TEST

START_TEST(test_printf_unknown) {
        /* A letter or digit that is not in the table is an error (EBADSLT). */
        expand_fails("%I", -EBADSLT);
        expand_fails("ok %i then %q", -EBADSLT);
        expand_fails("%0", -EBADSLT);
        /* An entry without lookup counts as unknown. */
        expand_fails("%X", -EBADSLT);
        /* Errors of the lookup are passed on. */
        expand_fails("%F", -ENOKEY);
        /* The table must not be consulted for %%. */
        expand_ok("%%I", "%I");
}
END_TEST

START_TEST(test_printf_max_length) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;
        char *s = (char *) "untouched";

        ck_assert_int_eq(printf_table("abc%i", 7, test_table, NULL, &a), 0);
        ck_assert_str_eq(a, "abcinst");
        ck_assert_int_eq(printf_table("abc%i", 6, test_table, NULL, &s), -ENAMETOOLONG);
        ck_assert_int_eq(printf_table("abcdefg", 6, test_table, NULL, &s), -ENAMETOOLONG);
        ck_assert_int_eq(printf_table("abcde%", 5, test_table, NULL, &s), -ENAMETOOLONG);
        ck_assert_str_eq(s, "untouched");
        ck_assert_int_eq(printf_table("abcde%", 6, test_table, NULL, &b), 0);
        ck_assert_str_eq(b, "abcde%");
        ck_assert_int_eq(printf_table("", 0, test_table, NULL, &c), 0);
        ck_assert_str_eq(c, "");
}
END_TEST

START_TEST(test_escape) {
        static const char *const table[] = { "", "plain", "100%", "%%i", "%i %n %", "%%%" };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_free_ char *e = specifier_escape(table[i]);
                _cleanup_free_ char *back = NULL;

                ck_assert_int_eq(printf_table(e, SIZE_MAX, test_table, NULL, &back), 0);
                ck_assert_str_eq(back, table[i]);
        }
        char *e = specifier_escape("a%b");
        ck_assert_str_eq(e, "a%%b");
        free(e);
}
END_TEST

START_TEST(test_string_and_paths) {
        char target[300], link[300], dir[300];

        assert_call(specifier_string, "value", "value");
        assert_call(specifier_string, "", "");
        assert_call(specifier_string, NULL, "");

        setup_tmpdir();
        snprintf(dir, sizeof dir, "%s/real", tmpdir);
        ck_assert_int_eq(mkdir(dir, 0755), 0);
        snprintf(target, sizeof target, "%s/real/x.service", tmpdir);
        fixture("real/x.service", "[Unit]\n");
        snprintf(link, sizeof link, "%s/link.service", tmpdir);
        ck_assert_int_eq(symlink(target, link), 0);

        assert_call(specifier_real_path, link, target);
        assert_call(specifier_real_directory, link, dir);
        assert_call_fails(specifier_real_path, NULL, -ENOENT);
        assert_call_fails(specifier_real_path, "/nonexistent/x.service", -ENOENT);
        assert_call_fails(specifier_real_directory, "/nonexistent/x.service", -ENOENT);
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* IDs                                                                                         */

START_TEST(test_machine_id) {
        setup_tmpdir();
        assert_call(specifier_machine_id, fixture("m1", "0123456789abcdef0123456789abcdef\n"),
                    "0123456789abcdef0123456789abcdef");
        assert_call(specifier_machine_id, fixture("m2", "0123456789ABCDEF0123456789ABCDEF"),
                    "0123456789abcdef0123456789abcdef");
        assert_call_fails(specifier_machine_id,
                          fixture("m3", "01234567-89ab-cdef-0123-456789abcdef\n"), -EINVAL);
        assert_call_fails(specifier_machine_id, fixture("m4", ""), -ENOMEDIUM);
        assert_call_fails(specifier_machine_id, fixture("m5", "uninitialized\n"), -ENOPKG);
        assert_call_fails(specifier_machine_id, fixture("m6", "00000000000000000000000000000000\n"),
                          -ENOMEDIUM);
        assert_call_fails(specifier_machine_id,
                          fixture("m7", "0123456789abcdef0123456789abcdef\n\n"), -EINVAL);
        assert_call_fails(specifier_machine_id, fixture("m8", "0123456789abcdef0123456789abcdeg\n"),
                          -EINVAL);
        assert_call_fails(specifier_machine_id, fixture("m9", "0123456789abcdef0123456789abcdef0"),
                          -EINVAL);
        assert_call_fails(specifier_machine_id, "/nonexistent/machine-id", -ENOENT);
}
END_TEST

START_TEST(test_machine_id_real) {
        _cleanup_free_ char *content = NULL;
        int r;
        _cleanup_free_ char *v = NULL;

        if (read_full_file("/etc/machine-id", 4096, &content, NULL) < 0) {
                fprintf(stderr, "no /etc/machine-id, skipping\n");
                return;
        }
        v = call(specifier_machine_id, NULL, &r);
        if (strlen(content) == 33) {
                ck_assert_int_eq(r, 0);
                content[32] = 0;
                ck_assert_str_eq(v, ascii_strlower(content));
        }
}
END_TEST

START_TEST(test_boot_id) {
        _cleanup_free_ char *content = NULL, *expected = NULL, *v = NULL;
        int r;

        setup_tmpdir();
        assert_call(specifier_boot_id, fixture("b1", "01234567-89ab-cdef-0123-456789ABCDEF\n"),
                    "0123456789abcdef0123456789abcdef");
        assert_call_fails(specifier_boot_id, fixture("b2", "0123456789abcdef0123456789abcdef\n"),
                          -EINVAL);
        assert_call_fails(specifier_boot_id,
                          fixture("b3", "0123456-789ab-cdef-0123-456789abcdef\n"), -EINVAL);

        /* The real one: the kernel's UUID without dashes. */
        ck_assert_int_eq(read_full_file("/proc/sys/kernel/random/boot_id", 4096, &content, NULL),
                         0);
        expected = new0(char, 33);
        for (size_t i = 0, k = 0; content[i] && content[i] != '\n'; i++)
                if (content[i] != '-')
                        expected[k++] = content[i];
        v = call(specifier_boot_id, NULL, &r);
        ck_assert_int_eq(r, 0);
        ck_assert_str_eq(v, expected);
        ck_assert_uint_eq(strlen(v), 32);
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Host                                                                                        */

START_TEST(test_hostname_real) {
        struct utsname u;
        char short_name[sizeof u.nodename];

        ck_assert_int_eq(uname(&u), 0);
        if (isempty(u.nodename) || streq(u.nodename, "(none)") || u.nodename[0] == '.')
                return; /* covered by test_hostname_fallback */

        snprintf(short_name, sizeof short_name, "%.*s", (int) strcspn(u.nodename, "."), u.nodename);
        assert_call(specifier_hostname, NULL, u.nodename);
        assert_call(specifier_short_hostname, NULL, short_name);
        assert_call(specifier_kernel_release, NULL, u.release);
}
END_TEST

/* In a private UTS namespace (root only) the host name can be changed safely. */
static bool set_private_hostname(const char *name) {
        if (unshare(CLONE_NEWUTS) < 0)
                return false;
        ck_assert_int_eq(sethostname(name, strlen(name)), 0);
        return true;
}

START_TEST(test_hostname_fallback) {
        setup_tmpdir();
        if (!forking() || !set_private_hostname("")) {
                fprintf(stderr, "cannot unshare the UTS namespace, skipping\n");
                return;
        }

        /* No host name: $SYSTEMD_DEFAULT_HOSTNAME, then DEFAULT_HOSTNAME=, then "localhost". */
        ck_assert_int_eq(setenv("SYSTEMD_OS_RELEASE",
                                fixture("os1", "ID=x\nDEFAULT_HOSTNAME=osdefault.example\n"), 1),
                         0);
        ck_assert_int_eq(setenv("SYSTEMD_DEFAULT_HOSTNAME", "envhost.example.com", 1), 0);
        assert_call(specifier_hostname, NULL, "envhost.example.com");
        assert_call(specifier_short_hostname, NULL, "envhost");
        ck_assert_int_eq(setenv("SYSTEMD_DEFAULT_HOSTNAME", "-invalid", 1), 0);
        assert_call(specifier_hostname, NULL, "osdefault.example");
        ck_assert_int_eq(
                setenv("SYSTEMD_OS_RELEASE", fixture("os2", "DEFAULT_HOSTNAME=bad..name\n"), 1), 0);
        assert_call(specifier_hostname, NULL, "localhost");
        ck_assert_int_eq(setenv("SYSTEMD_OS_RELEASE", "/nonexistent", 1), 0);
        assert_call(specifier_hostname, NULL, "localhost");

        ck_assert_int_eq(sethostname("(none)", 6), 0);
        assert_call(specifier_hostname, NULL, "localhost");

        /* A name with a leading dot is kept whole, but has no short form of its own. */
        ck_assert_int_eq(sethostname(".odd.name", 9), 0);
        assert_call(specifier_hostname, NULL, ".odd.name");
        assert_call(specifier_short_hostname, NULL, "localhost");

        ck_assert_int_eq(sethostname("box.example.org", 15), 0);
        assert_call(specifier_hostname, NULL, "box.example.org");
        assert_call(specifier_short_hostname, NULL, "box");
}
END_TEST

START_TEST(test_pretty_hostname) {
        int r;
        _cleanup_free_ char *short_name = call(specifier_short_hostname, NULL, &r);

        ck_assert_int_eq(r, 0);
        setup_tmpdir();
        assert_call(
                specifier_pretty_hostname,
                fixture("mi1",
                        "# comment\nICON_NAME=computer\nPRETTY_HOSTNAME=\"Lennart's Laptop\"\n"),
                "Lennart's Laptop");
        assert_call(specifier_pretty_hostname, fixture("mi2", "PRETTY_HOSTNAME='a  b'"), "a  b");
        assert_call(specifier_pretty_hostname, fixture("mi3", "PRETTY_HOSTNAME=\n"), short_name);
        assert_call(specifier_pretty_hostname, fixture("mi4", "ICON_NAME=computer\n"), short_name);
        assert_call(specifier_pretty_hostname, "/nonexistent/machine-info", short_name);
        /* Invalid UTF-8 anywhere spoils the file. */
        assert_call(specifier_pretty_hostname, fixture("mi5", "PRETTY_HOSTNAME=ok\nX=\xff\n"),
                    short_name);
        assert_call(specifier_pretty_hostname,
                    fixture("mi6", "PRETTY_HOSTNAME=ok\nX=\xef\xb7\x90\n"), short_name);
}
END_TEST

START_TEST(test_architecture) {
        struct utsname u;

        ck_assert_int_eq(uname(&u), 0);
        if (streq(u.machine, "x86_64"))
                assert_call(specifier_architecture, NULL, "x86-64");
        else if (streq(u.machine, "aarch64"))
                assert_call(specifier_architecture, NULL, "arm64");
        else if (streq(u.machine, "i686"))
                assert_call(specifier_architecture, NULL, "x86");
        else {
                int r;
                _cleanup_free_ char *v = call(specifier_architecture, NULL, &r);
                ck_assert(r == -EOPNOTSUPP || !isempty(v));
        }
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* os-release                                                                                  */

static void use_os_release(const char *content) {
        ck_assert_int_eq(setenv("SYSTEMD_OS_RELEASE", fixture("os-release", content), 1), 0);
}

static void assert_os(const char *field, const char *expected) {
        assert_call(specifier_os_release_field, field, expected);
}

START_TEST(test_os_release_fields) {
        static const Specifier table[] = { SPECIFIER_SYSTEM_ENTRIES, {} };
        _cleanup_free_ char *s = NULL;

        setup_tmpdir();
        use_os_release("NAME=\"Test OS\"\n"
                       "ID=testos\n"
                       "VERSION_ID=\"12.1\"\n"
                       "VARIANT_ID=server\n"
                       "BUILD_ID='2024-01'\n"
                       "IMAGE_ID=img\n"
                       "IMAGE_VERSION=1.2.3\n");
        ck_assert_int_eq(specifier_printf("%o|%w|%W|%B|%M|%A", SIZE_MAX, table, NULL, &s), 0);
        ck_assert_str_eq(s, "testos|12.1|server|2024-01|img|1.2.3");

        /* Missing fields insert nothing. */
        use_os_release("ID=only\n");
        free(s), s = NULL;
        ck_assert_int_eq(specifier_printf("[%o][%w][%W][%B][%M][%A]", SIZE_MAX, table, NULL, &s),
                         0);
        ck_assert_str_eq(s, "[only][][][][][]");

        /* No os-release at all is EUNATCH. */
        ck_assert_int_eq(setenv("SYSTEMD_OS_RELEASE", "/nonexistent/os-release", 1), 0);
        assert_call_fails(specifier_os_release_field, "ID", -EUNATCH);
        use_os_release("ID=x\nBAD=\xc3\x28\n");
        assert_call_fails(specifier_os_release_field, "ID", -EINVAL);
        /* Noncharacters are invalid UTF-8 for systemd too. */
        use_os_release("ID=x\nBAD=\xef\xbf\xbe\n");
        assert_call_fails(specifier_os_release_field, "ID", -EINVAL);
}
END_TEST

/* The quoting rules of environment files (systemd's parse_env_file()). */
START_TEST(test_os_release_syntax) {
        static const struct {
                const char *content, *expected;
        } table[] = {
                { "ID=plain", "plain" },
                { "ID=plain\n", "plain" },
                { "  ID  =  spaced value   \n", "spaced value" },
                { "ID=\"double quoted\"\n", "double quoted" },
                { "ID='single \"quoted\"'\n", "single \"quoted\"" },
                { "ID=\"esc \\\" \\\\ \\` \\$ \\n\"\n", "esc \" \\ ` $ \\n" },
                { "ID='no \\n escapes'\n", "no \\n escapes" },
                { "ID=a\\ b\\\"c\n", "a b\"c" },
                { "ID=cont\\\ninued\n", "continued" },
                { "ID=\"multi\nline\"\n", "multi\nline" },
                { "ID=\"con\\\ntinued\"\n", "continued" },
                { "ID=\"a\"'b'c\n", "abc" },
                { "ID=\"a\" b\n", "ab" },
                { "ID=first\nID=second\n", "second" },
                { "# ID=comment\nID=real\n", "real" },
                { "; ID=comment\nID=real\n", "real" },
                { "#comment \\\nID=hidden\nX=1\n", "" },
                { "ID=x # not a comment\n", "x # not a comment" },
                { "ID=crlf\r\n", "crlf" },
                { "ID\nID2=y\n", "" },
                { "ID=\n", "" },
                { "ID=\"\"\n", "" },
                { "ID='unterminated", "unterminated" },
                { "ID=\"unterminated\\", "unterminated" },
                { "ID= trailing\t \n", "trailing" },
                { "ID=\xc3\xa4\n", "\xc3\xa4" },
                { "XID=no\nIDX=no\n", "" },
                { "export ID=no\n", "" },
                { "ID=yes\nexport ID=no\n", "yes" },
        };

        setup_tmpdir();
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                int r;
                _cleanup_free_ char *v = NULL;

                use_os_release(table[i].content);
                v = call(specifier_os_release_field, "ID", &r);
                ck_assert_msg(r == 0, "case %zu: %s", i, strerror(-r));
                ck_assert_msg(streq(strempty(v), table[i].expected),
                              "case %zu: got \"%s\", expected \"%s\"", i, strempty(v),
                              table[i].expected);
        }
}
END_TEST

/* Without $SYSTEMD_OS_RELEASE the real file is read: compare with a shell sourcing it. */
START_TEST(test_os_release_real) {
        static const char *const fields[] = { "ID",       "VERSION_ID", "VARIANT_ID",
                                              "BUILD_ID", "IMAGE_ID",   "IMAGE_VERSION" };
        const char *file =
                access("/etc/os-release", F_OK) >= 0 ? "/etc/os-release" : "/usr/lib/os-release";

        unsetenv("SYSTEMD_OS_RELEASE");
        if (access(file, R_OK) < 0) {
                assert_call_fails(specifier_os_release_field, "ID", -EUNATCH);
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(fields); i++) {
                char cmd[256], out[256] = "";
                FILE *p;

                snprintf(cmd, sizeof cmd, "sh -c '. %s && printf %%s \"$%s\"'", file, fields[i]);
                p = popen(cmd, "re");
                ck_assert_ptr_nonnull(p);
                (void) !fgets(out, sizeof out, p);
                ck_assert_int_eq(pclose(p), 0);
                assert_os(fields[i], out);
        }
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Users                                                                                       */

START_TEST(test_user_ids) {
        char uid[32], gid[32];

        snprintf(uid, sizeof uid, "%u", (unsigned) getuid());
        snprintf(gid, sizeof gid, "%u", (unsigned) getgid());
        assert_call(specifier_user_id, SPECIFIER_CREDS(SPECIFIER_CREDS_SELF), uid);
        assert_call(specifier_group_id, SPECIFIER_CREDS(SPECIFIER_CREDS_SELF), gid);
        if (getuid() == 0)
                assert_call(specifier_user_name, SPECIFIER_CREDS(SPECIFIER_CREDS_SELF), "root");
        if (getgid() == 0)
                assert_call(specifier_group_name, SPECIFIER_CREDS(SPECIFIER_CREDS_SELF), "root");

        /* The system manager's view: always root, whoever runs the code. */
        assert_call(specifier_user_id, SPECIFIER_CREDS(SPECIFIER_CREDS_ROOT), "0");
        assert_call(specifier_group_id, SPECIFIER_CREDS(SPECIFIER_CREDS_ROOT), "0");
        assert_call(specifier_user_name, SPECIFIER_CREDS(SPECIFIER_CREDS_ROOT), "root");
        assert_call(specifier_group_name, SPECIFIER_CREDS(SPECIFIER_CREDS_ROOT), "root");
}
END_TEST

/* As root, drop to nobody in a child: names are synthesized without NSS. */
START_TEST(test_user_nobody) {
        if (getuid() != 0 || !forking()) {
                fprintf(stderr, "not root or not forking, skipping\n");
                return;
        }
        unsetenv("HOME");
        unsetenv("SHELL");
        ck_assert_int_eq(setgroups(0, NULL), 0);
        ck_assert_int_eq(setresgid(65534, 65534, 65534), 0);
        ck_assert_int_eq(setresuid(65534, 65534, 65534), 0);
        if (access("/etc/systemd/dont-synthesize-nobody", F_OK) >= 0)
                return;
        assert_call(specifier_user_name, SPECIFIER_CREDS(SPECIFIER_CREDS_SELF), "nobody");
        assert_call(specifier_group_name, SPECIFIER_CREDS(SPECIFIER_CREDS_SELF), "nogroup");
        assert_call(specifier_user_id, SPECIFIER_CREDS(SPECIFIER_CREDS_SELF), "65534");
        assert_call(specifier_user_home, NULL, "/");
        assert_call(specifier_user_shell, NULL, "/usr/sbin/nologin");
        assert_call(specifier_user_name, SPECIFIER_CREDS(SPECIFIER_CREDS_ROOT), "root");
}
END_TEST

START_TEST(test_user_home_shell) {
        ck_assert_int_eq(setenv("HOME", "/srv//home/./x/", 1), 0);
        assert_call(specifier_user_home, NULL, "/srv/home/x");
        ck_assert_int_eq(setenv("SHELL", "/bin/zsh", 1), 0);
        assert_call(specifier_user_shell, NULL, "/bin/zsh");

        if (getuid() != 0)
                return;
        /* Relative or empty values are ignored. */
        ck_assert_int_eq(setenv("HOME", "relative", 1), 0);
        assert_call(specifier_user_home, NULL, "/root");
        ck_assert_int_eq(setenv("HOME", "", 1), 0);
        assert_call(specifier_user_home, NULL, "/root");
        unsetenv("HOME");
        assert_call(specifier_user_home, NULL, "/root");
        ck_assert_int_eq(setenv("SHELL", "sh", 1), 0);
        assert_call(specifier_user_shell, NULL,
                    access("/bin/bash", F_OK) >= 0 ? "/bin/bash" : "/bin/sh");
        unsetenv("SHELL");
        assert_call(specifier_user_shell, NULL,
                    access("/bin/bash", F_OK) >= 0 ? "/bin/bash" : "/bin/sh");
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Temporary directories                                                                       */

START_TEST(test_tmp_dirs) {
        const char *bad;
        char sub[300];

        unsetenv("TMPDIR");
        unsetenv("TEMP");
        unsetenv("TMP");
        assert_call(specifier_tmp_dir, NULL, "/tmp");
        assert_call(specifier_var_tmp_dir, NULL, "/var/tmp");

        setup_tmpdir();
        ck_assert_int_eq(setenv("TMPDIR", tmpdir, 1), 0);
        assert_call(specifier_tmp_dir, NULL, tmpdir);
        assert_call(specifier_var_tmp_dir, NULL, tmpdir);

        /* Unusable values are skipped: relative, not normalized, missing, not a directory. */
        snprintf(sub, sizeof sub, "%s/../%s", tmpdir, tmpdir + 5);
        FOREACH_STRING (bad, "relative", sub, "/nonexistent", fixture("file", "x")) {
                ck_assert_int_eq(setenv("TMPDIR", bad, 1), 0);
                assert_call(specifier_tmp_dir, NULL, "/tmp");
                ck_assert_int_eq(setenv("TEMP", tmpdir, 1), 0);
                assert_call(specifier_tmp_dir, NULL, tmpdir);
                unsetenv("TEMP");
                ck_assert_int_eq(setenv("TMP", tmpdir, 1), 0);
                assert_call(specifier_var_tmp_dir, NULL, tmpdir);
                unsetenv("TMP");
        }
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* The tables                                                                                  */

START_TEST(test_tables) {
        static const Specifier table[] = {
                SPECIFIER_SYSTEM_ENTRIES,
                SPECIFIER_USER_ENTRIES,
                SPECIFIER_TMP_ENTRIES,
                {},
        };
        static const char letters[] = "aAbBHlqmMovwWgGhsuUTV";
        _cleanup_free_ char *all = NULL, *t = NULL;
        char text[3 * sizeof letters];
        const char *unit;
        int r;

        /* The system needs an os-release for %o and friends. */
        if (access("/etc/os-release", F_OK) < 0 && access("/usr/lib/os-release", F_OK) < 0)
                return;
        if (access("/etc/machine-id", R_OK) < 0)
                return;

        for (size_t i = 0; letters[i]; i++)
                snprintf(text + 3 * i, 4, "%%%c|", letters[i]);
        r = specifier_printf(text, SIZE_MAX, table, NULL, &all);
        ck_assert_msg(r == 0, "%s", strerror(-r));

        /* Unit specifiers are not part of these tables. */
        FOREACH_STRING (unit, "%n", "%N", "%p", "%P", "%i", "%I", "%j", "%J", "%f", "%t", "%S",
                        "%C", "%L", "%E", "%d", "%y", "%Y") {
                char *x = NULL;
                ck_assert_int_eq(specifier_printf(unit, SIZE_MAX, table, NULL, &x), -EBADSLT);
        }

        /* specifier_system_and_tmp_table has no user entries. */
        ck_assert_int_eq(
                specifier_printf("%T%V%H", SIZE_MAX, specifier_system_and_tmp_table, NULL, &t), 0);
        char *x = NULL;
        ck_assert_int_eq(specifier_printf("%u", SIZE_MAX, specifier_system_and_tmp_table, NULL, &x),
                         -EBADSLT);
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Comparison with systemd 252                                                                 */

#define SYSTEMD_TMPFILES "/usr/bin/systemd-tmpfiles"

/* systemd-tmpfiles expands specifiers in the argument of an "f" line with the same engine and
 * the same system callbacks: let it write the expansion into a file. Returns its exit status and
 * the expansion (NULL if the file was not written). */
static int tmpfiles_expand(const char *text, char **ret) {
        char conf[300], out[300], line[1024], cmd[1024];
        int status;

        snprintf(out, sizeof out, "%s/expanded", tmpdir);
        (void) unlink(out);
        snprintf(line, sizeof line, "f %s 0644 - - - %s\n", out, text);
        snprintf(conf, sizeof conf, "%s", fixture("tmpfiles.conf", line));
        snprintf(cmd, sizeof cmd, SYSTEMD_TMPFILES " --create '%s' 2>/dev/null", conf);
        status = system(cmd);
        *ret = NULL;
        (void) read_full_file(out, 65536, ret, NULL);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void compare_with_tmpfiles(const char *text) {
        static const Specifier table[] = {
                SPECIFIER_SYSTEM_ENTRIES, SPECIFIER_USER_ENTRIES, SPECIFIER_TMP_ENTRIES, {}
        };
        _cleanup_free_ char *ours = NULL, *theirs = NULL;
        int r = specifier_printf(text, SIZE_MAX, table, NULL, &ours);
        int status = tmpfiles_expand(text, &theirs);

        if (r < 0) {
                ck_assert_msg(status != 0 && !theirs,
                              "\"%s\": ours %s, systemd-tmpfiles wrote \"%s\"", text, strerror(-r),
                              strempty(theirs));
                return;
        }
        ck_assert_msg(status == 0 && theirs, "\"%s\": ours \"%s\", systemd-tmpfiles failed with %d",
                      text, ours, status);
        ck_assert_str_eq(ours, theirs);
}

START_TEST(test_compare_with_systemd) {
        static const char *const texts[] = {
                "%a|%b|%B|%H|%l|%m|%o|%v|%w|%W|%g|%G|%u|%U|%T|%V|%h",
                "100%%|%-|%/|%\xc3\xa4|%%%H|%%%%|end%",
                "%",
                "%n",
                "x%I",
                "%5",
        };

        if (access(SYSTEMD_TMPFILES, X_OK) < 0) {
                fprintf(stderr, "%s not found, skipping the comparison with systemd\n",
                        SYSTEMD_TMPFILES);
                return;
        }
        setup_tmpdir();
        for (size_t i = 0; i < ELEMENTSOF(texts); i++)
                compare_with_tmpfiles(texts[i]);

        /* The environment and os-release change the values the same way. */
        ck_assert_int_eq(setenv("TMPDIR", tmpdir, 1), 0);
        ck_assert_int_eq(setenv("HOME", "/a//b/./c/", 1), 0);
        use_os_release("# test\n  ID = \"quoted id\"  \nVERSION_ID='1.0'\nVARIANT_ID=a\\ "
                       "b\nBUILD_ID=\"x\\$y\\q\"\n");
        compare_with_tmpfiles("%o|%w|%W|%B|%T|%V|%h");
        ck_assert_int_eq(setenv("TMPDIR", "relative", 1), 0);
        ck_assert_int_eq(setenv("TEMP", "/nonexistent", 1), 0);
        ck_assert_int_eq(setenv("TMP", tmpdir, 1), 0);
        ck_assert_int_eq(setenv("HOME", "relative", 1), 0);
        use_os_release("ID=x\n");
        compare_with_tmpfiles("%o|%w|%T|%V|%h");
}
END_TEST

/* The variables tests change; restored after each test so that CK_FORK=no runs work too. */
static const char *const env_vars[] = {
        "TMPDIR", "TEMP", "TMP", "HOME", "SHELL", "SYSTEMD_OS_RELEASE", "SYSTEMD_DEFAULT_HOSTNAME"
};
static char *env_saved[ELEMENTSOF(env_vars)];

static void save_env(void) {
        for (size_t i = 0; i < ELEMENTSOF(env_vars); i++) {
                const char *v = getenv(env_vars[i]);
                env_saved[i] = v ? strdup(v) : NULL;
        }
}

static void restore_env(void) {
        for (size_t i = 0; i < ELEMENTSOF(env_vars); i++) {
                if (env_saved[i])
                        setenv(env_vars[i], env_saved[i], 1);
                else
                        unsetenv(env_vars[i]);
                env_saved[i] = mfree(env_saved[i]);
        }
}

static void teardown(void) {
        restore_env();
        /* The fixture directory is removed best-effort. */
        if (!strstr(tmpdir, "XXXXXX")) {
                char cmd[300];
                snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
                (void) !system(cmd);
                strcpy(tmpdir, "/tmp/test-specifier.XXXXXX");
        }
}

static Suite *make_suite(void) {
        Suite *s = suite_create("specifier");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, save_env, teardown);
        tcase_add_test(tc, test_printf_rules);
        tcase_add_test(tc, test_printf_unknown);
        tcase_add_test(tc, test_printf_max_length);
        tcase_add_test(tc, test_escape);
        tcase_add_test(tc, test_string_and_paths);
        tcase_add_test(tc, test_machine_id);
        tcase_add_test(tc, test_machine_id_real);
        tcase_add_test(tc, test_boot_id);
        tcase_add_test(tc, test_hostname_real);
        tcase_add_test(tc, test_hostname_fallback);
        tcase_add_test(tc, test_pretty_hostname);
        tcase_add_test(tc, test_architecture);
        tcase_add_test(tc, test_os_release_fields);
        tcase_add_test(tc, test_os_release_syntax);
        tcase_add_test(tc, test_os_release_real);
        tcase_add_test(tc, test_user_ids);
        tcase_add_test(tc, test_user_nobody);
        tcase_add_test(tc, test_user_home_shell);
        tcase_add_test(tc, test_tmp_dirs);
        tcase_add_test(tc, test_tables);
        tcase_add_test(tc, test_compare_with_systemd);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
