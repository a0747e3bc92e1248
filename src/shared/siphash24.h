/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * siphash24.h: SipHash-2-4 (Aumasson & Bernstein), the keyed hash behind every hashmap, so
 * that names chosen by untrusted peers (bus names, unit names) cannot force collisions.
 */

#include <stddef.h>
#include <stdint.h>

uint64_t siphash24(const void *data, size_t len, const uint8_t key[16]);
