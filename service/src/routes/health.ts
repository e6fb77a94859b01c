// Liveness and readiness. /health answers while the process serves, whatever the database does
// (restarting the task would not bring the database back). /ready says whether this task can
// serve: the database answers, the schema is migrated, shutdown has not begun. It asks on a
// connection of its own, so a saturated main pool (slowness, which every task shares) does not
// make the load balancer pull every task at once; saturation is for the metrics (see docs/decisions).
import type { FastifyInstance } from "fastify";
import { HEALTH_PATH, READY_PATH } from "showcase-monitoring-conventions";
import type { Database } from "../db/database";
import { errorBody } from "../http/errors";

export interface Lifecycle {
  /** True from the moment shutdown begins. */
  readonly shuttingDown: boolean;
  /** True once the migrations have run. */
  readonly schemaReady: boolean;
}

/** Concurrent callers share the call in flight: a burst of probes costs one query. */
function shared<T>(call: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | undefined;
  return () => (current ??= call().finally(() => (current = undefined)));
}

/** `readiness` is the database on the readiness pool. */
export function registerHealthRoutes(app: FastifyInstance, readiness: Database, lifecycle: Lifecycle): void {
  const check = shared(() => readiness.query("readiness_check", "SELECT 1"));

  app.get(HEALTH_PATH, (_request, reply) => {
    void reply.send({ status: "ok" });
  });

  app.get(READY_PATH, async (request, reply) => {
    if (lifecycle.shuttingDown) return reply.code(503).send(errorBody(503, "shutting down"));
    if (!lifecycle.schemaReady) return reply.code(503).send(errorBody(503, "database unavailable"));
    try {
      await check();
    } catch (error) {
      request.log.warn({ err: error }, "not ready: the database does not answer");
      return reply.code(503).send(errorBody(503, "database unavailable"));
    }
    return { status: "ready" };
  });
}
