/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of the manager's D-Bus endpoints (manager-bus.c, dbus-*.c) as a client sees them: a
 * manager with a tree of targets serves runtime_dir/systemd/private, and our own client library
 * talks to it on the same event loop (calls are asynchronous, the loop runs until the reply
 * arrives): GetAll on loaded and not-found units, StartUnit with JobNew/JobRemoved, unit
 * listings, the errors systemctl turns into exit codes, introspection, the environment. */

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "bus/bus-object.h"
#include "bus/bus.h"
#include "event.h"
#include "job.h"
#include "manager-bus.h"
#include "service.h"
#include "test-helpers.h"
#include "unit-tree.h"

#define MANAGER_PATH "/org/freedesktop/systemd1"
#define MANAGER_IFACE "org.freedesktop.systemd1.Manager"

static UnitTree t;
static Manager *m;
static Event *e;
static Bus *client;
static char runtime[256];
static char **signals; /* "Member arg1 arg2 …" of every signal received */

static int on_signal(Bus *bus, BusMessage *msg, void *userdata, BusError *error) {
        const char *member = bus_message_get_string_field(msg, BUS_FIELD_MEMBER);
        char line[512];

        if (streq(member, "JobNew")) {
                uint32_t id;
                const char *path, *unit;
                ck_assert_int_eq(bus_message_read(msg, "uos", &id, &path, &unit), 1);
                snprintf(line, sizeof line, "JobNew %s %s", path, unit);
        } else if (streq(member, "JobRemoved")) {
                uint32_t id;
                const char *path, *unit, *result;
                ck_assert_int_eq(bus_message_read(msg, "uoss", &id, &path, &unit, &result), 1);
                snprintf(line, sizeof line, "JobRemoved %s %s %s", path, unit, result);
        } else
                snprintf(line, sizeof line, "%s", member);
        ck_assert_int_eq(strv_extend(&signals, line), 0);
        return 0;
}

static void setup(void) {
        sigset_t ss;
        char address[300];

        sigemptyset(&ss);
        sigaddset(&ss, SIGCHLD);
        ck_assert_int_eq(sigprocmask(SIG_BLOCK, &ss, NULL), 0);
        unit_tree_init(&t);
        snprintf(runtime, sizeof runtime, "%s/runtime", t.root);
        unit_tree_mkdir_p(runtime);
        unit_tree_write(t.usr, "a.target", "[Unit]\nDescription=Alpha\nWants=b.target\nAfter=b.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\nDescription=Beta\n");
        unit_tree_write(t.usr, "c.target", "[Unit]\nDescription=Gamma\n");
        unit_tree_write(t.usr, "iso.target", "[Unit]\nAllowIsolate=yes\n");

        ck_assert_int_eq(event_new(&e), 0);
        m = unit_tree_manager(&t);
        m->test_run = true;
        ck_assert_int_eq(manager_setup_runtime(m, e, runtime), 0);
        ck_assert_int_eq(manager_bus_setup(m, -1), 0);

        snprintf(address, sizeof address, "unix:path=%s/systemd/private", runtime);
        ck_assert_int_eq(bus_new_client(e, address, false, &client), 0);
        ck_assert_int_eq(bus_add_match(client, NULL, "type='signal',interface='" MANAGER_IFACE "'",
                                       on_signal, NULL), 0);
        signals = NULL;
}

static void teardown(void) {
        client = bus_unref(client);
        manager_free(m);
        m = NULL;
        e = event_unref(e);
        signals = strv_free(signals);
        unit_tree_done(&t);
}

/* ---- a blocking call for a client on the server's own loop ---- */

typedef struct Pending {
        BusMessage *reply;
        BusError error;
        bool done;
} Pending;

static int on_reply(Bus *bus, BusMessage *reply, void *userdata, BusError *error) {
        Pending *p = userdata;

        p->done = true;
        p->reply = bus_message_ref(reply);
        if (bus_error_is_set(error))
                ck_assert_int_eq(bus_error_set(&p->error, error->name, error->message), -bus_error_name_to_errno(error->name));
        return 0;
}

static void run_until(bool *flag) {
        for (unsigned i = 0; !*flag && i < 2000; i++)
                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
        ck_assert_msg(*flag, "no answer");
}

