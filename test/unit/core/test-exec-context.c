/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tests of the execution context as it is built from unit files (exec_context_from_unit()):
 * the values systemd 252 reads from each setting, its warnings for bad values, the refusals, the
 * settings not supported yet; plus the value parsers (limits, capabilities) and the wire format
 * to the exec helper.
 */

#include <linux/capability.h>
#include <linux/securebits.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <syslog.h>

#include "exec-caps.h"
#include "exec-context.h"
#include "exec-wire.h"
#include "test-helpers.h"
#include "unit-tree.h"

static UnitTree t;
static Manager *m;
static ExecContext c;
static LogCapture cap;

static void setup(void) {
        unit_tree_init(&t);
        m = NULL;
        exec_context_init(&c);
}

static void teardown(void) {
        log_capture_stop();
        exec_context_done(&c);
        manager_free(m);
        unit_tree_done(&t);
}

/* Loads a.service with the [Service] settings given and builds the context. */
static int load(const char *settings) {
        char text[8192];
        Unit *u;

        snprintf(text, sizeof text, "[Service]\nExecStart=/bin/true\n%s", settings);
        unit_tree_write(t.etc, "a.service", text);
        m = unit_tree_manager(&t);
        ck_assert_int_eq(manager_load_unit(m, "a.service", &u), 0);
        log_capture_start(&cap);
        int r = exec_context_from_unit(u, &c);
        log_capture_stop();
        return r;
}

START_TEST(test_defaults) {
        ck_assert_int_eq(load(""), 0);
        ck_assert_int_eq(c.umask, 0022);
        ck_assert(!c.nice_set && !c.oom_score_adjust_set && !c.ioprio_set && !c.cpu_sched_set);
        /* Only the manager's defaults, as systemd 252 passes them on: NOFILE soft at most
         * FD_SETSIZE with the hard limit raised to 512 Ki, MEMLOCK at least 8 MiB. */
        ck_assert_int_eq(c.rlimit_set, (1U << RLIMIT_NOFILE) | (1U << RLIMIT_MEMLOCK));
        ck_assert_uint_le(c.rlimit[RLIMIT_NOFILE].rlim_cur, 1024);
        ck_assert_uint_ge(c.rlimit[RLIMIT_NOFILE].rlim_max, 4096);
        ck_assert_uint_ge(c.rlimit[RLIMIT_MEMLOCK].rlim_cur, 8 * 1024 * 1024);
        /* shared with every unit that sets no limit, not a copy per unit */
        ck_assert(!c.rlimit_owned && c.rlimit == m->default_rlimits);
        ck_assert(c.ignore_sigpipe);
        ck_assert_int_eq(c.std_input, EXEC_INPUT_NULL);
        ck_assert_int_eq(c.std_output, EXEC_OUTPUT_JOURNAL); /* the manager's default */
        ck_assert_int_eq(c.std_error, EXEC_OUTPUT_INHERIT);
        ck_assert(c.capability_bounding_set == EXEC_CAP_ALL);
        ck_assert_int_eq(c.keyring_mode, EXEC_KEYRING_PRIVATE);
        ck_assert_ptr_null(c.user);
        ck_assert_int_eq(cap.n, 0);
}
END_TEST

