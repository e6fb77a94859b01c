import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { componentOptions, typeToken } from "./component";
import { argError, checkArg } from "./errors";
import { discoverySidecar } from "./discovery-sidecar";
import {
  DEFAULT_APP_JOB,
  DEFAULT_EVALUATION_INTERVAL,
  DEFAULT_SCRAPE_INTERVAL,
  type HttpClientInput,
  METRICS_PATH,
  renderPrometheusConfig,
} from "./monitoring";
import { schemas } from "./monitoring/schema";
import { configFiles, readConfigAt } from "./config-files";
import { efsVolume, EFS_VOLUME_NAME } from "./efs-volume";
import { fargateService, type TaskSize, wgetHealthCheck } from "./fargate";
import { policyDocument } from "./iam";
import { images } from "./images";
import type { InternalTlsArgs } from "./internal-tls";
import { discoveryName, type PlacementArgs, servicePlacement, taskSecurityGroup } from "./placement";
import { allowTcp } from "./security-groups";
import { componentTags } from "./tags";
import { type ClientLogin, SELF_USER, type ServerLoginArgs, webTls } from "./web-tls";

export const PROMETHEUS_PORT = 9090;
/** The image's user (nobody): owner of the TSDB directory. */
const PROMETHEUS_UID = 65534;
const CONFIG_DIR = "/etc/prometheus/config";
/** The user Grafana's data source logs in as. */
const GRAFANA_USER = "grafana";
// Replaying the WAL of a large TSDB takes a while.
const HEALTH_CHECK_START_PERIOD = 300;
const DATA_DIR = "/prometheus";

/** A service to scrape: every task registered in a Cloud Map service (e.g. the fields of an AppService). */
export interface ScrapeTargetArgs {
  /** The Cloud Map namespace the tasks register in (AppService.cloudMapNamespaceName). */
  namespaceName: pulumi.Input<string>;
  /** The Cloud Map service of the tasks (AppService.cloudMapServiceName). */
  serviceName: pulumi.Input<string>;
  /** Port of the metrics endpoint. */
  metricsPort: number;
  /** Path of the metrics endpoint. Default /metrics. */
  metricsPath?: string;
  /** Port of the ecs_exporter sidecar on the same tasks. Default none (not scraped). */
  ecsExporterPort?: number;
  /** The targets' security group: the component opens the scrape ports on it for Prometheus only. */
  securityGroupId: pulumi.Input<string>;
  /** Its scrape job, which the rules and dashboards select. Default: `appJob` for `app`; required in `moreApps`. */
  job?: string;
  /**
   * Scrape it (and its ecs_exporter sidecars) over HTTPS, verified against the CA of `tls`: the
   * name its certificate carries and its bearer token's secret (AppService.tlsServerName and
   * .metricsTokenSecretArn). Needs PrometheusServer's `tls`. Default plain HTTP.
   */
  tls?: ScrapeTlsArgs;
}

/** How Prometheus scrapes a target over HTTPS. */
export interface ScrapeTlsArgs {
  /** The DNS name in the targets' certificate (they are scraped by IP). */
  serverName: pulumi.Input<string>;
  /** Secrets Manager ARN of the bearer token the targets' /metrics wants. */
  bearerTokenSecretArn: pulumi.Input<string>;
  /**
   * The login of their ecs_exporter sidecars (AppService.ecsExporterLogin), which serve HTTPS with
   * the same certificate. Default: the sidecars are scraped over plain HTTP.
   */
  ecsExporterLogin?: ServerLoginArgs;
}

/** The Alertmanager Prometheus notifies and scrapes (e.g. the fields of an AlertingRules). */
export interface AlertmanagerTargetArgs {
  /** Its DNS name inside the VPC (AlertingRules.hostname). */
  hostname: pulumi.Input<string>;
  /** Its port (AlertingRules.port). */
  port: number;
  /** Its security group: the component opens `port` on it for Prometheus. */
  securityGroupId: pulumi.Input<string>;
  /**
   * Reach it over HTTPS (verified against the CA of `tls`, the name `hostname`) with this login
   * (AlertingRules.prometheusLogin). Needs PrometheusServer's `tls`. Default plain HTTP.
   */
  login?: ServerLoginArgs;
}

