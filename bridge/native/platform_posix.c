/*
 * platform_posix.c: platform.h for Linux and macOS (sockets, threads, random
 * bytes, the monotonic clock and the URL opener).
 */
#define _POSIX_C_SOURCE 200809L
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE
#endif

#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/** [thread-safe] */
const char *plat_window_api(void) {
#if defined(__APPLE__)
  return "cocoa";
#else
  return "x11";
#endif
}

/** [thread-safe, audio-thread safe: clock_gettime does not block] */
uint64_t plat_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/** [any non-audio thread] */
void plat_sleep_ms(unsigned ms) {
  struct timespec ts = {(time_t)(ms / 1000u), (long)(ms % 1000u) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/** [thread-safe] Reads /dev/urandom (present on Linux and macOS). */
bool plat_random(void *buf, size_t len) {
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  uint8_t *p = buf;
  size_t got = 0;
  while (got < len) {
    ssize_t n = read(fd, p + got, len - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += (size_t)n;
  }
  close(fd);
  return got == len;
}

struct plat_thread {
  pthread_t id;
  void (*fn)(void *);
  void *arg;
};

/** [any thread but the audio thread] */
static void *thread_main(void *p) {
  plat_thread *t = p;
  t->fn(t->arg);
  return NULL;
}

/** [main-thread] */
plat_thread *plat_thread_start(void (*fn)(void *), void *arg) {
  plat_thread *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->fn = fn;
  t->arg = arg;
  if (pthread_create(&t->id, NULL, thread_main, t) != 0) {
    free(t);
    return NULL;
  }
  return t;
}

/** [main-thread] */
void plat_thread_join(plat_thread *t) {
  if (!t) return;
  pthread_join(t->id, NULL);
  free(t);
}

struct plat_mutex {
  pthread_mutex_t m;
};

/** [any thread but the audio thread] */
plat_mutex *plat_mutex_new(void) {
  plat_mutex *m = calloc(1, sizeof *m);
  if (m && pthread_mutex_init(&m->m, NULL) != 0) {
    free(m);
    return NULL;
  }
  return m;
}

/** [any thread but the audio thread] */
void plat_mutex_free(plat_mutex *m) {
  if (!m) return;
  pthread_mutex_destroy(&m->m);
  free(m);
}

void plat_mutex_lock(plat_mutex *m) { pthread_mutex_lock(&m->m); }
void plat_mutex_unlock(plat_mutex *m) { pthread_mutex_unlock(&m->m); }

/** [any thread but the audio thread] */
static bool set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL, 0);
  return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

/** [network-thread or main-thread] */
plat_socket plat_listen_loopback(uint16_t port, uint16_t *bound_port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return PLAT_BAD_SOCKET;
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int one = 1; /* a restarted DAW may rebind its port while old connections sit in TIME_WAIT */
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 16) != 0 || !set_nonblocking(fd) ||
      getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
    close(fd);
    return PLAT_BAD_SOCKET;
  }
  *bound_port = ntohs(addr.sin_port);
  return (plat_socket)fd;
}

