// Application overview: is the API up, how much traffic, how many errors, how fast, and where.
import { PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import { METRICS } from "../conventions";
import { histogram, SERVER_ERROR } from "../promql";
import { api, app, failures, quantileOf, rate } from "./promql";
import { prom, stat, table, thresholds, timeseries, upDownMapping } from "./panels";
import type { DashboardSpec } from "./spec";
import { UIDS } from "./uids";
import type { AlertThresholds } from "../types";
import type { VariableBuilder } from "./variables";

const REQUESTS = api(METRICS.httpRequests);
const ERROR_RATIO = `${failures(api(METRICS.httpRequests, SERVER_ERROR), REQUESTS)} / ${rate(REQUESTS)}`;
const BUCKETS = api(histogram(METRICS.httpRequestDuration).bucket);

export function overviewDashboard(
  variables: VariableBuilder[],
  limits: Required<AlertThresholds>,
): DashboardSpec {
  return {
    uid: UIDS.overview,
    title: "Showcase API: overview",
    description: "Traffic, errors, latency and health of the showcase API at a glance.",
    variables,
    panels: [
      stat({
        title: "Request rate",
        description: "API requests per second (probes excluded).",
        unit: "reqps",
        targets: [prom(rate(REQUESTS), "requests/s")],
      }),
      stat({
        title: "Error ratio",
        description: "Share of API requests answered with a 5xx status.",
        unit: "percentunit",
        targets: [prom(ERROR_RATIO, "5xx ratio")],
        thresholds: thresholds(limits.errorRatio / 2, limits.errorRatio),
      }),
      stat({
        title: "Latency p99",
        description: "99th percentile of API request duration.",
        unit: "s",
        targets: [prom(quantileOf(0.99, BUCKETS), "p99")],
        thresholds: thresholds(limits.latencyP99Seconds / 2, limits.latencyP99Seconds),
      }),
      stat({
        title: "Targets up",
        description: "Whether Prometheus can scrape each app instance (its metrics port answers).",
        unit: "none",
        targets: [prom(app("up"), "{{instance}}")],
        mappings: upDownMapping(),
      }),
      timeseries({
        title: "Requests by status code",
        description: "API requests per second, by HTTP status code.",
        unit: "reqps",
        targets: [prom(rate(REQUESTS, ["status_code"]), "{{status_code}}")],
      }),
      timeseries({
        title: "Error ratio",
        description: "Share of API requests answered with a 5xx status.",
        unit: "percentunit",
        targets: [prom(ERROR_RATIO, "5xx ratio")],
      }),
      timeseries({
        title: "Latency percentiles",
        description: "p50, p90 and p99 of API request duration (histogram interpolation).",
        unit: "s",
        targets: [50, 90, 99].map((q) => prom(quantileOf(q / 100, BUCKETS), `p${q}`)),
      }),
      table({
        title: "Top endpoints",
        description:
          "The ten busiest routes over the selected time range, in requests per second (probes included).",
        unit: "reqps",
        targets: [
          prom(`topk(10, ${rate(app(METRICS.httpRequests), ["method", "route"], "$__range")})`, "", {
            instant: true,
            format: PromQueryFormat.Table,
          }),
        ],
      }),
    ],
  };
}
