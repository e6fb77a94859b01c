// Histograms kept in plain numbers, for the metrics recorded on every request: prom-client's own
// observe() validates and hashes the labels on every call, even through labels() children (about
// 1 µs per call, more than everything else the instrumentation does per request). A family reads
// its series at scrape time, through prom-client's registry as any metric, and also writes its own
// exposition text, a slice of series at a time with the event loop free in between
// (exposition.ts): formatted by prom-client, 20,000 series held the loop for 50–70 ms, every
// request of that moment waiting (docs/decisions/0020).
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Metric, Registry } from "prom-client";
import type { SlicedMetric } from "./exposition";

/** Series formatted between two turns of the event loop: about 0.7 ms for HTTP's 15 lines each. */
export const SERIES_PER_SLICE = 100;

type Labels = Readonly<Record<string, string>>;

/** A label value as the text format wants it (prom-client's escaping). */
const escapeLabelValue = (value: string) =>
  value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

/** One label combination of a histogram: observations per bucket, their count and sum. */
export class Series<L extends Labels = Labels> {
  count = 0;
  sum = 0;
  /** Observations per bucket, not cumulative; the last slot holds those above the largest bound. */
  readonly perBucket: Float64Array;
  /** The labels as exposition text, escaped once: `method="GET",route="/x",status_code="200"`. */
  readonly text: string;

  constructor(
    readonly labels: L,
    private readonly bounds: readonly number[],
  ) {
    this.perBucket = new Float64Array(bounds.length + 1);
    this.text = Object.entries(labels)
      .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
      .join(",");
  }

  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.perBucket.fill(0);
  }

  observe(value: number): void {
    this.count++;
    this.sum += value;
    let bucket = 0;
    while (bucket < this.bounds.length && value > this.bounds[bucket]!) bucket++;
    this.perBucket[bucket]!++;
  }
}

/** A sample as prom-client's registry formats it: the series' labels are shared, `labels` its own. */
interface Sample {
  metricName: string;
  labels: { le?: number | string };
  sharedLabels: Labels;
  value: number;
}

/** What a family is: its name and help, and how it reads its series. */
interface Family {
  name: string;
  help: string;
  type: "counter" | "histogram";
  samples: (series: Series) => Sample[];
  /** Copies what `lines` needs from every series, in one synchronous stretch. */
  snapshot: (all: readonly Series[]) => Float64Array;
  /** The family's lines of series `index` of the snapshot, each ending in a newline. */
  lines: (series: Series, snapshot: Float64Array, index: number) => string;
}

/**
 * What prom-client's registry uses of a metric, plus its own text (SlicedMetric). The registry
 * prefers getForPromString(), whose shared labels it renders once per series; get() has the
 * labels merged (getMetricsAsJSON).
 */
function collector(family: Family, all: readonly Series[]) {
  const { name, help, type } = family;
  const metric = <V>(values: V[]) => ({ name, help, type, aggregator: "sum", values });
  const sliced: SlicedMetric = {
    async expositionText() {
      // Families are snapshotted in the same turn of the loop (the scrape starts them one after
      // the other), so a counter and a histogram of the same series agree as requests go on.
      const series = all.slice();
      const snapshot = family.snapshot(series);
      const slices = [`# HELP ${name} ${help}\n# TYPE ${name} ${type}`];
      for (let start = 0; start < series.length; start += SERIES_PER_SLICE) {
        if (start > 0) await nextTurn();
        let text = "";
        for (let i = start; i < Math.min(start + SERIES_PER_SLICE, series.length); i++) {
          text += family.lines(series[i]!, snapshot, i);
        }
        slices.push(text.slice(0, -1));
      }
      return slices;
    },
  };
  return {
    ...sliced,
    name,
    help,
    type,
    aggregator: "sum",
    getForPromString: () => Promise.resolve(metric(all.flatMap(family.samples))),
    get: () =>
      Promise.resolve(
        metric(
          all.flatMap(family.samples).map(({ metricName, labels, sharedLabels, value }) => ({
            metricName,
            labels: { ...sharedLabels, ...labels },
            value,
          })),
        ),
      ),
    reset: () => all.forEach((series) => series.reset()),
  };
}

/** A histogram of the series' observations. */
function histogramFamily(name: string, help: string, bounds: readonly number[]): Family {
  // Per series in the snapshot: cumulative bucket counts, then count, then sum.
  const stride = bounds.length + 2;
  const leText = bounds.map((le) => `${name}_bucket{le="${le}",`);
  return {
    name,
    help,
    type: "histogram",
    samples(series) {
      const sample = (suffix: string, value: number, le?: number | string): Sample => ({
        metricName: name + suffix,
        labels: le === undefined ? {} : { le },
        sharedLabels: series.labels,
        value,
      });
      let cumulative = 0;
      const buckets = bounds.map((le, i) => sample("_bucket", (cumulative += series.perBucket[i]!), le));
      return [
        ...buckets,
        sample("_bucket", series.count, "+Inf"),
        sample("_sum", series.sum),
        sample("_count", series.count),
      ];
    },
    snapshot(all) {
      const snapshot = new Float64Array(all.length * stride);
      all.forEach((series, i) => {
        const at = i * stride;
        let cumulative = 0;
        for (let b = 0; b < bounds.length; b++) snapshot[at + b] = cumulative += series.perBucket[b]!;
        snapshot[at + bounds.length] = series.count;
        snapshot[at + bounds.length + 1] = series.sum;
      });
      return snapshot;
    },
    lines(series, snapshot, i) {
      const at = i * stride;
      const labels = series.text;
      let text = "";
      for (let b = 0; b < bounds.length; b++) text += `${leText[b]}${labels}} ${snapshot[at + b]}\n`;
      const count = snapshot[at + bounds.length];
      return (
        text +
        `${name}_bucket{le="+Inf",${labels}} ${count}\n` +
        `${name}_sum{${labels}} ${snapshot[at + bounds.length + 1]}\n` +
        `${name}_count{${labels}} ${count}\n`
      );
    },
  };
}

/** A counter of the series' observations (their count), as a family of its own. */
function countFamily(name: string, help: string): Family {
  return {
    name,
    help,
    type: "counter",
    samples: (s) => [{ metricName: name, labels: {}, sharedLabels: s.labels, value: s.count }],
    snapshot: (all) => Float64Array.from(all, (s) => s.count),
    lines: (s, snapshot, i) => `${name}{${s.text}} ${snapshot[i]}\n`,
  };
}

export interface HistogramOptions {
  name: string;
  help: string;
  buckets: readonly number[];
  /** Also a counter of the observations under this name (the histogram's _count, as a counter). */
  counter?: { name: string; help: string };
}

/**
 * Registers a histogram (and its counter) over `all`, whose series the caller creates (with
 * `series`) and observes; a series appended to `all` shows from the next scrape on.
 */
export function registerHistogram(
  registry: Registry,
  all: readonly Series[],
  options: HistogramOptions,
): void {
  const families = [
    ...(options.counter === undefined ? [] : [countFamily(options.counter.name, options.counter.help)]),
    histogramFamily(options.name, options.help, options.buckets),
  ];
  for (const family of families) {
    // The registry needs only what collector() provides; prom-client's types name its own classes.
    registry.registerMetric(collector(family, all) as unknown as Metric);
  }
}
