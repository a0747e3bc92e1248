/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of unit-file loading: names, aliases, links, masks, templates, drop-ins, .wants
 * directories, implicit dependencies and load states, as systemd 252 resolves them. */

#include "dropin.h"
#include "test-helpers.h"
#include "unit-tree.h"

#define SVC "[Service]\nExecStart=/bin/true\n"

static UnitTree t;
static Manager *m;

static void setup(void) {
        unit_tree_init(&t);
        m = NULL;
}

static void teardown(void) {
        manager_free(m);
        unit_tree_done(&t);
}

#define SHOW(name, prop) _cleanup_free_ char *_v = unit_tree_show(m, (name), (prop))

START_TEST(test_plain_fragment_and_description) {
        unit_tree_write(t.usr, "a.service", "[Unit]\nDescription=Unit %n of %p\n" SVC);
        m = unit_tree_manager(&t);
        _cleanup_free_ char *d = unit_tree_show(m, "a.service", "Description");
        _cleanup_free_ char *f = unit_tree_show(m, "a.service", "FragmentPath");
        _cleanup_free_ char *l = unit_tree_show(m, "a.service", "LoadState");
        char expected[256];
        snprintf(expected, sizeof expected, "%s/a.service", t.usr);
        ck_assert_str_eq(d, "Unit a.service of a");
        ck_assert_str_eq(f, expected);
        ck_assert_str_eq(l, "loaded");
}
END_TEST

START_TEST(test_first_directory_wins) {
        unit_tree_write(t.usr, "a.service", "[Unit]\nDescription=vendor\n" SVC);
        unit_tree_write(t.etc, "a.service", "[Unit]\nDescription=admin\n" SVC);
        m = unit_tree_manager(&t);
        SHOW("a.service", "Description");
        ck_assert_str_eq(_v, "admin");
}
END_TEST

START_TEST(test_not_found) {
        m = unit_tree_manager(&t);
        _cleanup_free_ char *l = unit_tree_show(m, "nope.service", "LoadState");
        _cleanup_free_ char *e = unit_tree_show(m, "nope.service", "LoadError");
        ck_assert_str_eq(l, "not-found");
        ck_assert_str_eq(e, "org.freedesktop.systemd1.NoSuchUnit \"Unit nope.service not found.\"");
}
END_TEST

START_TEST(test_alias_names_and_id) {
        unit_tree_write(t.usr, "b.service", SVC);
        unit_tree_link(t.etc, "b1.service", "b.service");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *id = unit_tree_show(m, "b1.service", "Id");
        _cleanup_free_ char *names = unit_tree_show(m, "b.service", "Names");
        ck_assert_str_eq(id, "b.service");
        ck_assert(words_contain(names, "b.service"));
        ck_assert(words_contain(names, "b1.service"));
}
END_TEST

START_TEST(test_linked_unit_keeps_link_name) {
        char target[256];
        snprintf(target, sizeof target, "%s/outside", t.root);
        unit_tree_mkdir_p(target);
        unit_tree_write(target, "x@.scope", "[Unit]\nDescription=linked\n" SVC);
        snprintf(target, sizeof target, "%s/outside/x@.scope", t.root);
        unit_tree_link(t.etc, "a.service", target);
        unit_tree_link(t.etc, "b.service", "a.service");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *names = unit_tree_show(m, "a.service", "Names");
        _cleanup_free_ char *frag = unit_tree_show(m, "b.service", "FragmentPath");
        char expected[256];
        snprintf(expected, sizeof expected, "%s/a.service", t.etc);
        ck_assert(words_contain(names, "a.service"));
        ck_assert(words_contain(names, "b.service"));
        ck_assert_ptr_null(strstr(names, "x@"));
        ck_assert_str_eq(frag, expected);
}
END_TEST