/** The HTTPS clients of prometheus.yml: per app and its exporters (undefined: plain HTTP), itself, Alertmanager. */
interface WebClients {
  apps: (HttpClientInput | undefined)[];
  exporters: (HttpClientInput | undefined)[];
  prometheus?: HttpClientInput;
  alertmanager?: HttpClientInput;
}

/** Where the TSDB lives. */
export enum StorageKind {
  /** Durable on EFS, one writer (Prometheus does not support NFS: docs/decisions/0003). */
  Efs = "efs",
  /**
   * Local data on the task's ephemeral disk (lost on replacement) and every sample sent to a new
   * Amazon Managed Service for Prometheus workspace with SigV4 through the task role.
   */
  Amp = "amp",
}

/** Storage of the TSDB. */
export interface PrometheusStorageArgs {
  /** EFS (durable, one writer) or AMP (remote_write, local data ephemeral). */
  kind: StorageKind;
  /** Local retention time, e.g. 15d. */
  retentionTime: string;
  /** Local retention size, e.g. 20GB. */
  retentionSize: string;
  /** Ephemeral disk in GiB (21-200) for `amp`. Default 30. */
  ephemeralStorageGib?: number;
}

/** The defaults of PrometheusServerArgs. */
export const PROMETHEUS_SERVER_DEFAULTS = {
  appJob: DEFAULT_APP_JOB,
  storage: { kind: StorageKind.Efs, retentionTime: "15d", retentionSize: "20GB" },
  ampEphemeralStorageGib: 30,
  size: { cpu: 512, memory: 1024 },
  scrapeInterval: DEFAULT_SCRAPE_INTERVAL,
  evaluationInterval: DEFAULT_EVALUATION_INTERVAL,
} as const;

export interface PrometheusServerArgs extends PlacementArgs {
  /** `env` external label (dev, prod). */
  environment: string;
  /** The app to scrape. */
  app: ScrapeTargetArgs;
  /** More apps scraped by the same Prometheus, each its own job (give AlertingRules their jobs too). Default none. */
  moreApps?: ScrapeTargetArgs[];
  /** Scrape job name of the app (the rules and dashboards select on it). Default "showcase-api". */
  appJob?: string;
  /** Alertmanager to notify and scrape. */
  alertmanager: AlertmanagerTargetArgs;
  /** Rule files (file name → YAML), e.g. AlertingRules.ruleFiles. */
  ruleFiles: Record<string, pulumi.Input<string>>;
  /** Default efs, 15d, 20GB. */
  storage?: PrometheusStorageArgs;
  /** Task size. Default 512 CPU units, 1024 MiB. */
  size?: TaskSize;
  /** CIDRs (VPN, peered VPCs) allowed to reach port 9090 besides Grafana. Default none. */
  allowedCidrs?: string[];
  /** Default 15s. */
  scrapeInterval?: string;
  /** Default 15s. */
  evaluationInterval?: string;
  /**
   * TLS inside the VPC: serve HTTPS only, with a certificate of this CA for the Cloud Map name, and
   * basic auth (generated passwords: `grafanaLogin` for Grafana, one for its own self-scrape and
   * health check); targets with `tls` or `login` are verified against the same CA. Default none:
   * plain HTTP, security groups the only guard.
   */
  tls?: InternalTlsArgs;
}

/**
 * Prometheus as one Fargate task (one writer: old task stops before the new one starts), with the
 * generated configuration and rules delivered through S3 and an init container, storage on EFS or
 * remote_write to AMP, and port 9090 open only to its clients.
 */
