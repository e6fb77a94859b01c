// showcase-monitoring: Pulumi components for a containerized HTTP service on ECS Fargate with
// Prometheus, Alertmanager and Grafana. The pure generators they use are `showcase-monitoring/monitoring`.
// Importing this module creates nothing: every resource comes from a constructor.
export {
  AlertingRules,
  ALERTING_RULES_DEFAULTS,
  ALERTMANAGER_PORT,
  type AlertingRulesArgs,
  type EmailReceiverArgs,
  type PagerdutyReceiverArgs,
  type ReceiversArgs,
  type SlackReceiverArgs,
} from "./alerting-rules";
export {
  AppService,
  APP_SERVICE_DEFAULTS,
  APP_SERVICE_LIMITS,
  type AppServiceArgs,
  type DockerBuildArgs,
  type SidecarArgs,
} from "./app-service";
export { generatedCloudWatchAlerts, type CloudWatchAlertTargets } from "./cloudwatch-alerts";
export { generatedDashboards, type DashboardDimensions } from "./dashboards";
export {
  GRAFANA_ALERTING_DEFAULTS,
  type AlertmanagerContactArgs,
  type GrafanaAlertingArgs,
} from "./grafana-alerting";
export { DatabaseSsl, RDS_DATABASE_DEFAULTS, type RdsDatabaseArgs } from "./database";
export type { TaskSize } from "./fargate";
export {
  AMP_DATASOURCE_PLUGIN,
  DATASOURCE_UIDS,
  GRAFANA_CONTENT_DEFAULTS,
  GrafanaContent,
  type AmpQueryArgs,
  type BasicAuthArgs,
  type CloudWatchDataSourceArgs,
  type FolderArgs,
  type GrafanaContentArgs,
  type GrafanaDashboardArgs,
  type PrometheusDataSourceArgs,
  type ServerAccessArgs,
  type TeamsArgs,
} from "./grafana-content";
export {
  GRAFANA_PORT,
  GRAFANA_SERVER_DEFAULTS,
  GrafanaServer,
  type GrafanaServerArgs,
  type UpstreamArgs,
} from "./grafana-server";
export { images, isPinnedImage } from "./images";
export {
  INTERNAL_TLS_DEFAULTS,
  InternalCertificateAuthority,
  type InternalCertificateAuthorityArgs,
  type InternalTlsArgs,
} from "./internal-tls";
export type { HttpsArgs } from "./load-balancer";
export { PLACEMENT_DEFAULTS, type NamespaceArgs, type PlacementArgs } from "./placement";
export {
  PROMETHEUS_PORT,
  PROMETHEUS_SERVER_DEFAULTS,
  PrometheusServer,
  StorageKind,
  type AlertmanagerTargetArgs,
  type PrometheusServerArgs,
  type ScrapeTlsArgs,
  type PrometheusStorageArgs,
  type ScrapeTargetArgs,
} from "./prometheus-server";
export { componentTags, type Tags } from "./tags";
export type { ClientLogin, ServerLoginArgs } from "./web-tls";
// The generators' types an AlertingRules user writes, here too (the rest is showcase-monitoring/monitoring).
export { AlertSeverity } from "./monitoring/types";
