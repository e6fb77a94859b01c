// The monitoring stack on this machine: a private PostgreSQL, the service, the tested Prometheus
// and Alertmanager (./monitoring-tools), fed with the generators' "local" output, plus what stands
// in for AWS: the ecs_exporter's fixture output where the sidecar would be (same scrape job), and
// a second Prometheus receiving remote write where AMP would be. As on AWS, the service,
// Prometheus and Alertmanager speak only HTTPS and want a credential (tools/local-tls). `npm run
// local` and the end-to-end test both start it through here, so what the test proves is what a
// developer runs.
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import {
  ECS_EXPORTER_PORT,
  INSTANCE_ID_LABEL,
  renderAlertmanagerConfig,
  renderHttpClientConfig,
  renderPrometheusConfig,
  renderRuleFiles,
} from "showcase-monitoring/monitoring";
import { startExporterStandIn, type ExporterStandIn } from "./ecs-exporter/stand-in";
import { toolPath } from "./monitoring-tools";
import type { MonitoringProfile } from "./profiles";
import { createLocalTls, type LocalTls, type LocalTlsServer } from "./local-tls";
import { startPostgres, type PostgresServer } from "./postgres";
import { PrometheusApi, type ClientOptions } from "./prometheus-api";
import { startProcess, waitFor, waitForHttp, type ManagedProcess } from "./processes";

const run = promisify(execFile);
export const REPO_ROOT = resolve(__dirname, "..");

export interface LocalPorts {
  app: number;
  metrics: number;
  prometheus: number;
  alertmanager: number;
  postgres: number;
  /** The ecs_exporter stand-in, scraped by the `ecs-exporter` job as the sidecar is on AWS. */
  ecsExporter: number;
  /** The Prometheus that receives remote write (AMP's place). */
  remoteWrite: number;
}

export const DEFAULT_PORTS: LocalPorts = {
  app: 3000,
  metrics: 9464,
  prometheus: 9090,
  alertmanager: 9093,
  postgres: 5433,
  ecsExporter: ECS_EXPORTER_PORT,
  remoteWrite: 9095,
};

/** Local retention size: as on AWS, a size bound that the TSDB counts against. */
const RETENTION_SIZE = "2GB";

export interface LocalStackOptions {
  /** Folder for all data and logs; kept across restarts. */
  dir: string;
  ports: LocalPorts;
  /** The generators' inputs (`monitoringProfile("local")`, possibly adjusted); targets follow `ports`. */
  profile: MonitoringProfile;
  log?: (line: string) => void;
}

