/* A PPP server for the native benchmarks: a program behind a pty made by socat (as
 * tests/native/test_ppp_slirp.c does), in a private folder holding the secrets. The
 * program is slirp for a peer, or any shell command (a sink, to measure the pty's own
 * byte rate through the same chain). Include from one file per program. */
#ifndef OPENRAS_BENCH_PTY_SERVER_H
#define OPENRAS_BENCH_PTY_SERVER_H

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "openras/os.h"

static inline const char *slirp_path(void) {
  const char *s = getenv("ORA_SLIRP");
  return s && *s ? s : "/usr/bin/slirp-fullbolt";
}

typedef struct server {
  char dir[64], tty[128];
  pid_t socat;
} server;

static inline int write_file(const char *dir, const char *name, const char *text, mode_t mode) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  fputs(text, f);
  fclose(f);
  return chmod(path, mode);
}

/* Starts `command` (run by sh in the server's folder) behind a new pty, sv->tty. */
static inline int pty_server_start(server *sv, const char *command) {
  strcpy(sv->dir, "/tmp/ora-bench-slirp-XXXXXX");
  if (!mkdtemp(sv->dir))
    return -1;
  char script[1024];
  snprintf(script, sizeof script,
           "#!/bin/sh\ncd '%s' || exit 1\nHOME='%s'; export HOME\necho $$ > slirp.pid\n%s\n",
           sv->dir, sv->dir, command);
  if (write_file(sv->dir, ".chap-secrets", "alice * alicepw\n", 0600) ||
      write_file(sv->dir, ".pap-secrets", "alice * alicepw\n", 0600) ||
      write_file(sv->dir, "wrapper.sh", script, 0700))
    return -1;
  snprintf(sv->tty, sizeof sv->tty, "%s/tty", sv->dir);
  char a1[256], a2[256];
  snprintf(a1, sizeof a1, "PTY,link=%s,raw,echo=0", sv->tty);
  snprintf(a2, sizeof a2, "EXEC:%s/wrapper.sh,pty,raw,echo=0", sv->dir);
  sv->socat = fork();
  if (sv->socat < 0)
    return -1;
  if (sv->socat == 0) {
    setpgid(0, 0);
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    execlp("socat", "socat", a1, a2, (char *)NULL);
    _exit(127);
  }
  setpgid(sv->socat, sv->socat);
  char pidf[256];
  snprintf(pidf, sizeof pidf, "%s/slirp.pid", sv->dir);
  for (int i = 0; i < 300 && (access(sv->tty, F_OK) || access(pidf, F_OK)); i++)
    ora_sleep_ms(10);
  return access(sv->tty, F_OK);
}

static inline void server_stop(server *sv) {
  char path[256];
  snprintf(path, sizeof path, "%s/slirp.pid", sv->dir);
  FILE *f = fopen(path, "r");
  int pid = 0;
  if (f) {
    if (fscanf(f, "%d", &pid) != 1)
      pid = 0;
    fclose(f);
  }
  if (pid > 0)
    kill(pid, SIGKILL);
  kill(-sv->socat, SIGTERM);
  waitpid(sv->socat, NULL, 0);
  char cmd[160];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", sv->dir);
  if (system(cmd) != 0)
    fprintf(stderr, "bench: could not remove %s\n", sv->dir);
}

/* slirp with these arguments. */
static inline int server_start(server *sv, const char *slirp_args) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "exec '%s' %s", slirp_path(), slirp_args);
  return pty_server_start(sv, cmd);
}

#endif
