// A stand-in for the ecs_exporter sidecar where there is no ECS task metadata endpoint to read
// (this machine): it serves the exporter's own /metrics output for its Fargate test fixture
// (fargate-metrics.json, which names its source), counters advancing with time, so Prometheus
// scrapes here exactly the metric names, types and labels the pinned exporter emits on AWS.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";

export interface ExporterSample {
  labels: Record<string, string>;
  value: number;
  /** Counters: how much the stand-in adds per second (not in the snapshot). */
  perSecond?: number;
}

export interface ExporterFamily {
  name: string;
  type: "counter" | "gauge";
  help: string;
  samples: ExporterSample[];
}

export interface ExporterSnapshot {
  source: { repository: string; tag: string; commit: string; path: string; what: string };
  changes: string[];
  families: ExporterFamily[];
}

/** The exporter's output for its Fargate fixture, as committed here. */
export function exporterSnapshot(): ExporterSnapshot {
  return JSON.parse(readFileSync(join(__dirname, "fargate-metrics.json"), "utf8")) as ExporterSnapshot;
}

// The text format escapes backslash, double quote and line feed in label values (and in HELP,
// backslash and line feed).
const escapeLabel = (value: string) => value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
const escapeHelp = (value: string) => value.replace(/[\\\n]/g, (c) => (c === "\n" ? "\\n" : "\\\\"));

/** The snapshot in the Prometheus text exposition format, counters advanced by `elapsedSeconds`. */
export function exposition(snapshot: ExporterSnapshot, elapsedSeconds: number): string {
  return snapshot.families
    .flatMap((family) => [
      `# HELP ${family.name} ${escapeHelp(family.help)}`,
      `# TYPE ${family.name} ${family.type}`,
      ...family.samples.map((sample) => {
        const pairs = Object.entries(sample.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
        const labels = pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
        return `${family.name}${labels} ${sample.value + (sample.perSecond ?? 0) * elapsedSeconds}`;
      }),
    ])
    .map((line) => `${line}\n`)
    .join("");
}

export interface ExporterStandIn {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves /metrics on 127.0.0.1:`port` (the exporter's port on the task's address, here loopback). */
export async function startExporterStandIn(port: number): Promise<ExporterStandIn> {
  const snapshot = exporterSnapshot();
  const startedAt = Date.now();
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" })
      .end(exposition(snapshot, (Date.now() - startedAt) / 1000));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolveListen);
  });
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}
