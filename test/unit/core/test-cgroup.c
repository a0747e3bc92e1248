/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tests of the cgroup tree (cgroup.h): where units' cgroups go (systemd 252's layout and
 * escaping), the degraded mode without cgroup2, and, where this machine lets us create a
 * cgroup2 directory, the real thing in a temporary cgroup of our own: realize, processes found
 * by unit and by pid, kill through the cgroup, the empty notification through the event loop,
 * and removal. The temporary cgroup is removed at the end; no other cgroup is touched.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "event.h"
#include "fd-util.h"
#include "test-helpers.h"
#include "unit-tree.h"

static UnitTree tree;

static void setup(void) {
        unit_tree_init(&tree);
}

static void teardown(void) {
        unit_tree_done(&tree);
}

static Manager *load_manager(void) {
        Manager *m = unit_tree_manager(&tree);

        unit_tree_write(tree.usr, "a.service", "[Service]\nExecStart=/bin/sleep 1000\n");
        unit_tree_write(tree.usr, "cpu.service", "[Service]\nExecStart=/bin/true\n");
        unit_tree_write(tree.usr, "getty@.service", "[Service]\nExecStart=/bin/true\n");
        unit_tree_write(tree.usr, "x.service", "[Service]\nSlice=foo-bar.slice\nExecStart=/bin/true\n");
        unit_tree_write(tree.usr, "foo-bar.slice", "[Slice]\n");
        unit_tree_write(tree.usr, "_under.service", "[Service]\nExecStart=/bin/true\n");
        ck_assert_int_eq(manager_setup_perpetual_units(m), 0);
        return m;
}

static Unit *load(Manager *m, const char *name) {
        Unit *u;

        ck_assert_int_eq(manager_load_unit(m, name, &u), 0);
        ck_assert_int_eq(u->load_state, UNIT_LOADED);
        return u;
}

static void assert_default_path(Manager *m, const char *name, const char *expected) {
        _cleanup_free_ char *p = unit_default_cgroup_path(load(m, name));

        ck_assert_ptr_nonnull(p);
        ck_assert_str_eq(p, expected);
}

