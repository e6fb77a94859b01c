// DATABASE_SSL=verify-full against a real PostgreSQL with TLS on, its certificate from a test CA
// for `localhost` (as RDS's is for its endpoint's name): the service trusts the CAs of
// DATABASE_CA_CERT_FILE and checks the host name. A wrong CA, a wrong host name or a server without
// TLS leave the service up and degraded (503), never crashed; require encrypts without checking.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/ports";
import { startService, type RunningService } from "../src/server";
import { LogCapture, startTestApp, testConfig } from "./support/app";
import { createCa, type TestCa } from "../../tools/certificates";
import { freshDatabase, privatePostgres, withClient } from "./support/database";

let dir: string;
let ca: TestCa;
let otherCa: TestCa;
let postgres: Awaited<ReturnType<typeof privatePostgres>>;
/** The TLS cluster's database, by `localhost`: the name its certificate carries. */
let databaseUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "service-db-tls-"));
  ca = await createCa(dir, "database");
  otherCa = await createCa(dir, "other");
  const certificate = await ca.issue(["DNS:localhost"]);
  postgres = await privatePostgres({ certFile: certificate.certFile, keyFile: certificate.keyFile });
  const url = new URL(await postgres.createDatabase("tls"));
  url.hostname = "localhost";
  databaseUrl = url.href;
});
afterAll(async () => {
  await postgres?.remove();
  rmSync(dir, { recursive: true, force: true });
});

/** Whether each of the service's connections (by application_name) uses TLS, per the server. */
async function connectionsUseTls(url: string): Promise<Record<string, boolean>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ application_name: string; ssl: boolean }>(
      `SELECT a.application_name, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
       WHERE a.application_name LIKE 'showcase-api%' ORDER BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.application_name, r.ssl]));
  });
}

describe("verify-full with DATABASE_CA_CERT_FILE", () => {
  it("connects over TLS to the server whose certificate the CA signed for the URL's host", async () => {
    const app = await startTestApp(
      testConfig(databaseUrl, { DATABASE_SSL: "verify-full", DATABASE_CA_CERT_FILE: ca.certFile }),
    );
    try {
      expect((await app.api.inject("/ready")).statusCode).toBe(200);
      const created = await app.api.inject({
        method: "POST",
        url: "/api/projects",
        payload: { name: "over tls" },
      });
      expect(created.statusCode).toBe(201);
      // The readiness, metrics and request pools each hold a connection: every one is TLS.
      await app.api.inject("/ready");
      expect(await connectionsUseTls(postgres.url())).toEqual({
        "showcase-api": true,
        "showcase-api-readiness": true,
      });
    } finally {
      await app.close();
    }
  });
});

describe("a database connection that cannot be trusted", () => {
  const running: RunningService[] = [];
  afterAll(() => Promise.all(running.splice(0).map((s) => s.stop())));

  /** The service against `url`, as it runs (migrations retried); waits for a failed migration. */
  async function degraded(url: string, env: Record<string, string>) {
    const logs = new LogCapture();
    const port = await freePort();
    const service = await startService(
      testConfig(url, {
        HOST: "127.0.0.1",
        PORT: String(port),
        METRICS_PORT: String(await freePort()),
        LOG_LEVEL: "info",
        ...env,
      }),
      { logStream: logs },
    );
    running.push(service);
    await expect
      .poll(() => logs.lines.some((l) => l.msg === "migrations failed: not ready, retrying"), {
        timeout: 10_000,
      })
      .toBe(true);
    const base = `http://127.0.0.1:${port}`;
    // Logged as the database being unavailable (503 and retried), with the cause's message.
    const failure = logs.lines.find((l) => l.msg === "migrations failed: not ready, retrying") as {
      err: { type: string; message: string };
    };
    expect(failure.err.type).toBe("DatabaseUnavailableError");
    return { base, failure: failure.err };
  }

  async function expectDegraded(base: string): Promise<void> {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(503);
    const api = await fetch(`${base}/api/projects`);
    expect(api.status).toBe(503);
    expect(api.headers.get("retry-after")).toBe("5");
    expect(await api.json()).toEqual({ error: "Service Unavailable", message: "database unavailable" });
  }

  it("refuses a server certificate from another CA: 503, not a crash", async () => {
    const { base, failure } = await degraded(databaseUrl, {
      DATABASE_SSL: "verify-full",
      DATABASE_CA_CERT_FILE: otherCa.certFile,
    });
    // Node 24 adds a hint about --use-system-ca.
    expect(failure.message).toMatch(/^database unavailable: unable to verify the first certificate/);
    await expectDegraded(base);
  });

  it("refuses a certificate for another host name (the server by its address)", async () => {
    const byAddress = new URL(databaseUrl);
    byAddress.hostname = "127.0.0.1";
    const { base, failure } = await degraded(byAddress.href, {
      DATABASE_SSL: "verify-full",
      DATABASE_CA_CERT_FILE: ca.certFile,
    });
    expect(failure.message).toContain(
      "database unavailable: Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list",
    );
    await expectDegraded(base);
  });

  it("without DATABASE_CA_CERT_FILE trusts Node's public CAs only, not the test CA", async () => {
    const { base, failure } = await degraded(databaseUrl, { DATABASE_SSL: "verify-full" });
    // Node 24 adds a hint about --use-system-ca.
    expect(failure.message).toMatch(/^database unavailable: unable to verify the first certificate/);
    await expectDegraded(base);
  });

  it("refuses to go on without TLS when the server has it off", async () => {
    const plain = await freshDatabase("db_tls_off");
    const { base, failure } = await degraded(plain, {
      DATABASE_SSL: "verify-full",
      DATABASE_CA_CERT_FILE: ca.certFile,
    });
    expect(failure.message).toBe("database unavailable: The server does not support SSL connections");
    await expectDegraded(base);
  });
});

describe("require", () => {
  it("encrypts without checking the certificate (libpq's sslmode=require)", async () => {
    const app = await startTestApp(testConfig(databaseUrl, { DATABASE_SSL: "require" }));
    try {
      expect((await app.api.inject("/ready")).statusCode).toBe(200);
      expect((await connectionsUseTls(postgres.url()))["showcase-api-readiness"]).toBe(true);
    } finally {
      await app.close();
    }
  });
});
