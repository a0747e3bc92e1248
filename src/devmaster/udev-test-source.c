/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-test-source.c: the test-only uevent source (udev-test-source.h).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fd-util.h"
#include "hashmap.h"
#include "log.h"
#include "path-util.h"
#include "socket-util.h"
#include "string-util.h"
#include "strv.h"
#include "udev-test-source.h"
#include "uevent-parse.h"

#define TEST_DATAGRAM_MAX (8 * 1024)
#define TEST_UEVENT_FILE_MAX (64 * 1024)
#define TEST_WATCH_MAX 65536U

struct UdevTestSource {
        Event *event;
        int fd;
        char *path;
        EventSource *source;
        int inotify_fd;
        EventSource *inotify_source;
        Hashmap *watches; /* wd (as pointer) -> syspath (owned) */
        uint64_t seqnum; /* the highest seen */
        UdevTestSourceHandler handler;
        void *userdata;
};

/* Whether the datagram has a SEQNUM= entry (any entry after the header). */
static bool has_seqnum(const char *buf, size_t len) {
        for (size_t i = 0; i < len; i += strnlen(buf + i, len - i) + 1)
                if (i > 0 && len - i > 7 && memcmp(buf + i, "SEQNUM=", 7) == 0)
                        return true;
        return false;
}

static void deliver(UdevTestSource *s, const void *buf, size_t len) {
        _cleanup_device_unref_ Device *dev = NULL;
        _cleanup_free_ char *numbered = NULL;
        uint64_t seqnum;

        if (!has_seqnum(buf, len)) {
                /* the kernel numbers uevents: so do we, when the test did not */
                char num[40];
                int n = snprintf(num, sizeof num, "SEQNUM=%" PRIu64, s->seqnum + 1);

                numbered = malloc(len + n + 2);
                if (!numbered)
                        return;
                memcpy(numbered, buf, len);
                if (len == 0 || numbered[len - 1] != '\0')
                        numbered[len++] = '\0';
                memcpy(numbered + len, num, n + 1);
                len += n + 1;
                buf = numbered;
        }
        if (uevent_parse_kernel(buf, len, &dev) < 0) {
                log_debug("Test source: invalid uevent, ignoring.");
                return;
        }
        if (device_get_seqnum(dev, &seqnum) >= 0 && seqnum > s->seqnum)
                s->seqnum = seqnum;
        s->handler(dev, s->userdata);
}

static int on_datagram(EventSource *es, int fd, uint32_t revents, void *userdata) {
        UdevTestSource *s = userdata;

        (void) es;
        (void) revents;
        for (;;) {
                char buf[TEST_DATAGRAM_MAX];
                ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC);

                if (n < 0)
                        return IN_SET(errno, EAGAIN, EINTR) ? 0 : -errno;
                if ((size_t) n > sizeof buf) {
                        log_debug("Test source: oversized uevent, ignoring.");
                        continue;
                }
                deliver(s, buf, (size_t) n);
        }
}

static bool action_is_valid(const char *a) {
        return device_action_from_string(a) >= 0;
}

static bool uuid_is_valid(const char *u) {
        if (strlen(u) != 36)
                return false;
        for (size_t i = 0; i < 36; i++)
                if ((i == 8 || i == 13 || i == 18 || i == 23) ? u[i] != '-' : unhexchar(u[i]) < 0)
                        return false;
        return true;
}

static int append(char **buf, size_t *len, const char *a, const char *b) {
        size_t n = strlen(a) + (b ? strlen(b) : 0) + 1;
        char *p = realloc(*buf, *len + n);

        if (!p)
                return -ENOMEM;
        *buf = p;
        memcpy(p + *len, a, strlen(a));
        if (b)
                memcpy(p + *len + strlen(a), b, strlen(b));
        p[*len + n - 1] = '\0';
        *len += n;
        return 0;
}