export class PrometheusServer extends pulumi.ComponentResource {
  /** http(s)://prometheus.<namespace>:9090 (inside the VPC; https with `tls`). */
  readonly url: pulumi.Output<string>;
  /** With `tls`: Grafana's login (user `grafana`). */
  readonly grafanaLogin: ClientLogin | undefined;
  readonly securityGroupId: pulumi.Output<string>;
  /** The exact configuration and rule files delivered to the task (path → content). */
  readonly files: pulumi.Output<Record<string, string>>;
  /** SHA-256 of the delivered files. */
  readonly configHash: pulumi.Output<string>;
  /** AMP workspace with storage `amp`. */
  readonly workspace: aws.amp.Workspace | undefined;
  /** Where Grafana queries: this server, or the AMP workspace (SigV4). */
  readonly queryUrl: pulumi.Output<string>;
  readonly service: aws.ecs.Service;
  readonly taskDefinition: aws.ecs.TaskDefinition;
  readonly taskRole: aws.iam.Role;
  readonly executionRole: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  /** The bucket the configuration is delivered through. */
  readonly configBucket: aws.s3.Bucket;
  /** The TSDB's file system with storage `efs`. */
  readonly fileSystem: aws.efs.FileSystem | undefined;
  /** The tasks' security group when the component created it (unset with `securityGroupId`). */
  readonly taskSecurityGroup: aws.ec2.SecurityGroup | undefined;

  constructor(name: string, args: PrometheusServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("PrometheusServer"), name, {}, componentOptions("PrometheusServer", opts));
    const child = { parent: this };
    const d = PROMETHEUS_SERVER_DEFAULTS;
    const tags = componentTags(name, args.tags);
    checkArg(this, name, "environment", schemas.text, args.environment);
    checkArg(this, name, "app.metricsPort", schemas.port, args.app.metricsPort);
    const metricsPath = checkArg(
      this,
      name,
      "app.metricsPath",
      schemas.httpPath,
      args.app.metricsPath ?? METRICS_PATH,
    );
    checkArg(this, name, "alertmanager.port", schemas.port, args.alertmanager.port);
    const scrapeInterval = checkArg(
      this,
      name,
      "scrapeInterval",
      schemas.duration,
      args.scrapeInterval ?? d.scrapeInterval,
    );
    const evaluationInterval = checkArg(
      this,
      name,
      "evaluationInterval",
      schemas.duration,
      args.evaluationInterval ?? d.evaluationInterval,
    );
    const storage = args.storage ?? d.storage;
    checkArg(this, name, "storage.retentionTime", schemas.duration, storage.retentionTime);
    const group = taskSecurityGroup(name, args, tags, child);
    const groupId = group.id;
    const hostname = discoveryName(name, args);
    this.url = pulumi.interpolate`${args.tls === undefined ? "http" : "https"}://${hostname}:${PROMETHEUS_PORT}`;

    // Only Prometheus scrapes: it opens the metrics ports of its targets for itself.
    const appJob = args.app.job ?? args.appJob ?? d.appJob;
    const apps = [
      { ...args.app, job: appJob },
      ...(args.moreApps ?? []).map((app, i) => ({
        ...app,
        job: checkArg(this, name, `moreApps[${i}].job`, schemas.text, app.job),
      })),
    ];
    const exporterPorts = new Set(
      apps.flatMap((app) => (app.ecsExporterPort === undefined ? [] : [app.ecsExporterPort])),
    );
    if (exporterPorts.size > 1) {
      throw new pulumi.ResourceError(
        `${name}: moreApps[].ecsExporterPort must equal app.ecsExporterPort (one exporter job)`,
        this,
      );
    }
    const scrapePorts = [
      ...apps.flatMap((app, i) => {
        const what = i === 0 ? "app" : `app-${app.job}`;
        return [
          { port: app.metricsPort, securityGroupId: app.securityGroupId, what: `${what}-metrics` },
          ...(app.ecsExporterPort === undefined
            ? []
            : [
                {
                  port: app.ecsExporterPort,
                  securityGroupId: app.securityGroupId,
                  what: `${what}-ecs-exporter`,
                },
              ]),
        ];
      }),
      {
        port: args.alertmanager.port,
        securityGroupId: args.alertmanager.securityGroupId,
        what: "alertmanager",
      },
    ];
    for (const { port, securityGroupId, what } of scrapePorts) {
      allowTcp(
        `${name}-to-${what}`,
        { securityGroupId, port, from: { securityGroupId: groupId }, description: `from ${name}`, tags },
        child,
      );
    }
    (args.allowedCidrs ?? []).forEach((cidr, index) =>
      allowTcp(
        `${name}-from-cidr-${index}`,
        {
          securityGroupId: groupId,
          port: PROMETHEUS_PORT,
          from: { cidr },
          description: "allowed range",
          tags,
        },
        child,
      ),
    );

