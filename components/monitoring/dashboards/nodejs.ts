// Node.js runtime: event loop, heap, memory, GC, handles, file descriptors, CPU, restarts, and
// the served certificate's expiry.
import type { VariableBuilder } from "./variables";
import { METRICS } from "../conventions";
import { histogram } from "../promql";
import { app, rate } from "./promql";
import { CERTIFICATE_DAYS_LEFT, DAY_SECONDS } from "../rules/runtime-alerts";
import { prom, stat, steps, timeseries } from "./panels";
import type { DashboardSpec } from "./spec";
import { UIDS } from "./uids";

const PER_INSTANCE = "{{instance}}";
const GC = histogram(METRICS.gcDuration);

export function nodejsDashboard(variables: VariableBuilder[]): DashboardSpec {
  return {
    uid: UIDS.nodejs,
    title: "Showcase API: Node.js runtime",
    description: "Event loop, memory, garbage collection and process resources of each app instance.",
    variables,
    panels: [
      timeseries({
        title: "Event loop lag",
        description:
          "Event loop delay percentiles per instance, measured between scrapes (prom-client resets them at each scrape).",
        unit: "s",
        targets: (["p50", "p90", "p99"] as const).map((p) =>
          prom(app(METRICS.eventLoopLag(p)), `${p} {{instance}}`),
        ),
      }),
      timeseries({
        title: "CPU",
        description: "CPU time used per second (1 = one full core), per instance.",
        unit: "short",
        targets: [prom(rate(app(METRICS.processCpu), ["instance"]), PER_INSTANCE)],
      }),
      timeseries({
        title: "V8 heap",
        description: "Heap used, heap allocated and V8's heap size limit, per instance.",
        unit: "bytes",
        targets: [
          prom(app(METRICS.heapSizeUsed), "used {{instance}}"),
          prom(app(METRICS.heapSizeTotal), "allocated {{instance}}"),
          prom(app(METRICS.heapSizeLimit), "limit {{instance}}"),
        ],
      }),
      timeseries({
        title: "Heap spaces used",
        description: "Bytes used in each V8 heap space (new, old, code, large objects…), per instance.",
        unit: "bytes",
        targets: [prom(app(METRICS.heapSpaceSizeUsed), "{{space}} {{instance}}")],
      }),
      timeseries({
        title: "Resident memory and limit",
        description: "Resident set size of each process, and its container memory limit when it has one.",
        unit: "bytes",
        targets: [
          // One query, so it has data even where no limit is exported (no cgroup limit locally).
          prom(
            `label_replace(${app(METRICS.processResidentMemory)}, "series", "resident", "", "")\n` +
              `or label_replace(${app(METRICS.memoryLimit)}, "series", "limit", "", "")`,
            "{{series}} {{instance}}",
          ),
        ],
      }),
      timeseries({
        title: "GC time by kind",
        description:
          "Share of wall time spent in garbage collection, by GC kind (major, minor, incremental, weakcb).",
        unit: "percentunit",
        targets: [prom(rate(app(GC.sum), ["kind"]), "{{kind}}")],
      }),
      timeseries({
        title: "GC runs by kind",
        description: "Garbage collections per second, by GC kind.",
        unit: "ops",
        targets: [prom(rate(app(GC.count), ["kind"]), "{{kind}}")],
      }),
      timeseries({
        title: "Active handles and requests",
        description:
          "libuv handles (sockets, timers…) and requests (file system, DNS…) keeping the event loop alive.",
        unit: "short",
        targets: [
          prom(app(METRICS.activeHandles), "handles {{instance}}"),
          prom(app(METRICS.activeRequests), "requests {{instance}}"),
        ],
      }),
      timeseries({
        title: "File descriptors",
        description: "Open file descriptors and the process limit, per instance.",
        unit: "short",
        targets: [
          prom(app(METRICS.processOpenFds), "open {{instance}}"),
          prom(app(METRICS.processMaxFds), "max {{instance}}"),
        ],
      }),
      timeseries({
        title: "Uptime",
        description:
          "Time since each process started: a drop to zero is a restart; a new line is a new task.",
        unit: "s",
        targets: [prom(`time() - ${app(METRICS.processStartTime)}`, PER_INSTANCE)],
      }),
      stat({
        title: "Restarts in range",
        description:
          "Process restarts seen on known instances within the selected time range (new ECS tasks show as new instances instead).",
        unit: "short",
        targets: [prom(`sum(changes(${app(METRICS.processStartTime)}[$__range]))`, "restarts")],
      }),
      stat({
        title: "Certificate expires in",
        description:
          "Time left until the certificate each instance serves expires (its listeners serve the same one); orange and red where AppCertificateExpiring warns and pages.",
        unit: "s",
        targets: [prom(`min by (instance) (${app(METRICS.tlsCertificateNotAfter)}) - time()`, PER_INSTANCE)],
        thresholds: steps(
          ["red", null],
          ["orange", CERTIFICATE_DAYS_LEFT.critical * DAY_SECONDS],
          ["green", CERTIFICATE_DAYS_LEFT.warning * DAY_SECONDS],
        ),
      }),
    ],
  };
}
