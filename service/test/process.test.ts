// The service as a real process: configuration errors, start-up failure, SIGHUP reloading the
// certificate, and SIGTERM with requests in flight on keep-alive connections.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest, Agent, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/ports";
import { createServiceCredentials } from "../../tools/certificates";
import { freshDatabase, lockProject, privatePostgres, waitUntilBlocked } from "./support/database";
import { httpsRequest } from "../../tools/https";
import { startServiceProcess, type ServiceProcess } from "./support/process";
import { openRaw, parseAnswer, trickle } from "./support/raw-http";

let databaseUrl: string;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  databaseUrl = await freshDatabase("process");
});
afterEach(() => running.splice(0).forEach((p) => p.kill()));

/** The service on free loopback ports, against the test database unless `env` names another. */
async function spawn(env: Record<string, string> = {}) {
  const port = await freePort();
  const service = startServiceProcess({
    DATABASE_URL: databaseUrl,
    HOST: "127.0.0.1",
    PORT: String(port),
    METRICS_PORT: String(await freePort()),
    ...env,
  });
  running.push(service);
  return { service, port, base: `http://127.0.0.1:${port}` };
}

/** spawn, then wait until /ready answers 200 (plain HTTP). */
async function start(env: Record<string, string> = {}) {
  const started = await spawn(env);
  await started.service.waitFor(`${started.base}/ready`);
  return started;
}

interface Answer {
  status: number;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A request on the given agent (keep-alive), so the socket outlives the request. */
function send(agent: Agent, url: string, method = "GET", body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { agent, method, headers: { "content-type": "application/json" } },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.on("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

describe("configuration errors", () => {
  it.each([
    [{ PORT: "http" }, "PORT must be an integer from 1 to 65535"],
    [{ LOG_LEVEL: "chatty" }, "LOG_LEVEL must be one of"],
    [{ DATABASE_URL: "" }, "DATABASE_URL is required"],
    [
      { TRUST_PROXY: "everyone" },
      'TRUST_PROXY must be comma-separated IP addresses or CIDRs, got "everyone"',
    ],
    [
      { TLS_CERT_FILE: "/nonexistent/tls.crt", TLS_KEY_FILE: "/nonexistent/tls.key" },
      "TLS_CERT_FILE cannot be read (/nonexistent/tls.crt): ENOENT",
    ],
    [
      { METRICS_BEARER_TOKEN_FILE: "/run/token" },
      "METRICS_BEARER_TOKEN_FILE needs TLS_CERT_FILE and TLS_KEY_FILE",
    ],
  ])("%j: exit 1 with a message naming the variable", async (env, message) => {
    const service = startServiceProcess({
      DATABASE_URL: "postgres://u:hunter2-secret@127.0.0.1:1/db",
      ...env,
    });
    running.push(service);
    expect(await service.exit()).toEqual({ code: 1, signal: null });
    expect(service.output()).toContain("invalid configuration:");
    expect(service.output()).toContain(message);
    expect(service.output()).not.toContain("hunter2-secret");
  });

  it("an unreachable database at start-up: serves degraded, the password never logged, then recovers", async () => {
    const postgres = await privatePostgres();
    try {
      const url = await postgres.createDatabase("late_start");
      await postgres.stop();
      const { service, base } = await spawn({ DATABASE_URL: url });
      await service.waitFor(`${base}/health`);
      expect((await fetch(`${base}/ready`)).status).toBe(503);
      const api = await fetch(`${base}/api/projects`);
      expect(api.status).toBe(503);
      expect(api.headers.get("retry-after")).toBe("5");
      expect(await api.json()).toMatchObject({ message: "database unavailable" });
      expect(service.child.exitCode).toBeNull();

      await postgres.start();
      await service.waitFor(`${base}/ready`, 45_000);
      expect((await fetch(`${base}/api/projects`)).status).toBe(200);
      expect(service.output()).toContain("migrations failed: not ready, retrying");
      expect(service.output()).not.toContain(new URL(url).password);
    } finally {
      await postgres.remove();
    }
  });
});

describe("SIGHUP", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "service-process-tls-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reloads the certificate and key: new connections get the new one, the process goes on", async () => {
    const credentials = await createServiceCredentials(dir);
    const { service, port } = await spawn(credentials.env);
    const presented = () =>
      httpsRequest(`https://127.0.0.1:${port}/ready`, { caFile: credentials.ca.certFile }).then(
        (answer) => (answer.status === 200 ? answer.serialNumber : `HTTP ${answer.status}`),
        (error: Error) => error.message,
      );
    await expect.poll(presented, { timeout: 20_000 }).toBe(credentials.certificate.serialNumber);

    const next = await credentials.ca.issue(["IP:127.0.0.1"]);
    copyFileSync(next.certFile, credentials.env.TLS_CERT_FILE);
    copyFileSync(next.keyFile, credentials.env.TLS_KEY_FILE);
    service.child.kill("SIGHUP");
    await expect.poll(presented, { timeout: 10_000 }).toBe(next.serialNumber);
    expect(service.child.exitCode).toBeNull();
    expect(service.output()).toContain('"msg":"credentials reloaded"');

    service.child.kill("SIGTERM");
    expect(await service.exit()).toEqual({ code: 0, signal: null });
  });

  it("without TLS, reloads nothing and does not stop the process (Node's default for SIGHUP)", async () => {
    const { service, base } = await start({ LOG_LEVEL: "info" });
    service.child.kill("SIGHUP");
    await expect.poll(() => service.output().includes('"msg":"credentials reloaded"')).toBe(true);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(service.child.exitCode).toBeNull();
  });
});

describe("SIGTERM", () => {
  let agent: Agent;
  beforeAll(() => {
    agent = new Agent({ keepAlive: true, maxSockets: 4 });
  });
  afterAll(() => agent.destroy());

  it("drains an in-flight request on a keep-alive connection, refuses new ones, exits 0", async () => {
    const { service, port, base } = await start({ KEEP_ALIVE_TIMEOUT_MS: "600000", LOG_LEVEL: "info" });
    const project = JSON.parse(
      (await send(agent, `${base}/api/projects`, "POST", { name: "slow" })).body,
    ) as {
      id: string;
    };
    // An idle keep-alive socket, and one that will carry the in-flight request.
    expect((await send(agent, `${base}/health`)).headers.connection).toBe("keep-alive");

    const lock = await lockProject(databaseUrl, project.id);
    const inFlight = send(agent, `${base}/api/projects/${project.id}`, "PATCH", { name: "finished" });
    await waitUntilBlocked(databaseUrl);
    const signalledAt = Date.now();
    service.child.kill("SIGTERM");

    // No new connections while draining.
    await expect.poll(() => connectionRefused(port), { timeout: 2_000 }).toBe(true);
    expect(service.child.exitCode).toBeNull();

    await new Promise((resolve) => setTimeout(resolve, 300));
    await lock.release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ id: project.id, name: "finished" });
    expect(answer.headers.connection).toBe("close");

    expect(await service.exit()).toEqual({ code: 0, signal: null });
    // Well under the keep-alive timeout: the keep-alive sockets did not hold the process.
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    expect(service.output()).toContain("shutting down: not ready, draining in-flight requests");
    expect(service.output()).toContain('"drained":true');
  });

