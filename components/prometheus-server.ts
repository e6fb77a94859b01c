import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CLOUD_MAP_MAX_RECORDS, renderPrometheusConfig } from "./monitoring";
import { configFiles, readConfigAt } from "./config-files";
import { efsVolume, EFS_VOLUME_NAME } from "./efs-volume";
import { fargateService, type TaskSize, wgetHealthCheck } from "./fargate";
import { policyDocument } from "./iam";
import { images } from "./images";
import { type PlacementArgs, servicePlacement, taskSecurityGroupId } from "./placement";
import { allowTcp } from "./security-groups";
import { componentTags } from "./tags";

export const PROMETHEUS_PORT = 9090;
/** The image's user (nobody): owner of the TSDB directory. */
const PROMETHEUS_UID = 65534;
const CONFIG_DIR = "/etc/prometheus/config";
const DATA_DIR = "/prometheus";

/** A scrape target reached through Cloud Map DNS. */
export interface ScrapeTargetArgs {
  /** DNS name answering with the tasks' IPs, e.g. app.dev.showcase.internal. */
  discoveryName: string;
  /** Port of /metrics. */
  metricsPort: number;
  /** Port of the ecs_exporter sidecar, if any (same tasks). */
  ecsExporterPort?: number;
  /** Most tasks the target may run (at most 8: Cloud Map's answer size). */
  maxTasks: number;
  /** The targets' security group: the component opens the scrape ports on it for Prometheus only. */
  securityGroupId: pulumi.Input<string>;
}

/**
 * Storage of the TSDB. `efs`: durable on EFS, one writer (Prometheus does not support NFS: see
 * docs/decisions/0003-prometheus-storage.md). `amp`: local data on the task's ephemeral disk
 * (lost on replacement) and every sample sent to a new Amazon Managed Service for Prometheus
 * workspace with SigV4 through the task role.
 */
export interface PrometheusStorageArgs {
  kind: "efs" | "amp";
  /** Local retention time, e.g. 15d. */
  retentionTime: string;
  /** Local retention size, e.g. 20GB. */
  retentionSize: string;
  /** Ephemeral disk in GiB (21-200) for `amp`. Default 30. */
  ephemeralStorageGib?: number;
}

export interface PrometheusServerArgs extends PlacementArgs {
  /** `env` external label (dev, prod). */
  environment: string;
  /** The app to scrape. */
  app: ScrapeTargetArgs;
  /** Scrape job name of the app. Default "showcase-api". */
  appJob?: string;
  /** Alertmanager to notify and scrape: `host:port` and its security group. */
  alertmanager: { target: string; securityGroupId: pulumi.Input<string> };
  /** Rule files (file name → YAML), e.g. AlertingRules.ruleFiles. */
  ruleFiles: Record<string, string>;
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
}

/**
 * Prometheus as one Fargate task (one writer: old task stops before the new one starts), with the
 * generated configuration and rules delivered through S3 and an init container, storage on EFS or
 * remote_write to AMP, and port 9090 open only to its clients.
 */
export class PrometheusServer extends pulumi.ComponentResource {
  /** http://prometheus.<namespace>:9090 (inside the VPC). */
  readonly url: string;
  readonly securityGroupId: pulumi.Output<string>;
  /** The exact configuration and rule files delivered to the task (path → content). */
  readonly files: pulumi.Output<Record<string, string>>;
  /** SHA-256 of the delivered files. */
  readonly configHash: pulumi.Output<string>;
  /** AMP workspace with storage `amp`. */
  readonly workspace: aws.amp.Workspace | undefined;
  /** Where Grafana queries: this server, or the AMP workspace (SigV4). */
  readonly queryUrl: pulumi.Output<string>;