START_TEST(test_masks) {
        unit_tree_write(t.usr, "a.service", SVC);
        unit_tree_link(t.etc, "a.service", "/dev/null");
        unit_tree_write(t.run, "empty.service", "");
        unit_tree_write(t.usr, "a.service.d/override.conf", "[Unit]\nDescription=x\n");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *a = unit_tree_show(m, "a.service", "LoadState");
        _cleanup_free_ char *e = unit_tree_show(m, "empty.service", "LoadState");
        ck_assert_str_eq(a, "masked");
        ck_assert_str_eq(e, "masked");
}
END_TEST

START_TEST(test_mask_in_lower_directory_is_hidden) {
        unit_tree_write(t.etc, "a.service", SVC);
        unit_tree_link(t.usr, "a.service", "/dev/null");
        m = unit_tree_manager(&t);
        SHOW("a.service", "LoadState");
        ck_assert_str_eq(_v, "loaded");
}
END_TEST

START_TEST(test_template_and_instance) {
        unit_tree_write(t.usr, "foo@.service", "[Unit]\nDescription=inst %i/%I/%p/%N/%f\n" SVC);
        unit_tree_write(t.usr, "foo@real.service", "[Unit]\nDescription=own file\n" SVC);
        m = unit_tree_manager(&t);
        _cleanup_free_ char *d = unit_tree_show(m, "foo@a\\x2db.service", "Description");
        _cleanup_free_ char *r = unit_tree_show(m, "foo@real.service", "Description");
        _cleanup_free_ char *s = unit_tree_show(m, "foo@x.service", "Slice");
        ck_assert_str_eq(d, "inst a\\x2db/a-b/foo/foo@a\\x2db//a-b");
        ck_assert_str_eq(r, "own file");
        ck_assert_str_eq(s, "system-foo.slice");
}
END_TEST

START_TEST(test_template_cannot_be_loaded) {
        Unit *u;
        unit_tree_write(t.usr, "foo@.service", SVC);
        m = unit_tree_manager(&t);
        ck_assert_int_eq(manager_load_unit(m, "foo@.service", &u), -EISDIR);
        ck_assert_int_eq(manager_load_unit(m, "not valid", &u), -EINVAL);
}
END_TEST

START_TEST(test_template_alias_propagates) {
        unit_tree_write(t.usr, "bar@.service", SVC);
        unit_tree_link(t.usr, "bar-alias@.service", "bar@.service");
        m = unit_tree_manager(&t);
        SHOW("bar@0.service", "Names");
        ck_assert(words_contain(_v, "bar@0.service"));
        ck_assert(words_contain(_v, "bar-alias@0.service"));
}
END_TEST

START_TEST(test_instance_alias_only_that_instance) {
        unit_tree_write(t.usr, "a@.service", SVC);
        unit_tree_write(t.usr, "b@.service", SVC);
        unit_tree_link(t.etc, "b@inst.service", "a@inst.service");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *inst = unit_tree_show(m, "b@inst.service", "Id");
        _cleanup_free_ char *other = unit_tree_show(m, "b@other.service", "Id");
        ck_assert_str_eq(inst, "a@inst.service");
        ck_assert_str_eq(other, "b@other.service");
}
END_TEST

START_TEST(test_dropin_order_and_precedence) {
        unit_tree_write(t.usr, "d.service", "[Unit]\nDescription=base\n" SVC);
        unit_tree_write(t.run, "service.d/00-top.conf", "[Unit]\nDocumentation=man:top\n");
        unit_tree_write(t.run, "d.service.d/05-y.conf", "[Unit]\nDescription=run-05\nDocumentation=man:a\n");
        unit_tree_write(t.etc, "d.service.d/10-x.conf", "[Unit]\nDescription=etc-10\n");
        unit_tree_write(t.run, "d.service.d/10-x.conf", "[Unit]\nDescription=run-10\n");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *desc = unit_tree_show(m, "d.service", "Description");
        _cleanup_free_ char *doc = unit_tree_show(m, "d.service", "Documentation");
        _cleanup_free_ char *paths = unit_tree_show(m, "d.service", "DropInPaths");
        char expected[1024];
        snprintf(expected, sizeof expected, "%s/service.d/00-top.conf %s/d.service.d/05-y.conf %s/d.service.d/10-x.conf",
                 t.run, t.run, t.etc);
        ck_assert_str_eq(desc, "etc-10");
        ck_assert_str_eq(doc, "man:top man:a");
        ck_assert_str_eq(paths, expected);
}
END_TEST

