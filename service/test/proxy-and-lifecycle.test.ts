// Behind the ALB: whose X-Forwarded-For is believed, keep-alive beyond the ALB's idle timeout,
// and what clients see once shutdown has begun.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogCapture, startTestApp, testConfig, type TestApp } from "./support/app";
import { freshDatabase } from "./support/database";

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase("proxy");
});

/** The client address the app logged for one request from `remoteAddress`. */
async function loggedClient(app: TestApp, logs: LogCapture, remoteAddress: string): Promise<unknown> {
  await app.api.inject({ url: "/health", remoteAddress, headers: { "x-forwarded-for": "203.0.113.9" } });
  const line = logs.lines.findLast((l) => l.msg === "incoming request") as { req: { remoteAddress: string } };
  return line.req.remoteAddress;
}

describe("TRUST_PROXY", () => {
  it("believes X-Forwarded-For only from the configured ranges", async () => {
    const logs = new LogCapture();
    const app = await startTestApp(
      testConfig(databaseUrl, { LOG_LEVEL: "info", TRUST_PROXY: "10.0.0.0/8" }),
      {
        logs,
      },
    );
    try {
      expect(await loggedClient(app, logs, "10.1.2.3")).toBe("203.0.113.9");
      expect(await loggedClient(app, logs, "192.168.1.1")).toBe("192.168.1.1");
    } finally {
      await app.close();
    }
  });

  it("believes nobody by default", async () => {
    const logs = new LogCapture();
    const app = await startTestApp(testConfig(databaseUrl, { LOG_LEVEL: "info" }), { logs });
    try {
      expect(await loggedClient(app, logs, "10.1.2.3")).toBe("10.1.2.3");
    } finally {
      await app.close();
    }
  });
});

describe("keep-alive", () => {
  it("outlasts the ALB's 60 s idle timeout by default, and follows KEEP_ALIVE_TIMEOUT_MS", async () => {
    const app = await startTestApp(testConfig(databaseUrl));
    const custom = await startTestApp(testConfig(databaseUrl, { KEEP_ALIVE_TIMEOUT_MS: "90000" }));
    try {
      expect(app.api.server.keepAliveTimeout).toBe(75_000);
      expect(custom.api.server.keepAliveTimeout).toBe(90_000);
    } finally {
      await Promise.all([app.close(), custom.close()]);
    }
  });
});

describe("once shutdown has begun", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(testConfig(databaseUrl));
  });
  afterAll(() => app.close());

  it("is not ready, stays alive, and closes every connection after its answer", async () => {
    expect((await app.api.inject("/ready")).headers.connection).not.toBe("close");
    app.beginShutdown();
    const ready = await app.api.inject("/ready");
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ error: "Service Unavailable", message: "shutting down" });
    expect(ready.headers.connection).toBe("close");
    const health = await app.api.inject("/health");
    expect(health.statusCode).toBe(200);
    expect(health.headers.connection).toBe("close");
    expect((await app.api.inject("/api/projects")).headers.connection).toBe("close");
  });
});
