// The Node HTTP server under Fastify (its serverFactory), with deliberate timeouts. The load
// balancer (ALB: 60 s idle timeout, connections opened ahead of requests) must always be the side
// that closes an idle connection, or a request it sends just then fails with a 502: waiting for a
// request is bounded by KEEP_ALIVE_TIMEOUT_MS, above 60 s. Once a request's headers are in,
// Fastify's handlerTimeout (REQUEST_TIMEOUT_MS) bounds the rest. Why these: docs/decisions, the
// note on the service's readiness, connection bounds and stop.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { ServedCertificate } from "../tls/served-certificate";
import { refuseWithoutHost, type ClientErrorRecorder } from "./client-errors";
import { createListener } from "./listener";

export interface ApiServerOptions {
  keepAliveTimeoutMs: number;
  requestTimeoutMs: number;
  recordClientError: ClientErrorRecorder;
  /** HTTPS with this certificate; plain HTTP when undefined. */
  certificate: ServedCertificate | undefined;
}

export function createApiServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  { keepAliveTimeoutMs, requestTimeoutMs, recordClientError, certificate }: ApiServerOptions,
): Server {
  const server = createListener(
    certificate,
    {
      requireHostHeader: false,
      // Counted from the connection's start for its first request: a connection opened ahead may
      // wait for that request as long as for any next one.
      headersTimeout: keepAliveTimeoutMs,
      // Node's bound on receiving a whole request, from the same start: a backstop for a body
      // still arriving after its answer went out (handlerTimeout ends with the answer).
      requestTimeout: keepAliveTimeoutMs + requestTimeoutMs,
      // How often Node checks the two bounds above (default 30 s): they hold to within a fifth.
      connectionsCheckingInterval: Math.min(30_000, Math.ceil(keepAliveTimeoutMs / 5)),
    },
    (request, response) => {
      if (!refuseWithoutHost(request, response, recordClientError)) handler(request, response);
    },
  );
  server.keepAliveTimeout = keepAliveTimeoutMs;
  // Socket inactivity while a request is under way (e.g. a client that stops reading its answer):
  // never shorter than the request may take, or it would cut a slow answer short.
  server.setTimeout(keepAliveTimeoutMs + requestTimeoutMs);
  return server;
}
