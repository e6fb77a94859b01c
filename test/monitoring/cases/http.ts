// Cases of the API and target alerts (http.rules.yml).
import { HTTP_DURATION_BUCKETS } from "showcase-monitoring/monitoring";
import { JOB } from "../support/inputs";
import type { AlertCase } from "../support/rule-tests";
import { counter, gauge, histogram, series, type InputSeries, type Labels } from "../support/series";

const A = { job: JOB, instance: "a:9464" };
const B = { job: JOB, instance: "b:9464" };
const route = (path: string, status: string): Labels => ({
  ...A,
  method: "GET",
  route: path,
  status_code: status,
});

/** Requests per minute: `ok` 200s and `failed` 500s on an API route. */
function traffic(ok: number, failed: number, path = "/api/projects"): InputSeries[] {
  return [
    counter("http_requests_total", route(path, "200"), ok),
    counter("http_requests_total", route(path, "500"), failed),
  ];
}

/** 600 requests a minute (10/s), `slow` of them in the bucket ending at `bound`, the rest under 100 ms. */
function latency(slow: number, bound: number): InputSeries[] {
  return [
    counter("http_requests_total", route("/api/projects", "200"), 600),
    ...histogram("http_request_duration_seconds", route("/api/projects", "200"), HTTP_DURATION_BUCKETS, {
      0.1: 600 - slow,
      [bound]: slow,
    }),
  ];
}

const errorRate = (description: string) => ({ labels: { severity: "critical", job: JOB }, description });
const starts = (instance: string, values: number[]) =>
  series("process_start_time_seconds", { job: JOB, instance }, values.join(" "));
/** A process started at `at` (seconds since the test's epoch) that keeps running. */
const started = (instance: string, at: number) =>
  starts(
    instance,
    Array.from({ length: 40 }, () => at),
  );
/** A process that restarts every 5 minutes, `restarts` times, after running since long before. */
const restarting = (restarts: number) =>
  starts(
    "a:9464",
    Array.from({ length: 40 }, (_, minute) => Math.min(Math.floor(minute / 5), restarts) * 300 || -7200),
  );

export const httpCases: AlertCase[] = [
  {
    name: "10% of requests fail",
    alert: "ApiHighErrorRate",
    evalTime: "15m",
    series: traffic(540, 60),
    expect: [
      errorRate(
        "10% of API requests of showcase-api failed with a 5xx status over the last 5m (threshold 5%).",
      ),
    ],
  },
  {
    name: "3% of requests fail",
    alert: "ApiHighErrorRate",
    evalTime: "15m",
    series: traffic(582, 18),
    expect: [],
  },
  {
    name: "half of very little traffic fails (minimum-traffic guard)",
    alert: "ApiHighErrorRate",
    evalTime: "15m",
    series: traffic(2, 2),
    expect: [],
  },
  {
    name: "only the readiness probe fails (probes are not API traffic)",
    alert: "ApiHighErrorRate",
    evalTime: "15m",
    series: [...traffic(600, 0), counter("http_requests_total", route("/ready", "503"), 600)],
    expect: [],
  },
  {
    name: "10% errors for only 3 minutes (for: 5m)",
    alert: "ApiHighErrorRate",
    evalTime: "8m",
    series: [
      counter("http_requests_total", route("/api/projects", "200"), 540),
      series("http_requests_total", route("/api/projects", "500"), "0x4 0+60x4"),
    ],
    expect: [],
  },
  {
    name: "p99 at 2.05 s",
    alert: "ApiHighLatencyP99",
    evalTime: "15m",
    series: latency(20, 2.5),
    expect: [
      {
        labels: { severity: "warning", job: JOB },
        description:
          "The p99 latency of API requests of showcase-api is 2.05s over the last 5m (threshold 1s).",
      },
    ],
  },
  { name: "p99 at 975 ms", alert: "ApiHighLatencyP99", evalTime: "15m", series: latency(120, 1), expect: [] },
  {
    name: "p90 at 750 ms",
    alert: "ApiHighLatencyP90",
    evalTime: "15m",
    series: latency(120, 1),
    expect: [
      {
        labels: { severity: "warning", job: JOB },
        description:
          "The p90 latency of API requests of showcase-api is 750ms over the last 5m (threshold 0.5s).",
      },
    ],
  },
  {
    name: "p90 under 100 ms",
    alert: "ApiHighLatencyP90",
    evalTime: "15m",
    series: latency(20, 2.5),
    expect: [],
  },
  {
    name: "one of two instances down",
    alert: "AppTargetDown",
    evalTime: "15m",
    series: [series("up", A, "1x4 0x30"), gauge("up", B, 1)],
    expect: [
      {
        labels: { severity: "warning", ...A },
        description: "a:9464 of job showcase-api has failed every scrape for 5m.",
      },
    ],
  },
  {
    name: "every instance down",
    alert: "AppTargetDown",
    evalTime: "15m",
    series: [series("up", A, "1x4 0x30"), series("up", B, "1x4 0x30")],
    expect: [
      {
        labels: { severity: "warning", ...A },
        description: "a:9464 of job showcase-api has failed every scrape for 5m.",
      },
      {
        labels: { severity: "warning", ...B },
        description: "b:9464 of job showcase-api has failed every scrape for 5m.",
      },
      {
        labels: { severity: "critical", job: JOB },
        description:
          "No target of job showcase-api has answered a scrape for 5m: the app is down or unreachable.",
      },
    ],
  },
  {
    name: "one failed scrape",
    alert: "AppTargetDown",
    evalTime: "15m",
    series: [series("up", A, "1x9 0 1x20")],
    expect: [],
  },
  {
    name: "no target discovered",
    alert: "AppTargetAbsent",
    evalTime: "10m",
    series: [gauge("up", { job: "prometheus", instance: "localhost:9090" }, 1)],
    expect: [
      {
        labels: { severity: "critical", job: JOB },
        description:
          "Prometheus has discovered no target of job showcase-api for 5m: no task runs, or service discovery is broken.",
      },
    ],
  },
  {
    name: "a target is discovered",
    alert: "AppTargetAbsent",
    evalTime: "10m",
    series: [gauge("up", A, 0)],
    expect: [],
  },
  {
    name: "3 restarts of one instance and 3 new instances within the hour",
    alert: "AppTooManyRestarts",
    evalTime: "35m",
    series: [restarting(3), started("b:9464", 600), started("c:9464", 900), started("d:9464", 1200)],
    expect: [
      {
        labels: { severity: "warning", job: JOB },
        description:
          "6 processes of job showcase-api started within the last hour (threshold 5): tasks crash or are replaced over and over.",
      },
    ],
  },
  {
    name: "3 restarts and an old instance",
    alert: "AppTooManyRestarts",
    evalTime: "35m",
    series: [restarting(3), started("e:9464", -7200)],
    expect: [],
  },
];
