import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { filesHash } from "../../components/config-files";
import { images, StorageKind, type PrometheusServerArgs } from "showcase-monitoring";
import {
  CLOUD_MAP_DISCOVERY_SCRIPT,
  CLOUD_MAP_TARGETS_QUERY,
  renderPrometheusConfig,
} from "showcase-monitoring/monitoring";
import { placement, scrapeTargets } from "./fixtures";
import {
  containersOf,
  ingressRules,
  installMocks,
  policyOf,
  type Recorder,
  settle,
  untagged,
} from "./harness";

const ruleFiles = { "a.rules.yml": "groups: []\n", "b.rules.yml": "groups:\n  - name: b\n    rules: []\n" };

async function deploy(args: Partial<PrometheusServerArgs>): Promise<Recorder> {
  const recorder = await installMocks({ stack: "test" });
  const { PrometheusServer } = await import("showcase-monitoring");
  new PrometheusServer("prometheus", {
    ...placement,
    environment: "test",
    ...scrapeTargets,
    ruleFiles,
    ...args,
  });
  await settle(recorder);
  return recorder;
}

/** The S3 objects of the component: key → content. */
function delivered(r: Recorder): Record<string, string> {
  return Object.fromEntries(
    r
      .ofType("aws:s3/bucketObjectv2:BucketObjectv2")
      .map((o) => [String(o.inputs["key"]), String(o.inputs["content"])]),
  );
}

const expectedConfig = (remoteWrite?: { url: string; region: string }) =>
  renderPrometheusConfig({
    environment: "test",
    app: { kind: "file", files: ["/etc/prometheus/discovery/showcase-api.json"] },
    prometheusTarget: "localhost:9090",
    alertmanagerTargets: ["alertmanager.test.showcase.internal:9093"],
    ruleFiles: ["/etc/prometheus/config/rules/a.rules.yml", "/etc/prometheus/config/rules/b.rules.yml"],
    ecsExporterPort: 9779,
    ...(remoteWrite === undefined ? {} : { remoteWrite }),
  });

