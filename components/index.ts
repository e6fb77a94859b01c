// The components of the showcase stack, for this program and for other Pulumi projects.
export {
  AlertingRules,
  ALERTMANAGER_PORT,
  type AlertingRulesArgs,
  type ReceiversArgs,
} from "./alerting-rules";
export {
  AppService,
  APP_METRICS_PORT,
  APP_PORT,
  ECS_EXPORTER_PORT,
  type AppServiceArgs,
} from "./app-service";
export { generatedDashboards, type DashboardDimensions } from "./dashboards";
export type { RdsDatabaseArgs } from "./database";
export type { TaskSize } from "./fargate";
export { DATASOURCE_UIDS, type GrafanaContentSpec, type GrafanaDashboardArgs } from "./grafana-content";
export { GrafanaServer, GRAFANA_PORT, type GrafanaServerArgs } from "./grafana-server";
export { images, isPinnedImage } from "./images";
export type { HttpsArgs } from "./load-balancer";
export { componentTags, type Tags } from "./tags";
export type { PlacementArgs } from "./placement";
export {
  PrometheusServer,
  PROMETHEUS_PORT,
  type PrometheusServerArgs,
  type PrometheusStorageArgs,
  type ScrapeTargetArgs,
} from "./prometheus-server";
