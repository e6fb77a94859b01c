import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { rdsDatabase, type RdsDatabaseArgs } from "./database";
import { CLOUD_MAP_MAX_RECORDS } from "./monitoring";
import { fargateService, type TaskSize } from "./fargate";
import { images } from "./images";
import { type HttpsArgs, publicEndpoint } from "./load-balancer";
import { type PlacementArgs, servicePlacement, taskSecurityGroupId } from "./placement";
import { componentTags } from "./tags";

/** Ports of the service (see the service's environment contract). */
export const APP_PORT = 3000;
export const APP_METRICS_PORT = 9464;
export const ECS_EXPORTER_PORT = 9779;
/** The service drains for at most SHUTDOWN_TIMEOUT_MS; ECS waits STOP_TIMEOUT before SIGKILL. */
const SHUTDOWN_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_SECONDS = 30;
/** Below the stop timeout: a deregistering task finishes its requests before it is stopped. */
const DEREGISTRATION_DELAY_SECONDS = 20;

export interface AppServiceArgs extends PlacementArgs {
  /** Public subnets of the load balancer; their CIDRs become TRUST_PROXY. */
  publicSubnetIds: pulumi.Input<string>[];
  /**
   * Image to run, pinned (tag or digest). Default: built from `build` and pushed to a new ECR
   * repository (awsx; the pushed image is referenced by digest).
   */
  image?: pulumi.Input<string>;
  /** Docker build of the service. Default: context ".", dockerfile "service/Dockerfile". */
  build?: { context: string; dockerfile: string };
  /** Task size. Default 512 CPU units, 1024 MiB. */
  size?: TaskSize;
  /** Autoscaling bounds. Default 2..4; at most 8 (Cloud Map answers at most 8 records). */
  minCount?: number;
  maxCount?: number;
  /** Target average CPU utilisation (%). Default 60. */
  cpuTargetPercent?: number;
  /** Target ALB requests per task per minute. Default 1000. */
  requestsPerTarget?: number;
  /** pino level. Default info. */
  logLevel?: string;
  /** HTTPS on a hostname. Default: HTTP only on the load balancer's DNS name. */
  https?: HttpsArgs;
  /** Who may reach the load balancer. Default everyone (0.0.0.0/0). */
  allowedCidrs?: string[];
  /** An RDS PostgreSQL for the app (exclusive with `databaseUrl`). */
  rds?: RdsDatabaseArgs;
  /** An existing database: the full URL as a Pulumi secret (exclusive with `rds`). */
  databaseUrl?: pulumi.Input<string>;
  /** DATABASE_SSL with `databaseUrl`. Default require (RDS always uses require). */
  databaseSsl?: "disable" | "require" | "verify-full";
  /** Run the ecs_exporter sidecar (per-container CPU, memory, network on :9779). Default true. */
  ecsExporter?: boolean;
}

/**
 * The Fastify service on Fargate behind a public ALB: private tasks, health checked on /ready,
 * metrics port closed until a scraper opens it (PrometheusServer does), Cloud Map registration,
 * CPU and request-count autoscaling within the discovery limit, circuit breaker with rollback,
 * optional RDS PostgreSQL and ecs_exporter sidecar.
 */
export class AppService extends pulumi.ComponentResource {
  /** Public URL. */
  readonly url: pulumi.Output<string>;
  /** Tasks' security group: scrapers open APP_METRICS_PORT / ECS_EXPORTER_PORT on it. */
  readonly securityGroupId: pulumi.Output<string>;
  /** DNS name answering with the tasks' IPs (Cloud Map). */
  readonly discoveryName: string;
  readonly metricsPort: number;
  /** Port of the ecs_exporter sidecar, when enabled. */
  readonly ecsExporterPort: number | undefined;
  readonly maxCount: number;
  readonly serviceName: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  /** For CloudWatch dimensions: app/<name>/<id> and targetgroup/<name>/<id>. */
  readonly loadBalancerArnSuffix: pulumi.Output<string>;
  readonly targetGroupArnSuffix: pulumi.Output<string>;
  readonly dbInstanceIdentifier: pulumi.Output<string> | undefined;
  readonly logGroupArn: pulumi.Output<string>;
  readonly imageUri: pulumi.Output<string>;

