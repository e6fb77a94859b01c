// Event-loop lag as its name says: how late the loop ran a timer that was due. Node's
// monitorEventLoopDelay records the whole time between two of its samples, the sampling interval
// included, and prom-client reports those figures as they are: an idle loop sampled every 50 ms
// showed 50 ms of "lag", and an alert at 0.2 s fired at 150 ms of real lag. These gauges take the
// interval out. Like prom-client's, they cover the time since the last scrape.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Gauge, type Registry } from "prom-client";
import {
  EVENT_LOOP_LAG_FIGURES as FIGURES,
  type EventLoopLagFigure as Figure,
  METRICS,
} from "showcase-monitoring-conventions";

/** prom-client's names for the figures it derives from its own sampler, replaced here. */
export const EVENT_LOOP_LAG_METRICS = FIGURES.map(METRICS.eventLoopLag);

export function registerEventLoopLag(registry: Registry, samplingMs: number): void {
  const histogram = monitorEventLoopDelay({ resolution: samplingMs });
  histogram.enable();
  const interval = samplingMs / 1000;
  /** Seconds late, from a sample's nanoseconds. */
  const lag = (ns: number) => Math.max(0, ns / 1e9 - interval);
  const read = (): Record<Figure, number> => {
    if (histogram.count === 0) return { min: 0, max: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p99: 0 };
    return {
      min: lag(histogram.min),
      max: lag(histogram.max),
      mean: lag(histogram.mean),
      stddev: histogram.stddev / 1e9,
      p50: lag(histogram.percentile(50)),
      p90: lag(histogram.percentile(90)),
      p99: lag(histogram.percentile(99)),
    };
  };
  for (const name of EVENT_LOOP_LAG_METRICS) registry.removeSingleMetric(name);
  const gauges = new Map<Figure, Gauge>();
  for (const figure of FIGURES) {
    gauges.set(
      figure,
      new Gauge({
        name: METRICS.eventLoopLag(figure),
        help: `Event-loop lag beyond the ${samplingMs} ms sampling interval since the last scrape, ${figure}, in seconds.`,
        registers: [registry],
        // The first gauge's collect reads every figure and starts a new window; the registry
        // collects metrics in the order they were registered.
        ...(figure === FIGURES[0] && {
          collect() {
            const figures = read();
            histogram.reset();
            for (const [name, gauge] of gauges) gauge.set(figures[name]);
          },
        }),
      }),
    );
  }
}
