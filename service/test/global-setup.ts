// One private PostgreSQL for the whole service test run; each test file creates its own database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startPostgres } from "../../tools/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the shared test cluster's `postgres` database. */
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), "service-tests-pg-"));
  const postgres = await startPostgres({ dataDir });
  project.provide("postgresAdminUrl", postgres.url());
  return async () => {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
