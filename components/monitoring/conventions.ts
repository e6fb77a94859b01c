// Names shared by the scrape config, the rules and the dashboards: the monitoring side's own
// choices (job names, the sidecar's port), and the service's contract from the package both sides
// import (metric names, histogram bounds, ports, paths, probes).
export * from "showcase-monitoring-conventions";

export const DEFAULT_APP_JOB = "showcase-api";
export const PROMETHEUS_JOB = "prometheus";
export const ALERTMANAGER_JOB = "alertmanager";
export const ECS_EXPORTER_JOB = "ecs-exporter";

/** Port of the ecs_exporter sidecar (its default listen address). */
export const ECS_EXPORTER_PORT = 9779;
