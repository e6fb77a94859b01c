// `npm run soak`: the real service and PostgreSQL through a minute (SOAK_SECONDS) of mixed load
// with a share of requests the API must refuse and protocol-level garbage, then pool exhaustion,
// slow and idle clients, a database restart, and SIGTERM under load. Prints figures, asserts
// nothing: 5xx, lost or altered writes, latency, memory after GC, event-loop lag, recovery and
// stop times.
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { Client as PgClient } from "pg";
import { startPostgres, type PostgresServer } from "../../tools/postgres";
import { createClient } from "./client";
import { Garbage, idle, slowBody, slowHeaders, type SlowClient } from "./hostile";
import { Ledger, type ProjectState } from "./ledger";
import { startSoakService, type SoakService } from "./service";
import { Workload } from "./workload";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
if (!Number.isInteger(SECONDS) || SECONDS < 10 || SECONDS > 3600)
  throw new Error(`SOAK_SECONDS must be an integer from 10 to 3600, got "${process.env.SOAK_SECONDS}"`);
const WORKERS = 8;
/** The service's default pool size: pool exhaustion blocks this many requests and a few more. */
const POOL_MAX = 10;
/** The service's default (15 s), shortened for short soaks so that slow bodies end before the stop. */
const REQUEST_TIMEOUT_MS = Math.min(15_000, Math.max(1_000, Math.round((SECONDS * 1000) / 4)));
const SLOW_CLIENTS = { bodies: 10, headers: 10, idle: 50 };

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const count = (statuses: number[], test: (s: number) => boolean) => statuses.filter(test).length;
const mib = (bytes: number) => fmt(bytes / 2 ** 20, 1);

/** Polls `url` every 50 ms until it answers 200; resolves with when it did. */
async function until200(url: string): Promise<number> {
  while ((await fetch(url).catch(() => undefined))?.status !== 200) await sleep(50);
  return performance.now();
}

async function readRows(url: string): Promise<Map<string, ProjectState>> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<ProjectState & { id: string }>(
      "SELECT id, name, description, url, tags FROM projects",
    );
    return new Map(rows.map(({ id, ...state }) => [id, state]));
  } finally {
    await client.end();
  }
}

