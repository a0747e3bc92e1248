/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * condition.c: see condition.h. Each test follows systemd 252's condition_test_*() on this
 * machine: what 252 learns from its own state (machine ID, first boot, credentials) is read from
 * the same places (/etc/machine-id, /run/systemd/first-boot, $CREDENTIALS_DIRECTORY). Version
 * comparisons use glibc's strverscmp() where 252 has strverscmp_improved() (they agree on kernel
 * release strings).
 */

#include <ctype.h>
#include <limits.h>
#include <fnmatch.h>
#include <glob.h>
#include <grp.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <dirent.h>

#include "condition.h"
#include "escape.h"
#include "exec-caps.h"
#include "fd-util.h"
#include "log.h"
#include "manager.h"
#include "parse-util.h"
#include "path-util.h"
#include "proc-cmdline.h"
#include "string-util.h"
#include "strv.h"
#include "unit-printf.h"

#define READ_MAX (4U * 1024U * 1024U) /* /proc and /sys files we read */

static const char *const condition_names[_CONDITION_TYPE_MAX] = {
        [CONDITION_ARCHITECTURE] = "Architecture",
        [CONDITION_FIRMWARE] = "Firmware",
        [CONDITION_VIRTUALIZATION] = "Virtualization",
        [CONDITION_HOST] = "Host",
        [CONDITION_KERNEL_COMMAND_LINE] = "KernelCommandLine",
        [CONDITION_KERNEL_VERSION] = "KernelVersion",
        [CONDITION_CREDENTIAL] = "Credential",
        [CONDITION_SECURITY] = "Security",
        [CONDITION_CAPABILITY] = "Capability",
        [CONDITION_AC_POWER] = "ACPower",
        [CONDITION_NEEDS_UPDATE] = "NeedsUpdate",
        [CONDITION_FIRST_BOOT] = "FirstBoot",
        [CONDITION_PATH_EXISTS] = "PathExists",
        [CONDITION_PATH_EXISTS_GLOB] = "PathExistsGlob",
        [CONDITION_PATH_IS_DIRECTORY] = "PathIsDirectory",
        [CONDITION_PATH_IS_SYMBOLIC_LINK] = "PathIsSymbolicLink",
        [CONDITION_PATH_IS_MOUNT_POINT] = "PathIsMountPoint",
        [CONDITION_PATH_IS_READ_WRITE] = "PathIsReadWrite",
        [CONDITION_PATH_IS_ENCRYPTED] = "PathIsEncrypted",
        [CONDITION_DIRECTORY_NOT_EMPTY] = "DirectoryNotEmpty",
        [CONDITION_FILE_NOT_EMPTY] = "FileNotEmpty",
        [CONDITION_FILE_IS_EXECUTABLE] = "FileIsExecutable",
        [CONDITION_USER] = "User",
        [CONDITION_GROUP] = "Group",
        [CONDITION_CONTROL_GROUP_CONTROLLER] = "ControlGroupController",
        [CONDITION_CPUS] = "CPUs",
        [CONDITION_MEMORY] = "Memory",
        [CONDITION_ENVIRONMENT] = "Environment",
        [CONDITION_CPU_FEATURE] = "CPUFeature",
        [CONDITION_OS_RELEASE] = "OSRelease",
        [CONDITION_MEMORY_PRESSURE] = "MemoryPressure",
        [CONDITION_CPU_PRESSURE] = "CPUPressure",
        [CONDITION_IO_PRESSURE] = "IOPressure",
};

/* Full names, built once: "Condition" / "Assert" + the name. */
static char condition_full[_CONDITION_TYPE_MAX][48], assert_full[_CONDITION_TYPE_MAX][48];

static void names_init(void) {
        if (condition_full[0][0])
                return;
        for (size_t i = 0; i < _CONDITION_TYPE_MAX; i++) {
                snprintf(condition_full[i], sizeof condition_full[i], "Condition%s", condition_names[i]);
                snprintf(assert_full[i], sizeof assert_full[i], "Assert%s", condition_names[i]);
        }
}

const char *condition_type_to_string(ConditionType t) {
        if (t < 0 || t >= _CONDITION_TYPE_MAX)
                return NULL;
        names_init();
        return condition_full[t];
}

const char *assert_type_to_string(ConditionType t) {
        if (t < 0 || t >= _CONDITION_TYPE_MAX)
                return NULL;
        names_init();
        return assert_full[t];
}

static ConditionType type_from_prefixed(const char *s, const char *prefix) {
        const char *n = s ? startswith(s, prefix) : NULL;

        if (!n)
                return _CONDITION_TYPE_INVALID;
        return (ConditionType) string_table_lookup(condition_names, _CONDITION_TYPE_MAX, n);
}

ConditionType condition_type_from_string(const char *s) {
        return type_from_prefixed(s, "Condition");
}

ConditionType assert_type_from_string(const char *s) {
        return type_from_prefixed(s, "Assert");
}

static const char *const result_table[_CONDITION_RESULT_MAX] = {
        [CONDITION_UNTESTED] = "untested",
        [CONDITION_SUCCEEDED] = "succeeded",
        [CONDITION_FAILED] = "failed",
        [CONDITION_ERROR] = "error",
};

const char *condition_result_to_string(ConditionResult r) {
        return r >= 0 && r < _CONDITION_RESULT_MAX ? result_table[r] : NULL;
}

