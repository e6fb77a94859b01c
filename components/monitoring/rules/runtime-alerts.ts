// Node.js runtime pressure per process: event loop, heap, memory, CPU, file descriptors, GC.
import { METRICS } from "../conventions";
import { percent } from "../format";
import { histogram, num } from "../promql";
import { defineAlert, type AlertRule, type AlertSpec, type RuleContext } from "./model";
import { appSeries } from "./selectors";

// Internal certificates are renewed by the first `pulumi up` in their last 30 days
// (components/internal-tls.ts): 21 days left means renewals were missed for over a week, 7 days
// leaves a week to deploy. Overridable per tier (AppCertificateExpiring/critical).
export const CERTIFICATE_DAYS_LEFT = { warning: 21, critical: 7 } as const;
export const DAY_SECONDS = 86_400;

export function runtimeAlerts(ctx: RuleContext): AlertRule[] {
  const t = ctx.thresholds;
  const warn = (spec: Omit<AlertSpec, "severity" | "for">): AlertRule =>
    defineAlert(ctx, { ...spec, severity: "warning", for: t.for });
  const ratio = (used: string, limit: string) => `${appSeries(ctx, used)}\n/\n${appSeries(ctx, limit)}`;
  const certificate = (severity: keyof typeof CERTIFICATE_DAYS_LEFT): AlertRule => {
    const days = CERTIFICATE_DAYS_LEFT[severity];
    return defineAlert(ctx, {
      name: "AppCertificateExpiring",
      severity,
      expr: `${appSeries(ctx, METRICS.tlsCertificateNotAfter)} - time()\n< ${num(days * DAY_SECONDS)}`,
      for: t.for,
      summary: "The certificate the app serves expires soon.",
      description: `The certificate {{ $labels.instance }} serves on its {{ $labels.listener }} listener expires in {{ $value | humanizeDuration }} (threshold ${days} days).`,
    });
  };
  return [
    certificate("warning"),
    certificate("critical"),
    warn({
      name: "AppEventLoopLagHigh",
      expr: `${appSeries(ctx, METRICS.eventLoopLag("p99"))} > ${num(t.eventLoopLagSeconds)}`,
      summary: "The Node.js event loop is lagging.",
      description: `The event loop of {{ $labels.instance }} lags {{ $value | humanizeDuration }} at p99 (threshold ${num(t.eventLoopLagSeconds)}s).`,
    }),
    warn({
      name: "AppHeapNearLimit",
      expr: `${ratio(METRICS.heapSizeUsed, METRICS.heapSizeLimit)}\n> ${num(t.memoryRatio)}`,
      summary: "The V8 heap is close to its limit.",
      description: `{{ $labels.instance }} uses {{ $value | humanizePercentage }} of its V8 heap limit (threshold ${percent(t.memoryRatio)}).`,
    }),
    warn({
      name: "AppMemoryNearLimit",
      expr: `${ratio(METRICS.processResidentMemory, METRICS.memoryLimit)}\n> ${num(t.memoryRatio)}`,
      summary: "The process is close to its container memory limit.",
      description: `{{ $labels.instance }} uses {{ $value | humanizePercentage }} of its container memory limit (threshold ${percent(t.memoryRatio)}).`,
    }),
    warn({
      name: "AppCpuHigh",
      expr: `rate(${appSeries(ctx, METRICS.processCpu)}[5m]) > ${num(t.cpuCores)}`,
      summary: "The process uses too much CPU.",
      description: `{{ $labels.instance }} used {{ printf "%.2f" $value }} CPU cores over the last 5m (threshold ${num(t.cpuCores)}).`,
    }),
    warn({
      name: "AppFileDescriptorsNearLimit",
      expr: `${ratio(METRICS.processOpenFds, METRICS.processMaxFds)}\n> ${num(t.fdRatio)}`,
      summary: "The process is running out of file descriptors.",
      description: `{{ $labels.instance }} has {{ $value | humanizePercentage }} of its file descriptors open (threshold ${percent(t.fdRatio)}).`,
    }),
    warn({
      name: "AppGcTimeHigh",
      expr: `sum by (job, instance) (rate(${appSeries(ctx, histogram(METRICS.gcDuration).sum)}[5m])) > ${num(t.gcTimeRatio)}`,
      summary: "The process spends too much time in garbage collection.",
      description: `{{ $labels.instance }} spent {{ $value | humanizePercentage }} of the last 5m in garbage collection (threshold ${percent(t.gcTimeRatio)}).`,
    }),
  ];
}
