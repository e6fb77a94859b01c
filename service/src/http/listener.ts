// A Node server for one port: HTTPS when the service has a certificate (TLS_CERT_FILE), plain HTTP
// otherwise. An HTTPS port answers nothing in plain HTTP: such a client fails its handshake.
import {
  createServer as createHttpServer,
  type RequestListener,
  type Server,
  type ServerOptions,
} from "node:http";
import { createServer as createHttpsServer, Server as HttpsServer } from "node:https";
import type { ServedCertificate } from "../tls/served-certificate";

/**
 * Bound on a TLS handshake (Node's default is 120 s). The load balancer and Prometheus complete
 * theirs in milliseconds; a connection stuck before it is no client of ours.
 */
const HANDSHAKE_TIMEOUT_MS = 10_000;

export function createListener(
  certificate: ServedCertificate | undefined,
  options: ServerOptions,
  handler: RequestListener,
): Server {
  if (certificate === undefined) return createHttpServer(options, handler);
  return createHttpsServer(
    { ...options, cert: certificate.cert, key: certificate.key, handshakeTimeout: HANDSHAKE_TIMEOUT_MS },
    handler,
  );
}

/** New connections get `certificate`; those open keep theirs. No-op on a plain HTTP server. */
export function replaceCertificate(server: Server, certificate: ServedCertificate): void {
  if (server instanceof HttpsServer)
    server.setSecureContext({ cert: certificate.cert, key: certificate.key });
}
