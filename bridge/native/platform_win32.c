/*
 * platform_win32.c: platform.h for Windows (Winsock 2, Win32 threads and
 * slim reader/writer locks, BCryptGenRandom, QueryPerformanceCounter, the
 * shell's URL opener). Strings that cross into Win32 are UTF-8 in the bridge
 * and UTF-16 here. Links with ws2_32, bcrypt and shell32.
 */
#define WIN32_LEAN_AND_MEAN
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0601 /* Windows 7: WSAPoll, InitOnce, SRW locks */
#endif

#include "platform.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <bcrypt.h>
#include <shellapi.h>

#include <stdlib.h>
#include <string.h>

/** [thread-safe] */
const char *plat_window_api(void) { return "win32"; }

/** [thread-safe, audio-thread safe: QueryPerformanceCounter does not block] */
uint64_t plat_now_ns(void) {
  static LARGE_INTEGER freq; /* set once; the same value on every thread */
  if (freq.QuadPart == 0) QueryPerformanceFrequency(&freq);
  LARGE_INTEGER now;
  QueryPerformanceCounter(&now);
  const uint64_t f = (uint64_t)freq.QuadPart, t = (uint64_t)now.QuadPart;
  return (t / f) * 1000000000u + (t % f) * 1000000000u / f;
}

/** [any non-audio thread] */
void plat_sleep_ms(unsigned ms) { Sleep(ms); }

/** [thread-safe] The system's preferred generator. */
bool plat_random(void *buf, size_t len) {
  uint8_t *p = buf;
  while (len > 0) {
    const ULONG chunk = len > 0x10000000u ? 0x10000000u : (ULONG)len;
    if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, p, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG))) return false;
    p += chunk;
    len -= chunk;
  }
  return true;
}

struct plat_thread {
  HANDLE handle;
  void (*fn)(void *);
  void *arg;
};

/** [any thread but the audio thread] */
static DWORD WINAPI thread_main(LPVOID p) {
  plat_thread *t = p;
  t->fn(t->arg);
  return 0;
}

/** [main-thread] */
plat_thread *plat_thread_start(void (*fn)(void *), void *arg) {
  plat_thread *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->fn = fn;
  t->arg = arg;
  t->handle = CreateThread(NULL, 0, thread_main, t, 0, NULL);
  if (!t->handle) {
    free(t);
    return NULL;
  }
  return t;
}

/** [main-thread] */
void plat_thread_join(plat_thread *t) {
  if (!t) return;
  WaitForSingleObject(t->handle, INFINITE);
  CloseHandle(t->handle);
  free(t);
}

struct plat_mutex {
  SRWLOCK lock;
};

/** [any thread but the audio thread] */
plat_mutex *plat_mutex_new(void) {
  plat_mutex *m = calloc(1, sizeof *m);
  if (m) InitializeSRWLock(&m->lock);
  return m;
}

/** [any thread but the audio thread] An SRW lock needs no destruction. */
void plat_mutex_free(plat_mutex *m) { free(m); }

void plat_mutex_lock(plat_mutex *m) { AcquireSRWLockExclusive(&m->lock); }
void plat_mutex_unlock(plat_mutex *m) { ReleaseSRWLockExclusive(&m->lock); }

static INIT_ONCE g_winsock_once = INIT_ONCE_STATIC_INIT;
static bool g_winsock_ok;

/** Starts Winsock 2.2 once per process (it stays up until the DLL unloads). */
static BOOL CALLBACK winsock_start(PINIT_ONCE once, PVOID param, PVOID *context) {
  (void)once;
  (void)param;
  (void)context;
  WSADATA data;
  g_winsock_ok = WSAStartup(MAKEWORD(2, 2), &data) == 0;
  return TRUE;
}

static bool winsock_ready(void) {
  InitOnceExecuteOnce(&g_winsock_once, winsock_start, NULL, NULL);
  return g_winsock_ok;
}

