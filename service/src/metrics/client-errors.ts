// Requests refused before routing, by reason. They never become requests, so http_requests_total
// cannot count them; a rise here is what a scan or a protocol attack looks like.
import { Counter, type Registry } from "prom-client";
import { METRICS } from "showcase-monitoring-conventions";
import { CLIENT_ERROR_REASONS, type ClientErrorRecorder } from "../http/client-errors";

export function registerClientErrorMetrics(registry: Registry): ClientErrorRecorder {
  const refused = new Counter<"reason">({
    name: METRICS.httpClientErrors,
    help: "Requests refused before routing, by reason: malformed, headers_too_large, timeout, missing_host.",
    labelNames: ["reason"],
    registers: [registry],
  });
  // Every reason exists from the start, at zero, so that increase() sees the first one.
  const children = new Map(
    CLIENT_ERROR_REASONS.map((reason) => {
      refused.inc({ reason }, 0);
      return [reason, refused.labels(reason)];
    }),
  );
  return (reason) => children.get(reason)!.inc();
}