START_TEST(test_dash_prefix_dropins) {
        unit_tree_write(t.usr, "a-b-c.service", SVC);
        unit_tree_write(t.usr, "a-.service.d/override.conf", "[Unit]\nDescription=a-\n");
        unit_tree_write(t.usr, "a-b-.service.d/override.conf", "[Unit]\nDescription=a-b-\n");
        unit_tree_write(t.etc, "a-.service.d/x.conf", "[Unit]\nDocumentation=man:etc\n");
        unit_tree_write(t.usr, "a-b-c.service.d/x.conf", "[Unit]\nDocumentation=man:usr\n");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *desc = unit_tree_show(m, "a-b-c.service", "Description");
        _cleanup_free_ char *doc = unit_tree_show(m, "a-b-c.service", "Documentation");
        ck_assert_str_eq(desc, "a-b-"); /* the most specific directory has the winning override.conf */
        ck_assert_str_eq(doc, "man:etc"); /* a higher directory beats specificity */
}
END_TEST

START_TEST(test_symlinked_and_broken_dropin_dirs) {
        char real[256];
        snprintf(real, sizeof real, "%s/elsewhere", t.root);
        unit_tree_write(real, "override.conf", "[Unit]\nDescription=hogehoge\n");
        unit_tree_write(t.usr, "a.service", SVC);
        unit_tree_link(t.etc, "a.service.d", real);
        unit_tree_link(t.run, "a.service.d", "/nonexistent");
        unit_tree_write(t.usr, "a.service.d", "not a directory");
        m = unit_tree_manager(&t);
        SHOW("a.service", "Description");
        ck_assert_str_eq(_v, "hogehoge");
}
END_TEST

START_TEST(test_wants_directories_and_masks) {
        unit_tree_write(t.usr, "a.service", SVC);
        unit_tree_write(t.usr, "b.service", SVC);
        unit_tree_write(t.usr, "c.service", SVC);
        unit_tree_link(t.etc, "a.service.wants/b.service", "../b.service");
        unit_tree_link(t.usr, "a.service.wants/c.service", "../c.service");
        unit_tree_link(t.etc, "a.service.wants/c.service", "/dev/null");
        unit_tree_link(t.usr, "a.service.requires/nonexistent.service", "../nonexistent.service");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *wants = unit_tree_show(m, "a.service", "Wants");
        _cleanup_free_ char *requires = unit_tree_show(m, "a.service", "Requires");
        _cleanup_free_ char *state = unit_tree_show(m, "nonexistent.service", "LoadState");
        ck_assert(words_contain(wants, "b.service"));
        ck_assert(!words_contain(wants, "c.service"));
        ck_assert(words_contain(requires, "nonexistent.service"));
        ck_assert_str_eq(state, "not-found");
}
END_TEST

START_TEST(test_wants_entry_for_alias_resolves) {
        unit_tree_write(t.usr, "a.service", SVC);
        unit_tree_write(t.usr, "b.service", SVC);
        unit_tree_link(t.usr, "b1.service", "b.service");
        unit_tree_link(t.usr, "a.service.wants/b1.service", "../b1.service");
        m = unit_tree_manager(&t);
        SHOW("a.service", "Wants");
        ck_assert(words_contain(_v, "b.service"));
        ck_assert(!words_contain(_v, "b1.service"));
}
END_TEST