    const region = aws.getRegionOutput({}, child).region;
    this.workspace =
      storage.kind === StorageKind.Amp
        ? new aws.amp.Workspace(
            `${name}-workspace`,
            { alias: `${pulumi.getProject()}-${pulumi.getStack()}`, tags },
            child,
          )
        : undefined;
    const remoteWrite =
      this.workspace === undefined
        ? undefined
        : pulumi.all([this.workspace.prometheusEndpoint, region]).apply(([endpoint, r]) => ({
            url: `${endpoint.replace(/\/$/, "")}/api/v1/remote_write`,
            region: r,
          }));

    const discovery = discoverySidecar(
      apps.map((app) => ({
        namespaceName: app.namespaceName,
        serviceName: app.serviceName,
        port: app.metricsPort,
        job: app.job,
      })),
      region,
    );
    const fileOf = (job: string) => ({ kind: "file" as const, files: [discovery.files[job] ?? ""] });
    const rulePaths = Object.keys(args.ruleFiles).sort();
    const addresses = {
      alertmanager: pulumi.interpolate`${args.alertmanager.hostname}:${args.alertmanager.port}`,
      url: this.url,
    };
    const web = this.webTlsFor(name, args, apps, hostname, tags);
    const prometheusYml = pulumi.all([remoteWrite, addresses, web.clients]).apply(([rw, at, clients]) =>
      renderPrometheusConfig({
        environment: args.environment,
        scrapeInterval,
        evaluationInterval,
        appJob,
        app: fileOf(appJob),
        moreApps: apps.slice(1).map((app, i) => ({
          job: app.job,
          app: fileOf(app.job),
          ...(app.metricsPath === undefined ? {} : { metricsPath: app.metricsPath }),
          ecsExporter: app.ecsExporterPort !== undefined,
          ...(clients.apps[i + 1] === undefined ? {} : { tls: clients.apps[i + 1] }),
          ...(clients.exporters[i + 1] === undefined ? {} : { ecsExporterTls: clients.exporters[i + 1] }),
        })),
        ...(clients.apps[0] === undefined ? {} : { appTls: clients.apps[0] }),
        ...(clients.exporters[0] === undefined ? {} : { ecsExporterTls: clients.exporters[0] }),
        ...(clients.prometheus === undefined ? {} : { prometheusTls: clients.prometheus }),
        ...(clients.alertmanager === undefined ? {} : { alertmanagerTls: clients.alertmanager }),
        metricsPath,
        prometheusTarget: `localhost:${PROMETHEUS_PORT}`,
        alertmanagerTargets: [at.alertmanager],
        ruleFiles: rulePaths.map((file) => `${CONFIG_DIR}/rules/${file}`),
        ...(exporterPorts.size === 0 ? {} : { ecsExporterPort: [...exporterPorts][0] }),
        ...(rw === undefined ? {} : { remoteWrite: rw }),
      }),
    );
    const files: Record<string, pulumi.Input<string>> = { "prometheus.yml": prometheusYml, ...web.files };
    for (const file of rulePaths) files[`rules/${file}`] = args.ruleFiles[file] ?? "";
    const config = configFiles(
      name,
      {
        files,
        ownerUid: PROMETHEUS_UID,
        secretFiles: web.secretFiles,
        ...(web.fingerprint === undefined ? {} : { version: web.fingerprint }),
        tags,
      },
      child,
    );
    this.files = pulumi.output(files);
    this.configHash = config.hash;

