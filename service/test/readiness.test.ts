// /ready says whether this task can serve, on a path that does not queue behind the main pool:
// a saturated pool (slowness every task shares) shows in the metrics, not in readiness.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, testConfig, type TestApp } from "./support/app";
import { freshDatabase } from "./support/database";
import { scrape, value } from "./support/prom-text";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp(testConfig(await freshDatabase("readiness"), { DATABASE_POOL_MAX: "2" }));
});
afterAll(() => app.close());

const readinessChecks = async () =>
  value(await scrape(app.metricsUrl), "db_query_duration_seconds_count", { operation: "readiness_check" });

describe("readiness", () => {
  it("stays ready while the main pool is saturated; the saturation shows in the metrics", async () => {
    const held = await Promise.all([app.pools.main.connect(), app.pools.main.connect()]);
    try {
      const waiting = app.api.inject("/api/projects");
      await expect
        .poll(async () => value(await scrape(app.metricsUrl), "db_pool_connections", { state: "waiting" }))
        .toBe(1);
      const ready = await app.api.inject("/ready");
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: "ready" });
      // The request that queued for the pool gives up after the pool's connect timeout.
      expect((await waiting).statusCode).toBe(503);
    } finally {
      held.forEach((client) => client.release());
    }
  });

  it("answers a burst of probes with one query", async () => {
    const before = await readinessChecks();
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.api.inject("/ready")));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
    expect((await readinessChecks()) - before).toBeLessThan(20);
  });
});
