// GrafanaServer on HTTPS with the generated dashboards for the service, reading Prometheus,
// Alertmanager and CloudWatch, shared with two teams.
import { generatedDashboards, GrafanaServer, PROMETHEUS_PORT, ALERTMANAGER_PORT } from "showcase-monitoring";
import { alerting } from "./alerting-rules";
import { orders } from "./app-service";
import { placement, publicSubnetIds } from "./network";
import { prometheus } from "./prometheus-server";

export const grafana = new GrafanaServer("grafana", {
  ...placement,
  publicSubnetIds,
  https: {
    hostname: "grafana.example.com",
    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000",
    hostedZoneId: "Z0EXAMPLE",
  },
  allowedCidrs: ["203.0.113.0/24"],
  upstreams: [
    { name: "prometheus", securityGroupId: prometheus.securityGroupId, port: PROMETHEUS_PORT },
    { name: "alertmanager", securityGroupId: alerting.securityGroupId, port: ALERTMANAGER_PORT },
  ],
  prometheus: { url: prometheus.queryUrl },
  alertmanagerUrl: alerting.url,
  cloudwatchRegion: "us-east-1",
  dashboards: generatedDashboards(
    { appJob: "orders" },
    {
      region: "us-east-1",
      clusterName: orders.clusterName,
      serviceName: orders.serviceName,
      loadBalancer: orders.loadBalancerArnSuffix,
      targetGroup: orders.targetGroupArnSuffix,
    },
  ),
  teams: { viewers: ["support@example.com"], editors: ["orders-team@example.com"] },
});
