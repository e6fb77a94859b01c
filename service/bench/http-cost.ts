// The cost of HTTP metrics, every variant in one run: rounds in which each variant takes its turn
// under autocannon (the order rotates every round, to spread drift evenly), first at full speed
// (throughput, p99), then at a fixed rate every variant sustains (CPU time per request, read in
// the server process, less what it spends idle: the runtime metrics sample on a timer, a cost per
// second rather than per request, printed apart). Other load on the machine (the hypervisor's steal too) only ever lowers
// throughput and raises CPU per request, so ratios compare each variant's best round; medians are
// printed alongside, with the steal, to show how noisy the run was. Prints figures, asserts nothing.
import { setTimeout as sleep } from "node:timers/promises";
import { runLoad, type LoadResult } from "./load";
import { SAMPLING_INTERVAL_US } from "./profile";
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
  idleSeconds: number;
  /** Rounds and seconds at the fixed rate under the CPU profiler (profile.ts). */
  profileRounds: number;
  profileSeconds: number;
  warmUpSeconds: number;
  connections: number;
  maxFixedRate: number;
}

const TARGETS = { extraCpuUs: 1, fractionOfFastifyMetrics: 1 / 10, throughputRatio: 0.98 };

interface Round {
  full: LoadResult;
  /** CPU time of the server per request at the fixed rate, its idle CPU deducted, µs. */
  cpuUs: number;
  /** CPU time of the server with no requests, ms per second. */
  idleMsPerS: number;
}

/** From the CPU profile: µs per request in the variant's own code, and in the GC. */
interface Profiled {
  ownUs: number;
  gcUs: number;
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

/** CPU time of the server per second with no requests, µs. */
async function idleCpu(target: Target, seconds: number): Promise<number> {
  const before = await target.cpuMicros();
  const start = performance.now();
  await sleep(seconds * 1000);
  return ((await target.cpuMicros()) - before) / ((performance.now() - start) / 1000);
}

async function cpuPerRequest(target: Target, url: string, s: HttpCostSettings, rate: number, idle: number) {
  const before = await target.cpuMicros();
  const start = performance.now();
  const load = await runLoad({ url, connections: s.connections, seconds: s.fixedRateSeconds, rate });
  const cpu = (await target.cpuMicros()) - before;
  return (cpu - (idle * (performance.now() - start)) / 1000) / load.requests;
}

interface Summary {
  rpsBest: number;
  rpsMedian: number;
  p99Median: number;
  cpuBest: number;
  cpuMedian: number;
  idleMedian: number;
  ownMedian: number;
  gcMedian: number;
  /** Median over rounds of this variant's CPU per request minus no-metrics' in the same round. */
  extraMedian: number;
}

function summarize(rounds: Round[], baseline: Round[], profiled: Profiled[]): Summary {
  const rps = rounds.map((r) => r.full.perSecond);
  const cpu = rounds.map((r) => r.cpuUs);
  return {
    rpsBest: Math.max(...rps),
    rpsMedian: median(rps),
    p99Median: median(rounds.map((r) => r.full.p99Ms)),
    cpuBest: Math.min(...cpu),
    cpuMedian: median(cpu),
    idleMedian: median(rounds.map((r) => r.idleMsPerS)),
    ownMedian: median(profiled.map((p) => p.ownUs)),
    gcMedian: median(profiled.map((p) => p.gcUs)),
    extraMedian: median(cpu.map((c, i) => c - baseline[i]!.cpuUs)),
  };
}

interface Results {
  rounds: PerVariant<Round[]>;
  profiled: PerVariant<Profiled[]>;
  rate: number;
  steal: number;
}

function report(route: Route, { rounds, profiled, rate, steal }: Results): void {
  const baseline = rounds.get("none")!;
  const summaries = new Map(
    [...rounds].map(([variant, r]) => [variant, summarize(r, baseline, profiled.get(variant)!)]),
  );
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
      "idle CPU ms/s",
      "own code µs/req",
      "GC µs/req",
    ],
    [...summaries].map(([variant, s]) => [
      variant,
      `${fmt(s.rpsBest, 0)} (${fmt(s.rpsMedian, 0)})`,
      fmt(s.rpsBest / none.rpsBest, 3),
      fmt(s.p99Median, 0),
      `${fmt(s.cpuBest)} (${fmt(s.cpuMedian)})`,
      variant === "none" ? "-" : `${fmt(extra(s))} (${fmt(s.extraMedian)})`,
      fmt(s.idleMedian, 2),
      fmt(s.ownMedian, 2),
      fmt(s.gcMedian, 2),
    ]),
  );
  // How far apart no-metrics' own rounds lie: differences below that are not resolved.
  const spread = Math.max(...baseline.map((r) => r.cpuUs)) - Math.min(...baseline.map((r) => r.cpuUs));
  const ours = summaries.get("ours")!;
  const theirs = summaries.get("fastify-metrics")!;
  const ratio = ours.rpsBest / none.rpsBest;
  const met = (own: number) =>
    `${verdict(own <= TARGETS.extraCpuUs)} (<= ${TARGETS.extraCpuUs} µs), ` +
    `${verdict(own <= TARGETS.fractionOfFastifyMetrics * theirs.ownMedian)} (<= 1/10 of fastify-metrics' ${fmt(theirs.ownMedian, 2)} µs)`;
  console.log(
    `no-metrics' CPU per request spreads over ${fmt(spread)} µs between rounds; own code is the median of ` +
      `${profiled.get("ours")!.length} profiled rounds (${SAMPLING_INTERVAL_US} µs sampling)\n` +
      `targets (ours): extra CPU at the fixed rate, best rounds, ${fmt(extra(ours))} µs: ` +
      `${verdict(extra(ours) <= TARGETS.extraCpuUs)}, ${verdict(extra(ours) <= TARGETS.fractionOfFastifyMetrics * extra(theirs))} ` +
      `against fastify-metrics' ${fmt(extra(theirs))} µs; in its own code ${fmt(ours.ownMedian, 2)} µs: ${met(ours.ownMedian)}; ` +
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
  // Idle, then at the fixed rate, in the same round: each round's idle figure is deducted from it.
  const cpu = await rotate(targets, s.rounds, async (t) => {
    const idle = await idleCpu(t, s.idleSeconds);
    return { idle, perRequest: await cpuPerRequest(t, url(t), s, rate, idle) };
  });
  const profiled = await rotate(targets, s.profileRounds, async (t): Promise<Profiled> => {
    const stop = await t.profile();
    const load = await runLoad({ url: url(t), connections: s.connections, seconds: s.profileSeconds, rate });
    const { ownUs, gcUs } = await stop();
    return { ownUs: ownUs / load.requests, gcUs: gcUs / load.requests };
  });
  const rounds: PerVariant<Round[]> = new Map(
    [...full].map(([variant, loads]) => [
      variant,
      loads.map((load, i) => {
        const { idle, perRequest } = cpu.get(variant)![i]!;
        return { full: load, cpuUs: perRequest, idleMsPerS: idle / 1000 };
      }),
    ]),
  );
  report(route, { rounds, profiled, rate, steal: steal() });
}