  it("cuts requests still in flight after SHUTDOWN_TIMEOUT_MS and exits 1", async () => {
    const { service, base } = await start({ SHUTDOWN_TIMEOUT_MS: "1000" });
    const project = JSON.parse(
      (await send(agent, `${base}/api/projects`, "POST", { name: "stuck" })).body,
    ) as {
      id: string;
    };
    const lock = await lockProject(databaseUrl, project.id);
    try {
      const inFlight = send(agent, `${base}/api/projects/${project.id}`, "PATCH", { name: "never" }).catch(
        (error: Error) => error,
      );
      await waitUntilBlocked(databaseUrl);
      const signalledAt = Date.now();
      service.child.kill("SIGTERM");
      expect(await service.exit()).toEqual({ code: 1, signal: null });
      const elapsed = Date.now() - signalledAt;
      expect(elapsed).toBeGreaterThanOrEqual(1_000);
      expect(elapsed).toBeLessThan(5_000);
      expect(await inFlight).toBeInstanceOf(Error);
      expect(service.output()).toContain("requests still in flight after the drain timeout");
    } finally {
      await lock.release();
    }
  });

  it("closes connections with nothing in flight at once, whatever their state, and exits 0", async () => {
    const { service, port, base } = await start({ LOG_LEVEL: "info" });
    // Opened ahead of any request (as load balancers do), sending its headers slowly, and idle
    // after a keep-alive answer.
    const silent = await openRaw(port);
    const slowHeaders = await openRaw(port);
    trickle(slowHeaders, "GET /health HTTP/1.1\r\nHost: x\r\n" + "x-slow: a\r\n".repeat(100), 200);
    expect((await send(agent, `${base}/health`)).headers.connection).toBe("keep-alive");

    const signalledAt = Date.now();
    service.child.kill("SIGTERM");
    expect(await silent.closed).toBe("");
    await slowHeaders.closed;
    expect(await service.exit()).toEqual({ code: 0, signal: null });
    // Not the drain bound (SHUTDOWN_TIMEOUT_MS, 20 s by default): nothing had to drain.
    expect(Date.now() - signalledAt).toBeLessThan(20_000);
    expect(service.output()).toContain('"drained":true');
  });

  it("answers a body still arriving at REQUEST_TIMEOUT_MS with 408, and then exits 0", async () => {
    const { service, port } = await start({ REQUEST_TIMEOUT_MS: "1000", LOG_LEVEL: "info" });
    const slowBody = await openRaw(port);
    const body = JSON.stringify({ name: "one byte a second" });
    slowBody.socket.write(
      `POST /api/projects HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    trickle(slowBody, body, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    service.child.kill("SIGTERM");

    const answer = parseAnswer(await slowBody.closed);
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toEqual({
      error: "Request Timeout",
      message: "the request body did not arrive within 1000 ms",
    });
    expect(await service.exit()).toEqual({ code: 0, signal: null });
    expect(service.output()).toContain('"drained":true');
  });

  it("a second signal while draining does not interrupt the drain", async () => {
    const { service } = await start({ LOG_LEVEL: "info" });
    service.child.kill("SIGTERM");
    service.child.kill("SIGINT");
    expect(await service.exit()).toEqual({ code: 0, signal: null });
  });
});
