/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-test-server: a D-Bus service built on our library (src/shared/bus), for the real
 * clients (busctl, gdbus, dbus-send, python3-dbus) to drive in test-bus-clients.sh.
 *
 *   bus-test-server --listen=PATH      peer-to-peer: serves every client that connects to PATH
 *   bus-test-server --address=ADDRESS  connects to a message bus, owns org.sysmaster.Test
 *
 * Once ready it prints "READY" on stdout. Objects:
 *   /org/sysmaster/Test                 org.sysmaster.Test1: methods, properties, a signal
 *   /org/sysmaster/Test/item/<0..4>     org.sysmaster.Item1 (a fallback with a find callback,
 *                                       listed by a node enumerator)
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "bus/bus-object.h"
#include "bus/bus.h"
#include "fd-util.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"

#define TEST_PATH "/org/sysmaster/Test"
#define TEST_INTERFACE "org.sysmaster.Test1"
#define ITEM_PREFIX "/org/sysmaster/Test/item"
#define ITEM_INTERFACE "org.sysmaster.Item1"
#define N_ITEMS 5

typedef struct Item {
        unsigned index;
        char *label;
} Item;

typedef struct Server {
        Event *event;
        char *name;
        uint32_t count;
        char **tags;
        char *note;
        Item items[N_ITEMS];
        Bus **clients;
        size_t n_clients, clients_alloc;
} Server;

static Server server;

/* ---- org.sysmaster.Test1 ---- */

/* Echo(ybnqiuxtdsog) returns its arguments unchanged: every basic type but h. */
static int method_echo(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        int r;

        r = bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = bus_message_copy_all(reply, m);
        if (r < 0)
                return r;
        return bus_reply_message(bus, m, reply);
}

/* EchoVariant(v) and EchoComplex(a{sv}a(ii)aayav) are copied back the same way. */

static int method_sum(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        int64_t sum = 0;
        int32_t v;
        int r;

        r = bus_message_enter_container(m, 'a', "i");
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        while ((r = bus_message_read_basic(m, 'i', &v)) > 0)
                sum += v;
        if (r < 0)
                return r;
        return bus_reply(bus, m, "x", sum);
}

static int method_fail(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        const char *name, *message;
        int r;

        r = bus_message_read(m, "ss", &name, &message);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        return bus_error_setf(error, name, "%s", message);
}

static int method_fail_errno(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        int32_t e;
        int r;

        r = bus_message_read(m, "i", &e);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        return -abs(e);
}

/* OpenFile(s path) → h: an fd to the caller. */
static int method_open_file(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        _cleanup_close_ int fd = -EBADF;
        const char *path;
        int r;

        r = bus_message_read(m, "s", &path);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return bus_error_set_errnof(error, errno, "Cannot open %s: %m", path);
        return bus_reply(bus, m, "h", fd);
}