START_TEST(test_escape) {
        const struct {
                const char *in, *out;
        } cases[] = {
                { "foo.service", "foo.service" },
                { "getty@tty1.service", "getty@tty1.service" },
                { "_foo.service", "__foo.service" },
                { ".hidden", "_.hidden" },
                { "cgroup.procs", "_cgroup.procs" },
                { "tasks", "_tasks" },
                { "notify_on_release", "_notify_on_release" },
                { "release_agent", "_release_agent" },
                { "cpu.service", "_cpu.service" },
                { "memory.slice", "_memory.slice" },
                { "bpf-firewall.socket", "_bpf-firewall.socket" },
                { "cpuset-x.service", "cpuset-x.service" },
                { "pid.service", "pid.service" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *e = cgroup_escape(cases[i].in);
                ck_assert_ptr_nonnull(e);
                ck_assert_str_eq(e, cases[i].out);
        }
}
END_TEST

START_TEST(test_slice_to_path) {
        const struct {
                const char *in, *out;
        } ok[] = {
                { "-.slice", "" },
                { "system.slice", "/system.slice" },
                { "system-getty.slice", "/system.slice/system-getty.slice" },
                { "a-b-c.slice", "/a.slice/a-b.slice/a-b-c.slice" },
                { "cpu-x.slice", "/_cpu.slice/cpu-x.slice" },
                { "user-1000.slice", "/user.slice/user-1000.slice" },
        };
        const char *bad[] = { "-foo.slice", "a--b.slice", "a-.slice", "foo.service", "foo", "" };

        for (size_t i = 0; i < ELEMENTSOF(ok); i++) {
                _cleanup_free_ char *p = NULL;
                ck_assert_int_eq(cgroup_slice_to_path(ok[i].in, &p), 0);
                ck_assert_str_eq(p, ok[i].out);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char *p = NULL;
                ck_assert_msg(cgroup_slice_to_path(bad[i], &p) == -EINVAL, "%s accepted", bad[i]);
                ck_assert_ptr_null(p);
        }
}
END_TEST

/* systemd 252's layout: services in system.slice, instances in system-<template>.slice, Slice=
 * honoured with its parents, init.scope and -.slice at the root. */
START_TEST(test_default_cgroup_path) {
        _cleanup_(manager_freep) Manager *m = load_manager();

        assert_default_path(m, "a.service", "/system.slice/a.service");
        assert_default_path(m, "getty@tty1.service", "/system.slice/system-getty.slice/getty@tty1.service");
        assert_default_path(m, "system-getty.slice", "/system.slice/system-getty.slice");
        assert_default_path(m, "x.service", "/foo.slice/foo-bar.slice/x.service");
        assert_default_path(m, "foo-bar.slice", "/foo.slice/foo-bar.slice");
        assert_default_path(m, "foo.slice", "/foo.slice");
        assert_default_path(m, "system.slice", "/system.slice");
        assert_default_path(m, "cpu.service", "/system.slice/_cpu.service");
        assert_default_path(m, "_under.service", "/system.slice/__under.service");
        assert_default_path(m, "init.scope", "/init.scope");
        assert_default_path(m, "-.slice", "");

        /* below a manager whose root is not the top (a container, a test) */
        m->cgroup_root = strdup("/machine.slice/box");
        assert_default_path(m, "a.service", "/machine.slice/box/system.slice/a.service");
        assert_default_path(m, "init.scope", "/machine.slice/box/init.scope");
        assert_default_path(m, "-.slice", "/machine.slice/box");
        m->cgroup_root = mfree(m->cgroup_root);
}
END_TEST

/* No cgroup2: one warning, and everything degrades to "no cgroup" answers. */
START_TEST(test_no_cgroup2) {
        _cleanup_(manager_freep) Manager *m = load_manager();
        Unit *u = load(m, "a.service");
        LogCapture *c = malloc(sizeof *c);
        pid_t *pids = NULL;
        size_t n = 0;

        ck_assert_ptr_nonnull(c);
        ck_assert_int_eq(setenv("SYSMASTER_CGROUP_MOUNT", "none", 1), 0);
        log_capture_start(c);
        ck_assert_int_eq(manager_setup_cgroup(m), 0);
        ck_assert_int_eq(manager_setup_cgroup(m), 0);
        log_capture_stop();
        ck_assert_log_contains(c, "No cgroup2 hierarchy found, tracking processes by PID only.");
        ck_assert_ptr_null(strstr(strstr(c->buf, "No cgroup2") + 1, "No cgroup2")); /* once */
        ck_assert(!manager_has_cgroup(m));
        ck_assert_int_eq(unit_realize_cgroup(u), 0);
        ck_assert_ptr_null(u->cgroup_path);
        ck_assert_ptr_null(unit_cgroup_fs_path(u));
        ck_assert_int_eq(unit_cgroup_kill(u, SIGTERM, true, NULL, 0), -ENODATA);
        ck_assert_int_eq(unit_cgroup_is_empty(u), -ENODATA);
        ck_assert_int_eq(unit_cgroup_pids(u, &pids, NULL, &n), -ENODATA);
        ck_assert_ptr_null(manager_get_unit_by_cgroup_pid(m, getpid()));
        ck_assert(unit_get_memory_current(u) == UINT64_MAX);
        ck_assert(unit_get_tasks_current(u) == UINT64_MAX);
        ck_assert(unit_get_cpu_usage_nsec(u) == UINT64_MAX);
        unit_prune_cgroup(u);
        manager_shutdown_cgroup(m);
        free(c);
        unsetenv("SYSMASTER_CGROUP_MOUNT");
}
END_TEST

/* ---- the real thing, in a temporary cgroup ------------------------------------------------ */

static char cg_mount[64];        /* where cgroup2 is */
static char cg_root[400];        /* our temporary cgroup, as a cgroup path */
static char cg_dir[480];         /* the same in the file system */
static const char *cg_skip;      /* why the real tests are skipped */
static char expected_buf[600];

static bool is_cgroup2(const char *p) {
        struct statfs fs;
        return statfs(p, &fs) >= 0 && (uint64_t) fs.f_type == (uint64_t) CGROUP2_SUPER_MAGIC;
}

static void real_setup(void) {
        char self[300] = "", buf[4096];
        FILE *f;

        if (is_cgroup2("/sys/fs/cgroup"))
                snprintf(cg_mount, sizeof cg_mount, "/sys/fs/cgroup");
        else if (is_cgroup2("/sys/fs/cgroup/unified"))
                snprintf(cg_mount, sizeof cg_mount, "/sys/fs/cgroup/unified");
        else {
                cg_skip = "no cgroup2 mounted";
                return;
        }
        f = fopen("/proc/self/cgroup", "re");
        if (!f) {
                cg_skip = "no /proc/self/cgroup";
                return;
        }
        while (fgets(buf, sizeof buf, f))
                if (strncmp(buf, "0::", 3) == 0) {
                        size_t l = strcspn(buf + 3, "\n");
                        if (l < sizeof self) {
                                memcpy(self, buf + 3, l);
                                self[l] = 0;
                        }
                }
        fclose(f);
        if (streq(self, "/"))
                self[0] = 0;
        snprintf(cg_root, sizeof cg_root, "%s/sysmaster-test-cgroup-%d", self, (int) getpid());
        snprintf(cg_dir, sizeof cg_dir, "%s%s", cg_mount, cg_root);
        if (mkdir(cg_dir, 0755) < 0) {
                cg_skip = "cannot create a cgroup2 directory (not root, or cgroup2 read-only)";
                cg_dir[0] = 0;
        }
}

/* Kills whatever is left in dir's tree and removes it, children first. */
static void cgroup_destroy(const char *dir) {
        char path[1024];
        DIR *d;
        struct dirent *de;
        FILE *f;
        int pid;

        d = opendir(dir);
        if (!d)
                return;
        while ((de = readdir(d)))
                if (de->d_type == DT_DIR && de->d_name[0] != '.') {
                        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
                        cgroup_destroy(path);
                }
        closedir(d);
        snprintf(path, sizeof path, "%s/cgroup.procs", dir);
        for (int tries = 0; tries < 100; tries++) {
                bool any = false;
                f = fopen(path, "re");
                if (f) {
                        while (fscanf(f, "%d", &pid) == 1) {
                                (void) kill(pid, SIGKILL);
                                any = true;
                        }
                        fclose(f);
                }
                if (!any || rmdir(dir) >= 0)
                        break;
                usleep(10000);
        }
        (void) rmdir(dir);
}

static void real_teardown(void) {
        if (cg_dir[0])
                cgroup_destroy(cg_dir);
}

/* One write(2), as cgroup files want it. */
static int write_pid_to(const char *procs, pid_t pid) {
        char buf[32];
        int fd = open(procs, O_WRONLY | O_CLOEXEC);
        ssize_t n;

        if (fd < 0)
                return -errno;
        snprintf(buf, sizeof buf, "%d\n", (int) pid);
        n = write(fd, buf, strlen(buf));
        close(fd);
        return n == (ssize_t) strlen(buf) ? 0 : -errno;
}

static pid_t spawn_into(const char *cgroup_dir) {
        char procs[1024], x;
        int ready[2];
        pid_t pid;

        ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                /* not libcheck's handlers: they signal the whole test */
                signal(SIGTERM, SIG_DFL);
                signal(SIGINT, SIG_DFL);
                signal(SIGALRM, SIG_DFL);
                (void) write(ready[1], "x", 1);
                for (;;)
                        pause();
        }
        close(ready[1]);
        ck_assert_int_eq(read(ready[0], &x, 1), 1);
        close(ready[0]);
        snprintf(procs, sizeof procs, "%s/cgroup.procs", cgroup_dir);
        ck_assert_int_eq(write_pid_to(procs, pid), 0);
        return pid;
}

