// How the cost of /metrics grows with the number of series: render time, response size and the
// event-loop delay a scrape causes, for our HTTP metrics (src/metrics/http.ts) and for
// prom-client's own Counter and Histogram with the same names, labels and buckets, each alone in
// a registry. One route with one method and status makes 15 series in both. Asserts nothing.
import type { FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import { Registry } from "prom-client";
import { HTTP_DURATION_BUCKETS } from "showcase-monitoring-conventions";
import { renderExposition } from "../src/metrics/exposition";
import { createHttpMetrics, type ResponseHook } from "../src/metrics/http";
import { promClientHttpMetrics } from "./prom-client-http";
import { fmt, median, printTable, verdict } from "./stats";

const SERIES = [300, 2_000, 20_000, 100_000];
/** Buckets, +Inf, _sum and _count of the histogram, and the counter. */
const SERIES_PER_ROUTE = HTTP_DURATION_BUCKETS.length + 4;
const TARGET = { series: 20_000, lagMs: 5 };

const request = { method: "GET" } as FastifyRequest;
const reply = { statusCode: 200, elapsedTime: 12 } as FastifyReply;

type Render = () => Promise<string>;

/** Ours, as the metrics listener renders it: the HTTP families write their text in slices. */
function ours(routes: number): Render {
  const registry = new Registry();
  const metrics = createHttpMetrics(registry);
  for (let i = 0; i < routes; i++) {
    const route = { method: "GET", url: `/route/${i}`, handler: () => undefined } as RouteOptions;
    metrics.onRoute(route);
    (route.onResponse as ResponseHook[])[0]!(request, reply, () => undefined);
  }
  return () => renderExposition(registry);
}

function promClient(routes: number): Render {
  const registry = new Registry();
  const record = promClientHttpMetrics(registry);
  for (let i = 0; i < routes; i++) record("GET", `/route/${i}`, "200", reply.elapsedTime / 1000);
  return () => registry.metrics();
}

interface Scrape {
  ms: number;
  bytes: number;
  lagMs: number;
}

/**
 * Renders once, timing it and the longest stretch the event loop could not turn meanwhile: the
 * widest gap of a setImmediate chain. (perf_hooks.monitorEventLoopDelay, tried first, recorded
 * about 1 ms across a 40 ms synchronous block on Node 20: it does not see one long stall.)
 */
async function scrape(render: Render): Promise<Scrape> {
  let last = performance.now();
  let lagMs = 0;
  let rendering = true;
  const tick = () => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last);
    last = now;
    if (rendering) setImmediate(tick);
  };
  setImmediate(tick);
  const start = performance.now();
  const text = await render();
  const ms = performance.now() - start;
  rendering = false;
  // One more turn, so that the chain records the gap the render's last part left.
  await new Promise((resolve) => setImmediate(resolve));
  return { ms, bytes: Buffer.byteLength(text), lagMs };
}

async function measure(render: Render, runs: number): Promise<Scrape> {
  const scrapes: Scrape[] = [];
  for (let i = 0; i < runs; i++) scrapes.push(await scrape(render));
  return {
    ms: median(scrapes.map((s) => s.ms)),
    bytes: scrapes[0]!.bytes,
    lagMs: median(scrapes.map((s) => s.lagMs)),
  };
}

export async function measureRenderGrowth(): Promise<void> {
  console.log("\n/metrics at growing series counts (medians; the HTTP metrics alone in a registry):");
  const rows: string[][] = [];
  let oursAtTarget: Scrape | undefined;
  for (const series of SERIES) {
    const routes = Math.round(series / SERIES_PER_ROUTE);
    const runs = Math.min(50, Math.max(5, Math.round(100_000 / series)));
    const mine = await measure(ours(routes), runs);
    const theirs = await measure(promClient(routes), runs);
    if (series === TARGET.series) oursAtTarget = mine;
    const kb = (s: Scrape) => fmt(s.bytes / 1024, 0);
    rows.push([
      String(routes * SERIES_PER_ROUTE),
      `${fmt(mine.ms, 2)} / ${fmt(theirs.ms, 2)}`,
      `${fmt(mine.lagMs, 2)} / ${fmt(theirs.lagMs, 2)}`,
      `${kb(mine)} / ${kb(theirs)}`,
    ]);
  }
  printTable(["series", "render ms, ours / prom-client", "event-loop delay ms", "size KiB"], rows);
  const lag = oursAtTarget!.lagMs;
  console.log(
    `target: event-loop delay of a scrape at ${TARGET.series} series ${fmt(lag, 2)} ms <= ${TARGET.lagMs} ms: ${verdict(lag <= TARGET.lagMs)}`,
  );
}