/* ReadFd(h) → s: reads what the caller's fd gives. */
static int method_read_fd(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        char buf[4096];
        ssize_t n;
        int fd, r;

        r = bus_message_read(m, "h", &fd);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        n = pread(fd, buf, sizeof(buf) - 1, 0);
        if (n < 0)
                n = read(fd, buf, sizeof(buf) - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        return bus_reply(bus, m, "s", buf);
}

static int emit_tick(Bus *bus, const char *text) {
        return bus_emit_signal(bus, TEST_PATH, TEST_INTERFACE, "Tick", "su", text, server.count);
}

/* EmitTick(s): the Tick(su) signal, to every client (peer-to-peer) or broadcast (bus). */
static int method_emit_tick(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        const char *text;
        int r;

        r = bus_message_read(m, "s", &text);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        r = bus_reply(bus, m, NULL);
        if (r < 0)
                return r;
        if (server.n_clients == 0)
                return emit_tick(bus, text);
        for (size_t i = 0; i < server.n_clients; i++)
                (void) emit_tick(server.clients[i], text);
        return 0;
}

static int method_increment(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        int r;

        server.count++;
        r = bus_reply(bus, m, "u", server.count);
        if (r < 0)
                return r;
        return bus_emit_properties_changed_strv(bus, TEST_PATH, TEST_INTERFACE,
                                                STRV_MAKE("Count", "Note"));
}

static int method_quit(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        (void) bus_reply(bus, m, NULL);
        (void) bus_transport_flush(bus_get_transport(bus));
        return event_exit(server.event, 0);
}

static int set_name(Bus *bus, const char *path, const char *interface, const char *property,
                    BusMessage *value, void *userdata, BusError *error) {
        const char *s;
        char *copy;
        int r;

        r = bus_message_read_basic(value, 's', &s);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        if (!*s)
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Name must not be empty");
        copy = strdup(s);
        if (!copy)
                return -ENOMEM;
        free(server.name);
        server.name = copy;
        return bus_emit_properties_changed_strv(bus, path, interface, STRV_MAKE("Name"));
}

static const BusVtable test_vtable[] = {
        BUS_VTABLE_START(0),
        BUS_METHOD_WITH_NAMES("Echo", "ybnqiuxtdsog", "ybnqiuxtdsog",
                              "y\0b\0n\0q\0i\0u\0x\0t\0d\0s\0o\0g\0", method_echo, 0),
        BUS_METHOD("EchoVariant", "v", "v", method_echo, 0),
        BUS_METHOD("EchoComplex", "a{sv}a(ii)aayav", "a{sv}a(ii)aayav", method_echo, 0),
        BUS_METHOD_WITH_NAMES("Sum", "ai", "x", "values\0sum\0", method_sum, 0),
        BUS_METHOD_WITH_NAMES("Fail", "ss", "", "name\0message\0", method_fail, 0),
        BUS_METHOD("FailErrno", "i", "", method_fail_errno, 0),
        BUS_METHOD_WITH_NAMES("OpenFile", "s", "h", "path\0fd\0", method_open_file, 0),
        BUS_METHOD_WITH_NAMES("ReadFd", "h", "s", "fd\0contents\0", method_read_fd, 0),
        BUS_METHOD_WITH_NAMES("EmitTick", "s", "", "text\0", method_emit_tick, 0),
        BUS_METHOD("Increment", "", "u", method_increment, 0),
        BUS_METHOD("Quit", "", "", method_quit, 0),
        BUS_SIGNAL_WITH_NAMES("Tick", "su", "text\0count\0", 0),
        BUS_WRITABLE_PROPERTY("Name", "s", bus_property_get_string, set_name,
                              offsetof(Server, name), BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        BUS_PROPERTY("Count", "u", bus_property_get_uint32, offsetof(Server, count),
                     BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        BUS_PROPERTY("Tags", "as", bus_property_get_strv, offsetof(Server, tags),
                     BUS_VTABLE_PROPERTY_CONST),
        BUS_PROPERTY("Note", "s", bus_property_get_string, offsetof(Server, note),
                     BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        BUS_VTABLE_END,
};

/* ---- org.sysmaster.Item1 on /org/sysmaster/Test/item/<n> ---- */

static int item_find(Bus *bus, const char *path, const char *interface, void *userdata,
                     void **ret_found, BusError *error) {
        const char *e = startswith(path, ITEM_PREFIX "/");
        char *end;
        unsigned long n;

        if (!e || !*e)
                return 0;
        errno = 0;
        n = strtoul(e, &end, 10);
        if (errno != 0 || *end || n >= N_ITEMS)
                return 0;
        *ret_found = &server.items[n];
        return 1;
}

static int item_enumerate(Bus *bus, const char *prefix, void *userdata, char ***ret_nodes,
                          BusError *error) {
        _cleanup_strv_free_ char **l = NULL;

        for (unsigned i = 0; i < N_ITEMS; i++) {
                char path[64];

                snprintf(path, sizeof(path), ITEM_PREFIX "/%u", i);
                if (strv_extend(&l, path) < 0)
                        return -ENOMEM;
        }
        *ret_nodes = TAKE_PTR(l);
        return 0;
}

static int item_describe(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        Item *item = userdata;

        return bus_reply(bus, m, "us", item->index, item->label);
}

static const BusVtable item_vtable[] = {
        BUS_VTABLE_START(0),
        BUS_METHOD("Describe", "", "us", item_describe, 0),
        BUS_PROPERTY("Index", "u", bus_property_get_uint32, offsetof(Item, index), BUS_VTABLE_PROPERTY_CONST),
        BUS_PROPERTY("Label", "s", bus_property_get_string, offsetof(Item, label), BUS_VTABLE_PROPERTY_CONST),
        BUS_VTABLE_END,
};

/* ---- bus clients on a peer-to-peer socket ----
 * busctl (sd-bus with bus_client set) says Hello and may add matches even with --address. A
 * peer-to-peer server that wants to serve it answers those itself; signals go to every
 * client anyway. */

static int p2p_hello(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        static unsigned n;
        char name[32];

        snprintf(name, sizeof(name), ":1.%u", ++n);
        return bus_reply(bus, m, "s", name);
}

static int p2p_match(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        return bus_reply(bus, m, NULL);
}

static const BusVtable p2p_driver_vtable[] = {
        BUS_VTABLE_START(0),
        BUS_METHOD("Hello", "", "s", p2p_hello, 0),
        BUS_METHOD("AddMatch", "s", "", p2p_match, 0),
        BUS_METHOD("RemoveMatch", "s", "", p2p_match, 0),
        BUS_VTABLE_END,
};

/* ---- setup ---- */

static int register_objects(Bus *bus) {
        int r;

        r = bus_add_object_vtable(bus, NULL, TEST_PATH, TEST_INTERFACE, test_vtable, &server);
        if (r < 0)
                return r;
        r = bus_add_fallback_vtable(bus, NULL, ITEM_PREFIX, ITEM_INTERFACE, item_vtable,
                                    item_find, NULL);
        if (r < 0)
                return r;
        return bus_add_node_enumerator(bus, NULL, ITEM_PREFIX, item_enumerate, NULL);
}

static void client_gone(Bus *bus, void *userdata) {
        for (size_t i = 0; i < server.n_clients; i++)
                if (server.clients[i] == bus) {
                        memmove(server.clients + i, server.clients + i + 1,
                                (server.n_clients - i - 1) * sizeof(Bus *));
                        server.n_clients--;
                        bus_unref(bus);
                        return;
                }
}

static int on_accept(EventSource *s, int fd, uint32_t revents, void *userdata) {
        const char *guid = userdata;
        Bus *bus = NULL;
        int cfd, r;

        cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (cfd < 0)
                return 0;
        r = bus_new_server(server.event, cfd, guid, true, &bus);
        if (r < 0) {
                log_error_errno(r, "Failed to set up a connection: %m");
                return 0;
        }
        r = register_objects(bus);
        if (r >= 0)
                r = bus_add_object_vtable(bus, NULL, "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                          p2p_driver_vtable, NULL);
        if (r < 0 || !GREEDY_REALLOC(server.clients, server.clients_alloc, server.n_clients + 1)) {
                log_error_errno(r, "Failed to register objects: %m");
                bus_unref(bus);
                return 0;
        }
        server.clients[server.n_clients++] = bus;
        bus_set_disconnected_handler(bus, client_gone, NULL);
        return 0;
}

static int listen_unix(const char *path) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd;

        if (strlen(path) >= sizeof(sa.sun_path))
                return -ENAMETOOLONG;
        strcpy(sa.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;
        (void) unlink(path);
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
                int e = -errno;
                close(fd);
                return e;
        }
        return fd;
}

static void bus_gone(Bus *bus, void *userdata) {
        (void) event_exit(server.event, 0);
}

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "listen", required_argument, NULL, 'l' },
                { "address", required_argument, NULL, 'a' },
                {}
        };
        const char *listen_path = NULL, *address = NULL;
        _cleanup_(bus_unrefp) Bus *bus = NULL;
        static const char guid[] = "0123456789abcdef0123456789abcdef";
        int c, r, fd = -EBADF;

        log_parse_environment();
        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                switch (c) {
                case 'l':
                        listen_path = optarg;
                        break;
                case 'a':
                        address = optarg;
                        break;
                default:
                        return 2;
                }
        if (!!listen_path == !!address) {
                fprintf(stderr, "usage: bus-test-server --listen=PATH | --address=ADDRESS\n");
                return 2;
        }

        server.name = strdup("initial");
        server.tags = strv_new("alpha", "beta", "gamma");
        server.note = strdup("a note");
        for (unsigned i = 0; i < N_ITEMS; i++) {
                server.items[i].index = i;
                if (asprintf(&server.items[i].label, "item %u", i) < 0)
                        return 1;
        }
        if (!server.name || !server.tags || !server.note)
                return 1;
        r = event_new(&server.event);
        if (r < 0)
                return 1;

        if (listen_path) {
                fd = listen_unix(listen_path);
                if (fd < 0) {
                        log_error_errno(fd, "Cannot listen on %s: %m", listen_path);
                        return 1;
                }
                r = event_add_io(server.event, NULL, fd, EPOLLIN, on_accept, (void *) guid);
        } else {
                r = bus_new_client(server.event, address, true, &bus);
                if (r >= 0)
                        r = register_objects(bus);
                if (r >= 0)
                        r = bus_request_name(bus, "org.sysmaster.Test", 0);
                if (r >= 0)
                        bus_set_disconnected_handler(bus, bus_gone, NULL);
        }
        if (r < 0) {
                log_error_errno(r, "Setup failed: %m");
                return 1;
        }
        printf("READY\n");
        fflush(stdout);
        r = event_loop(server.event);

        for (size_t i = 0; i < server.n_clients; i++)
                bus_unref(server.clients[i]);
        free(server.clients);
        bus = bus_unref(bus);
        safe_close(fd);
        event_unref(server.event);
        free(server.name);
        free(server.note);
        strv_free(server.tags);
        for (unsigned i = 0; i < N_ITEMS; i++)
                free(server.items[i].label);
        return r < 0 ? 1 : 0;
}