/* Calls path.iface.member(types...) and returns the reply; *error is set for an error reply. */
static BusMessage *call(const char *path, const char *iface, const char *member, BusError *error,
                        const char *types, ...) {
        _cleanup_(bus_message_unrefp) BusMessage *msg = NULL;
        Pending p = {};
        va_list ap;

        ck_assert_int_eq(bus_message_new_method_call("org.freedesktop.systemd1", path, iface, member, &msg), 0);
        if (types) {
                va_start(ap, types);
                ck_assert_int_eq(bus_message_appendv(msg, types, ap), 0);
                va_end(ap);
        }
        ck_assert_int_eq(bus_call_async(client, NULL, msg, on_reply, &p, 5 * USEC_PER_SEC), 0);
        run_until(&p.done);
        if (error)
                *error = p.error;
        else {
                ck_assert_msg(!bus_error_is_set(&p.error), "%s.%s failed: %s: %s", iface, member,
                              p.error.name, p.error.message);
                bus_error_free(&p.error);
        }
        return p.reply;
}

/* GetAll("") of path: the property names in order (strv) and, for name, its signature and (if
 * a string) value. */
static char **get_all(const char *path, const char *name, char **ret_sig, char **ret_value) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        char **names = NULL;

        reply = call(path, "org.freedesktop.DBus.Properties", "GetAll", NULL, "s", "");
        ck_assert_int_gt(bus_message_enter_container(reply, 'a', "{sv}"), 0);
        while (bus_message_enter_container(reply, '{', "sv") > 0) {
                const char *key, *contents;
                char type;

                ck_assert_int_eq(bus_message_read_basic(reply, 's', &key), 1);
                ck_assert_int_eq(strv_extend(&names, key), 0);
                ck_assert_int_gt(bus_message_peek_type(reply, &type, &contents), 0);
                if (name && streq(key, name)) {
                        *ret_sig = strdup(contents);
                        if (streq(contents, "s")) {
                                const char *v;
                                ck_assert_int_gt(bus_message_enter_container(reply, 'v', "s"), 0);
                                ck_assert_int_eq(bus_message_read_basic(reply, 's', &v), 1);
                                *ret_value = strdup(v);
                                ck_assert_int_ge(bus_message_exit_container(reply), 0);
                        } else
                                ck_assert_int_ge(bus_message_skip(reply), 0);
                } else
                        ck_assert_int_ge(bus_message_skip(reply), 0);
                ck_assert_int_ge(bus_message_exit_container(reply), 0);
        }
        return names;
}

static char *get_string(const char *path, const char *iface, const char *property) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        const char *v;

        reply = call(path, "org.freedesktop.DBus.Properties", "Get", NULL, "ss", iface, property);
        ck_assert_int_eq(bus_message_read(reply, "v", "s", &v), 1);
        return strdup(v);
}

static uint64_t get_u64(const char *path, const char *iface, const char *property) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        uint64_t v;

        reply = call(path, "org.freedesktop.DBus.Properties", "Get", NULL, "ss", iface, property);
        ck_assert_int_eq(bus_message_read(reply, "v", "t", &v), 1);
        return v;
}

/* Asserts that a comes before b in l. */
static void assert_order(char **l, const char *a, const char *b) {
        ssize_t ia = -1, ib = -1;

        for (size_t i = 0; l && l[i]; i++) {
                if (ia < 0 && streq(l[i], a))
                        ia = (ssize_t) i;
                if (ib < 0 && streq(l[i], b))
                        ib = (ssize_t) i;
        }
        ck_assert_msg(ia >= 0 && ib >= 0 && ia < ib, "expected %s before %s", a, b);
}

static bool service_type_available(void) {
        return unit_vtable[UNIT_SERVICE]->object_size >= sizeof(Service);
}

START_TEST(test_private_socket_and_booted_dir) {
        char path[400];
        struct stat st;

        snprintf(path, sizeof path, "%s/systemd/system", runtime);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert(S_ISDIR(st.st_mode));
        snprintf(path, sizeof path, "%s/systemd/private", runtime);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert(S_ISSOCK(st.st_mode));
        ck_assert_int_eq(st.st_mode & 0077, 0);
        ck_assert_int_ge(manager_bus_listen_fd(m), 0);
}
END_TEST

