import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { componentOptions, typeToken } from "./component";
import { DatabaseSsl, rdsDatabase, type RdsDatabaseArgs } from "./database";
import { type DownloadedFile, filesInitContainer } from "./config-files";
import { argError, checkArg } from "./errors";
import { credential, type InternalTlsArgs, serverCertificate, type TlsFiles } from "./internal-tls";
import { fargateService, type TaskSize } from "./fargate";
import { images } from "./images";
import { renderWebConfig } from "./monitoring";
import { type HttpsArgs, publicEndpoint } from "./load-balancer";
import {
  CLOUD_MAP_DISCOVER_MAX_RESULTS,
  ECS_EXPORTER_PORT,
  METRICS_PATH,
  READY_PATH,
  SERVICE_METRICS_PORT,
  SERVICE_PORT,
} from "./monitoring";
import { schemas } from "./monitoring/schema";
import { discoveryName, type PlacementArgs, servicePlacement, taskSecurityGroup } from "./placement";
import { componentTags } from "./tags";
import type { ServerLoginArgs } from "./web-tls";

/** A Docker build of the service's image, pushed to a new ECR repository. */
export interface DockerBuildArgs {
  /** Build context, relative to the Pulumi program's directory. */
  context: string;
  /** Dockerfile, relative to the program's directory. */
  dockerfile: string;
}

/** A container beside the app in every task (a proxy, an agent, an exporter). */
export interface SidecarArgs {
  /** Container name, unique in the task ("app" and "ecs-exporter" are taken). */
  name: string;
  /** Pinned image reference (tag or digest). */
  image: pulumi.Input<string>;
  /** Whether the task stops when this container stops. Default false. */
  essential?: boolean;
  /** Command (arguments of the image's entry point). Default the image's. */
  command?: pulumi.Input<string>[];
  /** Plain environment variables. Default none. */
  environment?: Record<string, pulumi.Input<string>>;
  /** Environment variables from Secrets Manager or SSM: variable name → ARN (`valueFrom`). Default none. */
  secrets?: Record<string, pulumi.Input<string>>;
  /** TCP ports it listens on, reachable inside the task (open them on `securityGroupId` yourself). Default none. */
  ports?: number[];
}

/** Bounds of AppServiceArgs that are not defaults. */
export const APP_SERVICE_LIMITS = {
  /** What one Cloud Map DiscoverInstances answer holds: PrometheusServer sees every task. */
  maxCount: CLOUD_MAP_DISCOVER_MAX_RESULTS,
} as const;

/** The defaults of AppServiceArgs: this repository's service (service/README in the root README). */
export const APP_SERVICE_DEFAULTS = {
  containerPort: SERVICE_PORT,
  metricsPort: SERVICE_METRICS_PORT,
  metricsPath: METRICS_PATH,
  healthCheckPath: READY_PATH,
  size: { cpu: 512, memory: 1024 },
  minCount: 2,
  maxCount: 4,
  cpuTargetPercent: 60,
  requestsPerTarget: 1000,
  logLevel: "info",
  allowedCidrs: ["0.0.0.0/0"],
  databaseSsl: DatabaseSsl.VerifyFull,
  /** Amazon RDS's CA bundle, fetched by the tasks at start (it covers every region). */
  rdsCaBundleUrl: "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
  ecsExporter: true,
  stopTimeoutSeconds: 30,
} as const;

