import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { efsVolume, EFS_VOLUME_NAME } from "./efs-volume";
import { fargateService, type TaskSize } from "./fargate";
import { grafanaContent, type GrafanaContentSpec } from "./grafana-content";
import { policyDocument, type PolicyStatement } from "./iam";
import { images } from "./images";
import { type HttpsArgs, publicEndpoint } from "./load-balancer";
import { type PlacementArgs, servicePlacement, taskSecurityGroupId } from "./placement";
import { allowTcp } from "./security-groups";
import { componentTags } from "./tags";

export const GRAFANA_PORT = 3000;
/** The image's user: owner of /var/lib/grafana. */
const GRAFANA_UID = 472;
const ADMIN_USER = "admin";

export interface GrafanaServerArgs extends PlacementArgs, GrafanaContentSpec {
  /** Public subnets of the load balancer. */
  publicSubnetIds: pulumi.Input<string>[];
  /** Grafana is served over HTTPS only (secure cookies). */
  https: HttpsArgs;
  /** Who may reach Grafana (and the Pulumi runner must be among them). Default everyone. */
  allowedCidrs?: string[];
  /** Security groups Grafana must reach inside the VPC (Prometheus, Alertmanager), by port. */
  upstreams: { name: string; securityGroupId: pulumi.Input<string>; port: number }[];
  /** CloudWatch Logs groups the CloudWatch data source may query (Logs Insights). Default none. */
  logGroupArns?: pulumi.Input<string>[];
  /** Task size. Default 512 CPU units, 1024 MiB. */
  size?: TaskSize;
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

  constructor(name: string, args: GrafanaServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("showcase:index:GrafanaServer", name, {}, opts);
    const child = { parent: this };
    const tags = componentTags(name, args.tags);
    const groupId = pulumi.output(taskSecurityGroupId(name, args, tags, child));
    const rootUrl = `https://${args.https.hostname}`;

    for (const upstream of args.upstreams) {
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
        allowedCidrs: args.allowedCidrs ?? ["0.0.0.0/0"],
        https: args.https,
        targetSecurityGroupId: groupId,
        targetPort: GRAFANA_PORT,
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
      statements.push({ Effect: "Allow", Action: AMP_QUERY, Resource: args.prometheus.amp.workspaceArn });
    }

    const environment: Record<string, string> = {
      GF_SERVER_HTTP_PORT: String(GRAFANA_PORT),
      GF_SERVER_ROOT_URL: `${rootUrl}/`,
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
      GF_AUTH_SIGV4_AUTH_ENABLED: args.prometheus.amp === undefined ? "false" : "true",
    };
    const grafana: aws.ecs.ContainerDefinition = {
      name: "grafana",
      image: images.grafana,
      essential: true,
      portMappings: [{ name: "http", containerPort: GRAFANA_PORT, protocol: "tcp" }],
      environment: Object.entries(environment).map(([key, value]) => ({ name: key, value })),
      secrets: [
        { name: "GF_SECURITY_ADMIN_PASSWORD", valueFrom: adminPassword.arn },
        { name: "GF_SECURITY_SECRET_KEY", valueFrom: secretKey.arn },
      ],
      mountPoints: [{ sourceVolume: EFS_VOLUME_NAME, containerPath: "/var/lib/grafana" }],
      stopTimeout: 30,
    };
    const service = fargateService(
      name,
      {
        ...servicePlacement(name, args, groupId),
        size: args.size ?? { cpu: 512, memory: 1024 },
        containers: [grafana],
        volumes: [efs.volume],
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

    const content = grafanaContent(
      name,
      {
        url: endpoint.url,
        auth: pulumi.interpolate`${ADMIN_USER}:${adminPassword.value}`,
        dependsOn: [service.service, ...endpoint.ready],
        prometheus: args.prometheus,
        alertmanagerUrl: args.alertmanagerUrl,
        cloudwatchRegion: args.cloudwatchRegion,
        dashboards: args.dashboards,
        ...(args.folder === undefined ? {} : { folder: args.folder }),
        ...(args.teams === undefined ? {} : { teams: args.teams }),
      },
      child,
    );

    this.url = endpoint.url;
    this.securityGroupId = groupId;
    this.adminPasswordSecretArn = adminPassword.arn;
    this.dashboardUrls = content.dashboardUrls;
    this.registerOutputs({
      url: this.url,
      securityGroupId: this.securityGroupId,
      adminPasswordSecretArn: this.adminPasswordSecretArn,
      dashboardUrls: this.dashboardUrls,
    });
  }
}