START_TEST(test_process_attributes) {
        ck_assert_int_eq(load("UMask=0027\nNice=-5\nOOMScoreAdjust=-100\nIOSchedulingClass=idle\n"
                              "IOSchedulingPriority=7\nCPUSchedulingPolicy=fifo\nCPUSchedulingPriority=20\n"
                              "CPUSchedulingResetOnFork=yes\nCPUAffinity=0 2-3\nCPUAffinity=5,7\n"
                              "TimerSlackNSec=50us\nPersonality=x86\nIgnoreSIGPIPE=no\nNonBlocking=yes\n"
                              "KeyringMode=shared\nSecureBits=keep-caps noroot-locked\n"
                              "SyslogIdentifier=%n-id\nSyslogFacility=local3\nSyslogLevel=debug\n"
                              "RuntimeDirectory=%p foo/bar\nRuntimeDirectoryMode=0750\nLogsDirectory=l\n"),
                         0);
        ck_assert_int_eq(cap.n, 0);
        ck_assert_int_eq(c.umask, 0027);
        ck_assert(c.nice_set);
        ck_assert_int_eq(c.nice, -5);
        ck_assert_int_eq(c.oom_score_adjust, -100);
        ck_assert_int_eq(c.ioprio, (3 << 13) | 7);
        ck_assert_int_eq(c.cpu_sched_policy, SCHED_FIFO);
        ck_assert_int_eq(c.cpu_sched_priority, 20);
        ck_assert(c.cpu_sched_reset_on_fork);
        ck_assert_int_eq(c.cpu_affinity.size, 1);
        ck_assert_int_eq(c.cpu_affinity.set[0], 0xad); /* 0, 2, 3, 5, 7 */
        ck_assert(c.timer_slack_nsec == 50000);
        ck_assert(c.personality == PER_LINUX32);
        ck_assert(!c.ignore_sigpipe && c.non_blocking);
        ck_assert_int_eq(c.keyring_mode, EXEC_KEYRING_SHARED);
        ck_assert_int_eq(c.secure_bits, (1 << SECURE_KEEP_CAPS) | (1 << SECURE_NOROOT_LOCKED));
        ck_assert_str_eq(c.syslog_identifier, "a.service-id");
        ck_assert_int_eq(c.syslog_priority, LOG_LOCAL3 | LOG_DEBUG);
        ck_assert(strv_equal(c.directories[EXEC_DIRECTORY_RUNTIME], STRV_MAKE("a", "foo/bar")));
        ck_assert(strv_equal(c.directories[EXEC_DIRECTORY_LOGS], STRV_MAKE("l")));
        ck_assert_int_eq(c.directory_modes[EXEC_DIRECTORY_RUNTIME], 0750);
        ck_assert_int_eq(c.directory_modes[EXEC_DIRECTORY_LOGS], 0755);
}
END_TEST

START_TEST(test_bad_values_warn_and_keep_previous) {
        ck_assert_int_eq(load("Nice=3\nNice=99\nUMask=abc\nOOMScoreAdjust=2000\nLimitNOFILE=10:5\n"
                              "LimitCORE=lots\nIOSchedulingClass=fast\nCPUSchedulingPriority=200\n"
                              "KeyringMode=bogus\nTimerSlackNSec=soon\nPersonality=vax\n"
                              "LockPersonality=yes\nLockPersonality=bogus\n"),
                         0);
        ck_assert_int_eq(c.nice, 3); /* the bad later value is ignored */
        ck_assert(c.lock_personality);
        /* and D-Bus shows what was kept */
        ck_assert_ptr_eq(exec_context_bool_field(&c, "LockPersonality"), &c.lock_personality);
        ck_assert_ptr_eq(exec_context_bool_field(&c, "MountAPIVFS"), &c.mount_apivfs);
        ck_assert_ptr_null(exec_context_bool_field(&c, "Personality"));
        ck_assert_int_eq(c.umask, 0022);
        ck_assert(!c.oom_score_adjust_set && !c.ioprio_set && !c.cpu_sched_set);
        /* the bad LimitNOFILE=/LimitCORE= leave the defaults */
        ck_assert_int_eq(c.rlimit_set, (1U << RLIMIT_NOFILE) | (1U << RLIMIT_MEMLOCK));
        ck_assert_uint_le(c.rlimit[RLIMIT_NOFILE].rlim_cur, 1024);
        ck_assert_log_contains(&cap, "a.service: Nice priority out of range, ignoring: 99");
        ck_assert_log_contains(&cap, "a.service: Failed to parse mode value, ignoring: abc");
        ck_assert_log_contains(&cap, "a.service: OOM score adjust value out of range, ignoring: 2000");
        ck_assert_log_contains(&cap, "a.service: Soft resource limit chosen higher than hard limit, ignoring: 10:5");
        ck_assert_log_contains(&cap, "a.service: Failed to parse resource value, ignoring: lots");
        ck_assert_log_contains(&cap, "a.service: Failed to parse IO scheduling class, ignoring: fast");
        ck_assert_log_contains(&cap, "a.service: CPU scheduling priority is out of range, ignoring: 200");
        ck_assert_log_contains(&cap, "a.service: Failed to parse keyring mode, ignoring: bogus");
        ck_assert_log_contains(&cap, "a.service: Failed to parse nsec value, ignoring: soon");
        ck_assert_log_contains(&cap, "a.service: Failed to parse personality, ignoring: vax");
        ck_assert_log_contains(&cap, "a.service: Failed to parse boolean value, ignoring: bogus");
}
END_TEST

