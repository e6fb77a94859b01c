// The metrics port as the real Prometheus (the tested version, from .tools/) scrapes it: HTTPS
// verified against the CA with `server_name` (targets found by DNS are addresses, the certificate
// names the service), the token from `authorization.credentials_file`. Without the token, with a
// wrong one, in plain HTTP or for another name, the target is down. The certificate's expiry is
// there to alert on.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/ports";
import { waitFor, type ManagedProcess } from "../../tools/processes";
import { startPrometheus } from "../../tools/prometheus";
import type { PrometheusApi, Target } from "../../tools/prometheus-api";
import { startService, type RunningService } from "../src/server";
import { testConfig } from "./support/app";
import { createServiceCredentials, SERVICE_NAME, type ServiceCredentials } from "../../tools/certificates";
import { freshDatabase } from "./support/database";

let dir: string;
let credentials: ServiceCredentials;
let service: RunningService;
let prometheus: ManagedProcess;
let api: PrometheusApi;

/** One scrape job per way of reaching the metrics port; only `app` has it right. */
function scrapeConfig(target: string, wrongTokenFile: string) {
  const tls = { ca_file: credentials.ca.certFile, server_name: SERVICE_NAME };
  const token = { type: "Bearer", credentials_file: credentials.env.METRICS_BEARER_TOKEN_FILE };
  const job = (job_name: string, settings: object) => ({
    job_name,
    static_configs: [{ targets: [target] }],
    ...settings,
  });
  return {
    global: { scrape_interval: "1s", scrape_timeout: "1s" },
    scrape_configs: [
      job("app", { scheme: "https", tls_config: tls, authorization: token }),
      job("no-token", { scheme: "https", tls_config: tls }),
      job("wrong-token", {
        scheme: "https",
        tls_config: tls,
        authorization: { ...token, credentials_file: wrongTokenFile },
      }),
      job("plain-http", { scheme: "http", authorization: token }),
      job("other-name", {
        scheme: "https",
        tls_config: { ...tls, server_name: "other.showcase.internal" },
        authorization: token,
      }),
    ],
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "service-prometheus-tls-"));
  credentials = await createServiceCredentials(dir);
  const metricsPort = await freePort();
  service = await startService(
    testConfig(await freshDatabase("prom_tls"), {
      HOST: "127.0.0.1",
      PORT: String(await freePort()),
      METRICS_PORT: String(metricsPort),
      ...credentials.env,
    }),
  );
  const wrongTokenFile = join(dir, "wrong-token");
  writeFileSync(wrongTokenFile, "f".repeat(64));
  // JSON is YAML.
  writeFileSync(
    join(dir, "prometheus.yml"),
    JSON.stringify(scrapeConfig(`127.0.0.1:${metricsPort}`, wrongTokenFile)),
  );
  ({ process: prometheus, api } = await startPrometheus(dir, await freePort()));
});
afterAll(async () => {
  await prometheus?.stop();
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("Prometheus scraping the metrics port", () => {
  let targets: Map<string, Target>;
  beforeAll(async () => {
    // Every job has scraped at least once.
    targets = await waitFor(
      "every job's first scrape",
      async () => {
        const found = await api.targets();
        return found.length === 5 && found.every((t) => t.health !== "unknown")
          ? new Map(found.map((t) => [t.labels.job!, t]))
          : undefined;
      },
      30_000,
    );
  });

  it("is up with the CA, the service's name and the token file", () => {
    expect(targets.get("app")).toMatchObject({ health: "up", lastError: "" });
  });

  it("is down without the token, with a wrong one, in plain HTTP, or for another name", () => {
    expect(targets.get("no-token")).toMatchObject({
      health: "down",
      lastError: "server returned HTTP status 401 Unauthorized",
    });
    expect(targets.get("wrong-token")).toMatchObject({
      health: "down",
      lastError: "server returned HTTP status 401 Unauthorized",
    });
    expect(targets.get("plain-http")?.health).toBe("down");
    expect(targets.get("plain-http")?.lastError).toMatch(/EOF|connection reset/);
    expect(targets.get("other-name")?.health).toBe("down");
    expect(targets.get("other-name")?.lastError).toContain(
      `x509: certificate is valid for ${SERVICE_NAME}, localhost, not other.showcase.internal`,
    );
  });

  it("stores the certificate's expiry, to alert on ahead of it", async () => {
    const expiry = await api.query(
      'tls_certificate_not_after_timestamp_seconds{job="app",listener="metrics"} - time()',
    );
    expect(expiry).toHaveLength(1);
    const remaining = Number(expiry[0]!.value[1]);
    const expected = credentials.certificate.notAfter.getTime() / 1000 - expiry[0]!.value[0];
    expect(remaining).toBeCloseTo(expected, 0);
  });
});