int condition_dbus_state(const Condition *c) {
        return c->result == CONDITION_UNTESTED ? 0 : c->result == CONDITION_SUCCEEDED ? 1 : -1;
}

/* ---------------------------------------------------------------- comparisons */

typedef enum CompareOp {
        CMP_STRING_EQUAL,
        CMP_STRING_UNEQUAL,
        CMP_FNMATCH_EQUAL,
        CMP_FNMATCH_UNEQUAL,
        CMP_LOWER_OR_EQUAL,
        CMP_GREATER_OR_EQUAL,
        CMP_LOWER,
        CMP_GREATER,
        CMP_EQUAL,
        CMP_UNEQUAL,
        CMP_INVALID = -1,
} CompareOp;

enum {
        CMP_ALLOW_FNMATCH = 1 << 0,
        CMP_EQUAL_BY_STRING = 1 << 1,
};

/* systemd's parse_compare_operator(): the first matching operator, in 252's table order. */
static CompareOp parse_compare_op(const char **s, unsigned flags) {
        static const struct {
                CompareOp op;
                const char *str;
                unsigned valid, need;
        } table[] = {
                { CMP_FNMATCH_EQUAL, "$=", CMP_ALLOW_FNMATCH, 0 },
                { CMP_FNMATCH_UNEQUAL, "!$=", CMP_ALLOW_FNMATCH, 0 },
                { CMP_UNEQUAL, "<>", 0, 0 },
                { CMP_LOWER_OR_EQUAL, "<=", 0, 0 },
                { CMP_GREATER_OR_EQUAL, ">=", 0, 0 },
                { CMP_LOWER, "<", 0, 0 },
                { CMP_GREATER, ">", 0, 0 },
                { CMP_EQUAL, "==", 0, 0 },
                { CMP_STRING_EQUAL, "=", 0, CMP_EQUAL_BY_STRING },
                { CMP_EQUAL, "=", 0, 0 },
                { CMP_STRING_UNEQUAL, "!=", 0, CMP_EQUAL_BY_STRING },
                { CMP_UNEQUAL, "!=", 0, 0 },
        };

        if (!*s)
                return CMP_INVALID;
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                const char *e;

                if (table[i].need && !(flags & table[i].need))
                        continue;
                e = startswith(*s, table[i].str);
                if (e) {
                        if (table[i].valid && !(flags & table[i].valid))
                                return CMP_INVALID;
                        *s = e;
                        return table[i].op;
                }
        }
        return CMP_INVALID;
}

static int test_order(int k, CompareOp op) {
        switch (op) {
        case CMP_LOWER:
                return k < 0;
        case CMP_LOWER_OR_EQUAL:
                return k <= 0;
        case CMP_EQUAL:
                return k == 0;
        case CMP_UNEQUAL:
                return k != 0;
        case CMP_GREATER_OR_EQUAL:
                return k >= 0;
        case CMP_GREATER:
                return k > 0;
        default:
                return -EINVAL;
        }
}

static int version_or_fnmatch_compare(CompareOp op, const char *a, const char *b) {
        int r;

        switch (op) {
        case CMP_STRING_EQUAL:
                return streq_ptr(a, b);
        case CMP_STRING_UNEQUAL:
                return !streq_ptr(a, b);
        case CMP_FNMATCH_EQUAL:
        case CMP_FNMATCH_UNEQUAL:
                r = fnmatch(b, a ?: "", 0);
                if (r != 0 && r != FNM_NOMATCH)
                        return -EINVAL;
                return (r == 0) == (op == CMP_FNMATCH_EQUAL);
        default:
                return test_order(strverscmp(a ?: "", b), op);
        }
}

static int cmp_u64(uint64_t a, uint64_t b) {
        return a < b ? -1 : a > b;
}

/* ---------------------------------------------------------------- the tests */

static int test_kernel_command_line(Condition *c, char *const *env) {
        (void) env;
        return proc_cmdline_has_word(c->parameter);
}

static bool credential_name_valid(const char *s) {
        return filename_is_valid(s) && strlen(s) <= 255;
}

static int test_credential(Condition *c, char *const *env) {
        (void) env;
        if (!credential_name_valid(c->parameter))
                return false;
        const char *var;

        FOREACH_STRING(var, "CREDENTIALS_DIRECTORY", "ENCRYPTED_CREDENTIALS_DIRECTORY") {
                const char *dir = getenv(var);
                _cleanup_free_ char *j = NULL;

                if (isempty(dir) || !path_is_absolute(dir))
                        continue;
                j = path_join(dir, c->parameter);
                if (!j)
                        return -ENOMEM;
                if (access(j, F_OK) >= 0)
                        return true;
                if (errno != ENOENT)
                        return -errno;
        }
        return false;
}

static int test_kernel_version(Condition *c, char *const *env) {
        struct utsname u;
        bool first = true;

        (void) env;
        if (uname(&u) < 0)
                return -errno;
        for (const char *p = c->parameter;;) {
                _cleanup_free_ char *word = NULL;
                const char *s;
                CompareOp op;
                int r;

                r = extract_first_word(&p, &word, NULL, EXTRACT_UNQUOTE);
                if (r < 0)
                        return r;
                if (r == 0)
                        return true;
                s = strstrip(word);
                op = parse_compare_op(&s, CMP_ALLOW_FNMATCH | CMP_EQUAL_BY_STRING);
                if (op == CMP_INVALID)
                        op = CMP_FNMATCH_EQUAL;
                s += strspn(s, " \t\n\r");
                if (isempty(s)) {
                        /* Whitespace between operator and value: only in the first expression. */
                        if (!first)
                                return -EINVAL;
                        free(word);
                        word = NULL;
                        r = extract_first_word(&p, &word, NULL, 0);
                        if (r <= 0)
                                return r < 0 ? r : -EINVAL;
                        s = word;
                }
                r = version_or_fnmatch_compare(op, u.release, s);
                if (r <= 0)
                        return r;
                first = false;
        }
}

