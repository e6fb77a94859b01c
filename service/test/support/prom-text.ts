// A strict parser of the Prometheus text exposition format (0.0.4), enough to check /metrics by
// name, type, labels and value. It throws on anything it does not understand.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

export type Exposition = Map<string, MetricFamily>;

const SUFFIXES: Record<string, string[]> = {
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["", "_sum", "_count"],
};

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pattern = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  while (pattern.lastIndex < text.length) {
    const match = pattern.exec(text);
    if (!match) throw new Error(`bad labels in line: ${line}`);
    const [, name, escaped] = match;
    labels[name!] = escaped!.replace(/\\(.)/g, (_m, c: string) => (c === "n" ? "\n" : c));
  }
  return labels;
}

// Prometheus reads values with Go's ParseFloat: NaN and Inf in any case (prom-client writes "Nan").
function parseValue(text: string, line: string): number {
  if (/^\+?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  if (text === "" || Number.isNaN(value)) throw new Error(`bad value in line: ${line}`);
  return value;
}

export function parseExposition(text: string): Exposition {
  const families: Exposition = new Map();
  let current: MetricFamily | undefined;
  const family = (name: string) => {
    let found = families.get(name);
    if (!found) {
      found = { name, type: "untyped", help: "", samples: [] };
      families.set(name, found);
    }
    return found;
  };
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line);
    if (meta) {
      current = family(meta[2]!);
      if (meta[1] === "HELP") current.help = meta[3]!;
      else current.type = meta[3]!;
      continue;
    }
    if (line.startsWith("#")) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
    if (!sample) throw new Error(`unparseable line: ${line}`);
    const [, name, labels = "", value] = sample;
    const suffixes = current ? (SUFFIXES[current.type] ?? [""]) : [];
    if (!current || !suffixes.some((s) => name === current!.name + s))
      throw new Error(`sample ${name} outside its family (${current?.name ?? "none"})`);
    current.samples.push({ name: name!, labels: parseLabels(labels, line), value: parseValue(value!, line) });
  }
  return families;
}

function matches(sample: Sample, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([k, v]) => sample.labels[k] === v);
}

/** Samples named `name` (a sample name, e.g. `x_bucket`) whose labels include `labels`. */
export function samples(exposition: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return [...exposition.values()].flatMap((f) =>
    f.samples.filter((s) => s.name === name && matches(s, labels)),
  );
}

/** The value of exactly one sample; throws when there is none or more than one. */
export function value(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const found = samples(exposition, name, labels);
  if (found.length !== 1)
    throw new Error(`expected one sample ${name}${JSON.stringify(labels)}, found ${found.length}`);
  return found[0]!.value;
}

/** Every series as `name{labels}`, for comparing sets of series. */
export function seriesKeys(exposition: Exposition): Set<string> {
  return new Set(
    [...exposition.values()].flatMap((f) =>
      f.samples.map((s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`),
    ),
  );
}

export async function scrape(metricsUrl: string): Promise<Exposition> {
  const response = await fetch(`${metricsUrl}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return parseExposition(await response.text());
}
