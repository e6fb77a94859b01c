// No ceiling on the app's task count: the Cloud Map discovery sidecar's script (as the stack runs it)
// turns a DiscoverInstances answer listing 12 tasks — more than the 8 records a Cloud Map DNS answer
// holds — into the file_sd file a real Prometheus, configured by the generator as in AWS, scrapes.
// The 12 "tasks" are real service processes on 127.0.0.10-21 with the same ports, as tasks have
// in a VPC. Scale-in and an unreachable API are followed the way the stack needs.
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLOUD_MAP_DISCOVERY_SCRIPT,
  CLOUD_MAP_TARGETS_QUERY,
  discoveryTargetsVariable,
  INSTANCE_ID_LABEL,
  renderPrometheusConfig,
} from "showcase-monitoring/monitoring";
import { buildService, REPO_ROOT } from "../../tools/local-stack";
import { freePort } from "../../tools/ports";
import { startProcess, waitFor, waitForHttp, type ManagedProcess } from "../../tools/processes";
import { startPrometheus } from "../../tools/prometheus";
import type { PrometheusApi } from "../../tools/prometheus-api";

const TASKS = 12;
const NAMESPACE = "prod.showcase.internal";
const SERVICE = "app";
const EXPORTER_PORT = 9779;
const hosts = Array.from({ length: TASKS }, (_, i) => `127.0.0.${10 + i}`);
const taskId = (host: string) => `${host.split(".").pop()?.padStart(4, "0")}a1b2c3d4e5f60718293a4b5c6d7e8f`;

/** A DiscoverInstances answer in the API's shape (HttpInstanceSummary), with ECS's attributes. */
function answer(list: string[]) {
  return {
    Instances: list.map((host) => ({
      InstanceId: taskId(host),
      NamespaceName: NAMESPACE,
      ServiceName: SERVICE,
      HealthStatus: "HEALTHY",
      Attributes: {
        AWS_INSTANCE_IPV4: host,
        AWS_INIT_HEALTH_STATUS: "HEALTHY",
        AVAILABILITY_ZONE: "us-east-1a",
        ECS_CLUSTER_NAME: "showcase-monitoring-prod",
        ECS_SERVICE_NAME: "app-service",
        ECS_TASK_DEFINITION_FAMILY: "showcase-monitoring-prod-app",
        REGION: "us-east-1",
      },
    })),
    InstancesRevision: 7,
  };
}