export interface LocalStack {
  readonly urls: {
    app: string;
    metrics: string;
    prometheus: string;
    alertmanager: string;
    ecsExporter: string;
    remoteWrite: string;
  };
  readonly postgres: PostgresServer;
  /** Prometheus's API, as the developer (`operator`) reaches it. */
  readonly prometheus: PrometheusApi;
  /** The CA, certificates and credentials made at start-up. */
  readonly tls: LocalTls;
  /** How the developer's requests reach the service (API and metrics), Prometheus or Alertmanager. */
  client(server: LocalTlsServer): ClientOptions;
  /** `--http.config.file` of promtool (Prometheus) and amtool (Alertmanager), as the developer. */
  readonly httpConfigFiles: { prometheus: string; alertmanager: string };
  /** The service process; `restartService` replaces it. */
  service(): ManagedProcess;
  startService(): Promise<void>;
  stopService(): Promise<number | string>;
  /** Resolves when every target is up and every rule group is loaded and healthy. */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The tested Alertmanager as a single instance, resolved once it answers `/-/ready`; with a web
 * config (HTTPS and basic auth), `client` is how readiness is asked.
 */
export async function startAlertmanager(options: {
  configFile: string;
  dataDir: string;
  port: number;
  logFile: string;
  web?: { configFile: string; client: ClientOptions };
}): Promise<ManagedProcess> {
  const scheme = options.web === undefined ? "http" : "https";
  const alertmanager = startProcess({
    name: "alertmanager",
    command: toolPath("prometheus-alertmanager"),
    args: [
      `--config.file=${options.configFile}`,
      `--storage.path=${options.dataDir}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      // A single instance: no gossip port to open or to collide with.
      "--cluster.listen-address=",
      ...(options.web === undefined ? [] : [`--web.config.file=${options.web.configFile}`]),
    ],
    logFile: options.logFile,
  });
  try {
    await waitForHttp(alertmanager, `${scheme}://127.0.0.1:${options.port}/-/ready`, {
      timeoutMs: 20_000,
      client: options.web?.client,
    });
  } catch (error) {
    await alertmanager.stop();
    throw error;
  }
  return alertmanager;
}

/** How the developer's requests reach the service (API and metrics), Prometheus or Alertmanager. */
export function localClient(tls: LocalTls, server: LocalTlsServer): ClientOptions {
  return {
    caFile: tls.caFile,
    credential: server === "service" ? { bearerToken: tls.metricsToken } : tls.credential("operator"),
  };
}

/**
 * The service (built by `buildService`) as its image runs it, `node dist/main.js`, on `ports`,
 * HTTPS only with the local certificate and metrics token; the caller awaits `/ready`.
 */
export function spawnService(options: {
  ports: { app: number; metrics: number };
  databaseUrl: string;
  tls: LocalTls;
  logFile: string;
  name?: string;
}): ManagedProcess {
  return startProcess({
    name: options.name ?? "service",
    command: process.execPath,
    args: ["--enable-source-maps", "dist/main.js"],
    cwd: join(REPO_ROOT, "service"),
    logFile: options.logFile,
    env: {
      ...process.env,
      PORT: String(options.ports.app),
      METRICS_PORT: String(options.ports.metrics),
      HOST: "127.0.0.1",
      DATABASE_URL: options.databaseUrl,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
      ...options.tls.serviceEnv,
    },
  });
}

/** Builds the service once (tsc) so it runs as it does in its image: `node dist/main.js`. */
export async function buildService(): Promise<void> {
  await run("npm", ["run", "--silent", "build", "-w", "service"], { cwd: REPO_ROOT });
}

/**
 * Writes prometheus.yml, rules/*.yml, alertmanager.yml and the developer's HTTP client configs for
 * the local stack into `configDir`.
 */
function writeLocalConfig(
  configDir: string,
  options: LocalStackOptions,
  tls: LocalTls,
): LocalStack["httpConfigFiles"] {
  const { ports, profile } = options;
  rmSync(join(configDir, "rules"), { recursive: true, force: true });
  mkdirSync(join(configDir, "rules"), { recursive: true });
  // The app's targets in a file_sd file, as the Cloud Map discovery sidecar writes them in AWS.
  const targets = join(configDir, "discovery", "showcase-api.json");
  mkdirSync(dirname(targets), { recursive: true });
  writeFileSync(
    targets,
    JSON.stringify([{ targets: [`127.0.0.1:${ports.metrics}`], labels: { [INSTANCE_ID_LABEL]: "local" } }]),
  );
  writeFileSync(
    join(configDir, "prometheus.yml"),
    renderPrometheusConfig({
      ...profile.prometheus,
      app: { kind: "file", files: [targets] },
      ecsExporterPort: ports.ecsExporter,
      prometheusTarget: `127.0.0.1:${ports.prometheus}`,
      alertmanagerTargets: [`127.0.0.1:${ports.alertmanager}`],
      prometheusTls: tls.client("prometheus"),
      alertmanagerTls: tls.client("alertmanager"),
      appTls: tls.client("service"),
      remoteWrite: { url: `http://127.0.0.1:${ports.remoteWrite}/api/v1/write` },
    }),
  );
  // The receiver only stores what it is sent: no scrape jobs, no rules.
  writeFileSync(join(configDir, "remote-write-receiver.yml"), "# Receives remote write only.\nglobal: {}\n");
  // The profile's rule_files globs are relative to prometheus.yml: rules/<name>.rules.yml.
  for (const [file, text] of Object.entries(renderRuleFiles(profile.rules))) {
    writeFileSync(join(configDir, "rules", file), text);
  }
  writeFileSync(join(configDir, "alertmanager.yml"), renderAlertmanagerConfig(profile.alertmanager));
  const httpConfigFiles = {
    prometheus: join(configDir, "promtool-http.yml"),
    alertmanager: join(configDir, "amtool-http.yml"),
  };
  for (const server of ["prometheus", "alertmanager"] as const) {
    const tool = server === "prometheus" ? "promtool" : "amtool";
    writeFileSync(
      httpConfigFiles[server],
      renderHttpClientConfig(tls.client(server, "operator"), `${tool} against the local ${server}`),
    );
  }
  return httpConfigFiles;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const dir = resolve(options.dir);
  const { ports } = options;
  const configDir = join(dir, "config");
  const logs = join(dir, "logs");
  const tls = await createLocalTls(dir);
  const httpConfigFiles = writeLocalConfig(configDir, options, tls);
  const client = (server: LocalTlsServer): ClientOptions => localClient(tls, server);

  const started: ManagedProcess[] = [];
  const postgres = await startPostgres({ dataDir: join(dir, "postgres"), port: ports.postgres });
  log(`PostgreSQL on 127.0.0.1:${ports.postgres} (data in ${postgres.dataDir})`);

  let service: ManagedProcess | undefined;
  const startService = async () => {
    service = spawnService({
      ports,
      databaseUrl: postgres.url(),
      tls,
      logFile: join(logs, "service.log"),
    });
    await waitForHttp(service, `https://127.0.0.1:${ports.app}/ready`, { client: client("service") });
  };

  let exporter: ExporterStandIn | undefined;
  const stopAll = async () => {
    await Promise.all([...(service ? [service] : []), ...started].map((p) => p.stop()));
    await exporter?.close();
    await postgres.stop().catch(() => undefined);
  };

  try {
    await startService();
    log(`service on https://127.0.0.1:${ports.app} (metrics on :${ports.metrics})`);

    // Ready before Prometheus starts: an alert sent to a closed port waits a minute to be resent.
    const alertmanager = await startAlertmanager({
      configFile: join(configDir, "alertmanager.yml"),
      dataDir: join(dir, "alertmanager"),
      port: ports.alertmanager,
      logFile: join(logs, "alertmanager.log"),
      web: { configFile: tls.webConfigFiles.alertmanager, client: client("alertmanager") },
    });
    started.push(alertmanager);

    exporter = await startExporterStandIn(ports.ecsExporter);
    const receiver = startProcess({
      name: "remote-write receiver",
      command: toolPath("prometheus"),
      args: [
        `--config.file=${join(configDir, "remote-write-receiver.yml")}`,
        `--storage.tsdb.path=${join(dir, "remote-write")}`,
        "--storage.tsdb.retention.time=2d",
        `--web.listen-address=127.0.0.1:${ports.remoteWrite}`,
        "--web.enable-remote-write-receiver",
      ],
      logFile: join(logs, "remote-write-receiver.log"),
    });
    started.push(receiver);
    await waitForHttp(receiver, `http://127.0.0.1:${ports.remoteWrite}/-/ready`);
    log(
      `remote-write receiver (Prometheus) on 127.0.0.1:${ports.remoteWrite}; ecs_exporter stand-in on ${exporter.url}`,
    );

    const prometheus = startProcess({
      name: "prometheus",
      command: toolPath("prometheus"),
      args: [
        `--config.file=${join(configDir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "prometheus")}`,
        `--storage.tsdb.retention.size=${RETENTION_SIZE}`,
        `--web.listen-address=127.0.0.1:${ports.prometheus}`,
        `--web.config.file=${tls.webConfigFiles.prometheus}`,
        "--web.enable-lifecycle",
        // Alerts evaluated before service discovery hands over Alertmanager (up to 5 s) are
        // dropped and resent only after this delay (1m by default): keep it short here.
        "--rules.alert.resend-delay=5s",
      ],
      logFile: join(logs, "prometheus.log"),
    });
    started.push(prometheus);

    await waitForHttp(prometheus, `https://127.0.0.1:${ports.prometheus}/-/ready`, {
      client: client("prometheus"),
    });
  } catch (error) {
    await stopAll();
    throw error;
  }

  const api = new PrometheusApi(`https://127.0.0.1:${ports.prometheus}`, client("prometheus"));
  return {
    urls: {
      app: `https://127.0.0.1:${ports.app}`,
      metrics: `https://127.0.0.1:${ports.metrics}/metrics`,
      prometheus: `https://127.0.0.1:${ports.prometheus}`,
      alertmanager: `https://127.0.0.1:${ports.alertmanager}`,
      ecsExporter: `http://127.0.0.1:${ports.ecsExporter}/metrics`,
      remoteWrite: `http://127.0.0.1:${ports.remoteWrite}`,
    },
    postgres,
    prometheus: api,
    tls,
    client,
    httpConfigFiles,
    service: () => {
      if (!service) throw new Error("the service has not been started");
      return service;
    },
    startService,
    stopService: () => (service ? service.stop() : Promise.resolve("not running")),
    waitUntilHealthy: (timeoutMs = 60_000) =>
      waitFor(
        "all Prometheus targets up and every rule group healthy",
        async () => {
          const [targets, groups] = await Promise.all([api.targets(), api.ruleGroups()]);
          const down = targets.filter((t) => t.health !== "up");
          const badRules = groups.flatMap((g) => g.rules).filter((r) => r.health === "err");
          if (targets.length === 0 || down.length > 0 || groups.length === 0 || badRules.length > 0) {
            return undefined;
          }
          return true;
        },
        timeoutMs,
      ).then(() => undefined),
    stop: stopAll,
  };
}
