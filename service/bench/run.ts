// `npm run bench -w service`: the cost of the service's metrics, every comparison inside one run
// (the machine is shared: figures from different runs do not compare). First the HTTP cost of
// each variant (no metrics, ours, fastify-metrics, plain prom-client) on a trivial route and on a
// list from a real PostgreSQL; then how a scrape's cost grows with the series. Asserts nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { startPostgres, type PostgresServer } from "../../tools/postgres";
import { measureRoute, type HttpCostSettings, type Route } from "./http-cost";
import { measureRenderGrowth } from "./render";
import { fmt, loadAverage } from "./stats";
import { startTarget, type Target } from "./targets";
import { VARIANTS } from "./variants";

const SETTINGS: HttpCostSettings = {
  // BENCH_ROUNDS shortens a trial run; the figures in the README come from the default.
  rounds: Number(process.env.BENCH_ROUNDS ?? 8),
  fullSpeedSeconds: 3,
  fixedRateSeconds: 4,
  idleSeconds: 2,
  profileRounds: 3,
  profileSeconds: 3,
  warmUpSeconds: 3,
  connections: 16,
  maxFixedRate: 3000,
};
const LISTED = 20;
const ROUTES: Route[] = [
  { title: "GET /health (trivial)", path: "/health" },
  { title: `GET /api/projects (${LISTED} rows from PostgreSQL)`, path: `/api/projects?limit=${LISTED}` },
];

/** Fills the table so that the list route returns full pages. */
async function seed(target: Target): Promise<void> {
  for (let i = 0; i < LISTED; i++) {
    const response = await fetch(`${target.origin}/api/projects`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: `bench ${i}`,
        description: "a project of the benchmark",
        tags: ["bench"],
      }),
    });
    if (response.status !== 201) throw new Error(`seeding: ${response.status} ${await response.text()}`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(`${tmpdir()}/service-bench-`);
  let postgres: PostgresServer | undefined;
  const targets: Target[] = [];
  try {
    postgres = await startPostgres({ dataDir: dir });
    const databaseUrl = await postgres.createDatabase("bench");
    for (const variant of VARIANTS) targets.push(await startTarget(variant, databaseUrl));
    await seed(targets[0]!);
    console.log(
      `node ${process.version}; variants ${VARIANTS.join(", ")}; ${SETTINGS.rounds} rounds each: ` +
        `${SETTINGS.fullSpeedSeconds} s at full speed, ${SETTINGS.idleSeconds} s idle, ` +
        `${SETTINGS.fixedRateSeconds} s at a fixed rate; ` +
        `${SETTINGS.connections} connections`,
    );
    console.log(`load average before the load: ${loadAverage()} (1, 5, 15 min)`);
    for (const route of ROUTES) await measureRoute(targets, route, SETTINGS);
  } finally {
    await Promise.all(targets.map((t) => t.stop()));
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  await measureRenderGrowth();
  console.log(`\ntotal ${fmt((Date.now() - started) / 1000, 0)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