/* The value of key in /etc/os-release (or /usr/lib/os-release), NULL if not set. */
static int os_release_value(const char *key, char **ret) {
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **lines = NULL;
        int r = read_full_file("/etc/os-release", READ_MAX, &text, NULL);

        if (r == -ENOENT)
                r = read_full_file("/usr/lib/os-release", READ_MAX, &text, NULL);
        if (r < 0)
                return r;
        r = strv_split_newlines(text, &lines);
        if (r < 0)
                return r;
        *ret = NULL;
        STRV_FOREACH(l, lines) {
                const char *v = startswith(*l, key);
                _cleanup_free_ char *word = NULL;

                if (!v || *v != '=')
                        continue;
                v++;
                if (extract_first_word(&v, &word, "", EXTRACT_UNQUOTE | EXTRACT_RELAX) < 0)
                        continue;
                free(*ret);
                *ret = word ? TAKE_PTR(word) : strdup("");
        }
        return 0;
}

static int test_os_release(Condition *c, char *const *env) {
        (void) env;
        for (const char *p = c->parameter;;) {
                _cleanup_free_ char *cond = NULL, *key = NULL, *actual = NULL;
                const char *word;
                CompareOp op;
                size_t n;
                int r;

                r = extract_first_word(&p, &cond, NULL, EXTRACT_UNQUOTE);
                if (r < 0)
                        return r;
                if (r == 0)
                        return true;
                n = strcspn(cond, "!<=>$");
                if (n == 0 || cond[n] == 0)
                        return -EINVAL;
                key = strndup(cond, n);
                if (!key)
                        return -ENOMEM;
                word = cond + n;
                op = parse_compare_op(&word, CMP_ALLOW_FNMATCH | CMP_EQUAL_BY_STRING);
                if (op == CMP_INVALID || isempty(word) || strchr(" \t\n", *word))
                        return -EINVAL;
                r = os_release_value(key, &actual);
                if (r < 0)
                        return r;
                r = version_or_fnmatch_compare(op, actual, word);
                if (r <= 0)
                        return r;
        }
}

static int test_memory(Condition *c, char *const *env) {
        const char *p = c->parameter;
        CompareOp op = parse_compare_op(&p, 0);
        long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
        uint64_t want;
        int r;

        (void) env;
        if (op == CMP_INVALID)
                op = CMP_GREATER_OR_EQUAL;
        r = parse_size(p, 1024, &want);
        if (r < 0)
                return r;
        return test_order(cmp_u64((uint64_t) pages * (uint64_t) size, want), op);
}

static int test_cpus(Condition *c, char *const *env) {
        const char *p = c->parameter;
        CompareOp op = parse_compare_op(&p, 0);
        cpu_set_t set;
        unsigned want;
        int r;

        (void) env;
        if (op == CMP_INVALID)
                op = CMP_GREATER_OR_EQUAL;
        if (sched_getaffinity(0, sizeof set, &set) < 0)
                return -errno;
        r = safe_atou(p, &want);
        if (r < 0)
                return r;
        return test_order(cmp_u64((uint64_t) CPU_COUNT(&set), want), op);
}

/* A name is a system user/group by systemd's default boundary (SYS_UID_MAX 999). */
static bool uid_is_system(uid_t uid) {
        return uid <= 999;
}

static int test_user(Condition *c, char *const *env) {
        uid_t id;

        (void) env;
        if (streq(c->parameter, "root"))
                return getuid() == 0 || geteuid() == 0;
        if (streq(c->parameter, "nobody"))
                return getuid() == 65534 || geteuid() == 65534;
        if (streq(c->parameter, "@system"))
                return uid_is_system(getuid()) || uid_is_system(geteuid());
        if (parse_uid(c->parameter, &id) >= 0)
                return id == getuid() || id == geteuid();
        /* The manager runs as root and does no NSS lookups: a name other than root cannot match. */
        return getuid() != 0 ? -EOPNOTSUPP : false;
}

static int test_group(Condition *c, char *const *env) {
        gid_t id, groups[256];
        int n;

        (void) env;
        if (parse_gid(c->parameter, &id) < 0)
                return streq(c->parameter, "root") ? getgid() == 0 || getegid() == 0 : false;
        if (id == getgid() || id == getegid())
                return true;
        n = getgroups(ELEMENTSOF(groups), groups);
        for (int i = 0; i < n; i++)
                if (groups[i] == id)
                        return true;
        return false;
}

/* Whether /sys/fs/cgroup is a cgroup2 mount (the unified hierarchy). */
static int cgroup_all_unified(void) {
        return access("/sys/fs/cgroup/cgroup.controllers", F_OK) >= 0;
}