START_TEST(test_limits) {
        ck_assert_int_eq(load("LimitNOFILE=1024:524288\nLimitCORE=infinity\nLimitAS=1G:infinity\n"
                              "LimitCPU=1min 30s\nLimitRTTIME=2ms\nLimitNICE=-5\nLimitMEMLOCK=64K\n"),
                         0);
        ck_assert_int_eq(c.rlimit[RLIMIT_NOFILE].rlim_cur, 1024);
        ck_assert_int_eq(c.rlimit[RLIMIT_NOFILE].rlim_max, 524288);
        ck_assert(c.rlimit[RLIMIT_CORE].rlim_cur == RLIM_INFINITY && c.rlimit[RLIMIT_CORE].rlim_max == RLIM_INFINITY);
        ck_assert(c.rlimit[RLIMIT_AS].rlim_cur == 1024ULL * 1024 * 1024 && c.rlimit[RLIMIT_AS].rlim_max == RLIM_INFINITY);
        ck_assert_int_eq(c.rlimit[RLIMIT_CPU].rlim_cur, 90);
        ck_assert_int_eq(c.rlimit[RLIMIT_RTTIME].rlim_cur, 2000);
        ck_assert_int_eq(c.rlimit[RLIMIT_NICE].rlim_cur, 25);
        ck_assert_int_eq(c.rlimit[RLIMIT_MEMLOCK].rlim_cur, 65536);
        ck_assert_int_eq(c.rlimit_set, (1U << RLIMIT_NOFILE) | (1U << RLIMIT_CORE) | (1U << RLIMIT_AS) |
                                               (1U << RLIMIT_CPU) | (1U << RLIMIT_RTTIME) | (1U << RLIMIT_NICE) |
                                               (1U << RLIMIT_MEMLOCK));
        /* the unit's limits are in an array of its own, the manager's defaults untouched */
        ck_assert(c.rlimit_owned && c.rlimit != m->default_rlimits);
        ck_assert_uint_le(m->default_rlimits[RLIMIT_NOFILE].rlim_cur, 1024);
        ck_assert_uint_ge(m->default_rlimits[RLIMIT_MEMLOCK].rlim_cur, 8 * 1024 * 1024);
        /* the manager's default applies only where the unit set nothing */
        struct rlimit defaults[EXEC_RLIMIT_MAX] = { [RLIMIT_NOFILE] = { 1, 2 }, [RLIMIT_NPROC] = { 3, 4 } };
        exec_context_default_rlimits(&c, defaults, (1U << RLIMIT_NOFILE) | (1U << RLIMIT_NPROC));
        ck_assert_int_eq(c.rlimit[RLIMIT_NOFILE].rlim_cur, 1024);
        ck_assert_int_eq(c.rlimit[RLIMIT_NPROC].rlim_max, 4);
        ck_assert_int_eq(defaults[RLIMIT_NPROC].rlim_cur, 3);
}
END_TEST

START_TEST(test_rlimit_parser) {
        struct rlimit rl;

        ck_assert_int_eq(exec_rlimit_from_string("LimitNOFILE"), RLIMIT_NOFILE);
        ck_assert_int_eq(exec_rlimit_from_string("RLIMIT_CORE"), RLIMIT_CORE);
        ck_assert_int_eq(exec_rlimit_from_string("NICE"), RLIMIT_NICE);
        ck_assert_int_eq(exec_rlimit_from_string("LimitBOGUS"), -EINVAL);
        ck_assert_int_eq(exec_rlimit_parse(RLIMIT_NICE, "+19", &rl), 0);
        ck_assert_int_eq(rl.rlim_cur, 1);
        ck_assert_int_eq(exec_rlimit_parse(RLIMIT_NICE, "40", &rl), 0);
        ck_assert_int_eq(exec_rlimit_parse(RLIMIT_NICE, "41", &rl), -ERANGE);
        ck_assert_int_eq(exec_rlimit_parse(RLIMIT_NICE, "+20", &rl), -ERANGE);
        ck_assert_int_eq(exec_rlimit_parse(RLIMIT_NOFILE, "1:2:3", &rl), -EINVAL);
        ck_assert_int_eq(exec_rlimit_parse(RLIMIT_NOFILE, "5:", &rl), -EINVAL);
        ck_assert_int_eq(exec_rlimit_parse(RLIMIT_NOFILE, "5", &rl), 0);
        ck_assert_int_eq(rl.rlim_max, 5);
        ck_assert_int_eq(exec_rlimit_parse(RLIMIT_CPU, "1500ms", &rl), 0);
        ck_assert_int_eq(rl.rlim_cur, 2); /* rounded up to seconds */
        ck_assert_int_eq(exec_rlimit_parse(RLIMIT_STACK, "8M", &rl), 0);
        ck_assert_int_eq(rl.rlim_cur, 8 << 20);
}
END_TEST

