/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * specifier.h: expansion of "%X" specifiers in unit-file settings, as systemd 252 does it
 * (src/shared/specifier.c), plus the specifiers that do not depend on a unit: host, machine,
 * boot, OS, the manager's own user and the temporary directories.
 *
 * A caller builds a table of Specifier entries (terminated by an entry whose specifier is 0),
 * usually from the SPECIFIER_*_ENTRIES macros below plus its own entries, and calls
 * specifier_printf(). Each lookup callback returns a new string in *ret (NULL or "" means "insert
 * nothing"), or a negative errno that aborts the expansion.
 *
 * The system callbacks read the files they need on every call (nothing is cached), so tests and
 * daemon-reload see changes. None of them does an NSS lookup for UID/GID 0.
 */

#include "macro.h"

typedef int (*SpecifierCallback)(char specifier, const void *data, const void *userdata,
                                 char **ret);

typedef struct Specifier {
        char specifier;
        SpecifierCallback lookup;
        const void *data;
} Specifier;

/* Expands text into a new string *ret:
 *   - "%%" gives "%";
 *   - "%X" with X in table gives the lookup's value (nothing if NULL or empty); a lookup error
 *     is returned as is;
 *   - "%X" with X a letter or digit that is not in the table fails with -EBADSLT;
 *   - "%" followed by anything else ("%-", "%/", a UTF-8 byte) is kept literally, and so is a
 *     lone "%" at the end;
 *   - -ENAMETOOLONG once the result grows beyond max_length bytes (SIZE_MAX: no limit).
 * userdata is handed to every callback. */
int specifier_printf(const char *text, size_t max_length, const Specifier *table,
                     const void *userdata, char **ret);

/* A copy of a string with every "%" doubled, so that specifier_printf() gives it back unchanged.
 * NULL on OOM. */
char *specifier_escape(const char *s);

/* ------------------------------------------------------------------------------------------ */
/* Generic callbacks                                                                           */

/* data is a const char *; NULL or "" inserts nothing. */
int specifier_string(char specifier, const void *data, const void *userdata, char **ret);
/* data is a const char * path; its canonical form with all symlinks resolved (the file must
 * exist; -ENOENT if data is NULL). For %y. */
int specifier_real_path(char specifier, const void *data, const void *userdata, char **ret);
/* The directory of specifier_real_path()'s result. For %Y. */
int specifier_real_directory(char specifier, const void *data, const void *userdata, char **ret);

/* ------------------------------------------------------------------------------------------ */
/* System-wide callbacks. Where data is a path it overrides the default file (tests use this);
 * NULL selects the real one.                                                                   */

/* %m: the machine ID from data or /etc/machine-id, as 32 lower-case hex digits. -ENOENT if the
 * file is missing, -ENOMEDIUM if empty or all zeros, -ENOPKG for "uninitialized", -EINVAL for
 * other content. */
int specifier_machine_id(char specifier, const void *data, const void *userdata, char **ret);
/* %b: the boot ID from data or /proc/sys/kernel/random/boot_id, dashes removed. */
int specifier_boot_id(char specifier, const void *data, const void *userdata, char **ret);
/* %H: the kernel's host name (uname). If it is unset ("" or "(none)"): $SYSTEMD_DEFAULT_HOSTNAME
 * if valid, else DEFAULT_HOSTNAME= from os-release if valid, else "localhost". */
int specifier_hostname(char specifier, const void *data, const void *userdata, char **ret);
/* %l: %H up to the first dot. */
int specifier_short_hostname(char specifier, const void *data, const void *userdata, char **ret);
/* %q: PRETTY_HOSTNAME= from data or /etc/machine-info; %l if that is missing, empty or
 * unreadable. */
int specifier_pretty_hostname(char specifier, const void *data, const void *userdata, char **ret);
/* %v: the kernel release (uname -r). */
int specifier_kernel_release(char specifier, const void *data, const void *userdata, char **ret);
/* %a: systemd's name of the running architecture ("x86-64", "x86", "arm64", "arm", "ppc64-le",
 * "s390x", "riscv64", …), derived from uname's machine field. -EOPNOTSUPP if unknown. */
int specifier_architecture(char specifier, const void *data, const void *userdata, char **ret);
/* %o %w %W %B %M %A: data names the os-release field ("ID", "VERSION_ID", "VARIANT_ID",
 * "BUILD_ID", "IMAGE_ID", "IMAGE_VERSION"). The file is $SYSTEMD_OS_RELEASE if set, else
 * /etc/os-release, else /usr/lib/os-release, parsed like a shell-style environment file. A missing
 * field inserts nothing; a missing file gives -EUNATCH, invalid UTF-8 in the file -EINVAL. */
int specifier_os_release_field(char specifier, const void *data, const void *userdata, char **ret);

/* Whose credentials %u %U %g %G describe; passed as data through SPECIFIER_CREDS(). The system
 * manager uses ROOT (systemd resolves these to UID/GID 0 for the system instance, whoever runs
 * it), a user manager SELF. */
typedef enum SpecifierCreds {
        SPECIFIER_CREDS_SELF = 0, /* getuid()/getgid() of the calling process */
        SPECIFIER_CREDS_ROOT = 1, /* always UID/GID 0 */
} SpecifierCreds;
#define SPECIFIER_CREDS(c) ((const void *) (uintptr_t) (c))

/* %u: user name ("root" for UID 0, "nobody" for 65534 unless /etc/systemd/dont-synthesize-nobody
 * exists, else the passwd entry, else the number). */
int specifier_user_name(char specifier, const void *data, const void *userdata, char **ret);
/* %U: the UID in decimal. */
int specifier_user_id(char specifier, const void *data, const void *userdata, char **ret);
/* %g: group name ("root" for 0, "nogroup" for 65534 as above, else the group entry, else the
 * number). */
int specifier_group_name(char specifier, const void *data, const void *userdata, char **ret);
/* %G: the GID in decimal. */
int specifier_group_id(char specifier, const void *data, const void *userdata, char **ret);
/* %h: $HOME if it is a valid absolute path (simplified), else "/root" for UID 0, "/" for
 * nobody, else the passwd entry's home (-ESRCH if there is none). Always the calling process. */
int specifier_user_home(char specifier, const void *data, const void *userdata, char **ret);
/* %s: $SHELL likewise, else for UID 0 "/bin/bash" if it exists (Debian's DEFAULT_USER_SHELL) or
 * "/bin/sh", "/usr/sbin/nologin" for nobody, else the passwd entry's shell. */
int specifier_user_shell(char specifier, const void *data, const void *userdata, char **ret);
/* %T: the first of $TMPDIR, $TEMP, $TMP that is an absolute normalized path of an existing
 * directory, else "/tmp" (an error only if /tmp is not a directory). */
int specifier_tmp_dir(char specifier, const void *data, const void *userdata, char **ret);
/* %V: the same with "/var/tmp". */
int specifier_var_tmp_dir(char specifier, const void *data, const void *userdata, char **ret);

/* clang-format off */
/* %a %A %b %B %H %l %q %m %M %o %v %w %W (systemd's COMMON_SYSTEM_SPECIFIERS). */
#define SPECIFIER_SYSTEM_ENTRIES                                       \
        { 'a', specifier_architecture, NULL },                         \
        { 'A', specifier_os_release_field, "IMAGE_VERSION" },          \
        { 'b', specifier_boot_id, NULL },                              \
        { 'B', specifier_os_release_field, "BUILD_ID" },               \
        { 'H', specifier_hostname, NULL },                             \
        { 'l', specifier_short_hostname, NULL },                       \
        { 'q', specifier_pretty_hostname, NULL },                      \
        { 'm', specifier_machine_id, NULL },                           \
        { 'M', specifier_os_release_field, "IMAGE_ID" },               \
        { 'o', specifier_os_release_field, "ID" },                     \
        { 'v', specifier_kernel_release, NULL },                       \
        { 'w', specifier_os_release_field, "VERSION_ID" },             \
        { 'W', specifier_os_release_field, "VARIANT_ID" }

/* %g %G %u %U with the given SpecifierCreds (systemd's COMMON_CREDS_SPECIFIERS). */
#define SPECIFIER_CREDS_ENTRIES(creds)                                 \
        { 'g', specifier_group_name, SPECIFIER_CREDS(creds) },         \
        { 'G', specifier_group_id, SPECIFIER_CREDS(creds) },           \
        { 'u', specifier_user_name, SPECIFIER_CREDS(creds) },          \
        { 'U', specifier_user_id, SPECIFIER_CREDS(creds) }

/* %g %G %h %s %u %U of the calling process. */
#define SPECIFIER_USER_ENTRIES                                         \
        SPECIFIER_CREDS_ENTRIES(SPECIFIER_CREDS_SELF),                 \
        { 'h', specifier_user_home, NULL },                            \
        { 's', specifier_user_shell, NULL }

/* %T %V (systemd's COMMON_TMP_SPECIFIERS). */
#define SPECIFIER_TMP_ENTRIES                                          \
        { 'T', specifier_tmp_dir, NULL },                              \
        { 'V', specifier_var_tmp_dir, NULL }
/* clang-format on */

/* SPECIFIER_SYSTEM_ENTRIES + SPECIFIER_TMP_ENTRIES, terminated. */
extern const Specifier specifier_system_and_tmp_table[];
