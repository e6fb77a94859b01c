// The showcase-monitoring stack: composition only. Settings come from Pulumi.<stack>.yaml through
// stack/config.ts; resources are built by the components.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  ALERTMANAGER_PORT,
  AlertingRules,
  AMP_DATASOURCE_PLUGIN,
  AppService,
  componentTags,
  generatedCloudWatchAlerts,
  generatedDashboards,
  GrafanaServer,
  InternalCertificateAuthority,
  PROMETHEUS_PORT,
  PrometheusServer,
} from "showcase-monitoring";
import { discoveryNamespace, loadStackConfig } from "./stack/config";
import { createNetwork } from "./stack/network";

const config = loadStackConfig();
const prefix = `${pulumi.getProject()}-${config.environment}`;
const platformTags = componentTags("platform", config.tags);

const network = createNetwork(prefix, config.network, platformTags);
const cluster = new aws.ecs.Cluster(prefix, {
  settings: [{ name: "containerInsights", value: "enabled" }],
  tags: platformTags,
});
const namespaceName = discoveryNamespace(config.environment);
const namespace = new aws.servicediscovery.PrivateDnsNamespace(prefix, {
  name: namespaceName,
  vpc: network.vpcId,
  description: "Service discovery of the showcase stack",
  tags: platformTags,
});
// Signs the certificates of TLS inside the VPC: every connection between the stack's tasks is
// HTTPS with a login (docs/decisions/0015).
const ca = new InternalCertificateAuthority(prefix);
const tls = { caCertPem: ca.certPem, caPrivateKeyPem: ca.privateKeyPem };
const https = (hostname: string) => ({
  certificateArn: config.certificateArn,
  hostname: `${hostname}.${config.domain}`,
  hostedZoneId: config.hostedZoneId,
});
const placement = {
  vpcId: network.vpcId,
  privateSubnetIds: network.privateSubnetIds,
  clusterArn: cluster.arn,
  namespace: { id: namespace.id, name: namespaceName },
  logRetentionDays: config.logRetentionDays,
  tags: config.tags,
};

const app = new AppService("app", {
  ...placement,
  publicSubnetIds: network.publicSubnetIds,
  ...(config.app.image === undefined
    ? { build: { context: ".", dockerfile: "service/Dockerfile" } }
    : { image: config.app.image }),
  size: config.app,
  minCount: config.app.minCount,
  maxCount: config.app.maxCount,
  cpuTargetPercent: config.app.cpuTargetPercent,
  requestsPerTarget: config.app.requestsPerTarget,
  logLevel: config.app.logLevel,
  ecsExporter: config.app.ecsExporter,
  allowedCidrs: config.app.allowedCidrs,
  https: https("api"),
  tls,
  ...(config.database.mode === "rds" ? { rds: config.database } : { databaseUrl: config.database.url }),
});

const alerting = new AlertingRules("alertmanager", {
  ...placement,
  size: config.alertmanager,
  rules: {
    environment: config.environment,
    thresholds: config.alertThresholds,
    slo: config.slo,
    runbookBaseUrl: config.runbookBaseUrl,
  },
  receivers: config.receivers,
  tls,
});

const prometheus = new PrometheusServer("prometheus", {
  ...placement,
  environment: config.environment,
  size: config.prometheus,
  storage: config.prometheus.storage,
  allowedCidrs: config.prometheus.allowedCidrs,
  scrapeInterval: config.prometheus.scrapeInterval,
  evaluationInterval: config.prometheus.evaluationInterval,
  app: {
    namespaceName: app.cloudMapNamespaceName,
    serviceName: app.cloudMapServiceName,
    metricsPort: app.metricsPort,
    ...(app.ecsExporterPort === undefined ? {} : { ecsExporterPort: app.ecsExporterPort }),
    securityGroupId: app.securityGroupId,
    ...(app.tlsServerName === undefined || app.metricsTokenSecretArn === undefined
      ? {}
      : {
          tls: {
            serverName: app.tlsServerName,
            bearerTokenSecretArn: app.metricsTokenSecretArn,
            ...(app.ecsExporterLogin === undefined ? {} : { ecsExporterLogin: app.ecsExporterLogin }),
          },
        }),
  },
  alertmanager: {
    hostname: alerting.hostname,
    port: alerting.port,
    securityGroupId: alerting.securityGroupId,
    ...(alerting.prometheusLogin === undefined ? {} : { login: alerting.prometheusLogin }),
  },
  ruleFiles: alerting.ruleFiles,
  tls,
});