static int test_control_group_controller(Condition *c, char *const *env) {
        _cleanup_free_ char *avail = NULL;
        _cleanup_strv_free_ char **have = NULL;
        int r;

        (void) env;
        if (streq(c->parameter, "v2"))
                return cgroup_all_unified();
        if (streq(c->parameter, "v1"))
                return !cgroup_all_unified();
        r = read_full_file("/sys/fs/cgroup/cgroup.controllers", READ_MAX, &avail, NULL);
        if (r < 0)
                r = read_full_file("/sys/fs/cgroup/unified/cgroup.controllers", READ_MAX, &avail, NULL);
        if (r < 0)
                return r;
        r = strv_split(avail, " \t\n", &have);
        if (r < 0)
                return r;
        for (const char *p = c->parameter;;) {
                _cleanup_free_ char *word = NULL;

                r = extract_first_word(&p, &word, NULL, 0);
                if (r <= 0)
                        break;
                if (!STR_IN_SET(word, "cpu", "cpuacct", "cpuset", "io", "blkio", "memory", "devices",
                                "pids", "bpf-firewall", "bpf-devices", "bpf-foreign", "bpf-socket-bind",
                                "bpf-restrict-network-interfaces"))
                        continue; /* unknown ones are ignored, as 252 */
                if (!strv_find(have, streq(word, "blkio") ? "io" : streq(word, "cpuacct") ? "cpu" : word) &&
                    !startswith(word, "bpf-") && !streq(word, "devices"))
                        return false;
        }
        return true;
}

/* systemd-detect-virt's answer, reduced to what the condition needs: a container type from
 * $container or /run/systemd/container, else a hypervisor from the CPU flags / DMI. */
static int detect_virtualization(char **ret_id, bool *ret_container) {
        _cleanup_free_ char *c = NULL, *vendor = NULL, *cpuinfo = NULL;
        const char *e = getenv("container");

        *ret_container = false;
        if (isempty(e) && read_full_file("/run/systemd/container", READ_MAX, &c, NULL) >= 0)
                e = strstrip(c);
        if (isempty(e) && access("/.dockerenv", F_OK) >= 0)
                e = "docker";
        if (!isempty(e)) {
                *ret_container = true;
                *ret_id = strdup(streq(e, "lxc-libvirt") ? "lxc-libvirt" : e);
                return *ret_id ? 1 : -ENOMEM;
        }
        if (read_full_file("/sys/class/dmi/id/sys_vendor", READ_MAX, &vendor, NULL) >= 0) {
                static const char *const dmi[][2] = {
                        { "QEMU", "qemu" }, { "KVM", "kvm" }, { "VMware", "vmware" },
                        { "Microsoft Corporation", "microsoft" }, { "innotek GmbH", "oracle" },
                        { "Xen", "xen" }, { "Bochs", "bochs" }, { "Amazon EC2", "amazon" },
                };
                for (size_t i = 0; i < ELEMENTSOF(dmi); i++)
                        if (startswith(strstrip(vendor), dmi[i][0])) {
                                *ret_id = strdup(dmi[i][1]);
                                return *ret_id ? 1 : -ENOMEM;
                        }
        }
        if (read_full_file("/proc/cpuinfo", READ_MAX, &cpuinfo, NULL) >= 0 && strstr(cpuinfo, " hypervisor")) {
                *ret_id = strdup("vm-other");
                return *ret_id ? 1 : -ENOMEM;
        }
        *ret_id = NULL;
        return 0;
}

static int running_in_userns(void) {
        _cleanup_free_ char *map = NULL;
        int r = read_full_file("/proc/self/uid_map", READ_MAX, &map, NULL);
        unsigned a, b, n;

        if (r < 0)
                return r == -ENOENT ? false : r;
        if (sscanf(map, "%u %u %u", &a, &b, &n) == 3 && a == 0 && b == 0 && n == UINT32_MAX)
                return false;
        return true;
}

static int test_virtualization(Condition *c, char *const *env) {
        _cleanup_free_ char *id = NULL;
        bool container;
        int r, b;

        (void) env;
        if (streq(c->parameter, "private-users"))
                return running_in_userns();
        r = detect_virtualization(&id, &container);
        if (r < 0)
                return r;
        b = parse_boolean(c->parameter);
        if (b >= 0)
                return b == (r > 0);
        if (streq(c->parameter, "vm"))
                return r > 0 && !container;
        if (streq(c->parameter, "container"))
                return r > 0 && container;
        return r > 0 && streq(c->parameter, id);
}

/* systemd's architecture names for uname's machine field. */
static const char *native_architecture(void) {
        static const char *const map[][2] = {
                { "x86_64", "x86-64" }, { "i686", "x86" },    { "i586", "x86" },   { "i486", "x86" },
                { "i386", "x86" },      { "aarch64", "arm64" }, { "aarch64_be", "arm64-be" },
                { "armv7l", "arm" },    { "armv6l", "arm" },  { "ppc64le", "ppc64-le" }, { "ppc64", "ppc64" },
                { "ppc", "ppc" },       { "s390x", "s390x" }, { "s390", "s390" },  { "riscv64", "riscv64" },
                { "mips64", "mips64" }, { "mips", "mips" },   { "loongarch64", "loongarch64" },
                { "alpha", "alpha" },   { "ia64", "ia64" },   { "sparc64", "sparc64" }, { "parisc", "parisc" },
        };
        static struct utsname u;

        if (uname(&u) < 0)
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(map); i++)
                if (streq(u.machine, map[i][0]))
                        return map[i][1];
        return u.machine;
}