  constructor(name: string, args: AppServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("showcase:index:AppService", name, {}, opts);
    const child = { parent: this };
    const tags = componentTags(name, args.tags);
    const minCount = args.minCount ?? 2;
    const maxCount = args.maxCount ?? 4;
    if (!(1 <= minCount && minCount <= maxCount && maxCount <= CLOUD_MAP_MAX_RECORDS)) {
      throw new Error(
        `${name}: need 1 <= minCount (${minCount}) <= maxCount (${maxCount}) <= ${CLOUD_MAP_MAX_RECORDS} (Cloud Map discovery limit)`,
      );
    }
    if ((args.rds === undefined) === (args.databaseUrl === undefined)) {
      throw new Error(`${name}: set exactly one of rds and databaseUrl`);
    }

    const groupId = pulumi.output(taskSecurityGroupId(name, args, tags, child));
    const endpoint = publicEndpoint(
      name,
      {
        vpcId: args.vpcId,
        publicSubnetIds: args.publicSubnetIds,
        allowedCidrs: args.allowedCidrs ?? ["0.0.0.0/0"],
        ...(args.https === undefined ? {} : { https: args.https }),
        targetSecurityGroupId: groupId,
        targetPort: APP_PORT,
        healthCheckPath: "/ready",
        deregistrationDelaySeconds: DEREGISTRATION_DELAY_SECONDS,
        tags,
      },
      child,
    );

    const image =
      args.image ??
      this.buildImage(name, args.build ?? { context: ".", dockerfile: "service/Dockerfile" }, tags);
    const database = this.database(name, args, groupId, tags);
    const ecsExporter = args.ecsExporter ?? true;

    // The load balancer's nodes live in the public subnets: trust X-Forwarded-For from those only.
    const trustProxy = pulumi
      .all(args.publicSubnetIds)
      .apply((ids) => pulumi.all(ids.map((id) => aws.ec2.getSubnetOutput({ id }, child).cidrBlock)))
      .apply((cidrs) => cidrs.join(","));

    const app: aws.ecs.ContainerDefinition = {
      name: "app",
      image,
      essential: true,
      portMappings: [
        { name: "http", containerPort: APP_PORT, protocol: "tcp" },
        { name: "metrics", containerPort: APP_METRICS_PORT, protocol: "tcp" },
      ],
      environment: [
        { name: "PORT", value: String(APP_PORT) },
        { name: "METRICS_PORT", value: String(APP_METRICS_PORT) },
        { name: "HOST", value: "0.0.0.0" },
        { name: "LOG_LEVEL", value: args.logLevel ?? "info" },
        { name: "TRUST_PROXY", value: trustProxy },
        { name: "SHUTDOWN_TIMEOUT_MS", value: String(SHUTDOWN_TIMEOUT_MS) },
        { name: "DATABASE_SSL", value: database.ssl },
      ],
      secrets: database.secrets,
      stopTimeout: STOP_TIMEOUT_SECONDS,
      // tini as PID 1: signals reach node, zombies are reaped.
      linuxParameters: { initProcessEnabled: true },
    };
    const exporter: aws.ecs.ContainerDefinition = {
      name: "ecs-exporter",
      image: images.ecsExporter,
      essential: false,
      portMappings: [{ name: "ecs-metrics", containerPort: ECS_EXPORTER_PORT, protocol: "tcp" }],
    };

    const service = fargateService(
      name,
      {
        ...servicePlacement(name, args, groupId),
        size: args.size ?? { cpu: 512, memory: 1024 },
        containers: ecsExporter ? [app, exporter] : [app],
        desiredCount: minCount,
        singleWriter: false,
        autoscaled: true,
        loadBalancer: {
          targetGroupArn: endpoint.targetGroup.arn,
          containerName: "app",
          containerPort: APP_PORT,
        },
        serviceDependsOn: endpoint.ready,
        tags,
      },
      child,
    );

    this.clusterName = pulumi.output(args.clusterArn).apply((arn) => arn.split("/").pop() ?? arn);
    this.autoscale(name, {
      resourceId: pulumi.interpolate`service/${this.clusterName}/${service.service.name}`,
      minCount,
      maxCount,
      cpuTargetPercent: args.cpuTargetPercent ?? 60,
      requestsPerTarget: args.requestsPerTarget ?? 1000,
      requestLabel: pulumi.interpolate`${endpoint.loadBalancer.arnSuffix}/${endpoint.targetGroup.arnSuffix}`,
      tags,
    });

    this.url = endpoint.url;
    this.securityGroupId = groupId;
    this.discoveryName = `${name}.${args.namespace.name}`;
    this.metricsPort = APP_METRICS_PORT;
    this.ecsExporterPort = ecsExporter ? ECS_EXPORTER_PORT : undefined;
    this.maxCount = maxCount;
    this.serviceName = service.service.name;
    this.loadBalancerArnSuffix = endpoint.loadBalancer.arnSuffix;
    this.targetGroupArnSuffix = endpoint.targetGroup.arnSuffix;
    this.dbInstanceIdentifier = database.instance?.identifier;
    this.logGroupArn = service.logGroup.arn;
    this.imageUri = pulumi.output(image);
    this.registerOutputs({
      url: this.url,
      securityGroupId: this.securityGroupId,
      serviceName: this.serviceName,
      imageUri: this.imageUri,
    });
  }

