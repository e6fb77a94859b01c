// AlertingRules with the stack's rules tuned as data: a later, softer error-rate alert, one alert
// dropped, a group of your own, runbooks in your wiki, and Slack and PagerDuty as receivers.
import * as pulumi from "@pulumi/pulumi";
import { AlertingRules, AlertSeverity } from "showcase-monitoring";
import { placement } from "./network";

const config = new pulumi.Config();

export const alerting = new AlertingRules("alerts", {
  ...placement,
  rules: {
    environment: "prod",
    appJob: "orders",
    slo: { availability: 0.999, latency: 0.99, latencyThresholdSeconds: 0.25 },
    runbookUrlTemplate: "https://wiki.example.com/runbooks/{{alertname}}",
    overrides: { ApiHighErrorRate: { for: "10m", severity: AlertSeverity.Warning } },
    drop: { alerts: ["AppGcTimeHigh"] },
    groups: [
      {
        name: "orders",
        alerts: [
          {
            alert: "OrdersNotProcessed",
            expr: 'sum(rate(http_requests_total{job="orders",route="/api/orders",status_code="201"}[10m])) == 0',
            for: "15m",
            severity: AlertSeverity.Warning,
            summary: "No order has been accepted for 15 minutes.",
            description: "The orders API accepted no order in the last 15 minutes.",
          },
        ],
      },
    ],
  },
  receivers: {
    slack: { channel: "#orders-alerts", webhookUrl: config.requireSecret("slackWebhookUrl") },
    pagerduty: { routingKey: config.requireSecret("pagerdutyRoutingKey") },
  },
});
