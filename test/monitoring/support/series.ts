// Input series for `promtool test rules`, in its expanding notation ("a+bxn": n steps of b from a).

export interface InputSeries {
  series: string;
  values: string;
}

export type Labels = Record<string, string>;

export function labelled(metric: string, labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${metric}{${pairs.join(",")}}`;
}

export function series(metric: string, labels: Labels, values: string): InputSeries {
  return { series: labelled(metric, labels), values };
}

/** A counter growing by `perMinute` every sample, `samples` samples long. */
export function counter(metric: string, labels: Labels, perMinute: number, samples = 40): InputSeries {
  return series(metric, labels, `0+${perMinute}x${samples}`);
}

/** A gauge holding `value` for `samples` samples. */
export function gauge(metric: string, labels: Labels, value: number, samples = 40): InputSeries {
  return series(metric, labels, `${value}x${samples}`);
}

/**
 * A classic histogram fed every minute with `perMinute[upperBound]` observations falling in the
 * bucket ending at that bound: cumulative `_bucket` series for every bound and +Inf, `_count`, `_sum`.
 */
export function histogram(
  metric: string,
  labels: Labels,
  bounds: readonly number[],
  perMinute: Record<number, number>,
  samples = 40,
): InputSeries[] {
  let cumulative = 0;
  const buckets = bounds.map((bound) => {
    cumulative += perMinute[bound] ?? 0;
    return counter(`${metric}_bucket`, { ...labels, le: String(bound) }, cumulative, samples);
  });
  const sum = Object.entries(perMinute).reduce((total, [bound, n]) => total + Number(bound) * n, 0);
  return [
    ...buckets,
    counter(`${metric}_bucket`, { ...labels, le: "+Inf" }, cumulative, samples),
    counter(`${metric}_count`, labels, cumulative, samples),
    counter(`${metric}_sum`, labels, sum, samples),
  ];
}
