/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * exec-wire.c: the manager → exec helper encoding (see exec-wire.h). One table lists every
 * field with its tag, kind and place; encoder and decoder both walk it, so a new field is one
 * line here.
 */

#include <stddef.h>

#include "exec-wire.h"
#include "strv.h"

typedef enum WireKind {
        WIRE_FIXED, /* plain bytes of the given size */
        WIRE_STR,   /* char * */
        WIRE_STRV,  /* char **, one record per entry (an empty list writes nothing) */
        WIRE_BLOB,  /* pointer at offset, size_t at offset2 */
} WireKind;

typedef struct WireField {
        uint16_t tag;
        uint8_t kind;
        bool in_run; /* field of ExecRun, else of ExecContext */
        uint16_t offset, offset2, size;
} WireField;

#define CTX_FIXED(tag, f) { tag, WIRE_FIXED, false, offsetof(ExecContext, f), 0, sizeof(((ExecContext *) 0)->f) }
#define CTX_STR(tag, f) { tag, WIRE_STR, false, offsetof(ExecContext, f), 0, 0 }
#define CTX_STRV(tag, f) { tag, WIRE_STRV, false, offsetof(ExecContext, f), 0, 0 }
#define CTX_BLOB(tag, f, n) { tag, WIRE_BLOB, false, offsetof(ExecContext, f), offsetof(ExecContext, n), 0 }
#define RUN_FIXED(tag, f) { tag, WIRE_FIXED, true, offsetof(ExecRun, f), 0, sizeof(((ExecRun *) 0)->f) }
#define RUN_STR(tag, f) { tag, WIRE_STR, true, offsetof(ExecRun, f), 0, 0 }
#define RUN_STRV(tag, f) { tag, WIRE_STRV, true, offsetof(ExecRun, f), 0, 0 }

