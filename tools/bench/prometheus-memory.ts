// `npm run bench`, last part: Prometheus's memory and ingestion per scraped series, so that the
// Prometheus task sizes of the stack files rest on a measured figure. Four Prometheus run side by
// side for the same minutes: a baseline scraping no service, and ones scraping 1, 5 and 20 real
// service instances under traffic, all as the local stack configures them. Each is read every
// scrape interval through its API; the baseline is subtracted. Prints tables, asserts nothing.
// Run by `node --import tsx` (package.json), not the tsx CLI: the CLI SIGKILLs a child that does not
// acknowledge Ctrl-C within 30 ms, which this loaded machine misses, and the cleanup would not run.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  DEFAULT_APP_JOB,
  DEFAULT_EVALUATION_INTERVAL,
  DEFAULT_SCRAPE_INTERVAL,
  durationMs,
  isAlert,
  PROMETHEUS_JOB,
  ruleGroups,
} from "showcase-monitoring/monitoring";
import { loadAverage, stealMeter } from "../../service/bench/stats";
import { buildService } from "../local-stack";
import { createLocalTls } from "../local-tls";
import { reportedVersion } from "../monitoring-tools";
import { startPostgres } from "../postgres";
import { freePorts } from "../ports";
import { waitFor } from "../processes";
import { monitoringProfile } from "../profiles";
import type { StartedPrometheus } from "../prometheus";
import { withCleanup, type Cleanup } from "./cleanup";
import { printReport, type Measured } from "./prometheus-memory-report";
import { startFleet, startFleetTraffic } from "./service-fleet";
import { readSelf, startTestedPrometheus, type Reading } from "./tested-prometheus";

// BENCH_PROMETHEUS_MINUTES shortens a trial; the README's figures come from the default.
const MINUTES = Number(process.env.BENCH_PROMETHEUS_MINUTES ?? 5);
/** Service instances each tested Prometheus scrapes; 0 is the baseline. */
const SIZES = [0, 1, 5, 20];
// One loop per instance, pausing between rounds of about 6 requests: some 2-3 req/s per
// instance, enough for every route's series, light enough for 2 cores running all of it.
const PAUSE_MS = 2_000;
// After every instance has answered every status: runtime series (GC kinds) appear with time.
const WARM_UP_MS = 20_000;

/**
 * Until every Prometheus has its targets (itself, its instances) up and its rule groups loaded;
 * Alertmanager stays down.
 */
function allScraping(tested: StartedPrometheus[], ruleGroupCount: number): Promise<unknown> {
  return waitFor(
    "every Prometheus to scrape its targets and evaluate its rules",
    async () => {
      const ready = await Promise.all(
        tested.map(async ({ api }, i) => {
          const [targets, groups] = await Promise.all([api.targets(), api.ruleGroups()]);
          const app = targets.filter((t) => t.labels.job === DEFAULT_APP_JOB);
          const self = targets.filter((t) => t.labels.job === PROMETHEUS_JOB);
          const up = [...app, ...self].every((t) => t.health === "up");
          return app.length === SIZES[i] && up && groups.length === ruleGroupCount;
        }),
      );
      return ready.every(Boolean) ? true : undefined;
    },
    60_000,
  );
}

async function measure(tested: StartedPrometheus[], tickMs: number): Promise<Reading[][]> {
  const readings: Reading[][] = tested.map(() => []);
  const start = Date.now();
  const end = start + MINUTES * 60_000;
  let minute = 1;
  while (Date.now() < end) {
    const tick = Date.now();
    const now = await Promise.all(tested.map(({ api }) => readSelf(api)));
    now.forEach((reading, i) => readings[i]!.push(reading));
    if (tick - start >= minute * 60_000) {
      const series = now.map((r) => r.headSeries).join(" / ");
      console.log(`  ${minute} of ${MINUTES} min: head series (${SIZES.join(" / ")} instances) ${series}`);
      minute += 1;
    }
    await sleep(Math.max(0, tickMs - (Date.now() - tick)));
  }
  return readings;
}

async function run(cleanup: Cleanup): Promise<void> {
  if (!(MINUTES >= 1)) throw new Error("BENCH_PROMETHEUS_MINUTES: at least 1 (samples/s is a 1-minute rate)");
  const version = reportedVersion("prometheus");
  const loadBefore = loadAverage();
  const dir = mkdtempSync(join(tmpdir(), "prometheus-memory-"));
  cleanup.add("remove the temp folder", () => rmSync(dir, { recursive: true, force: true }));
  // PostgreSQL runs as its own user below it.
  chmodSync(dir, 0o755);
  const profile = monitoringProfile("local");
  const scrapeInterval = profile.prometheus.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL;
  const groups = Object.values(ruleGroups(profile.rules)).flat();
  const rules = groups.flatMap((g) => g.rules);
  const alerting = rules.filter(isAlert).length;
  console.log(
    `\nPrometheus ${version}: memory and ingestion per scraped series. ${SIZES.length} Prometheus side ` +
      `by side for ${MINUTES} min, scraping ${SIZES.join(", ")} service instances over HTTPS ` +
      `(local profile: scrape ${scrapeInterval}, evaluation ` +
      `${profile.prometheus.evaluationInterval ?? DEFAULT_EVALUATION_INTERVAL}; ${rules.length - alerting} recording and ${alerting} ` +
      `alerting rules); load average before: ${loadBefore} (1, 5, 15 min)`,
  );

  await buildService();
  const tls = await createLocalTls(dir);
  const postgres = await startPostgres({ dataDir: join(dir, "postgres") });
  cleanup.add("stop PostgreSQL", () => postgres.stop());
  const fleet = await startFleet({
    count: Math.max(...SIZES),
    databaseUrl: postgres.url(),
    tls,
    logDir: join(dir, "logs"),
    cleanup,
  });
  const trafficStart = Date.now();
  const traffic = startFleetTraffic(fleet, tls, PAUSE_MS);
  cleanup.add("stop the traffic", () => traffic.stop());
  await traffic.coversEveryRoute(60_000);
  await sleep(WARM_UP_MS);

  const ports = await freePorts(SIZES.length + 1);
  const alertmanagerPort = ports.pop()!;
  const tested = await Promise.all(
    SIZES.map((n, i) =>
      startTestedPrometheus({
        dir: join(dir, `prometheus-${n}`),
        port: ports[i]!,
        instances: fleet.slice(0, n),
        profile,
        tls,
        alertmanagerPort,
        cleanup,
      }),
    ),
  );
  await allScraping(tested, groups.length);
  const steal = stealMeter();
  const readings = await measure(tested, durationMs("scrapeInterval", scrapeInterval));
  const stolen = steal();
  const loadAfter = loadAverage();
  const stats = await traffic.stop();
  const down = (await Promise.all(tested.map(({ api }) => api.targets())))
    .flat()
    .filter((t) => t.labels.job === DEFAULT_APP_JOB && t.health !== "up").length;

  const measured: Measured[] = SIZES.map((instances, i) => ({ instances, readings: readings[i]! }));
  printReport(measured, {
    traffic: { ...stats, seconds: (Date.now() - trafficStart) / 1000, instances: fleet.length },
    minutes: MINUTES,
    scrapeInterval,
    steal: stolen,
    loadAfter,
    appTargetsDown: down,
  });
}

withCleanup(run).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
