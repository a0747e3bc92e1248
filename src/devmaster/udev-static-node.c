/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-static-node.c: permissions and tags of static device nodes (udev-static-node.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "device-db.h"
#include "fd-util.h"
#include "log.h"
#include "mkdir.h"
#include "string-util.h"
#include "strv.h"
#include "udev-static-node.h"

/* The node name as a file name: '/' and '.' (and anything unprintable) as \xNN. */
static char *escape_node(const char *node) {
        char *buf = malloc(strlen(node) * 4 + 1), *t = buf;

        if (!buf)
                return NULL;
        for (const char *s = node; *s; s++)
                if (*s == '/' || *s == '.' || *s == '\\' || (unsigned char) *s < ' ' ||
                    (unsigned char) *s >= 127)
                        t += sprintf(t, "\\x%02x", (unsigned char) *s);
                else
                        *t++ = *s;
        *t = '\0';
        return buf;
}

static int export_tags(const char *node, const char *devnode, char **tags) {
        _cleanup_free_ char *escaped = escape_node(node);

        if (!escaped)
                return -ENOMEM;
        STRV_FOREACH(t, tags) {
                _cleanup_free_ char *dir = strjoin(device_db_get_run_dir(), "/static_node-tags/", *t);
                _cleanup_free_ char *link = NULL;
                int r;

                if (!dir)
                        return -ENOMEM;
                r = mkdir_p(dir, 0755);
                if (r < 0)
                        return log_error_errno(r, "Failed to create %s: %m", dir);
                link = strjoin(dir, "/", escaped);
                if (!link)
                        return -ENOMEM;
                if (symlink(devnode, link) < 0 && errno != EEXIST)
                        return log_error_errno(-errno, "Failed to create symlink %s -> %s: %m", link, devnode);
        }
        return 0;
}

static int apply_one(const char *node, uid_t uid, gid_t gid, mode_t mode, char **tags) {
        _cleanup_free_ char *devnode = NULL;
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        if (uid == UID_INVALID && gid == GID_INVALID && mode == UDEV_RULES_MODE_INVALID && strv_isempty(tags))
                return 0;
        devnode = strjoin("/dev/", node);
        if (!devnode)
                return -ENOMEM;
        fd = open(devnode, O_PATH | O_CLOEXEC);
        if (fd < 0) {
                if (errno == ENOENT)
                        return 0;
                return log_error_errno(-errno, "Failed to open %s: %m", devnode);
        }
        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "Failed to stat %s: %m", devnode);
        if (!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode)) {
                log_warning("%s is neither block nor character device, ignoring.", devnode);
                return 0;
        }
        if (!strv_isempty(tags)) {
                r = export_tags(node, devnode, tags);
                if (r < 0)
                        return r;
        }
        if (mode == UDEV_RULES_MODE_INVALID && gid != GID_INVALID && gid > 0)
                mode = 0660;
        /* through /proc/self/fd: chmod()/chown() do not take O_PATH fds directly */
        {
                char p[64];

                snprintf(p, sizeof p, "/proc/self/fd/%i", fd);
                if (mode != UDEV_RULES_MODE_INVALID && (st.st_mode & 07777) != (mode & 07777) &&
                    chmod(p, mode & 07777) < 0)
                        return log_error_errno(-errno, "Failed to set mode of %s: %m", devnode);
                if ((uid != UID_INVALID && st.st_uid != uid) || (gid != GID_INVALID && st.st_gid != gid)) {
                        if (chown(p, uid, gid) < 0)
                                return log_error_errno(-errno, "Failed to set owner of %s: %m", devnode);
                }
        }
        log_debug("Setting permissions %s, uid=%i, gid=%i, mode=%#o", devnode,
                  uid == UID_INVALID ? -1 : (int) uid, gid == GID_INVALID ? -1 : (int) gid,
                  mode == UDEV_RULES_MODE_INVALID ? 0 : (unsigned) mode);
        return 0;
}

static int apply_line(const UdevRuleLine *line) {
        _cleanup_strv_free_ char **tags = NULL;
        uid_t uid = UID_INVALID;
        gid_t gid = GID_INVALID;
        mode_t mode = UDEV_RULES_MODE_INVALID;

        if (!(line->flags & UDEV_RULE_LINE_HAS_STATIC_NODE))
                return 0;
        for (size_t i = 0; i < line->n_tokens; i++) {
                const UdevRuleToken *t = &line->tokens[i];
                int r;

                switch (t->type) {
                case UDEV_TK_A_OWNER_ID:
                        uid = t->data.uid;
                        break;
                case UDEV_TK_A_GROUP_ID:
                        gid = t->data.gid;
                        break;
                case UDEV_TK_A_MODE_ID:
                        mode = t->data.mode;
                        break;
                case UDEV_TK_A_TAG:
                        if (strv_extend(&tags, t->value) < 0)
                                return -ENOMEM;
                        break;
                case UDEV_TK_A_OPTIONS_STATIC_NODE:
                        r = apply_one(t->value, uid, gid, mode, tags);
                        if (r < 0)
                                return r;
                        break;
                default:
                        break;
                }
        }
        return 0;
}

int udev_static_node_apply(const UdevRules *rules) {
        int ret = 0;

        if (!rules)
                return 0;
        for (size_t f = 0; f < rules->n_files; f++)
                for (size_t l = 0; l < rules->files[f]->n_lines; l++) {
                        int r = apply_line(&rules->files[f]->lines[l]);

                        if (r < 0 && ret == 0)
                                ret = r;
                }
        return ret;
}