static int test_architecture(Condition *c, char *const *env) {
        const char *a = native_architecture();

        (void) env;
        if (!a)
                return -EIO;
        if (streq(c->parameter, "native"))
                return true;
        return streq(c->parameter, a);
}

static int test_firmware(Condition *c, char *const *env) {
        (void) env;
        if (streq(c->parameter, "device-tree"))
                return access("/sys/firmware/devicetree/", F_OK) >= 0;
        if (streq(c->parameter, "uefi"))
                return access("/sys/firmware/efi/", F_OK) >= 0;
        if (startswith(c->parameter, "device-tree-compatible(")) {
                const char *arg = c->parameter + STRLEN("device-tree-compatible(");
                _cleanup_free_ char *compat = NULL;
                size_t n = 0, len;
                int r;

                if (!endswith(arg, ")"))
                        return false;
                len = strlen(arg) - 1;
                r = read_full_file("/proc/device-tree/compatible", READ_MAX, &compat, &n);
                if (r < 0)
                        return r == -ENOENT ? false : r;
                for (size_t i = 0; i < n; i += strlen(compat + i) + 1)
                        if (strlen(compat + i) == len && strncmp(compat + i, arg, len) == 0)
                                return true;
                return false;
        }
        if (startswith(c->parameter, "smbios-field(")) {
                const char *arg = c->parameter + STRLEN("smbios-field(");
                _cleanup_free_ char *expr = NULL, *field = NULL, *path = NULL, *value = NULL;
                const char *p;
                CompareOp op;
                size_t n;

                if (!endswith(arg, ")"))
                        return -EINVAL;
                expr = strndup(arg, strlen(arg) - 1);
                if (!expr)
                        return -ENOMEM;
                n = strcspn(expr, "!<=>$ ");
                field = strndup(expr, n);
                if (!field || !filename_is_valid(field))
                        return field ? -EINVAL : -ENOMEM;
                p = expr + n + strspn(expr + n, " ");
                op = parse_compare_op(&p, CMP_ALLOW_FNMATCH | CMP_EQUAL_BY_STRING);
                if (op == CMP_INVALID)
                        return -EINVAL;
                p += strspn(p, " ");
                path = path_join("/sys/class/dmi/id", field);
                if (!path)
                        return -ENOMEM;
                if (read_full_file(path, READ_MAX, &value, NULL) < 0)
                        return false;
                return version_or_fnmatch_compare(op, strstrip(value), p);
        }
        log_debug("Unsupported Firmware condition \"%s\"", c->parameter);
        return false;
}

static int machine_id(char **ret) {
        _cleanup_free_ char *s = NULL;
        int r = read_full_file("/etc/machine-id", READ_MAX, &s, NULL);

        if (r < 0)
                return r;
        *ret = strdup(strstrip(s));
        return *ret ? 0 : -ENOMEM;
}

/* A 128 bit ID in either form (32 hex digits or the UUID form), normalized to 32 digits. */
static bool id128_normalize(const char *s, char out[static 33]) {
        size_t n = 0;

        for (; *s && n < 32; s++) {
                if (*s == '-' && strlen(s) > 0)
                        continue;
                if (!isxdigit((unsigned char) *s))
                        return false;
                out[n++] = (char) tolower((unsigned char) *s);
        }
        out[n] = 0;
        return n == 32 && *s == 0;
}

static int test_host(Condition *c, char *const *env) {
        char want[33], hostname[256];

        (void) env;
        if (id128_normalize(c->parameter, want)) {
                _cleanup_free_ char *id = NULL;
                int r = machine_id(&id);
                if (r < 0)
                        return r;
                return streq(id, want);
        }
        if (gethostname(hostname, sizeof hostname) < 0)
                return -errno;
        hostname[sizeof hostname - 1] = 0;
        return fnmatch(c->parameter, hostname, FNM_CASEFOLD) == 0;
}

/* systemd's on_ac_power(): AC if any "Mains" supply is online, or there is no battery. */
static int on_ac_power(void) {
        _cleanup_closedir_ DIR *d = opendir("/sys/class/power_supply");
        bool found_offline = false, found_online = false;
        struct dirent *de;

        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                _cleanup_free_ char *type = NULL, *online = NULL, *tp = NULL, *op = NULL;

                if (de->d_name[0] == '.')
                        continue;
                tp = path_join("/sys/class/power_supply", de->d_name, "type");
                op = path_join("/sys/class/power_supply", de->d_name, "online");
                if (!tp || !op)
                        return -ENOMEM;
                if (read_full_file(tp, READ_MAX, &type, NULL) < 0 || !streq(strstrip(type), "Mains"))
                        continue;
                if (read_full_file(op, READ_MAX, &online, NULL) < 0)
                        continue;
                if (streq(strstrip(online), "1"))
                        found_online = true;
                else
                        found_offline = true;
        }
        return found_online || !found_offline;
}

static int test_ac_power(Condition *c, char *const *env) {
        int r = parse_boolean(c->parameter);

        (void) env;
        if (r < 0)
                return r;
        return (on_ac_power() != 0) == !!r;
}

