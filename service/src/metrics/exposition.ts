// The text a scrape answers with: prom-client's registry, except that metrics which write their
// own text (the HTTP families, thousands of series on a busy service) do so in slices, letting
// requests through in between. The registry's own metrics() would format every family in one go.
import type { Registry } from "prom-client";

/** A metric that writes its own exposition text: HELP, TYPE and samples, in pieces of whole lines. */
export interface SlicedMetric {
  /** The pieces, each without its final newline. */
  expositionText(): Promise<string[]>;
}

const isSliced = (metric: object): metric is SlicedMetric =>
  typeof (metric as Partial<SlicedMetric>).expositionText === "function";

/** The registry's metrics in Prometheus's text format, as `registry.metrics()` writes them. */
export async function renderExposition(registry: Registry): Promise<string> {
  // Started in registration order, as the registry does: the event-loop gauges rely on it.
  const families = await Promise.all(
    registry
      .getMetricsAsArray()
      .map((metric) =>
        isSliced(metric)
          ? metric.expositionText()
          : registry.getSingleMetricAsString(metric.name).then((t) => [t]),
      ),
  );
  // One join, one copy of the text: families apart by a blank line, as prom-client writes them.
  return `${families.flatMap((pieces, i) => (i === 0 ? pieces : ["", ...pieces])).join("\n")}\n`;
}
