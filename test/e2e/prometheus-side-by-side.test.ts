// Several Prometheus started at once on one set of local credentials, as the memory benchmark
// starts them: each serves HTTPS to its users only. A web config file is re-read at every
// connection, and while it is empty Prometheus serves plain HTTP without auth; rewriting the shared
// file for each start made the benchmark's first Prometheus answer plain HTTP in CI once.
import { mkdtempSync, rmSync, watch, type FSWatcher } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cleanup } from "../../tools/bench/cleanup";
import { startTestedPrometheus } from "../../tools/bench/tested-prometheus";
import { httpsRequest } from "../../tools/https";
import { localClient } from "../../tools/local-stack";
import { createLocalTls, type LocalTls } from "../../tools/local-tls";
import { freePorts } from "../../tools/ports";
import { monitoringProfile } from "../../tools/profiles";
import type { StartedPrometheus } from "../../tools/prometheus";

const COUNT = 3;
let dir: string;
let tls: LocalTls;
let started: StartedPrometheus[];
const cleanup = new Cleanup();
const webConfigChanges: string[] = [];
let watcher: FSWatcher;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "prometheus-side-by-side-"));
  cleanup.add("remove the temp folder", () => rmSync(dir, { recursive: true, force: true }));
  tls = await createLocalTls(dir);
  watcher = watch(tls.webConfigFiles.prometheus, (event) => webConfigChanges.push(event));
  cleanup.add("stop watching the web config", () => watcher.close());
  const ports = await freePorts(COUNT + 1);
  const alertmanagerPort = ports.pop()!;
  started = await Promise.all(
    ports.map((port, i) =>
      startTestedPrometheus({
        dir: join(dir, `prometheus-${i}`),
        port,
        instances: [],
        profile: monitoringProfile("local"),
        tls,
        alertmanagerPort,
        cleanup,
      }),
    ),
  );
}, 120_000);

afterAll(() => cleanup.run());

describe("Prometheus side by side on one set of local credentials", () => {
  it("leaves the shared web config file as it was written while they start", () => {
    expect(webConfigChanges).toEqual([]);
  });

  it("each serves HTTPS to its users only", async () => {
    for (const { api } of started) {
      const url = `${api.baseUrl}/-/ready`;
      expect(url).toMatch(/^https:/);
      const client = localClient(tls, "prometheus");
      expect((await httpsRequest(url, client)).status, `${url} with the operator's password`).toBe(200);
      expect((await httpsRequest(url, { caFile: client.caFile })).status, `${url} without`).toBe(401);
      // Go's TLS server answers plain HTTP with 400 "client sent an HTTP request to an HTTPS server".
      const plain = await httpsRequest(url.replace(/^https:/, "http:"));
      expect(plain.status, `${url} over plain HTTP`).toBe(400);
    }
  });
});
