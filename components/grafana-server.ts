import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { efsVolume, EFS_VOLUME_NAME } from "./efs-volume";
import { fargateService, type TaskSize } from "./fargate";
import * as grafana from "@pulumiverse/grafana";
import { componentOptions, typeToken } from "./component";
import type { GrafanaAlertingArgs } from "./grafana-alerting";
import { filesInitContainer } from "./config-files";
import {
  AMP_DATASOURCE_PLUGIN,
  GRAFANA_CONTENT_DEFAULTS,
  GrafanaContent,
  type FolderArgs,
  type GrafanaDashboardArgs,
  type PrometheusDataSourceArgs,
  type ServerAccessArgs,
  type TeamsArgs,
} from "./grafana-content";
import { policyDocument, type PolicyStatement } from "./iam";
import { images } from "./images";
import { type InternalTlsArgs, serverCertificate } from "./internal-tls";
import { type HttpsArgs, publicEndpoint } from "./load-balancer";
import { discoveryName, type PlacementArgs, servicePlacement, taskSecurityGroup } from "./placement";
import { allowTcp } from "./security-groups";
import { componentTags } from "./tags";

export const GRAFANA_PORT = 3000;
/** The image's user: owner of /var/lib/grafana. */
const GRAFANA_UID = 472;
const ADMIN_USER = "admin";
/** Where Grafana finds the files its init container writes (its certificate and key). */
const FILES_DIR = "/etc/grafana-files";
const CA_DIR = "ca";

/** A server inside the VPC Grafana must reach (Prometheus, Alertmanager): the component opens its port. */
export interface UpstreamArgs {
  /** Names the ingress rule. */
  name: string;
  /** The server's security group. */
  securityGroupId: pulumi.Input<string>;
  /** The port Grafana connects to. */
  port: number;
}

/** The defaults of GrafanaServerArgs. */
export const GRAFANA_SERVER_DEFAULTS = {
  size: { cpu: 512, memory: 1024 },
  allowedCidrs: ["0.0.0.0/0"],
} as const;

export interface GrafanaServerArgs extends PlacementArgs {
  /** Public subnets of the load balancer. */
  publicSubnetIds: pulumi.Input<string>[];
  /** Grafana is served over HTTPS only (secure cookies). */
  https: HttpsArgs;
  /** Who may reach Grafana (and the Pulumi runner must be among them). Default everyone. */
  allowedCidrs?: string[];
  /** Servers Grafana must reach inside the VPC (Prometheus, Alertmanager). Default none. */
  upstreams?: UpstreamArgs[];
  /** CloudWatch Logs groups the CloudWatch data source may query (Logs Insights). Default none. */
  logGroupArns?: pulumi.Input<string>[];
  /** Task size. Default 512 CPU units, 1024 MiB. */
  size?: TaskSize;
  /** The Prometheus data source (see GrafanaContent). With `amp`, the task role may query the workspace. */
  prometheus: PrometheusDataSourceArgs;
  /** With `prometheus.amp`: the workspace's ARN, which the task role may query. Default none (required with `amp`). */
  ampWorkspaceArn?: pulumi.Input<string>;
  /** Alertmanager data source URL. Default none. */
  alertmanagerUrl?: pulumi.Input<string>;
  /** With `alertmanagerUrl`: its login and CA (see GrafanaContent). Default none. */
  alertmanagerAccess?: ServerAccessArgs;
  /** Default region of the CloudWatch data source, which reads with the task role. */
  cloudwatchRegion: pulumi.Input<string>;
  /** Dashboards, e.g. from `generatedDashboards`. */
  dashboards: GrafanaDashboardArgs[];
  /** Folder of the dashboards. Default uid "showcase", title "Showcase". */
  folder?: FolderArgs;
  /** Members of the Viewers and Editors teams. Default none. */
  teams?: TeamsArgs;
  /** Grafana-managed alert rules and the Alertmanager they notify (see GrafanaContent). Default none. */
  alerting?: GrafanaAlertingArgs;
  /**
   * TLS inside the VPC: Grafana serves HTTPS to its load balancer with a certificate of this CA
   * (the ALB encrypts to the task, health check included). Default none: plain HTTP behind the ALB.
   */
  tls?: InternalTlsArgs;
}