let dir: string;
let api: PrometheusApi;
let sidecarLog: string;
const processes: ManagedProcess[] = [];
const paths = () => ({
  response: join(dir, "discover-instances.json"),
  fail: join(dir, "fail"),
  calls: join(dir, "calls.jsonl"),
  targets: join(dir, "discovery", "targets.json"),
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cloud-map-discovery-"));
  mkdirSync(join(dir, "discovery"));
  mkdirSync(join(dir, "bin"));
  const stub = join(REPO_ROOT, "test", "e2e", "support", "aws-cli-stub.ts");
  writeFileSync(
    join(dir, "bin", "aws"),
    `#!/bin/sh\nexec "${process.execPath}" --import tsx "${stub}" "$@"\n`,
    {
      mode: 0o755,
    },
  );
  writeFileSync(paths().response, JSON.stringify(answer(hosts)));
  writeFileSync(paths().calls, "");

  await buildService();
  const [apiPort, metricsPort, prometheusPort] = [await freePort(), await freePort(), await freePort()];
  // No database: a task without one still serves /metrics (it degrades, it does not crash).
  for (const host of hosts) {
    const service = startProcess({
      name: `service@${host}`,
      command: process.execPath,
      args: ["dist/main.js"],
      cwd: join(REPO_ROOT, "service"),
      logFile: join(dir, "logs", `service-${host}.log`),
      env: {
        ...process.env,
        HOST: host,
        PORT: String(apiPort),
        METRICS_PORT: String(metricsPort),
        DATABASE_URL: "postgres://showcase@127.0.0.1:1/showcase",
        DATABASE_POOL_MAX: "1",
        LOG_LEVEL: "warn",
      },
    });
    processes.push(service);
  }
  await Promise.all(processes.map((p, i) => waitForHttp(p, `http://${hosts[i]}:${metricsPort}/metrics`)));

  // The sidecar, exactly as the stack runs it: the script with its environment, `aws` on PATH.
  sidecarLog = join(dir, "logs", "cloud-map-discovery.log");
  const sidecar = spawn("/bin/sh", ["-c", CLOUD_MAP_DISCOVERY_SCRIPT], {
    env: {
      ...process.env,
      PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`,
      TARGETS: discoveryTargetsVariable([
        { namespace: NAMESPACE, service: SERVICE, port: metricsPort, file: paths().targets },
      ]),
      QUERY: CLOUD_MAP_TARGETS_QUERY,
      INTERVAL_SECONDS: "1",
      STUB_RESPONSE_FILE: paths().response,
      STUB_FAIL: paths().fail,
      STUB_CALLS_FILE: paths().calls,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  sidecar.stderr.on("data", (chunk: Buffer) => appendFileSync(sidecarLog, chunk));
  processes.push({
    name: "cloud-map-discovery",
    child: sidecar,
    logFile: sidecarLog,
    exited: new Promise((resolve) => sidecar.once("exit", (code, signal) => resolve(code ?? signal ?? ""))),
    stop: () => {
      sidecar.kill("SIGTERM");
      return Promise.resolve("stopped");
    },
  });
  writeFileSync(sidecarLog, "");

  writeFileSync(
    join(dir, "prometheus.yml"),
    renderPrometheusConfig({
      environment: "prod",
      scrapeInterval: "1s",
      evaluationInterval: "1s",
      app: { kind: "file", files: [paths().targets] },
      ecsExporterPort: EXPORTER_PORT,
      prometheusTarget: `127.0.0.1:${prometheusPort}`,
      alertmanagerTargets: ["127.0.0.1:1"],
      ruleFiles: ["rules/*.yml"],
    }),
  );
  const prometheus = await startPrometheus(dir, prometheusPort);
  processes.push(prometheus.process);
  api = prometheus.api;
}, 180_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

const appTargets = async () => (await api.targets()).filter((t) => t.scrapePool === "showcase-api");

describe("Cloud Map API discovery", () => {
  it("asks DiscoverInstances for every instance of the service, healthy or not, up to 1,000", async () => {
    await waitFor(
      "a discovery call",
      () => Promise.resolve(readFileSync(paths().calls, "utf8").trim() ? true : undefined),
      30_000,
    );
    const first = JSON.parse(readFileSync(paths().calls, "utf8").split("\n")[0] ?? "[]") as string[];
    expect(first.slice(0, 2)).toEqual(["servicediscovery", "discover-instances"]);
    const option = (name: string) => first[first.indexOf(name) + 1];
    expect(option("--namespace-name")).toBe(NAMESPACE);
    expect(option("--service-name")).toBe(SERVICE);
    expect(option("--health-status")).toBe("ALL");
    expect(option("--max-results")).toBe("1000");
    expect(option("--output")).toBe("json");
  });

  it(`scrapes all ${TASKS} tasks (more than a DNS answer's 8), each labelled with its task id`, async () => {
    const targets = await waitFor(
      `${TASKS} app targets up`,
      async () => {
        const up = (await appTargets()).filter((t) => t.health === "up");
        return up.length === TASKS ? up : undefined;
      },
      60_000,
    );
    expect(targets.map((t) => t.labels["instance"]?.split(":")[0]).sort()).toEqual([...hosts].sort());
    expect(targets.map((t) => t.labels[INSTANCE_ID_LABEL]).sort()).toEqual(hosts.map(taskId).sort());
  });

  it("scrapes each task's ecs_exporter on its own port, from the same file", async () => {
    const exporters = (await api.targets()).filter((t) => t.scrapePool === "ecs-exporter");
    expect(exporters.map((t) => t.scrapeUrl).sort()).toEqual(
      hosts.map((h) => `http://${h}:${EXPORTER_PORT}/metrics`).sort(),
    );
  });

  it("drops tasks that left the service", async () => {
    writeFileSync(paths().response, JSON.stringify(answer(hosts.slice(0, 9))));
    const left = await waitFor(
      "scale-in seen",
      async () => {
        const targets = await appTargets();
        return targets.length === 9 ? targets : undefined;
      },
      60_000,
    );
    expect(left.every((t) => hosts.slice(0, 9).some((h) => t.labels["instance"]?.startsWith(`${h}:`)))).toBe(
      true,
    );
  });

  it("keeps the last targets when the API cannot be reached, and says so", async () => {
    writeFileSync(paths().fail, "");
    await waitFor(
      "a failed call reported",
      () =>
        Promise.resolve(
          readFileSync(sidecarLog, "utf8").includes("DiscoverInstances failed") ? true : undefined,
        ),
      30_000,
    );
    expect(readFileSync(sidecarLog, "utf8")).toContain(
      `DiscoverInstances failed for ${SERVICE}.${NAMESPACE}`,
    );
    expect(JSON.parse(readFileSync(paths().targets, "utf8")) as unknown[]).toHaveLength(9);
    expect(await appTargets()).toHaveLength(9);
    // What the staleness alert reads: the file's mtime, which stops moving while the API is down.
    const [mtime] = await api.query(`prometheus_sd_file_mtime_seconds{filename="${paths().targets}"}`);
    expect(Number(mtime?.value[1])).toBeGreaterThan(0);
    rmSync(paths().fail);
  });
});