START_TEST(test_get_all_target) {
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_free_ char *sig = NULL, *value = NULL, *job_sig = NULL, *unused = NULL;
        _cleanup_free_ char *d = NULL;

        names = get_all("/org/freedesktop/systemd1/unit/a_2etarget", "Description", &sig, &value);
        ck_assert_str_eq(names[0], "Id");
        ck_assert_str_eq(sig, "s");
        ck_assert_str_eq(value, "Alpha");
        ck_assert(strv_contains(names, "LoadState"));
        ck_assert(strv_contains(names, "InvocationID"));
        ck_assert(!strv_contains(names, "OnSuccesJobMode")); /* hidden */
        strv_free(get_all("/org/freedesktop/systemd1/unit/a_2etarget", "Job", &job_sig, &unused));
        ck_assert_str_eq(job_sig, "(uo)");

        d = get_string("/org/freedesktop/systemd1/unit/a_2etarget", "org.freedesktop.systemd1.Unit", "LoadState");
        ck_assert_str_eq(d, "loaded");
        /* loaded on demand: b.target was never asked for by name */
        free(d);
        d = get_string("/org/freedesktop/systemd1/unit/c_2etarget", "org.freedesktop.systemd1.Unit", "Description");
        ck_assert_str_eq(d, "Gamma");
}
END_TEST

START_TEST(test_get_all_not_found) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_free_ char *sig = NULL, *value = NULL;
        const char *ename, *emsg;

        names = get_all("/org/freedesktop/systemd1/unit/x_2dnonexist_2eservice", "LoadState", &sig, &value);
        ck_assert_str_eq(value, "not-found");
        /* the type interface comes first */
        ck_assert_str_eq(names[0], service_type_available() ? "Type" : "Id");
        if (service_type_available()) {
                assert_order(names, "MainPID", "ExecMainPID");
                assert_order(names, "ExecStart", "ControlGroup");
                assert_order(names, "KillMode", "Id");
        }
        reply = call("/org/freedesktop/systemd1/unit/x_2dnonexist_2eservice", "org.freedesktop.DBus.Properties",
                     "Get", NULL, "ss", "org.freedesktop.systemd1.Unit", "LoadError");
        ck_assert_int_eq(bus_message_read(reply, "v", "(ss)", &ename, &emsg), 1);
        ck_assert_str_eq(ename, "org.freedesktop.systemd1.NoSuchUnit");
        ck_assert_str_eq(emsg, "Unit x-nonexist.service not found.");
}
END_TEST

START_TEST(test_start_unit_signals) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        _cleanup_free_ char *state = NULL;
        char expect_new[256], expect_removed[256];
        const char *job;
        bool removed = false;

        reply = call(MANAGER_PATH, MANAGER_IFACE, "StartUnit", NULL, "ss", "a.target", "replace");
        ck_assert_int_eq(bus_message_read(reply, "o", &job), 1);
        ck_assert(startswith(job, "/org/freedesktop/systemd1/job/"));
        snprintf(expect_new, sizeof expect_new, "JobNew %s a.target", job);
        snprintf(expect_removed, sizeof expect_removed, "JobRemoved %s a.target done", job);
        for (unsigned i = 0; !removed && i < 500; i++) {
                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
                removed = strv_contains(signals, expect_removed);
        }
        ck_assert_msg(removed, "no JobRemoved for %s", job);
        assert_order(signals, expect_new, expect_removed);
        state = get_string("/org/freedesktop/systemd1/unit/a_2etarget", "org.freedesktop.systemd1.Unit",
                           "ActiveState");
        ck_assert_str_eq(state, "active");
        free(state);
        state = get_string("/org/freedesktop/systemd1/unit/b_2etarget", "org.freedesktop.systemd1.Unit",
                           "ActiveState");
        ck_assert_str_eq(state, "active");
}
END_TEST

static char **list_ids(BusMessage *reply) {
        char **ids = NULL;
        const char *id;

        ck_assert_int_gt(bus_message_enter_container(reply, 'a', "(ssssssouso)"), 0);
        while (bus_message_read(reply, "(ssssssouso)", &id, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                NULL, NULL) > 0)
                ck_assert_int_eq(strv_extend(&ids, id), 0);
        return ids;
}

