// Every query goes through here: it is timed and counted under its operation name, and a failure
// that means "database unavailable" becomes a DatabaseUnavailableError (HTTP 503).
import type { Pool, PoolClient, QueryResultRow } from "pg";
import { DatabaseUnavailableError, isDatabaseUnavailable } from "./errors";
import type { Operation } from "./operations";

/** Receives each query's duration; the metrics implement it. */
export type QueryObserver = (operation: Operation, seconds: number, failed: boolean) => void;

export interface Database {
  query<R extends QueryResultRow>(operation: Operation, text: string, values?: unknown[]): Promise<R[]>;
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(operation: Operation, work: (client: PoolClient) => Promise<T>): Promise<T>;
}

function translate(error: unknown): unknown {
  return isDatabaseUnavailable(error) ? new DatabaseUnavailableError(error) : error;
}

export function createDatabase(pool: Pool, observe: QueryObserver): Database {
  async function timed<T>(operation: Operation, run: () => Promise<T>): Promise<T> {
    const start = performance.now();
    let failed = false;
    try {
      return await run();
    } catch (error) {
      failed = true;
      throw translate(error);
    } finally {
      observe(operation, (performance.now() - start) / 1000, failed);
    }
  }

  return {
    query<R extends QueryResultRow>(operation: Operation, text: string, values?: unknown[]) {
      return timed(operation, async () => (await pool.query<R>(text, values)).rows);
    },

    transaction: (operation, work) =>
      timed(operation, async () => {
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          await client.query("BEGIN");
          const result = await work(client);
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch((rollbackError: Error) => {
            broken = rollbackError;
          });
          throw error;
        } finally {
          // A connection whose rollback failed is not reused.
          client.release(broken);
        }
      }),
  };
}