/** A non-blocking socket that child processes do not inherit. [any thread but the audio thread] */
static SOCKET new_socket(int type, int protocol) {
  if (!winsock_ready()) return INVALID_SOCKET;
  SOCKET s = WSASocketW(AF_INET, type, protocol, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
  if (s == INVALID_SOCKET) return s;
  u_long on = 1;
  if (ioctlsocket(s, FIONBIO, &on) != 0) {
    closesocket(s);
    return INVALID_SOCKET;
  }
  return s;
}

/** 127.0.0.1:`port` in network order. */
static struct sockaddr_in loopback(uint16_t port) {
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

/**
 * [network-thread or main-thread] SO_EXCLUSIVEADDRUSE, not SO_REUSEADDR: on
 * Windows the latter would let another process bind the same port and take
 * the editor's connections.
 */
plat_socket plat_listen_loopback(uint16_t port, uint16_t *bound_port) {
  SOCKET s = new_socket(SOCK_STREAM, IPPROTO_TCP);
  if (s == INVALID_SOCKET) return PLAT_BAD_SOCKET;
  BOOL one = TRUE;
  setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&one, sizeof one);
  struct sockaddr_in addr = loopback(port);
  int len = sizeof addr;
  if (bind(s, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(s, 16) != 0 ||
      getsockname(s, (struct sockaddr *)&addr, &len) != 0) {
    closesocket(s);
    return PLAT_BAD_SOCKET;
  }
  *bound_port = ntohs(addr.sin_port);
  return (plat_socket)s;
}

/** [network-thread] An accepted socket inherits the listener's non-blocking mode; it is set again to be sure. */
plat_socket plat_accept(plat_socket listener) {
  SOCKET s = accept((SOCKET)listener, NULL, NULL);
  if (s == INVALID_SOCKET) return PLAT_BAD_SOCKET;
  u_long on = 1;
  if (ioctlsocket(s, FIONBIO, &on) != 0) {
    closesocket(s);
    return PLAT_BAD_SOCKET;
  }
  SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
  BOOL one = TRUE;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
  return (plat_socket)s;
}

/** [network-thread] */
long plat_recv(plat_socket s, void *buf, size_t len) {
  const int want = len > 0x7fffffffu ? 0x7fffffff : (int)len;
  for (;;) {
    const int n = recv((SOCKET)s, buf, want, 0);
    if (n > 0) return (long)n;
    if (n == 0) return -1;
    const int e = WSAGetLastError();
    if (e == WSAEINTR) continue;
    if (e == WSAEWOULDBLOCK) return 0;
    return -1;
  }
}

/** [network-thread] Windows raises no SIGPIPE: a closed peer is an error return. */
long plat_send(plat_socket s, const void *buf, size_t len) {
  const int want = len > 0x7fffffffu ? 0x7fffffff : (int)len;
  for (;;) {
    const int n = send((SOCKET)s, buf, want, 0);
    if (n >= 0) return (long)n;
    const int e = WSAGetLastError();
    if (e == WSAEINTR) continue;
    if (e == WSAEWOULDBLOCK) return 0;
    return -1;
  }
}

/** [any thread but the audio thread] */
void plat_shutdown_send(plat_socket s) {
  if (s != PLAT_BAD_SOCKET) shutdown((SOCKET)s, SD_SEND);
}

/** [any thread but the audio thread] */
void plat_close(plat_socket s) {
  if (s != PLAT_BAD_SOCKET) closesocket((SOCKET)s);
}

/**
 * Windows has no pipe that WSAPoll can wait on, so the waker is a UDP socket
 * bound to a loopback port: signalling sends it one datagram.
 */
struct plat_waker {
  SOCKET sock;
  struct sockaddr_in addr;
};

/** [any thread but the audio thread] */
plat_waker *plat_waker_new(void) {
  plat_waker *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->sock = new_socket(SOCK_DGRAM, IPPROTO_UDP);
  w->addr = loopback(0);
  int len = sizeof w->addr;
  if (w->sock == INVALID_SOCKET || bind(w->sock, (struct sockaddr *)&w->addr, sizeof w->addr) != 0 ||
      getsockname(w->sock, (struct sockaddr *)&w->addr, &len) != 0) {
    if (w->sock != INVALID_SOCKET) closesocket(w->sock);
    free(w);
    return NULL;
  }
  return w;
}

/** [any thread but the audio thread] */
void plat_waker_free(plat_waker *w) {
  if (!w) return;
  closesocket(w->sock);
  free(w);
}

/** [thread-safe, not the audio thread] A full buffer already holds a wake-up. */
void plat_waker_signal(plat_waker *w) {
  const char c = 1;
  sendto(w->sock, &c, 1, 0, (const struct sockaddr *)&w->addr, sizeof w->addr);
}

/** [network-thread] */
int plat_poll(plat_pollfd *fds, int count, plat_waker *waker, int timeout_ms) {
  WSAPOLLFD pfd[72];
  if (count > 71) count = 71;
  for (int i = 0; i < count; i++) {
    pfd[i].fd = (SOCKET)fds[i].sock;
    pfd[i].events = (SHORT)(((fds[i].want & PLAT_POLL_IN) ? POLLRDNORM : 0) | ((fds[i].want & PLAT_POLL_OUT) ? POLLWRNORM : 0));
    pfd[i].revents = 0;
  }
  ULONG n_fds = (ULONG)count;
  if (waker) {
    pfd[count].fd = waker->sock;
    pfd[count].events = POLLRDNORM;
    pfd[count].revents = 0;
    n_fds++;
  }
  if (n_fds == 0) {
    Sleep(timeout_ms > 0 ? (DWORD)timeout_ms : 0);
    return 0;
  }
  const int n = WSAPoll(pfd, n_fds, timeout_ms);
  if (n == SOCKET_ERROR) return WSAGetLastError() == WSAEINTR ? 0 : -1;
  int ready = 0;
  for (int i = 0; i < count; i++) {
    int r = 0;
    if (pfd[i].revents & POLLRDNORM) r |= PLAT_POLL_IN;
    if (pfd[i].revents & POLLWRNORM) r |= PLAT_POLL_OUT;
    if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL)) r |= PLAT_POLL_ERR;
    fds[i].ready = r;
    if (r) ready++;
  }
  if (waker && (pfd[count].revents & POLLRDNORM)) {
    char drain[64];
    while (recv(waker->sock, drain, sizeof drain, 0) > 0) {
    }
  }
  return ready;
}

