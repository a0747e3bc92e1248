/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libudev-message.c: building and parsing libudev-format netlink messages
 * (libudev-message.h), with the MurmurHash2 subsystem/devtype hashes and the tag bloom.
 */

#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "device-internal.h"
#include "libudev-message.h"
#include "string-util.h"

uint32_t libudev_message_murmur2(const void *data, size_t len, uint32_t seed) {
        const uint32_t m = 0x5bd1e995;
        const unsigned char *p = data;
        uint32_t h = seed ^ (uint32_t) len;

        for (; len >= 4; p += 4, len -= 4) {
                uint32_t k = (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
                             (uint32_t) p[3] << 24;

                k *= m;
                k ^= k >> 24;
                k *= m;
                h *= m;
                h ^= k;
        }
        switch (len) {
        case 3:
                h ^= (uint32_t) p[2] << 16;
                _fallthrough_;
        case 2:
                h ^= (uint32_t) p[1] << 8;
                _fallthrough_;
        case 1:
                h ^= p[0];
                h *= m;
                break;
        default:
                break;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return h;
}

uint32_t libudev_message_string_hash(const char *s) {
        return libudev_message_murmur2(s, strlen(s), 0);
}

uint64_t libudev_message_tag_bloom(const char *tag) {
        uint32_t h = libudev_message_string_hash(tag);

        return UINT64_C(1) << (h & 63) | UINT64_C(1) << ((h >> 6) & 63) |
               UINT64_C(1) << ((h >> 12) & 63) | UINT64_C(1) << ((h >> 18) & 63);
}

int libudev_message_build(Device *d, LibudevMessageHeader *ret_header, const char **ret_payload,
                          size_t *ret_payload_len) {
        LibudevMessageHeader h = {
                .prefix = LIBUDEV_MESSAGE_PREFIX,
                .magic = htobe32(LIBUDEV_MESSAGE_MAGIC),
                .header_size = sizeof(LibudevMessageHeader),
                .properties_off = sizeof(LibudevMessageHeader),
        };
        const char *payload, *subsystem, *devtype, *tag;
        uint64_t bloom = 0;
        size_t len;
        int r;

        assert(d);
        r = device_get_properties_nulstr(d, &payload, &len);
        if (r < 0)
                return r;
        if (len < LIBUDEV_MESSAGE_MIN_PROPERTIES)
                return log_device_debug_errno(d, -EINVAL,
                                              "libudev: Properties too short for a message.");
        r = device_get_subsystem(d, &subsystem);
        if (r < 0)
                return r;
        h.filter_subsystem_hash = htobe32(libudev_message_string_hash(subsystem));
        if (device_get_devtype(d, &devtype) >= 0)
                h.filter_devtype_hash = htobe32(libudev_message_string_hash(devtype));
        DEVICE_FOREACH_TAG(d, tag)
        bloom |= libudev_message_tag_bloom(tag);
        h.filter_tag_bloom_hi = htobe32((uint32_t) (bloom >> 32));
        h.filter_tag_bloom_lo = htobe32((uint32_t) bloom);
        h.properties_len = (uint32_t) len;

        *ret_header = h;
        *ret_payload = payload;
        *ret_payload_len = len;
        return 0;
}

int libudev_message_build_buffer(Device *d, void **ret, size_t *ret_len) {
        LibudevMessageHeader h;
        const char *payload;
        size_t len;
        char *buf;
        int r;

        r = libudev_message_build(d, &h, &payload, &len);
        if (r < 0)
                return r;
        buf = malloc(sizeof h + len);
        if (!buf)
                return -ENOMEM;
        memcpy(buf, &h, sizeof h);
        memcpy(buf + sizeof h, payload, len);
        *ret = buf;
        *ret_len = sizeof h + len;
        return 0;
}

bool libudev_message_is_libudev(const void *buf, size_t len) {
        return len >= sizeof(LIBUDEV_MESSAGE_PREFIX) &&
               memcmp(buf, LIBUDEV_MESSAGE_PREFIX, sizeof(LIBUDEV_MESSAGE_PREFIX)) == 0;
}

int libudev_message_parse(const void *buf, size_t len, Device **ret) {
        LibudevMessageHeader h;
        Device *d = NULL;
        int r;

        assert(ret);
        if (!buf || len < sizeof h || !libudev_message_is_libudev(buf, len))
                return log_debug_errno(-EINVAL,
                                       "libudev: Message too short or without \"libudev\" prefix.");
        memcpy(&h, buf, sizeof h);
        if (be32toh(h.magic) != LIBUDEV_MESSAGE_MAGIC)
                return log_debug_errno(-EINVAL, "libudev: Invalid message signature (%x != %x).",
                                       be32toh(h.magic), LIBUDEV_MESSAGE_MAGIC);
        if ((uint64_t) h.properties_off + LIBUDEV_MESSAGE_MIN_PROPERTIES > len)
                return log_debug_errno(-EINVAL,
                                       "libudev: Invalid offset for properties (%u > %zu).",
                                       h.properties_off + LIBUDEV_MESSAGE_MIN_PROPERTIES, len);
        /* as sd-device, the properties run to the end of the datagram (properties_len unused) */
        r = device_new_from_nulstr(&d, (const char *) buf + h.properties_off,
                                   len - h.properties_off);
        if (r < 0)
                return r;
        device_set_is_initialized(d); /* devices from udevd are initialized */
        *ret = d;
        return 0;
}
