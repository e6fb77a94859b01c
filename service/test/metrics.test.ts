// /metrics as Prometheus sees it: parsed, then checked by name, type, labels and value.
import { execFile } from "node:child_process";
import { getHeapStatistics } from "node:v8";
import {
  HTTP_DURATION_BUCKETS,
  QUERY_DURATION_BUCKETS,
  UNMATCHED_ROUTE,
} from "showcase-monitoring-conventions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "../src/db/operations";
import { readCgroupMemoryLimit } from "../src/metrics/runtime";
import { startTestApp, testConfig, type TestApp } from "./support/app";
import { freshDatabase } from "./support/database";
import { samples, scrape, seriesKeys, value, type Exposition } from "./support/prom-text";

let app: TestApp;
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await freshDatabase("metrics");
  app = await startTestApp(testConfig(databaseUrl, { DATABASE_POOL_MAX: "7" }));
});
afterAll(() => app.close());

const requests = (m: Exposition, labels: Record<string, string>) => {
  const found = samples(m, "http_requests_total", labels);
  return found.length === 0 ? 0 : value(m, "http_requests_total", labels);
};

describe("/metrics", () => {
  it("serves the exposition format on the metrics port only", async () => {
    const response = await fetch(`${app.metricsUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect((await fetch(`${app.metricsUrl}/other`)).status).toBe(404);
    expect((await fetch(`${app.metricsUrl}/metrics`, { method: "POST" })).status).toBe(405);
    const publicPort = await app.api.inject("/metrics");
    expect(publicPort.statusCode).toBe(404);
  });

  it("declares our metrics with their types, labels and help", async () => {
    const m = await scrape(app.metricsUrl);
    const expected: Record<string, string> = {
      http_requests_total: "counter",
      http_request_duration_seconds: "histogram",
      db_pool_connections: "gauge",
      db_pool_max_connections: "gauge",
      db_query_duration_seconds: "histogram",
      db_query_errors_total: "counter",
      db_server_active_connections: "gauge",
      db_size_bytes: "gauge",
      db_stats_up: "gauge",
      http_client_errors_total: "counter",
      nodejs_heap_size_limit_bytes: "gauge",
    };
    for (const [name, type] of Object.entries(expected)) {
      expect(m.get(name)?.type, name).toBe(type);
      expect(m.get(name)?.help.length, name).toBeGreaterThan(20);
    }
  });

  it("includes prom-client's default process and runtime metrics, without prefix", async () => {
    const m = await scrape(app.metricsUrl);
    for (const name of [
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "process_open_fds",
      "process_max_fds",
      "process_start_time_seconds",
      "nodejs_eventloop_lag_p50_seconds",
      "nodejs_eventloop_lag_p90_seconds",
      "nodejs_eventloop_lag_p99_seconds",
      "nodejs_heap_size_used_bytes",
      "nodejs_heap_size_total_bytes",
      "nodejs_heap_space_size_used_bytes",
      "nodejs_gc_duration_seconds",
      "nodejs_active_handles_total",
      "nodejs_active_requests_total",
    ]) {
      expect(m.has(name), name).toBe(true);
    }
    expect(samples(m, "nodejs_heap_space_size_used_bytes").every((s) => s.labels.space !== undefined)).toBe(
      true,
    );
    expect(value(m, "nodejs_heap_size_limit_bytes")).toBe(getHeapStatistics().heap_size_limit);
    const limit = readCgroupMemoryLimit();
    if (limit === undefined) expect(m.has("process_memory_limit_bytes")).toBe(false);
    else expect(value(m, "process_memory_limit_bytes")).toBe(limit);
  });

  it("counts requests by method, route template and status code, and times them", async () => {
    const before = await scrape(app.metricsUrl);
    const id = "0b6f1c1e-1111-4a4a-8b8b-000000000001";
    for (let i = 0; i < 3; i++) await app.api.inject(`/api/projects/${id}`);
    await app.api.inject("/api/projects/not-a-uuid");
    await app.api.inject({ method: "POST", url: "/api/projects", payload: { name: "metered" } });
    await app.api.inject({ method: "HEAD", url: "/health" });
    const after = await scrape(app.metricsUrl);

    const delta = (labels: Record<string, string>) => requests(after, labels) - requests(before, labels);
    expect(delta({ method: "GET", route: "/api/projects/:id", status_code: "404" })).toBe(3);
    expect(delta({ method: "GET", route: "/api/projects/:id", status_code: "400" })).toBe(1);
    expect(delta({ method: "POST", route: "/api/projects", status_code: "201" })).toBe(1);
    expect(delta({ method: "HEAD", route: "/health", status_code: "200" })).toBe(1);
    // Never the raw URL.
    const routes = new Set(samples(after, "http_requests_total").map((s) => s.labels.route));
    expect([...routes].some((r) => r?.includes(id) || r?.includes("not-a-uuid"))).toBe(false);

    const labels = { method: "GET", route: "/api/projects/:id", status_code: "404" };
    const buckets = samples(after, "http_request_duration_seconds_bucket", labels);
    expect(buckets.map((b) => b.labels.le)).toEqual([...HTTP_DURATION_BUCKETS.map(String), "+Inf"]);
    const counts = buckets.map((b) => b.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBe(value(after, "http_request_duration_seconds_count", labels));
    expect(value(after, "http_request_duration_seconds_count", labels)).toBe(requests(after, labels));
    const sum = value(after, "http_request_duration_seconds_sum", labels);
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(5);
  });

  it("counts /health and /ready like other routes, and never /metrics", async () => {
    const before = await scrape(app.metricsUrl);
    await app.api.inject("/health");
    await app.api.inject("/ready");
    await scrape(app.metricsUrl);
    const after = await scrape(app.metricsUrl);
    expect(
      requests(after, { route: "/health", method: "GET" }) -
        requests(before, { route: "/health", method: "GET" }),
    ).toBe(1);
    expect(requests(after, { route: "/ready" }) - requests(before, { route: "/ready" })).toBe(1);
    expect(samples(after, "http_requests_total").filter((s) => s.labels.route?.includes("metrics"))).toEqual(
      [],
    );
  });

  it("gives 5,000 distinct unknown URLs one series: route=unmatched", async () => {
    await app.api.inject("/warm-up-unmatched");
    await app.api.inject("/api/%zz");
    const before = await scrape(app.metricsUrl);
    for (let i = 0; i < 5000; i++)
      await app.api.inject(`/unknown/${i}/${Math.random().toString(36).slice(2)}`);
    const after = await scrape(app.metricsUrl);
    const unmatched = { method: "GET", route: UNMATCHED_ROUTE, status_code: "404" };
    expect(requests(after, unmatched) - requests(before, unmatched)).toBe(5000);
    expect(requests(after, { route: UNMATCHED_ROUTE, status_code: "400" })).toBe(1);
    // Node's handle gauges gain a `type` series whenever some socket or timer kind first shows up
    // (a connect, a shutdown), the GC histogram a `kind` the first time V8 runs that kind of
    // collection: that is the runtime's state, not the request URLs.
    const newSeries = [...seriesKeys(after)]
      .filter((k) => !seriesKeys(before).has(k))
      .filter((k) => !k.startsWith("nodejs_active_") && !k.startsWith("nodejs_gc_duration_seconds"));
    expect(newSeries).toEqual([]);
  });

  it("times and counts database operations by their fixed names", async () => {
    const before = await scrape(app.metricsUrl);
    for (const operation of OPERATIONS) {
      expect(samples(before, "db_query_errors_total", { operation })).toHaveLength(1);
      expect(
        samples(before, "db_query_duration_seconds_bucket", { operation }).map((b) => b.labels.le),
      ).toEqual([...QUERY_DURATION_BUCKETS.map(String), "+Inf"]);
    }
    expect(value(before, "db_query_duration_seconds_count", { operation: "migrate" })).toBe(1);
    await app.api.inject("/api/projects");
    await app.api.inject("/api/projects");
    const after = await scrape(app.metricsUrl);
    const count = (m: Exposition) =>
      value(m, "db_query_duration_seconds_count", { operation: "project_list" });
    expect(count(after) - count(before)).toBe(2);
    expect(value(after, "db_query_errors_total", { operation: "project_list" })).toBe(0);
    expect(new Set(samples(after, "db_query_errors_total").map((s) => s.labels.operation))).toEqual(
      new Set(OPERATIONS),
    );
  });

  it("reports the pool and the database server", async () => {
    await app.api.inject("/api/projects");
    const m = await scrape(app.metricsUrl);
    expect(value(m, "db_pool_max_connections")).toBe(7);
    const total = value(m, "db_pool_connections", { state: "total" });
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(7);
    expect(value(m, "db_pool_connections", { state: "idle" })).toBe(total);
    expect(value(m, "db_pool_connections", { state: "waiting" })).toBe(0);
    expect(value(m, "db_stats_up")).toBe(1);
    // The main pool's connection and the stats connection at least.
    expect(value(m, "db_server_active_connections")).toBeGreaterThanOrEqual(2);
    expect(value(m, "db_size_bytes")).toBeGreaterThan(1_000_000);
  });

  it("carries no secret and no user data", async () => {
    await app.api.inject({ method: "POST", url: "/api/projects", payload: { name: "private-name-123" } });
    const text = await (await fetch(`${app.metricsUrl}/metrics`)).text();
    const password = decodeURIComponent(new URL(databaseUrl).password);
    expect(password.length).toBeGreaterThan(8);
    expect(text).not.toContain(password);
    expect(text).not.toContain("private-name-123");
  });

  it("passes promtool check metrics, but for prom-client's own nodejs_active_*_total gauges", async () => {
    const text = await (await fetch(`${app.metricsUrl}/metrics`)).text();
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      const child = execFile("promtool", ["check", "metrics"], (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }),
      );
      child.stdin!.end(text);
    });
    const findings = output.trim().split("\n").sort();
    expect(findings).toEqual([
      'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
      'nodejs_active_requests_total non-counter metrics should not have "_total" suffix',
      'nodejs_active_resources_total non-counter metrics should not have "_total" suffix',
    ]);
    expect(code).toBe(3); // promtool's exit code for lint findings
  });
});

describe("registry reset and JSON", () => {
  it("gives the HTTP series with all their labels as JSON too", async () => {
    await app.api.inject("/health");
    const json = await app.registry.getMetricsAsJSON();
    const histogram = json.find((m) => m.name === "http_request_duration_seconds");
    expect(histogram?.values).toContainEqual({
      metricName: "http_request_duration_seconds_bucket",
      labels: { method: "GET", route: "/health", status_code: "200", le: "+Inf" },
      value: expect.any(Number) as number,
    });
  });

  it("zeroes the HTTP series", async () => {
    await app.api.inject("/health");
    app.registry.resetMetrics();
    const m = await scrape(app.metricsUrl);
    expect(requests(m, { route: "/health", method: "GET", status_code: "200" })).toBe(0);
    expect(
      value(m, "http_request_duration_seconds_count", {
        route: "/health",
        method: "GET",
        status_code: "200",
      }),
    ).toBe(0);
  });
});

describe("metrics off (the benchmark's baseline)", () => {
  it("records nothing", async () => {
    const bare = await startTestApp(testConfig(databaseUrl), { metrics: false });
    try {
      await bare.api.inject("/health");
      expect((await scrape(bare.metricsUrl)).size).toBe(0);
    } finally {
      await bare.close();
    }
  });
});
