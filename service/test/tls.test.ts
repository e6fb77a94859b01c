// TLS on both ports and the bearer token on /metrics, on a real service listening on loopback,
// with certificates of a test CA: HTTPS only, 401s that say why, the certificate's expiry as a
// metric, a reload that swaps certificate and token (and keeps them when a file is wrong), and a
// stop that closes TLS connections as it closes plain ones.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/ports";
import { startService, type RunningService } from "../src/server";
import { LogCapture, testConfig } from "./support/app";
import { createServiceCredentials, type ServiceCredentials } from "../../tools/certificates";
import { freshDatabase, lockProject, waitUntilBlocked } from "./support/database";
import { httpsRequest } from "../../tools/https";
import { parseExposition, value } from "./support/prom-text";
import { openRaw } from "./support/raw-http";

let dir: string;
let databaseUrl: string;
let credentials: ServiceCredentials;
const running: RunningService[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "service-tls-"));
  databaseUrl = await freshDatabase("tls");
  credentials = await createServiceCredentials(dir);
});
afterAll(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

interface Started {
  service: RunningService;
  logs: LogCapture;
  port: number;
  metricsPort: number;
  api: string;
  metrics: string;
}

async function start(env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const metricsPort = await freePort();
  const logs = new LogCapture();
  const config = testConfig(databaseUrl, {
    HOST: "127.0.0.1",
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    LOG_LEVEL: "info",
    ...env,
  });
  const service = await startService(config, { logStream: logs });
  running.push(service);
  await service.migrations;
  return {
    service,
    logs,
    port,
    metricsPort,
    api: `https://127.0.0.1:${port}`,
    metrics: `https://127.0.0.1:${metricsPort}`,
  };
}

/** Copies of the shared credentials' files, for a service whose files a test replaces. */
function ownFiles(name: string): ServiceCredentials["env"] {
  const own = {
    TLS_CERT_FILE: join(dir, `${name}.crt`),
    TLS_KEY_FILE: join(dir, `${name}.key`),
    METRICS_BEARER_TOKEN_FILE: join(dir, `${name}.token`),
  };
  for (const key of Object.keys(own) as (keyof typeof own)[]) copyFileSync(credentials.env[key], own[key]);
  return own;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("with TLS_CERT_FILE, TLS_KEY_FILE and METRICS_BEARER_TOKEN_FILE", () => {
  let started: Started;
  beforeAll(async () => {
    started = await start(credentials.env);
  });

  it("serves the API, /health and /ready over HTTPS with the certificate, and nothing in plain HTTP", async () => {
    const ca = { caFile: credentials.ca.certFile };
    const health = await httpsRequest(`${started.api}/health`, ca);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: "ok" });
    expect(health.serialNumber).toBe(credentials.certificate.serialNumber);
    expect((await httpsRequest(`${started.api}/ready`, ca)).status).toBe(200);
    const created = await httpsRequest(`${started.api}/api/projects`, {
      ...ca,
      method: "POST",
      body: { name: "tls" },
    });
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ name: "tls" });
    // The public API needs no token.
    expect((await httpsRequest(`${started.api}/api/projects`, ca)).status).toBe(200);

    await expect(fetch(`http://127.0.0.1:${started.port}/health`)).rejects.toThrow("fetch failed");
    // Verified against the test CA only: a client trusting Node's public CAs refuses it.
    await expect(fetch(`${started.api}/health`)).rejects.toThrow("fetch failed");
  });

  it("answers /metrics over HTTPS with the token, 401 in JSON without it or with a wrong one", async () => {
    const ca = { caFile: credentials.ca.certFile };
    const missing = await httpsRequest(`${started.metrics}/metrics`, ca);
    expect(missing.status).toBe(401);
    expect(missing.headers["www-authenticate"]).toBe('Bearer realm="metrics"');
    expect(missing.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(missing.body)).toEqual({
      error: "Unauthorized",
      message: "a bearer token is required",
    });

    const wrongToken = "0".repeat(credentials.token.length);
    for (const authorization of [
      `Bearer ${wrongToken}`,
      `Bearer ${credentials.token}x`,
      `Basic ${credentials.token}`,
    ]) {
      const wrong = await httpsRequest(`${started.metrics}/metrics`, { ...ca, headers: { authorization } });
      expect(wrong.status).toBe(401);
      expect(wrong.headers["www-authenticate"]).toBe('Bearer realm="metrics", error="invalid_token"');
      expect(JSON.parse(wrong.body)).toEqual({
        error: "Unauthorized",
        message: "the bearer token is not valid",
      });
    }
    // Without the token, the port tells nothing, not even which paths exist.
    expect((await httpsRequest(`${started.metrics}/anything`, ca)).status).toBe(401);

    const ok = await httpsRequest(`${started.metrics}/metrics`, {
      ...ca,
      headers: bearer(credentials.token),
    });
    expect(ok.status).toBe(200);
    expect(ok.serialNumber).toBe(credentials.certificate.serialNumber);
    expect(ok.body).toMatch(/^http_requests_total\{/m);
    // The scheme is case-insensitive (RFC 7235).
    const lower = { ...ca, headers: { authorization: `bearer ${credentials.token}` } };
    expect((await httpsRequest(`${started.metrics}/metrics`, lower)).status).toBe(200);
    expect(
      (await httpsRequest(`${started.metrics}/health`, { ...ca, headers: bearer(credentials.token) })).status,
    ).toBe(404);

    await expect(fetch(`http://127.0.0.1:${started.metricsPort}/metrics`)).rejects.toThrow("fetch failed");

    const refusals = started.logs.lines.filter((l) => l.msg === "/metrics refused: bearer token invalid");
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    expect(started.logs.lines).toContainEqual(
      expect.objectContaining({ msg: "/metrics refused: bearer token missing" }),
    );
    const everything = started.logs.raw.join("\n");
    expect(everything).not.toContain(credentials.token);
    expect(everything).not.toContain(wrongToken);
  });

  it("exposes when the served certificate expires, for each listener", async () => {
    const answer = await httpsRequest(`${started.metrics}/metrics`, {
      caFile: credentials.ca.certFile,
      headers: bearer(credentials.token),
    });
    const exposition = parseExposition(answer.body);
    const family = exposition.get("tls_certificate_not_after_timestamp_seconds");
    expect(family?.type).toBe("gauge");
    const expected = credentials.certificate.notAfter.getTime() / 1000;
    for (const listener of ["api", "metrics"])
      expect(value(exposition, "tls_certificate_not_after_timestamp_seconds", { listener })).toBe(expected);
  });
});