START_TEST(test_capabilities) {
        ck_assert_int_eq(load("CapabilityBoundingSet=CAP_CHOWN cap_kill\nCapabilityBoundingSet=CAP_NET_RAW\n"
                              "AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_BOGUS\n"),
                         0);
        ck_assert(c.capability_bounding_set == ((1ULL << 0) | (1ULL << 5) | (1ULL << 13)));
        ck_assert(c.capability_ambient_set == (1ULL << 10));
        exec_context_done(&c);
        manager_free(m);
        ck_assert_int_eq(load("CapabilityBoundingSet=~CAP_SYS_ADMIN CAP_SYS_PTRACE\nCapabilityBoundingSet=~CAP_KILL\n"), 0);
        ck_assert(c.capability_bounding_set == ~((1ULL << 21) | (1ULL << 19) | (1ULL << 5)));
        ck_assert_int_eq(exec_cap_from_name("CAP_SYS_ADMIN"), 21);
        ck_assert_int_eq(exec_cap_from_name("40"), 40);
        ck_assert_int_eq(exec_cap_from_name("64"), -EINVAL);
        ck_assert_str_eq(exec_cap_to_name(10), "cap_net_bind_service");
}
END_TEST

START_TEST(test_credentials_and_environment_names) {
        setenv("SYSMASTER_PASS_ME", "1", 1);
        ck_assert_int_eq(load("User=%p-user\nGroup=123\nSupplementaryGroups=adm\nSupplementaryGroups=sys 7\n"
                              "PassEnvironment=A B\nPassEnvironment=A C bad=name\n"
                              "UnsetEnvironment=X Y=1 =bad\nEnvironment=K=V\nEnvironmentFile=-/etc/x\n"),
                         0);
        ck_assert_str_eq(c.user, "a-user");
        ck_assert_str_eq(c.group, "123");
        ck_assert(strv_equal(c.supplementary_groups, STRV_MAKE("adm", "sys", "7")));
        ck_assert(strv_equal(c.pass_environment, STRV_MAKE("A", "B", "C")));
        ck_assert(strv_equal(c.unset_environment, STRV_MAKE("X", "Y=1")));
        ck_assert(strv_equal(c.environment, STRV_MAKE("K=V")));
        ck_assert(strv_equal(c.environment_files, STRV_MAKE("-/etc/x")));
        ck_assert_log_contains(&cap, "a.service: Invalid environment name for PassEnvironment, ignoring: bad=name");
        ck_assert_log_contains(&cap, "a.service: Invalid environment name or assignment UnsetEnvironment, ignoring: =bad");
}
END_TEST

START_TEST(test_invalid_user_refuses) {
        ck_assert_int_eq(load("User=bad:name\n"), -ENOEXEC);
        ck_assert_log_contains(&cap, "a.service: Invalid user/group name or numeric ID: bad:name");
}
END_TEST

START_TEST(test_unsupported_refused_or_warned) {
        ck_assert_int_eq(load("DynamicUser=yes\n"), -EOPNOTSUPP);
        ck_assert_log_contains(&cap, "a.service: DynamicUser=yes is not supported yet, refusing.");
        exec_context_done(&c);
        manager_free(m);
        ck_assert_int_eq(load("PAMName=login\n"), -EOPNOTSUPP);
        ck_assert_log_contains(&cap, "a.service: PAMName= is not supported yet, refusing.");
        exec_context_done(&c);
        manager_free(m);
        ck_assert_int_eq(load("PrivateUsers=yes\nPrivateUsers=no\nRestrictAddressFamilies=AF_UNIX\n"), 0);
        /* one warning per setting, however often it is set */
        ck_assert_log_contains(&cap, "a.service: PrivateUsers= is not supported yet, ignoring.\n");
        ck_assert_log_contains(&cap, "a.service: RestrictAddressFamilies= is not supported yet, ignoring.\n");
        ck_assert_ptr_null(strstr(strstr(cap.buf, "PrivateUsers=") + 1, "PrivateUsers="));
}
END_TEST