/** A new UTF-16 copy of UTF-8 `s` the caller frees; NULL when it is not valid UTF-8. */
static wchar_t *widen(const char *s) {
  const int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
  if (n <= 0) return NULL;
  wchar_t *w = malloc((size_t)n * sizeof *w);
  if (w && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
    free(w);
    return NULL;
  }
  return w;
}

/**
 * Appends `arg` to `out` quoted the way CommandLineToArgvW reads it back
 * (backslashes doubled before a quote, quotes escaped), so the child sees
 * exactly one argument. Returns the new length, or 0 when `cap` is too small.
 */
static size_t append_quoted(wchar_t *out, size_t len, size_t cap, const wchar_t *arg) {
  if (len + 1 >= cap) return 0;
  out[len++] = L'"';
  for (const wchar_t *p = arg;; p++) {
    size_t slashes = 0;
    while (*p == L'\\') {
      slashes++;
      p++;
    }
    const size_t times = (*p == 0 || *p == L'"') ? 2 * slashes : slashes;
    if (len + times + 3 >= cap) return 0;
    for (size_t k = 0; k < times; k++) out[len++] = L'\\';
    if (*p == 0) break;
    if (*p == L'"') out[len++] = L'\\';
    out[len++] = *p;
  }
  out[len++] = L'"';
  out[len] = 0;
  return len;
}

/** [main-thread] `$DEEP_IMPROV_OPEN <url>` as a process with quoted arguments (no shell), else the shell's opener. */
bool plat_open_url(const char *url) {
  wchar_t *wurl = widen(url);
  if (!wurl) return false;
  const char *custom = getenv("DEEP_IMPROV_OPEN");
  bool ok = false;
  if (custom && *custom) {
    wchar_t *wcmd = widen(custom);
    wchar_t line[4096];
    size_t len = wcmd ? append_quoted(line, 0, 4096, wcmd) : 0;
    if (len && len + 1 < 4096) {
      line[len++] = L' ';
      line[len] = 0;
      len = append_quoted(line, len, 4096, wurl);
    }
    if (len) {
      STARTUPINFOW si;
      PROCESS_INFORMATION pi;
      memset(&si, 0, sizeof si);
      si.cb = sizeof si;
      ok = CreateProcessW(wcmd, line, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi) != 0;
      if (ok) {
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
      }
    }
    free(wcmd);
  } else {
    ok = (INT_PTR)ShellExecuteW(NULL, L"open", wurl, NULL, NULL, SW_SHOWNORMAL) > 32;
  }
  free(wurl);
  return ok;
}

/** [main-thread] */
const char *plat_getenv(const char *name) { return getenv(name); }

/** [network-thread or main-thread] */
bool plat_read_file(const char *path, size_t max_len, uint8_t **data, size_t *len) {
  wchar_t *wpath = widen(path);
  if (!wpath) return false;
  HANDLE f = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  free(wpath);
  if (f == INVALID_HANDLE_VALUE) return false;
  LARGE_INTEGER size;
  if (GetFileType(f) != FILE_TYPE_DISK || !GetFileSizeEx(f, &size) || size.QuadPart < 0 || (uint64_t)size.QuadPart > max_len) {
    CloseHandle(f);
    return false;
  }
  const size_t total = (size_t)size.QuadPart;
  uint8_t *buf = malloc(total ? total : 1);
  size_t got = 0;
  while (buf && got < total) {
    DWORD n = 0;
    const DWORD want = total - got > 0x40000000u ? 0x40000000u : (DWORD)(total - got);
    if (!ReadFile(f, buf + got, want, &n, NULL) || n == 0) break;
    got += n;
  }
  CloseHandle(f);
  if (!buf || got != total) {
    free(buf);
    return false;
  }
  *data = buf;
  *len = total;
  return true;
}