describe("reloading the certificate and the token", () => {
  it("gives new connections the new ones, and keeps those in use when a file is wrong", async () => {
    const files = ownFiles("reload");
    const started = await start(files);
    const ca = { caFile: credentials.ca.certFile };
    const scrape = async (token: string) =>
      httpsRequest(`${started.metrics}/metrics`, { ...ca, headers: bearer(token) });

    // A certificate for 30 days whose file also holds its CA (2 days): the chain ends with the CA.
    const next = await credentials.ca.issue(["DNS:localhost", "IP:127.0.0.1"], 30);
    copyFileSync(next.chainFile, files.TLS_CERT_FILE);
    copyFileSync(next.keyFile, files.TLS_KEY_FILE);
    const newToken = "n".repeat(40);
    // During a rotation the file may hold the new token and the old one.
    writeFileSync(files.METRICS_BEARER_TOKEN_FILE, `${newToken}\n${credentials.token}\n`);
    expect(started.service.app.reloadCredentials()).toBe(true);

    const health = await httpsRequest(`${started.api}/health`, ca);
    expect(health.serialNumber).toBe(next.serialNumber);
    const withNew = await scrape(newToken);
    expect(withNew.status).toBe(200);
    expect(withNew.serialNumber).toBe(next.serialNumber);
    expect((await scrape(credentials.token)).status).toBe(200);
    const exposition = parseExposition(withNew.body);
    expect(value(exposition, "tls_certificate_not_after_timestamp_seconds", { listener: "api" })).toBe(
      credentials.ca.notAfter.getTime() / 1000,
    );
    expect(started.logs.lines).toContainEqual(
      expect.objectContaining({ msg: "credentials reloaded", metricsTokens: 2 }),
    );

    // Only the new token from now on.
    writeFileSync(files.METRICS_BEARER_TOKEN_FILE, newToken);
    expect(started.service.app.reloadCredentials()).toBe(true);
    expect((await scrape(credentials.token)).status).toBe(401);

    // A key that is not the certificate's, and a token too short: nothing changes.
    copyFileSync(credentials.certificate.keyFile, files.TLS_KEY_FILE);
    writeFileSync(files.METRICS_BEARER_TOKEN_FILE, "short-secret-token");
    expect(started.service.app.reloadCredentials()).toBe(false);
    expect((await httpsRequest(`${started.api}/health`, ca)).serialNumber).toBe(next.serialNumber);
    expect((await scrape(newToken)).status).toBe(200);
    const failure = started.logs.lines.find(
      (l) => l.msg === "reload failed: the certificate and tokens in use stay",
    );
    expect(failure?.problems).toEqual([
      `TLS_KEY_FILE (${files.TLS_KEY_FILE}) is not the private key of the first certificate in TLS_CERT_FILE (${files.TLS_CERT_FILE})`,
      `METRICS_BEARER_TOKEN_FILE (${files.METRICS_BEARER_TOKEN_FILE}): the token on line 1 must be at least 32 characters of A-Z a-z 0-9 - . _ ~ + / (e.g. \`openssl rand -hex 32\`); not shown`,
    ]);
    const everything = started.logs.raw.join("\n");
    expect(everything).not.toContain("short-secret-token");
    expect(everything).not.toContain("PRIVATE KEY");
  });
});

