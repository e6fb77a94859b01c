// The monitoring generators: pure functions from typed inputs to the files Prometheus,
// Alertmanager and Grafana read. Nothing here knows about Pulumi or AWS APIs.
export * from "./types";
export {
  DEFAULT_EVALUATION_INTERVAL,
  DEFAULT_SCRAPE_INTERVAL,
  renderPrometheusConfig,
} from "./prometheus-config";
export { durationMs } from "./validate";
export { HEALTH_CHECK_COMMANDS, renderHttpClientConfig, renderWebConfig } from "./web-config";
export {
  CLOUD_MAP_DISCOVER_MAX_RESULTS,
  CLOUD_MAP_DISCOVERY_SCRIPT,
  CLOUD_MAP_TARGETS_QUERY,
  DISCOVERY_DIR,
  discoveryTargetsVariable,
  type DiscoveredService,
  INSTANCE_ID_LABEL,
  cloudMapTargetsQuery,
} from "./cloud-map-discovery";
export { renderAlertmanagerConfig, RECEIVERS } from "./alertmanager-config";
export {
  buildCloudWatchAlerts,
  CLOUDWATCH_ALERT_DEFAULTS,
  CLOUDWATCH_ALERT_NAMES,
  type CloudWatchAlertRule,
  type CloudWatchAlertsInput,
} from "./cloudwatch-alerts";
export {
  renderRuleFiles,
  ruleGroups,
  alertRules,
  alertNames,
  isAlert,
  BURN_RATES,
  DEFAULT_THRESHOLDS,
  RULE_GROUP_IDS,
  ALERTNAME_PLACEHOLDER,
  DEFAULT_RUNBOOK_PATH,
  type AlertRule,
  type RecordingRule,
  type Rule,
  type RuleGroup,
  type Severity,
} from "./rules";
export {
  buildDashboards,
  dashboardQueries,
  resolveQuery,
  UIDS,
  DATASOURCE_UIDS,
  type DashboardQuery,
  type QueryVariables,
  type GrafanaDashboard,
  type Panel,
  type Target,
  type PrometheusTarget,
  type CloudWatchTarget,
  type Variable,
} from "./dashboards";
export { RECORDED, SLO_WINDOWS, SLO_PERIOD } from "./recorded";
export {
  DEFAULT_APP_JOB,
  PROMETHEUS_JOB,
  ALERTMANAGER_JOB,
  ECS_EXPORTER_JOB,
  ECS_EXPORTER_PORT,
  EVENT_LOOP_LAG_FIGURES,
  type EventLoopLagFigure,
  METRICS,
  HTTP_DURATION_BUCKETS,
  QUERY_DURATION_BUCKETS,
  UNMATCHED_ROUTE,
  SERVICE_PORT,
  SERVICE_METRICS_PORT,
  METRICS_PATH,
  HEALTH_PATH,
  READY_PATH,
  PROBE_ROUTES,
} from "./conventions";
