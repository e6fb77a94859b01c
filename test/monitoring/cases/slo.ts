// Cases of the SLO burn-rate alerts (slo.rules.yml): objectives 99.5% available and 99% under 0.5 s.
// Budgets: 0.5% errors and 1% slow requests. Page at 14.4x (1h and 5m) and 6x (6h and 30m), ticket at
// 3x (1d and 2h) and 1x (3d and 6h).
import { HTTP_DURATION_BUCKETS } from "showcase-monitoring/monitoring";
import { JOB } from "../support/inputs";
import type { AlertCase, ExpectedAlert } from "../support/rule-tests";
import { counter, histogram, series, type InputSeries } from "../support/series";

const LABELS = { job: JOB, instance: "a:9464", method: "GET", route: "/api/projects" };
const WINDOWS = [
  { severity: "critical", factor: "14.4", long: "1h", short: "5m" },
  { severity: "critical", factor: "6", long: "6h", short: "30m" },
  { severity: "warning", factor: "3", long: "1d", short: "2h" },
  { severity: "warning", factor: "1", long: "3d", short: "6h" },
];

/** 1000 requests a minute, `failed` of them 5xx, for `minutes`. */
function errors(failed: number, minutes = 80): InputSeries[] {
  return [
    counter("http_requests_total", { ...LABELS, status_code: "200" }, 1000 - failed, minutes),
    counter("http_requests_total", { ...LABELS, status_code: "500" }, failed, minutes),
  ];
}

/** 1000 requests a minute, `slow` of them between 0.5 and 1 s, the rest under 100 ms. */
function slowness(slow: number): InputSeries[] {
  return histogram(
    "http_request_duration_seconds",
    { ...LABELS, status_code: "200" },
    HTTP_DURATION_BUCKETS,
    {
      0.1: 1000 - slow,
      1: slow,
    },
  );
}

/** The four burn-rate alerts (pages first), each carrying the long window's bad ratio `ratio`. */
function burning(slo: "availability" | "latency", ratio: string): ExpectedAlert[] {
  const [bad, objective] =
    slo === "availability" ? ["failed with a 5xx status", "99.5%"] : ["took longer than 0.5s", "99%"];
  return WINDOWS.map((w) => ({
    labels: { severity: w.severity, job: JOB, slo, long_window: w.long, short_window: w.short },
    description:
      `${ratio} of API requests of showcase-api ${bad} over the last ${w.long} (and over ${w.short}): ` +
      `the error budget of the ${objective} ${slo} objective burns ${w.factor}x as fast as the 30d period allows.`,
  }));
}

export const sloCases: AlertCase[] = [
  {
    name: "10% errors: every window burns",
    alert: "SloAvailabilityBudgetBurn",
    evalTime: "40m",
    series: errors(100),
    expect: burning("availability", "10%"),
  },
  {
    name: "2% errors: tickets only",
    alert: "SloAvailabilityBudgetBurn",
    evalTime: "40m",
    series: errors(20),
    expect: burning("availability", "2%").slice(2),
  },
  {
    name: "0.2% errors: within budget",
    alert: "SloAvailabilityBudgetBurn",
    evalTime: "40m",
    series: errors(2),
    expect: [],
  },
  {
    name: "10% errors that stopped 10 minutes ago: the empty 5m window holds the fastest page back",
    alert: "SloAvailabilityBudgetBurn",
    evalTime: "50m",
    series: [
      counter("http_requests_total", { ...LABELS, status_code: "200" }, 900, 80),
      series("http_requests_total", { ...LABELS, status_code: "500" }, "0+100x40 4000x40"),
    ],
    // 4000 errors of 49000 requests in every long window; 2000 of 29000 over 30m; none over 5m.
    expect: burning("availability", "8.163%").slice(1),
  },
  {
    name: "20% slow: every window burns",
    alert: "SloLatencyBudgetBurn",
    evalTime: "40m",
    series: slowness(200),
    expect: burning("latency", "20%"),
  },
  {
    name: "5% slow: tickets only",
    alert: "SloLatencyBudgetBurn",
    evalTime: "40m",
    series: slowness(50),
    expect: burning("latency", "5%").slice(2),
  },
  {
    name: "0.5% slow: within budget",
    alert: "SloLatencyBudgetBurn",
    evalTime: "40m",
    series: slowness(5),
    expect: [],
  },
];
