// The metrics listener: /metrics only, on its own port so the public load balancer never routes
// to it. A plain Node server: it needs no framework and its requests stay out of the HTTP metrics.
// With a certificate it serves HTTPS only; with a bearer check, every request must pass it first
// (401 otherwise, whatever the path: the port tells nothing to whoever cannot read it).
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { METRICS_PATH } from "showcase-monitoring-conventions";
import { errorBody } from "../http/errors";
import { createListener } from "../http/listener";
import type { ServedCertificate } from "../tls/served-certificate";
import type { BearerCheck } from "./bearer-token";
import { renderExposition } from "./exposition";

export interface MetricsServerOptions {
  /** HTTPS with this certificate; plain HTTP when undefined. */
  certificate: ServedCertificate | undefined;
  /** Checks the Authorization header; undefined leaves /metrics open. */
  authorize: BearerCheck | undefined;
  onError(error: Error): void;
  /** A request refused for its credential (never passed the header). */
  onUnauthorized(request: IncomingMessage, reason: "missing" | "invalid"): void;
}

const REALM = 'Bearer realm="metrics"';

function unauthorized(response: ServerResponse, reason: "missing" | "invalid"): void {
  const message = reason === "missing" ? "a bearer token is required" : "the bearer token is not valid";
  response
    .writeHead(401, {
      "content-type": "application/json; charset=utf-8",
      // RFC 6750: no error code when no credential came, invalid_token for a wrong one.
      "www-authenticate": reason === "missing" ? REALM : `${REALM}, error="invalid_token"`,
    })
    .end(JSON.stringify(errorBody(401, message)));
}

export function createMetricsServer(registry: Registry, options: MetricsServerOptions): Server {
  return createListener(options.certificate, {}, (request, response) => {
    const verdict = options.authorize?.(request.headers.authorization) ?? "ok";
    if (verdict !== "ok") {
      options.onUnauthorized(request, verdict);
      unauthorized(response, verdict);
      return;
    }
    const path = request.url?.split("?")[0];
    if (path !== METRICS_PATH) {
      response
        .writeHead(404, { "content-type": "text/plain; charset=utf-8" })
        .end(`not found: try ${METRICS_PATH}\n`);
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end();
      return;
    }
    renderExposition(registry).then(
      (body) => {
        response.writeHead(200, { "content-type": registry.contentType });
        response.end(request.method === "HEAD" ? undefined : body);
      },
      (error: Error) => {
        options.onError(error);
        response.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("metrics unavailable\n");
      },
    );
  });
}
