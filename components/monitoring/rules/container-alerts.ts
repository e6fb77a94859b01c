// The containers of the app's tasks against their limits, from the ecs_exporter sidecar
// (v0.4.0 names: task-level series carry no labels of their own, container-level ones
// `container_name`; the task is the scrape target, `instance`). The task ARN comes from
// ecs_task_metadata_info, so the alert names the task an operator can look up.
import { ECS_EXPORTER_JOB } from "../conventions";
import { percent } from "../format";
import { matcher, num, selector } from "../promql";
import { defineAlert, type AlertRule, type RuleContext } from "./model";

/** `metric{job="ecs-exporter"}` */
export function exporterSeries(metric: string): string {
  return selector(metric, matcher("job", "=", ECS_EXPORTER_JOB));
}

/** Adds the task's ARN to every series of `expr` (1 per task, so values stay as they are). */
function withTaskArn(expr: string): string {
  return `${expr}\n* on (job, instance) group_left (task_arn) ${exporterSeries("ecs_task_metadata_info")}`;
}

/**
 * Memory a container holds that the kernel cannot reclaim: usage less page cache, what ECS itself
 * reports as MemoryUtilized. (On cgroup v2 the exporter reads no page cache, so this is usage.)
 */
export function containerMemoryUsed(select: (metric: string) => string): string {
  return `(${select("ecs_container_memory_usage_bytes")} - ${select("ecs_container_memory_page_cache_size_bytes")})`;
}

export function containerAlerts(ctx: RuleContext): AlertRule[] {
  const t = ctx.thresholds;
  // Summed series keep job and instance only; the limit keeps every target label (discovery's too).
  const cpu = `sum by (job, instance) (rate(${exporterSeries("ecs_container_cpu_usage_seconds_total")}[5m]))`;
  return [
    defineAlert(ctx, {
      name: "EcsContainerMemoryNearLimit",
      severity: "warning",
      expr: withTaskArn(
        `(\n${containerMemoryUsed(exporterSeries)}\n/\n${exporterSeries("ecs_container_memory_limit_bytes")}\n> ${num(t.containerMemoryRatio)}\n)`,
      ),
      for: t.for,
      summary: "A container is close to its memory limit: the kernel kills it there.",
      description: `Container {{ $labels.container_name }} of task {{ $labels.task_arn }} ({{ $labels.instance }}) uses {{ $value | humanizePercentage }} of its memory limit, page cache excluded (threshold ${percent(t.containerMemoryRatio)}).`,
    }),
    defineAlert(ctx, {
      name: "EcsTaskCpuNearLimit",
      severity: "warning",
      expr: withTaskArn(
        `(\n${cpu}\n/ on (job, instance)\n${exporterSeries("ecs_task_cpu_limit_vcpus")}\n> ${num(t.taskCpuRatio)}\n)`,
      ),
      for: t.for,
      summary: "A task uses nearly all of its CPU limit: Fargate throttles it beyond.",
      description: `The containers of task {{ $labels.task_arn }} ({{ $labels.instance }}) used {{ $value | humanizePercentage }} of the task's CPU limit over the last 5m (threshold ${percent(t.taskCpuRatio)}).`,
    }),
  ];
}