const grafana = new GrafanaServer("grafana", {
  ...placement,
  publicSubnetIds: network.publicSubnetIds,
  size: config.grafana,
  allowedCidrs: config.grafana.allowedCidrs,
  https: https("grafana"),
  tls,
  upstreams: [
    ...(prometheus.workspace === undefined
      ? [{ name: "prometheus", securityGroupId: prometheus.securityGroupId, port: PROMETHEUS_PORT }]
      : []),
    { name: "alertmanager", securityGroupId: alerting.securityGroupId, port: ALERTMANAGER_PORT },
  ],
  prometheus: {
    url: prometheus.queryUrl,
    scrapeInterval: config.prometheus.scrapeInterval,
    // AMP is reached with SigV4; our own Prometheus with its login and the internal CA.
    ...(prometheus.workspace === undefined
      ? {
          caCertPem: ca.certPem,
          ...(prometheus.grafanaLogin === undefined ? {} : { basicAuth: prometheus.grafanaLogin }),
        }
      : { amp: { region: config.region } }),
  },
  ...(prometheus.workspace === undefined ? {} : { ampWorkspaceArn: prometheus.workspace.arn }),
  alertmanagerUrl: alerting.url,
  alertmanagerAccess: {
    caCertPem: ca.certPem,
    ...(alerting.grafanaLogin === undefined ? {} : { basicAuth: alerting.grafanaLogin }),
  },
  cloudwatchRegion: config.region,
  logGroupArns: [app.logGroupArn],
  dashboards: generatedDashboards(
    {
      thresholds: config.alertThresholds,
      ...(prometheus.workspace === undefined ? {} : { prometheusPlugin: AMP_DATASOURCE_PLUGIN.id }),
    },
    {
      region: config.region,
      clusterName: app.clusterName,
      serviceName: app.serviceName,
      loadBalancer: app.loadBalancerArnSuffix,
      targetGroup: app.targetGroupArnSuffix,
      ...(app.dbInstanceIdentifier === undefined ? {} : { dbInstanceId: app.dbInstanceIdentifier }),
      ...(prometheus.fileSystem === undefined ? {} : { prometheusFileSystemId: prometheus.fileSystem.id }),
      prometheusServiceName: prometheus.service.name,
    },
  ),
  teams: { viewers: config.grafana.viewers, editors: config.grafana.editors },
  // RDS storage and IOPS are only in CloudWatch: Grafana evaluates them, our Alertmanager routes them.
  ...(app.database === undefined
    ? {}
    : {
        alerting: {
          rules: generatedCloudWatchAlerts(
            { environment: config.environment, runbookBaseUrl: config.runbookBaseUrl },
            {
              region: config.region,
              rds: {
                dbInstanceIdentifier: app.database.identifier,
                allocatedStorageGb: app.database.allocatedStorage,
                provisionedIops: app.database.iops,
              },
            },
          ),
          alertmanager: {
            url: alerting.url,
            ...(alerting.grafanaLogin === undefined ? {} : { basicAuth: alerting.grafanaLogin }),
          },
        },
      }),
});

export const appUrl = app.url;
export const grafanaUrl = grafana.url;
export const dashboardUrls = grafana.dashboardUrls;
export const prometheusUrl = prometheus.url;
export const alertmanagerUrl = alerting.url;
export const grafanaAdminPasswordSecretArn = grafana.adminPasswordSecretArn;
export const clusterName = app.clusterName;
export const ampWorkspaceId = prometheus.workspace?.id;
/** What clients of the internal HTTPS endpoints verify against. */
export const internalCaCertPem = ca.certPem;
