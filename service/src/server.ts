// Running the service: migrate, listen on both ports, and stop gracefully within a bound.
import { once } from "node:events";
import type { Server } from "node:http";
import { buildApp, type AppOptions, type ServiceApp } from "./app";
import type { Config } from "./config";
import { migrate } from "./db/migrations";

/** Bound on closing the pools once requests have drained (their clients are all back by then). */
const POOL_CLOSE_TIMEOUT_MS = 2_000;

export interface RunningService {
  app: ServiceApp;
  /**
   * Graceful stop: not ready, no new connections, in-flight requests finish (up to the configured
   * bound, then their connections are cut), pools and the metrics listener close. Resolves true
   * when every request finished within the bound.
   */
  stop(): Promise<boolean>;
}

/** Resolves true when `work` settles within `ms`, false when the time runs out first. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function listen(server: Server, port: number, host: string): Promise<void> {
  server.listen(port, host);
  await once(server, "listening");
}

async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

async function closePools(app: ServiceApp): Promise<void> {
  const ended = Promise.all([app.pools.main.end(), app.pools.stats.end()]);
  if (!(await within(ended, POOL_CLOSE_TIMEOUT_MS))) app.log.warn("database pools did not close in time");
}

async function stop(app: ServiceApp, drainTimeoutMs: number): Promise<boolean> {
  app.beginShutdown();
  app.log.info({ drainTimeoutMs }, "shutting down: not ready, draining in-flight requests");
  // close() stops accepting at once, closes idle keep-alive sockets and waits for the rest.
  const drained = await within(app.api.close(), drainTimeoutMs);
  if (!drained) {
    app.log.error({ drainTimeoutMs }, "requests still in flight after the drain timeout: cutting them");
    app.api.server.closeAllConnections();
  }
  await closeServer(app.metricsServer);
  await closePools(app);
  app.log.info({ drained }, "shut down");
  return drained;
}

export async function startService(config: Config, options: AppOptions = {}): Promise<RunningService> {
  const app = buildApp(config, options);
  try {
    const applied = await migrate(app.db);
    app.log.info({ applied }, applied.length > 0 ? "migrations applied" : "schema up to date");
    await app.api.listen({ host: config.host, port: config.port });
    await listen(app.metricsServer, config.metricsPort, config.host);
    app.log.info(`metrics listening on port ${config.metricsPort} (/metrics)`);
  } catch (error) {
    app.log.fatal({ err: error }, "start-up failed");
    await app.api.close();
    await closeServer(app.metricsServer);
    await closePools(app);
    throw error;
  }
  return { app, stop: () => stop(app, config.shutdownTimeoutMs) };
}