static int test_security(Condition *c, char *const *env) {
        const char *p = c->parameter;

        (void) env;
        if (streq(p, "selinux"))
                return access("/sys/fs/selinux/enforce", F_OK) >= 0;
        if (streq(p, "smack"))
                return access("/sys/fs/smackfs/", F_OK) >= 0;
        if (streq(p, "apparmor")) {
                _cleanup_free_ char *e = NULL;
                return read_full_file("/sys/module/apparmor/parameters/enabled", READ_MAX, &e, NULL) >= 0 &&
                       e[0] == 'Y';
        }
        if (streq(p, "audit"))
                return access("/proc/self/loginuid", F_OK) >= 0;
        if (streq(p, "ima"))
                return access("/sys/kernel/security/ima/", F_OK) >= 0;
        if (streq(p, "tomoyo"))
                return access("/sys/kernel/security/tomoyo/version", F_OK) >= 0;
        if (streq(p, "uefi-secureboot")) {
                _cleanup_free_ char *v = NULL;
                size_t n = 0;
                if (read_full_file("/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c",
                                   0, &v, &n) < 0 || n < 5)
                        return false;
                return v[4] == 1;
        }
        if (streq(p, "tpm2"))
                return access("/sys/class/tpmrm/", F_OK) >= 0 && access("/sys/firmware/acpi/tables/TPM2", F_OK) >= 0;
        return false;
}

static int test_capability(Condition *c, char *const *env) {
        _cleanup_free_ char *status = NULL;
        unsigned long long caps = ULLONG_MAX;
        int value = exec_cap_from_name(c->parameter);
        const char *p;
        int r;

        (void) env;
        if (value < 0)
                return -EINVAL;
        r = read_full_file("/proc/self/status", READ_MAX, &status, NULL);
        if (r < 0)
                return r;
        p = strstr(status, "\nCapBnd:");
        if (p && sscanf(p + STRLEN("\nCapBnd:"), "%llx", &caps) != 1)
                return -EIO;
        return !!(caps & (1ULL << value));
}

static bool path_is_read_only_fs(const char *path, int *ret_error) {
        struct statvfs st;

        *ret_error = 0;
        if (statvfs(path, &st) < 0) {
                *ret_error = -errno;
                return false;
        }
        if (st.f_flag & ST_RDONLY)
                return true;
        /* A read-write mount of a file system that is not writable for us (e.g. in a sandbox) */
        return access(path, W_OK) < 0 && errno == EROFS;
}

static int test_needs_update(Condition *c, char *const *env) {
        _cleanup_free_ char *stamp = NULL;
        struct stat usr, other;
        int err;

        (void) env;
        if (access("/etc/initrd-release", F_OK) >= 0)
                return false;
        if (!path_is_absolute(c->parameter))
                return true;
        if (path_is_read_only_fs(c->parameter, &err))
                return false;
        stamp = path_join(c->parameter, ".updated");
        if (!stamp)
                return -ENOMEM;
        if (lstat(stamp, &other) < 0 || lstat("/usr/", &usr) < 0)
                return true;
        if (usr.st_mtim.tv_sec != other.st_mtim.tv_sec)
                return usr.st_mtim.tv_sec > other.st_mtim.tv_sec;
        return usr.st_mtim.tv_nsec > other.st_mtim.tv_nsec;
}

static int test_first_boot(Condition *c, char *const *env) {
        int r = parse_boolean(c->parameter);

        (void) env;
        if (r < 0)
                return r;
        return (access("/run/systemd/first-boot", F_OK) >= 0) == !!r;
}

static int test_environment(Condition *c, char *const *env) {
        bool equal = strchr(c->parameter, '=');

        for (char *const *i = env; i && *i; i++) {
                const char *f;

                if (equal ? streq(c->parameter, *i)
                          : ((f = startswith(*i, c->parameter)) && IN_SET(*f, 0, '=')))
                        return true;
        }
        return false;
}

static int test_path(Condition *c, char *const *env) {
        struct stat st;
        int err;

        (void) env;
        switch (c->type) {
        case CONDITION_PATH_EXISTS:
                return access(c->parameter, F_OK) >= 0;
        case CONDITION_PATH_EXISTS_GLOB: {
                glob_t g = {};
                int r = glob(c->parameter, GLOB_NOSORT | GLOB_BRACE, NULL, &g);
                globfree(&g);
                return r == 0;
        }
        case CONDITION_PATH_IS_DIRECTORY:
                return stat(c->parameter, &st) >= 0 && S_ISDIR(st.st_mode);
        case CONDITION_PATH_IS_SYMBOLIC_LINK:
                return lstat(c->parameter, &st) >= 0 && S_ISLNK(st.st_mode);
        case CONDITION_PATH_IS_READ_WRITE:
                return !path_is_read_only_fs(c->parameter, &err) && err != -ENOENT;
        case CONDITION_FILE_NOT_EMPTY:
                return stat(c->parameter, &st) >= 0 && S_ISREG(st.st_mode) && st.st_size > 0;
        case CONDITION_FILE_IS_EXECUTABLE:
                return stat(c->parameter, &st) >= 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
        case CONDITION_PATH_IS_ENCRYPTED:
                return false; /* needs dm-crypt block device inspection; not on this machine */
        default:
                return -EINVAL;
        }
}

/* Whether path is a mount point: listed as a mount point in /proc/self/mountinfo (after
 * resolving symlinks, as 252's AT_SYMLINK_FOLLOW). */
