// Process and Node.js runtime metrics: prom-client's defaults plus the two limits they lack, so
// memory can be alerted on as a fraction of what the process may really use.
import { readFileSync } from "node:fs";
import { getHeapStatistics } from "node:v8";
import { collectDefaultMetrics, Gauge, type Registry } from "prom-client";
import { METRICS } from "showcase-monitoring-conventions";
import { registerEventLoopLag } from "./event-loop";

// How often the event-loop delay is sampled. prom-client's default, 10 ms, wakes the process 100
// times a second: about 5 ms of CPU per second on this project's VMs, idle or not. Every 50 ms
// costs about 2 ms/s and still catches the stalls worth alerting on (hundreds of milliseconds).
const EVENT_LOOP_SAMPLING_MS = 50;
// prom-client's own sampler cannot be switched off; its figures are replaced (event-loop.ts), so
// it samples seldom. (Its nodejs_eventloop_lag_seconds, one setImmediate per scrape, stays.)
const PROM_CLIENT_SAMPLING_MS = 1_000;

// cgroup v1 writes "no limit" as a huge page-aligned number (about 2^63).
const UNLIMITED_V1 = 2 ** 60;

/** Parses memory.max (v2) or memory.limit_in_bytes (v1); undefined when unlimited or unreadable. */
export function parseCgroupMemoryLimit(text: string | undefined): number | undefined {
  const value = text?.trim();
  if (value === undefined || !/^\d+$/.test(value)) return undefined; // "max" on v2 means no limit
  const bytes = Number(value);
  return bytes > 0 && bytes < UNLIMITED_V1 ? bytes : undefined;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** The container's memory limit (cgroup v2, then v1), or undefined when there is none. */
export function readCgroupMemoryLimit(root = "/sys/fs/cgroup"): number | undefined {
  return (
    parseCgroupMemoryLimit(readOptional(`${root}/memory.max`)) ??
    parseCgroupMemoryLimit(readOptional(`${root}/memory/memory.limit_in_bytes`))
  );
}

export function registerRuntimeMetrics(registry: Registry, memoryLimit = readCgroupMemoryLimit()): void {
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: PROM_CLIENT_SAMPLING_MS });
  registerEventLoopLag(registry, EVENT_LOOP_SAMPLING_MS);
  new Gauge({
    name: METRICS.heapSizeLimit,
    help: "Maximum size of the V8 heap in bytes (heap_size_limit).",
    registers: [registry],
  }).set(getHeapStatistics().heap_size_limit);
  if (memoryLimit !== undefined) {
    new Gauge({
      name: METRICS.memoryLimit,
      help: "Memory limit of the process's container (cgroup) in bytes.",
      registers: [registry],
    }).set(memoryLimit);
  }
}