/* Tags are the table index + 1; never reorder within one build's lifetime (both ends match). */
static const WireField fields[] = {
        CTX_STRV(1, environment), CTX_STRV(2, environment_files), CTX_STRV(3, pass_environment),
        CTX_STRV(4, unset_environment), CTX_STR(5, user), CTX_STR(6, group),
        CTX_STRV(7, supplementary_groups), CTX_STRV(8, exec_search_path),
        CTX_STR(9, working_directory), CTX_FIXED(10, working_directory_missing_ok),
        CTX_FIXED(11, working_directory_home), CTX_STR(12, root_directory), CTX_FIXED(13, umask),
        CTX_FIXED(14, nice), CTX_FIXED(15, nice_set), CTX_FIXED(16, oom_score_adjust),
        CTX_FIXED(17, oom_score_adjust_set), CTX_FIXED(18, ioprio), CTX_FIXED(19, ioprio_set),
        CTX_FIXED(20, cpu_sched_policy), CTX_FIXED(21, cpu_sched_priority),
        CTX_FIXED(22, cpu_sched_reset_on_fork), CTX_FIXED(23, cpu_sched_set),
        CTX_BLOB(24, cpu_affinity.set, cpu_affinity.size), CTX_BLOB(25, rlimit, rlimit_size),
        CTX_FIXED(26, rlimit_set), CTX_FIXED(27, timer_slack_nsec), CTX_FIXED(28, personality),
        CTX_FIXED(29, ignore_sigpipe), CTX_FIXED(30, non_blocking), CTX_FIXED(31, same_pgrp),
        CTX_FIXED(32, std_input), CTX_FIXED(33, std_output), CTX_FIXED(34, std_error),
        CTX_STR(35, stdio_file[0]), CTX_STR(36, stdio_file[1]), CTX_STR(37, stdio_file[2]),
        CTX_STR(38, stdio_fdname[0]), CTX_STR(39, stdio_fdname[1]), CTX_STR(40, stdio_fdname[2]),
        CTX_BLOB(41, stdin_data, stdin_data_size), CTX_STR(42, tty_path), CTX_FIXED(43, tty_reset),
        CTX_FIXED(44, tty_vhangup), CTX_STR(45, syslog_identifier), CTX_FIXED(46, syslog_priority),
        CTX_FIXED(47, syslog_level_prefix), CTX_STR(48, log_namespace),
        CTX_FIXED(49, no_new_privileges), CTX_FIXED(50, capability_bounding_set),
        CTX_FIXED(51, capability_ambient_set), CTX_FIXED(52, secure_bits),
        CTX_FIXED(53, keyring_mode), CTX_STR(54, selinux_context),
        CTX_FIXED(55, selinux_context_ignore), CTX_FIXED(56, private_tmp),

        RUN_STR(57, unit_id), RUN_STR(58, invocation_id), RUN_FIXED(59, flags), RUN_STR(60, path),
        RUN_STRV(61, argv), RUN_FIXED(62, command_flags), RUN_STRV(63, environment),
        RUN_STRV(64, pass_environment), RUN_STRV(65, files_environment), RUN_FIXED(66, n_fds),
        RUN_STRV(67, fd_names), RUN_FIXED(68, stdin_fd), RUN_FIXED(69, stdout_fd),
        RUN_FIXED(70, stderr_fd), RUN_FIXED(71, socket_fd), RUN_FIXED(72, named_fds),
        RUN_FIXED(73, exec_fd), RUN_STR(74, cgroup_path), RUN_FIXED(75, watchdog_usec),
        RUN_FIXED(76, log_level), RUN_FIXED(77, log_target), RUN_STR(78, tmp_dir),
        RUN_STR(79, var_tmp_dir), RUN_FIXED(80, n_socket_fds),
        CTX_STRV(81, directories[EXEC_DIRECTORY_RUNTIME]), CTX_STRV(82, directories[EXEC_DIRECTORY_STATE]),
        CTX_STRV(83, directories[EXEC_DIRECTORY_CACHE]), CTX_STRV(84, directories[EXEC_DIRECTORY_LOGS]),
        CTX_STRV(85, directories[EXEC_DIRECTORY_CONFIGURATION]), CTX_FIXED(86, directory_modes),
        RUN_STR(87, prefix[EXEC_DIRECTORY_RUNTIME]), RUN_STR(88, prefix[EXEC_DIRECTORY_STATE]),
        RUN_STR(89, prefix[EXEC_DIRECTORY_CACHE]), RUN_STR(90, prefix[EXEC_DIRECTORY_LOGS]),
        RUN_STR(91, prefix[EXEC_DIRECTORY_CONFIGURATION]), RUN_FIXED(92, gate_fd),
        CTX_FIXED(93, private_devices), CTX_FIXED(94, private_mounts), CTX_FIXED(95, protect_kernel_tunables),
        CTX_FIXED(96, protect_kernel_modules), CTX_FIXED(97, protect_kernel_logs),
        CTX_FIXED(98, protect_control_groups), CTX_FIXED(99, protect_hostname), CTX_FIXED(100, protect_system),
        CTX_FIXED(101, protect_home), CTX_FIXED(102, mount_propagation), CTX_STRV(103, read_write_paths),
        CTX_STRV(104, read_only_paths), CTX_STRV(105, inaccessible_paths), CTX_STRV(106, bind_mounts),
        CTX_STRV(107, temporary_filesystems), CTX_FIXED(108, mount_apivfs),
        CTX_FIXED(109, protect_proc), CTX_FIXED(110, proc_subset_pid), CTX_FIXED(111, private_network),
        RUN_FIXED(112, netns_storage),
        CTX_STRV(113, syscall_filter), CTX_FIXED(114, syscall_allow_list), CTX_FIXED(115, syscall_errno),
        CTX_STRV(116, syscall_archs), CTX_FIXED(117, memory_deny_write_execute),
        CTX_FIXED(118, restrict_realtime), CTX_FIXED(119, restrict_suid_sgid), CTX_FIXED(120, lock_personality),
};

void exec_run_init(ExecRun *r) {
        *r = (ExecRun) {
                .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1, .socket_fd = -1,
                .named_fds = { -1, -1, -1 }, .exec_fd = -1, .gate_fd = -1, .log_level = -1, .log_target = -1,
                .netns_storage = { -1, -1 },
        };
}

void exec_run_done(ExecRun *r) {
        if (!r)
                return;
        for (size_t i = 0; i < ELEMENTSOF(fields); i++) {
                void *p = (uint8_t *) r + fields[i].offset;
                if (!fields[i].in_run)
                        continue;
                if (fields[i].kind == WIRE_STR)
                        free(*(char **) p);
                else if (fields[i].kind == WIRE_STRV)
                        strv_free(*(char ***) p);
        }
        exec_run_init(r);
}

typedef struct Buf {
        uint8_t *data;
        size_t size, allocated;
} Buf;