START_TEST(test_list_units_by_patterns) {
        _cleanup_(bus_message_unrefp) BusMessage *r1 = NULL, *r2 = NULL, *r3 = NULL;
        _cleanup_strv_free_ char **ids = NULL, **active = NULL, **all = NULL;
        Unit *u;

        ck_assert_int_eq(manager_load_unit(m, "a.target", &u), 0);
        ck_assert_int_eq(manager_load_unit(m, "c.target", &u), 0);
        r1 = call(MANAGER_PATH, MANAGER_IFACE, "ListUnitsByPatterns", NULL, "asas", 0, 1, "a.*");
        ids = list_ids(r1);
        ck_assert_int_eq(strv_length(ids), 1);
        ck_assert_str_eq(ids[0], "a.target");
        r2 = call(MANAGER_PATH, MANAGER_IFACE, "ListUnitsByPatterns", NULL, "asas", 1, "active", 0);
        active = list_ids(r2);
        ck_assert(!strv_contains(active, "c.target"));
        r3 = call(MANAGER_PATH, MANAGER_IFACE, "ListUnits", NULL, NULL);
        all = list_ids(r3);
        ck_assert(strv_contains(all, "a.target") && strv_contains(all, "b.target") && strv_contains(all, "c.target"));
}
END_TEST

static void assert_error(BusMessage *reply, BusError *error, const char *name, const char *message) {
        ck_assert_msg(bus_error_has_name(error, name), "expected %s, got %s", name, error->name);
        ck_assert_str_eq(error->message, message);
        bus_error_free(error);
        bus_message_unref(reply);
}

START_TEST(test_errors) {
        BusError error = BUS_ERROR_NULL;
        BusMessage *r;
        Unit *u;

        r = call(MANAGER_PATH, MANAGER_IFACE, "GetUnit", &error, "s", "nope.target");
        assert_error(r, &error, "org.freedesktop.systemd1.NoSuchUnit", "Unit nope.target not loaded.");
        r = call(MANAGER_PATH, MANAGER_IFACE, "StartUnit", &error, "ss", "foo@.service", "replace");
        assert_error(r, &error, BUS_ERROR_INVALID_ARGS, "Unit name foo@.service is missing the instance name.");
        r = call(MANAGER_PATH, MANAGER_IFACE, "StartUnit", &error, "ss", "foo", "replace");
        assert_error(r, &error, BUS_ERROR_INVALID_ARGS, "Unit name foo is not valid.");
        r = call(MANAGER_PATH, MANAGER_IFACE, "StartUnit", &error, "ss", "a.target", "bogus");
        assert_error(r, &error, BUS_ERROR_INVALID_ARGS, "Job mode bogus invalid");
        r = call(MANAGER_PATH, MANAGER_IFACE, "StartUnit", &error, "ss", "missing.target", "replace");
        assert_error(r, &error, "org.freedesktop.systemd1.NoSuchUnit", "Unit missing.target not found.");
        r = call(MANAGER_PATH, MANAGER_IFACE, "GetJob", &error, "u", 999);
        assert_error(r, &error, "org.freedesktop.systemd1.NoSuchJob", "Job 999 does not exist.");
        r = call(MANAGER_PATH, MANAGER_IFACE, "KillUnit", &error, "ssi", "nope.service", "all", 15);
        assert_error(r, &error, "org.freedesktop.systemd1.NoSuchUnit", "Unit nope.service not loaded.");
        /* GetUnit of a unit the manager loaded works */
        ck_assert_int_eq(manager_load_unit(m, "c.target", &u), 0);
        r = call(MANAGER_PATH, MANAGER_IFACE, "GetUnit", NULL, "s", "c.target");
        {
                const char *p;
                ck_assert_int_eq(bus_message_read(r, "o", &p), 1);
                ck_assert_str_eq(p, "/org/freedesktop/systemd1/unit/c_2etarget");
        }
        bus_message_unref(r);
}
END_TEST

/* As systemd: a unit that a client only had loaded (LoadUnit, a property read of a unit that
 * does not exist) is collected after that call, unless something keeps it (a bus reference, a
 * job, a dependency). */
