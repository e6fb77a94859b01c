// The database stops, then hangs: the API answers 503, /health stays 200, /metrics stays fast,
// and everything recovers without restarting the app. Runs on a PostgreSQL of its own.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogCapture, startTestApp, testConfig, type TestApp } from "./support/app";
import { privatePostgres } from "./support/database";
import { scrape, value } from "./support/prom-text";

let postgres: Awaited<ReturnType<typeof privatePostgres>>;
let databaseUrl: string;

beforeAll(async () => {
  postgres = await privatePostgres();
  databaseUrl = await postgres.createDatabase("outage");
});
afterAll(() => postgres.remove());

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The postmaster and its children: stopping them all makes the server hang, not refuse. */
function serverProcesses(): number[] {
  const postmaster = Number(
    readFileSync(join(postgres.dataDir, "pgdata", "postmaster.pid"), "utf8").split("\n")[0],
  );
  const children = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // Field 4 of /proc/PID/stat is the parent pid; the command may contain spaces, so split after ")".
        return (
          Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(")").at(-1)!.trim().split(" ")[1]) ===
          postmaster
        );
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

describe("the database goes away", () => {
  let app: TestApp;
  const logs = new LogCapture();

  beforeAll(async () => {
    app = await startTestApp(testConfig(databaseUrl, { LOG_LEVEL: "warn" }), { logs });
  });
  afterAll(() => app.close());

  it("answers 503, keeps /health and /metrics, and recovers when the database returns", async () => {
    const created = await app.api.inject({
      method: "POST",
      url: "/api/projects",
      payload: { name: "survivor" },
    });
    expect(created.statusCode).toBe(201);

    await postgres.stop();

    for (const request of [
      { method: "GET" as const, url: "/api/projects" },
      { method: "POST" as const, url: "/api/projects", payload: { name: "lost" } },
      { method: "GET" as const, url: `/api/projects/${created.json<{ id: string }>().id}` },
    ]) {
      const { result: response, ms } = await timed(() => app.api.inject(request));
      expect(response.statusCode, request.url).toBe(503);
      expect(response.json()).toEqual({ error: "Service Unavailable", message: "database unavailable" });
      expect(response.headers["retry-after"]).toBe("5");
      expect(ms).toBeLessThan(3_000);
    }
    expect((await app.api.inject("/health")).statusCode).toBe(200);
    const ready = await app.api.inject("/ready");
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ error: "Service Unavailable", message: "database unavailable" });

    const { result: down, ms } = await timed(() => scrape(app.metricsUrl));
    expect(ms).toBeLessThan(1_000);
    expect(value(down, "db_stats_up")).toBe(0);
    expect(value(down, "db_query_errors_total", { operation: "project_list" })).toBe(1);
    expect(value(down, "db_query_errors_total", { operation: "readiness_check" })).toBe(1);
    expect(
      value(down, "http_requests_total", { route: "/api/projects", method: "GET", status_code: "503" }),
    ).toBe(1);

    await postgres.start();

    await eventually(async () => (await app.api.inject("/api/projects")).statusCode === 200, 10_000);
    const list = await app.api.inject("/api/projects");
    expect(list.json<{ items: { name: string }[] }>().items.map((p) => p.name)).toEqual(["survivor"]);
    expect((await app.api.inject("/ready")).statusCode).toBe(200);
    await eventually(async () => value(await scrape(app.metricsUrl), "db_stats_up") === 1, 10_000);

    const messages = logs.lines.map((l) => l.msg);
    expect(messages).toContain("database connection lost");
    expect(messages).toContain("database unavailable");
    const password = decodeURIComponent(new URL(databaseUrl).password);
    expect(logs.raw.join("\n")).not.toContain(password);
  });
});

describe("the database hangs", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(testConfig(databaseUrl));
  });
  afterAll(() => app.close());

  it("keeps /metrics and /health fast", async () => {
    const processes = serverProcesses();
    expect(processes.length).toBeGreaterThan(1);
    processes.forEach((pid) => process.kill(pid, "SIGSTOP"));
    try {
      const { result: metrics, ms } = await timed(() => scrape(app.metricsUrl));
      expect(ms).toBeLessThan(1_000);
      expect(value(metrics, "db_stats_up")).toBe(0);
      const { result: health, ms: healthMs } = await timed(() => app.api.inject("/health"));
      expect(health.statusCode).toBe(200);
      expect(healthMs).toBeLessThan(200);
    } finally {
      processes.forEach((pid) => process.kill(pid, "SIGCONT"));
    }
  });
});
