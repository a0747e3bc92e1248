/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * condition.h: Condition*= and Assert*= of units, as systemd 252 evaluates them. Loading keeps
 * the values in the unit's settings store ("Unit.ConditionPathExists" …); condition_list_build()
 * turns them into a list (value prefixes "|" trigger and "!" negation, specifiers expanded, path
 * conditions need an absolute path), owned by the unit (u->conditions / u->asserts). Testing a
 * list: all non-trigger entries must pass and, if there are trigger entries, at least one of them
 * (an empty list passes); the first failing non-trigger entry ends the test, so the entries after
 * it stay "untested". Every tested entry is logged at debug level as 252 does
 * ("ConditionPathExists=/x failed.").
 */

#include <stdbool.h>
#include <stddef.h>

#include "unit.h"

typedef enum ConditionType {
        CONDITION_ARCHITECTURE,
        CONDITION_FIRMWARE,
        CONDITION_VIRTUALIZATION,
        CONDITION_HOST,
        CONDITION_KERNEL_COMMAND_LINE,
        CONDITION_KERNEL_VERSION,
        CONDITION_CREDENTIAL,
        CONDITION_SECURITY,
        CONDITION_CAPABILITY,
        CONDITION_AC_POWER,
        CONDITION_NEEDS_UPDATE,
        CONDITION_FIRST_BOOT,
        CONDITION_PATH_EXISTS,
        CONDITION_PATH_EXISTS_GLOB,
        CONDITION_PATH_IS_DIRECTORY,
        CONDITION_PATH_IS_SYMBOLIC_LINK,
        CONDITION_PATH_IS_MOUNT_POINT,
        CONDITION_PATH_IS_READ_WRITE,
        CONDITION_PATH_IS_ENCRYPTED,
        CONDITION_DIRECTORY_NOT_EMPTY,
        CONDITION_FILE_NOT_EMPTY,
        CONDITION_FILE_IS_EXECUTABLE,
        CONDITION_USER,
        CONDITION_GROUP,
        CONDITION_CONTROL_GROUP_CONTROLLER,
        CONDITION_CPUS,
        CONDITION_MEMORY,
        CONDITION_ENVIRONMENT,
        CONDITION_CPU_FEATURE,
        CONDITION_OS_RELEASE,
        CONDITION_MEMORY_PRESSURE,
        CONDITION_CPU_PRESSURE,
        CONDITION_IO_PRESSURE,
        _CONDITION_TYPE_MAX,
        _CONDITION_TYPE_INVALID = -EINVAL,
} ConditionType;

typedef enum ConditionResult {
        CONDITION_UNTESTED,
        CONDITION_SUCCEEDED,
        CONDITION_FAILED,
        CONDITION_ERROR,
        _CONDITION_RESULT_MAX,
        _CONDITION_RESULT_INVALID = -EINVAL,
} ConditionResult;

typedef struct Condition {
        ConditionType type;
        bool trigger, negate;
        char *parameter;
        ConditionResult result;
} Condition;

/* "ConditionPathExists" / "AssertPathExists" */
const char *condition_type_to_string(ConditionType t) _const_;
ConditionType condition_type_from_string(const char *s) _pure_;
const char *assert_type_to_string(ConditionType t) _const_;
ConditionType assert_type_from_string(const char *s) _pure_;
/* "untested", "succeeded", "failed", "error" */
const char *condition_result_to_string(ConditionResult r) _const_;

/* Tests one condition against the environment block env (for ConditionEnvironment=); stores and
 * returns the result (> 0 passed, 0 failed, < 0 could not be determined). */
int condition_test(Condition *c, char *const *env);

/* Builds u's list of conditions (asserts = false) or asserts from its settings store, replacing
 * the previous list; a bad entry is logged (naming the unit and setting) and skipped. 0 or
 * -ENOMEM. */
int condition_list_build(Unit *u, bool asserts);
void condition_list_free(Condition *list, size_t n);

/* Tests the list as described above, logging each entry as u's; returns whether it passed. */
bool condition_list_test(Unit *u, Condition *list, size_t n, char *const *env, bool asserts);

/* The D-Bus state of an entry in Conditions/Asserts a(sbbsi): 0 untested, 1 passed, -1 failed
 * or error (systemd 252's encoding). */
int condition_dbus_state(const Condition *c) _pure_;
