/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-udev-rules.c: feeds arbitrary bytes to the udev rules parser as the contents of one rules
 * file, with names resolved early (through a fixed table, no NSS) and late, and checks the
 * invariants the execution engine relies on: lines in file order with a non-empty effect,
 * tokens sorted by type with the parent block contiguous, well-formed operators and match
 * types, every string readable, GOTO targets forward in the same file at a line with that
 * LABEL. Every compiled line is also dumped and every match token evaluated once.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "log.h"
#include "string-util.h"
#include "udev-rules-parse.h"
#include "udev-rules.h"

static void check(bool ok, const char *what) {
        if (!ok) {
                fprintf(stderr, "fuzz-udev-rules: broken invariant: %s\n", what);
                abort();
        }
}

static int resolve(bool group, const char *name, uint32_t *ret_id, void *userdata) {
        (void) userdata;
        if (streq(name, "root")) {
                *ret_id = 0;
                return 0;
        }
        if (streq(name, group ? "tty" : "daemon")) {
                *ret_id = group ? 5 : 1;
                return 0;
        }
        return streq(name, "fail") ? -EIO : -ESRCH;
}

static void discard_log(int level, const char *message, void *userdata) {
        (void) level;
        (void) userdata;
        check(message != NULL, "NULL log message");
}

static void check_token(const UdevRuleToken *t) {
        check(t->type >= 0 && t->type < _UDEV_TK_TYPE_MAX, "token type out of range");
        check(t->op >= 0 && t->op < _UDEV_RULE_OP_MAX, "operator out of range");
        if (udev_rule_token_type_is_match(t->type)) {
                check(IN_SET(t->op, UDEV_RULE_OP_MATCH, UDEV_RULE_OP_NOMATCH),
                      "match with assign operator");
                check(t->match_type >= 0 && t->match_type < _UDEV_RULE_MATCH_MAX, "bad match type");
                check(t->value != NULL, "match without value");
                check(t->n_values == 0 || t->values != NULL, "values missing");
                for (size_t i = 0; i < t->n_values; i++)
                        check(t->values[i] &&
                                      (t->values[i][0] != '\0' || t->type >= UDEV_TK_M_TEST),
                              "empty alternative kept");
                (void) udev_rule_token_match_string(t, "sda");
                (void) udev_rule_token_match_string(t, NULL);
        } else {
                check(!IN_SET(t->op, UDEV_RULE_OP_MATCH, UDEV_RULE_OP_NOMATCH),
                      "assignment with match operator");
                check(t->op != UDEV_RULE_OP_REMOVE || t->type == UDEV_TK_A_TAG,
                      "-= on a key other than TAG");
                check(t->values == NULL && t->n_values == 0, "values on an assignment");
        }
        if (t->value)
                check(strlen(t->value) < UDEV_RULES_LINE_SIZE, "value longer than a line");
        if (t->attr)
                check(strlen(t->attr) < UDEV_RULES_LINE_SIZE, "attribute longer than a line");
        if (IN_SET(t->type, UDEV_TK_M_IMPORT_BUILTIN, UDEV_TK_A_RUN_BUILTIN))
                check(udev_rules_builtin_to_string(t->data.builtin) != NULL, "bad builtin");
}

static void check_line(const UdevRuleFile *f, size_t i, FILE *out) {
        const UdevRuleLine *l = &f->lines[i];

        check(l->file == f, "wrong back pointer");
        check(l->flags != 0, "line without effect kept");
        check(i == 0 || l->line_number > f->lines[i - 1].line_number,
              "line numbers not increasing");
        check(l->parents_begin <= l->parents_end && l->parents_end <= l->n_tokens,
              "bad parent block");
        for (size_t j = 0; j < l->n_tokens; j++) {
                check_token(&l->tokens[j]);
                check(j == 0 || l->tokens[j - 1].type <= l->tokens[j].type, "tokens not sorted");
                check(udev_rule_token_type_is_parent(l->tokens[j].type) ==
                              (j >= l->parents_begin && j < l->parents_end),
                      "parent block not contiguous");
        }
        if (l->goto_line >= 0) {
                check((size_t) l->goto_line > i && (size_t) l->goto_line < f->n_lines,
                      "GOTO not forward");
                check(l->goto_label && streq_ptr(f->lines[l->goto_line].label, l->goto_label),
                      "GOTO target without its label");
                for (size_t j = i + 1; j < (size_t) l->goto_line && j < i + 256; j++)
                        check(!streq_ptr(f->lines[j].label, l->goto_label),
                              "GOTO skips an earlier label");
        }
        check(!(l->flags & UDEV_RULE_LINE_HAS_LABEL) == !l->label, "label flag");
        udev_rule_line_dump(l, out);
}

static void run(const uint8_t *data, size_t size, UdevRulesResolveNameTiming timing, FILE *out) {
        UdevRules *rules = NULL;
        int r;

        check(udev_rules_new(timing, &rules) == 0, "udev_rules_new() failed");
        udev_rules_set_resolver(rules, resolve, NULL);
        r = udev_rules_parse_buffer(rules, "fuzz.rules", data, size);
        check(r == 0 || r == -ENOBUFS, "unexpected error");
        check(rules->n_files <= 1, "more than one file");
        for (size_t i = 0; i < rules->n_files; i++)
                for (size_t j = 0; j < rules->files[i]->n_lines; j++)
                        check_line(rules->files[i], j, out);
        udev_rules_free(rules);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static FILE *out = NULL;

        if (!out) {
                out = fopen("/dev/null", "we");
                check(out != NULL, "cannot open /dev/null");
        }
        /* Format every message (debug level included) without printing it. */
        log_set_max_level(LOG_DEBUG);
        log_set_sink(discard_log, NULL);

        run(data, size, UDEV_RULES_RESOLVE_NAME_EARLY, out);
        run(data, size, UDEV_RULES_RESOLVE_NAME_LATE, out);

        log_set_sink(NULL, NULL);
        return 0;
}