START_TEST(test_default_dependencies_of_service) {
        unit_tree_write(t.usr, "a.service", SVC);
        unit_tree_write(t.usr, "n.service", "[Unit]\nDefaultDependencies=no\n" SVC "StandardOutput=null\n");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *req = unit_tree_show(m, "a.service", "Requires");
        _cleanup_free_ char *after = unit_tree_show(m, "a.service", "After");
        _cleanup_free_ char *before = unit_tree_show(m, "a.service", "Before");
        _cleanup_free_ char *conf = unit_tree_show(m, "a.service", "Conflicts");
        _cleanup_free_ char *nafter = unit_tree_show(m, "n.service", "After");
        ck_assert(words_contain(req, "sysinit.target"));
        ck_assert(words_contain(req, "system.slice"));
        ck_assert(words_contain(after, "basic.target"));
        ck_assert(words_contain(after, "systemd-journald.socket"));
        ck_assert(words_contain(before, "shutdown.target"));
        ck_assert(words_contain(conf, "shutdown.target"));
        ck_assert_str_eq(nafter, "system.slice");
}
END_TEST

START_TEST(test_target_orders_after_wanted_units) {
        unit_tree_write(t.usr, "t.target", "[Unit]\nWants=a.service b.service\n");
        unit_tree_write(t.usr, "a.service", SVC);
        unit_tree_write(t.usr, "b.service", "[Unit]\nDefaultDependencies=no\n" SVC);
        m = unit_tree_manager(&t);
        SHOW("t.target", "After");
        ck_assert(words_contain(_v, "a.service"));
        ck_assert(!words_contain(_v, "b.service"));
}
END_TEST

START_TEST(test_unknown_key_and_section_warnings) {
        LogCapture c;
        unit_tree_write(t.usr, "a.service", "[Unit]\nFoo=bar\nX-Custom=ok\n[Service]\nExecStart=/bin/true\nBar=1\n[Weird]\nA=b\n");
        m = unit_tree_manager(&t);
        log_capture_start(&c);
        _cleanup_free_ char *l = unit_tree_show(m, "a.service", "LoadState");
        log_capture_stop();
        ck_assert_str_eq(l, "loaded");
        ck_assert_log_contains(&c, "a.service:2: Unknown key 'Foo' in section [Unit], ignoring.");
        ck_assert_log_contains(&c, "a.service:6: Unknown key 'Bar' in section [Service], ignoring.");
        ck_assert_log_contains(&c, "Unknown section 'Weird'. Ignoring.");
        ck_assert_ptr_null(strstr(c.buf, "X-Custom"));
}
END_TEST

/* The settings store: a key's values in the order given, readers see a strv; a key given again
 * moves to the end of the store; a reset drops the key; keys are shared between units. */
START_TEST(test_settings_store) {
        Unit *u, *v;
        char *const *l;
        const char *key;
        char **values, **keys = NULL;

        m = unit_tree_manager(&t);
        ck_assert_int_eq(unit_new(m, "s1.service", &u), 0);
        ck_assert_int_eq(unit_new(m, "s2.service", &v), 0);
        ck_assert_int_eq(unit_setting_append(u, "Service.Environment", "A=1"), 0);
        ck_assert_int_eq(unit_setting_append(u, "Unit.Description", "one"), 0);
        ck_assert_int_eq(unit_setting_append(u, "Service.Environment", "B=2 C=3"), 0);
        ck_assert_int_eq(unit_setting_append(u, "Service.Environment", ""), 0);
        l = unit_setting_get(u, "Service.Environment");
        ck_assert_int_eq(strv_length(l), 3);
        ck_assert_str_eq(l[0], "A=1");
        ck_assert_str_eq(l[1], "B=2 C=3");
        ck_assert_str_eq(l[2], "");
        ck_assert_str_eq(unit_setting_last(u, "Unit.Description"), "one");
        HASHMAP_FOREACH_KEY(values, key, u->settings)
                ck_assert_int_eq(strv_extend(&keys, key), 0);
        ck_assert_int_eq(strv_length(keys), 2);
        ck_assert_str_eq(keys[0], "Unit.Description");
        ck_assert_str_eq(keys[1], "Service.Environment");
        strv_free(keys);
        ck_assert_int_eq(unit_setting_append(v, "Unit.Description", "two"), 0);
        /* one copy of the key for both units */
        HASHMAP_FOREACH_KEY(values, key, v->settings)
                ck_assert_ptr_eq(key, hashmap_first_key(u->settings));
        unit_setting_reset(u, "Service.Environment");
        ck_assert_ptr_null(unit_setting_get(u, "Service.Environment"));
        ck_assert_str_eq(unit_setting_last(v, "Unit.Description"), "two");
}
END_TEST

