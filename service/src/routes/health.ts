// Liveness and readiness. /health answers while the process serves, whatever the database does
// (restarting the task would not bring the database back); /ready needs the database and turns
// 503 as soon as shutdown begins.
import type { FastifyInstance } from "fastify";
import type { Database } from "../db/database";
import { errorBody } from "../http/errors";

export interface Lifecycle {
  /** True from the moment shutdown begins. */
  readonly shuttingDown: boolean;
  /** True once the migrations have run. */
  readonly schemaReady: boolean;
}

export function registerHealthRoutes(app: FastifyInstance, db: Database, lifecycle: Lifecycle): void {
  app.get("/health", (_request, reply) => {
    void reply.send({ status: "ok" });
  });

  app.get("/ready", async (request, reply) => {
    if (lifecycle.shuttingDown) return reply.code(503).send(errorBody(503, "shutting down"));
    if (!lifecycle.schemaReady) return reply.code(503).send(errorBody(503, "database unavailable"));
    try {
      await db.query("readiness_check", "SELECT 1");
    } catch (error) {
      request.log.warn({ err: error }, "not ready: the database does not answer");
      return reply.code(503).send(errorBody(503, "database unavailable"));
    }
    return { status: "ready" };
  });
}
