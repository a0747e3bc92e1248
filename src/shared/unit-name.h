/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * unit-name.h: unit types and unit names as systemd 252 defines them: validity and
 * classification (plain "foo.service", template "foo@.service", instance "foo@bar.service"),
 * splitting into prefix/instance/type, building and rewriting names, the "\xNN" escaping of
 * systemd-escape (plain, --path, --mangle), the hashed fallback for over-long path names, slice
 * name helpers, and the D-Bus object path / interface names of units.
 *
 * Nothing here touches the file system. Every function that returns a string through ret hands
 * the caller a new allocation; ret is left untouched on failure. Name checks are purely
 * lexical: a valid name need not exist.
 */

#include "macro.h"

typedef enum UnitType {
        UNIT_SERVICE,
        UNIT_MOUNT,
        UNIT_SWAP,
        UNIT_SOCKET,
        UNIT_TARGET,
        UNIT_DEVICE,
        UNIT_AUTOMOUNT,
        UNIT_TIMER,
        UNIT_PATH,
        UNIT_SLICE,
        UNIT_SCOPE,
        _UNIT_TYPE_MAX,
        _UNIT_TYPE_INVALID = -EINVAL,
} UnitType;

/* "service", "mount", … (the suffix without the dot); NULL when out of range. */
const char *unit_type_to_string(UnitType t) _const_;
/* The inverse; _UNIT_TYPE_INVALID (-EINVAL) for NULL or an unknown string. */
UnitType unit_type_from_string(const char *s) _pure_;
/* "Service", "Mount", … : the name of the type's own section in a unit file. NULL if out of range.
 */
const char *unit_type_to_capitalized_string(UnitType t) _const_;
/* Whether units of this type may have alias names (symlinks, Alias=): service, socket, target,
 * device, timer, path. */
bool unit_type_may_alias(UnitType t) _const_;
/* Whether units of this type may be templates/instances: service, socket, target, timer, path. */
bool unit_type_may_template(UnitType t) _const_;

/* A unit name is at most UNIT_NAME_MAX - 1 (255) bytes long. */
#define UNIT_NAME_MAX 256

typedef enum UnitNameFlags {
        UNIT_NAME_PLAIN = 1 << 0, /* foo.service */
        UNIT_NAME_TEMPLATE = 1 << 1, /* foo@.service */
        UNIT_NAME_INSTANCE = 1 << 2, /* foo@bar.service */
        UNIT_NAME_ANY = UNIT_NAME_PLAIN | UNIT_NAME_TEMPLATE | UNIT_NAME_INSTANCE,
} UnitNameFlags;

/* Whether n is a valid unit name of one of the kinds in flags: non-empty, shorter than
 * UNIT_NAME_MAX, "<prefix>[@[instance]].<type>" with a known type, prefix and instance made of
 * [A-Za-z0-9:_.\-] (the instance may also contain further '@'), and a non-empty prefix. */
bool unit_name_is_valid(const char *n, UnitNameFlags flags) _pure_;
/* UNIT_NAME_PLAIN, UNIT_NAME_TEMPLATE or UNIT_NAME_INSTANCE; 0 if n is not a valid name. */
UnitNameFlags unit_name_classify(const char *n) _pure_;
/* Non-empty and made of the prefix characters only (no '@'). */
bool unit_prefix_is_valid(const char *p) _pure_;
/* Non-empty and made of the instance characters ('@' allowed). */
bool unit_instance_is_valid(const char *i) _pure_;
/* "." followed by a known type name. */
bool unit_suffix_is_valid(const char *s) _pure_;

/* The type of a valid name, else _UNIT_TYPE_INVALID. */
UnitType unit_name_to_type(const char *n) _pure_;
/* The prefix: "foo" for foo.service, foo@.service and foo@bar.service. 0 or -EINVAL/-ENOMEM. */
int unit_name_to_prefix(const char *n, char **ret);
/* Returns the kind of n (UNIT_NAME_PLAIN/TEMPLATE/INSTANCE) or -EINVAL/-ENOMEM. If ret is
 * non-NULL it receives the instance: NULL for a plain name, "" for a template. */
int unit_name_to_instance(const char *n, char **ret);
/* The name without its type suffix: "foo@bar" for foo@bar.service. */
int unit_name_to_prefix_and_instance(const char *n, char **ret);
/* Replaces the type suffix (suffix includes the dot: ".socket"). -EINVAL if n or suffix is not
 * valid or the result would be too long. */
int unit_name_change_suffix(const char *n, const char *suffix, char **ret);
/* prefix[@instance]suffix; instance may be NULL for a plain name. -EINVAL for invalid parts or
 * an over-long result. */
int unit_name_build(const char *prefix, const char *instance, const char *suffix, char **ret);
int unit_name_build_from_type(const char *prefix, const char *instance, UnitType t, char **ret);
/* The template of an instance or template name: foo@bar.service → foo@.service. -EINVAL for
 * plain names. */
int unit_name_template(const char *n, char **ret);
/* Puts instance into a template or instance name: (foo@.service, x) → foo@x.service. */
int unit_name_replace_instance(const char *template_or_instance, const char *instance, char **ret);
/* Whether two names have the same prefix (both must be valid). */
bool unit_name_prefix_equal(const char *a, const char *b) _pure_;