START_TEST(test_bad_settings) {
        unit_tree_write(t.usr, "noexec.service", "[Service]\nType=simple\n");
        unit_tree_write(t.usr, "two.service", "[Service]\nExecStart=/bin/true\nExecStart=/bin/false\n");
        unit_tree_write(t.usr, "rel.service", "[Service]\nExecStart=bin/true\n");
        unit_tree_write(t.usr, "ign.service", "[Service]\nExecStart=-bin/true\nExecStart=/bin/true\n");
        unit_tree_write(t.usr, "oneshot.service", "[Service]\nType=oneshot\nExecStart=/bin/true\nExecStart=/bin/false\n");
        unit_tree_write(t.usr, "header.service", "[Service\nExecStart=/bin/true\n");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *a = unit_tree_show(m, "noexec.service", "LoadState");
        _cleanup_free_ char *b = unit_tree_show(m, "two.service", "LoadState");
        _cleanup_free_ char *c = unit_tree_show(m, "rel.service", "LoadState");
        _cleanup_free_ char *d = unit_tree_show(m, "ign.service", "LoadState");
        _cleanup_free_ char *e = unit_tree_show(m, "oneshot.service", "LoadState");
        _cleanup_free_ char *f = unit_tree_show(m, "header.service", "LoadState");
        ck_assert_str_eq(a, "bad-setting");
        ck_assert_str_eq(b, "bad-setting");
        ck_assert_str_eq(c, "bad-setting");
        ck_assert_str_eq(d, "loaded");
        ck_assert_str_eq(e, "loaded");
        ck_assert_str_eq(f, "error");
}
END_TEST

START_TEST(test_exec_lines) {
        unit_tree_write(t.usr, "e.service",
                        "[Service]\nType=oneshot\n"
                        "ExecStart=-@/bin/echo argv0 \"a b\" 'c' ; /bin/echo \\; %n\n"
                        "ExecStartPre=rm -f /x\n");
        m = unit_tree_manager(&t);
        SHOW("e.service", "ExecStart");
        ck_assert_str_eq(_v,
                         "{ path=/bin/echo ; argv[]=argv0 a b c ; ignore_errors=yes ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n"
                         "{ path=/bin/echo ; argv[]=/bin/echo ; e.service ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }");
        _cleanup_free_ char *pre = unit_tree_show(m, "e.service", "ExecStartPre");
        ck_assert_ptr_nonnull(strstr(pre, "path=rm ; argv[]=rm -f /x"));
}
END_TEST

START_TEST(test_empty_assignment_resets_lists_not_deps) {
        unit_tree_write(t.usr, "a.service", "[Unit]\nDocumentation=man:a\nAfter=x.service\n" SVC);
        unit_tree_write(t.usr, "a.service.d/r.conf", "[Unit]\nDocumentation=\nDocumentation=man:b\nAfter=\n[Service]\nExecStart=\nExecStart=/bin/false\n");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *doc = unit_tree_show(m, "a.service", "Documentation");
        _cleanup_free_ char *after = unit_tree_show(m, "a.service", "After");
        _cleanup_free_ char *start = unit_tree_show(m, "a.service", "ExecStart");
        ck_assert_str_eq(doc, "man:b");
        ck_assert(words_contain(after, "x.service"));
        ck_assert_ptr_nonnull(strstr(start, "path=/bin/false"));
        ck_assert_ptr_null(strstr(start, "/bin/true"));
}
END_TEST

