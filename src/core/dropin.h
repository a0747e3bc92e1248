/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * dropin.h: which drop-in directories belong to a unit and which files in them count
 * (spec unit-files.md §5, §6). For the unit's main name, then each alias, over every search
 * directory in precedence order, the directory "NAME<suffix>", the template's, and the
 * dash-prefix chain's ("a-b-.service<suffix>", "a-.service<suffix>") are collected; the
 * type-level "service<suffix>" directories come last. Only directories seen by the name map
 * scan count. Files are then merged by file name (the first directory wins) and returned in
 * lexical file-name order.
 */

#include "ordered-set.h"
#include "unit-map.h"

/* Collects the canonical paths of the existing directories, in precedence order, without
 * duplicates. aliases may be NULL. *ret is a new strv (possibly empty). */
int dropin_find_dirs(const UnitMap *map, char *const *search_path, const char *dir_suffix,
                     const char *name, const OrderedSet *aliases, char ***ret);
/* Lists the files of dirs (first directory wins per file name; hidden and backup files
 * skipped; only names ending in file_suffix when it is not NULL), sorted by file name. */
int dropin_list_files(char *const *dirs, const char *file_suffix, char ***ret);
/* dropin_find_dirs() + dropin_list_files(). */
int dropin_find_files(const UnitMap *map, char *const *search_path, const char *dir_suffix,
                      const char *file_suffix, const char *name, const OrderedSet *aliases,
                      char ***ret);