static int test_path_is_mount_point(Condition *c, char *const *env) {
        _cleanup_free_ char *real = realpath(c->parameter, NULL), *info = NULL;
        _cleanup_strv_free_ char **lines = NULL;
        int r;

        (void) env;
        if (!real)
                return false;
        if (streq(real, "/"))
                return true;
        r = read_full_file("/proc/self/mountinfo", READ_MAX, &info, NULL);
        if (r < 0)
                return r;
        r = strv_split_newlines(info, &lines);
        if (r < 0)
                return r;
        STRV_FOREACH(l, lines) {
                _cleanup_free_ char *mp = NULL;
                char *decoded = NULL;
                const char *p = *l;

                for (int field = 0; field < 4 && p; field++)
                        p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
                if (!p)
                        continue;
                mp = strndup(p, strcspn(p, " "));
                if (!mp)
                        return -ENOMEM;
                if (cunescape(mp, strlen(mp), 0, &decoded) < 0)
                        continue;
                r = path_equal(decoded, real);
                free(decoded);
                if (r)
                        return true;
        }
        return false;
}

static int test_directory_not_empty(Condition *c, char *const *env) {
        _cleanup_closedir_ DIR *d = opendir(c->parameter);
        struct dirent *de;

        (void) env;
        if (!d)
                return false;
        while ((de = readdir(d)))
                if (!hidden_or_backup_file(de->d_name))
                        return true;
        return false;
}

static int test_cpu_feature(Condition *c, char *const *env) {
        _cleanup_free_ char *cpuinfo = NULL, *want = NULL;
        _cleanup_strv_free_ char **lines = NULL;
        int r;

        (void) env;
        r = read_full_file("/proc/cpuinfo", READ_MAX, &cpuinfo, NULL);
        if (r < 0)
                return r;
        want = strdup(c->parameter);
        if (!want)
                return -ENOMEM;
        for (char *p = want; *p; p++)
                *p = (char) tolower((unsigned char) *p);
        r = strv_split_newlines(cpuinfo, &lines);
        if (r < 0)
                return r;
        STRV_FOREACH(l, lines) {
                const char *v = startswith(*l, "flags") ?: startswith(*l, "Features");
                _cleanup_strv_free_ char **words = NULL;

                if (!v || !(v = strchr(v, ':')))
                        continue;
                if (strv_split(v + 1, " \t", &words) < 0)
                        return -ENOMEM;
                if (strv_find(words, want))
                        return true;
        }
        return false;
}

/* Pressure: "N%" optionally followed by "/10sec", "/1min" or "/5min" (default 5min), or
 * "SLICE:N%…"; compared with the "full" (cpu: "some") line of the PSI file. Without PSI
 * support the condition passes, as in 252. */
static int test_psi(Condition *c, char *const *env) {
        static const char *const files[] = { "memory", "cpu", "io" };
        const char *type = files[c->type - CONDITION_MEMORY_PRESSURE];
        _cleanup_free_ char *path = NULL, *text = NULL, *spec = NULL;
        const char *p = c->parameter, *line, *avg = "avg300=", *slash;
        double limit, current;
        int r;

        (void) env;
        path = path_join("/proc/pressure", type);
        if (!path)
                return -ENOMEM;
        if (read_full_file(path, READ_MAX, &text, NULL) < 0)
                return 1;
        if (strchr(p, ':'))
                return 1; /* per-slice pressure needs the slice's cgroup: not evaluated */
        spec = strdup(p);
        if (!spec)
                return -ENOMEM;
        slash = strchr(spec, '/');
        if (slash) {
                avg = streq(slash + 1, "10sec") ? "avg10=" : streq(slash + 1, "1min") ? "avg60=" :
                      streq(slash + 1, "5min") ? "avg300=" : NULL;
                if (!avg)
                        return -EINVAL;
                spec[slash - spec] = 0;
        }
        r = parse_permyriad(spec);
        if (r < 0)
                return r;
        limit = r / 100.0;
        line = strstr(text, streq(type, "cpu") ? "some " : "full ");
        if (!line || !(line = strstr(line, avg)) || sscanf(line + strlen(avg), "%lf", &current) != 1)
                return -EIO;
        return current <= limit;
}

int condition_test(Condition *c, char *const *env) {
        int r;

        switch (c->type) {
        case CONDITION_ARCHITECTURE: r = test_architecture(c, env); break;
        case CONDITION_FIRMWARE: r = test_firmware(c, env); break;
        case CONDITION_VIRTUALIZATION: r = test_virtualization(c, env); break;
        case CONDITION_HOST: r = test_host(c, env); break;
        case CONDITION_KERNEL_COMMAND_LINE: r = test_kernel_command_line(c, env); break;
        case CONDITION_KERNEL_VERSION: r = test_kernel_version(c, env); break;
        case CONDITION_CREDENTIAL: r = test_credential(c, env); break;
        case CONDITION_SECURITY: r = test_security(c, env); break;
        case CONDITION_CAPABILITY: r = test_capability(c, env); break;
        case CONDITION_AC_POWER: r = test_ac_power(c, env); break;
        case CONDITION_NEEDS_UPDATE: r = test_needs_update(c, env); break;
        case CONDITION_FIRST_BOOT: r = test_first_boot(c, env); break;
        case CONDITION_PATH_IS_MOUNT_POINT: r = test_path_is_mount_point(c, env); break;
        case CONDITION_DIRECTORY_NOT_EMPTY: r = test_directory_not_empty(c, env); break;
        case CONDITION_USER: r = test_user(c, env); break;
        case CONDITION_GROUP: r = test_group(c, env); break;
        case CONDITION_CONTROL_GROUP_CONTROLLER: r = test_control_group_controller(c, env); break;
        case CONDITION_CPUS: r = test_cpus(c, env); break;
        case CONDITION_MEMORY: r = test_memory(c, env); break;
        case CONDITION_ENVIRONMENT: r = test_environment(c, env); break;
        case CONDITION_CPU_FEATURE: r = test_cpu_feature(c, env); break;
        case CONDITION_OS_RELEASE: r = test_os_release(c, env); break;
        case CONDITION_MEMORY_PRESSURE:
        case CONDITION_CPU_PRESSURE:
        case CONDITION_IO_PRESSURE: r = test_psi(c, env); break;
        default: r = test_path(c, env); break;
        }
        if (r < 0) {
                c->result = CONDITION_ERROR;
                return r;
        }
        r = (r > 0) != c->negate;
        c->result = r ? CONDITION_SUCCEEDED : CONDITION_FAILED;
        return r;
}

