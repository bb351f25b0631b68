/*
 * server.h: the per-instance editor server: one network thread that serves
 * the page's files over HTTP on 127.0.0.1, owns the single WebSocket
 * connection, speaks the protocol (protocol.h) and moves events between the
 * socket and the audio thread's rings.
 */
#ifndef DEEP_IMPROV_SERVER_H
#define DEEP_IMPROV_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "plugin.h"

/**
 * Binds the listener (port DEEP_IMPROV_PORT .. +15 when set, else a free
 * port), makes the token and starts the network thread. NULL on failure.
 * [main-thread]
 */
di_server *di_server_start(di_plugin *p);
/** Stops the thread, closes every socket and frees the server. [main-thread] */
void di_server_stop(di_server *s);
uint16_t di_server_port(const di_server *s);
/** The 32-hex-digit token. */
const char *di_server_token(const di_server *s);
/**
 * Hands one protocol message from another channel (the webview extension)
 * to the network thread, which handles it exactly like a WebSocket binary
 * message. False when the copy cannot be queued. [main-thread]
 */
bool di_server_post(di_server *s, const uint8_t *msg, size_t len);
/** Asks the network thread to look at the state again (a state was loaded). [main-thread] */
void di_server_wake(di_server *s);

#endif