describe("stopping with TLS", () => {
  it("closes connections idle or still in their handshake at once, and drains the one in flight", async () => {
    const started = await start(credentials.env);
    const ca = { caFile: credentials.ca.certFile };
    const agent = new Agent({ keepAlive: true });
    const project = JSON.parse(
      (
        await httpsRequest(`${started.api}/api/projects`, {
          ...ca,
          method: "POST",
          body: { name: "slow" },
          agent,
        })
      ).body,
    ) as { id: string };
    const lock = await lockProject(databaseUrl, project.id);
    let released = false;
    const release = async () => {
      if (!released) await lock.release();
      released = true;
    };
    try {
      // A TLS connection that has sent no request yet (as a load balancer opens them ahead), and
      // TCP connections that never begin their handshake, on both ports.
      const idle = tlsConnect({
        port: started.port,
        host: "127.0.0.1",
        ca: readFileSync(credentials.ca.certFile),
      });
      const idleClosed = new Promise<void>((resolve) => idle.once("close", () => resolve()));
      idle.on("error", () => undefined);
      await new Promise((resolve) => idle.once("secureConnect", resolve));
      const silentApi = await openRaw(started.port);
      const silentMetrics = await openRaw(started.metricsPort);

      const inFlight = httpsRequest(`${started.api}/api/projects/${project.id}`, {
        ...ca,
        method: "PATCH",
        body: { name: "finished" },
        agent,
      }).catch((error: Error) => error);
      await waitUntilBlocked(databaseUrl);
      running.splice(running.indexOf(started.service), 1);
      const stopped = started.service.stop();

      // Well before the 10 s handshake bound, which would otherwise be what closes the silent ones.
      let closed = false;
      void Promise.all([idleClosed, silentApi.closed]).then(() => (closed = true));
      await expect.poll(() => closed, { timeout: 5_000 }).toBe(true);

      await release();
      const answer = await inFlight;
      if (answer instanceof Error) throw answer;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ name: "finished" });
      expect(answer.headers.connection).toBe("close");
      const releasedAt = Date.now();
      expect(await stopped).toBe(true);
      expect(await silentMetrics.closed).toBe("");
      expect(Date.now() - releasedAt).toBeLessThan(5_000);
    } finally {
      await release();
      agent.destroy();
    }
  });
});