export interface AppServiceArgs extends PlacementArgs {
  /** Public subnets of the load balancer; their CIDRs become TRUST_PROXY. */
  publicSubnetIds: pulumi.Input<string>[];
  /** Image to run, pinned (tag or digest). Exactly one of `image` and `build`; no default. */
  image?: pulumi.Input<string>;
  /** Build the image with Docker and push it to a new ECR repository (referenced by digest). Default: no build (`image`). */
  build?: DockerBuildArgs;
  /** Port of the HTTP API: PORT, the load balancer's target. Default 3000. */
  containerPort?: number;
  /**
   * Port of the metrics endpoint: METRICS_PORT, scraped by Prometheus only and never behind the
   * load balancer. Default 9464.
   */
  metricsPort?: number;
  /** Path of the Prometheus metrics on `metricsPort`. Default /metrics. */
  metricsPath?: string;
  /** Path the load balancer checks (200 = ready for traffic). Default /ready. */
  healthCheckPath?: string;
  /** Extra plain environment variables; they override the component's (PORT, LOG_LEVEL, ...). Default none. */
  environment?: Record<string, pulumi.Input<string>>;
  /**
   * Extra environment variables from Secrets Manager or SSM Parameter Store: variable name → ARN
   * (a Secrets Manager `valueFrom` may end in `:json-key::`). The execution role may read exactly
   * these. Default none.
   */
  secrets?: Record<string, pulumi.Input<string>>;
  /** Extra inline policies (JSON documents) of the task role, by name. Default none. */
  taskRolePolicies?: Record<string, pulumi.Input<string>>;
  /** Extra managed policies (ARNs) attached to the task role. Default none. */
  taskRolePolicyArns?: pulumi.Input<string>[];
  /** Extra containers in every task. Default none. */
  sidecars?: SidecarArgs[];
  /** Task size. Default 512 CPU units, 1024 MiB. */
  size?: TaskSize;
  /** Lower autoscaling bound. Default 2. */
  minCount?: number;
  /** Upper autoscaling bound. Default 4, at most 1000 (what PrometheusServer's discovery reads). */
  maxCount?: number;
  /** Target average CPU utilisation (%). Default 60. */
  cpuTargetPercent?: number;
  /** Target ALB requests per task per minute. Default 1000. */
  requestsPerTarget?: number;
  /** LOG_LEVEL of the service. Default info. */
  logLevel?: string;
  /** HTTPS on a hostname. Default: HTTP only on the load balancer's DNS name. */
  https?: HttpsArgs;
  /** Who may reach the load balancer. Default everyone (0.0.0.0/0). */
  allowedCidrs?: string[];
  /** Create an RDS PostgreSQL for the service (exclusive with `databaseUrl`). Default none. */
  rds?: RdsDatabaseArgs;
  /** An existing database: its full URL as a Pulumi secret (exclusive with `rds`). Default none. */
  databaseUrl?: pulumi.Input<string>;
  /**
   * DATABASE_SSL with a database. Default verify-full: the certificate checked against RDS's CA
   * bundle (with `rds`) or the public CAs (with `databaseUrl`) and the host name.
   */
  databaseSsl?: DatabaseSsl;
  /** With `rds` and verify-full: where the tasks fetch RDS's CA bundle at start. Default the global bundle. */
  rdsCaBundleUrl?: string;
  /**
   * TLS inside the VPC: the tasks serve HTTPS (the load balancer connects over TLS) with a
   * certificate for their Cloud Map name signed by this CA, and /metrics wants a generated bearer
   * token (`metricsTokenSecretArn`, for the scraper). Default none: plain HTTP inside the VPC.
   */
  tls?: InternalTlsArgs;
  /**
   * Run the ecs_exporter sidecar (per-container CPU, memory, network on :9779). With `tls` it
   * serves HTTPS with the tasks' certificate and wants basic auth (`ecsExporterLogin`). Default true.
   */
  ecsExporter?: boolean;
  /**
   * Seconds ECS waits after SIGTERM before SIGKILL (12-120). The service drains for 10 s less
   * (SHUTDOWN_TIMEOUT_MS), and the load balancer deregisters a stopping task for as long. Default 30.
   */
  stopTimeoutSeconds?: number;
}