/* ---------------------------------------------------------------- lists */

void condition_list_free(Condition *list, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(list[i].parameter);
        free(list);
}

static bool type_is_path(ConditionType t) {
        return IN_SET(t, CONDITION_PATH_EXISTS, CONDITION_PATH_EXISTS_GLOB, CONDITION_PATH_IS_DIRECTORY,
                      CONDITION_PATH_IS_SYMBOLIC_LINK, CONDITION_PATH_IS_MOUNT_POINT,
                      CONDITION_PATH_IS_READ_WRITE, CONDITION_PATH_IS_ENCRYPTED,
                      CONDITION_DIRECTORY_NOT_EMPTY, CONDITION_FILE_NOT_EMPTY,
                      CONDITION_FILE_IS_EXECUTABLE);
}

/* One value as 252's config_parse_unit_condition_{path,string}(): "|" and "!" prefixes (each
 * followed by optional whitespace), then specifiers. Returns 1 with *c filled, 0 to skip. */
static int parse_entry(Unit *u, const char *key, ConditionType t, const char *value, Condition *c) {
        _cleanup_free_ char *expanded = NULL;
        bool trigger, negate;
        int r;

        trigger = *value == '|';
        if (trigger)
                value += 1 + strspn(value + 1, " \t\n\r");
        negate = *value == '!';
        if (negate)
                value += 1 + strspn(value + 1, " \t\n\r");
        r = (type_is_path(t) ? unit_path_printf : unit_full_printf)(u, value, &expanded);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                log_warning_errno(r, "%s: Failed to resolve unit specifiers in %s=%s, ignoring: %m", u->id, key, value);
                return 0;
        }
        if (type_is_path(t)) {
                if (!path_is_absolute(expanded) || !path_is_valid(expanded)) {
                        log_warning("%s: Path in condition not absolute, ignoring: %s", u->id, expanded);
                        return 0;
                }
                path_simplify(expanded);
        }
        *c = (Condition) { .type = t, .trigger = trigger, .negate = negate,
                           .parameter = TAKE_PTR(expanded), .result = CONDITION_UNTESTED };
        return 1;
}

int condition_list_build(Unit *u, bool asserts) {
        Condition **list = asserts ? &u->asserts : &u->conditions;
        size_t *n = asserts ? &u->n_asserts : &u->n_conditions;
        Condition *new_list = NULL;
        size_t n_new = 0, allocated = 0;
        const char *prefix = asserts ? "Unit.Assert" : "Unit.Condition";
        char **values;
        const char *key;
        int r;

        HASHMAP_FOREACH_KEY(values, key, u->settings) {
                const char *name = startswith(key, prefix);
                ConditionType t;

                if (!name)
                        continue;
                t = (ConditionType) string_table_lookup(condition_names, _CONDITION_TYPE_MAX, name);
                if (t < 0)
                        continue;
                STRV_FOREACH(v, values) {
                        if (!GREEDY_REALLOC(new_list, allocated, n_new + 1)) {
                                condition_list_free(new_list, n_new);
                                return -ENOMEM;
                        }
                        r = parse_entry(u, key + STRLEN("Unit."), t, *v, &new_list[n_new]);
                        if (r < 0) {
                                condition_list_free(new_list, n_new);
                                return r;
                        }
                        n_new += r;
                }
        }
        condition_list_free(*list, *n);
        *list = new_list;
        *n = n_new;
        return 0;
}

bool condition_list_test(Unit *u, Condition *list, size_t n, char *const *env, bool asserts) {
        int triggered = -1;

        for (size_t i = 0; i < n; i++)
                list[i].result = CONDITION_UNTESTED;
        for (size_t i = 0; i < n; i++) {
                Condition *c = &list[i];
                const char *name = asserts ? assert_type_to_string(c->type) : condition_type_to_string(c->type);
                int r = condition_test(c, env);

                if (r < 0)
                        log_unit_warning_errno(u, r, "Couldn't determine result for %s=%s%s%s, assuming failed: %m",
                                               name, c->trigger ? "|" : "", c->negate ? "!" : "", c->parameter);
                else
                        log_unit_debug(u, "%s=%s%s%s %s.", name, c->trigger ? "|" : "", c->negate ? "!" : "",
                                       c->parameter, condition_result_to_string(c->result));
                if (!c->trigger && r <= 0)
                        return false;
                if (c->trigger && triggered <= 0)
                        triggered = r > 0;
        }
        return triggered != 0;
}
