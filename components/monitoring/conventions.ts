// Names shared by the scrape config, the rules and the dashboards (the service's metric contract
// lives in the service; these are the monitoring side's choices).

export const DEFAULT_APP_JOB = "showcase-api";
export const PROMETHEUS_JOB = "prometheus";
export const ALERTMANAGER_JOB = "alertmanager";
export const ECS_EXPORTER_JOB = "ecs-exporter";

/** Load-balancer and orchestrator probes: left out of the user-facing SLIs and traffic guards. */
export const PROBE_ROUTES = ["/health", "/ready"];

/** Bounds of `http_request_duration_seconds` (the service's histogram buckets). */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The service's ports (its environment contract: PORT and METRICS_PORT) and metrics path. */
export const SERVICE_PORT = 3000;
export const SERVICE_METRICS_PORT = 9464;
export const METRICS_PATH = "/metrics";
/** Port of the ecs_exporter sidecar (its default listen address). */
export const ECS_EXPORTER_PORT = 9779;