    const taskPolicies: Record<string, pulumi.Input<string>> = {
      config: config.readPolicy,
      discovery: discovery.policy,
    };
    const volumes: pulumi.Input<aws.types.input.ecs.TaskDefinitionVolume>[] = [
      config.volume,
      discovery.volume,
    ];
    const configAt = readConfigAt(CONFIG_DIR);
    const mountPoints: aws.ecs.MountPoint[] = [configAt.mountPoint, discovery.mountPoint];
    const dependsOn: pulumi.Resource[] = [...config.objects];
    let fileSystem: aws.efs.FileSystem | undefined;
    if (storage.kind === StorageKind.Efs) {
      const efs = efsVolume(
        name,
        {
          vpcId: args.vpcId,
          subnetIds: args.privateSubnetIds,
          clientSecurityGroupId: groupId,
          uid: PROMETHEUS_UID,
          gid: PROMETHEUS_UID,
          path: "/prometheus",
          tags,
        },
        child,
      );
      fileSystem = efs.fileSystem;
      taskPolicies["efs"] = efs.clientPolicy;
      volumes.push(efs.volume);
      mountPoints.push({ sourceVolume: EFS_VOLUME_NAME, containerPath: DATA_DIR });
      dependsOn.push(...efs.mountTargets);
    }
    if (this.workspace !== undefined) {
      taskPolicies["remote-write"] = policyDocument([
        { Effect: "Allow", Action: ["aps:RemoteWrite"], Resource: this.workspace.arn },
      ]);
    }

    const prometheus: aws.ecs.ContainerDefinition = {
      name: "prometheus",
      image: images.prometheus,
      essential: true,
      command: pulumi.all([
        `--config.file=${CONFIG_DIR}/prometheus.yml`,
        `--storage.tsdb.path=${DATA_DIR}`,
        `--storage.tsdb.retention.time=${storage.retentionTime}`,
        `--storage.tsdb.retention.size=${storage.retentionSize}`,
        `--web.listen-address=:${PROMETHEUS_PORT}`,
        ...(web.flag === undefined ? [] : [web.flag]),
        pulumi.interpolate`--web.external-url=${this.url}`,
      ]),
      portMappings: [{ name: "http", containerPort: PROMETHEUS_PORT, protocol: "tcp" }],
      mountPoints,
      dependsOn: configAt.dependsOn,
      healthCheck: web.healthCheck ?? wgetHealthCheck(PROMETHEUS_PORT, "/-/ready", HEALTH_CHECK_START_PERIOD),
      // Let Prometheus flush the head block on shutdown.
      stopTimeout: 120,
    };

    const service = fargateService(
      name,
      {
        ...servicePlacement(name, args, groupId),
        size: args.size ?? d.size,
        containers: [config.initContainer, discovery.container, prometheus],
        volumes,
        ...(storage.kind === StorageKind.Amp
          ? { ephemeralStorageGib: storage.ephemeralStorageGib ?? d.ampEphemeralStorageGib }
          : {}),
        taskPolicies,
        desiredCount: 1,
        singleWriter: true,
        serviceDependsOn: dependsOn,
        tags,
      },
      child,
    );