/* Runs the loop until *flag == want (or 5 s pass). */
static void run_until(Event *e, const bool *flag, bool want) {
        for (int i = 0; i < 500 && *flag != want; i++)
                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
        ck_assert_int_eq(*flag, want);
}

static bool has_pid(const pid_t *pids, size_t n, pid_t pid) {
        for (size_t i = 0; i < n; i++)
                if (pids[i] == pid)
                        return true;
        return false;
}

START_TEST(test_real_cgroup) {
        Manager *m;
        Event *e = NULL;
        Unit *u, *slice;
        LogCapture *c;
        pid_t p1, p2, *pids = NULL;
        char **paths = NULL;
        size_t n = 0;
        char sub[1024], expected[600];
        _cleanup_free_ char *fs = NULL;
        int status;

        if (cg_skip) {
                fprintf(stderr, "SKIP: test_real_cgroup: %s\n", cg_skip);
                return;
        }
        m = load_manager();
        ck_assert_int_eq(event_new(&e), 0);
        m->event = e;
        m->test_run = true;
        m->cgroup_mount = strdup(cg_mount);
        m->cgroup_root = strdup(cg_root);
        ck_assert_int_eq(manager_setup_cgroup(m), 0);
        ck_assert(manager_has_cgroup(m));

        /* realize: the cgroup and its slice's exist and are known */
        u = load(m, "a.service");
        ck_assert_int_eq(unit_realize_cgroup(u), 0);
        snprintf(expected, sizeof expected, "%s/system.slice/a.service", cg_root);
        ck_assert_str_eq(u->cgroup_path, expected);
        ck_assert(u->cgroup_realized);
        fs = unit_cgroup_fs_path(u);
        ck_assert_ptr_nonnull(fs);
        ck_assert_int_eq(access(fs, F_OK), 0);
        slice = manager_get_unit(m, "system.slice");
        ck_assert_ptr_nonnull(slice);
        ck_assert_ptr_nonnull(slice->cgroup_path);
        snprintf(expected, sizeof expected, "%s/system.slice", cg_root);
        ck_assert_str_eq(slice->cgroup_path, expected);
        ck_assert_int_eq(unit_cgroup_is_empty(u), 1);
        ck_assert(!u->cgroup_populated);

        /* two processes, one in a sub-cgroup: found by unit and by pid */
        p1 = spawn_into(fs);
        snprintf(sub, sizeof sub, "%s/sub", fs);
        ck_assert_int_eq(mkdir(sub, 0755), 0);
        p2 = spawn_into(sub);
        run_until(e, &u->cgroup_populated, true);
        ck_assert_int_eq(unit_cgroup_is_empty(u), 0);
        ck_assert_int_eq(unit_cgroup_pids(u, &pids, &paths, &n), 0);
        ck_assert_uint_eq(n, 2);
        ck_assert(has_pid(pids, n, p1) && has_pid(pids, n, p2));
        ck_assert_str_eq(paths[pids[0] == p1 ? 0 : 1], u->cgroup_path);
        snprintf(expected, sizeof expected, "%s/sub", u->cgroup_path);
        ck_assert_str_eq(paths[pids[0] == p1 ? 1 : 0], expected);
        free(pids);
        strv_free(paths);
        ck_assert_ptr_eq(manager_get_unit_by_cgroup_pid(m, p1), u);
        ck_assert_ptr_eq(manager_get_unit_by_cgroup_pid(m, p2), u);
        ck_assert_ptr_null(manager_get_unit_by_cgroup_pid(m, getpid()));
        /* pruned while it has processes: kept, both directories, and still the unit's */
        unit_prune_cgroup(u);
        ck_assert_int_eq(access(sub, F_OK), 0);
        ck_assert_ptr_nonnull(u->cgroup_path);
        ck_assert(u->cgroup_realized);
        ck_assert_ptr_eq(manager_get_unit_by_cgroup_pid(m, p2), u);
        ck_assert(unit_get_cpu_usage_nsec(u) != UINT64_MAX);
        {
                /* only where the memory controller is enabled (not on a hybrid system) */
                char mem[1100];
                snprintf(mem, sizeof mem, "%s/memory.current", fs);
                ck_assert_int_eq(unit_get_memory_current(u) != UINT64_MAX, access(mem, F_OK) == 0);
        }

        /* kill: both, except what is excepted; the manager is never signalled */
        ck_assert_int_eq(unit_cgroup_kill(u, SIGTERM, true, &p2, 1), 1);
        ck_assert_int_eq(waitpid(p1, &status, 0), p1);
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
        ck_assert_int_eq(unit_cgroup_kill(u, SIGTERM, true, NULL, 0), 1);
        ck_assert_int_eq(waitpid(p2, &status, 0), p2);
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
        ck_assert_int_eq(unit_cgroup_kill(u, SIGTERM, true, NULL, 0), 0);

        /* the empty notification comes through the event loop */
        c = malloc(sizeof *c);
        ck_assert_ptr_nonnull(c);
        log_capture_start(c);
        run_until(e, &u->cgroup_populated, false);
        log_capture_stop();
        ck_assert_log_contains(c, "a.service: Control group is empty.");
        free(c);
        /* (an inactive service prunes its empty cgroup itself) */
        ck_assert_int_ne(unit_cgroup_is_empty(u), 0);

        /* prune: gone, children first, and forgotten */
        unit_prune_cgroup(u);
        ck_assert_int_eq(access(fs, F_OK), -1);
        ck_assert_ptr_null(u->cgroup_path);
        ck_assert(!u->cgroup_realized);
        unit_prune_cgroup(slice);
        snprintf(expected, sizeof expected, "%s/system.slice", cg_dir);
        ck_assert_int_eq(access(expected, F_OK), -1);

        manager_shutdown_cgroup(m);
        ck_assert_ptr_null(m->cgroup_mount);
        m->event = NULL;
        manager_free(m);
        event_unref(e);
}
END_TEST

