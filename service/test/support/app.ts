// An in-process service for tests: built from a real configuration, migrated, optionally listening.
import type { AddressInfo } from "node:net";
import { once } from "node:events";
import { buildApp, type ServiceApp } from "../../src/app";
import { parseConfig, type Config } from "../../src/config";
import { migrate } from "../../src/db/migrations";
import { endPools } from "../../src/db/pool";

export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return parseConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: "silent", ...env });
}

/** Collects the JSON log lines the app writes. */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  write(line: string): void {
    this.raw.push(line);
    this.lines.push(JSON.parse(line) as Record<string, unknown>);
  }
}

export interface TestApp extends ServiceApp {
  /** Base URL of the metrics listener (listening on a free loopback port; https with TLS on). */
  metricsUrl: string;
  close(): Promise<void>;
}

export async function startTestApp(
  config: Config,
  options: { logs?: LogCapture; metrics?: boolean } = {},
): Promise<TestApp> {
  const app = buildApp(config, {
    ...(options.logs && { logStream: options.logs }),
    ...(options.metrics !== undefined && { metrics: options.metrics }),
  });
  await migrate(app.db);
  app.markSchemaReady();
  await app.api.ready();
  app.metricsServer.listen(0, "127.0.0.1");
  await once(app.metricsServer, "listening");
  const { port } = app.metricsServer.address() as AddressInfo;
  return Object.assign(app, {
    metricsUrl: `${config.tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    async close() {
      await app.closeApi();
      await app.closeMetrics();
      await endPools(app.pools);
    },
  });
}
