// What the rules and dashboards read from the app's job is what the service exports. The real
// service (in process, TLS and the metrics token on, against a real PostgreSQL) answers traffic (a
// database route, an unmatched URL, the probes), and the tested Prometheus scrapes it as the app's
// job. Every selector of that job in the generated rules and in every dashboard query (the rules'
// recorded series left out) must then find a series with its `=` matchers' values and every label
// the query reads from it. Both sides take metric names from one contract
// (showcase-monitoring-conventions); this catches what sharing names cannot: a label renamed, a
// series the service stops exporting, a name written out on one side.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
import {
  buildDashboards,
  DEFAULT_APP_JOB,
  EVENT_LOOP_LAG_FIGURES,
  HEALTH_PATH,
  isAlert,
  METRICS,
  METRICS_PATH,
  READY_PATH,
  resolveQuery,
  ruleGroups,
  UNMATCHED_ROUTE,
  type PrometheusTarget,
} from "showcase-monitoring/monitoring";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCgroupMemoryLimit, registerRuntimeMetrics } from "../../service/src/metrics/runtime";
import { startService, type RunningService } from "../../service/src/server";
import { testConfig } from "../../service/test/support/app";
import { createServiceCredentials, SERVICE_NAME } from "../../tools/certificates";
import { httpsRequest } from "../../tools/https";
import { freePort } from "../../tools/ports";
import { startPostgres, type PostgresServer } from "../../tools/postgres";
import { waitFor, type ManagedProcess } from "../../tools/processes";
import { startPrometheus } from "../../tools/prometheus";
import type { PrometheusApi } from "../../tools/prometheus-api";
import { RULES_INPUT } from "./support/inputs";
import { printedLabels, selections, type Selection } from "./support/selections";

const JOB = DEFAULT_APP_JOB;
const dirs: string[] = [];
let postgres: PostgresServer;
let service: RunningService;
let prometheus: ManagedProcess;
let api: PrometheusApi;

const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

/** Requests that make every kind of HTTP and database series: a route of each, unmatched, probes. */
async function traffic(base: string, caFile: string): Promise<void> {
  const send = async (path: string, method = "GET", body?: unknown) =>
    (await httpsRequest(`${base}${path}`, { caFile, method, body })).status;
  const created = await httpsRequest(`${base}/api/projects`, {
    caFile,
    method: "POST",
    body: { name: "metered" },
  });
  expect(created.status).toBe(201);
  const { id } = JSON.parse(created.body) as { id: string };
  expect(await send(`/api/projects/${id}`)).toBe(200);
  expect(await send("/api/projects")).toBe(200);
  expect(await send(`/api/projects/${id}`, "PATCH", { name: "renamed" })).toBe(200);
  expect(await send("/no/such/route")).toBe(404);
  expect(await send(HEALTH_PATH)).toBe(200);
  expect(await send(READY_PATH)).toBe(200);
}

