/*
 * bench-launch: runs one benchmarked command and reports its exact resource use.
 *
 * Why a separate C program: on Linux a child's ru_maxrss starts at the high-water RSS of the
 * address space it exec'd from, so a child spawned straight from the harness (which holds every
 * pre-rendered page in memory) would report the harness's RSS. This launcher is ~1 MB, so the
 * child's own peak always dominates. It also pins the child to one CPU, and takes the spawn
 * timestamp itself so "start to first request" excludes the launcher's own exec.
 *
 * Usage: bench-launch CPU RESULT_FILE STDOUT_FILE STDERR_FILE -- PROGRAM ARG...
 *   CPU: CPU number to pin the child to, or -1 for no pinning.
 * RESULT_FILE gets one line of JSON:
 *   {"spawn_ns":…,"end_ns":…,"user_us":…,"sys_us":…,"maxrss_kb":…,"status":…}
 * where the *_ns values are CLOCK_MONOTONIC nanoseconds (comparable with the harness's clock).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 7 || strcmp(argv[5], "--") != 0) {
        fprintf(stderr, "usage: bench-launch CPU RESULT STDOUT STDERR -- PROGRAM ARG...\n");
        return 2;
    }
    int cpu = atoi(argv[1]);
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) { perror("sched_setaffinity"); return 2; }
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, argv[4], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    long long spawn_ns = now_ns();
    int rc = posix_spawn(&pid, argv[6], &actions, NULL, &argv[6], environ);
    if (rc != 0) { fprintf(stderr, "bench-launch: cannot start %s: %s\n", argv[6], strerror(rc)); return 2; }
    int status = 0;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) { perror("wait4"); return 2; }
    long long end_ns = now_ns();
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *out = fopen(argv[2], "w");
    if (!out) { perror("result file"); return 2; }
    fprintf(out, "{\"spawn_ns\":%lld,\"end_ns\":%lld,\"user_us\":%lld,\"sys_us\":%lld,\"maxrss_kb\":%ld,\"status\":%d}\n",
            spawn_ns, end_ns,
            (long long)usage.ru_utime.tv_sec * 1000000LL + usage.ru_utime.tv_usec,
            (long long)usage.ru_stime.tv_sec * 1000000LL + usage.ru_stime.tv_usec,
            usage.ru_maxrss, code);
    fclose(out);
    return 0;
}
