/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-builtin-net_id.h: the network interface naming schemes of systemd 252 (man
 * systemd.net-naming-scheme), shared by net_id and net_setup_link.
 */

typedef enum NetNamingFlags {
        NAMING_SR_IOV_V = 1 << 0,
        NAMING_NPAR_ARI = 1 << 1,
        NAMING_INFINIBAND = 1 << 2,
        NAMING_ZERO_ACPI_INDEX = 1 << 3,
        NAMING_ALLOW_RERENAMES = 1 << 4,
        NAMING_STABLE_VIRTUAL_MACS = 1 << 5,
        NAMING_NETDEVSIM = 1 << 6,
        NAMING_LABEL_NOPREFIX = 1 << 7,
        NAMING_NSPAWN_LONG_HASH = 1 << 8,
        NAMING_BRIDGE_NO_SLOT = 1 << 9,
        NAMING_SLOT_FUNCTION_ID = 1 << 10,
        NAMING_16BIT_INDEX = 1 << 11,
        NAMING_REPLACE_STRICTLY = 1 << 12,
        NAMING_XEN_VIF = 1 << 13,
        NAMING_BRIDGE_MULTIFUNCTION_SLOT = 1 << 14,
        NAMING_DEVICETREE_ALIASES = 1 << 15,

        NAMING_V238 = 0,
        NAMING_V239 = NAMING_V238 | NAMING_SR_IOV_V | NAMING_NPAR_ARI,
        NAMING_V240 = NAMING_V239 | NAMING_INFINIBAND | NAMING_ZERO_ACPI_INDEX | NAMING_ALLOW_RERENAMES,
        NAMING_V241 = NAMING_V240 | NAMING_STABLE_VIRTUAL_MACS,
        NAMING_V243 = NAMING_V241 | NAMING_NETDEVSIM | NAMING_LABEL_NOPREFIX,
        NAMING_V245 = NAMING_V243 | NAMING_NSPAWN_LONG_HASH,
        NAMING_V247 = NAMING_V245 | NAMING_BRIDGE_NO_SLOT,
        NAMING_V249 = NAMING_V247 | NAMING_SLOT_FUNCTION_ID | NAMING_16BIT_INDEX | NAMING_REPLACE_STRICTLY,
        NAMING_V250 = NAMING_V249 | NAMING_XEN_VIF,
        NAMING_V251 = NAMING_V250 | NAMING_BRIDGE_MULTIFUNCTION_SLOT,
        NAMING_V252 = NAMING_V251 | NAMING_DEVICETREE_ALIASES,
} NetNamingFlags;

typedef struct NetNamingScheme {
        const char *name;
        NetNamingFlags flags;
} NetNamingScheme;

/* "v238" … "v252", or "latest" (v252); NULL for an unknown name. */
const NetNamingScheme *net_naming_scheme_from_name(const char *name);
/* The scheme in use, decided once per process: $NET_NAMING_SCHEME (a leading ':' lets the
 * kernel command line win), net.naming-scheme= on the kernel command line, else v252. */
const NetNamingScheme *net_naming_scheme(void);
