// Names of the recorded series (level:metric:operations), shared by the rules that write them and
// the alerts and dashboards that read them.

/** The SLO windows: the burn-rate alert pairs' long and short windows. */
export const SLO_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];

/** The period the error budget is spent over (dashboards' "budget remaining"). */
export const SLO_PERIOD = "30d";

export const RECORDED = {
  /** API requests/s (probes excluded), per job, over 5m. */
  requestRate: "job:http_requests:rate5m",
  /** API 5xx responses/s over 5m. */
  errorRate: "job:http_requests_errors:rate5m",
  /** API requests/s slower than the latency SLO threshold, over 5m. */
  slowRate: "job:http_requests_slow:rate5m",
  /** Fraction of API requests answered with 5xx over a window. */
  errorRatio: (window: SloWindow) => `job:http_requests_errors:ratio_rate${window}`,
  /** Fraction of API requests slower than the latency SLO threshold over a window. */
  slowRatio: (window: SloWindow) => `job:http_requests_slow:ratio_rate${window}`,
  /** API latency quantile over 5m. */
  latency: (quantile: 50 | 90 | 99) => `job:http_request_duration_seconds:p${quantile}_rate5m`,
  /** The SLO objectives as series (label `slo`: availability | latency), for dashboards. */
  objective: "job:slo_objective:ratio",
  /** Error budget left over SLO_PERIOD (label `slo`), 1 = untouched, <0 = overspent. */
  budgetRemaining: `job:slo_error_budget_remaining:ratio_${SLO_PERIOD}`,
  /** Database size seen by any task (they all report the same database). */
  dbSize: "job:db_size_bytes:max",
} as const;
