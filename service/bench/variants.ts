// The four ways the benchmark runs the same service: no metrics, ours, fastify-metrics with its
// defaults, and the plain prom-client way (a Counter and a Histogram, labels() children in an
// onResponse hook). The other two add HTTP metrics only; ours is the service's whole
// instrumentation (runtime and database metrics too), so its figures are the conservative ones.
import type { FastifyInstance } from "fastify";
// The class behind the plugin: constructed at once, its hooks exist before the service's routes
// (registered as a plugin, it would load after them and see none).
import { FastifyMetrics } from "fastify-metrics/dist/fastify-metrics";
import promClient, { Registry } from "prom-client";
import { UNMATCHED_ROUTE } from "showcase-monitoring-conventions";
import type { AppOptions } from "../src/app";
import { promClientHttpMetrics } from "./prom-client-http";

export const VARIANTS = ["none", "ours", "fastify-metrics", "prom-client"] as const;
export type Variant = (typeof VARIANTS)[number];

/**
 * Where each variant's own per-request work runs, for the CPU profile (profile.ts). Ours records
 * in src/metrics and times database queries through prom-client; the hooks of the others are
 * prom-client and fastify-metrics, and plainPromClient below.
 */
export const INSTRUMENTATION_CODE: Record<Variant, readonly RegExp[]> = {
  none: [],
  ours: [/\/service\/src\/metrics\//, /\/node_modules\/prom-client\//],
  "fastify-metrics": [/\/node_modules\/fastify-metrics\//, /\/node_modules\/prom-client\//],
  "prom-client": [/\/service\/bench\/(variants|prom-client-http)\.ts$/, /\/node_modules\/prom-client\//],
};

export function isVariant(value: string | undefined): value is Variant {
  return (VARIANTS as readonly (string | undefined)[]).includes(value);
}

function fastifyMetrics(api: FastifyInstance): void {
  // Its route metrics as they come (a histogram and a summary); no /metrics route on the API and
  // no default metrics of its own, so that only its HTTP instrumentation is measured.
  new FastifyMetrics({
    client: promClient,
    fastify: api,
    options: { endpoint: null, defaultMetrics: { enabled: false } },
  });
}

function plainPromClient(api: FastifyInstance): void {
  const record = promClientHttpMetrics(new Registry());
  api.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    record(request.method, route, String(reply.statusCode), reply.elapsedTime / 1000);
    done();
  });
}

export function appOptions(variant: Variant): AppOptions {
  switch (variant) {
    case "none":
      return { metrics: false };
    case "ours":
      return {};
    case "fastify-metrics":
      return { metrics: false, instrumentApi: fastifyMetrics };
    case "prom-client":
      return { metrics: false, instrumentApi: plainPromClient };
  }
}