/* SystemCallFilter= merges as systemd 252's (test-sandboxing.sh compares the result on the bus
 * and what the filters do with systemd's) */
START_TEST(test_syscall_filter_settings) {
        ck_assert_int_eq(load("SystemCallFilter=~@mount ptrace:EACCES\nSystemCallFilter=mount bogus_call\n"
                              "SystemCallFilter=~@nonexistent uname:ENOSPC\nSystemCallErrorNumber=EPERM\n"
                              "SystemCallArchitectures=x86 native bogus\nSystemCallArchitectures=x32\n"), 0);
        ck_assert(!c.syscall_allow_list);
        ck_assert(strv_contains(c.syscall_filter, "umount2"));
        ck_assert(!strv_contains(c.syscall_filter, "mount"));
        ck_assert(strv_contains(c.syscall_filter, "ptrace:13"));
        ck_assert(strv_contains(c.syscall_filter, "uname:28"));
        ck_assert_int_eq(c.syscall_errno, EPERM);
        ck_assert(strv_equal(c.syscall_archs, STRV_MAKE("native", "x32", "x86")));
        ck_assert_log_contains(&cap, "a.service: Failed to parse system call, ignoring: bogus_call");
        ck_assert_log_contains(&cap, "a.service: Unknown system call group, ignoring: @nonexistent");
        ck_assert_log_contains(&cap, "a.service: Failed to parse system call architecture \"bogus\", ignoring");
        exec_context_done(&c);
        manager_free(m);
        /* an allow-list gets @default; "~" takes names out, and cannot carry an errno there */
        ck_assert_int_eq(load("SystemCallFilter=@basic-io\nSystemCallFilter=~write read:EIO\n"), 0);
        ck_assert(c.syscall_allow_list);
        ck_assert(strv_contains(c.syscall_filter, "execve") && strv_contains(c.syscall_filter, "pread64"));
        ck_assert(!strv_contains(c.syscall_filter, "write") && !strv_contains(c.syscall_filter, "read"));
        ck_assert_int_eq(c.syscall_errno, INT32_MAX - 1);
        exec_context_done(&c);
        manager_free(m);
        /* "" resets */
        ck_assert_int_eq(load("SystemCallFilter=~uname\nSystemCallFilter=\nSystemCallErrorNumber=EPERM\n"
                              "SystemCallErrorNumber=\nSystemCallArchitectures=native\nSystemCallArchitectures=\n"), 0);
        ck_assert_ptr_null(c.syscall_filter);
        ck_assert_ptr_null(c.syscall_archs);
        ck_assert_int_eq(c.syscall_errno, INT32_MAX - 1);
}
END_TEST