    this.securityGroupId = groupId;
    this.grafanaLogin = web.grafanaLogin;
    this.queryUrl = this.workspace === undefined ? this.url : this.workspace.prometheusEndpoint;
    this.service = service.service;
    this.taskDefinition = service.taskDefinition;
    this.taskRole = service.taskRole;
    this.executionRole = service.executionRole;
    this.logGroup = service.logGroup;
    this.configBucket = config.bucket;
    this.fileSystem = fileSystem;
    this.taskSecurityGroup = group.created;
    this.registerOutputs({
      url: this.url,
      grafanaLogin: this.grafanaLogin,
      securityGroupId: this.securityGroupId,
      files: this.files,
      configHash: this.configHash,
      workspace: this.workspace,
      queryUrl: this.queryUrl,
      service: this.service,
      taskDefinition: this.taskDefinition,
      taskRole: this.taskRole,
      executionRole: this.executionRole,
      logGroup: this.logGroup,
      configBucket: this.configBucket,
      fileSystem: this.fileSystem,
      taskSecurityGroup: this.taskSecurityGroup,
    });
  }

  /**
   * With `tls`: the web config, its secret files, and the HTTPS clients of prometheus.yml (the CA,
   * each target's name and credential file). Without it, targets must not ask for TLS.
   */
  private webTlsFor(
    name: string,
    args: PrometheusServerArgs,
    apps: (ScrapeTargetArgs & { job: string })[],
    hostname: pulumi.Output<string>,
    tags: Record<string, string>,
  ) {
    const scraped = apps.map((app, i) => ({ field: i === 0 ? "app.tls" : `moreApps[${i - 1}].tls`, app }));
    if (args.tls === undefined) {
      const asking = [
        ...scraped.filter(({ app }) => app.tls !== undefined).map(({ field }) => field),
        ...(args.alertmanager.login === undefined ? [] : ["alertmanager.login"]),
      ];
      if (asking.length > 0)
        throw argError(this, name, asking[0]!, "needs tls: the CA to verify the target against");
      const clients: WebClients = { apps: [], exporters: [] };
      return { files: {}, secretFiles: [], clients: pulumi.output(clients) };
    }
    const web = webTls(
      name,
      {
        server: "prometheus",
        tls: args.tls,
        hostname,
        port: PROMETHEUS_PORT,
        configDir: CONFIG_DIR,
        clients: [GRAFANA_USER],
        healthCheckStartPeriod: HEALTH_CHECK_START_PERIOD,
        tags,
      },
      { parent: this },
    );
    const caFile = web.self.caFile;
    const secretFiles = [...web.secretFiles];
    const secretAt = (path: string, valueFrom: pulumi.Input<string>) => {
      secretFiles.push({ path, valueFrom });
      return `${CONFIG_DIR}/${path}`;
    };
    // Each app's credential files, written once whatever its server name turns out to be.
    const credentials = apps.map((app) =>
      app.tls === undefined
        ? undefined
        : {
            bearerTokenFile: secretAt(`secrets/${app.job}-metrics-token`, app.tls.bearerTokenSecretArn),
            ...(app.tls.ecsExporterLogin === undefined
              ? {}
              : {
                  exporter: {
                    username: app.tls.ecsExporterLogin.username,
                    passwordFile: secretAt(
                      `secrets/${app.job}-ecs-exporter.password`,
                      app.tls.ecsExporterLogin.passwordSecretArn,
                    ),
                  },
                }),
          },
    );
    const login = args.alertmanager.login;
    const alertmanager: HttpClientInput | undefined =
      login === undefined
        ? undefined
        : {
            caFile,
            basicAuth: {
              username: login.username,
              passwordFile: secretAt("secrets/alertmanager.password", login.passwordSecretArn),
            },
          };
    const clients = pulumi.all(apps.map((app) => app.tls?.serverName)).apply((names) => ({
      apps: names.map((serverName, i): HttpClientInput | undefined => {
        const file = credentials[i];
        return serverName === undefined || file === undefined
          ? undefined
          : { caFile, serverName, bearerTokenFile: file.bearerTokenFile };
      }),
      exporters: names.map((serverName, i): HttpClientInput | undefined => {
        const exporter = credentials[i]?.exporter;
        return serverName === undefined || exporter === undefined
          ? undefined
          : { caFile, serverName, basicAuth: exporter };
      }),
      prometheus: { caFile, basicAuth: { username: SELF_USER, passwordFile: web.self.passwordFile } },
      alertmanager,
    }));
    return {
      files: web.files,
      secretFiles,
      clients,
      flag: web.flag,
      healthCheck: web.healthCheck,
      fingerprint: web.fingerprint,
      grafanaLogin: web.logins[GRAFANA_USER],
    };
  }
}
