// One Prometheus of the memory benchmark: the generators' local configuration (prometheus.yml
// from renderPrometheusConfig, the app's targets in a file_sd file as the discovery sidecar writes
// them, the real rule files), scraping some of the service instances over HTTPS with the metrics
// token, behind the local web config; and readings of its own figures as it scrapes itself.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  INSTANCE_ID_LABEL,
  PROMETHEUS_JOB,
  renderPrometheusConfig,
  renderRuleFiles,
} from "showcase-monitoring/monitoring";
import { localClient } from "../local-stack";
import type { LocalTls } from "../local-tls";
import type { MonitoringProfile } from "../profiles";
import { startPrometheus, type StartedPrometheus } from "../prometheus";
import type { PrometheusApi } from "../prometheus-api";
import type { Cleanup } from "./cleanup";
import type { ServiceInstance } from "./service-fleet";

export interface TestedPrometheusOptions {
  dir: string;
  port: number;
  /** The service instances it scrapes; none for the baseline. */
  instances: ServiceInstance[];
  profile: MonitoringProfile;
  tls: LocalTls;
  /** Nothing listens there: the required Alertmanager is down, at the cost of one failing target. */
  alertmanagerPort: number;
  cleanup: Cleanup;
}

/** prometheus.yml, discovery/showcase-api.json and rules/*.yml in `dir`. */
function writeConfig(options: TestedPrometheusOptions): void {
  const { dir, profile, tls } = options;
  const targets = join(dir, "discovery", "showcase-api.json");
  mkdirSync(join(dir, "discovery"), { recursive: true });
  mkdirSync(join(dir, "rules"), { recursive: true });
  writeFileSync(
    targets,
    JSON.stringify(
      options.instances.map((i) => ({
        targets: [`127.0.0.1:${i.ports.metrics}`],
        labels: { [INSTANCE_ID_LABEL]: i.id },
      })),
    ),
  );
  // No ecsExporterPort (one exporter per task cannot sit on one host's port) and no remote write.
  writeFileSync(
    join(dir, "prometheus.yml"),
    renderPrometheusConfig({
      ...profile.prometheus,
      app: { kind: "file", files: [targets] },
      prometheusTarget: `127.0.0.1:${options.port}`,
      alertmanagerTargets: [`127.0.0.1:${options.alertmanagerPort}`],
      prometheusTls: tls.client("prometheus"),
      alertmanagerTls: tls.client("alertmanager"),
      appTls: tls.client("service"),
    }),
  );
  for (const [file, text] of Object.entries(renderRuleFiles(profile.rules))) {
    writeFileSync(join(dir, "rules", file), text);
  }
}

export async function startTestedPrometheus(options: TestedPrometheusOptions): Promise<StartedPrometheus> {
  writeConfig(options);
  const started = await startPrometheus(options.dir, options.port, {
    configFile: options.tls.webConfigFiles.prometheus,
    client: localClient(options.tls, "prometheus"),
  });
  options.cleanup.add(`stop the Prometheus on :${options.port}`, () => started.process.stop());
  return started;
}

/** What a Prometheus says of itself, from its own latest scrape. */
export interface Reading {
  headSeries: number;
  samplesPerSecond: number;
  rssBytes: number;
  heapInuseBytes: number;
}

const SELF = `job="${PROMETHEUS_JOB}"`;
const GAUGES = [
  "prometheus_tsdb_head_series",
  "process_resident_memory_bytes",
  "go_memstats_heap_inuse_bytes",
];

export async function readSelf(api: PrometheusApi): Promise<Reading> {
  const [gauges, rate] = await Promise.all([
    api.query(`{${SELF},__name__=~"${GAUGES.join("|")}"}`),
    // Summed over the counter's `type` (float, histogram) series.
    api.query(`sum(rate(prometheus_tsdb_head_samples_appended_total{${SELF}}[1m]))`),
  ]);
  const value = (name: string) => {
    const sample = gauges.find((s) => s.metric.__name__ === name);
    if (sample === undefined) throw new Error(`${api.baseUrl}: no ${name} scraped yet`);
    return Number(sample.value[1]);
  };
  return {
    headSeries: value("prometheus_tsdb_head_series"),
    samplesPerSecond: Number(rate[0]?.value[1] ?? NaN),
    rssBytes: value("process_resident_memory_bytes"),
    heapInuseBytes: value("go_memstats_heap_inuse_bytes"),
  };
}
