// The metrics listener: /metrics only, on its own port so the public load balancer never routes
// to it. A plain Node server: it needs no framework and its requests stay out of the HTTP metrics.
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

export function createMetricsServer(registry: Registry, onError: (error: Error) => void): Server {
  return createServer((request, response) => {
    const path = request.url?.split("?")[0];
    if (path !== "/metrics") {
      response
        .writeHead(404, { "content-type": "text/plain; charset=utf-8" })
        .end("not found: try /metrics\n");
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end();
      return;
    }
    registry.metrics().then(
      (body) => {
        response.writeHead(200, { "content-type": registry.contentType });
        response.end(request.method === "HEAD" ? undefined : body);
      },
      (error: Error) => {
        onError(error);
        response.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("metrics unavailable\n");
      },
    );
  });
}
