// SLOs as multi-window, multi-burn-rate alerts (Google SRE workbook, ch. 5): each alert needs both
// its long window (significance) and its short window (still happening) to burn above the factor.
import { METRICS } from "../conventions";
import { percent } from "../format";
import { histogram, matcher, num, orZero, SERVER_ERROR, sumRate } from "../promql";
import { RECORDED, SLO_PERIOD, SLO_WINDOWS, type SloWindow } from "../recorded";
import { defineAlert, type AlertRule, type Rule, type RuleContext, type Severity } from "./model";
import { apiSeries, appSeries } from "./selectors";

export interface BurnRate {
  severity: Severity;
  factor: number;
  long: SloWindow;
  short: SloWindow;
}

/** 2% of a 30d budget in 1h and 5% in 6h page; 10% in 1d and 10% in 3d open a ticket. */
export const BURN_RATES: readonly BurnRate[] = [
  { severity: "critical", factor: 14.4, long: "1h", short: "5m" },
  { severity: "critical", factor: 6, long: "6h", short: "30m" },
  { severity: "warning", factor: 3, long: "1d", short: "2h" },
  { severity: "warning", factor: 1, long: "3d", short: "6h" },
];

interface Sli {
  slo: "availability" | "latency";
  alert: string;
  objective: number;
  /** Ratio of bad requests over a window (recorded). */
  ratio: (window: SloWindow) => string;
  /** How the bad/total ratio over a window is computed from raw series. */
  ratioExpr: (window: SloWindow) => string;
  /** Bad requests/s over 5m (recorded), summed over the period for the budget. */
  badRate: string;
  summary: string;
  bad: string;
}

function slis(ctx: RuleContext): Sli[] {
  const duration = histogram(METRICS.httpRequestDuration);
  const total = (w: string) => sumRate(apiSeries(ctx, METRICS.httpRequests), w);
  const count = (w: string) => sumRate(apiSeries(ctx, duration.count), w);
  const threshold = num(ctx.slo.latencyThresholdSeconds);
  const fast = apiSeries(ctx, duration.bucket, matcher("le", "=", threshold));
  const errors = apiSeries(ctx, METRICS.httpRequests, SERVER_ERROR);
  return [
    {
      slo: "availability",
      alert: "SloAvailabilityBudgetBurn",
      objective: ctx.slo.availability,
      ratio: RECORDED.errorRatio,
      ratioExpr: (w) => `${orZero(sumRate(errors, w), total(w))}\n/\n${total(w)}`,
      badRate: RECORDED.errorRate,
      summary: "The API is spending its availability error budget too fast.",
      bad: "failed with a 5xx status",
    },
    {
      slo: "latency",
      alert: "SloLatencyBudgetBurn",
      objective: ctx.slo.latency,
      ratio: RECORDED.slowRatio,
      ratioExpr: (w) => `1 - (\n  ${sumRate(fast, w)}\n/\n  ${count(w)}\n)`,
      badRate: RECORDED.slowRate,
      summary: "The API is spending its latency error budget too fast.",
      bad: `took longer than ${threshold}s`,
    },
  ];
}

export function sloRecordingRules(ctx: RuleContext): Rule[] {
  return slis(ctx).flatMap((sli): Rule[] => [
    ...SLO_WINDOWS.map((w) => ({ record: sli.ratio(w), expr: sli.ratioExpr(w) })),
    {
      record: RECORDED.objective,
      expr: `vector(${num(sli.objective)})`,
      labels: { job: ctx.job, slo: sli.slo },
    },
    {
      record: RECORDED.budgetRemaining,
      expr:
        `1 - (\n  sum_over_time(${appSeries(ctx, sli.badRate)}[${SLO_PERIOD}])\n/\n` +
        `  sum_over_time(${appSeries(ctx, RECORDED.requestRate)}[${SLO_PERIOD}])\n) / (1 - ${num(sli.objective)})`,
      labels: { slo: sli.slo },
    },
  ]);
}

export function sloAlerts(ctx: RuleContext): AlertRule[] {
  return slis(ctx).flatMap((sli) =>
    BURN_RATES.map((burn) => {
      const limit = `(${num(burn.factor)} * (1 - ${num(sli.objective)}))`;
      return defineAlert(ctx, {
        name: sli.alert,
        severity: burn.severity,
        expr: `${appSeries(ctx, sli.ratio(burn.long))} > ${limit}\nand\n${appSeries(ctx, sli.ratio(burn.short))} > ${limit}`,
        summary: sli.summary,
        description:
          `{{ $value | humanizePercentage }} of API requests of {{ $labels.job }} ${sli.bad} over the last ${burn.long} ` +
          `(and over ${burn.short}): the error budget of the ${percent(sli.objective)} ${sli.slo} objective ` +
          `burns ${num(burn.factor)}x as fast as the ${SLO_PERIOD} period allows.`,
        labels: { slo: sli.slo, long_window: burn.long, short_window: burn.short },
      });
    }),
  );
}