START_TEST(test_client_loads_collected) {
        BusError error = BUS_ERROR_NULL;
        BusMessage *r;

        bus_message_unref(call(MANAGER_PATH, MANAGER_IFACE, "LoadUnit", NULL, "s", "c.target"));
        r = call(MANAGER_PATH, MANAGER_IFACE, "GetUnit", &error, "s", "c.target");
        assert_error(r, &error, "org.freedesktop.systemd1.NoSuchUnit", "Unit c.target not loaded.");
        bus_message_unref(call("/org/freedesktop/systemd1/unit/ghost_2eservice", "org.freedesktop.DBus.Properties",
                               "Get", NULL, "ss", "org.freedesktop.systemd1.Unit", "LoadState"));
        for (unsigned i = 0; i < 5; i++)
                ck_assert_int_ge(event_run(e, 0), 0);
        ck_assert_ptr_null(manager_get_unit(m, "ghost.service"));
        /* kept: a bus reference, a dependency of a kept unit */
        bus_message_unref(call(MANAGER_PATH, MANAGER_IFACE, "LoadUnit", NULL, "s", "c.target"));
        bus_message_unref(call("/org/freedesktop/systemd1/unit/c_2etarget", "org.freedesktop.systemd1.Unit", "Ref",
                               NULL, NULL));
        bus_message_unref(call(MANAGER_PATH, MANAGER_IFACE, "StartUnit", NULL, "ss", "a.target", "replace"));
        for (unsigned i = 0; i < 20; i++)
                ck_assert_int_ge(event_run(e, 0), 0);
        ck_assert_ptr_nonnull(manager_get_unit(m, "c.target"));
        ck_assert_ptr_nonnull(manager_get_unit(m, "b.target")); /* wanted by the active a.target */
        bus_message_unref(call("/org/freedesktop/systemd1/unit/c_2etarget", "org.freedesktop.systemd1.Unit", "Unref",
                               NULL, NULL));
        r = call(MANAGER_PATH, MANAGER_IFACE, "GetUnit", &error, "s", "c.target");
        assert_error(r, &error, "org.freedesktop.systemd1.NoSuchUnit", "Unit c.target not loaded.");
}
END_TEST

START_TEST(test_list_jobs) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;

        reply = call(MANAGER_PATH, MANAGER_IFACE, "ListJobs", NULL, NULL);
        ck_assert(bus_message_has_signature(reply, "a(usssoo)"));
}
END_TEST

START_TEST(test_introspect) {
        _cleanup_(bus_message_unrefp) BusMessage *r1 = NULL, *r2 = NULL;
        const char *xml;

        r1 = call("/", "org.freedesktop.DBus.Introspectable", "Introspect", NULL, NULL);
        ck_assert_int_eq(bus_message_read(r1, "s", &xml), 1);
        ck_assert_ptr_nonnull(strstr(xml, "<node name=\"org\"/>"));
        r2 = call("/org/freedesktop/systemd1/unit/a_2etarget", "org.freedesktop.DBus.Introspectable",
                  "Introspect", NULL, NULL);
        ck_assert_int_eq(bus_message_read(r2, "s", &xml), 1);
        ck_assert_ptr_nonnull(strstr(xml, "<interface name=\"org.freedesktop.systemd1.Unit\">"));
        ck_assert_ptr_nonnull(strstr(xml, "<interface name=\"org.freedesktop.systemd1.Target\">"));
        ck_assert_ptr_nonnull(strstr(xml, "<property name=\"ActiveState\" type=\"s\" access=\"read\">"));
}
END_TEST

START_TEST(test_environment) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        _cleanup_strv_free_ char **env = NULL;
        BusError error = BUS_ERROR_NULL;

        bus_message_unref(call(MANAGER_PATH, MANAGER_IFACE, "SetEnvironment", NULL, "as", 2, "FOO=bar", "X=1"));
        bus_message_unref(call(MANAGER_PATH, MANAGER_IFACE, "UnsetEnvironment", NULL, "as", 1, "X"));
        reply = call(MANAGER_PATH, "org.freedesktop.DBus.Properties", "Get", NULL, "ss", MANAGER_IFACE, "Environment");
        ck_assert_int_gt(bus_message_enter_container(reply, 'v', "as"), 0);
        ck_assert_int_eq(bus_message_read_strv(reply, &env), 1);
        ck_assert(strv_contains(env, "FOO=bar"));
        ck_assert(!strv_find_prefix(env, "X="));
        bus_message_unref(call(MANAGER_PATH, MANAGER_IFACE, "SetEnvironment", &error, "as", 1, "=bad"));
        ck_assert(bus_error_has_name(&error, BUS_ERROR_INVALID_ARGS));
        bus_error_free(&error);
}
END_TEST

