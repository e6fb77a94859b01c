// The tables of the Prometheus memory benchmark: each Prometheus's figures, what each added
// series cost over the baseline, and what that means for the stack files' Prometheus tasks.
import { fmt, printTable } from "../../service/bench/stats";
import type { TrafficStats } from "../traffic";
import { exporterSeries, fit, HEADROOM_SHARE, stackPrometheusTasks } from "./memory-projection";
import type { Reading } from "./tested-prometheus";

export interface Measured {
  /** Service instances scraped; 0 is the baseline. */
  instances: number;
  /** One per scrape interval, in order. */
  readings: Reading[];
}

interface Figures {
  instances: number;
  final: Reading;
  peakRss: number;
  peakHeap: number;
}

export interface RunFacts {
  traffic: TrafficStats & { seconds: number; instances: number };
  minutes: number;
  /** The local profile's, which the tested Prometheus use. */
  scrapeInterval: string;
  /** Fraction of the CPU time the hypervisor stole during the measurement. */
  steal: number;
  loadAfter: string;
  appTargetsDown: number;
}

const MiB = 2 ** 20;
const mib = (bytes: number) => fmt(bytes / MiB, 1);
const kib = (bytes: number) => fmt(bytes / 1024, 2);
const count = (n: number) => Math.round(n).toLocaleString("en-US");
const added = (f: Figures, base: Figures) => f.final.headSeries - base.final.headSeries;
const title = (n: number) => (n === 0 ? "baseline" : `${n} instance${n === 1 ? "" : "s"}`);

function figures({ instances, readings }: Measured): Figures {
  const final = readings.at(-1);
  if (final === undefined) throw new Error(`no readings of the ${title(instances)} Prometheus`);
  return {
    instances,
    final,
    peakRss: Math.max(...readings.map((r) => r.rssBytes)),
    peakHeap: Math.max(...readings.map((r) => r.heapInuseBytes)),
  };
}

function printRun({ traffic, steal, loadAfter, appTargetsDown }: RunFacts): void {
  const statuses = Object.entries(traffic.byStatus)
    .map(([status, n]) => `${status}: ${count(n)}`)
    .join(", ");
  console.log(
    `traffic: ${count(traffic.requests)} requests in ${fmt(traffic.seconds, 0)} s, ` +
      `${fmt(traffic.requests / traffic.seconds, 1)} req/s over ${traffic.instances} instances ` +
      `(${statuses}); ${traffic.failures} failed; app targets down at the end: ${appTargetsDown}`,
  );
  console.log(
    `the hypervisor stole ${fmt(steal * 100, 1)} % of the CPU time during the measurement; ` +
      `load average at its end: ${loadAfter} (1, 5, 15 min)`,
  );
}

function printFigures(all: Figures[], base: Figures): void {
  printTable(
    [
      "Prometheus",
      "head series",
      "series/instance",
      "samples/s",
      "RSS MiB final",
      "peak",
      "Go heap in use MiB final",
      "peak",
    ],
    all.map((f) => [
      title(f.instances),
      count(f.final.headSeries),
      f === base ? "-" : count(added(f, base) / f.instances),
      count(f.final.samplesPerSecond),
      mib(f.final.rssBytes),
      mib(f.peakRss),
      mib(f.final.heapInuseBytes),
      mib(f.peakHeap),
    ]),
  );
}

function printPerSeries(all: Figures[], base: Figures): void {
  console.log("\nPer series the instances added, over the baseline (1 instance adds few: noisy):");
  printTable(
    ["Prometheus", "added series", "RSS KiB final", "peak", "Go heap KiB final", "peak"],
    all
      .filter((f) => f !== base)
      .map((f) => [
        title(f.instances),
        count(added(f, base)),
        kib((f.final.rssBytes - base.final.rssBytes) / added(f, base)),
        kib((f.peakRss - base.peakRss) / added(f, base)),
        kib((f.final.heapInuseBytes - base.final.heapInuseBytes) / added(f, base)),
        kib((f.peakHeap - base.peakHeap) / added(f, base)),
      ]),
  );
}

function printProjection(largest: Figures, base: Figures, run: RunFacts): void {
  // The larger of peak-over-peak and final-over-final: a start-up spike of the baseline's peak
  // would otherwise make the figure look cheaper than it is.
  const bytesPerSeries =
    Math.max(largest.peakRss - base.peakRss, largest.final.rssBytes - base.final.rssBytes) /
    added(largest, base);
  const seriesPerInstance = added(largest, base) / largest.instances;
  const exporter = exporterSeries();
  const baseline = { peakRssBytes: base.peakRss, series: base.final.headSeries };
  console.log(
    `\nWhat fits in the stack files' Prometheus tasks at the figures of the ${largest.instances}-instance Prometheus ` +
      `(${kib(bytesPerSeries)} KiB of RSS per added series, the larger of peak and final, ${count(seriesPerInstance)} series per ` +
      `instance), the baseline's peak included, under the rule: peak RSS at most ` +
      `${HEADROOM_SHARE * 100} % of the task memory (the budget):`,
  );
  const tasks = stackPrometheusTasks();
  printTable(
    [
      "stack",
      "task MiB",
      "budget MiB",
      "series",
      "instances",
      `with ecs_exporter (+${exporter})`,
      "app maxCount",
    ],
    tasks.map((task) => {
      const plain = fit(task, baseline, bytesPerSeries, seriesPerInstance);
      const withExporter = fit(task, baseline, bytesPerSeries, seriesPerInstance + exporter);
      return [
        task.stack,
        count(task.memoryBytes / MiB),
        count(plain.budgetBytes / MiB),
        count(plain.series),
        count(plain.instances),
        task.ecsExporter ? count(withExporter.instances) : "-",
        String(task.appMaxCount),
      ];
    }),
  );
  const intervals = tasks.map((t) => `${t.stack} ${t.scrapeInterval}`).join(", ");
  const writers = tasks.filter((t) => t.remoteWrite).map((t) => t.stack);
  console.log(
    [
      `Why half: the head is compacted into a block every 2 h and memory about doubles around it,`,
      `which a ${run.minutes}-minute run does not reach; queries (dashboards, long ranges) and the`,
      `task's sidecars take their share too. ecs_exporter: each app task's sidecar adds ${exporter} series`,
      `(its fixture's output, its target's up and scrape_*), not scraped here (one exporter per task`,
      `port). Scrape interval here ${run.scrapeInterval}, in the stacks ${intervals}: memory per series is`,
      `mostly the series, not its samples (full chunks of 120 samples leave the heap for disk). Not measured:`,
      `Alertmanager's series (down here: one failing target)` +
        (writers.length === 0 ? "." : `; remote write's own memory per series (${writers.join(", ")}).`),
    ].join("\n"),
  );
}

export function printReport(measured: Measured[], run: RunFacts): void {
  const all = measured.map(figures);
  const base = all.find((f) => f.instances === 0);
  const largest = all.at(-1);
  if (base === undefined || largest === undefined || largest === base) {
    throw new Error("the report needs the baseline and at least one Prometheus scraping instances");
  }
  console.log("");
  printRun(run);
  console.log("");
  printFigures(all, base);
  printPerSeries(all, base);
  printProjection(largest, base, run);
}