/* The kill loop catches processes that fork while it runs, and never touches PID 1 or us. */
START_TEST(test_real_kill_forking) {
        Manager *m;
        Unit *u;
        _cleanup_free_ char *fs = NULL;
        char procs[1100];
        pid_t p;
        int status;

        if (cg_skip) {
                fprintf(stderr, "SKIP: test_real_kill_forking: %s\n", cg_skip);
                return;
        }
        m = load_manager();
        m->test_run = true;
        m->cgroup_mount = strdup(cg_mount);
        m->cgroup_root = strdup(cg_root);
        ck_assert_int_eq(manager_setup_cgroup(m), 0);
        u = load(m, "getty@tty1.service");
        ck_assert_int_eq(unit_realize_cgroup(u), 0);
        fs = unit_cgroup_fs_path(u);
        ck_assert_ptr_nonnull(fs);
        ck_assert_ptr_nonnull(strstr(fs, "/system.slice/system-getty.slice/getty@tty1.service"));

        /* a shell that keeps forking children into the cgroup */
        p = fork();
        ck_assert_int_ge(p, 0);
        if (p == 0) {
                snprintf(procs, sizeof procs, "%s/cgroup.procs", fs);
                if (write_pid_to(procs, getpid()) < 0)
                        _exit(1);
                execl("/bin/sh", "sh", "-c", "while :; do sleep 100 & sleep 0.01; done", (char *) NULL);
                _exit(1);
        }
        for (int i = 0; i < 500 && unit_cgroup_is_empty(u) != 0; i++)
                usleep(10000);
        usleep(50000);
        ck_assert_int_ge(unit_cgroup_kill(u, SIGKILL, false, NULL, 0), 2);
        ck_assert_int_eq(waitpid(p, &status, 0), p);
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        for (int i = 0; i < 500 && unit_cgroup_is_empty(u) != 1; i++)
                usleep(10000);
        ck_assert_int_eq(unit_cgroup_is_empty(u), 1);
        unit_prune_cgroup(u);
        ck_assert_int_eq(access(fs, F_OK), -1);
        manager_shutdown_cgroup(m);
        manager_free(m);
}
END_TEST

