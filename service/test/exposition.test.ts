// The scrape's text: the HTTP families write their own, in slices; it must be the text prom-client
// would write for the same series, let the event loop turn on a large scrape, and stay
// consistent between the counter and the histogram while requests go on.
import type { FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import { Counter, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { registerQueryMetrics } from "../src/metrics/db";
import { renderExposition } from "../src/metrics/exposition";
import { createHttpMetrics, type ResponseHook } from "../src/metrics/http";
import { SERIES_PER_SLICE } from "../src/metrics/sliced-families";
import { parseExposition, value } from "./support/prom-text";

function instrumented(routes: string[]) {
  const registry = new Registry();
  const metrics = createHttpMetrics(registry);
  const hooks = routes.map((url) => {
    const route = { method: "GET", url, handler: () => undefined } as RouteOptions;
    metrics.onRoute(route);
    return (route.onResponse as ResponseHook[])[0]!;
  });
  const record = (route: number, method: string, statusCode: number, elapsedTime: number) =>
    hooks[route]!({ method } as FastifyRequest, { statusCode, elapsedTime } as FastifyReply, () => undefined);
  return { registry, record };
}

const routes = (n: number) => Array.from({ length: n }, (_, i) => `/items/${i}`);

describe("the exposition text", () => {
  it("is what prom-client writes for the same series, escapes included, database and other metrics beside", async () => {
    const { registry, record } = instrumented(["/health", '/odd/"quoted"\\path', ...routes(3)]);
    new Counter({
      name: "other_total",
      help: "Another metric, formatted by prom-client.",
      registers: [registry],
    }).inc(2);
    record(0, "GET", 200, 3);
    record(0, "GET", 200, 7_000);
    record(0, "POST", 503, 40);
    record(1, "GET", 404, 0.5);
    record(2, "DELETE", 204, 250);
    const observeQuery = registerQueryMetrics(registry);
    observeQuery("project_list", 0.004, false);
    observeQuery("project_list", 30, true);
    const text = await renderExposition(registry);
    expect(text).toBe(await registry.metrics());
    const parsed = parseExposition(text);
    expect(
      value(parsed, "http_requests_total", {
        method: "GET",
        route: '/odd/"quoted"\\path',
        status_code: "404",
      }),
    ).toBe(1);
    expect(value(parsed, "other_total", {})).toBe(2);
    expect(value(parsed, "db_query_duration_seconds_count", { operation: "project_list" })).toBe(2);
    expect(value(parsed, "db_query_errors_total", { operation: "project_list" })).toBe(1);
  });

  it("is what prom-client writes before any request", async () => {
    const { registry } = instrumented(routes(2));
    expect(await renderExposition(registry)).toBe(await registry.metrics());
  });

  it("lets the event loop turn between slices of a large scrape", async () => {
    const count = SERIES_PER_SLICE * 5 + 1;
    const { registry, record } = instrumented(routes(count));
    for (let i = 0; i < count; i++) record(i, "GET", 200, 12);
    let turns = 0;
    let rendering = true;
    const tick = () => {
      turns++;
      if (rendering) setImmediate(tick);
    };
    setImmediate(tick);
    const text = await renderExposition(registry);
    rendering = false;
    // Each family yields before each slice after its first: 5 times for 6 slices.
    expect(turns).toBeGreaterThanOrEqual(5);
    expect(text).toBe(await registry.metrics());
  });

  it("keeps counter and histogram equal for every series while requests arrive mid-scrape", async () => {
    const count = SERIES_PER_SLICE * 4;
    const { registry, record } = instrumented(routes(count));
    for (let i = 0; i < count; i++) record(i, "GET", 200, 12);
    let arrivals = 0;
    let arriving = true;
    const arrive = () => {
      for (let i = 0; i < count; i += 7) record(i, "GET", 200, 30);
      arrivals++;
      if (arriving) setImmediate(arrive);
    };
    setImmediate(arrive);
    const parsed = parseExposition(await renderExposition(registry));
    arriving = false;
    expect(arrivals).toBeGreaterThan(0);
    const byRoute = (sample: string, le?: string) =>
      new Map(
        [...parsed.values()]
          .flatMap((family) => family.samples)
          .filter((s) => s.name === sample && s.labels.le === le)
          .map((s) => [s.labels.route, s.value]),
      );
    const totals = byRoute("http_requests_total");
    expect(totals.size).toBe(count);
    // Had the families not been copied at once, the arrivals would show in some series.
    expect([...totals.values()].every((total) => total === 1)).toBe(true);
    expect(byRoute("http_request_duration_seconds_count")).toEqual(totals);
    expect(byRoute("http_request_duration_seconds_bucket", "+Inf")).toEqual(totals);
  });
});
