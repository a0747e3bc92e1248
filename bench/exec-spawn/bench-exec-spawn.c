/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-exec-spawn: what starting a service costs the manager. A process with a large touched
 * heap (like a manager with many units) starts /bin/true N times, once through exec_spawn()
 * (posix_spawn of the exec helper, which execs the command) and once with a plain fork() +
 * execve(), waiting for each; printed is the parent's CPU time (user + system) and the wall time
 * per process. A manager keeps working while its children start: the "+ parent writes" rows
 * write one byte into each of 192 pages spread over the heap right after each spawn, which after
 * fork() costs a copy-on-write fault per page. posix_spawn() of /bin/true itself is the floor.
 * Needs SYSMASTER_EXECUTOR (or an installed helper).
 *
 *     bench-exec-spawn [HEAP_MB [COUNT]]     (defaults 500 and 200)
 */

#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec-context.h"
#include "execute.h"
#include "log.h"
#include "parse-util.h"

extern char **environ;

static double cpu_seconds(void) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        return (double) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double wall_seconds(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static char *heap;
static size_t heap_size;
static bool parent_writes;

/* What a busy manager does meanwhile: dirty 192 pages of its heap. */
static void touch_heap(void) {
        static unsigned round;

        if (!parent_writes || heap_size < 4096)
                return;
        round++;
        for (size_t i = 0; i < 192; i++)
                heap[(i * (heap_size / 192) + round * 64) % heap_size] = (char) round;
}

static int wait_ok(pid_t pid) {
        int status;
        return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int run_exec_spawn(unsigned n) {
        char *argv[] = { (char *) "/bin/true", NULL };
        ExecCommand cmd = { .path = argv[0], .argv = argv };
        ExecParameters p = EXEC_PARAMETERS_INIT;
        ExecContext ctx;

        exec_context_init(&ctx);
        p.unit_id = "bench.service";
        p.flags = EXEC_APPLY_SANDBOXING;
        for (unsigned i = 0; i < n; i++) {
                pid_t pid;
                if (exec_spawn(&cmd, &ctx, &p, &pid) < 0)
                        return -1;
                touch_heap();
                if (wait_ok(pid) < 0)
                        return -1;
        }
        return 0;
}

static int run_fork(unsigned n) {
        char *argv[] = { (char *) "/bin/true", NULL };

        for (unsigned i = 0; i < n; i++) {
                pid_t pid = fork();
                if (pid < 0)
                        return -1;
                if (pid == 0) {
                        execve(argv[0], argv, environ);
                        _exit(127);
                }
                touch_heap();
                if (wait_ok(pid) < 0)
                        return -1;
        }
        return 0;
}

static int run_posix_spawn(unsigned n) {
        char *argv[] = { (char *) "/bin/true", NULL };

        for (unsigned i = 0; i < n; i++) {
                pid_t pid;
                if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0)
                        return -1;
                touch_heap();
                if (wait_ok(pid) < 0)
                        return -1;
        }
        return 0;
}

static void measure(const char *name, int (*fn)(unsigned), unsigned n) {
        double c0 = cpu_seconds(), w0 = wall_seconds();

        if (fn(n) < 0) {
                fprintf(stderr, "%s: a spawn failed\n", name);
                exit(EXIT_FAILURE);
        }
        printf("%-27s parent CPU %8.3f ms/spawn   wall %8.3f ms/spawn\n", name,
               (cpu_seconds() - c0) * 1e3 / n, (wall_seconds() - w0) * 1e3 / n);
}

int main(int argc, char *argv[]) {
        unsigned mb = 500, n = 200;

        if ((argc > 1 && safe_atou(argv[1], &mb) < 0) || (argc > 2 && safe_atou(argv[2], &n) < 0) || n == 0) {
                fprintf(stderr, "usage: %s [HEAP_MB [COUNT]]\n", argv[0]);
                return EXIT_FAILURE;
        }
        log_set_max_level(LOG_WARNING);
        heap_size = (size_t) mb << 20;
        heap = malloc(MAX(heap_size, 1U));
        if (!heap)
                return EXIT_FAILURE;
        memset(heap, 0x5a, heap_size); /* every page resident and private */
        printf("heap %u MB touched, %u processes each:\n", mb, n);
        for (int round = 0; round < 2; round++) {
                parent_writes = false;
                measure("exec_spawn (helper)", run_exec_spawn, n);
                measure("fork() + execve()", run_fork, n);
                measure("posix_spawn(/bin/true)", run_posix_spawn, n);
                parent_writes = true;
                measure("exec_spawn + parent writes", run_exec_spawn, n);
                measure("fork + parent writes", run_fork, n);
        }
        free(heap);
        return EXIT_SUCCESS;
}