/** Holds row locks on `ids` so that updates of them wait, each holding a pool connection. */
async function lockRows(url: string, ids: string[]): Promise<() => Promise<void>> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT 1 FROM projects WHERE id = ANY($1) FOR UPDATE", [ids]);
  return async () => {
    await client.query("ROLLBACK");
    await client.end();
  };
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  const dir = mkdtempSync(`${tmpdir()}/service-soak-`);
  let postgres: PostgresServer | undefined;
  let service: SoakService | undefined;
  try {
    postgres = await startPostgres({ dataDir: dir });
    const databaseUrl = await postgres.createDatabase("soak");
    service = await startSoakService({
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: String(POOL_MAX),
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    });
    const port = Number(new URL(service.base).port);
    console.log(
      `soak: ${SECONDS} s, node ${process.version}, ${WORKERS} workers on keep-alive connections; ` +
        `pool ${POOL_MAX}, REQUEST_TIMEOUT_MS ${REQUEST_TIMEOUT_MS}, the other settings default`,
    );

    const client = createClient(service.base, WORKERS);
    const blocker = createClient(service.base, POOL_MAX + 5);
    const hot: string[] = [];
    for (let i = 0; i < POOL_MAX + 5; i++)
      hot.push(
        ((await client.send("POST", "/api/projects", { name: `hot ${i}` })).body as { id: string }).id,
      );

    const ledger = new Ledger();
    const workload = new Workload(client, ledger);
    const garbage = new Garbage(port);
    /** Event-loop lag per scrape window (each covers the time since the one before). */
    const lagWindows: { from: number; to: number; p99: number; max: number }[] = [];
    let windowStart = performance.now();
    let refused: Record<string, number> = {};
    // A forced GC stalls the loop: the windows that hold one are not the service's own lag.
    let collecting = false;
    const memory = async () => {
      collecting = true;
      const figures = await service!.memory();
      await service!.scrape(); // ends the window that holds the collection
      windowStart = performance.now();
      collecting = false;
      return figures;
    };
    const started = performance.now();
    const at = (fraction: number) =>
      sleep(Math.max(0, started + fraction * SECONDS * 1000 - performance.now()));
    workload.start(WORKERS);
    garbage.start(100);
    const scraping = setInterval(() => {
      if (collecting) return;
      void service!.scrape().then((figures) => {
        if (figures === undefined || collecting) return;
        const to = performance.now();
        lagWindows.push({ from: windowStart, to, p99: figures.lagP99, max: figures.lagMax });
        windowStart = to;
        refused = figures.refused;
      });
    }, 2_000);

    await at(0.1);
    const memoryBefore = await memory();

    // Pool exhaustion: every pool connection held by an update waiting on a row lock.
    await at(0.2);
    const exhaustedAt = performance.now();
    const release = await lockRows(databaseUrl, hot);
    const blocked = hot.map((id) => blocker.send("PATCH", `/api/projects/${id}`, { name: "unblocked" }));
    const readyDuring: number[] = [];
    while (performance.now() < started + 0.28 * SECONDS * 1000) {
      readyDuring.push((await fetch(`${service.base}/ready`).catch(() => undefined))?.status ?? 0);
      await sleep(250);
    }
    await release();
    const releasedAt = performance.now();
    const poolRecoveredAt = await until200(`${service.base}/api/projects?limit=1`);
    const blockedStatuses = (await Promise.all(blocked)).map((a) => a.status);

    // Slow and idle clients, held until the stop (slow bodies end with their 408 first).
    await at(0.35);
    const slow: Record<keyof typeof SLOW_CLIENTS, SlowClient[]> = { bodies: [], headers: [], idle: [] };
    for (let i = 0; i < SLOW_CLIENTS.bodies; i++) slow.bodies.push(await slowBody(port));
    for (let i = 0; i < SLOW_CLIENTS.headers; i++) slow.headers.push(await slowHeaders(port));
    for (let i = 0; i < SLOW_CLIENTS.idle; i++) slow.idle.push(await idle(port));

    // The database restarts.
    await at(0.5);
    const dbDownAt = performance.now();
    await postgres.stop();
    await at(0.55);
    await postgres.start();
    const dbBackAt = performance.now();
    const [apiRecoveredAt, readyRecoveredAt] = await Promise.all([
      until200(`${service.base}/api/projects?limit=1`),
      until200(`${service.base}/ready`),
    ]);

    await at(0.88);
    const memoryAfter = await memory();
    const finalScrape = await service.scrape();
    if (finalScrape !== undefined) refused = finalScrape.refused;

    // SIGTERM under load.
    await at(0.9);
    clearInterval(scraping);
    const signalledAt = performance.now();
    service.child.kill("SIGTERM");
    const exit = await service.exited;
    await workload.stop();
    garbage.stop();
    client.close();
    blocker.close();
    const slowEnds = {
      bodies: await Promise.all(slow.bodies.map((c) => c.status)),
      headers: await Promise.all(slow.headers.map((c) => c.status)),
      idle: await Promise.all(slow.idle.map((c) => c.status)),
    };

    const { lost, altered, checked } = ledger.verify(await readRows(databaseUrl));

    // Figures.
    const api = workload.samples.filter((s) => s.kind === "api");
    const faults: [number, number][] = [
      [exhaustedAt, poolRecoveredAt],
      [dbDownAt, Math.max(apiRecoveredAt, readyRecoveredAt)],
      [signalledAt, Infinity],
    ];
    const inFault = (t: number) => faults.some(([from, to]) => t >= from && t <= to);
    const highest = (windows: typeof lagWindows, figure: "p99" | "max") =>
      fmt(Math.max(0, ...windows.map((w) => w[figure])) * 1000, 1);
    const calmWindows = lagWindows.filter((w) => !faults.some(([from, to]) => w.from <= to && w.to >= from));
    const answered = api.filter((s) => s.status !== 0);
    const garbageStatuses = [...garbage.statuses].flatMap(([status, n]) => Array<number>(n).fill(status));
    const statuses = [
      ...workload.samples.map((s) => s.status),
      ...blockedStatuses,
      ...garbageStatuses,
      ...Object.values(slowEnds).flatMap((ends) => ends.map((e) => e.status)),
    ];
    const fiveXX = statuses.filter((s) => s >= 500);
    const fiveXXOutsideFaults = count(
      workload.samples.filter((s) => !inFault(s.at)).map((s) => s.status),
      (s) => s >= 500,
    );
    const byStatus = (values: number[]) =>
      [...new Set(values)]
        .sort()
        .map((s) => `${s}: ${fmt(count(values, (v) => v === s))}`)
        .join(", ");
    const afterSignal = workload.samples.filter((s) => s.at >= signalledAt);
    /** How a group of connections held until the stop ended: by SIGTERM, or by a bound before it. */
    const ending = (ends: { status: number; closedAt: number }[]) => {
      const before = ends.filter((e) => e.closedAt < signalledAt);
      const after = ends.filter((e) => e.closedAt >= signalledAt);
      return [
        before.length > 0 &&
          `${before.length} by KEEP_ALIVE_TIMEOUT_MS before SIGTERM (${byStatus(before.map((e) => e.status))})`,
        after.length > 0 &&
          `${after.length} within ${fmt(Math.max(...after.map((e) => e.closedAt - signalledAt)))} ms of SIGTERM`,
      ]
        .filter(Boolean)
        .join(", ");
    };
    const refusals = workload.samples.filter((s) => s.kind === "refusal");

    console.log(
      `\nrequests           ${fmt(api.length)} API calls, ${fmt(refusals.length)} the API must refuse ` +
        `(${byStatus(refusals.map((s) => s.status))}), ${fmt(garbageStatuses.length)} protocol-level garbage ` +
        `(${byStatus(garbageStatuses)}); 0: connection closed or refused`,
    );
    console.log(
      `5xx                ${fmt(fiveXX.length)} (${byStatus(fiveXX) || "none"}), ` +
        `${fmt(fiveXXOutsideFaults)} of them outside the pool exhaustion, the database restart and the stop`,
    );
    console.log(
      `writes             ${fmt(ledger.acknowledged)} acknowledged on ${fmt(checked)} projects: ` +
        `lost ${lost}, altered ${altered}; ${fmt(ledger.uncertain)} answered 5xx or not at all (either outcome accepted)`,
    );
    console.log(
      `latency            p50 ${fmt(
        percentile(
          answered.map((s) => s.ms),
          50,
        ),
        1,
      )} ms, ` +
        `p99 ${fmt(
          percentile(
            answered.filter((s) => !inFault(s.at)).map((s) => s.ms),
            99,
          ),
          1,
        )} ms outside the faults, ` +
        `${fmt(
          percentile(
            answered.map((s) => s.ms),
            99,
          ),
          1,
        )} ms overall`,
    );
    console.log(
      `memory after GC    heap ${mib(memoryBefore.heapUsed)} -> ${mib(memoryAfter.heapUsed)} MiB ` +
        `(${memoryAfter.heapUsed >= memoryBefore.heapUsed ? "+" : ""}${mib(memoryAfter.heapUsed - memoryBefore.heapUsed)} MiB), ` +
        `external ${mib(memoryBefore.external)} -> ${mib(memoryAfter.external)} MiB, ` +
        `rss ${mib(memoryBefore.rss)} -> ${mib(memoryAfter.rss)} MiB, from ${fmt(0.1 * SECONDS)} s to ${fmt(0.88 * SECONDS)} s`,
    );
    console.log(
      `event-loop lag     highest p99 ${highest(calmWindows, "p99")} ms outside the faults, ` +
        `${highest(lagWindows, "p99")} ms overall; highest max ${highest(calmWindows, "max")} and ` +
        `${highest(lagWindows, "max")} ms (${lagWindows.length} scrapes, 2 s apart)`,
    );
    console.log(
      `pool exhaustion    /ready 200 in ${count(readyDuring, (s) => s === 200)} of ${readyDuring.length} probes; ` +
        `blocked updates: ${byStatus(blockedStatuses)}; API answers 200 again ${fmt(poolRecoveredAt - releasedAt)} ms after the locks went`,
    );
    console.log(
      `database restart   down ${fmt((dbBackAt - dbDownAt) / 1000, 1)} s; API answers 200 ${fmt(apiRecoveredAt - dbBackAt)} ms ` +
        `and /ready ${fmt(readyRecoveredAt - dbBackAt)} ms after it was back`,
    );
    console.log(
      `slow and idle      ${SLOW_CLIENTS.bodies} slow bodies: ${byStatus(slowEnds.bodies.map((e) => e.status))}; ` +
        `${SLOW_CLIENTS.headers} slow headers closed: ${ending(slowEnds.headers)}; ` +
        `${SLOW_CLIENTS.idle} idle connections closed: ${ending(slowEnds.idle)}`,
    );
    console.log(
      `refused (metric)   ${Object.entries(refused)
        .map(([reason, n]) => `${reason} ${fmt(n)}`)
        .join(", ")}`,
    );
    console.log(
      `stop               SIGTERM under load: exit ${exit.code} after ${fmt(exit.at - signalledAt)} ms; ` +
        `answers after the signal: ${byStatus(afterSignal.map((s) => s.status)) || "none"}`,
    );
    console.log(`error log lines    ${service.errorLines().length}`);
    console.log(
      `machine            load average ${fmt(loadAtStart, 1)} at the start, ${fmt(loadavg()[0]!, 1)} at the end (1 min)`,
    );
    for (const line of service.errorLines().slice(0, 5)) console.log(`  ${line.slice(0, 300)}`);
  } finally {
    if (service?.child.exitCode === null) service.child.kill("SIGKILL");
    await postgres?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
