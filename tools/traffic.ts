// A mix of API traffic for the local stack and the end-to-end test: the whole project lifecycle,
// plus the 400s and 404s real clients cause, at a bounded rate until stopped.
import { setTimeout as sleep } from "node:timers/promises";

export interface TrafficStats {
  requests: number;
  byStatus: Record<number, number>;
  failures: number;
}

export interface Traffic {
  readonly stats: TrafficStats;
  stop(): Promise<TrafficStats>;
}

async function call(baseUrl: string, stats: TrafficStats, method: string, path: string, body?: unknown) {
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    stats.requests += 1;
    stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
    return response.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
  } catch {
    stats.failures += 1;
    return undefined;
  }
}

async function oneRound(baseUrl: string, stats: TrafficStats, round: number): Promise<void> {
  const created = await call(baseUrl, stats, "POST", "/api/projects", {
    name: `load ${round}`,
    description: "generated traffic",
    url: "https://example.com/project",
    tags: ["load", `round-${round % 10}`],
  });
  await call(baseUrl, stats, "GET", "/api/projects?limit=20");
  const id = typeof created?.id === "string" ? created.id : undefined;
  if (id) {
    await call(baseUrl, stats, "GET", `/api/projects/${id}`);
    await call(baseUrl, stats, "PATCH", `/api/projects/${id}`, { description: `updated ${round}` });
    if (round % 2 === 0) await call(baseUrl, stats, "DELETE", `/api/projects/${id}`);
  }
  if (round % 5 === 0) await call(baseUrl, stats, "POST", "/api/projects", { name: "" });
  if (round % 7 === 0) await call(baseUrl, stats, "GET", `/no/such/page/${round}`);
  await call(baseUrl, stats, "GET", "/health");
}

/** Starts `concurrency` loops of request rounds against `baseUrl`, each pausing `pauseMs`. */
export function startTraffic(baseUrl: string, concurrency = 2, pauseMs = 50): Traffic {
  const stats: TrafficStats = { requests: 0, byStatus: {}, failures: 0 };
  let running = true;
  let round = 0;
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      await oneRound(baseUrl, stats, round++);
      await sleep(pauseMs);
    }
  });
  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(loops);
      return stats;
    },
  };
}
