// HTTP metrics: a request counter and a latency histogram by method, route template and status.
// Each route gets its own onResponse hook that already knows its template, so the hot path does
// no route lookup. Counts accumulate in plain numbers per series; prom-client only sees them at
// scrape time. (Its own observe() validates and hashes the labels on every call, even through
// labels() children: about 1 µs per request for the two metrics, more than everything else here.)
import type { FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import type { Metric, Registry } from "prom-client";
import { HTTP_DURATION_BUCKETS, METRICS, UNMATCHED_ROUTE } from "showcase-monitoring-conventions";

const REQUESTS = METRICS.httpRequests;
const DURATION = METRICS.httpRequestDuration;

export type ResponseHook = (request: FastifyRequest, reply: FastifyReply, done: () => void) => void;

export interface HttpMetrics {
  /** An onRoute hook: adds the recording onResponse hook to every route registered after it. */
  onRoute: (route: RouteOptions) => void;
  /** The onResponse hook of requests that matched no route. */
  unmatched: ResponseHook;
}

type Labels = Readonly<{ method: string; route: string; status_code: string }>;

/** One method/route/status combination. */
class Series {
  count = 0;
  sum = 0;
  /** Observations per bucket, not cumulative; the last slot holds those above the largest bound. */
  readonly perBucket = new Float64Array(HTTP_DURATION_BUCKETS.length + 1);

  constructor(readonly labels: Labels) {}

  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.perBucket.fill(0);
  }

  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    let bucket = 0;
    while (bucket < HTTP_DURATION_BUCKETS.length && seconds > HTTP_DURATION_BUCKETS[bucket]!) bucket++;
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

/**
 * What prom-client's registry uses of a metric. It prefers getForPromString(), whose shared labels
 * it renders once per series and caches, as for its own histograms; get() has the labels merged.
 */
function collector(
  name: string,
  help: string,
  type: "counter" | "histogram",
  all: Series[],
  samples: (series: Series) => Sample[],
) {
  const metric = <V>(values: V[]) => ({ name, help, type, aggregator: "sum", values });
  return {
    name,
    help,
    type,
    aggregator: "sum",
    getForPromString: () => Promise.resolve(metric(all.flatMap(samples))),
    get: () =>
      Promise.resolve(
        metric(
          all.flatMap(samples).map(({ metricName, labels, sharedLabels, value }) => ({
            metricName,
            labels: { ...sharedLabels, ...labels },
            value,
          })),
        ),
      ),
    reset: () => all.forEach((series) => series.reset()),
  };
}

function histogramSamples(series: Series): Sample[] {
  const sample = (suffix: string, value: number, le?: number | string): Sample => ({
    metricName: DURATION + suffix,
    labels: le === undefined ? {} : { le },
    sharedLabels: series.labels,
    value,
  });
  let cumulative = 0;
  const buckets = HTTP_DURATION_BUCKETS.map((le, i) =>
    sample("_bucket", (cumulative += series.perBucket[i]!), le),
  );
  return [
    ...buckets,
    sample("_bucket", series.count, "+Inf"),
    sample("_sum", series.sum),
    sample("_count", series.count),
  ];
}

export function createHttpMetrics(registry: Registry): HttpMetrics {
  const all: Series[] = [];
  const register = (metric: ReturnType<typeof collector>) =>
    // The registry needs only what collector() provides; prom-client's types name its own classes.
    registry.registerMetric(metric as unknown as Metric);
  register(
    collector(
      REQUESTS,
      "HTTP requests answered, by method, route template and status code.",
      "counter",
      all,
      (s) => [{ metricName: REQUESTS, labels: {}, sharedLabels: s.labels, value: s.count }],
    ),
  );
  register(
    collector(
      DURATION,
      "Time from receiving an HTTP request to sending its response, in seconds.",
      "histogram",
      all,
      histogramSamples,
    ),
  );

  function hookFor(route: string): ResponseHook {
    // Series of this route by method and status code ("GET200").
    const byKey = new Map<string, Series>();
    return (request, reply, done) => {
      const key = request.method + reply.statusCode;
      let series = byKey.get(key);
      if (series === undefined) {
        series = new Series({ method: request.method, route, status_code: String(reply.statusCode) });
        byKey.set(key, series);
        all.push(series);
      }
      series.observe(reply.elapsedTime / 1000);
      done();
    };
  }

  return {
    onRoute: (route) => {
      const own = route.onResponse === undefined ? [] : [route.onResponse].flat();
      route.onResponse = [...own, hookFor(route.url)];
    },
    unmatched: hookFor(UNMATCHED_ROUTE),
  };
}