const APP_CONTAINER = "app";
/** Where the app container finds the files its init container writes (certificate, token, CA bundle). */
const FILES_DIR = "/etc/showcase";
/** The image's user (node), owner of the secret files. */
const APP_UID = 1000;
const EXPORTER_CONTAINER = "ecs-exporter";
/** The user a scraper of the ecs_exporter sidecar logs in as, with `tls`. */
const EXPORTER_USER = "prometheus";
const EXPORTER_WEB_CONFIG = "ecs-exporter/web.yml";
/** The margin between the service's drain bound and ECS's SIGKILL. */
const DRAIN_MARGIN_SECONDS = 10;

/**
 * A containerized HTTP service on Fargate behind a public ALB: private tasks, health checked on
 * `healthCheckPath`, metrics port closed until a scraper opens it (PrometheusServer does), Cloud
 * Map registration, CPU and request-count autoscaling within the discovery limit, circuit breaker
 * with rollback, and optionally an RDS PostgreSQL and the ecs_exporter sidecar.
 */
export class AppService extends pulumi.ComponentResource {
  /** Public URL. */
  readonly url: pulumi.Output<string>;
  /** Tasks' security group: scrapers open `metricsPort` / `ecsExporterPort` on it. */
  readonly securityGroupId: pulumi.Output<string>;
  /** DNS name answering with the tasks' IPs (Cloud Map; at most 8 records an answer). */
  readonly discoveryName: pulumi.Output<string>;
  /** The Cloud Map namespace and service the tasks register in (PrometheusServer's discovery). */
  readonly cloudMapNamespaceName: pulumi.Output<string>;
  readonly cloudMapServiceName: string;
  readonly containerPort: number;
  readonly metricsPort: number;
  readonly metricsPath: string;
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
  readonly service: aws.ecs.Service;
  readonly taskDefinition: aws.ecs.TaskDefinition;
  readonly taskRole: aws.iam.Role;
  readonly executionRole: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly loadBalancer: aws.lb.LoadBalancer;
  readonly loadBalancerSecurityGroup: aws.ec2.SecurityGroup;
  readonly targetGroup: aws.lb.TargetGroup;
  readonly listeners: aws.lb.Listener[];
  /** The tasks' security group when the component created it (unset with `securityGroupId`). */
  readonly taskSecurityGroup: aws.ec2.SecurityGroup | undefined;
  readonly discoveryService: aws.servicediscovery.Service | undefined;
  /** The RDS instance with `rds`. */
  readonly database: aws.rds.Instance | undefined;
  /** With `tls`: the Secrets Manager secret of the metrics bearer token (the scraper reads it). */
  readonly metricsTokenSecretArn: pulumi.Output<string> | undefined;
  /** With `tls`: the DNS name in the tasks' certificate (scrapers verify it: targets are IPs). */
  readonly tlsServerName: pulumi.Output<string> | undefined;
  /** With `tls` and `ecsExporter`: the scraper's login to the sidecar (user `prometheus`). */
  readonly ecsExporterLogin: ServerLoginArgs | undefined;