START_TEST(test_sandboxing_settings) {
        ck_assert_int_eq(load("ProtectSystem=strict\nProtectSystem=full\nProtectHome=tmpfs\n"
                              "ReadWritePaths=/var/lib/%p \"-/a b\"\nReadOnlyPaths=/x\nReadOnlyPaths=\n"
                              "ReadOnlyDirectories=+/etc//y/\nInaccessiblePaths=relative /z\n"
                              "BindPaths=/s1 -/s2:/d2 /s3:/d3:norbind /s\\:4:/d4:rbind /s5:/d5:bogus\n"
                              "BindReadOnlyPaths=/r:/rd\nTemporaryFileSystem=/t /u:ro,mode=0700\n"
                              "MountFlags=slave\nPrivateDevices=yes\nProtectKernelModules=yes\n"
                              "ProtectKernelLogs=yes\nProtectControlGroups=yes\nProtectHostname=yes\n"
                              "ProtectSystem=sometimes\nProtectProc=invisible\nProtectProc=bogus\nProcSubset=pid\n"
                              "PrivateNetwork=yes\n"),
                         0);
        ck_assert_int_eq(c.protect_proc, EXEC_PROTECT_PROC_INVISIBLE);
        ck_assert(c.proc_subset_pid);
        ck_assert_log_contains(&cap, "a.service: Failed to parse ProtectProc= value, ignoring: bogus");
        ck_assert_int_eq(c.protect_system, EXEC_PROTECT_SYSTEM_FULL);
        ck_assert_int_eq(c.protect_home, EXEC_PROTECT_HOME_TMPFS);
        ck_assert(strv_equal(c.read_write_paths, STRV_MAKE("/var/lib/a", "-/a b")));
        ck_assert(strv_equal(c.read_only_paths, STRV_MAKE("+/etc/y")));
        ck_assert(strv_equal(c.inaccessible_paths, STRV_MAKE("/z")));
        ck_assert(strv_equal(c.bind_mounts, STRV_MAKE("..R", "/s1", "/s1", "-.R", "/s2", "/d2", "...", "/s3", "/d3",
                                                      "..R", "/s:4", "/d4", ".rR", "/r", "/rd")));
        ck_assert(strv_equal(c.temporary_filesystems, STRV_MAKE("/t", "", "/u", "ro,mode=0700")));
        ck_assert_uint_eq(c.mount_propagation, MS_SLAVE);
        ck_assert(c.private_devices && c.protect_kernel_modules && c.protect_kernel_logs);
        ck_assert(c.protect_control_groups && c.protect_hostname && exec_context_mount_apivfs(&c));
        ck_assert(c.private_network);
        /* mounts may block (automounts, network file systems): not in the server's memory */
        ck_assert(!exec_context_spawn_may_share_memory(&c));
        ck_assert(exec_context_needs_mount_namespace(&c));
        /* the bounding set loses what the settings imply, as systemd's does at load */
        ck_assert(!(c.capability_bounding_set & (UINT64_C(1) << CAP_MKNOD)));
        ck_assert(!(c.capability_bounding_set & (UINT64_C(1) << CAP_SYS_RAWIO)));
        ck_assert(!(c.capability_bounding_set & (UINT64_C(1) << CAP_SYS_MODULE)));
        ck_assert(!(c.capability_bounding_set & (UINT64_C(1) << CAP_SYSLOG)));
        ck_assert(c.capability_bounding_set & (UINT64_C(1) << CAP_SYS_ADMIN));
        ck_assert_log_contains(&cap, "a.service: InaccessiblePaths= path is not absolute, ignoring: relative");
        ck_assert_log_contains(&cap, "a.service: Invalid BindPaths= entry, ignoring: /s5:/d5:bogus");
        ck_assert_log_contains(&cap, "a.service: Failed to parse ProtectSystem= value, ignoring: sometimes");
        ck_assert_str_eq(exec_protect_system_to_string(c.protect_system), "full");
        ck_assert_str_eq(exec_protect_home_to_string(c.protect_home), "tmpfs");
        exec_context_done(&c);
        manager_free(m);
        /* an empty value clears the list; nothing set needs no namespace */
        ck_assert_int_eq(load("BindPaths=/a\nBindPaths=\nProtectSystem=no\nPrivateTmp=yes\n"), 0);
        ck_assert_ptr_null(c.bind_mounts);
        ck_assert(!exec_context_needs_mount_namespace(&c));
        ck_assert(exec_context_spawn_may_share_memory(&c)); /* PrivateTmp= alone may */
}
END_TEST

START_TEST(test_stdio_settings) {
        ck_assert_int_eq(load("StandardInput=file:/dev/zero\nStandardOutput=append:/var/log/%n.log\n"
                              "StandardError=fd:errs\nTTYPath=/dev/tty5\nTTYReset=yes\nTTYVHangup=yes\n"),
                         0);
        ck_assert_int_eq(c.std_input, EXEC_INPUT_FILE);
        ck_assert_str_eq(c.stdio_file[0], "/dev/zero");
        ck_assert_int_eq(c.std_output, EXEC_OUTPUT_FILE_APPEND);
        ck_assert_str_eq(c.stdio_file[1], "/var/log/a.service.log");
        ck_assert_int_eq(c.std_error, EXEC_OUTPUT_NAMED_FD);
        ck_assert_str_eq(exec_context_fdname(&c, 2), "errs");
        ck_assert_ptr_null(exec_context_fdname(&c, 1));
        ck_assert_str_eq(c.tty_path, "/dev/tty5");
        ck_assert(c.tty_reset && c.tty_vhangup && exec_context_needs_term(&c));
        exec_context_done(&c);
        manager_free(m);
        /* a relative file is refused and the default stays */
        ck_assert_int_eq(load("StandardOutput=file:relative\nStandardInput=fd\n"), 0);
        ck_assert_int_eq(c.std_output, EXEC_OUTPUT_JOURNAL);
        ck_assert_log_contains(&cap, "a.service: StandardOutput= path is not absolute, ignoring: relative");
}
END_TEST