START_TEST(test_continuation_comments_and_bom) {
        unit_tree_write(t.usr, "a.service", "\xef\xbb\xbf[Unit]\nDescription=one \\\n# comment inside\n two\n" SVC);
        m = unit_tree_manager(&t);
        SHOW("a.service", "Description");
        ck_assert_str_eq(_v, "one   two");
}
END_TEST

START_TEST(test_slice_defaults) {
        m = unit_tree_manager(&t);
        _cleanup_free_ char *d = unit_tree_show(m, "a-b-c.slice", "Description");
        _cleanup_free_ char *r = unit_tree_show(m, "a-b-c.slice", "Requires");
        _cleanup_free_ char *root = unit_tree_show(m, "-.slice", "Description");
        ck_assert_str_eq(d, "Slice /a/b/c");
        ck_assert(words_contain(r, "a-b.slice"));
        ck_assert_str_eq(root, "Root Slice");
}
END_TEST

START_TEST(test_socket_triggers_service) {
        unit_tree_write(t.usr, "s.socket", "[Socket]\nListenStream=/run/s.sock\n");
        unit_tree_write(t.usr, "s.service", SVC);
        m = unit_tree_manager(&t);
        _cleanup_free_ char *trig = unit_tree_show(m, "s.socket", "Triggers");
        _cleanup_free_ char *before = unit_tree_show(m, "s.socket", "Before");
        ck_assert_str_eq(trig, "s.service");
        ck_assert(words_contain(before, "s.service"));
        ck_assert(words_contain(before, "sockets.target"));
}
END_TEST

START_TEST(test_mount_default_dependencies) {
        unit_tree_write(t.usr, "srv-data.mount", "[Mount]\nWhat=/dev/sdb1\nWhere=/srv/data\nType=ext4\n");
        unit_tree_write(t.usr, "srv-net.mount", "[Mount]\nWhat=host:/x\nWhere=/srv/net\nType=nfs\nOptions=nofail\n");
        unit_tree_write(t.usr, "dev-x.mount", "[Mount]\nWhat=tmpfs\nWhere=/dev/x\nType=tmpfs\n");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *before = unit_tree_show(m, "srv-data.mount", "Before");
        _cleanup_free_ char *after = unit_tree_show(m, "srv-data.mount", "After");
        _cleanup_free_ char *desc = unit_tree_show(m, "srv-data.mount", "Description");
        _cleanup_free_ char *nbefore = unit_tree_show(m, "srv-net.mount", "Before");
        _cleanup_free_ char *nwants = unit_tree_show(m, "srv-net.mount", "Wants");
        _cleanup_free_ char *xslice = unit_tree_show(m, "dev-x.mount", "Slice");
        _cleanup_free_ char *xbefore = unit_tree_show(m, "dev-x.mount", "Before");
        ck_assert(words_contain(before, "local-fs.target"));
        ck_assert(words_contain(before, "umount.target"));
        ck_assert(words_contain(after, "local-fs-pre.target"));
        ck_assert(words_contain(after, "systemd-journald.socket"));
        ck_assert_str_eq(desc, "/srv/data");
        ck_assert(!words_contain(nbefore, "remote-fs.target")); /* nofail */
        ck_assert(words_contain(nwants, "network-online.target"));
        ck_assert_str_eq(xslice, "-.slice");                     /* API file systems are extrinsic */
        ck_assert(!words_contain(xbefore, "local-fs.target"));
}
END_TEST