  constructor(name: string, args: AppServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("AppService"), name, {}, componentOptions("AppService", opts));
    const child = { parent: this };
    const d = APP_SERVICE_DEFAULTS;
    const tags = componentTags(name, args.tags);
    const arg = <T>(
      key: string,
      schema: Parameters<typeof checkArg<T>>[3],
      value: T | undefined,
      fallback: T,
    ) => checkArg(this, name, key, schema, value ?? fallback);
    const containerPort = arg("containerPort", schemas.port, args.containerPort, d.containerPort);
    const metricsPort = arg("metricsPort", schemas.port, args.metricsPort, d.metricsPort);
    const metricsPath = arg("metricsPath", schemas.httpPath, args.metricsPath, d.metricsPath);
    const healthCheckPath = arg("healthCheckPath", schemas.httpPath, args.healthCheckPath, d.healthCheckPath);
    const why = `Cloud Map discovery answers at most ${APP_SERVICE_LIMITS.maxCount} instances`;
    const maxCount = arg(
      "maxCount",
      schemas.integer(1, APP_SERVICE_LIMITS.maxCount, why),
      args.maxCount,
      d.maxCount,
    );
    const minCount = arg(
      "minCount",
      schemas.integer(1, maxCount, "at most maxCount"),
      args.minCount,
      d.minCount,
    );
    const cpuTargetPercent = arg(
      "cpuTargetPercent",
      schemas.integer(10, 90),
      args.cpuTargetPercent,
      d.cpuTargetPercent,
    );
    const requestsPerTarget = arg(
      "requestsPerTarget",
      schemas.integer(1, 1_000_000),
      args.requestsPerTarget,
      d.requestsPerTarget,
    );
    const stopTimeout = arg(
      "stopTimeoutSeconds",
      schemas.integer(DRAIN_MARGIN_SECONDS + 2, 120, "Fargate's limit is 120"),
      args.stopTimeoutSeconds,
      d.stopTimeoutSeconds,
    );
    const ecsExporter = args.ecsExporter ?? d.ecsExporter;
    const taskPorts = [containerPort, ...(metricsPort === containerPort ? [] : [metricsPort])];
    if (ecsExporter && taskPorts.includes(ECS_EXPORTER_PORT)) {
      throw argError(this, name, "ecsExporter", `needs port ${ECS_EXPORTER_PORT}, which the app uses`);
    }
    if ((args.image === undefined) === (args.build === undefined)) {
      throw argError(this, name, "image", "or build: set exactly one of them");
    }
    if (args.rds !== undefined && args.databaseUrl !== undefined) {
      throw argError(this, name, "rds", "and databaseUrl are exclusive: set at most one");
    }

    const group = taskSecurityGroup(name, args, tags, child);
    const endpoint = publicEndpoint(
      name,
      {
        vpcId: args.vpcId,
        publicSubnetIds: args.publicSubnetIds,
        allowedCidrs: args.allowedCidrs ?? [...d.allowedCidrs],
        ...(args.https === undefined ? {} : { https: args.https }),
        targetSecurityGroupId: group.id,
        targetPort: containerPort,
        targetHttps: args.tls !== undefined,
        healthCheckPath,
        deregistrationDelaySeconds: stopTimeout - DRAIN_MARGIN_SECONDS,
        tags,
      },
      child,
    );

    const image = args.image ?? this.buildImage(name, args.build as DockerBuildArgs, tags);
    const database = this.databaseFor(name, args, group.id, tags);
    const served = args.tls === undefined ? undefined : this.tlsFor(name, args, args.tls, ecsExporter, tags);
    const secretFiles = [...(served?.secretFiles ?? [])];
    const files =
      secretFiles.length === 0 && database.downloads.length === 0
        ? undefined
        : filesInitContainer({
            secretFiles,
            downloads: database.downloads,
            ownerUid: APP_UID,
            ...(served === undefined ? {} : { version: served.fingerprint }),
          });

    // The load balancer's nodes live in the public subnets: trust X-Forwarded-For from those only.
    const trustProxy = pulumi
      .all(args.publicSubnetIds)
      .apply((ids) => pulumi.all(ids.map((id) => aws.ec2.getSubnetOutput({ id }, child).cidrBlock)))
      .apply((cidrs) => cidrs.join(","));
    const environment: Record<string, pulumi.Input<string>> = {
      PORT: String(containerPort),
      METRICS_PORT: String(metricsPort),
      HOST: "0.0.0.0",
      LOG_LEVEL: args.logLevel ?? d.logLevel,
      TRUST_PROXY: trustProxy,
      SHUTDOWN_TIMEOUT_MS: String((stopTimeout - DRAIN_MARGIN_SECONDS) * 1000),
      ...database.environment,
      ...(served?.environment ?? {}),
      ...args.environment,
    };
    const secrets: Record<string, pulumi.Input<string>> = { ...database.secrets, ...args.secrets };
    const clash = Object.keys(secrets).find((key) => key in environment);
    if (clash !== undefined) {
      throw argError(
        this,
        name,
        "secrets",
        `and environment both set ${clash}: a variable is one or the other`,
      );
    }

