// Builds one instance of the service: the public API (Fastify), the private metrics listener, the
// database pools and a metrics registry of its own. Nothing is global, so tests can build several.
// The files the configuration names (certificate, key, tokens, CAs) are read here, before anything
// listens: a wrong one throws a ConfigError.
import type { Server } from "node:http";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from "fastify";
import { Registry } from "prom-client";
import type { DestinationStream } from "pino";
import type { Config } from "./config";
import { readCredentials, readReloadable } from "./credentials";
import { createDatabase, type Database } from "./db/database";
import { createPools, STATS_TIMEOUT_MS, type Pools } from "./db/pool";
import { createProjectRepository } from "./db/projects";
import { readServerStats } from "./db/stats";
import { createApiServer } from "./http/api-server";
import { createClientErrorHandler } from "./http/client-errors";
import { trackConnections, type ConnectionTracker } from "./http/connections";
import { errorBody, handleError, notFound, RETRY_AFTER_SECONDS } from "./http/errors";
import { replaceCertificate } from "./http/listener";
import { createValidatorCompiler } from "./http/validation";
import { createBearerCheck, type BearerCheck } from "./metrics/bearer-token";
import { registerCertificateMetrics } from "./metrics/certificate";
import { registerClientErrorMetrics } from "./metrics/client-errors";
import { registerPoolMetrics, registerQueryMetrics, registerServerStatsMetrics } from "./metrics/db";
import { createHttpMetrics } from "./metrics/http";
import { registerRuntimeMetrics } from "./metrics/runtime";
import { createMetricsServer } from "./metrics/server";
import { registerHealthRoutes } from "./routes/health";
import { registerProjectRoutes } from "./routes/projects";

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Scrapes within this window share one read of the database server figures. */
const STATS_CACHE_MS = 5_000;

export interface AppOptions {
  /** Instrumentation on (the default). Off only serves the benchmark's uninstrumented baseline. */
  metrics?: boolean;
  /**
   * Called with the API before any hook or route is added: the benchmark's other HTTP
   * instrumentations (fastify-metrics, plain prom-client), compared with ours.
   */
  instrumentApi?: (api: FastifyInstance) => void;
  /** Log destination; stdout by default. */
  logStream?: DestinationStream;
}

export interface ServiceApp {
  api: FastifyInstance;
  metricsServer: Server;
  registry: Registry;
  db: Database;
  pools: Pools;
  log: FastifyBaseLogger;
  /**
   * Stops accepting connections and resolves once every one has ended: those with no request in
   * flight end at once, the others as soon as their answer is sent.
   */
  closeApi(): Promise<void>;
  /** Closes the metrics listener and every connection to it, handshakes under way included. */
  closeMetrics(): Promise<void>;
  /**
   * Reads the certificate, key and metrics tokens again; new connections use them. When a file is
   * wrong, logs what (never a secret), keeps those in use and returns false.
   */
  reloadCredentials(): boolean;
  readonly shuttingDown: boolean;
  /** From now on /ready answers 503 and every response closes its connection. */
  beginShutdown(): void;
  /** False until the migrations have run: /ready and the API answer 503 until then. */
  readonly schemaReady: boolean;
  markSchemaReady(): void;
}

// Secrets never reach the logs: the configuration is not logged, and these paths are masked in
// case an object carrying them ever is.
const REDACT = ["password", "*.password", "*.*.password", "req.headers.authorization", "req.headers.cookie"];

