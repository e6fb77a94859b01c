// Cases of the Node.js runtime alerts (runtime.rules.yml).
import { JOB } from "../support/inputs";
import type { AlertCase } from "../support/rule-tests";
import { counter, gauge, series, type InputSeries } from "../support/series";

const A = { job: JOB, instance: "a:9464" };
const MIB = 1024 * 1024;
const DAY = 86_400;
// The certificate's notAfter `days` after the case's evaluation time (10m), on the metrics listener.
const expiresIn = (days: number) =>
  gauge("tls_certificate_not_after_timestamp_seconds", { ...A, listener: "metrics" }, 600 + days * DAY);
const onMetrics = { ...A, listener: "metrics" };

/** A firing case (at 10m, the condition holding from the start) and a silent one, for one instance. */
function pair(
  alert: string,
  firing: InputSeries[],
  description: string,
  silent: InputSeries[],
  silentName: string,
): AlertCase[] {
  return [
    {
      name: "condition holds",
      alert,
      evalTime: "10m",
      series: firing,
      expect: [{ labels: { severity: "warning", ...A }, description }],
    },
    { name: silentName, alert, evalTime: "10m", series: silent, expect: [] },
  ];
}

export const runtimeCases: AlertCase[] = [
  {
    name: "20 days left warns",
    alert: "AppCertificateExpiring",
    evalTime: "10m",
    series: [expiresIn(20)],
    expect: [
      {
        labels: { severity: "warning", ...onMetrics },
        description:
          "The certificate a:9464 serves on its metrics listener expires in 20d 0h 0m 0s (threshold 21 days).",
      },
    ],
  },
  {
    name: "5 days left pages too",
    alert: "AppCertificateExpiring",
    evalTime: "10m",
    series: [expiresIn(5)],
    expect: ["warning", "critical"].map((severity) => ({
      labels: { severity, ...onMetrics },
      description: `The certificate a:9464 serves on its metrics listener expires in 5d 0h 0m 0s (threshold ${severity === "warning" ? 21 : 7} days).`,
    })),
  },
  {
    name: "renewed in time (30 days left)",
    alert: "AppCertificateExpiring",
    evalTime: "10m",
    series: [expiresIn(30)],
    expect: [],
  },
  ...pair(
    "AppEventLoopLagHigh",
    [gauge("nodejs_eventloop_lag_p99_seconds", A, 0.35)],
    "The event loop of a:9464 lags 350ms at p99 (threshold 0.2s).",
    [series("nodejs_eventloop_lag_p99_seconds", A, "0.5x2 0.05x20")],
    "a 2-minute spike (for: 5m)",
  ),
  ...pair(
    "AppHeapNearLimit",
    [
      gauge("nodejs_heap_size_used_bytes", A, 950 * MIB),
      gauge("nodejs_heap_size_limit_bytes", A, 1000 * MIB),
    ],
    "a:9464 uses 95% of its V8 heap limit (threshold 90%).",
    [
      gauge("nodejs_heap_size_used_bytes", A, 800 * MIB),
      gauge("nodejs_heap_size_limit_bytes", A, 1000 * MIB),
    ],
    "80% of the heap limit",
  ),
  ...pair(
    "AppMemoryNearLimit",
    [gauge("process_resident_memory_bytes", A, 487 * MIB), gauge("process_memory_limit_bytes", A, 512 * MIB)],
    "a:9464 uses 95.12% of its container memory limit (threshold 90%).",
    [gauge("process_resident_memory_bytes", A, 4000 * MIB)],
    "no memory limit exported (unlimited)",
  ),
  ...pair(
    "AppCpuHigh",
    [counter("process_cpu_seconds_total", A, 57)],
    "a:9464 used 0.95 CPU cores over the last 5m (threshold 0.9).",
    [counter("process_cpu_seconds_total", A, 30)],
    "half a core",
  ),
  ...pair(
    "AppFileDescriptorsNearLimit",
    [gauge("process_open_fds", A, 900), gauge("process_max_fds", A, 1000)],
    "a:9464 has 90% of its file descriptors open (threshold 80%).",
    [gauge("process_open_fds", A, 100), gauge("process_max_fds", A, 1000)],
    "10% of the limit",
  ),
  ...pair(
    "AppGcTimeHigh",
    [
      counter("nodejs_gc_duration_seconds_sum", { ...A, kind: "major" }, 6),
      counter("nodejs_gc_duration_seconds_sum", { ...A, kind: "minor" }, 3),
    ],
    "a:9464 spent 15% of the last 5m in garbage collection (threshold 10%).",
    [counter("nodejs_gc_duration_seconds_sum", { ...A, kind: "minor" }, 1)],
    "under 2% in GC",
  ),
];