    const app: aws.ecs.ContainerDefinition = {
      name: APP_CONTAINER,
      image,
      essential: true,
      portMappings: taskPorts.map((port) => ({
        name: port === containerPort ? "http" : "metrics",
        containerPort: port,
        protocol: "tcp",
      })),
      environment: keyValues(environment),
      secrets: Object.entries(secrets).map(([key, valueFrom]) => ({ name: key, valueFrom })),
      stopTimeout: stopTimeout,
      // tini as PID 1: signals reach the process, zombies are reaped.
      linuxParameters: { initProcessEnabled: true },
      ...(files === undefined
        ? {}
        : {
            mountPoints: [{ sourceVolume: files.volume.name, containerPath: FILES_DIR, readOnly: true }],
            dependsOn: [{ containerName: files.initContainer.name, condition: "SUCCESS" }],
          }),
    };
    const containers = files === undefined ? [app] : [files.initContainer, app];
    if (ecsExporter) {
      containers.push({
        name: EXPORTER_CONTAINER,
        image: images.ecsExporter,
        essential: false,
        portMappings: [{ name: "ecs-metrics", containerPort: ECS_EXPORTER_PORT, protocol: "tcp" }],
        ...(files === undefined || served?.exporter === undefined
          ? {}
          : {
              // The app's user: the owner of the key it shares with the app.
              user: String(APP_UID),
              command: [`--web.config.file=${FILES_DIR}/${EXPORTER_WEB_CONFIG}`],
              mountPoints: [{ sourceVolume: files.volume.name, containerPath: FILES_DIR, readOnly: true }],
              dependsOn: [{ containerName: files.initContainer.name, condition: "SUCCESS" }],
            }),
      });
    }
    for (const [index, sidecar] of (args.sidecars ?? []).entries()) {
      if (containers.some((c) => c.name === sidecar.name)) {
        throw argError(this, name, `sidecars[${index}].name`, `${JSON.stringify(sidecar.name)} is taken`);
      }
      containers.push(sidecarContainer(sidecar));
    }