/* DefaultLimit*: the defaults the manager gives units (NOFILE and MEMLOCK), else its own. */
START_TEST(test_default_limits) {
        struct rlimit own;

        m->default_rlimits[RLIMIT_NOFILE] = (struct rlimit) { 777, 4242 };
        ck_assert_uint_eq(get_u64(MANAGER_PATH, MANAGER_IFACE, "DefaultLimitNOFILE"), 4242);
        ck_assert_uint_eq(get_u64(MANAGER_PATH, MANAGER_IFACE, "DefaultLimitNOFILESoft"), 777);
        ck_assert_uint_eq(get_u64(MANAGER_PATH, MANAGER_IFACE, "DefaultLimitMEMLOCK"),
                          m->default_rlimits[RLIMIT_MEMLOCK].rlim_max);
        ck_assert_int_eq(getrlimit(RLIMIT_STACK, &own), 0);
        ck_assert_uint_eq(get_u64(MANAGER_PATH, MANAGER_IFACE, "DefaultLimitSTACKSoft"),
                          own.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t) own.rlim_cur);
}
END_TEST

START_TEST(test_busctl) {
        char cmd[2048], result[400];
        struct stat st;
        Unit *u;

        if (access("/usr/bin/busctl", X_OK) < 0) {
                fprintf(stderr, "busctl not installed, skipping\n");
                return;
        }
        /* busctl runs in a child while this process serves it; the manager reaps the child
         * (SIGCHLD is its), so the child reports through a file. */
        snprintf(result, sizeof result, "%s/busctl.result", runtime);
        snprintf(cmd, sizeof cmd,
                 "A=unix:path=%s/systemd/private; S=org.freedesktop.systemd1; "
                 "busctl --address=$A call $S " MANAGER_PATH " " MANAGER_IFACE " GetUnit s a.target | "
                 "grep -q '^o \"/org/freedesktop/systemd1/unit/a_2etarget\"$' || exit 1; "
                 "busctl --address=$A get-property $S " MANAGER_PATH " " MANAGER_IFACE " Version | "
                 "grep -q '^s \"252' || exit 2; "
                 "busctl --address=$A introspect $S " MANAGER_PATH "/unit/a_2etarget | "
                 "grep -q '^.ActiveState  *property  *s  *\"inactive\"' || exit 3; exit 0",
                 runtime);
        ck_assert_int_eq(manager_load_unit(m, "a.target", &u), 0); /* loaded by the manager: kept */
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                FILE *f;
                int r = system(cmd);
                f = fopen(result, "we");
                if (f) {
                        fprintf(f, "%d\n", WIFEXITED(r) ? WEXITSTATUS(r) : 99);
                        fclose(f);
                }
                _exit(0);
        }
        for (unsigned i = 0; i < 1000 && stat(result, &st) < 0; i++)
                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
        for (unsigned i = 0; i < 10; i++)
                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
        {
                FILE *f = fopen(result, "re");
                int code = -1;
                ck_assert_ptr_nonnull(f);
                ck_assert_int_eq(fscanf(f, "%d", &code), 1);
                fclose(f);
                ck_assert_msg(code == 0, "busctl check %d failed", code);
        }
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("manager-bus");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_private_socket_and_booted_dir);
        tcase_add_test(tc, test_get_all_target);
        tcase_add_test(tc, test_get_all_not_found);
        tcase_add_test(tc, test_start_unit_signals);
        tcase_add_test(tc, test_list_units_by_patterns);
        tcase_add_test(tc, test_errors);
        tcase_add_test(tc, test_client_loads_collected);
        tcase_add_test(tc, test_list_jobs);
        tcase_add_test(tc, test_introspect);
        tcase_add_test(tc, test_environment);
        tcase_add_test(tc, test_default_limits);
        tcase_add_test(tc, test_busctl);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