/** Actions Grafana's CloudWatch data source needs to read metrics (Grafana docs), nothing more. */
const CLOUDWATCH_READ = [
  "cloudwatch:DescribeAlarmsForMetric",
  "cloudwatch:DescribeAlarmHistory",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:ListMetrics",
  "cloudwatch:GetMetricData",
  "cloudwatch:GetInsightRuleReport",
  "ec2:DescribeRegions",
  "tag:GetResources",
];
const LOGS_READ = [
  "logs:StartQuery",
  "logs:StopQuery",
  "logs:GetQueryResults",
  "logs:GetLogEvents",
  "logs:GetLogGroupFields",
];
const AMP_QUERY = ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"];

/**
 * Grafana on Fargate behind HTTPS: one task on EFS (SQLite with WAL, one writer), admin password
 * and secret_key generated and kept in Secrets Manager, sign-up and anonymous access off, secure
 * cookies; then, through a Grafana provider pointed at it once it is healthy, the data sources,
 * folder, dashboards and teams as real resources.
 */
export class GrafanaServer extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  /** Secrets Manager secret holding the admin password (user "admin"). */
  readonly adminPasswordSecretArn: pulumi.Output<string>;
  /** Dashboard uid → URL. */
  readonly dashboardUrls: Record<string, pulumi.Output<string>>;
  /** Uid of the dashboards' folder. */
  readonly folderUid: pulumi.Output<string>;
  readonly service: aws.ecs.Service;
  readonly taskDefinition: aws.ecs.TaskDefinition;
  readonly taskRole: aws.iam.Role;
  readonly executionRole: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly loadBalancer: aws.lb.LoadBalancer;
  readonly loadBalancerSecurityGroup: aws.ec2.SecurityGroup;
  readonly targetGroup: aws.lb.TargetGroup;
  readonly listeners: aws.lb.Listener[];
  readonly fileSystem: aws.efs.FileSystem;
  /** The tasks' security group when the component created it (unset with `securityGroupId`). */
  readonly taskSecurityGroup: aws.ec2.SecurityGroup | undefined;

  constructor(name: string, args: GrafanaServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("GrafanaServer"), name, {}, componentOptions("GrafanaServer", opts));
    const child = { parent: this };
    const d = GRAFANA_SERVER_DEFAULTS;
    const tags = componentTags(name, args.tags);
    const group = taskSecurityGroup(name, args, tags, child);
    const groupId = group.id;
    const rootUrl = pulumi.interpolate`https://${args.https.hostname}`;

    for (const upstream of args.upstreams ?? []) {
      allowTcp(
        `${name}-to-${upstream.name}`,
        {
          securityGroupId: upstream.securityGroupId,
          port: upstream.port,
          from: { securityGroupId: groupId },
          description: `from ${name}`,
          tags,
        },
        child,
      );
    }

    const endpoint = publicEndpoint(
      name,
      {
        vpcId: args.vpcId,
        publicSubnetIds: args.publicSubnetIds,
        allowedCidrs: args.allowedCidrs ?? [...d.allowedCidrs],
        https: args.https,
        targetSecurityGroupId: groupId,
        targetPort: GRAFANA_PORT,
        targetHttps: args.tls !== undefined,
        healthCheckPath: "/api/health",
        deregistrationDelaySeconds: 10,
        tags,
      },
      child,
    );

    const secret = (key: string, description: string, length: number) => {
      const value = new random.RandomPassword(`${name}-${key}`, { length, special: false }, child);
      const stored = new aws.secretsmanager.Secret(`${name}-${key}`, { description, tags }, child);
      new aws.secretsmanager.SecretVersion(
        `${name}-${key}`,
        { secretId: stored.id, secretString: value.result },
        child,
      );
      return { value: value.result, arn: stored.arn };
    };
    const adminPassword = secret(
      "admin-password",
      `${name}: password of the Grafana user "${ADMIN_USER}"`,
      32,
    );
    // Encrypts data source secrets in Grafana's database: must never change.
    const secretKey = secret("secret-key", `${name}: Grafana secret_key`, 40);

    const efs = efsVolume(
      name,
      {
        vpcId: args.vpcId,
        subnetIds: args.privateSubnetIds,
        clientSecurityGroupId: groupId,
        uid: GRAFANA_UID,
        gid: 0,
        path: "/grafana",
        tags,
      },
      child,
    );

    const statements: PolicyStatement[] = [{ Effect: "Allow", Action: CLOUDWATCH_READ, Resource: "*" }];
    if ((args.logGroupArns ?? []).length > 0) {
      statements.push({ Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" });
      statements.push({
        Effect: "Allow",
        Action: LOGS_READ,
        Resource: (args.logGroupArns ?? []).map((arn) => pulumi.interpolate`${arn}:*`),
      });
    }
    if (args.prometheus.amp !== undefined) {
      if (args.ampWorkspaceArn === undefined) {
        throw new pulumi.ResourceError(`${name}: ampWorkspaceArn is required with prometheus.amp`, this);
      }
      statements.push({ Effect: "Allow", Action: AMP_QUERY, Resource: args.ampWorkspaceArn });
    }

    const served = args.tls === undefined ? undefined : this.tlsFor(name, args, args.tls, tags);
    const environment: Record<string, pulumi.Input<string>> = {
      GF_SERVER_HTTP_PORT: String(GRAFANA_PORT),
      ...served?.environment,
      GF_SERVER_ROOT_URL: pulumi.interpolate`${rootUrl}/`,
      GF_SECURITY_ADMIN_USER: ADMIN_USER,
      GF_SECURITY_COOKIE_SECURE: "true",
      GF_SECURITY_COOKIE_SAMESITE: "lax",
      GF_SECURITY_STRICT_TRANSPORT_SECURITY: "true",
      GF_SECURITY_DISABLE_GRAVATAR: "true",
      GF_USERS_ALLOW_SIGN_UP: "false",
      GF_AUTH_ANONYMOUS_ENABLED: "false",
      GF_DATABASE_TYPE: "sqlite3",
      GF_DATABASE_WAL: "true",
      GF_PATHS_DATA: "/var/lib/grafana",
      GF_ANALYTICS_REPORTING_ENABLED: "false",
      GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
      GF_LOG_MODE: "console",
      // CloudWatch (and AMP) through the task role only: no keys in data sources.
      GF_AWS_ALLOWED_AUTH_PROVIDERS: "default",
      GF_AWS_ASSUME_ROLE_ENABLED: "false",
      // The AMP data source is a plugin (SigV4 on the core Prometheus one is gone in Grafana 13).
      ...(args.prometheus.amp === undefined
        ? {}
        : { GF_PLUGINS_PREINSTALL_SYNC: `${AMP_DATASOURCE_PLUGIN.id}@${AMP_DATASOURCE_PLUGIN.version}` }),
    };
    const container: aws.ecs.ContainerDefinition = {
      name: "grafana",
      image: images.grafana,
      essential: true,
      portMappings: [{ name: "http", containerPort: GRAFANA_PORT, protocol: "tcp" }],
      environment: Object.entries(environment).map(([key, value]) => ({ name: key, value })),
      secrets: [
        { name: "GF_SECURITY_ADMIN_PASSWORD", valueFrom: adminPassword.arn },
        { name: "GF_SECURITY_SECRET_KEY", valueFrom: secretKey.arn },
      ],
      mountPoints: [
        { sourceVolume: EFS_VOLUME_NAME, containerPath: "/var/lib/grafana" },
        ...(served === undefined
          ? []
          : [{ sourceVolume: served.files.volume.name, containerPath: FILES_DIR, readOnly: true }]),
      ],
      ...(served === undefined
        ? {}
        : { dependsOn: [{ containerName: served.files.initContainer.name, condition: "SUCCESS" }] }),
      stopTimeout: 30,
    };
    const service = fargateService(
      name,
      {
        ...servicePlacement(name, args, groupId),
        size: args.size ?? d.size,
        containers: served === undefined ? [container] : [served.files.initContainer, container],
        volumes: served === undefined ? [efs.volume] : [efs.volume, served.files.volume],
        taskPolicies: { efs: efs.clientPolicy, read: policyDocument(statements) },
        desiredCount: 1,
        // SQLite on EFS: exactly one writer, ever.
        singleWriter: true,
        loadBalancer: {
          targetGroupArn: endpoint.targetGroup.arn,
          containerName: "grafana",
          containerPort: GRAFANA_PORT,
        },
        // The Grafana resources below need a healthy Grafana behind the load balancer.
        waitForSteadyState: true,
        serviceDependsOn: [...endpoint.ready, ...efs.mountTargets],
        tags,
      },
      child,
    );

    // Acts once Grafana is healthy behind the load balancer; retries while it migrates its database.
    const provider = new grafana.Provider(
      `${name}-provider`,
      {
        url: endpoint.url,
        auth: pulumi.secret(pulumi.interpolate`${ADMIN_USER}:${adminPassword.value}`),
        retries: GRAFANA_CONTENT_DEFAULTS.providerRetries,
        retryWait: GRAFANA_CONTENT_DEFAULTS.providerRetryWaitSeconds,
      },
      { parent: this, dependsOn: [service.service, ...endpoint.ready] },
    );
    const content = new GrafanaContent(
      name,
      {
        url: endpoint.url,
        prometheus: args.prometheus,
        ...(args.alertmanagerUrl === undefined ? {} : { alertmanagerUrl: args.alertmanagerUrl }),
        ...(args.alertmanagerAccess === undefined ? {} : { alertmanagerAccess: args.alertmanagerAccess }),
        cloudwatch: { region: args.cloudwatchRegion },
        dashboards: args.dashboards,
        ...(args.folder === undefined ? {} : { folder: args.folder }),
        ...(args.teams === undefined ? {} : { teams: args.teams }),
        ...(args.alerting === undefined ? {} : { alerting: args.alerting }),
      },
      {
        parent: this,
        providers: { grafana: provider },
      },
    );

    this.url = endpoint.url;
    this.securityGroupId = groupId;
    this.adminPasswordSecretArn = adminPassword.arn;
    this.dashboardUrls = content.dashboardUrls;
    this.folderUid = content.folderUid;
    this.service = service.service;
    this.taskDefinition = service.taskDefinition;
    this.taskRole = service.taskRole;
    this.executionRole = service.executionRole;
    this.logGroup = service.logGroup;
    this.loadBalancer = endpoint.loadBalancer;
    this.loadBalancerSecurityGroup = endpoint.securityGroup;
    this.targetGroup = endpoint.targetGroup;
    this.listeners = endpoint.listeners;
    this.fileSystem = efs.fileSystem;
    this.taskSecurityGroup = group.created;
    this.registerOutputs({
      url: this.url,
      securityGroupId: this.securityGroupId,
      adminPasswordSecretArn: this.adminPasswordSecretArn,
      dashboardUrls: this.dashboardUrls,
      folderUid: this.folderUid,
      service: this.service,
      taskDefinition: this.taskDefinition,
      taskRole: this.taskRole,
      executionRole: this.executionRole,
      logGroup: this.logGroup,
      loadBalancer: this.loadBalancer,
      loadBalancerSecurityGroup: this.loadBalancerSecurityGroup,
      targetGroup: this.targetGroup,
      listeners: this.listeners,
      fileSystem: this.fileSystem,
      taskSecurityGroup: this.taskSecurityGroup,
    });
  }

  /** Grafana's certificate and key as files (written by an init container), and its HTTPS settings. */
  private tlsFor(name: string, args: GrafanaServerArgs, tls: InternalTlsArgs, tags: Record<string, string>) {
    const cert = serverCertificate(
      name,
      { tls, dnsNames: [discoveryName(name, args)], configDir: FILES_DIR, tags },
      { parent: this },
    );
    const ca = cert.secretFiles.find((file) => file.path === "tls/ca.crt");
    return {
      files: filesInitContainer({
        // The CA alone in a directory of its own, for SSL_CERT_DIR (Go reads every file there).
        secretFiles: [
          ...cert.secretFiles,
          ...(ca === undefined ? [] : [{ ...ca, path: `${CA_DIR}/ca.crt` }]),
        ],
        ownerUid: GRAFANA_UID,
        version: cert.fingerprint,
      }),
      environment: {
        GF_SERVER_PROTOCOL: "https",
        GF_SERVER_CERT_FILE: cert.files.cert,
        GF_SERVER_CERT_KEY: cert.files.key,
        GF_SERVER_MIN_TLS_VERSION: "TLS1.2",
        // Trust the internal CA besides the image's public ones: the Alertmanager contact point
        // has no CA setting of its own (the data sources do: tlsCACert).
        SSL_CERT_DIR: `${FILES_DIR}/${CA_DIR}`,
      },
    };
  }
}
