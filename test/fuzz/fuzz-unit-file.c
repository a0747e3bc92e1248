/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-unit-file.c: feeds arbitrary bytes through the whole unit-file loader: the first byte
 * picks the unit type, the rest is written as the fragment "fuzz-a@i.<type>" (an instance, so
 * template lookups and instance specifiers run too) and, after a line "----", as a drop-in of
 * it (the top bit of the first byte writes the fragment as the template instead). The unit is loaded with everything it pulls in and printed as `dump` would print it.
 * Whatever the input, loading must end in a load state and never crash or leak.
 */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "log.h"
#include "manager.h"
#include "unit-dump.h"

static const char *const types[] = { "service", "socket", "target", "timer", "path",
                                     "slice",   "mount",  "swap",   "device", "automount" };

static char dir[64];

static void write_file(const char *path, const uint8_t *data, size_t size) {
        FILE *f = fopen(path, "we");
        if (!f)
                abort();
        if (size > 0 && fwrite(data, 1, size, f) != size)
                abort();
        if (fclose(f) != 0)
                abort();
}

static void setup_once(void) {
        if (dir[0])
                return;
        snprintf(dir, sizeof dir, "/tmp/fuzz-unit-file-XXXXXX");
        if (!mkdtemp(dir))
                abort();
        log_set_max_level(getenv("FUZZ_DEBUG") ? LOG_DEBUG : LOG_CRIT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char fragment[128], template[128], dropdir[128], dropin[160], name[64];
        const uint8_t *sep = NULL;
        const char *type;
        bool as_template;
        Manager *m = NULL;
        FILE *null;
        Unit *u;

        if (size < 1 || size > 256 * 1024)
                return 0;
        setup_once();
        type = types[(data[0] & 0x7f) % (sizeof types / sizeof types[0])];
        as_template = data[0] & 0x80;
        data++;
        size--;
        for (size_t i = 0; i + 6 <= size; i++)
                if (memcmp(data + i, "\n----\n", 6) == 0) {
                        sep = data + i;
                        break;
                }

        snprintf(name, sizeof name, "fuzz-a@i.%s", type);
        snprintf(fragment, sizeof fragment, "%s/%s", dir, name);
        snprintf(template, sizeof template, "%s/fuzz-a@.%s", dir, type);
        snprintf(dropdir, sizeof dropdir, "%s/fuzz-.%s.d", dir, type);
        snprintf(dropin, sizeof dropin, "%s/override.conf", dropdir);
        (void) mkdir(dropdir, 0755);
        write_file(as_template ? template : fragment, data, sep ? (size_t) (sep - data) : size);
        write_file(dropin, sep ? sep + 6 : data, sep ? size - (size_t) (sep + 6 - data) : 0);

        if (manager_new(dir, &m) < 0)
                abort();
        if (manager_setup_perpetual_units(m) < 0)
                abort();
        if (manager_load_unit(m, name, &u) < 0)
                abort();
        if (unit_follow_merge(u)->load_state == UNIT_STUB)
                abort(); /* loading must always decide */
        null = fopen("/dev/null", "we");
        if (!null || unit_dump(u, NULL, UNIT_DUMP_SHOW_EMPTY, null) < 0)
                abort();
        fclose(null);
        manager_free(m);

        (void) unlink(fragment);
        (void) unlink(template);
        (void) unlink(dropin);
        return 0;
}
