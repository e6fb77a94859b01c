// Time to render /metrics: at the series count the service really has after serving every route,
// then with extra routes registered until there are about 2,000 series.
import { buildApp, type ServiceApp } from "../src/app";
import type { Config } from "../src/config";
import { migrate } from "../src/db/migrations";
import { endPools } from "../src/db/pool";

export interface RenderFigure {
  series: number;
  medianMs: number;
}

const RUNS = 50;
/** Series one more route adds after one request: 11 buckets, +Inf, sum, count, and the counter. */
const SERIES_PER_ROUTE = 15;

async function timeRender(app: ServiceApp): Promise<RenderFigure> {
  const times: number[] = [];
  let series = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const text = await app.registry.metrics();
    times.push(performance.now() - start);
    series = text.split("\n").filter((line) => line !== "" && !line.startsWith("#")).length;
  }
  times.sort((a, b) => a - b);
  return { series, medianMs: times[Math.floor(RUNS / 2)]! };
}

/** Every route with its usual answers, as a day of real traffic would leave the registry. */
async function serveEveryRoute(app: ServiceApp): Promise<void> {
  const inject = (method: "GET" | "POST" | "PATCH" | "DELETE" | "HEAD", url: string, payload?: object) =>
    app.api.inject({ method, url, ...(payload && { payload }) });
  const created = await inject("POST", "/api/projects", { name: "bench" });
  const id = created.json<{ id: string }>().id;
  const missing = "00000000-0000-4000-8000-000000000000";
  await inject("POST", "/api/projects", { name: "" });
  await inject("GET", "/api/projects");
  await inject("GET", "/api/projects?limit=0");
  await inject("GET", `/api/projects/${id}`);
  await inject("GET", `/api/projects/${missing}`);
  await inject("GET", "/api/projects/bad-id");
  await inject("PATCH", `/api/projects/${id}`, { name: "renamed" });
  await inject("PATCH", `/api/projects/${missing}`, { name: "x" });
  await inject("PATCH", `/api/projects/${id}`, {});
  await inject("DELETE", `/api/projects/${id}`);
  await inject("DELETE", `/api/projects/${missing}`);
  await inject("GET", "/health");
  await inject("HEAD", "/health");
  await inject("GET", "/ready");
  await inject("GET", "/no/such/route");
}

/** Builds the app with `extraRoutes` more routes, serves everything once, and times the render. */
async function renderWith(config: Config, extraRoutes: number): Promise<RenderFigure> {
  const app = buildApp({ ...config, logLevel: "warn" });
  try {
    for (let i = 0; i < extraRoutes; i++)
      app.api.get(`/extra/${i}`, (_request, reply) => void reply.send("ok"));
    await migrate(app.db);
    await serveEveryRoute(app);
    for (let i = 0; i < extraRoutes; i++) await app.api.inject(`/extra/${i}`);
    return await timeRender(app);
  } finally {
    await app.api.close();
    await endPools(app.pools);
  }
}

export async function measureRender(config: Config): Promise<{ real: RenderFigure; grown: RenderFigure }> {
  const real = await renderWith(config, 0);
  const grown = await renderWith(config, Math.ceil((2000 - real.series) / SERIES_PER_ROUTE));
  return { real, grown };
}