  private buildImage(
    name: string,
    build: { context: string; dockerfile: string },
    tags: Record<string, string>,
  ) {
    const repository = new aws.ecr.Repository(
      `${name}-repo`,
      {
        imageTagMutability: "MUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "AES256" }],
        forceDelete: true,
        tags,
      },
      { parent: this },
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-repo`,
      {
        repository: repository.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: "keep the last 20 images",
              selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 20 },
              action: { type: "expire" },
            },
          ],
        }),
      },
      { parent: this },
    );
    return new awsx.ecr.Image(
      `${name}-image`,
      {
        repositoryUrl: repository.repositoryUrl,
        context: build.context,
        dockerfile: build.dockerfile,
        platform: "linux/amd64",
      },
      { parent: this },
    ).imageUri;
  }

  private database(
    name: string,
    args: AppServiceArgs,
    clientSecurityGroupId: pulumi.Output<string>,
    tags: Record<string, string>,
  ): { ssl: string; secrets: aws.ecs.Secret[]; instance?: aws.rds.Instance } {
    const child = { parent: this };
    if (args.rds !== undefined) {
      const db = rdsDatabase(
        name,
        { ...args.rds, vpcId: args.vpcId, subnetIds: args.privateSubnetIds, clientSecurityGroupId, tags },
        child,
      );
      return {
        ssl: "require",
        instance: db.instance,
        secrets: [
          { name: "DATABASE_URL", valueFrom: db.urlSecret.arn },
          { name: "DATABASE_PASSWORD", valueFrom: db.passwordValueFrom },
        ],
      };
    }
    const secret = new aws.secretsmanager.Secret(
      `${name}-database-url`,
      { description: `DATABASE_URL of ${name}`, tags },
      child,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-database-url`,
      { secretId: secret.id, secretString: pulumi.secret(args.databaseUrl ?? "") },
      child,
    );
    return { ssl: args.databaseSsl ?? "require", secrets: [{ name: "DATABASE_URL", valueFrom: secret.arn }] };
  }

  private autoscale(
    name: string,
    args: {
      resourceId: pulumi.Output<string>;
      minCount: number;
      maxCount: number;
      cpuTargetPercent: number;
      requestsPerTarget: number;
      requestLabel: pulumi.Output<string>;
      tags: Record<string, string>;
    },
  ): void {
    const child = { parent: this };
    const target = new aws.appautoscaling.Target(
      `${name}-scaling`,
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: args.resourceId,
        minCapacity: args.minCount,
        maxCapacity: args.maxCount,
        tags: args.tags,
      },
      child,
    );
    const policy = (
      suffix: string,
      targetValue: number,
      metric: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
    ) =>
      new aws.appautoscaling.Policy(
        `${name}-scale-on-${suffix}`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            targetValue,
            predefinedMetricSpecification: metric,
            scaleOutCooldown: 60,
            scaleInCooldown: 300,
          },
        },
        child,
      );
    policy("cpu", args.cpuTargetPercent, { predefinedMetricType: "ECSServiceAverageCPUUtilization" });
    policy("requests", args.requestsPerTarget, {
      predefinedMetricType: "ALBRequestCountPerTarget",
      resourceLabel: args.requestLabel,
    });
  }
}
