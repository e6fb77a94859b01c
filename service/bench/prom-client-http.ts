// The plain prom-client way to count HTTP requests and time them: a Counter and a Histogram with
// the service's names, labels and buckets, recorded through labels() children.
import { Counter, Histogram, type Registry } from "prom-client";
import { HTTP_DURATION_BUCKETS, METRICS } from "showcase-monitoring-conventions";

/** Records one answer of `route`; `seconds` is its duration. */
export type RecordAnswer = (method: string, route: string, status: string, seconds: number) => void;

export function promClientHttpMetrics(registry: Registry): RecordAnswer {
  const labelNames = ["method", "route", "status_code"];
  const registers = [registry];
  const requests = new Counter({ name: METRICS.httpRequests, help: "HTTP requests.", labelNames, registers });
  const duration = new Histogram({
    name: METRICS.httpRequestDuration,
    help: "HTTP request duration in seconds.",
    labelNames,
    buckets: HTTP_DURATION_BUCKETS,
    registers,
  });
  return (method, route, status, seconds) => {
    requests.labels(method, route, status).inc();
    duration.labels(method, route, status).observe(seconds);
  };
}