export function buildApp(config: Config, options: AppOptions = {}): ServiceApp {
  const credentials = readCredentials(config);
  let certificate = credentials.certificate;
  let bearerCheck: BearerCheck | undefined =
    credentials.metricsTokens && createBearerCheck(credentials.metricsTokens);
  const instrumented = options.metrics ?? true;
  const registry = new Registry();
  const httpMetrics = instrumented ? createHttpMetrics(registry) : undefined;
  const recordClientError = instrumented ? registerClientErrorMetrics(registry) : () => undefined;
  let shuttingDown = false;
  let schemaReady = false;
  let connections: ConnectionTracker | undefined;

  const api = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACT, censor: "[redacted]" },
      ...(options.logStream && { stream: options.logStream }),
    },
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    serverFactory: (handler) => {
      const server = createApiServer(handler, { ...config, recordClientError, certificate });
      connections = trackConnections(server);
      return server;
    },
    // From a request's headers to its answer; handleError tells a slow body (408) from slow work.
    handlerTimeout: config.requestTimeoutMs,
    bodyLimit: BODY_LIMIT_BYTES,
    // The connection tracker closes idle connections; a request that still arrives while draining
    // is served (its answer closes the connection) rather than refused with a 503.
    forceCloseConnections: false,
    return503OnClosing: false,
    clientErrorHandler: (error, socket) => onClientError(error, socket),
    // A malformed URL (`/%zz`) is answered before routing: no route, so no hook records it.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const status = error.statusCode ?? 500;
      void reply.code(status).send(errorBody(status, error.message));
      httpMetrics?.unmatched(request, reply, () => undefined);
    },
  });
  options.instrumentApi?.(api);
  const log = api.log;
  const tracker = connections!;
  const onClientError = createClientErrorHandler(tracker, recordClientError, log);

  const pools = createPools(config.database, credentials.databaseCa, (error) =>
    log.warn({ err: error }, "database connection lost"),
  );
  const observe = instrumented ? registerQueryMetrics(registry) : () => undefined;
  const db = createDatabase(pools.main, observe);
  if (instrumented) {
    registerRuntimeMetrics(registry);
    registerPoolMetrics(registry, pools.main, config.database.poolMax);
    registerServerStatsMetrics(registry, () => readServerStats(pools.stats), {
      timeoutMs: STATS_TIMEOUT_MS,
      cacheMs: STATS_CACHE_MS,
    });
    if (certificate !== undefined) registerCertificateMetrics(registry, () => certificate!);
  }

  api.setValidatorCompiler(createValidatorCompiler());
  api.setErrorHandler(handleError);
  if (httpMetrics) api.addHook("onRoute", httpMetrics.onRoute);
  // While draining, answers close their connection: a keep-alive socket would otherwise hold the
  // server open after its last response (fastify issue 7044).
  api.addHook("onSend", (_request, reply, payload, done) => {
    if (shuttingDown) void reply.header("connection", "close");
    done(null, payload);
  });
  registerHealthRoutes(api, createDatabase(pools.readiness, observe), {
    get shuttingDown() {
      return shuttingDown;
    },
    get schemaReady() {
      return schemaReady;
    },
  });
  // Until the schema exists the API answers 503 like any other database outage, not 500.
  void api.register((scope, _options, done) => {
    scope.addHook("onRequest", (_request, reply, next) => {
      if (schemaReady) return next();
      void reply
        .code(503)
        .header("retry-after", RETRY_AFTER_SECONDS)
        .send(errorBody(503, "database unavailable"));
    });
    registerProjectRoutes(scope, createProjectRepository(db));
    done();
  });
  // The not-found handler lives in a scope of its own so that only unmatched requests run its hook.
  void api.register((scope, _options, done) => {
    if (httpMetrics) scope.addHook("onResponse", httpMetrics.unmatched);
    scope.setNotFoundHandler(notFound);
    done();
  });

  const metricsServer = createMetricsServer(registry, {
    certificate,
    authorize: bearerCheck && ((authorization) => bearerCheck!(authorization)),
    onError: (error) => log.error({ err: error }, "/metrics failed"),
    onUnauthorized: (request, reason) =>
      log.warn(
        { remoteAddress: request.socket.remoteAddress, reason },
        "/metrics refused: bearer token " + reason,
      ),
  });
  const metricsConnections = trackConnections(metricsServer);

  return {
    api,
    metricsServer,
    registry,
    db,
    pools,
    log,
    closeApi() {
      const closed = api.close();
      tracker.closeIdle();
      return closed;
    },
    async closeMetrics() {
      const closed = new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      metricsConnections.closeIdle();
      metricsServer.closeAllConnections();
      await closed;
    },
    reloadCredentials() {
      const problems: string[] = [];
      const next = readReloadable(config, problems);
      if (problems.length > 0) {
        log.error({ problems }, "reload failed: the certificate and tokens in use stay");
        return false;
      }
      if (next.certificate !== undefined) {
        certificate = next.certificate;
        replaceCertificate(api.server, certificate);
        replaceCertificate(metricsServer, certificate);
      }
      if (next.metricsTokens !== undefined) bearerCheck = createBearerCheck(next.metricsTokens);
      log.info(
        {
          certificate: certificate && {
            serialNumber: certificate.serialNumber,
            notAfter: certificate.notAfter,
          },
          metricsTokens: next.metricsTokens?.length ?? 0,
        },
        "credentials reloaded",
      );
      return true;
    },
    get shuttingDown() {
      return shuttingDown;
    },
    beginShutdown() {
      shuttingDown = true;
    },
    get schemaReady() {
      return schemaReady;
    },
    markSchemaReady() {
      schemaReady = true;
    },
  };
}
