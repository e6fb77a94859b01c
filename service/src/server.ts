// Running the service: migrate, listen on both ports, and stop gracefully within a bound.
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { Server } from "node:http";
import { buildApp, type AppOptions, type ServiceApp } from "./app";
import type { Config } from "./config";
import { migrate } from "./db/migrations";
import { endPools } from "./db/pool";

/** Bound on closing the pools once requests have drained (their clients are all back by then). */
const POOL_CLOSE_TIMEOUT_MS = 2_000;
/** Migration retries while the database is unreachable: 1 s, doubling, at most 30 s apart. */
const MIGRATION_RETRY_MS = { first: 1_000, max: 30_000 };

export interface RunningService {
  app: ServiceApp;
  /**
   * Graceful stop: not ready, no new connections, in-flight requests finish (up to the configured
   * bound, then their connections are cut), pools and the metrics listener close. Resolves true
   * when every request finished within the bound.
   */
  stop(): Promise<boolean>;
  /** Settles once the schema is migrated (or shutdown began first). */
  migrations: Promise<void>;
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

async function closePools(app: ServiceApp): Promise<void> {
  if (!(await within(endPools(app.pools), POOL_CLOSE_TIMEOUT_MS)))
    app.log.warn("database pools did not close in time");
}

/**
 * Runs the migrations until they succeed or shutdown begins. A database that is down at start-up
 * degrades the service (503 from /ready and the API) instead of crashing it into a restart loop.
 */
async function migrateUntilDone(app: ServiceApp, stopping: AbortSignal): Promise<void> {
  for (
    let wait = MIGRATION_RETRY_MS.first;
    !stopping.aborted;
    wait = Math.min(wait * 2, MIGRATION_RETRY_MS.max)
  ) {
    try {
      const applied = await migrate(app.db);
      app.markSchemaReady();
      app.log.info({ applied }, applied.length > 0 ? "migrations applied" : "schema up to date");
      return;
    } catch (error) {
      app.log.error({ err: error, retryInMs: wait }, "migrations failed: not ready, retrying");
      await sleep(wait, undefined, { signal: stopping }).catch(() => undefined);
    }
  }
}

async function stop(app: ServiceApp, drainTimeoutMs: number, migrations: Promise<void>): Promise<boolean> {
  app.beginShutdown();
  await migrations;
  app.log.info({ drainTimeoutMs }, "shutting down: not ready, draining in-flight requests");
  // Answers sent from now on say `connection: close`, so each connection ends after its answer.
  const drained = await within(app.closeApi(), drainTimeoutMs);
  if (!drained) {
    app.log.error({ drainTimeoutMs }, "requests still in flight after the drain timeout: cutting them");
    app.api.server.closeAllConnections();
  }
  await app.closeMetrics();
  await closePools(app);
  app.log.info({ drained }, "shut down");
  return drained;
}

export async function startService(config: Config, options: AppOptions = {}): Promise<RunningService> {
  const app = buildApp(config, options);
  try {
    await app.api.listen({ host: config.host, port: config.port });
    await listen(app.metricsServer, config.metricsPort, config.host);
    app.log.info(
      { tls: config.tls !== undefined, bearerToken: config.metricsTokenFile !== undefined },
      `metrics listening on port ${config.metricsPort} (/metrics)`,
    );
  } catch (error) {
    app.log.fatal({ err: error }, "start-up failed");
    await app.api.close();
    await app.closeMetrics();
    await closePools(app);
    throw error;
  }
  const stopping = new AbortController();
  const migrations = migrateUntilDone(app, stopping.signal);
  return {
    app,
    migrations,
    stop: () => {
      stopping.abort();
      return stop(app, config.shutdownTimeoutMs, migrations);
    },
  };
}