beforeAll(async () => {
  const dir = tempDir("service-metrics-");
  postgres = await startPostgres({ dataDir: tempDir("service-metrics-pg-") });
  const credentials = await createServiceCredentials(dir);
  const [port, metricsPort, prometheusPort] = [await freePort(), await freePort(), await freePort()];
  service = await startService(
    testConfig(await postgres.createDatabase("metrics"), {
      HOST: "127.0.0.1",
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      ...credentials.env,
    }),
  );
  await service.migrations;
  await traffic(`https://127.0.0.1:${port}`, credentials.ca.certFile);

  // The app's job as AppService's scraper reaches it: HTTPS to the service's name, the token file.
  const job = {
    job_name: JOB,
    scheme: "https",
    metrics_path: METRICS_PATH,
    tls_config: { ca_file: credentials.ca.certFile, server_name: SERVICE_NAME },
    authorization: { type: "Bearer", credentials_file: credentials.env.METRICS_BEARER_TOKEN_FILE },
    static_configs: [{ targets: [`127.0.0.1:${metricsPort}`] }],
  };
  // JSON is YAML.
  writeFileSync(
    join(dir, "prometheus.yml"),
    JSON.stringify({ global: { scrape_interval: "1s" }, scrape_configs: [job] }),
  );
  ({ process: prometheus, api } = await startPrometheus(dir, prometheusPort));
  await waitFor(
    "a successful scrape of the service",
    async () => ((await api.targets()).some((t) => t.health === "up") ? true : undefined),
    30_000,
  );
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  await service?.stop();
  await postgres?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Read extends Selection {
  where: string;
}

const rules = Object.values(ruleGroups(RULES_INPUT)).flatMap((groups) => groups.flatMap((g) => g.rules));
const recorded = new Set(rules.flatMap((rule) => ("record" in rule ? [rule.record] : [])));
const reads: Read[] = [
  ...rules.flatMap((rule) =>
    isAlert(rule)
      ? selections(rule.expr, printedLabels(rule.annotations.summary, rule.annotations.description)).map(
          (s) => ({ ...s, where: `alert ${rule.alert}` }),
        )
      : selections(rule.expr).map((s) => ({ ...s, where: `recording rule ${rule.record}` })),
  ),
  ...buildDashboards({}).flatMap((dashboard) =>
    dashboard.panels.flatMap((panel) =>
      panel.targets
        .filter((t): t is PrometheusTarget => t.datasource.type === "prometheus")
        .flatMap((t) =>
          selections(resolveQuery(t.expr, { job: JOB }), printedLabels(t.legendFormat)).map((s) => ({
            ...s,
            where: `dashboard ${dashboard.uid} / ${panel.title}`,
          })),
        ),
    ),
  ),
];
const appReads = reads.filter((r) => r.job === JOB && !recorded.has(r.metric));

// process_memory_limit_bytes exists only under a cgroup memory limit (ECS gives every container
// one). Where this machine has none, it is looked up in the service's runtime collector given one.
const memoryLimited = readCgroupMemoryLimit() !== undefined;
let underLimit: Set<string> | undefined;
/** The names the runtime collector registers given a memory limit (its sampler starts once). */
function registeredWithMemoryLimit(): Set<string> {
  if (underLimit === undefined) {
    const registry = new Registry();
    registerRuntimeMetrics(registry, 512 * 1024 ** 2);
    underLimit = new Set(registry.getMetricsAsArray().map((m) => (m as unknown as { name: string }).name));
  }
  return underLimit;
}
/** Prometheus's own labels of every scraped series. */
const TARGET_LABELS = ["job", "instance"];

/** What is wrong with `read` against the scraped series, or undefined when it finds them. */
async function problem(read: Read): Promise<string | undefined> {
  const selector = `${read.metric}{${read.equalities.join(",")}}`;
  if (read.metric === METRICS.memoryLimit && !memoryLimited) {
    const own = read.labels.filter((l) => !TARGET_LABELS.includes(l));
    return registeredWithMemoryLimit().has(read.metric) && own.length === 0
      ? undefined
      : `${selector} with labels ${own.join(", ")}: not what the runtime collector registers under a memory limit`;
  }
  const found = await api.query(`count by (${read.labels.join(", ")}) (${selector})`);
  if (found.length === 0) return `no series ${selector}`;
  if (!found.some((s) => read.labels.every((l) => s.metric[l] !== undefined)))
    return `${selector} has no series with all of ${read.labels.join(", ")}`;
  return undefined;
}

describe("the series of the app's job that the rules and dashboards read", () => {
  it("are selected by job, every one of them", () => {
    expect(reads.filter((r) => r.job === undefined).map((r) => `${r.where}: ${r.metric}`)).toEqual([]);
    expect(appReads.length).toBeGreaterThan(60);
    // Those the rules read and those the dashboards read.
    expect(new Set(appReads.map((r) => r.where.split(" ")[0]))).toEqual(
      new Set(["alert", "recording", "dashboard"]),
    );
  });

  it("are exported by the service, with the label values and labels the queries read", async () => {
    const problems: string[] = [];
    for (const read of appReads) {
      const found = await problem(read);
      if (found !== undefined) problems.push(`${read.where}: ${found}`);
    }
    expect(problems).toEqual([]);
  });

  it("include a route label of the unmatched requests and the database operations", async () => {
    const routes = await api.query(`count by (route) (${METRICS.httpRequests}{job="${JOB}"})`);
    expect(routes.map((s) => s.metric.route).sort()).toEqual(
      ["/api/projects", "/api/projects/:id", HEALTH_PATH, READY_PATH, UNMATCHED_ROUTE].sort(),
    );
    const operations = await api.query(
      `count by (operation) (${METRICS.dbQueryDuration}_count{job="${JOB}"} > 0)`,
    );
    expect(operations.map((s) => s.metric.operation)).toEqual(
      expect.arrayContaining(["project_create", "project_get", "project_list", "project_update"]),
    );
  });
});

describe("the contract's metric names", () => {
  it("are all exported by the service", async () => {
    const names = new Set(
      (await api.query(`group by (__name__) ({job="${JOB}"})`)).map((s) => s.metric.__name__),
    );
    const contract = Object.values(METRICS).flatMap((name) =>
      typeof name === "string" ? [name] : EVENT_LOOP_LAG_FIGURES.map(name),
    );
    const missing = contract.filter(
      (name) =>
        !names.has(name) &&
        !names.has(`${name}_bucket`) &&
        !(name === METRICS.memoryLimit && !memoryLimited && registeredWithMemoryLimit().has(name)),
    );
    expect(missing).toEqual([]);
  });
});
