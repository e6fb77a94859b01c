// The cost of HTTP metrics, every variant in one run: rounds in which each variant takes its turn
// under autocannon (the order rotates every round, to spread drift evenly), first at full speed
// (throughput, p99), then at a fixed rate every variant sustains (CPU time per request, read in
// the server process). Other load on the machine (the hypervisor's steal too) only ever lowers
// throughput and raises CPU per request, so ratios compare each variant's best round; medians are
// printed alongside, with the steal, to show how noisy the run was. Prints figures, asserts nothing.
import { runLoad, type LoadResult } from "./load";
import { fmt, median, printTable, stealMeter, verdict } from "./stats";
import type { Target } from "./targets";
import type { Variant } from "./variants";

export interface Route {
  title: string;
  path: string;
}

export interface HttpCostSettings {
  rounds: number;
  fullSpeedSeconds: number;
  fixedRateSeconds: number;
  warmUpSeconds: number;
  connections: number;
  maxFixedRate: number;
}

const TARGETS = { extraCpuUs: 1, fractionOfFastifyMetrics: 1 / 10, throughputRatio: 0.98 };

interface Round {
  full: LoadResult;
  /** CPU time of the server per request at the fixed rate, µs. */
  cpuUs: number;
}

type PerVariant<T> = Map<Variant, T>;

/** Runs `measure` on every target in every round, starting one later in the list each round. */
async function rotate<T>(
  targets: Target[],
  rounds: number,
  measure: (t: Target) => Promise<T>,
): Promise<PerVariant<T[]>> {
  const results: PerVariant<T[]> = new Map(targets.map((t) => [t.variant, []]));
  for (let round = 0; round < rounds; round++) {
    const start = round % targets.length;
    for (const target of [...targets.slice(start), ...targets.slice(0, start)]) {
      results.get(target.variant)!.push(await measure(target));
    }
  }
  return results;
}

async function cpuPerRequest(target: Target, url: string, s: HttpCostSettings, rate: number) {
  const before = await target.cpuMicros();
  const load = await runLoad({ url, connections: s.connections, seconds: s.fixedRateSeconds, rate });
  return ((await target.cpuMicros()) - before) / load.requests;
}

interface Summary {
  rpsBest: number;
  rpsMedian: number;
  p99Median: number;
  cpuBest: number;
  cpuMedian: number;
  /** Median over rounds of this variant's CPU per request minus no-metrics' in the same round. */
  extraMedian: number;
}

function summarize(rounds: Round[], baseline: Round[]): Summary {
  const rps = rounds.map((r) => r.full.perSecond);
  const cpu = rounds.map((r) => r.cpuUs);
  return {
    rpsBest: Math.max(...rps),
    rpsMedian: median(rps),
    p99Median: median(rounds.map((r) => r.full.p99Ms)),
    cpuBest: Math.min(...cpu),
    cpuMedian: median(cpu),
    extraMedian: median(cpu.map((c, i) => c - baseline[i]!.cpuUs)),
  };
}

function report(route: Route, results: PerVariant<Round[]>, rate: number, steal: number): void {
  const baseline = results.get("none")!;
  const summaries = new Map([...results].map(([variant, rounds]) => [variant, summarize(rounds, baseline)]));
  const none = summaries.get("none")!;
  const extra = (s: Summary) => s.cpuBest - none.cpuBest;
  console.log(
    `\n${route.title}: CPU at a fixed ${rate} req/s; the hypervisor stole ${fmt(steal * 100, 0)} % of the CPU time`,
  );
  printTable(
    [
      "variant",
      "req/s best (median)",
      "ratio",
      "p99 ms",
      "CPU µs/req best (median)",
      "extra µs best (median)",
    ],
    [...summaries].map(([variant, s]) => [
      variant,
      `${fmt(s.rpsBest, 0)} (${fmt(s.rpsMedian, 0)})`,
      fmt(s.rpsBest / none.rpsBest, 3),
      fmt(s.p99Median, 0),
      `${fmt(s.cpuBest)} (${fmt(s.cpuMedian)})`,
      variant === "none" ? "-" : `${fmt(extra(s))} (${fmt(s.extraMedian)})`,
    ]),
  );
  const ours = summaries.get("ours")!;
  const theirs = summaries.get("fastify-metrics")!;
  const ratio = ours.rpsBest / none.rpsBest;
  console.log(
    `targets (ours, best rounds): extra CPU ${fmt(extra(ours))} µs <= ${TARGETS.extraCpuUs} µs: ` +
      `${verdict(extra(ours) <= TARGETS.extraCpuUs)}; <= 1/10 of fastify-metrics' ${fmt(extra(theirs))} µs: ` +
      `${verdict(extra(ours) <= TARGETS.fractionOfFastifyMetrics * extra(theirs))}; ` +
      `throughput ratio ${fmt(ratio, 3)} >= ${TARGETS.throughputRatio}: ${verdict(ratio >= TARGETS.throughputRatio)}`,
  );
}

/** Measures every target on `route` and prints the table. */
export async function measureRoute(targets: Target[], route: Route, s: HttpCostSettings): Promise<void> {
  const url = (t: Target) => t.origin + route.path;
  // Warm-up (JIT, connections), not measured.
  for (const t of targets)
    await runLoad({ url: url(t), connections: s.connections, seconds: s.warmUpSeconds });
  const steal = stealMeter();
  const full = await rotate(targets, s.rounds, (t) =>
    runLoad({ url: url(t), connections: s.connections, seconds: s.fullSpeedSeconds }),
  );
  // Well below what the slowest variant manages, so that every one keeps up.
  const slowest = Math.min(...[...full.values()].map((rounds) => median(rounds.map((r) => r.perSecond))));
  const rate = Math.round(Math.min(s.maxFixedRate, 0.5 * slowest) / 100) * 100;
  const cpu = await rotate(targets, s.rounds, (t) => cpuPerRequest(t, url(t), s, rate));
  const rounds: PerVariant<Round[]> = new Map(
    [...full].map(([variant, loads]) => [
      variant,
      loads.map((load, i) => ({ full: load, cpuUs: cpu.get(variant)![i]! })),
    ]),
  );
  report(route, rounds, rate, steal());
}
