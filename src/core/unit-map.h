/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * unit-map.h: the name map of the unit search path (spec unit-files.md §2). Built by scanning
 * every search directory once, highest precedence first; the first directory that has a
 * name wins. It answers "which file is the fragment of unit NAME, and which other names does
 * that unit have" (aliases, linked units, masks, templates), and remembers every file and
 * `.d`/`.wants`/`.requires`/`.upholds` directory it saw (the path cache), which is what drop-in
 * lookups consult. The map owns all its strings; callers get borrowed pointers that stay valid
 * until the next rebuild.
 */

#include "hashmap.h"
#include "ordered-set.h"
#include "unit-path.h"

typedef struct UnitMap {
        Hashmap *ids;          /* name → absolute fragment path, or the name an alias points at */
        Hashmap *aliases;      /* name → char** of names that resolve to it (reverse map) */
        OrderedSet *path_cache;/* full paths of unit files and drop-in directories seen */
        OrderedSet *dropin_names; /* the names of those directories ("a.service.d"): a unit
                                   * none of whose candidate names is here has no drop-ins */
        unsigned dropin_suffixes; /* bit i: one of them ends with the i-th drop-in suffix */
        uint64_t timestamp_hash;
        bool built;
        bool checked;          /* updated at the start of the running load pass: current */
} UnitMap;

/* Frees the map; timestamp_hash stays, so a rebuild from unchanged directories is the same map
 * and does not count as a change (not-found units are not retried for it). The manager drops
 * the map once idle (manager_release_idle_memory()) and the next load rebuilds it: the map of
 * 1000 unit files holds ~250 kB that nothing needs between loads. */
void unit_map_done(UnitMap *m);
/* (Re)builds the map if it was never built, if force is set, or if the search directories'
 * mtimes changed. Returns 1 if rebuilt, 0 if still current, negative errno on OOM. */
int unit_map_update(UnitMap *m, const UnitPath *p, bool force);
/* Finds the fragment of name (following aliases, then the template for an instance).
 * *ret_fragment is borrowed (NULL if none); *ret_names (may be NULL) receives a new set of
 * every name of that unit, owned by the caller. Returns 0 or a negative errno. */
int unit_map_find_fragment(const UnitMap *m, const char *name, const char **ret_fragment,
                           OrderedSet **ret_names);
/* The three questions below answer true ("look on disk") while the map is not built: a transient
 * unit is loaded from its own file without the map, which may have been dropped when idle. */
/* Whether the scan saw this exact path (file or drop-in directory). */
bool unit_map_path_seen(const UnitMap *m, const char *path);
/* Whether the scan saw a drop-in directory called name+suffix in any search directory. */
bool unit_map_dropin_name_seen(const UnitMap *m, const char *name, const char *suffix);
/* Whether any drop-in directory name seen ends with suffix (true for a suffix not among
 * ".d", ".wants", ".requires", ".upholds": not decidable here). */
bool unit_map_dropin_suffix_seen(const UnitMap *m, const char *suffix);
/* Lookup of the raw map entry for a name (absolute path or alias target), borrowed. */
const char *unit_map_get(const UnitMap *m, const char *name);
