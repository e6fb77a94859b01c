// Figures about the database server for /metrics, read on the dedicated one-connection pool.
import type { Pool } from "pg";

export interface ServerStats {
  /** Backends connected to our database, every client included. */
  connections: number;
  sizeBytes: number;
}

export async function readServerStats(pool: Pool): Promise<ServerStats> {
  const { rows } = await pool.query<{ connections: string; size_bytes: string }>(
    `SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) AS connections,
            pg_database_size(current_database()) AS size_bytes`,
  );
  const row = rows[0]!;
  return { connections: Number(row.connections), sizeBytes: Number(row.size_bytes) };
}
