/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * fuzz.h: what every fuzz target in test/fuzz defines. A target is one file fuzz-NAME.c with
 * LLVMFuzzerTestOneInput(); it must accept any bytes, never leak, and abort() only when it finds
 * a broken invariant. It is linked either with libFuzzer (--enable-fuzzers, clang) or with
 * fuzz-main.c, which replays the seed corpus test/fuzz/corpus/fuzz-NAME/ as part of make check.
 */

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