START_TEST(test_stdin_data) {
        ck_assert_int_eq(load("StandardInputText=%n says\\x21\nStandardInputData=SGk=\nStandardInputData=!!\n"), 0);
        ck_assert_int_eq(c.std_input, EXEC_INPUT_DATA);
        ck_assert_int_eq(c.stdin_data_size, strlen("a.service says!\nHi"));
        ck_assert_int_eq(memcmp(c.stdin_data, "a.service says!\nHi", c.stdin_data_size), 0);
        ck_assert_log_contains(&cap, "a.service: Failed to decode base64 data, ignoring: !!");
}
END_TEST

START_TEST(test_wire_round_trip) {
        ExecContext back;
        ExecRun run, got;
        void *buf;
        size_t size;

        ck_assert_int_eq(load("User=nobody\nEnvironment=A=1 B=2\nCPUAffinity=1\nLimitNOFILE=5\n"
                              "StandardInputText=hello\nWorkingDirectory=-/srv\n"
                              "ProtectSystem=strict\nReadOnlyPaths=-/x\nBindPaths=/a:/b\nPrivateDevices=yes\n"),
                         0);
        exec_run_init(&run);
        run.unit_id = (char *) "a.service";
        run.path = (char *) "/bin/true";
        run.argv = STRV_MAKE("true", "x");
        run.n_fds = 2;
        run.fd_names = STRV_MAKE("a", "b");
        run.exec_fd = 9;
        ck_assert_int_eq(exec_wire_encode(&c, &run, &buf, &size), 0);
        ck_assert_int_eq(exec_wire_decode(buf, size, &back, &got), 0);
        ck_assert_str_eq(back.user, "nobody");
        ck_assert(strv_equal(back.environment, STRV_MAKE("A=1", "B=2")));
        ck_assert_int_eq(back.cpu_affinity.set[0], 2);
        ck_assert_int_eq(back.rlimit[RLIMIT_NOFILE].rlim_max, 5);
        ck_assert_int_eq(back.stdin_data_size, 6);
        ck_assert(back.working_directory_missing_ok);
        ck_assert_int_eq(back.protect_system, EXEC_PROTECT_SYSTEM_STRICT);
        ck_assert(strv_equal(back.read_only_paths, STRV_MAKE("-/x")));
        ck_assert(strv_equal(back.bind_mounts, STRV_MAKE("..R", "/a", "/b")));
        ck_assert(back.private_devices);
        ck_assert_str_eq(got.unit_id, "a.service");
        ck_assert(strv_equal(got.argv, STRV_MAKE("true", "x")));
        ck_assert(strv_equal(got.fd_names, STRV_MAKE("a", "b")));
        ck_assert_int_eq(got.exec_fd, 9);
        ck_assert_int_eq(got.stdin_fd, -1);
        exec_context_done(&back);
        exec_run_done(&got);
        /* every truncation is refused, never misread */
        for (size_t n = 1; n < size; n++) {
                int r = exec_wire_decode(buf, n, &back, &got);
                if (r == 0) {
                        exec_context_done(&back);
                        exec_run_done(&got);
                }
                ck_assert(r == -EBADMSG || r == 0);
        }
        ((uint8_t *) buf)[0] = 0xff; /* unknown tag */
        ck_assert_int_eq(exec_wire_decode(buf, size, &back, &got), -EBADMSG);
        free(buf);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("exec-context");
        TCase *tc = tcase_create("load");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_defaults);
        tcase_add_test(tc, test_process_attributes);
        tcase_add_test(tc, test_bad_values_warn_and_keep_previous);
        tcase_add_test(tc, test_limits);
        tcase_add_test(tc, test_rlimit_parser);
        tcase_add_test(tc, test_capabilities);
        tcase_add_test(tc, test_credentials_and_environment_names);
        tcase_add_test(tc, test_invalid_user_refuses);
        tcase_add_test(tc, test_unsupported_refused_or_warned);
        tcase_add_test(tc, test_syscall_filter_settings);
        tcase_add_test(tc, test_sandboxing_settings);
        tcase_add_test(tc, test_stdio_settings);
        tcase_add_test(tc, test_stdin_data);
        tcase_add_test(tc, test_wire_round_trip);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
