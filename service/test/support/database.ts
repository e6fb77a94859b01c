// Databases for tests: a fresh one per test file on the shared cluster, or a private cluster for
// tests that stop the server.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { inject } from "vitest";
import { startPostgres, type PostgresOptions, type PostgresServer } from "../../../tools/postgres";

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

/** A PostgreSQL cluster of the caller's own, to stop and start at will (with TLS when given `tls`). */
export async function privatePostgres(
  tls?: PostgresOptions["tls"],
): Promise<PostgresServer & { remove(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "service-tests-private-pg-"));
  const server = await startPostgres({ dataDir, ...(tls && { tls }) });
  return {
    ...server,
    async remove() {
      await server.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Holds a row lock on a project, so that an update of it waits: a request that stays in flight. */
export async function lockProject(url: string, id: string): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT 1 FROM projects WHERE id = $1 FOR UPDATE", [id]);
  return {
    async release() {
      await client.query("COMMIT");
      await client.end();
    },
  };
}

/** Resolves once a query of the database at `url` waits on a lock. */
export async function waitUntilBlocked(url: string): Promise<void> {
  await withClient(url, async (client) => {
    for (let i = 0; i < 100; i++) {
      const { rowCount } = await client.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if (rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("the request never reached the lock");
  });
}
