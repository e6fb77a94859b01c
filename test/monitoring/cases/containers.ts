// Cases of the container alerts (runtime.rules.yml), on series as the pinned ecs_exporter emits
// them: its metric names and label names, the task's metadata labels and limits (0.25 vCPU,
// 512 MiB) taken from its Fargate fixture output, and what Prometheus adds (job, instance).
import { ECS_EXPORTER_JOB, INSTANCE_ID_LABEL } from "showcase-monitoring/monitoring";
import { exporterSnapshot, type ExporterFamily } from "../../../tools/ecs-exporter/stand-in";
import type { AlertCase } from "../support/rule-tests";
import { counter, gauge, type InputSeries, type Labels } from "../support/series";

const MIB = 1024 * 1024;
const SCRAPED = { job: ECS_EXPORTER_JOB, instance: "10.0.1.23:9779" };
// Every target also carries the label the Cloud Map discovery file gives it.
const TARGET = { ...SCRAPED, [INSTANCE_ID_LABEL]: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" };
const snapshot = exporterSnapshot();

function family(name: string): ExporterFamily {
  const found = snapshot.families.find((f) => f.name === name);
  if (!found) throw new Error(`the ecs_exporter fixture has no ${name}`);
  return found;
}

/** The labels the exporter puts on `name` (the first sample's), with `container_name` set if it has one. */
function exported(name: string, container?: string): Labels {
  const labels = family(name).samples[0]?.labels ?? {};
  if (container !== undefined && !("container_name" in labels)) {
    throw new Error(`${name} has no container_name label in the fixture`);
  }
  return { ...labels, ...(container === undefined ? {} : { container_name: container }), ...TARGET };
}

/** The fixture's value of a task-level gauge. */
const fixtureValue = (name: string) => family(name).samples[0]?.value ?? Number.NaN;

const INFO = exported("ecs_task_metadata_info");
const TASK_ARN = INFO["task_arn"] ?? "";
const info = gauge("ecs_task_metadata_info", INFO, 1);
const memoryLimit = fixtureValue("ecs_container_memory_limit_bytes");

function memory(usedMib: number, cacheMib: number): InputSeries[] {
  return [
    info,
    gauge(
      "ecs_container_memory_usage_bytes",
      exported("ecs_container_memory_usage_bytes", "app"),
      usedMib * MIB,
    ),
    gauge(
      "ecs_container_memory_page_cache_size_bytes",
      exported("ecs_container_memory_page_cache_size_bytes", "app"),
      cacheMib * MIB,
    ),
    gauge(
      "ecs_container_memory_limit_bytes",
      exported("ecs_container_memory_limit_bytes", "app"),
      memoryLimit,
    ),
  ];
}

/** CPU seconds per second of the app and the exporter containers, against the fixture's 0.25 vCPU. */
function cpu(appPerSecond: number, exporterPerSecond: number): InputSeries[] {
  const seconds = "ecs_container_cpu_usage_seconds_total";
  return [
    info,
    counter(seconds, exported(seconds, "app"), appPerSecond * 60),
    counter(seconds, exported(seconds, "ecs-exporter"), exporterPerSecond * 60),
    gauge(
      "ecs_task_cpu_limit_vcpus",
      exported("ecs_task_cpu_limit_vcpus"),
      fixtureValue("ecs_task_cpu_limit_vcpus"),
    ),
  ];
}

export const containerCases: AlertCase[] = [
  {
    name: "480 of 512 MiB held, page cache excluded",
    alert: "EcsContainerMemoryNearLimit",
    evalTime: "10m",
    series: memory(500, 20),
    expect: [
      {
        labels: { severity: "warning", ...TARGET, container_name: "app", task_arn: TASK_ARN },
        description: `Container app of task ${TASK_ARN} (10.0.1.23:9779) uses 93.75% of its memory limit, page cache excluded (threshold 90%).`,
      },
    ],
  },
  {
    name: "usage near the limit, most of it page cache",
    alert: "EcsContainerMemoryNearLimit",
    evalTime: "10m",
    series: memory(500, 100),
    expect: [],
  },
  {
    name: "0.245 of 0.25 vCPU for 10 minutes",
    alert: "EcsTaskCpuNearLimit",
    evalTime: "10m",
    series: cpu(0.24, 0.005),
    expect: [
      {
        labels: { severity: "warning", ...SCRAPED, task_arn: TASK_ARN },
        description: `The containers of task ${TASK_ARN} (10.0.1.23:9779) used 98% of the task's CPU limit over the last 5m (threshold 90%).`,
      },
    ],
  },
  {
    name: "0.155 of 0.25 vCPU",
    alert: "EcsTaskCpuNearLimit",
    evalTime: "10m",
    series: cpu(0.15, 0.005),
    expect: [],
  },
];
