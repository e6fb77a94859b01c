// Symptoms of the API as users see it (errors, latency) and of its processes as Prometheus sees
// them (down, absent, restarting).
import { METRICS } from "../conventions";
import { percent } from "../format";
import { num } from "../promql";
import { RECORDED } from "../recorded";
import { defineAlert, type AlertRule, type RuleContext } from "./model";
import { appSeries } from "./selectors";

const RESTART_WINDOW_SECONDS = 3600;

export function appAlerts(ctx: RuleContext): AlertRule[] {
  const t = ctx.thresholds;
  // Below this traffic a handful of requests swings the ratios: stay silent.
  const enoughTraffic = `${appSeries(ctx, RECORDED.requestRate)} > ${num(t.minRequestRate)}`;
  const latency = (q: 90 | 99, limit: number) =>
    defineAlert(ctx, {
      name: `ApiHighLatencyP${q}`,
      severity: "warning",
      expr: `${appSeries(ctx, RECORDED.latency(q))} > ${num(limit)}\nand\n${enoughTraffic}`,
      for: t.for,
      summary: `The API's p${q} latency is above its threshold.`,
      description: `The p${q} latency of API requests of {{ $labels.job }} is {{ $value | humanizeDuration }} over the last 5m (threshold ${num(limit)}s).`,
    });
  const up = appSeries(ctx, "up");
  const targetDownSummary = "App targets do not answer Prometheus scrapes.";
  const start = appSeries(ctx, METRICS.processStartTime);

  return [
    defineAlert(ctx, {
      name: "ApiHighErrorRate",
      severity: "critical",
      expr: `(${appSeries(ctx, RECORDED.errorRate)}\n/\n${appSeries(ctx, RECORDED.requestRate)})\n> ${num(t.errorRatio)}\nand\n${enoughTraffic}`,
      for: t.for,
      summary: "The API answers too many requests with server errors.",
      description: `{{ $value | humanizePercentage }} of API requests of {{ $labels.job }} failed with a 5xx status over the last 5m (threshold ${percent(t.errorRatio)}).`,
    }),
    latency(99, t.latencyP99Seconds),
    latency(90, t.latencyP90Seconds),
    // One alert name, two severities: an instance down warns, all of them down pages (and the
    // inhibition rule then mutes the per-instance warnings).
    defineAlert(ctx, {
      name: "AppTargetDown",
      severity: "warning",
      expr: `${up} == 0`,
      for: t.for,
      summary: targetDownSummary,
      description: `{{ $labels.instance }} of job {{ $labels.job }} has failed every scrape for ${t.for}.`,
    }),
    defineAlert(ctx, {
      name: "AppTargetDown",
      severity: "critical",
      expr: `sum by (job) (${up}) == 0`,
      for: t.for,
      summary: targetDownSummary,
      description: `No target of job {{ $labels.job }} has answered a scrape for ${t.for}: the app is down or unreachable.`,
    }),
    defineAlert(ctx, {
      name: "AppTargetAbsent",
      severity: "critical",
      expr: `absent(${up})`,
      for: t.for,
      summary: "Prometheus discovers no target of the app.",
      description: `Prometheus has discovered no target of job {{ $labels.job }} for ${t.for}: no task runs, or service discovery is broken.`,
    }),
    // Processes started within the window: restarts of a known instance (changes) plus instances
    // that appeared in it (new ECS tasks get new addresses). Deployments count too.
    defineAlert(ctx, {
      name: "AppTooManyRestarts",
      severity: "warning",
      expr:
        `sum by (job) (\n  changes(${start}[1h])\n+\n` +
        `  (min_over_time(${start}[1h]) > bool (time() - ${RESTART_WINDOW_SECONDS}))\n) > ${num(t.restartsPerHour)}`,
      summary: "App processes restart too often.",
      description: `{{ $value }} processes of job {{ $labels.job }} started within the last hour (threshold ${num(t.restartsPerHour)}): tasks crash or are replaced over and over.`,
    }),
  ];
}
