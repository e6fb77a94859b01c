// HTTP metrics: a request counter and a latency histogram by method, route template and status.
// Each route gets its own onResponse hook that already knows its template, so the hot path does
// no route lookup; the series are plain numbers, read at scrape time (sliced-families.ts).
import type { FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import type { Registry } from "prom-client";
import { HTTP_DURATION_BUCKETS, METRICS, UNMATCHED_ROUTE } from "showcase-monitoring-conventions";
import { registerHistogram, Series } from "./sliced-families";

export type ResponseHook = (request: FastifyRequest, reply: FastifyReply, done: () => void) => void;

export interface HttpMetrics {
  /** An onRoute hook: adds the recording onResponse hook to every route registered after it. */
  onRoute: (route: RouteOptions) => void;
  /** The onResponse hook of requests that matched no route. */
  unmatched: ResponseHook;
}

export function createHttpMetrics(registry: Registry): HttpMetrics {
  const all: Series[] = [];
  registerHistogram(registry, all, {
    name: METRICS.httpRequestDuration,
    help: "Time from receiving an HTTP request to sending its response, in seconds.",
    buckets: HTTP_DURATION_BUCKETS,
    counter: {
      name: METRICS.httpRequests,
      help: "HTTP requests answered, by method, route template and status code.",
    },
  });

  function hookFor(route: string): ResponseHook {
    // Series of this route by method, then by status code: lookups on the request's own method
    // string and status number, no key built per request.
    const byMethod = new Map<string, Map<number, Series>>();
    const create = (method: string, status: number) => {
      const series = new Series({ method, route, status_code: String(status) }, HTTP_DURATION_BUCKETS);
      let byStatus = byMethod.get(method);
      if (byStatus === undefined) byMethod.set(method, (byStatus = new Map<number, Series>()));
      byStatus.set(status, series);
      all.push(series);
      return series;
    };
    return (request, reply, done) => {
      const status = reply.statusCode;
      const series = byMethod.get(request.method)?.get(status) ?? create(request.method, status);
      series.observe(reply.elapsedTime / 1000);
      done();
    };
  }

  return {
    onRoute: (route) => {
      const own = route.onResponse === undefined ? [] : [route.onResponse].flat();
      route.onResponse = [...own, hookFor(route.url)];
    },
    unmatched: hookFor(UNMATCHED_ROUTE),
  };
}
