// A mix of API traffic for the local stack and the end-to-end test: the whole project lifecycle,
// plus the 400s and 404s real clients cause, at a bounded rate until stopped.
import { Agent } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { httpsRequest, type HttpsOptions } from "./https";

export interface TrafficStats {
  requests: number;
  byStatus: Record<number, number>;
  failures: number;
}

export interface Traffic {
  readonly stats: TrafficStats;
  stop(): Promise<TrafficStats>;
}

/** Where the requests go: the API's base URL, and the CA and keep-alive agent for HTTPS. */
interface Api {
  baseUrl: string;
  options: HttpsOptions;
  stats: TrafficStats;
}

async function call({ baseUrl, options, stats }: Api, method: string, path: string, body?: unknown) {
  try {
    const response = await httpsRequest(`${baseUrl}${path}`, { ...options, method, body, timeoutMs: 5_000 });
    stats.requests += 1;
    stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
    const ok = response.status >= 200 && response.status < 300 && response.body !== "";
    return ok ? (JSON.parse(response.body) as Record<string, unknown>) : undefined;
  } catch {
    stats.failures += 1;
    return undefined;
  }
}

async function oneRound(api: Api, round: number): Promise<void> {
  const created = await call(api, "POST", "/api/projects", {
    name: `load ${round}`,
    description: "generated traffic",
    url: "https://example.com/project",
    tags: ["load", `round-${round % 10}`],
  });
  await call(api, "GET", "/api/projects?limit=20");
  const id = typeof created?.id === "string" ? created.id : undefined;
  if (id) {
    await call(api, "GET", `/api/projects/${id}`);
    await call(api, "PATCH", `/api/projects/${id}`, { description: `updated ${round}` });
    if (round % 2 === 0) await call(api, "DELETE", `/api/projects/${id}`);
  }
  if (round % 5 === 0) await call(api, "POST", "/api/projects", { name: "" });
  if (round % 7 === 0) await call(api, "GET", `/no/such/page/${round}`);
  await call(api, "GET", "/health");
}

/**
 * Starts `concurrency` loops of request rounds against `baseUrl` (trusting `caFile` for HTTPS),
 * each pausing `pauseMs`; connections are kept alive, as the load balancer keeps them.
 */
export function startTraffic(
  baseUrl: string,
  { caFile, concurrency = 2, pauseMs = 50 }: { caFile?: string; concurrency?: number; pauseMs?: number } = {},
): Traffic {
  const stats: TrafficStats = { requests: 0, byStatus: {}, failures: 0 };
  const agent = baseUrl.startsWith("https:")
    ? new Agent({ keepAlive: true, maxSockets: concurrency })
    : undefined;
  const api: Api = { baseUrl, options: { caFile, agent }, stats };
  let running = true;
  let round = 0;
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      await oneRound(api, round++);
      await sleep(pauseMs);
    }
  });
  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent?.destroy();
      return stats;
    },
  };
}
