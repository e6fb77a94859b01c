// `npm run bench`: the cost of the metrics. Two copies of the service, metrics on and off, take
// turns under autocannon on a trivial route (/health): throughput and p99 at full speed, then CPU
// time per request at a fixed rate; then the /metrics render time. Prints figures, asserts nothing.
// Each round measures both back to back (on/off, then off/on, to cancel drift). Other load on the
// machine (here, the hypervisor's steal time too) only ever lowers throughput and raises CPU per
// request, so the verdicts compare each variant's best round; the medians are printed alongside,
// with the steal time, to show how noisy the run was.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { startPostgres, type PostgresServer } from "../../tools/postgres";
import { parseConfig } from "../src/config";
import { runLoad, type LoadResult } from "./load";
import { measureRender } from "./render";
import { startTarget, type Target, type Variant } from "./targets";

const ROUNDS = 10;
const FULL_SPEED_SECONDS = 3;
const FIXED_RATE_SECONDS = 2;
const WARM_UP_SECONDS = 5;
const CONNECTIONS = 16;
const MAX_FIXED_RATE = 3000;
const TARGET_EXTRA_CPU_US = 8;
const TARGET_THROUGHPUT_RATIO = 0.9;

type PerVariant<T> = Record<Variant, T[]>;
interface FixedRateResult {
  cpuUs: number;
  p99Ms: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** Starts measuring the CPU time the hypervisor steals (/proc/stat); the result is a fraction. */
function stealMeter(): () => number {
  const read = () => {
    const fields = readFileSync("/proc/stat", "utf8")
      .split("\n")[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return { steal: fields[7] ?? 0, total: fields.reduce((a, b) => a + b, 0) };
  };
  const start = read();
  return () => {
    const end = read();
    return (end.steal - start.steal) / Math.max(1, end.total - start.total);
  };
}

/** Runs `measure` on both targets in every round: on/off in even rounds, off/on in odd ones. */
async function alternate<T>(targets: Target[], measure: (t: Target) => Promise<T>): Promise<PerVariant<T>> {
  const results: PerVariant<T> = { on: [], off: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
      results[target.variant].push(await measure(target));
    }
  }
  return results;
}

const fullSpeed = (target: Target) =>
  runLoad({ url: target.url, connections: CONNECTIONS, seconds: FULL_SPEED_SECONDS });

async function fixedRate(target: Target, rate: number): Promise<FixedRateResult> {
  const before = await target.cpuMicros();
  const load = await runLoad({
    url: target.url,
    connections: CONNECTIONS,
    seconds: FIXED_RATE_SECONDS,
    rate,
  });
  return { cpuUs: ((await target.cpuMicros()) - before) / load.requests, p99Ms: load.p99Ms };
}

function report(full: PerVariant<LoadResult>, fixed: PerVariant<FixedRateResult>, rate: number): void {
  console.log("\nround  metrics   req/s (full speed)  p99 ms  |  CPU µs/req @ fixed rate  p99 ms");
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of ["on", "off"] as const) {
      const f = full[variant][round]!;
      const x = fixed[variant][round]!;
      const cells = [
        String(round + 1).padStart(5),
        `  ${variant.padEnd(3)}`,
        fmt(f.perSecond, 0).padStart(18),
        String(f.p99Ms).padStart(7),
        "  |",
        fmt(x.cpuUs).padStart(24),
        String(x.p99Ms).padStart(7),
      ];
      console.log(cells.join(" "));
    }
  }
  const pick = <T>(values: PerVariant<T>, get: (v: T) => number) => ({
    on: values.on.map(get),
    off: values.off.map(get),
  });
  const rps = pick(full, (r) => r.perSecond);
  const cpu = pick(fixed, (r) => r.cpuUs);
  const p99 = pick(full, (r) => r.p99Ms);
  const best = {
    rpsOn: Math.max(...rps.on),
    rpsOff: Math.max(...rps.off),
    cpuOn: Math.min(...cpu.on),
    cpuOff: Math.min(...cpu.off),
  };
  const ratio = best.rpsOn / best.rpsOff;
  const extra = best.cpuOn - best.cpuOff;
  console.log(`\nbest rounds (medians in brackets); CPU at a fixed ${rate} req/s:`);
  console.log(
    `  throughput   on ${fmt(best.rpsOn, 0)} (${fmt(median(rps.on), 0)}) req/s, ` +
      `off ${fmt(best.rpsOff, 0)} (${fmt(median(rps.off), 0)}) req/s; ` +
      `ratio ${fmt(ratio, 3)} (${fmt(median(rps.on.map((on, i) => on / rps.off[i]!)), 3)})`,
  );
  console.log(`  p99          on ${median(p99.on)} ms, off ${median(p99.off)} ms (medians, full speed)`);
  console.log(
    `  CPU/request  on ${fmt(best.cpuOn)} (${fmt(median(cpu.on))}) µs, off ${fmt(best.cpuOff)} (${fmt(median(cpu.off))}) µs; ` +
      `extra ${fmt(extra)} (${fmt(median(cpu.on.map((on, i) => on - cpu.off[i]!)))}) µs`,
  );
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log(
    `  targets      extra CPU <= ${TARGET_EXTRA_CPU_US} µs: ${verdict(extra <= TARGET_EXTRA_CPU_US)}; ` +
      `throughput ratio >= ${TARGET_THROUGHPUT_RATIO}: ${verdict(ratio >= TARGET_THROUGHPUT_RATIO)}`,
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(`${tmpdir()}/service-bench-`);
  let postgres: PostgresServer | undefined;
  const targets: Target[] = [];
  try {
    postgres = await startPostgres({ dataDir: dir });
    const databaseUrl = await postgres.createDatabase("bench");
    targets.push(await startTarget("on", databaseUrl), await startTarget("off", databaseUrl));
    console.log(
      `node ${process.version}; ${ROUNDS} rounds per variant: ${FULL_SPEED_SECONDS} s at full speed, ` +
        `${FIXED_RATE_SECONDS} s at a fixed rate; ${CONNECTIONS} connections`,
    );
    // Warm-up (JIT, connections), not measured.
    for (const target of targets)
      await runLoad({ url: target.url, connections: CONNECTIONS, seconds: WARM_UP_SECONDS });

    const steal = stealMeter();
    const full = await alternate(targets, fullSpeed);
    // Well below what the instrumented copy manages, so that both keep up.
    const rate =
      Math.round(Math.min(MAX_FIXED_RATE, 0.5 * median(full.on.map((r) => r.perSecond))) / 100) * 100;
    const fixed = await alternate(targets, (target) => fixedRate(target, rate));
    report(full, fixed, rate);
    console.log(
      `  steal        the hypervisor took ${fmt(steal() * 100, 0)}% of the CPU time during the load`,
    );

    const render = await measureRender(parseConfig({ DATABASE_URL: databaseUrl }));
    console.log("\n/metrics render (median of 50):");
    console.log(
      `  ${render.real.series} series (the service after serving every route): ${fmt(render.real.medianMs, 2)} ms`,
    );
    console.log(
      `  ${render.grown.series} series (HTTP histogram grown with synthetic routes): ${fmt(render.grown.medianMs, 2)} ms`,
    );
    console.log(`\ntotal ${fmt((Date.now() - started) / 1000, 0)} s`);
  } finally {
    await Promise.all(targets.map((t) => t.stop()));
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
