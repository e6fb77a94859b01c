// The connection pools: the main one serves requests; two one-connection pools of their own read
// the server figures for /metrics and answer /ready, so that a saturated main pool never stalls a
// scrape or fails a readiness probe (saturation is for the metrics to show, not for the load
// balancer to act on; docs/decisions: service readiness and connection bounds).
import { Pool, type PoolConfig } from "pg";
import type { DatabaseConfig } from "../config";

/** Timeouts of the main pool: requests fail fast (503) instead of queueing while the database is away. */
const CONNECT_TIMEOUT_MS = 2_000;
const STATEMENT_TIMEOUT_MS = 10_000;
/** Bound of every scrape-time read; Prometheus' own scrape timeout is 10 s by default. */
export const STATS_TIMEOUT_MS = 500;
/** Bound of a readiness check, well inside the ALB health check's 5 s timeout. */
const READINESS_TIMEOUT_MS = 1_000;

export interface Pools {
  main: Pool;
  stats: Pool;
  readiness: Pool;
}

/** `ca`: PEM of the CAs to trust with verify-full (DATABASE_CA_CERT_FILE), instead of Node's own. */
function ssl(database: DatabaseConfig, ca: string | undefined): PoolConfig["ssl"] {
  switch (database.ssl) {
    case "disable":
      return false;
    case "require":
      // Encrypted, not authenticated: what libpq calls sslmode=require.
      return { rejectUnauthorized: false };
    case "verify-full":
      // Node verifies the chain and the host name (SNI and identity from the URL's host). A CA file
      // (e.g. the RDS bundle) replaces Node's public CAs, as libpq's sslrootcert does: only the
      // CAs the operator named can vouch for the database.
      return ca === undefined ? { rejectUnauthorized: true } : { rejectUnauthorized: true, ca };
  }
}

function connection(database: DatabaseConfig, ca: string | undefined, applicationName: string): PoolConfig {
  return {
    host: database.host,
    port: database.port,
    user: database.user,
    password: database.password,
    database: database.database,
    ssl: ssl(database, ca),
    application_name: applicationName,
    keepAlive: true,
  };
}

/** A one-connection pool for one small query at a time, every wait bounded by `timeoutMs`. */
function sidePool(
  database: DatabaseConfig,
  ca: string | undefined,
  applicationName: string,
  timeoutMs: number,
): Pool {
  return new Pool({
    ...connection(database, ca, applicationName),
    max: 1,
    connectionTimeoutMillis: timeoutMs,
    idleTimeoutMillis: 60_000,
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs,
  });
}

/**
 * Creates the pools. `onError` receives errors of idle connections (the server went away): pg
 * emits them on the pool, and an unhandled 'error' event would end the process.
 */
export function createPools(
  database: DatabaseConfig,
  ca: string | undefined,
  onError: (error: Error) => void,
): Pools {
  const main = new Pool({
    ...connection(database, ca, "showcase-api"),
    max: database.poolMax,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    // The client-side bound also covers a server that stopped answering altogether.
    query_timeout: STATEMENT_TIMEOUT_MS + 1_000,
  });
  const stats = sidePool(database, ca, "showcase-api-metrics", STATS_TIMEOUT_MS);
  const readiness = sidePool(database, ca, "showcase-api-readiness", READINESS_TIMEOUT_MS);
  for (const pool of [main, stats, readiness]) pool.on("error", onError);
  return { main, stats, readiness };
}

export async function endPools(pools: Pools): Promise<void> {
  await Promise.all([pools.main.end(), pools.stats.end(), pools.readiness.end()]);
}
