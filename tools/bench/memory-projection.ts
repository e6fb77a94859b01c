// What the measured memory per series means for the Prometheus tasks of the stack files: how
// many series, and service instances, fit in each task's memory under a stated headroom rule.
// The sizes are read through the stack schema (defaults filled in), never copied here.
import { StorageKind } from "showcase-monitoring";
import { parseStackSettings } from "../../stack/config";
import { exporterSnapshot } from "../ecs-exporter/stand-in";
import { CLOUD_STACKS, configSource, engineConfig, type CloudStack } from "../stack-files";

/**
 * Peak RSS at most this share of the task memory. The head is compacted into a block every 2 h,
 * and memory about doubles around it; a run of minutes does not reach that. The task's
 * sidecars and queries (dashboards, long ranges) take their share too.
 */
export const HEADROOM_SHARE = 0.5;

/** The series Prometheus adds per target besides what it scrapes: `up` and four `scrape_*`. */
export const SCRAPE_META_SERIES = 5;

export interface StackPrometheus {
  stack: CloudStack;
  memoryBytes: number;
  scrapeInterval: string;
  appMaxCount: number;
  ecsExporter: boolean;
  remoteWrite: boolean;
}

export function stackPrometheusTasks(): StackPrometheus[] {
  return CLOUD_STACKS.map((stack) => {
    const { prometheus, app } = parseStackSettings(configSource(engineConfig(stack), stack));
    return {
      stack,
      memoryBytes: prometheus.memory * 2 ** 20,
      scrapeInterval: prometheus.scrapeInterval,
      appMaxCount: app.maxCount,
      ecsExporter: app.ecsExporter,
      remoteWrite: prometheus.storage.kind === StorageKind.Amp,
    };
  });
}

/** Series one ecs_exporter sidecar adds (its fixture's output and its target's scrape series). */
export function exporterSeries(): number {
  const samples = exporterSnapshot().families.reduce((n, f) => n + f.samples.length, 0);
  return samples + SCRAPE_META_SERIES;
}

export interface Fit {
  budgetBytes: number;
  series: number;
  instances: number;
}

/**
 * Within `budgetBytes`: the baseline's peak RSS and series stay, every added series costs
 * `bytesPerSeries`, every instance `seriesPerInstance`.
 */
export function fit(
  task: StackPrometheus,
  baseline: { peakRssBytes: number; series: number },
  bytesPerSeries: number,
  seriesPerInstance: number,
): Fit {
  const budgetBytes = task.memoryBytes * HEADROOM_SHARE;
  const room = Math.max(0, budgetBytes - baseline.peakRssBytes) / bytesPerSeries;
  return {
    budgetBytes,
    series: Math.floor(baseline.series + room),
    instances: Math.floor(room / seriesPerInstance),
  };
}
