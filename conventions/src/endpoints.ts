// Where the service listens and what it answers there: its environment's defaults (PORT,
// METRICS_PORT), the metrics path and the probes of load balancers and orchestrators.

/** Default of PORT: the HTTP API, behind the load balancer. */
export const SERVICE_PORT = 3000;
/** Default of METRICS_PORT: `/metrics` only, for Prometheus, never behind the load balancer. */
export const SERVICE_METRICS_PORT = 9464;
export const METRICS_PATH = "/metrics";

/** Liveness: 200 while the process serves, whatever the database does. */
export const HEALTH_PATH = "/health";
/** Readiness: 200 when this task can serve (database reachable, schema migrated, not stopping). */
export const READY_PATH = "/ready";
/** The probe routes: left out of the user-facing SLIs and traffic guards. */
export const PROBE_ROUTES = [HEALTH_PATH, READY_PATH];
