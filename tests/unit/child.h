/* child.h - running a piece of a unit test in a forked child, for code
 * that exits (out of memory, internal errors) or might crash.  Include
 * after <cmocka.h>. */
#ifndef CAMARCH_TEST_CHILD_H
#define CAMARCH_TEST_CHILD_H

#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* A forked child must die of its signals, not return into cmocka's runner. */
static inline void child_default_signals(void) {
  const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    signal(sigs[i], SIG_DFL);
}

struct child_result {
  int status;        /* as from waitpid */
  char err[4096];    /* what the child wrote to stderr */
};

/* Runs fn(arg) in a child with stderr captured; the child exits 0 if fn
 * returns. */
static inline void run_in_child(void (*fn)(void *), void *arg, struct child_result *r) {
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    child_default_signals();
    close(fds[0]);
    dup2(fds[1], STDERR_FILENO);
    close(fds[1]);
    fn(arg);
    fflush(stderr);
    _exit(0);
  }
  close(fds[1]);
  size_t len = 0;
  ssize_t n;
  while ((n = read(fds[0], r->err + len, sizeof r->err - 1 - len)) > 0)
    len += (size_t)n;
  r->err[len] = '\0';
  close(fds[0]);
  assert_int_equal(waitpid(pid, &r->status, 0), pid);
}

#endif
