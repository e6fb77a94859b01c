// A Pulumi program for the benchmark: `count` AppServices scraped by one Prometheus (the first as
// `app`, the others as `moreApps`), with the alerting rules of every app (`moreAppJobs`), in an
// existing VPC and cluster. No Grafana: its dashboards are one set per stack, whatever the apps.
import * as pulumi from "@pulumi/pulumi";
import { AlertingRules, AppService, PrometheusServer } from "showcase-monitoring";
import { placement, publicSubnetIds } from "../../test/infra/fixtures";

export function appsProgram(count: number): void {
  const apps = Array.from(
    { length: count },
    (_, i) =>
      new AppService(`app${i}`, { ...placement, publicSubnetIds, image: "example/app:1.0.0", rds: {} }),
  );
  const jobs = apps.map((_, i) => `app${i}`);
  const alerting = new AlertingRules("alertmanager", {
    ...placement,
    rules: {
      environment: "bench",
      slo: { availability: 0.995, latency: 0.99, latencyThresholdSeconds: 0.25 },
      runbookBaseUrl: "https://example.com/runbooks",
    },
    moreAppJobs: jobs.slice(1),
    receivers: { slack: { channel: "#alerts", webhookUrl: pulumi.secret("https://hooks.slack.com/x") } },
  });
  const scraped = (app: AppService, i: number) => ({
    job: jobs[i]!,
    namespaceName: app.cloudMapNamespaceName,
    serviceName: app.cloudMapServiceName,
    metricsPort: app.metricsPort,
    securityGroupId: app.securityGroupId,
  });
  new PrometheusServer("prometheus", {
    ...placement,
    environment: "bench",
    app: scraped(apps[0]!, 0),
    moreApps: apps.slice(1).map((app, i) => scraped(app, i + 1)),
    alertmanager: {
      hostname: alerting.hostname,
      port: alerting.port,
      securityGroupId: alerting.securityGroupId,
    },
    ruleFiles: alerting.ruleFiles,
  });
}