/** [network-thread] */
plat_socket plat_accept(plat_socket listener) {
  int fd = accept((int)listener, NULL, NULL);
  if (fd < 0) return PLAT_BAD_SOCKET;
  if (!set_nonblocking(fd)) {
    close(fd);
    return PLAT_BAD_SOCKET;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#if defined(SO_NOSIGPIPE)
  setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
  return (plat_socket)fd;
}

/** [network-thread] */
long plat_recv(plat_socket s, void *buf, size_t len) {
  for (;;) {
    ssize_t n = recv((int)s, buf, len, 0);
    if (n > 0) return (long)n;
    if (n == 0) return -1;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    return -1;
  }
}

/** [network-thread] MSG_NOSIGNAL: a closed peer must not raise SIGPIPE in the DAW. */
long plat_send(plat_socket s, const void *buf, size_t len) {
#if defined(MSG_NOSIGNAL)
  const int flags = MSG_NOSIGNAL;
#else
  const int flags = 0;
#endif
  for (;;) {
    ssize_t n = send((int)s, buf, len, flags);
    if (n >= 0) return (long)n;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    return -1;
  }
}

/** [any thread but the audio thread] */
void plat_shutdown_send(plat_socket s) {
  if (s != PLAT_BAD_SOCKET) shutdown((int)s, SHUT_WR);
}

/** [any thread but the audio thread] */
void plat_close(plat_socket s) {
  if (s != PLAT_BAD_SOCKET) close((int)s);
}

struct plat_waker {
  int fds[2];
};

/** [any thread but the audio thread] */
plat_waker *plat_waker_new(void) {
  plat_waker *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  if (pipe(w->fds) != 0 || !set_nonblocking(w->fds[0]) || !set_nonblocking(w->fds[1])) {
    free(w);
    return NULL;
  }
  return w;
}

/** [any thread but the audio thread] */
void plat_waker_free(plat_waker *w) {
  if (!w) return;
  close(w->fds[0]);
  close(w->fds[1]);
  free(w);
}

/** [thread-safe, not the audio thread] */
void plat_waker_signal(plat_waker *w) {
  const char c = 1;
  ssize_t n = write(w->fds[1], &c, 1);
  (void)n; /* a full pipe already holds a wake-up */
}

/** [network-thread] */
int plat_poll(plat_pollfd *fds, int count, plat_waker *waker, int timeout_ms) {
  struct pollfd pfd[72];
  if (count > 71) count = 71;
  for (int i = 0; i < count; i++) {
    pfd[i].fd = (int)fds[i].sock;
    pfd[i].events = (short)(((fds[i].want & PLAT_POLL_IN) ? POLLIN : 0) | ((fds[i].want & PLAT_POLL_OUT) ? POLLOUT : 0));
    pfd[i].revents = 0;
  }
  pfd[count].fd = waker ? waker->fds[0] : -1;
  pfd[count].events = POLLIN;
  pfd[count].revents = 0;
  int n = poll(pfd, (nfds_t)count + 1, timeout_ms);
  if (n < 0) return errno == EINTR ? 0 : -1;
  int ready = 0;
  for (int i = 0; i < count; i++) {
    int r = 0;
    if (pfd[i].revents & POLLIN) r |= PLAT_POLL_IN;
    if (pfd[i].revents & POLLOUT) r |= PLAT_POLL_OUT;
    if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL)) r |= PLAT_POLL_ERR;
    fds[i].ready = r;
    if (r) ready++;
  }
  if (waker && (pfd[count].revents & POLLIN)) {
    char drain[64];
    while (read(waker->fds[0], drain, sizeof drain) > 0) {
    }
  }
  return ready;
}

/** Waits for one opener child so it never lingers as a zombie. [any thread but the audio thread] */
static void *reap_child(void *p) {
  pid_t pid = (pid_t)(intptr_t)p;
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
  }
  return NULL;
}

/** [main-thread] */
bool plat_open_url(const char *url) {
  const char *custom = getenv("DEEP_IMPROV_OPEN");
#if defined(__APPLE__)
  const char *opener = (custom && *custom) ? custom : "open";
#else
  const char *opener = (custom && *custom) ? custom : "xdg-open";
#endif
  char *argv[3] = {(char *)opener, (char *)url, NULL};
  pid_t pid;
  if (posix_spawnp(&pid, opener, NULL, NULL, argv, environ) != 0) return false;
  pthread_t reaper;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&reaper, &attr, reap_child, (void *)(intptr_t)pid) != 0) waitpid(pid, NULL, WNOHANG);
  pthread_attr_destroy(&attr);
  return true;
}

/** [main-thread] */
const char *plat_getenv(const char *name) { return getenv(name); }

/** [network-thread or main-thread] */
bool plat_read_file(const char *path, size_t max_len, uint8_t **data, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max_len) {
    close(fd);
    return false;
  }
  const size_t size = (size_t)st.st_size;
  uint8_t *buf = malloc(size ? size : 1);
  size_t got = 0;
  while (buf && got < size) {
    ssize_t n = read(fd, buf + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += (size_t)n;
  }
  close(fd);
  if (!buf || got != size) {
    free(buf);
    return false;
  }
  *data = buf;
  *len = size;
  return true;
}
