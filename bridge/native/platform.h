/*
 * platform.h: everything the bridge needs from the operating system, behind
 * one small interface. platform_posix.c implements it for Linux and macOS;
 * a Windows port implements the same functions in platform_win32.c (Winsock,
 * CreateThread, BCryptGenRandom, ShellExecute / CreateProcess,
 * QueryPerformanceCounter). Nothing else in the bridge includes an OS header.
 */
#ifndef DEEP_IMPROV_PLATFORM_H
#define DEEP_IMPROV_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The window API a floating editor is created for on this platform ("x11", "cocoa", "win32"). */
const char *plat_window_api(void);

/** Nanoseconds on a monotonic clock (arbitrary origin). [thread-safe, audio-thread safe] */
uint64_t plat_now_ns(void);

/** Sleeps about `ms` milliseconds. [any thread but the audio thread] */
void plat_sleep_ms(unsigned ms);

/** Fills `buf` with `len` cryptographically random bytes; false when the OS gives none. [thread-safe] */
bool plat_random(void *buf, size_t len);

/** An OS thread. */
typedef struct plat_thread plat_thread;
/** Starts `fn(arg)` on a new thread; NULL on failure. [main-thread] */
plat_thread *plat_thread_start(void (*fn)(void *), void *arg);
/** Waits for the thread to end and frees it. [main-thread] */
void plat_thread_join(plat_thread *t);

/** A mutex (never taken on the audio thread). */
typedef struct plat_mutex plat_mutex;
plat_mutex *plat_mutex_new(void);
void plat_mutex_free(plat_mutex *m);
void plat_mutex_lock(plat_mutex *m);
void plat_mutex_unlock(plat_mutex *m);

/** A socket handle; PLAT_BAD_SOCKET when invalid. */
typedef intptr_t plat_socket;
#define PLAT_BAD_SOCKET ((plat_socket)-1)

/**
 * Opens a non-blocking TCP listener on 127.0.0.1:`port` (0 = any free port)
 * and writes the bound port to `*bound_port`. PLAT_BAD_SOCKET when taken.
 */
plat_socket plat_listen_loopback(uint16_t port, uint16_t *bound_port);
/** Accepts one pending connection (non-blocking); PLAT_BAD_SOCKET when none. */
plat_socket plat_accept(plat_socket listener);
/**
 * Reads up to `len` bytes. Returns the count, 0 when nothing is available
 * now, -1 when the peer closed or the socket failed.
 */
long plat_recv(plat_socket s, void *buf, size_t len);
/** Writes up to `len` bytes: the count written (maybe 0 when full), -1 on failure. */
long plat_send(plat_socket s, const void *buf, size_t len);
/** Ends the sending direction (the peer reads EOF) while still receiving. */
void plat_shutdown_send(plat_socket s);
void plat_close(plat_socket s);

/** What plat_poll waits for and reports, per socket. */
enum { PLAT_POLL_IN = 1, PLAT_POLL_OUT = 2, PLAT_POLL_ERR = 4 };
typedef struct plat_pollfd {
  plat_socket sock;
  int want;  /* PLAT_POLL_IN | PLAT_POLL_OUT */
  int ready; /* set by plat_poll */
} plat_pollfd;

/** A wake-up channel another (non-audio) thread can signal to end a plat_poll early. */
typedef struct plat_waker plat_waker;
plat_waker *plat_waker_new(void);
void plat_waker_free(plat_waker *w);
/** Wakes the poller. [thread-safe, not the audio thread] */
void plat_waker_signal(plat_waker *w);

/**
 * Waits up to `timeout_ms` for any socket to be ready or the waker to be
 * signalled (the signal is consumed). Returns the number of ready sockets,
 * or -1 on failure.
 */
int plat_poll(plat_pollfd *fds, int count, plat_waker *waker, int timeout_ms);

/**
 * Opens `url` in the user's browser: runs `$DEEP_IMPROV_OPEN <url>` when the
 * variable is set, else the platform opener, as a child process with an
 * argument vector (never a shell string). Does not wait for it.
 * [main-thread]
 */
bool plat_open_url(const char *url);

/**
 * Reads a whole regular file (at most `max_len` bytes) into a new buffer the
 * caller frees; false when missing, not a regular file, too big or unreadable.
 * [network-thread or main-thread]
 */
bool plat_read_file(const char *path, size_t max_len, uint8_t **data, size_t *len);

/** Reads an environment variable (NULL when unset). [main-thread] */
const char *plat_getenv(const char *name);

#endif