int udev_test_source_synthesize(const char *command, const char *devpath, const char *subsystem,
                                const char *uevent, uint64_t seqnum, char **ret, size_t *ret_len) {
        _cleanup_strv_free_ char **words = NULL, **lines = NULL;
        _cleanup_free_ char *buf = NULL, *header = NULL;
        char num[32];
        size_t len = 0;
        int r;

        r = strv_split(command, " \t\n", &words);
        if (r < 0)
                return r;
        if (strv_isempty(words) || !action_is_valid(words[0]))
                return -EINVAL;
        if (words[1] && !uuid_is_valid(words[1]))
                return -EINVAL;
        header = strjoin(words[0], "@", devpath);
        if (!header)
                return -ENOMEM;
        r = append(&buf, &len, header, NULL);
        if (r >= 0)
                r = append(&buf, &len, "ACTION=", words[0]);
        if (r >= 0)
                r = append(&buf, &len, "DEVPATH=", devpath);
        if (r >= 0 && subsystem)
                r = append(&buf, &len, "SUBSYSTEM=", subsystem);
        if (r >= 0)
                r = append(&buf, &len, "SYNTH_UUID=", words[1] ? words[1] : "0");
        for (size_t i = 2; r >= 0 && words[1] && words[i]; i++) {
                const char *eq = strchr(words[i], '=');

                if (!eq || eq == words[i])
                        return -EINVAL;
                for (const char *k = words[i]; k < eq; k++)
                        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9')))
                                return -EINVAL;
                r = append(&buf, &len, "SYNTH_ARG_", words[i]);
        }
        if (r >= 0)
                r = strv_split(uevent ? uevent : "", "\n", &lines);
        if (r < 0)
                return r;
        STRV_FOREACH(l, lines)
                if (r >= 0 && strchr(*l, '='))
                        r = append(&buf, &len, *l, NULL);
        snprintf(num, sizeof num, "%" PRIu64, seqnum);
        if (r >= 0)
                r = append(&buf, &len, "SEQNUM=", num);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

static char *read_subsystem(const char *syspath) {
        _cleanup_free_ char *link = path_join(syspath, "subsystem"), *target = NULL;
        const char *slash;

        if (!link || readlink_malloc(link, &target) < 0)
                return NULL;
        slash = strrchr(target, '/');
        return strdup(slash ? slash + 1 : target);
}

/* A write to a watched uevent file: the first line is what was written. */
static void on_uevent_written(UdevTestSource *s, const char *syspath) {
        _cleanup_free_ char *file = path_join(syspath, "uevent"), *content = NULL, *subsystem = NULL;
        _cleanup_free_ char *datagram = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *devpath, *nl, *root = device_get_sysfs_root();
        size_t size, cmd_len, len;
        char *command;

        if (!file || read_full_file(file, TEST_UEVENT_FILE_MAX, &content, &size) < 0)
                return;
        nl = memchr(content, '\n', size);
        cmd_len = nl ? (size_t) (nl - content) : size;
        if (cmd_len == 0)
                return; /* only padding: nothing was written (or it is our own restore) */
        command = strndup(content, cmd_len);
        if (!command)
                return;
        /* put the padding back */
        fd = open(file, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd >= 0) {
                char pad[256];
                size_t off = 0;

                memset(pad, '\n', sizeof pad);
                while (off < cmd_len) {
                        ssize_t n = pwrite(fd, pad, MIN(sizeof pad, cmd_len - off), (off_t) off);

                        if (n <= 0)
                                break;
                        off += (size_t) n;
                }
        }
        devpath = startswith(syspath, root);
        subsystem = read_subsystem(syspath);
        if (devpath && udev_test_source_synthesize(command, devpath, subsystem, content + cmd_len,
                                                   s->seqnum + 1, &datagram, &len) >= 0)
                deliver(s, datagram, len);
        else
                log_debug("Test source: invalid write '%s' to %s, ignoring.", command, file);
        free(command);
}

static int on_inotify(EventSource *es, int fd, uint32_t revents, void *userdata) {
        UdevTestSource *s = userdata;
        union {
                struct inotify_event ev;
                uint8_t raw[4096];
        } buf;
        ssize_t n;

        (void) es;
        (void) revents;
        n = read(fd, &buf, sizeof buf);
        if (n < 0)
                return IN_SET(errno, EAGAIN, EINTR) ? 0 : -errno;
        for (uint8_t *p = buf.raw; p < buf.raw + n;) {
                struct inotify_event *e = (struct inotify_event *) p;
                const char *syspath;

                p += sizeof *e + e->len;
                if (!(e->mask & IN_CLOSE_WRITE))
                        continue;
                syspath = hashmap_get(s->watches, INT_TO_PTR(e->wd + 1));
                if (syspath)
                        on_uevent_written(s, syspath);
        }
        return 0;
}

static int watch_tree(UdevTestSource *s, const char *dir, unsigned depth) {
        _cleanup_(closedirp) DIR *d = NULL;
        _cleanup_free_ char *uevent = NULL;
        struct dirent *de;
        int r;

        if (depth > 64 || hashmap_size(s->watches) >= TEST_WATCH_MAX)
                return 0;
        uevent = path_join(dir, "uevent");
        if (!uevent)
                return -ENOMEM;
        if (access(uevent, F_OK) >= 0) {
                int wd = inotify_add_watch(s->inotify_fd, uevent, IN_CLOSE_WRITE);

                if (wd >= 0) {
                        char *copy = strdup(dir);

                        if (!copy)
                                return -ENOMEM;
                        r = hashmap_ensure_put(&s->watches, &trivial_hash_ops, INT_TO_PTR(wd + 1), copy);
                        if (r < 0)
                                free(copy);
                        if (r == -ENOMEM)
                                return r;
                }
        }
        d = opendir(dir);
        if (!d)
                return 0;
        while ((de = readdir(d))) {
                _cleanup_free_ char *p = NULL;

                if (de->d_name[0] == '.' || de->d_type != DT_DIR)
                        continue;
                p = path_join(dir, de->d_name);
                if (!p)
                        return -ENOMEM;
                r = watch_tree(s, p, depth + 1);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int socket_open(const char *path) {
        struct sockaddr_un sa;
        _cleanup_close_ int fd = -EBADF;
        int salen = sockaddr_un_set_path(&sa, path);

        if (salen < 0)
                return salen;
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;
        (void) unlink(path);
        if (bind(fd, (struct sockaddr *) &sa, (socklen_t) salen) < 0)
                return -errno;
        if (chmod(path, 0600) < 0)
                return -errno;
        return TAKE_FD(fd);
}

int udev_test_source_new(Event *e, const char *path, bool trigger, UdevTestSourceHandler handler,
                         void *userdata, UdevTestSource **ret) {
        UdevTestSource *s;
        int r;

        s = new0(UdevTestSource, 1);
        if (!s)
                return -ENOMEM;
        s->event = event_ref(e);
        s->fd = s->inotify_fd = -EBADF;
        s->handler = handler;
        s->userdata = userdata;
        s->path = strdup(path);
        if (!s->path) {
                udev_test_source_free(s);
                return -ENOMEM;
        }
        s->fd = socket_open(path);
        r = s->fd;
        if (r >= 0)
                r = event_add_io(e, &s->source, s->fd, EPOLLIN, on_datagram, s);
        if (r >= 0 && trigger) {
                _cleanup_free_ char *devices = path_join(device_get_sysfs_root(), "devices");

                s->inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
                r = s->inotify_fd < 0 ? -errno : 0;
                if (r >= 0)
                        r = devices ? watch_tree(s, devices, 0) : -ENOMEM;
                if (r >= 0)
                        r = event_add_io(e, &s->inotify_source, s->inotify_fd, EPOLLIN, on_inotify, s);
        }
        if (r < 0) {
                udev_test_source_free(s);
                return r;
        }
        *ret = s;
        return 0;
}

UdevTestSource *udev_test_source_free(UdevTestSource *s) {
        char *p;

        if (!s)
                return NULL;
        s->source = event_source_disable_unref(s->source);
        s->inotify_source = event_source_disable_unref(s->inotify_source);
        safe_close(s->fd);
        safe_close(s->inotify_fd);
        if (s->path)
                (void) unlink(s->path);
        HASHMAP_FOREACH(p, s->watches)
                free(p);
        hashmap_free(s->watches);
        event_unref(s->event);
        free(s->path);
        free(s);
        return NULL;
}