    const service = fargateService(
      name,
      {
        ...servicePlacement(name, args, group.id),
        size: args.size ?? d.size,
        containers,
        ...(files === undefined ? {} : { volumes: [files.volume] }),
        taskPolicies: args.taskRolePolicies ?? {},
        taskPolicyArns: args.taskRolePolicyArns ?? [],
        desiredCount: minCount,
        singleWriter: false,
        autoscaled: true,
        loadBalancer: {
          targetGroupArn: endpoint.targetGroup.arn,
          containerName: APP_CONTAINER,
          containerPort,
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
      cpuTargetPercent,
      requestsPerTarget,
      requestLabel: pulumi.interpolate`${endpoint.loadBalancer.arnSuffix}/${endpoint.targetGroup.arnSuffix}`,
      tags,
    });

    this.url = endpoint.url;
    this.securityGroupId = group.id;
    this.discoveryName = discoveryName(name, args);
    this.cloudMapNamespaceName = pulumi.output(args.namespace.name);
    this.cloudMapServiceName = name;
    this.containerPort = containerPort;
    this.metricsPort = metricsPort;
    this.metricsPath = metricsPath;
    this.ecsExporterPort = ecsExporter ? ECS_EXPORTER_PORT : undefined;
    this.maxCount = maxCount;
    this.serviceName = service.service.name;
    this.loadBalancerArnSuffix = endpoint.loadBalancer.arnSuffix;
    this.targetGroupArnSuffix = endpoint.targetGroup.arnSuffix;
    this.dbInstanceIdentifier = database.instance?.identifier;
    this.logGroupArn = service.logGroup.arn;
    this.imageUri = pulumi.output(image);
    this.service = service.service;
    this.taskDefinition = service.taskDefinition;
    this.taskRole = service.taskRole;
    this.executionRole = service.executionRole;
    this.logGroup = service.logGroup;
    this.loadBalancer = endpoint.loadBalancer;
    this.loadBalancerSecurityGroup = endpoint.securityGroup;
    this.targetGroup = endpoint.targetGroup;
    this.listeners = endpoint.listeners;
    this.taskSecurityGroup = group.created;
    this.discoveryService = service.discoveryService;
    this.database = database.instance;
    this.metricsTokenSecretArn = served?.metricsTokenSecretArn;
    this.tlsServerName = served === undefined ? undefined : this.discoveryName;
    this.ecsExporterLogin = served?.exporter;
    this.registerOutputs({
      url: this.url,
      securityGroupId: this.securityGroupId,
      discoveryName: this.discoveryName,
      cloudMapNamespaceName: this.cloudMapNamespaceName,
      cloudMapServiceName: this.cloudMapServiceName,
      containerPort: this.containerPort,
      metricsPort: this.metricsPort,
      metricsPath: this.metricsPath,
      ecsExporterPort: this.ecsExporterPort,
      maxCount: this.maxCount,
      serviceName: this.serviceName,
      clusterName: this.clusterName,
      loadBalancerArnSuffix: this.loadBalancerArnSuffix,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
      dbInstanceIdentifier: this.dbInstanceIdentifier,
      logGroupArn: this.logGroupArn,
      imageUri: this.imageUri,
      service: this.service,
      taskDefinition: this.taskDefinition,
      taskRole: this.taskRole,
      executionRole: this.executionRole,
      logGroup: this.logGroup,
      loadBalancer: this.loadBalancer,
      loadBalancerSecurityGroup: this.loadBalancerSecurityGroup,
      targetGroup: this.targetGroup,
      listeners: this.listeners,
      taskSecurityGroup: this.taskSecurityGroup,
      discoveryService: this.discoveryService,
      database: this.database,
      metricsTokenSecretArn: this.metricsTokenSecretArn,
      tlsServerName: this.tlsServerName,
      ecsExporterLogin: this.ecsExporterLogin,
    });
  }

