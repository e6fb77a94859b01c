// PrometheusServer scraping every task of an AppService (found through Cloud Map's API, however
// many), alerting through AlertingRules, and keeping its data on EFS.
import { PrometheusServer, StorageKind } from "showcase-monitoring";
import { alerting } from "./alerting-rules";
import { orders } from "./app-service";
import { placement } from "./network";

export const prometheus = new PrometheusServer("prometheus", {
  ...placement,
  environment: "prod",
  appJob: "orders",
  app: {
    namespaceName: orders.cloudMapNamespaceName,
    serviceName: orders.cloudMapServiceName,
    metricsPort: orders.metricsPort,
    ...(orders.ecsExporterPort === undefined ? {} : { ecsExporterPort: orders.ecsExporterPort }),
    securityGroupId: orders.securityGroupId,
  },
  alertmanager: {
    hostname: alerting.hostname,
    port: alerting.port,
    securityGroupId: alerting.securityGroupId,
  },
  ruleFiles: alerting.ruleFiles,
  storage: { kind: StorageKind.Efs, retentionTime: "30d", retentionSize: "40GB" },
  allowedCidrs: ["10.100.0.0/16"],
});