/* In a cgroup namespace with its own cgroup2 mount (as in the sandbox), the manager's root is
 * "/" of the namespace: it moves itself into /init.scope and puts units below the root. The
 * child reports by exit code: 0 good, 77 namespaces not available, else the failing step. */
static int namespace_child(void) {
        char mnt[] = "/tmp/sysmaster-cgns-XXXXXX", procs[600];
        _cleanup_free_ char *self = NULL;
        Manager *m;
        Unit *u;
        int r = 0;

        snprintf(procs, sizeof procs, "%s/cgroup.procs", cg_dir);
        if (write_pid_to(procs, getpid()) < 0)
                return 1;
        if (unshare(CLONE_NEWCGROUP | CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return 77;
        if (!mkdtemp(mnt))
                return 2;
        if (mount("cgroup2", mnt, "cgroup2", 0, NULL) < 0) {
                (void) rmdir(mnt);
                return 77;
        }
        setenv("SYSMASTER_CGROUP_MOUNT", mnt, 1);
        m = load_manager();
        u = load(m, "a.service");
        if (manager_setup_cgroup(m) < 0 || !manager_has_cgroup(m))
                r = 3;
        else if (!streq(m->cgroup_root, ""))
                r = 4;
        else if (read_full_file("/proc/self/cgroup", 4096, &self, NULL) < 0 || !strstr(self, "0::/init.scope\n"))
                r = 5;
        else if (unit_realize_cgroup(u) < 0 || !streq_ptr(u->cgroup_path, "/system.slice/a.service"))
                r = 6;
        else if (manager_get_unit_by_cgroup_pid(m, getpid()) != manager_get_unit(m, "-.slice"))
                r = 7; /* init.scope is not realized yet: the root slice claims us */
        else if (unit_realize_cgroup(manager_get_unit(m, "init.scope")) < 0 ||
                 manager_get_unit_by_cgroup_pid(m, getpid()) != manager_get_unit(m, "init.scope"))
                r = 8;
        manager_shutdown_cgroup(m);
        manager_free(m);
        (void) umount(mnt);
        (void) rmdir(mnt);
        return r;
}

START_TEST(test_real_namespace) {
        char path[600];
        pid_t p;
        int status;

        if (cg_skip) {
                fprintf(stderr, "SKIP: test_real_namespace: %s\n", cg_skip);
                return;
        }
        p = fork();
        ck_assert_int_ge(p, 0);
        if (p == 0)
                _exit(namespace_child());
        ck_assert_int_eq(waitpid(p, &status, 0), p);
        ck_assert(WIFEXITED(status));
        if (WEXITSTATUS(status) == 77) {
                fprintf(stderr, "SKIP: test_real_namespace: no cgroup namespace or cgroup2 mount allowed\n");
                return;
        }
        ck_assert_int_eq(WEXITSTATUS(status), 0);
        /* seen from outside: below our temporary cgroup */
        snprintf(path, sizeof path, "%s/init.scope", cg_dir);
        ck_assert_int_eq(access(path, F_OK), 0);
        snprintf(path, sizeof path, "%s/system.slice/a.service", cg_dir);
        ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

/* The slice and scope types on a running manager: the perpetual units come up active at
 * coldplug, init.scope can be neither started nor stopped, a slice's cgroup exists while it is
 * active (when this machine lets us make cgroups). */
START_TEST(test_slice_scope_runtime) {
        Manager *m = load_manager();
        Event *e = NULL;
        Unit *root, *init, *slice;
        char dir[700];
        sigset_t ss;

        sigemptyset(&ss);
        sigaddset(&ss, SIGCHLD);
        ck_assert_int_eq(sigprocmask(SIG_BLOCK, &ss, NULL), 0);
        ck_assert_int_eq(event_new(&e), 0);
        m->test_run = true;
        if (!cg_skip) {
                m->cgroup_mount = strdup(cg_mount);
                m->cgroup_root = strdup(cg_root);
        }
        ck_assert_int_eq(manager_setup_runtime(m, e, tree.root), 0);
        root = manager_get_unit(m, "-.slice");
        init = manager_get_unit(m, "init.scope");
        ck_assert_ptr_nonnull(root);
        ck_assert_ptr_nonnull(init);
        ck_assert_ptr_nonnull(UNIT_VTABLE(root)->coldplug);
        ck_assert_int_eq(UNIT_VTABLE(root)->coldplug(root), 0);
        ck_assert_int_eq(UNIT_VTABLE(init)->coldplug(init), 0);
        ck_assert_int_eq(unit_active_state(root), UNIT_ACTIVE);
        ck_assert_str_eq(unit_sub_state_to_string(root), "active");
        ck_assert_int_eq(unit_active_state(init), UNIT_ACTIVE);
        ck_assert_str_eq(unit_sub_state_to_string(init), "running");
        ck_assert_int_eq(UNIT_VTABLE(init)->stop(init), -EPERM);
        ck_assert_int_eq(UNIT_VTABLE(init)->start(init), -EPERM);
        ck_assert_int_eq(UNIT_VTABLE(root)->stop(root), -EPERM);
        ck_assert(init->rt.ignore_on_isolate);
        if (!cg_skip) {
                snprintf(expected_buf, sizeof expected_buf, "%s/init.scope", cg_root);
                ck_assert_str_eq(init->cgroup_path, expected_buf);
                ck_assert_str_eq(root->cgroup_path, cg_root);
        }

        slice = load(m, "foo-bar.slice");
        ck_assert_int_eq(unit_active_state(slice), UNIT_INACTIVE);
        ck_assert_str_eq(unit_sub_state_to_string(slice), "dead");
        ck_assert_int_eq(UNIT_VTABLE(slice)->start(slice), 1);
        ck_assert_int_eq(unit_active_state(slice), UNIT_ACTIVE);
        snprintf(dir, sizeof dir, "%s/foo.slice/foo-bar.slice", cg_dir);
        if (!cg_skip)
                ck_assert_int_eq(access(dir, F_OK), 0);
        ck_assert_int_eq(UNIT_VTABLE(slice)->stop(slice), 1);
        ck_assert_int_eq(unit_active_state(slice), UNIT_INACTIVE);
        if (!cg_skip) {
                ck_assert_int_eq(access(dir, F_OK), -1); /* pruned once inactive */
                ck_assert_ptr_null(slice->cgroup_path);
        }
        manager_free(m);
        event_unref(e);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("cgroup");
        TCase *tc = tcase_create("paths");
        TCase *real = tcase_create("real");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_escape);
        tcase_add_test(tc, test_slice_to_path);
        tcase_add_test(tc, test_default_cgroup_path);
        tcase_add_test(tc, test_no_cgroup2);
        suite_add_tcase(s, tc);

        tcase_add_unchecked_fixture(real, real_setup, real_teardown);
        tcase_add_checked_fixture(real, setup, teardown);
        tcase_set_timeout(real, 30);
        tcase_add_test(real, test_real_cgroup);
        tcase_add_test(real, test_real_kill_forking);
        tcase_add_test(real, test_real_namespace);
        tcase_add_test(real, test_slice_scope_runtime);
        suite_add_tcase(s, real);
        return s;
}

TEST_MAIN(make_suite)