/* systemd-escape: '/' → '-', every byte outside [A-Za-z0-9:_.] (and '-', '\\') → "\xNN"
 * (lower-case hex), a leading '.' → "\x2e". Returns a new string, NULL on OOM. */
char *unit_name_escape(const char *f);
/* systemd-escape --unescape: '-' → '/', "\xNN" → the byte. -EINVAL for a '\\' that does not
 * start a valid "\xNN". */
int unit_name_unescape(const char *f, char **ret);
/* systemd-escape --path: simplifies the path (duplicate slashes, "." components, trailing
 * slash), "/" and "" become "-", otherwise the leading '/' is dropped and the rest escaped.
 * -EINVAL if the simplified path still has ".." components or over-long components. */
int unit_name_path_escape(const char *path, char **ret);
/* systemd-escape --unescape --path: "-" → "/", otherwise "/" + unescaped; -EINVAL if that is
 * not a normalized path (empty input, leading/trailing/double slashes, "." or ".."). */
int unit_name_path_unescape(const char *f, char **ret);

/* Unit names derived from paths longer than UNIT_NAME_MAX are shortened to
 * "<first bytes>_<16 hex digits of a keyed SipHash>.<type>", exactly as systemd 252 does. */
#define UNIT_NAME_HASH_LENGTH_CHARS 16
/* Shortens a name of at least UNIT_NAME_MAX bytes; -EMSGSIZE if it is shorter, -EINVAL without
 * a valid type suffix. */
int unit_name_hash_long(const char *name, char **ret);
/* Whether a plain name ends in "_<16 lower-case hex digits>.<type>" (a hashed name). */
bool unit_name_is_hashed(const char *name) _pure_;

/* The name of the unit for a path: ("/dev/sda", ".device") → "dev-sda.device"; over-long
 * results fall back to a hashed name. -EINVAL for an invalid suffix or path. */
int unit_name_from_path(const char *path, const char *suffix, char **ret);
/* prefix@<escaped path>suffix: ("systemd-fsck", "/dev/sda", ".service") →
 * "systemd-fsck@dev-sda.service". -ENAMETOOLONG if the result is too long. */
int unit_name_from_path_instance(const char *prefix, const char *path, const char *suffix,
                                 char **ret);
/* The path a plain name stands for: "dev-sda.device" → "/dev/sda". -ENAMETOOLONG for hashed
 * names (the path cannot be recovered). */
int unit_name_to_path(const char *name, char **ret);

typedef enum UnitNameMangle {
        UNIT_NAME_MANGLE_GLOB = 1 << 0, /* keep glob characters "*?[]!" */
        UNIT_NAME_MANGLE_WARN = 1 << 1, /* report escaping at notice level instead of debug */
} UnitNameMangle;

/* Turns what a user typed into a unit name, as systemctl does: valid names (and, with
 * UNIT_NAME_MANGLE_GLOB, glob patterns) are kept; "/dev/…" and "/sys/…" paths become .device
 * units, other absolute paths .mount units; otherwise invalid bytes are "\xNN"-escaped, '/'
 * becomes '-', and suffix (e.g. ".service") is appended when the result has no type. operation
 * (may be NULL) only appears in the log message. Returns 0 if the name was kept as is, 1 if it
 * was changed, -EINVAL for an empty or unfixable name or an invalid suffix. */
int unit_name_mangle_with_suffix(const char *name, const char *operation, UnitNameMangle flags,
                                 const char *suffix, char **ret);
/* systemd-escape --mangle, systemctl's default: suffix ".service". */
static inline int unit_name_mangle(const char *name, UnitNameMangle flags, char **ret) {
        return unit_name_mangle_with_suffix(name, NULL, flags, ".service", ret);
}

/* A valid plain .slice name without leading, trailing or doubled dashes in the prefix
 * ("-.slice" is the root slice and valid). */
bool slice_name_is_valid(const char *name) _pure_;
/* "a-b-c.slice" → "a-b.slice", "a.slice" → "-.slice": returns 1. For "-.slice", sets *ret to
 * NULL and returns 0. -EINVAL for an invalid slice name. */
int slice_build_parent_slice(const char *slice, char **ret);
/* ("a-b.slice", "c") → "a-b-c.slice"; ("-.slice", "c") → "c.slice". */
int slice_build_subslice(const char *slice, const char *name, char **ret);

/* D-Bus object path labels: every byte but [A-Za-z0-9] becomes "_XX" (lower-case hex), a digit
 * is escaped when it comes first, and "" becomes "_". NULL on OOM. */
char *bus_label_escape(const char *s);
/* The inverse; "_" → "", invalid "_" sequences are kept literally. NULL on OOM. */
char *bus_label_unescape_n(const char *s, size_t n);
char *bus_label_unescape(const char *s);

/* "/org/freedesktop/systemd1/unit/" + the escaped name; NULL on OOM. */
char *unit_dbus_path_from_name(const char *name);
/* The inverse (not validated as a unit name); -EINVAL if path is outside the unit prefix. */
int unit_name_from_dbus_path(const char *path, char **ret);
/* "org.freedesktop.systemd1.Service", …; NULL if out of range. */
const char *unit_dbus_interface_from_type(UnitType t) _const_;
/* The same for the type of a valid name; NULL otherwise. */
const char *unit_dbus_interface_from_name(const char *name) _pure_;