  constructor(name: string, args: PrometheusServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("showcase:index:PrometheusServer", name, {}, opts);
    const child = { parent: this };
    const tags = componentTags(name, args.tags);
    if (args.app.maxTasks > CLOUD_MAP_MAX_RECORDS) {
      throw new Error(
        `${name}: app.maxTasks ${args.app.maxTasks} exceeds the Cloud Map limit of ${CLOUD_MAP_MAX_RECORDS}`,
      );
    }
    const storage = args.storage ?? { kind: "efs", retentionTime: "15d", retentionSize: "20GB" };
    const groupId = pulumi.output(taskSecurityGroupId(name, args, tags, child));
    this.url = `http://${name}.${args.namespace.name}:${PROMETHEUS_PORT}`;

    // Only Prometheus scrapes: it opens the metrics ports of its targets for itself.
    const scrapePorts = [
      { port: args.app.metricsPort, securityGroupId: args.app.securityGroupId, what: "app-metrics" },
      ...(args.app.ecsExporterPort === undefined
        ? []
        : [
            {
              port: args.app.ecsExporterPort,
              securityGroupId: args.app.securityGroupId,
              what: "app-ecs-exporter",
            },
          ]),
      {
        port: portOf(args.alertmanager.target),
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
      storage.kind === "amp"
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

    const rulePaths = Object.keys(args.ruleFiles).sort();
    const prometheusYml = pulumi.output(remoteWrite).apply((rw) =>
      renderPrometheusConfig({
        environment: args.environment,
        ...(args.scrapeInterval === undefined ? {} : { scrapeInterval: args.scrapeInterval }),
        ...(args.evaluationInterval === undefined ? {} : { evaluationInterval: args.evaluationInterval }),
        ...(args.appJob === undefined ? {} : { appJob: args.appJob }),
        app: {
          kind: "dns",
          name: args.app.discoveryName,
          port: args.app.metricsPort,
          maxTasks: args.app.maxTasks,
        },
        prometheusTarget: `localhost:${PROMETHEUS_PORT}`,
        alertmanagerTargets: [args.alertmanager.target],
        ruleFiles: rulePaths.map((file) => `${CONFIG_DIR}/rules/${file}`),
        ...(args.app.ecsExporterPort === undefined ? {} : { ecsExporterPort: args.app.ecsExporterPort }),
        ...(rw === undefined ? {} : { remoteWrite: rw }),
      }),
    );
    const files: Record<string, pulumi.Input<string>> = { "prometheus.yml": prometheusYml };
    for (const file of rulePaths) files[`rules/${file}`] = args.ruleFiles[file] ?? "";
    const config = configFiles(name, { files, ownerUid: PROMETHEUS_UID, tags }, child);
    this.files = pulumi.output(files);
    this.configHash = config.hash;

    const taskPolicies: Record<string, pulumi.Input<string>> = { config: config.readPolicy };
    const volumes: pulumi.Input<aws.types.input.ecs.TaskDefinitionVolume>[] = [config.volume];
    const configAt = readConfigAt(CONFIG_DIR);
    const mountPoints: aws.ecs.MountPoint[] = [configAt.mountPoint];
    const dependsOn: pulumi.Resource[] = [...config.objects];
    if (storage.kind === "efs") {
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
      command: [
        `--config.file=${CONFIG_DIR}/prometheus.yml`,
        `--storage.tsdb.path=${DATA_DIR}`,
        `--storage.tsdb.retention.time=${storage.retentionTime}`,
        `--storage.tsdb.retention.size=${storage.retentionSize}`,
        `--web.listen-address=:${PROMETHEUS_PORT}`,
        `--web.external-url=${this.url}`,
      ],
      portMappings: [{ name: "http", containerPort: PROMETHEUS_PORT, protocol: "tcp" }],
      mountPoints,
      dependsOn: configAt.dependsOn,
      // Replaying the WAL of a large TSDB takes a while.
      healthCheck: wgetHealthCheck(PROMETHEUS_PORT, "/-/ready", 300),
      // Let Prometheus flush the head block on shutdown.
      stopTimeout: 120,
    };

    fargateService(
      name,
      {
        ...servicePlacement(name, args, groupId),
        size: args.size ?? { cpu: 512, memory: 1024 },
        containers: [config.initContainer, prometheus],
        volumes,
        ...(storage.kind === "amp" ? { ephemeralStorageGib: storage.ephemeralStorageGib ?? 30 } : {}),
        taskPolicies,
        desiredCount: 1,
        singleWriter: true,
        serviceDependsOn: dependsOn,
        tags,
      },
      child,
    );

    this.securityGroupId = groupId;
    this.queryUrl =
      this.workspace === undefined ? pulumi.output(this.url) : this.workspace.prometheusEndpoint;
    this.registerOutputs({
      url: this.url,
      securityGroupId: this.securityGroupId,
      configHash: this.configHash,
      queryUrl: this.queryUrl,
    });
  }
}

function portOf(target: string): number {
  const port = Number(target.split(":").pop());
  if (!Number.isInteger(port)) throw new Error(`expected host:port, got ${JSON.stringify(target)}`);
  return port;
}
