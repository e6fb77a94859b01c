// GrafanaContent in a Grafana you already run (here through a provider you configure yourself):
// the data sources, the dashboards in their folder, and the teams that may see them.
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { generatedDashboards, GrafanaContent } from "showcase-monitoring";

const config = new pulumi.Config();
const provider = new grafana.Provider("managed-grafana", {
  url: "https://g-abc123.grafana-workspace.us-east-1.amazonaws.com",
  auth: config.requireSecret("grafanaToken"),
});

export const content = new GrafanaContent(
  "orders",
  {
    url: "https://g-abc123.grafana-workspace.us-east-1.amazonaws.com",
    prometheus: {
      url: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123/",
      amp: { region: "us-east-1" },
    },
    cloudwatch: { region: "us-east-1" },
    dashboards: generatedDashboards(
      { appJob: "orders", prometheusPlugin: "grafana-amazonprometheus-datasource" },
      {
        region: "us-east-1",
        clusterName: "orders",
        serviceName: "orders",
        loadBalancer: "app/orders/0123456789abcdef",
        targetGroup: "targetgroup/orders/fedcba9876543210",
      },
    ),
    folder: { uid: "orders", title: "Orders" },
    teams: { viewers: ["support@example.com"], editors: ["orders-team@example.com"] },
  },
  { providers: [provider] },
);