START_TEST(test_dump_shows_every_setting) {
        unit_tree_write(t.usr, "s.service",
                        "[Service]\nExecStart=/bin/true\nTimeoutStartSec=90\nPrivateTmp=true\n"
                        "RuntimeDirectory=a b\nRuntimeDirectory=c\nNice=5\n[Install]\nWantedBy=multi-user.target\n");
        unit_tree_write(t.usr, "s.service.d/x.conf", "[Service]\nRuntimeDirectory=\nRuntimeDirectory=d\n");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *timeout = unit_tree_show(m, "s.service", "TimeoutStartUSec");
        _cleanup_free_ char *tmp = unit_tree_show(m, "s.service", "PrivateTmp");
        _cleanup_free_ char *dirs = unit_tree_show(m, "s.service", "RuntimeDirectory");
        _cleanup_free_ char *nice = unit_tree_show(m, "s.service", "Nice");
        _cleanup_free_ char *wanted = unit_tree_show(m, "s.service", "WantedBy");
        _cleanup_free_ char *after = unit_tree_show(m, "s.service", "After");
        ck_assert_str_eq(timeout, "1min 30s");
        ck_assert_str_eq(tmp, "yes");
        ck_assert_str_eq(dirs, "d");
        ck_assert_str_eq(nice, "5");
        ck_assert_str_eq(wanted, "");                  /* [Install] is for systemctl enable only */
        ck_assert(words_contain(after, "systemd-tmpfiles-setup.service")); /* PrivateTmp= */
        ck_assert(words_contain(after, "tmp.mount"));
}
END_TEST

START_TEST(test_trigger_settings_reset_as_one_list) {
        unit_tree_write(t.usr, "clock.timer", "[Timer]\nOnClockChange=yes\n");
        unit_tree_write(t.usr, "noclock.timer", "[Timer]\nOnClockChange=no\n");
        unit_tree_write(t.usr, "reset.timer", "[Timer]\nOnBootSec=5\nOnCalendar=\n");
        unit_tree_write(t.usr, "cal.timer", "[Timer]\nOnCalendar=daily\n");
        unit_tree_write(t.usr, "reset.socket", "[Socket]\nListenStream=/run/x\nListenFIFO=\n");
        unit_tree_write(t.usr, "reset.path", "[Path]\nPathExists=/x\nDirectoryNotEmpty=\n");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *a = unit_tree_show(m, "clock.timer", "LoadState");
        _cleanup_free_ char *b = unit_tree_show(m, "noclock.timer", "LoadState");
        _cleanup_free_ char *c = unit_tree_show(m, "reset.timer", "LoadState");
        _cleanup_free_ char *d = unit_tree_show(m, "reset.socket", "LoadState");
        _cleanup_free_ char *e = unit_tree_show(m, "reset.path", "LoadState");
        _cleanup_free_ char *after = unit_tree_show(m, "cal.timer", "After");
        _cleanup_free_ char *trig = unit_tree_show(m, "cal.timer", "Triggers");
        ck_assert_str_eq(a, "loaded");
        ck_assert_str_eq(b, "bad-setting");
        ck_assert_str_eq(c, "bad-setting"); /* an empty On*= empties every timer value */
        ck_assert_str_eq(d, "bad-setting");
        ck_assert_str_eq(e, "bad-setting");
        ck_assert(words_contain(after, "time-set.target"));
        ck_assert(words_contain(after, "time-sync.target"));
        ck_assert_str_eq(trig, "cal.service");
}
END_TEST

/* The name map is dropped once the manager is idle (manager_release_idle_memory()) and built
 * again by the next load: what loads afterwards sees the same aliases, drop-ins and .wants as
 * before, a file added meanwhile is found, and the rebuild of unchanged directories has the
 * same timestamp hash (so it is no reason to retry not-found units). While the map is dropped,
 * a drop-in lookup (a transient unit's load) looks on disk instead of finding nothing. */
