/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-main.c: the driver that stands in for libFuzzer in ordinary builds. Run without
 * arguments, it feeds every file of the target's seed corpus (FUZZ_CORPUS_ROOT/<program name>/)
 * to LLVMFuzzerTestOneInput() once, in name order; with arguments, the named files and the files
 * of the named directories. Each input is copied into a buffer of exactly its size so that
 * ASan catches a read past its end. Exit status 0, or 1 when an input cannot be read or the
 * corpus is empty (a crash aborts, as under libFuzzer).
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "fuzz.h"
#include "string-util.h"

#ifndef FUZZ_CORPUS_ROOT
#error "FUZZ_CORPUS_ROOT must name the directory that holds one corpus directory per target"
#endif

#define FUZZ_INPUT_MAX (64U * 1024U * 1024U)

static int run_file(const char *path) {
        _cleanup_free_ char *data = NULL;
        _cleanup_free_ uint8_t *exact = NULL;
        size_t size = 0;
        int r;

        r = read_full_file(path, FUZZ_INPUT_MAX, &data, &size);
        if (r < 0) {
                fprintf(stderr, "%s: cannot read: %s\n", path, strerror(-r));
                return r;
        }
        exact = malloc(size > 0 ? size : 1);
        if (!exact)
                return -ENOMEM;
        memcpy(exact, data, size);
        (void) LLVMFuzzerTestOneInput(exact, size);
        return 0;
}

static int name_cmp(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Runs every regular file in dir (not recursing); adds to *n_run. */
static int run_dir(const char *dir, unsigned *n_run) {
        _cleanup_closedir_ DIR *d = NULL;
        char **names = NULL;
        size_t n = 0, allocated = 0;
        struct dirent *de;
        int r = 0;

        d = opendir(dir);
        if (!d) {
                fprintf(stderr, "%s: cannot open: %s\n", dir, strerror(errno));
                return -errno;
        }
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                if (!GREEDY_REALLOC(names, allocated, n + 1) ||
                    !(names[n] = strjoin(dir, "/", de->d_name))) {
                        r = -ENOMEM;
                        break;
                }
                n++;
        }
        if (r == 0 && n > 0)
                qsort(names, n, sizeof names[0], name_cmp);

        for (size_t i = 0; i < n; i++) {
                struct stat st;

                if (r == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
                        r = run_file(names[i]);
                        if (r == 0)
                                (*n_run)++;
                }
                free(names[i]);
        }
        free(names);
        return r;
}

static int run_path(const char *path, unsigned *n_run) {
        struct stat st;
        int r;

        if (stat(path, &st) < 0) {
                fprintf(stderr, "%s: %s\n", path, strerror(errno));
                return -errno;
        }
        if (S_ISDIR(st.st_mode))
                return run_dir(path, n_run);
        r = run_file(path);
        if (r == 0)
                (*n_run)++;
        return r;
}

int main(int argc, char *argv[]) {
        const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
        _cleanup_free_ char *corpus = NULL;
        unsigned n_run = 0;
        int r = 0;

        if (argc > 1) {
                for (int i = 1; i < argc && r == 0; i++)
                        r = run_path(argv[i], &n_run);
                printf("%s: %u inputs run\n", name, n_run);
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        }

        corpus = strjoin(FUZZ_CORPUS_ROOT "/", name);
        if (!corpus)
                return EXIT_FAILURE;
        r = run_dir(corpus, &n_run);
        if (r == 0 && n_run == 0) {
                fprintf(stderr, "%s: the corpus %s is empty\n", name, corpus);
                return EXIT_FAILURE;
        }
        printf("%s: %u inputs of %s run\n", name, n_run, corpus);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
