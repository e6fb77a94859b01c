// The service's metrics as its monitoring reads them: their names, the bounds of its histograms and
// the route label of unmatched requests. The service registers these names and the rules and
// dashboards (showcase-monitoring/monitoring) select them; test/monitoring/service-metrics.test.ts
// checks every series they select against what the running service exports.

/** The figures of the event-loop lag gauges. */
export const EVENT_LOOP_LAG_FIGURES = ["min", "max", "mean", "stddev", "p50", "p90", "p99"] as const;
export type EventLoopLagFigure = (typeof EVENT_LOOP_LAG_FIGURES)[number];

/** Metric names of the service's `/metrics` (histograms by their base name, without `_bucket`). */
export const METRICS = {
  /** Counter: requests answered, by `method`, `route` (the template) and `status_code`. */
  httpRequests: "http_requests_total",
  /** Histogram (HTTP_DURATION_BUCKETS): request to response in seconds, labels as httpRequests. */
  httpRequestDuration: "http_request_duration_seconds",
  /** Counter: requests refused before routing, by `reason`. */
  httpClientErrors: "http_client_errors_total",
  /** Gauge: the main pool's connections by `state` (total, idle, waiting). */
  dbPoolConnections: "db_pool_connections",
  dbPoolMaxConnections: "db_pool_max_connections",
  /** Histogram (QUERY_DURATION_BUCKETS): database operations by `operation`, in seconds. */
  dbQueryDuration: "db_query_duration_seconds",
  /** Counter: failed database operations by `operation`. */
  dbQueryErrors: "db_query_errors_total",
  /** Gauges read from the database server at scrape time, and whether that read succeeded. */
  dbServerActiveConnections: "db_server_active_connections",
  dbSize: "db_size_bytes",
  dbStatsUp: "db_stats_up",
  /** Event-loop lag beyond the sampling interval since the last scrape (replaces prom-client's). */
  eventLoopLag: (figure: EventLoopLagFigure) => `nodejs_eventloop_lag_${figure}_seconds` as const,
  heapSizeLimit: "nodejs_heap_size_limit_bytes",
  /** Only where the container has a memory limit (cgroup). */
  memoryLimit: "process_memory_limit_bytes",
  /** Only with TLS: when the served certificate expires, by `listener` (api, metrics). */
  tlsCertificateNotAfter: "tls_certificate_not_after_timestamp_seconds",
  // prom-client's default metrics, which the service collects without a prefix.
  processCpu: "process_cpu_seconds_total",
  processResidentMemory: "process_resident_memory_bytes",
  processOpenFds: "process_open_fds",
  processMaxFds: "process_max_fds",
  processStartTime: "process_start_time_seconds",
  heapSizeUsed: "nodejs_heap_size_used_bytes",
  heapSizeTotal: "nodejs_heap_size_total_bytes",
  /** By `space`. */
  heapSpaceSizeUsed: "nodejs_heap_space_size_used_bytes",
  /** Histogram by `kind`. */
  gcDuration: "nodejs_gc_duration_seconds",
  activeHandles: "nodejs_active_handles_total",
  activeRequests: "nodejs_active_requests_total",
} as const;

/** Bounds of `http_request_duration_seconds`, for an API; 0.25 and 0.5 suit latency objectives. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Bounds of `db_query_duration_seconds`. */
export const QUERY_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The `route` label of every request that matched no route: one series, whatever the URL. */
export const UNMATCHED_ROUTE = "unmatched";