static int buf_put(Buf *b, uint16_t tag, const void *p, size_t n) {
        uint32_t len = (uint32_t) n;

        if (n > UINT32_MAX)
                return -E2BIG;
        if (!GREEDY_REALLOC(b->data, b->allocated, b->size + sizeof tag + sizeof len + n))
                return -ENOMEM;
        memcpy(b->data + b->size, &tag, sizeof tag);
        memcpy(b->data + b->size + sizeof tag, &len, sizeof len);
        if (n > 0)
                memcpy(b->data + b->size + sizeof tag + sizeof len, p, n);
        b->size += sizeof tag + sizeof len + n;
        return 0;
}

static int encode_field(Buf *b, const WireField *f, const uint8_t *base) {
        const void *p = base + f->offset;
        int r = 0;

        switch (f->kind) {
        case WIRE_FIXED:
                return buf_put(b, f->tag, p, f->size);
        case WIRE_STR:
                return *(char *const *) p ? buf_put(b, f->tag, *(char *const *) p, strlen(*(char *const *) p)) : 0;
        case WIRE_STRV:
                STRV_FOREACH(s, *(char **const *) p)
                        if ((r = buf_put(b, f->tag, *s, strlen(*s))) < 0)
                                return r;
                return 0;
        default: /* WIRE_BLOB */
                if (!*(void *const *) p)
                        return 0;
                return buf_put(b, f->tag, *(void *const *) p, *(const size_t *) (base + f->offset2));
        }
}

int exec_wire_encode(const ExecContext *context, const ExecRun *run, void **ret, size_t *ret_size) {
        Buf b = {};

        for (size_t i = 0; i < ELEMENTSOF(fields); i++) {
                const uint8_t *base = fields[i].in_run ? (const uint8_t *) run : (const uint8_t *) context;
                int r = encode_field(&b, &fields[i], base);
                if (r < 0) {
                        free(b.data);
                        return r;
                }
        }
        *ret = b.data ? b.data : malloc(1);
        if (!*ret)
                return -ENOMEM;
        *ret_size = b.size;
        return 0;
}

static const WireField *field_by_tag(uint16_t tag) {
        return tag >= 1 && tag <= ELEMENTSOF(fields) && fields[tag - 1].tag == tag ? &fields[tag - 1] : NULL;
}

static int decode_field(const WireField *f, uint8_t *base, const uint8_t *p, size_t n) {
        void *dst = base + f->offset;
        char *s;

        switch (f->kind) {
        case WIRE_FIXED:
                if (n != f->size)
                        return -EBADMSG;
                memcpy(dst, p, n);
                return 0;
        case WIRE_BLOB:
                if (*(void **) dst)
                        return -EBADMSG;
                *(void **) dst = malloc(MAX(n, 1U));
                if (!*(void **) dst)
                        return -ENOMEM;
                memcpy(*(void **) dst, p, n);
                *(size_t *) (base + f->offset2) = n;
                return 0;
        default:
                if (memchr(p, 0, n))
                        return -EBADMSG;
                s = strndup((const char *) p, n);
                if (!s)
                        return -ENOMEM;
                if (f->kind == WIRE_STRV)
                        return strv_consume((char ***) dst, s);
                free(*(char **) dst);
                *(char **) dst = s;
                return 0;
        }
}

int exec_wire_decode(const void *buf, size_t size, ExecContext *ret_context, ExecRun *ret_run) {
        _cleanup_(exec_context_done) ExecContext c;
        _cleanup_(exec_run_done) ExecRun r;
        const uint8_t *p = buf;

        exec_context_init(&c);
        c.rlimit_owned = true; /* a decoded array is the context's own */
        exec_run_init(&r);
        while (size > 0) {
                const WireField *f;
                uint16_t tag;
                uint32_t len;
                int k;

                if (size < sizeof tag + sizeof len)
                        return -EBADMSG;
                memcpy(&tag, p, sizeof tag);
                memcpy(&len, p + sizeof tag, sizeof len);
                p += sizeof tag + sizeof len;
                size -= sizeof tag + sizeof len;
                f = field_by_tag(tag);
                if (!f || len > size)
                        return -EBADMSG;
                k = decode_field(f, f->in_run ? (uint8_t *) &r : (uint8_t *) &c, p, len);
                if (k < 0)
                        return k;
                p += len;
                size -= len;
        }
        if (strv_length(r.fd_names) != r.n_fds && r.fd_names)
                return -EBADMSG;
        if (c.rlimit_set && c.rlimit_size != sizeof(struct rlimit) * EXEC_RLIMIT_MAX)
                return -EBADMSG;
        *ret_context = c;
        *ret_run = r;
        exec_context_init(&c);
        exec_run_init(&r);
        return 0;
}
