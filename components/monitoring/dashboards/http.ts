// HTTP detail: traffic, errors and latency per endpoint, the latency distribution, status codes,
// and the requests refused before routing.
import { PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import type { VariableBuilder } from "./variables";
import { METRICS, UNMATCHED_ROUTE } from "../conventions";
import { histogram, SERVER_ERROR } from "../promql";
import { app, failures, quantileOf, rate } from "./promql";
import { heatmap, prom, timeseries } from "./panels";
import type { DashboardSpec } from "./spec";
import { UIDS } from "./uids";

const REQUESTS = app(METRICS.httpRequests);
const ERRORS = app(METRICS.httpRequests, SERVER_ERROR);
const BUCKETS = app(histogram(METRICS.httpRequestDuration).bucket);
const ENDPOINT = ["method", "route"];
const ENDPOINT_LEGEND = "{{method}} {{route}}";

export function httpDashboard(variables: VariableBuilder[]): DashboardSpec {
  return {
    uid: UIDS.http,
    title: "Showcase API: HTTP",
    description: "Requests, errors and latency of every endpoint of the showcase API, probes included.",
    variables,
    panels: [
      timeseries({
        title: "Request rate by endpoint",
        description: `Requests per second by method and route template; unmatched requests have route "${UNMATCHED_ROUTE}".`,
        unit: "reqps",
        targets: [prom(rate(REQUESTS, ENDPOINT), ENDPOINT_LEGEND)],
      }),
      timeseries({
        title: "5xx rate by endpoint",
        description: "Server errors per second by method and route template.",
        unit: "reqps",
        targets: [prom(failures(ERRORS, REQUESTS, ENDPOINT), ENDPOINT_LEGEND)],
      }),
      timeseries({
        title: "Error ratio by endpoint",
        description: "Share of each endpoint's requests answered with a 5xx status.",
        unit: "percentunit",
        targets: [
          prom(`${failures(ERRORS, REQUESTS, ENDPOINT)} / ${rate(REQUESTS, ENDPOINT)}`, ENDPOINT_LEGEND),
        ],
      }),
      timeseries({
        title: "Responses by status code",
        description: "Responses per second by HTTP status code, all endpoints.",
        unit: "reqps",
        targets: [prom(rate(REQUESTS, ["status_code"]), "{{status_code}}")],
      }),
      heatmap({
        title: "Latency distribution",
        description: `Requests per second in each duration bucket of ${METRICS.httpRequestDuration}.`,
        unit: "reqps",
        yUnit: "s",
        targets: [prom(rate(BUCKETS, ["le"]), "{{le}}", { format: PromQueryFormat.Heatmap })],
      }),
      timeseries({
        title: "Latency p99 by endpoint",
        description: "99th percentile of request duration by method and route template.",
        unit: "s",
        targets: [prom(quantileOf(0.99, BUCKETS, ENDPOINT), ENDPOINT_LEGEND)],
      }),
      timeseries({
        title: "Latency p50 by endpoint",
        description: "Median request duration by method and route template.",
        unit: "s",
        targets: [prom(quantileOf(0.5, BUCKETS, ENDPOINT), ENDPOINT_LEGEND)],
      }),
      timeseries({
        title: "Requests refused before routing",
        description:
          "Requests the service refused before routing, per second by reason (malformed, headers_too_large, timeout, missing_host): never in the request counts above; a rise is what scans and protocol attacks look like.",
        unit: "reqps",
        targets: [prom(rate(app(METRICS.httpClientErrors), ["reason"]), "{{reason}}")],
      }),
      timeseries({
        title: "Request rate by instance",
        description:
          "Requests per second served by each instance: shows how evenly the load balancer spreads traffic.",
        unit: "reqps",
        targets: [prom(rate(REQUESTS, ["instance"]), "{{instance}}")],
      }),
    ],
  };
}
