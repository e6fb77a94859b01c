// The example of docs/rules.md (the page shows this file as it is): our rules with one team's
// changes. rule-customization.test.ts checks it with promtool and runs alert tests against it.
import { AlertSeverity, type RulesInput } from "showcase-monitoring/monitoring";

export const rules: RulesInput = {
  environment: "prod",
  slo: { availability: 0.995, latency: 0.99, latencyThresholdSeconds: 0.5 },
  runbookUrlTemplate: "https://runbooks.example.com/showcase/{{alertname}}",
  overrides: {
    // Errors open a ticket rather than page, once they last 10 minutes; the API team owns them.
    ApiHighErrorRate: { for: "10m", severity: AlertSeverity.Warning, labels: { team: "api" } },
    // Latency alerts only with real traffic: at least 5 requests/s (ours: 0.1).
    ApiHighLatencyP99: {
      expr:
        'job:http_request_duration_seconds:p99_rate5m{job="showcase-api"} > 1\n' +
        'and\njob:http_requests:rate5m{job="showcase-api"} > 5',
    },
    // The page for "every target down" links to the overview dashboard.
    "AppTargetDown/critical": {
      annotations: { dashboard: "https://grafana.example.com/d/showcase-overview" },
    },
  },
  // No database behind this service, and p99 is enough.
  drop: { groups: ["database"], alerts: ["ApiHighLatencyP90"] },
  groups: [
    {
      name: "orders",
      records: [
        {
          record: "job:orders_failed:rate5m",
          expr: 'sum by (job) (rate(orders_failed_total{job="showcase-api"}[5m]))',
        },
      ],
      alerts: [
        {
          alert: "OrdersFailing",
          expr: "job:orders_failed:rate5m > 0.5",
          for: "2m",
          severity: AlertSeverity.Critical,
          summary: "Orders fail.",
          description: "{{ $value | humanize }} orders/s of {{ $labels.job }} failed over the last 5m.",
          labels: { team: "orders" },
        },
      ],
    },
  ],
};
