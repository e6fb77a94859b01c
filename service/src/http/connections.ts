// Which connections of the API server carry a request in flight. Node's own notion of "idle" does
// not cover a connection that has not sent a request yet (load balancers open such connections in
// advance), and server.close() also stops the sweep that would time it out: a stop would wait for
// it. Knowing this ourselves lets a stop close every connection with nothing in flight at once.
// On HTTPS, requests arrive on the TLS socket ('secureConnection'); before its handshake is done a
// connection is only a TCP socket ('connection'), which a stop closes too.
import type { Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Server as TlsServer } from "node:tls";

export interface ConnectionTracker {
  /** True when a response on `socket` has begun: nothing else may be written to it. */
  responseStarted(socket: Socket): boolean;
  /**
   * From now on, a connection is closed as soon as it has no request in flight: those idle now at
   * once (whatever they are doing: waiting, sending headers slowly), the others after their answer.
   */
  closeIdle(): void;
}

/** Closes a socket now, unless its last answer is still being written out: then once it is. */
function release(socket: Socket): void {
  if (socket.writableLength === 0) socket.destroy();
  else socket.end();
}

/**
 * A connection's remote end: the same on its TCP socket and on the TLS socket over it (Node links
 * the two by no public property), and unique among the open connections of one listener.
 */
const remoteEnd = (socket: Socket) => `${socket.remoteAddress}|${socket.remotePort}`;

export function trackConnections(server: Server): ConnectionTracker {
  // The sockets requests arrive on: TCP sockets on HTTP, TLS sockets on HTTPS.
  const open = new Set<Socket>();
  // HTTPS only: TCP sockets whose TLS handshake is not done yet, by remote end.
  const handshaking = new Map<string, Socket>();
  // Answers not yet finished, by connection (more than one only when requests are pipelined).
  const inFlight = new Map<Socket, Set<ServerResponse>>();
  let closing = false;

  const adopt = (socket: Socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    open.add(socket);
    socket.once("close", () => {
      open.delete(socket);
      inFlight.delete(socket);
    });
  };
  if (server instanceof TlsServer) {
    server.on("connection", (tcp: Socket) => {
      if (closing) {
        tcp.destroy();
        return;
      }
      const end = remoteEnd(tcp);
      handshaking.set(end, tcp);
      tcp.once("close", () => {
        if (handshaking.get(end) === tcp) handshaking.delete(end);
      });
    });
    server.on("secureConnection", (socket: Socket) => {
      handshaking.delete(remoteEnd(socket));
      adopt(socket);
    });
  } else {
    server.on("connection", adopt);
  }
  server.on("request", (request, response: ServerResponse) => {
    const socket = request.socket;
    let answers = inFlight.get(socket);
    if (answers === undefined) inFlight.set(socket, (answers = new Set()));
    answers.add(response);
    response.once("close", () => {
      answers.delete(response);
      if (answers.size > 0) return;
      inFlight.delete(socket);
      // An answer sent while closing says `connection: close` and Node ends the socket; one that
      // began before the stop kept it alive.
      if (closing && !socket.destroyed) release(socket);
    });
  });

  return {
    responseStarted: (socket) => [...(inFlight.get(socket) ?? [])].some((r) => r.headersSent),
    closeIdle() {
      closing = true;
      for (const tcp of handshaking.values()) tcp.destroy();
      for (const socket of open) if (!inFlight.has(socket)) release(socket);
    },
  };
}