describe("PrometheusServer with its defaults (EFS)", () => {
  let r: Recorder;
  beforeAll(async () => {
    r = await deploy({});
  });

  it("delivers exactly the generated prometheus.yml and the rule files, under their hash", () => {
    const files = {
      "prometheus.yml": expectedConfig(),
      "rules/a.rules.yml": ruleFiles["a.rules.yml"],
      "rules/b.rules.yml": ruleFiles["b.rules.yml"],
    };
    const hash = filesHash(files);
    expect(delivered(r)).toEqual(
      Object.fromEntries(Object.entries(files).map(([path, content]) => [`${hash}/${path}`, content])),
    );
    // The init container copies that very prefix; the hash in the task definition rolls a new task.
    const init = containersOf(r.one("aws:ecs/taskDefinition:TaskDefinition", "prometheus-task")).find(
      (c) => c.name === "config-init",
    );
    expect(init?.environment).toEqual([
      { name: "CONFIG_URI", value: `s3://prometheus-config-bucket/${hash}/` },
    ]);
    expect(init?.essential).toBe(false);
    expect(init?.image).toMatch(/^public\.ecr\.aws\/aws-cli\/aws-cli:2\.\d+\.\d+$/);
  });

  it("starts Prometheus after the copy, with the config, retention and data directory", () => {
    const prometheus = containersOf(r.one("aws:ecs/taskDefinition:TaskDefinition", "prometheus-task")).find(
      (c) => c.name === "prometheus",
    );
    expect(prometheus?.dependsOn).toEqual([{ containerName: "config-init", condition: "SUCCESS" }]);
    expect(prometheus?.command).toEqual(
      expect.arrayContaining([
        "--config.file=/etc/prometheus/config/prometheus.yml",
        "--storage.tsdb.path=/prometheus",
        "--storage.tsdb.retention.time=15d",
        "--storage.tsdb.retention.size=20GB",
      ]),
    );
    expect(prometheus?.mountPoints).toEqual([
      { sourceVolume: "config", containerPath: "/etc/prometheus/config", readOnly: true },
      { sourceVolume: "discovery", containerPath: "/etc/prometheus/discovery", readOnly: true },
      { sourceVolume: "data", containerPath: "/prometheus" },
    ]);
    expect(prometheus?.image).toMatch(/^prom\/prometheus:v3\.\d+\.\d+$/);
  });

  it("runs one writer: one task, the old one stopped before the new one starts", () => {
    expect(r.one("aws:ecs/service:Service", "prometheus-service").inputs).toMatchObject({
      desiredCount: 1,
      deploymentMinimumHealthyPercent: 0,
      deploymentMaximumPercent: 100,
      networkConfiguration: { assignPublicIp: false, subnets: placement.privateSubnetIds },
    });
  });

  it("stores the TSDB on encrypted, backed-up EFS through an access point owned by nobody", () => {
    expect(r.one("aws:efs/fileSystem:FileSystem", "prometheus-efs").inputs).toMatchObject({
      encrypted: true,
    });
    expect(r.one("aws:efs/backupPolicy:BackupPolicy", "prometheus-efs-backup").inputs).toMatchObject({
      backupPolicy: { status: "ENABLED" },
    });
    expect(r.one("aws:efs/accessPoint:AccessPoint", "prometheus-efs").inputs).toMatchObject({
      posixUser: { uid: 65534, gid: 65534 },
      rootDirectory: { path: "/prometheus", creationInfo: { ownerUid: 65534 } },
    });
    const volumes = r.one("aws:ecs/taskDefinition:TaskDefinition", "prometheus-task").inputs["volumes"];
    expect(volumes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: "data",
          efsVolumeConfiguration: expect.objectContaining({ transitEncryption: "ENABLED" }) as unknown,
        }),
      ]),
    );
    expect(r.ofType("aws:efs/mountTarget:MountTarget")).toHaveLength(2);
    expect(r.ofType("aws:amp/workspace:Workspace")).toEqual([]);
  });

  it("opens the scrape ports of its targets for itself, and 9090 to nobody else by default", () => {
    expect(ingressRules(r.resources)).toEqual(
      expect.arrayContaining([
        {
          name: "prometheus-to-app-metrics",
          securityGroupId: "sg-app",
          port: 9464,
          from: "prometheus-tasks-id",
        },
        {
          name: "prometheus-to-app-ecs-exporter",
          securityGroupId: "sg-app",
          port: 9779,
          from: "prometheus-tasks-id",
        },
        {
          name: "prometheus-to-alertmanager",
          securityGroupId: "sg-alertmanager",
          port: 9093,
          from: "prometheus-tasks-id",
        },
        {
          name: "prometheus-efs-nfs",
          securityGroupId: "prometheus-efs-id",
          port: 2049,
          from: "prometheus-tasks-id",
        },
      ]),
    );
    expect(
      ingressRules(r.resources).filter((rule) => rule.securityGroupId === "prometheus-tasks-id"),
    ).toEqual([]);
  });

  it("lets the task read its config bucket, mount its file system and discover the app, nothing else", () => {
    const actions = r
      .ofType("aws:iam/rolePolicy:RolePolicy")
      .filter((p) => p.name.startsWith("prometheus-task-"))
      .flatMap((p) => policyOf(p).Statement.flatMap((s) => s.Action))
      .sort();
    expect(actions).toEqual([
      "elasticfilesystem:ClientMount",
      "elasticfilesystem:ClientWrite",
      "s3:GetObject",
      "s3:ListBucket",
      "servicediscovery:DiscoverInstances",
    ]);
  });

  it("tags everything taggable", () => {
    expect(untagged(r.resources)).toEqual([]);
  });
});