START_TEST(test_name_map_released_when_idle) {
        _cleanup_strv_free_ char **files = NULL;
        uint64_t hash;

        unit_tree_write(t.usr, "a.service", "[Unit]\nDescription=a\n" SVC);
        unit_tree_write(t.usr, "b.service", "[Unit]\nDescription=base\n" SVC);
        unit_tree_link(t.etc, "b1.service", "b.service");
        unit_tree_write(t.etc, "b.service.d/10-x.conf", "[Unit]\nDescription=drop-in\n");
        unit_tree_link(t.etc, "b.service.wants/a.service", "../a.service");
        m = unit_tree_manager(&t);
        _cleanup_free_ char *a = unit_tree_show(m, "a.service", "Description");
        _cleanup_free_ char *nope = unit_tree_show(m, "nope.service", "LoadState");
        ck_assert_str_eq(a, "a");
        ck_assert_str_eq(nope, "not-found");
        ck_assert(m->unit_map.built);
        hash = m->unit_map.timestamp_hash;

        manager_release_idle_memory(m);
        ck_assert(!m->unit_map.built);
        ck_assert_ptr_null(m->unit_map.ids);
        ck_assert_int_eq(dropin_find_files(&m->unit_map, m->unit_path.search_path, ".d", ".conf", "b.service",
                                           NULL, &files), 0);
        ck_assert_uint_eq(strv_length(files), 1);
        ck_assert(endswith(files[0], "/b.service.d/10-x.conf"));
        ck_assert(!m->unit_map.built);
        ck_assert_int_eq(unit_map_update(&m->unit_map, &m->unit_path, false), 1);
        ck_assert_uint_eq(m->unit_map.timestamp_hash, hash);
        manager_release_idle_memory(m);

        unit_tree_write(t.run, "c.service", "[Unit]\nDescription=new\n" SVC);
        _cleanup_free_ char *id = unit_tree_show(m, "b1.service", "Id");
        _cleanup_free_ char *desc = unit_tree_show(m, "b.service", "Description");
        _cleanup_free_ char *wants = unit_tree_show(m, "b.service", "Wants");
        _cleanup_free_ char *c = unit_tree_show(m, "c.service", "Description");
        _cleanup_free_ char *nope2 = unit_tree_show(m, "nope.service", "LoadState");
        _cleanup_free_ char *a2 = unit_tree_show(m, "a.service", "Description");
        ck_assert_str_eq(id, "b.service");
        ck_assert_str_eq(desc, "drop-in");
        ck_assert_str_eq(wants, "a.service");
        ck_assert_str_eq(c, "new");
        ck_assert_str_eq(nope2, "not-found");
        ck_assert_str_eq(a2, "a");
        ck_assert(m->unit_map.built);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("unit-load");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_plain_fragment_and_description);
        tcase_add_test(tc, test_first_directory_wins);
        tcase_add_test(tc, test_not_found);
        tcase_add_test(tc, test_alias_names_and_id);
        tcase_add_test(tc, test_linked_unit_keeps_link_name);
        tcase_add_test(tc, test_masks);
        tcase_add_test(tc, test_mask_in_lower_directory_is_hidden);
        tcase_add_test(tc, test_template_and_instance);
        tcase_add_test(tc, test_template_cannot_be_loaded);
        tcase_add_test(tc, test_template_alias_propagates);
        tcase_add_test(tc, test_instance_alias_only_that_instance);
        tcase_add_test(tc, test_dropin_order_and_precedence);
        tcase_add_test(tc, test_name_map_released_when_idle);
        tcase_add_test(tc, test_dash_prefix_dropins);
        tcase_add_test(tc, test_symlinked_and_broken_dropin_dirs);
        tcase_add_test(tc, test_wants_directories_and_masks);
        tcase_add_test(tc, test_wants_entry_for_alias_resolves);
        tcase_add_test(tc, test_default_dependencies_of_service);
        tcase_add_test(tc, test_target_orders_after_wanted_units);
        tcase_add_test(tc, test_unknown_key_and_section_warnings);
        tcase_add_test(tc, test_settings_store);
        tcase_add_test(tc, test_bad_settings);
        tcase_add_test(tc, test_exec_lines);
        tcase_add_test(tc, test_empty_assignment_resets_lists_not_deps);
        tcase_add_test(tc, test_continuation_comments_and_bom);
        tcase_add_test(tc, test_slice_defaults);
        tcase_add_test(tc, test_socket_triggers_service);
        tcase_add_test(tc, test_mount_default_dependencies);
        tcase_add_test(tc, test_dump_shows_every_setting);
        tcase_add_test(tc, test_trigger_settings_reset_as_one_list);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
