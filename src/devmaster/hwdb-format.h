/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * hwdb-format.h: the on-disk layout of hwdb.bin (format of systemd 252, little endian). The
 * file is: header, then the trie nodes (each node directly followed by its child entries,
 * sorted by character, and its value entries, sorted by key), written in post-order so the
 * root comes last, then the string area. All offsets count from the start of the file.
 */

#include <stdint.h>

#define HWDB_SIGNATURE "KSLPHHRH"

typedef struct __attribute__((packed)) HwdbHeader {
        uint8_t signature[8];
        uint64_t tool_version;
        uint64_t file_size;
        uint64_t header_size;
        uint64_t node_size;
        uint64_t child_entry_size;
        uint64_t value_entry_size;
        uint64_t nodes_root_off;
        uint64_t nodes_len;
        uint64_t strings_len;
} HwdbHeader;

typedef struct __attribute__((packed)) HwdbNode {
        uint64_t prefix_off; /* the part of the match string shared below this node */
        uint8_t children_count;
        uint8_t padding[7];
        uint64_t values_count;
} HwdbNode;

typedef struct __attribute__((packed)) HwdbChild {
        uint8_t c;
        uint8_t padding[7];
        uint64_t child_off;
} HwdbChild;

/* Version 1 value entries have only the first two fields. */
typedef struct __attribute__((packed)) HwdbValue {
        uint64_t key_off; /* " KEY": a key not starting with a space is ignored */
        uint64_t value_off;
        uint64_t filename_off;
        uint32_t line_number;
        uint16_t file_priority; /* 0 in version 2 files */
        uint16_t padding;
} HwdbValue;

#define HWDB_VALUE_V1_SIZE 16
#define HWDB_TOOL_VERSION 252