describe("PrometheusServer options", () => {
  it("with AMP: ephemeral disk, remote_write with SigV4 to a new workspace, write permission only", async () => {
    const r = await deploy({
      storage: { kind: StorageKind.Amp, retentionTime: "1d", retentionSize: "10GB", ephemeralStorageGib: 40 },
      allowedCidrs: ["10.100.0.0/16"],
    });
    const workspace = "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-prometheus-workspace";
    const config = expectedConfig({ url: `${workspace}/api/v1/remote_write`, region: "us-east-1" });
    expect(Object.entries(delivered(r)).find(([key]) => key.endsWith("/prometheus.yml"))?.[1]).toBe(config);
    expect(r.ofType("aws:efs/fileSystem:FileSystem")).toEqual([]);
    expect(r.one("aws:ecs/taskDefinition:TaskDefinition", "prometheus-task").inputs).toMatchObject({
      ephemeralStorage: { sizeInGib: 40 },
    });
    const remoteWrite = policyOf(r.one("aws:iam/rolePolicy:RolePolicy", "prometheus-task-remote-write"));
    expect(remoteWrite.Statement).toEqual([
      {
        Effect: "Allow",
        Action: ["aps:RemoteWrite"],
        Resource: "arn:aws:amp:us-east-1:123456789012:prometheus-workspace",
      },
    ]);
    expect(
      ingressRules(r.resources).filter((rule) => rule.securityGroupId === "prometheus-tasks-id"),
    ).toEqual([
      {
        name: "prometheus-from-cidr-0",
        securityGroupId: "prometheus-tasks-id",
        port: 9090,
        from: "10.100.0.0/16",
      },
    ]);
  });

  it("rolls a new task when a rule changes (new hash, new CONFIG_URI)", async () => {
    const uriOf = (r: Recorder) =>
      containersOf(r.one("aws:ecs/taskDefinition:TaskDefinition", "prometheus-task")).find(
        (c) => c.name === "config-init",
      )?.environment?.[0]?.value;
    const before = uriOf(await deploy({}));
    const after = uriOf(await deploy({ ruleFiles: { ...ruleFiles, "b.rules.yml": "groups: []\n" } }));
    expect(before).toMatch(/^s3:\/\/.+\/[0-9a-f]{64}\/$/);
    expect(after).toMatch(/^s3:\/\/.+\/[0-9a-f]{64}\/$/);
    expect(after).not.toBe(before);
  });

  it("finds every app task through Cloud Map's API: a sidecar writes file_sd targets Prometheus reads", async () => {
    const r = await deploy({});
    const containers = containersOf(r.one("aws:ecs/taskDefinition:TaskDefinition", "prometheus-task"));
    const sidecar = containers.find((c) => c.name === "cloud-map-discovery");
    const env = Object.fromEntries((sidecar?.environment ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      TARGETS: "test.showcase.internal app 9464 /etc/prometheus/discovery/showcase-api.json",
      QUERY: CLOUD_MAP_TARGETS_QUERY,
      AWS_REGION: "us-east-1",
    });
    expect(sidecar?.command).toEqual([CLOUD_MAP_DISCOVERY_SCRIPT]);
    expect(sidecar?.image).toBe(images.awsCli);
    const prometheus = containers.find((c) => c.name === "prometheus");
    expect(prometheus?.mountPoints).toContainEqual({
      sourceVolume: "discovery",
      containerPath: "/etc/prometheus/discovery",
      readOnly: true,
    });
    const policy = policyOf(r.one("aws:iam/rolePolicy:RolePolicy", "prometheus-task-discovery"));
    expect(policy.Statement).toEqual([
      { Effect: "Allow", Action: ["servicediscovery:DiscoverInstances"], Resource: "*" },
    ]);
  });
});

describe("PrometheusServer with more apps", () => {
  it("scrapes each app as its own job, all discovered by one sidecar, exporters in one job", async () => {
    const more = (job: string) => ({
      job,
      namespaceName: "test.showcase.internal",
      serviceName: job,
      metricsPort: 9100,
      ecsExporterPort: 9779,
      securityGroupId: `sg-${job}`,
    });
    const r = await deploy({ moreApps: [more("orders"), more("billing")] });
    const containers = containersOf(r.one("aws:ecs/taskDefinition:TaskDefinition", "prometheus-task"));
    const targets = containers
      .find((c) => c.name === "cloud-map-discovery")
      ?.environment?.find((e) => e.name === "TARGETS")?.value;
    expect(targets?.split("\n")).toEqual([
      "test.showcase.internal app 9464 /etc/prometheus/discovery/showcase-api.json",
      "test.showcase.internal orders 9100 /etc/prometheus/discovery/orders.json",
      "test.showcase.internal billing 9100 /etc/prometheus/discovery/billing.json",
    ]);
    const yml = Object.entries(delivered(r)).find(([key]) => key.endsWith("/prometheus.yml"))?.[1] ?? "";
    const config = parse(yml) as {
      scrape_configs: { job_name: string; file_sd_configs?: { files: string[] }[] }[];
    };
    const jobs = Object.fromEntries(
      config.scrape_configs.map((j) => [j.job_name, j.file_sd_configs?.flatMap((f) => f.files)]),
    );
    expect(jobs["orders"]).toEqual(["/etc/prometheus/discovery/orders.json"]);
    expect(jobs["billing"]).toEqual(["/etc/prometheus/discovery/billing.json"]);
    expect(jobs["ecs-exporter"]).toEqual([
      "/etc/prometheus/discovery/showcase-api.json",
      "/etc/prometheus/discovery/orders.json",
      "/etc/prometheus/discovery/billing.json",
    ]);
    expect(
      ingressRules(r.resources)
        .filter((rule) => rule.securityGroupId === "sg-orders")
        .map((rule) => rule.port),
    ).toEqual([9100, 9779]);
  });
});