  private buildImage(name: string, build: DockerBuildArgs, tags: Record<string, string>) {
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

  /** The database's variables: DATABASE_SSL in the environment, DATABASE_URL (and password) as secrets. */
  private databaseFor(
    name: string,
    args: AppServiceArgs,
    clientSecurityGroupId: pulumi.Output<string>,
    tags: Record<string, string>,
  ): {
    environment: Record<string, string>;
    secrets: Record<string, pulumi.Input<string>>;
    downloads: DownloadedFile[];
    instance?: aws.rds.Instance;
  } {
    const child = { parent: this };
    const ssl = args.databaseSsl ?? APP_SERVICE_DEFAULTS.databaseSsl;
    const bundle = "rds/ca-bundle.pem";
    if (args.rds !== undefined) {
      const db = rdsDatabase(
        name,
        { ...args.rds, vpcId: args.vpcId, subnetIds: args.privateSubnetIds, clientSecurityGroupId, tags },
        child,
      );
      const verify = ssl === DatabaseSsl.VerifyFull;
      return {
        environment: {
          DATABASE_SSL: ssl,
          ...(verify ? { DATABASE_CA_CERT_FILE: `${FILES_DIR}/${bundle}` } : {}),
        },
        downloads: verify
          ? [{ url: args.rdsCaBundleUrl ?? APP_SERVICE_DEFAULTS.rdsCaBundleUrl, path: bundle }]
          : [],
        instance: db.instance,
        secrets: { DATABASE_URL: db.urlSecret.arn, DATABASE_PASSWORD: db.passwordValueFrom },
      };
    }
    if (args.databaseUrl === undefined) return { environment: {}, secrets: {}, downloads: [] };
    const secret = new aws.secretsmanager.Secret(
      `${name}-database-url`,
      { description: `DATABASE_URL of ${name}`, tags },
      child,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-database-url`,
      { secretId: secret.id, secretString: pulumi.secret(args.databaseUrl) },
      child,
    );
    return { environment: { DATABASE_SSL: ssl }, secrets: { DATABASE_URL: secret.arn }, downloads: [] };
  }

  /**
   * The certificate, key and metrics token as files, and the variables that point the service at
   * them; with the sidecar, its web config (HTTPS with the same certificate, a bcrypt hash of the
   * scraper's password), kept in Secrets Manager and written as a file too.
   */
  private tlsFor(
    name: string,
    args: AppServiceArgs,
    tls: InternalTlsArgs,
    ecsExporter: boolean,
    tags: Record<string, string>,
  ) {
    const child = { parent: this };
    const cert = serverCertificate(
      name,
      { tls, dnsNames: [discoveryName(name, args)], configDir: FILES_DIR, tags },
      child,
    );
    const token = credential(`${name}-metrics-token`, `${name}: bearer token of /metrics`, tags, child);
    const exporter = ecsExporter ? this.exporterWebConfig(name, cert.files, tags) : undefined;
    return {
      secretFiles: [
        ...cert.secretFiles,
        { path: "metrics/token", valueFrom: token.secretArn },
        ...(exporter === undefined ? [] : [{ path: EXPORTER_WEB_CONFIG, valueFrom: exporter.webConfigArn }]),
      ],
      ...(exporter === undefined ? {} : { exporter: exporter.login }),
      fingerprint: cert.fingerprint,
      metricsTokenSecretArn: token.secretArn,
      environment: {
        TLS_CERT_FILE: cert.files.cert,
        TLS_KEY_FILE: cert.files.key,
        METRICS_BEARER_TOKEN_FILE: `${FILES_DIR}/metrics/token`,
      },
    };
  }

  /** The sidecar's web config in Secrets Manager, and the login it accepts. */
  private exporterWebConfig(name: string, files: TlsFiles, tags: Record<string, string>) {
    const child = { parent: this };
    const password = credential(
      `${name}-ecs-exporter-password`,
      `${name}: password of user ${EXPORTER_USER} on the ecs_exporter sidecar`,
      tags,
      child,
    );
    const webConfig = new aws.secretsmanager.Secret(
      `${name}-ecs-exporter-web-config`,
      { description: `${name}: web config of the ecs_exporter sidecar`, tags },
      child,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-ecs-exporter-web-config`,
      {
        secretId: webConfig.id,
        secretString: pulumi.secret(
          password.bcryptHash.apply((hash) =>
            renderWebConfig(
              { tls: { certFile: files.cert, keyFile: files.key }, users: { [EXPORTER_USER]: hash } },
              "the ecs_exporter sidecar",
            ),
          ),
        ),
      },
      child,
    );
    const login: ServerLoginArgs = { username: EXPORTER_USER, passwordSecretArn: password.secretArn };
    return { webConfigArn: webConfig.arn, login };
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

function keyValues(values: Record<string, pulumi.Input<string>>): aws.ecs.KeyValuePair[] {
  return Object.entries(values).map(([key, value]) => ({ name: key, value }));
}

function sidecarContainer(sidecar: SidecarArgs): aws.ecs.ContainerDefinition {
  return {
    name: sidecar.name,
    image: sidecar.image,
    essential: sidecar.essential ?? false,
    ...(sidecar.command === undefined ? {} : { command: pulumi.all(sidecar.command) }),
    environment: keyValues(sidecar.environment ?? {}),
    secrets: Object.entries(sidecar.secrets ?? {}).map(([key, valueFrom]) => ({ name: key, valueFrom })),
    portMappings: (sidecar.ports ?? []).map((port) => ({ containerPort: port, protocol: "tcp" })),
  };
}
