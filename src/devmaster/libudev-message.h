/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * libudev-message.h: the message format udevd 252 uses on NETLINK_KOBJECT_UEVENT group 2 (the
 * broadcast to libudev/sd-device monitors) and to hand devices to its workers (spec section 4).
 *
 * A message is a 40-byte header followed by the properties as NUL-terminated "KEY=VALUE"
 * strings (at least 32 bytes), the first one being "UDEV_DATABASE_VERSION=1":
 *
 *   0  "libudev\0"                  8 bytes
 *   8  magic 0xfeedcafe             big-endian
 *   12 header_size (40)             host order
 *   16 properties_off (40)          host order
 *   20 properties_len               host order
 *   24 MurmurHash2(subsystem)       big-endian
 *   28 MurmurHash2(devtype) or 0    big-endian
 *   32 tag bloom, bits 63..32       big-endian
 *   36 tag bloom, bits 31..0        big-endian
 *
 * Receivers' socket filters test these fields, so the hashes must be bit-exact.
 */

#include <stddef.h>
#include <stdint.h>

#include "device.h"

#define LIBUDEV_MESSAGE_MAGIC 0xfeedcafeU
#define LIBUDEV_MESSAGE_PREFIX "libudev"
#define LIBUDEV_MESSAGE_MIN_PROPERTIES 32

typedef struct LibudevMessageHeader {
        char prefix[8];
        uint32_t magic; /* big-endian */
        uint32_t header_size;
        uint32_t properties_off;
        uint32_t properties_len;
        uint32_t filter_subsystem_hash; /* big-endian */
        uint32_t filter_devtype_hash; /* big-endian */
        uint32_t filter_tag_bloom_hi; /* big-endian */
        uint32_t filter_tag_bloom_lo; /* big-endian */
} LibudevMessageHeader;

_Static_assert(sizeof(LibudevMessageHeader) == 40, "libudev header must be 40 bytes");

/* MurmurHash2 (Austin Appleby's, 32-bit, little-endian reads) of len bytes. */
uint32_t libudev_message_murmur2(const void *data, size_t len, uint32_t seed) _pure_;
/* MurmurHash2 of s without its NUL, seed 0: "mem" → 0xc365cd83. */
uint32_t libudev_message_string_hash(const char *s) _pure_;
/* The four bloom bits of one tag: bits h&63, (h>>6)&63, (h>>12)&63, (h>>18)&63. */
uint64_t libudev_message_tag_bloom(const char *tag) _pure_;

/* Fills *ret_header for d and returns its properties block (owned by d, valid until the next
 * property change) as the payload: what a sender puts in two iovecs. The device must have a
 * subsystem (-ENOENT otherwise). -EINVAL if the payload would be shorter than 32 bytes. */
int libudev_message_build(Device *d, LibudevMessageHeader *ret_header, const char **ret_payload,
                          size_t *ret_payload_len);
/* The same as one buffer (header + payload), owned by the caller. */
int libudev_message_build_buffer(Device *d, void **ret, size_t *ret_len);

/* Whether buf starts like a libudev message ("libudev\0"). */
bool libudev_message_is_libudev(const void *buf, size_t len) _pure_;
/* A sealed, initialized Device from a received message, checked as sd-device checks it (the
 * magic, a properties offset that leaves at least 32 bytes) and then as uevent data (see
 * device_new_from_nulstr()). -EINVAL (with a debug message) for a malformed message. */
int libudev_message_parse(const void *buf, size_t len, Device **ret);
