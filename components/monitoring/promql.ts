// Small PromQL helpers: selectors with escaped label values, and number literals as Prometheus
// expects them.

/** A label matcher such as `job="api"` or `route!~"/health|/ready"`. */
export function matcher(label: string, op: "=" | "!=" | "=~" | "!~", value: string): string {
  return `${label}${op}${JSON.stringify(value)}`;
}

/** 5xx responses. */
export const SERVER_ERROR = matcher("status_code", "=~", "5..");

/** A histogram's series, as Prometheus names them from its base name. */
export function histogram(name: string): { bucket: string; count: string; sum: string } {
  return { bucket: `${name}_bucket`, count: `${name}_count`, sum: `${name}_sum` };
}

/** `metric{m1,m2}`; matchers come from `matcher()`. */
export function selector(metric: string, ...matchers: string[]): string {
  return `${metric}{${matchers.join(",")}}`;
}

/** A number as a PromQL literal, without binary floating-point noise (0.1 * 3 → 0.3). */
export function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** `sum by (labels) (rate(series[window]))` */
export function sumRate(series: string, window: string, by: string[] = ["job"]): string {
  return `sum by (${by.join(", ")}) (rate(${series}[${window}]))`;
}

/** `histogram_quantile(q, sum by (le, labels) (rate(bucketSeries[window])))` */
export function quantile(q: number, bucketSeries: string, window: string, by: string[] = ["job"]): string {
  return `histogram_quantile(${num(q)}, ${sumRate(bucketSeries, window, [...by, "le"])})`;
}

/** `part`, or 0 for every series of `whole` that `part` lacks: "no failures" reads 0, not "no data". */
export function orZero(part: string, whole: string): string {
  return `(${part} or ${whole} * 0)`;
}
