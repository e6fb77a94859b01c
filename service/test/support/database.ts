// Databases for tests: a fresh one per test file on the shared cluster, or a private cluster for
// tests that stop the server.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { inject } from "vitest";
import { startPostgres, type PostgresServer } from "../../../tools/postgres";

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database on the shared test cluster and returns its URL. */
export async function freshDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new URL(inject("postgresAdminUrl"));
  await withClient(admin.href, (client) => client.query(`CREATE DATABASE ${name}`));
  admin.pathname = `/${name}`;
  return admin.href;
}

/** A PostgreSQL cluster of the caller's own, to stop and start at will. */
export async function privatePostgres(): Promise<PostgresServer & { remove(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "service-tests-private-pg-"));
  const server = await startPostgres({ dataDir });
  return {
    ...server,
    async remove() {
      await server.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
