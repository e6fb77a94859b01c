// Clients that break the protocol or take their time, against the real HTTP server: every refusal
// is the API's JSON error shape, refusals before routing are counted, and nothing waits for ever.
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, testConfig, type TestApp } from "./support/app";
import { freshDatabase } from "./support/database";
import { scrape, value, type Exposition } from "./support/prom-text";
import { exchange, openRaw, parseAnswer, trickle } from "./support/raw-http";

let app: TestApp;
let port: number;
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await freshDatabase("hostile");
  // Short bounds so that the slow cases end in about a second.
  app = await startTestApp(
    testConfig(databaseUrl, { KEEP_ALIVE_TIMEOUT_MS: "1000", REQUEST_TIMEOUT_MS: "1000" }),
  );
  await app.api.listen({ host: "127.0.0.1", port: 0 });
  port = (app.api.server.address() as AddressInfo).port;
});
afterAll(() => app.close());

const refused = (m: Exposition, reason: string) => value(m, "http_client_errors_total", { reason });
const json = (text: string) => JSON.parse(text) as unknown;

describe("refused before routing: JSON like every 4xx, and counted", () => {
  it.each([
    [
      "an unknown method",
      "BREW /health HTTP/1.1\r\nHost: x\r\n\r\n",
      400,
      "malformed",
      "malformed request: Invalid method encountered (HPE_INVALID_METHOD)",
    ],
    [
      "a header line without a colon",
      "GET /health HTTP/1.1\r\nHost: x\r\nnot a header\r\n\r\n",
      400,
      "malformed",
      "malformed request: Invalid header token (HPE_INVALID_HEADER_TOKEN)",
    ],
    [
      "a request line that is not HTTP",
      "hello\r\n\r\n",
      400,
      "malformed",
      "malformed request: Invalid method encountered (HPE_INVALID_METHOD)",
    ],
    [
      "a bad chunk size",
      "POST /api/projects HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
      400,
      "malformed",
      "malformed request: Invalid character in chunk size (HPE_INVALID_CHUNK_SIZE)",
    ],
    [
      "both Content-Length and chunked",
      "POST /api/projects HTTP/1.1\r\nHost: x\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n{}",
      400,
      "malformed",
      "malformed request: Transfer-Encoding can't be present with Content-Length (HPE_INVALID_TRANSFER_ENCODING)",
    ],
    [
      "headers over Node's 16 KiB",
      `GET /health HTTP/1.1\r\nHost: x\r\nx-big: ${"a".repeat(20_000)}\r\n\r\n`,
      431,
      "headers_too_large",
      "the request headers are too large",
    ],
    [
      "an HTTP/1.1 request without Host",
      "GET /health HTTP/1.1\r\n\r\n",
      400,
      "missing_host",
      "the Host header is required",
    ],
  ])("%s", async (_case, bytes, status, reason, message) => {
    const before = await scrape(app.metricsUrl);
    const answer = await exchange(port, bytes);
    expect(answer.status).toBe(status);
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    expect(json(answer.body)).toEqual({ error: expect.any(String) as string, message });
    const after = await scrape(app.metricsUrl);
    expect(refused(after, reason) - refused(before, reason)).toBe(1);
  });

  it("counts nothing for a well-formed request, and accepts HTTP/1.0 without Host", async () => {
    const before = await scrape(app.metricsUrl);
    const answer = await exchange(port, "GET /health HTTP/1.0\r\n\r\n");
    expect(answer.status).toBe(200);
    const after = await scrape(app.metricsUrl);
    for (const reason of ["malformed", "headers_too_large", "timeout", "missing_host"])
      expect(refused(after, reason), reason).toBe(refused(before, reason));
  });

  it("answers headers that trickle in beyond KEEP_ALIVE_TIMEOUT_MS with 408 JSON", async () => {
    const before = await scrape(app.metricsUrl);
    const connection = await openRaw(port);
    trickle(connection, `GET /health HTTP/1.1\r\nHost: x\r\nx-slow: ${"a".repeat(100)}\r\n\r\n`, 100);
    const answer = parseAnswer(await connection.closed);
    expect(answer.status).toBe(408);
    expect(json(answer.body)).toEqual({
      error: "Request Timeout",
      message: "the request did not arrive in time",
    });
    expect(refused(await scrape(app.metricsUrl), "timeout") - refused(before, "timeout")).toBe(1);
  });
});

describe("REQUEST_TIMEOUT_MS, from the headers to the answer", () => {
  it("answers a body sent a byte at a time with 408 JSON and closes the connection", async () => {
    const labels = { method: "POST", route: "/api/projects", status_code: "408" };
    const count = (m: Exposition) => {
      try {
        return value(m, "http_requests_total", labels);
      } catch {
        return 0;
      }
    };
    const before = await scrape(app.metricsUrl);
    const connection = await openRaw(port);
    const body = JSON.stringify({ name: "slow" });
    connection.socket.write(
      `POST /api/projects HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    trickle(connection, body, 200);
    const answer = parseAnswer(await connection.closed);
    expect(answer.status).toBe(408);
    expect(answer.headers.connection).toBe("close");
    expect(json(answer.body)).toEqual({
      error: "Request Timeout",
      message: "the request body did not arrive within 1000 ms",
    });
    expect(count(await scrape(app.metricsUrl)) - count(before)).toBe(1);
  });

  it("answers a request still unanswered then with 503 and Retry-After", async () => {
    // Every connection of the main pool taken: the request waits for one (up to 2 s).
    const held = await Promise.all(
      Array.from({ length: app.pools.main.options.max }, () => app.pools.main.connect()),
    );
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/projects`);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.json()).toEqual({
        error: "Service Unavailable",
        message: "the request was not answered within 1000 ms",
      });
    } finally {
      held.forEach((client) => client.release());
    }
  });
});

describe("the server's bounds", () => {
  it("waits KEEP_ALIVE_TIMEOUT_MS (above the ALB's 60 s) for a request, first or next, by default", async () => {
    const defaults = await startTestApp(testConfig(databaseUrl));
    try {
      const server = defaults.api.server;
      expect(server.keepAliveTimeout).toBe(75_000);
      expect(server.headersTimeout).toBe(75_000);
      expect(server.timeout).toBe(75_000 + 15_000);
      expect(server.requestTimeout).toBe(75_000 + 15_000);
    } finally {
      await defaults.close();
    }
  });
});
