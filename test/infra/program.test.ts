// The whole program (index.ts) under mocks, for the dev and the prod stack files.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type * as Index from "../../index";
import { filesHash } from "../../components/config-files";
import { isPinnedImage, StorageKind } from "showcase-monitoring";
import {
  buildDashboards,
  renderHttpClientConfig,
  renderPrometheusConfig,
  renderRuleFiles,
  renderWebConfig,
} from "showcase-monitoring/monitoring";
import { parseStackConfig, type StackConfig } from "../../stack/config";
import {
  containersOf,
  ingressRules,
  installMocks,
  isSecret,
  mockBcryptHash,
  type Recorder,
  reveal,
  settle,
  untagged,
  valueOf,
} from "./harness";
import { configSource, stackValues, TEST_SECRETS } from "./stack-files";

type Program = typeof Index;

const PRIVATE_SUBNETS = ["subnet-0b1", "subnet-0b2", "subnet-0b3"];
const PUBLIC_SUBNETS = ["subnet-0a1", "subnet-0a2", "subnet-0a3"];

describe.each(["dev", "prod"] as const)("the %s stack", (stack) => {
  let r: Recorder;
  let program: Program;
  let config: StackConfig;
  const values = stackValues(stack);

  beforeAll(async () => {
    vi.resetModules();
    config = parseStackConfig(configSource(values, stack));
    r = await installMocks({ stack, config: values.config, secretKeys: values.secretKeys });
    program = await import("../../index");
    await settle(r);
  });

  it("composes a network, a cluster with Container Insights, the internal CA and the four components", () => {
    expect(r.one("awsx:ec2:Vpc", `showcase-monitoring-${stack}`).inputs).toMatchObject({
      cidrBlock: config.network.kind === "new" ? config.network.cidr : "",
      enableDnsHostnames: true,
    });
    expect(r.one("aws:ecs/cluster:Cluster", `showcase-monitoring-${stack}`).inputs).toMatchObject({
      settings: [{ name: "containerInsights", value: "enabled" }],
    });
    const components = r.resources.filter((res) => res.type.startsWith("showcase-monitoring:index:"));
    expect(components.map((c) => `${c.type} ${c.name}`).sort()).toEqual([
      "showcase-monitoring:index:AlertingRules alertmanager",
      "showcase-monitoring:index:AppService app",
      "showcase-monitoring:index:GrafanaContent grafana",
      "showcase-monitoring:index:GrafanaServer grafana",
      `showcase-monitoring:index:InternalCertificateAuthority showcase-monitoring-${stack}`,
      "showcase-monitoring:index:PrometheusServer prometheus",
    ]);
  });

  it("exports the app and Grafana URLs, dashboard URLs and the internal addresses", async () => {
    expect(await valueOf(program.appUrl)).toBe(`https://api.${config.domain}`);
    expect(await valueOf(program.grafanaUrl)).toBe(`https://grafana.${config.domain}`);
    const urls = await Promise.all(Object.values(program.dashboardUrls).map(valueOf));
    expect(urls).toEqual(buildDashboards({}).map((d) => `https://grafana.${config.domain}/d/${d.uid}`));
    expect(await valueOf(program.prometheusUrl)).toBe(`https://prometheus.${stack}.showcase.internal:9090`);
    expect(await valueOf(program.alertmanagerUrl)).toBe(
      `https://alertmanager.${stack}.showcase.internal:9093`,
    );
  });

  it("runs only pinned images", () => {
    const images = r
      .ofType("aws:ecs/taskDefinition:TaskDefinition")
      .flatMap((t) => containersOf(t).map((c) => c.image));
    expect(images.length).toBeGreaterThanOrEqual(7);
    expect(images.filter((image) => !isPinnedImage(image))).toEqual([]);
  });

  it("opens exactly these ports: 80/443 to the load balancers, every other port to its clients only", () => {
    const rules = ingressRules(r.resources).map(
      (rule) => `${rule.securityGroupId}:${rule.port} <- ${rule.from}`,
    );
    const world = (sg: string, cidrs: string[], ports: number[]) =>
      ports.flatMap((port) => cidrs.map((cidr) => `${sg}:${port} <- ${cidr}`));
    const expected = [
      ...world("app-alb-id", config.app.allowedCidrs, [80, 443]),
      "app-tasks-id:3000 <- app-alb-id",
      "app-tasks-id:9464 <- prometheus-tasks-id",
      ...(config.app.ecsExporter ? ["app-tasks-id:9779 <- prometheus-tasks-id"] : []),
      "app-db-id:5432 <- app-tasks-id",
      "alertmanager-tasks-id:9093 <- prometheus-tasks-id",
      "alertmanager-tasks-id:9093 <- grafana-tasks-id",
      ...config.prometheus.allowedCidrs.map((cidr) => `prometheus-tasks-id:9090 <- ${cidr}`),
      ...(config.prometheus.storage.kind === StorageKind.Efs
        ? ["prometheus-tasks-id:9090 <- grafana-tasks-id", "prometheus-efs-id:2049 <- prometheus-tasks-id"]
        : []),
      ...world("grafana-alb-id", config.grafana.allowedCidrs, [80, 443]),
      "grafana-tasks-id:3000 <- grafana-alb-id",
      "grafana-efs-id:2049 <- grafana-tasks-id",
    ];
    expect(rules.sort()).toEqual(expected.sort());
    for (const group of r.ofType("aws:ec2/securityGroup:SecurityGroup")) {
      expect(group.inputs["ingress"], group.name).toBeUndefined();
    }
  });

  it("encrypts EFS and RDS, and keeps RDS private", () => {
    const fileSystems = r.ofType("aws:efs/fileSystem:FileSystem");
    expect(fileSystems.length).toBe(config.prometheus.storage.kind === StorageKind.Efs ? 2 : 1);
    for (const fs of fileSystems) expect(fs.inputs["encrypted"]).toBe(true);
    const [db] = r.ofType("aws:rds/instance:Instance");
    expect(db?.inputs).toMatchObject({
      storageEncrypted: true,
      publiclyAccessible: false,
      manageMasterUserPassword: true,
    });
  });

  it("keeps every secret a Pulumi secret and out of every container environment", () => {
    const versions = r.ofType("aws:secretsmanager/secretVersion:SecretVersion");
    expect(versions.length).toBeGreaterThanOrEqual(3);
    for (const version of versions) expect(isSecret(version.inputs["secretString"]), version.name).toBe(true);
    const secretValues = [
      ...Object.values(TEST_SECRETS),
      ...r.ofType("random:index/randomPassword:RandomPassword").map((p) => `generated-${p.name}`),
    ];
    for (const task of r.ofType("aws:ecs/taskDefinition:TaskDefinition")) {
      expect(isSecret(task.inputs["containerDefinitions"]), task.name).toBe(false);
      for (const value of secretValues)
        expect(String(task.inputs["containerDefinitions"])).not.toContain(value);
      for (const container of containersOf(task)) {
        const environment = container.environment ?? [];
        // `*_FILE` variables name where a secret file is: a path, never the secret.
        for (const file of environment.filter((e) => e.name.endsWith("_FILE"))) {
          expect(file.value, file.name).toMatch(/^\/[\w./-]+$/);
        }
        const names = environment.map((e) => e.name).filter((n) => !n.endsWith("_FILE"));
        expect(names.filter((n) => /PASSWORD|SECRET|TOKEN|ROUTING_KEY|WEBHOOK|DATABASE_URL/.test(n))).toEqual(
          [],
        );
      }
    }
    for (const object of r.ofType("aws:s3/bucketObjectv2:BucketObjectv2")) {
      for (const value of secretValues) expect(String(object.inputs["content"])).not.toContain(value);
    }
  });

  it("runs every task in the private subnets without a public IP, load balancers in the public ones", () => {
    const services = r.ofType("aws:ecs/service:Service");
    expect(services).toHaveLength(4);
    for (const service of services) {
      expect(service.inputs["networkConfiguration"], service.name).toMatchObject({
        assignPublicIp: false,
        subnets: PRIVATE_SUBNETS.slice(
          0,
          config.network.kind === "new" ? config.network.availabilityZones : 0,
        ),
      });
    }
    for (const lb of r.ofType("aws:lb/loadBalancer:LoadBalancer")) {
      expect(lb.inputs["subnets"]).toEqual(
        PUBLIC_SUBNETS.slice(0, (lb.inputs["subnets"] as string[]).length),
      );
    }
  });

  it("delivers exactly the generators' prometheus.yml and rule files to the Prometheus task", () => {
    const rules = renderRuleFiles({
      environment: config.environment,
      thresholds: config.alertThresholds,
      slo: config.slo,
      runbookBaseUrl: config.runbookBaseUrl,
    });
    const ruleNames = Object.keys(rules).sort();
    const amp = config.prometheus.storage.kind === StorageKind.Amp;
    // Every client over HTTPS, verified against the internal CA, with its credential file.
    const dir = "/etc/prometheus/config";
    const caFile = `${dir}/tls/ca.crt`;
    const selfLogin = { username: "self", passwordFile: `${dir}/secrets/self.password` };
    const prometheusYml = renderPrometheusConfig({
      environment: config.environment,
      scrapeInterval: config.prometheus.scrapeInterval,
      evaluationInterval: config.prometheus.evaluationInterval,
      app: { kind: "file", files: ["/etc/prometheus/discovery/showcase-api.json"] },
      prometheusTarget: "localhost:9090",
      alertmanagerTargets: [`alertmanager.${stack}.showcase.internal:9093`],
      ruleFiles: ruleNames.map((name) => `${dir}/rules/${name}`),
      appTls: {
        caFile,
        serverName: `app.${stack}.showcase.internal`,
        bearerTokenFile: `${dir}/secrets/showcase-api-metrics-token`,
      },
      ...(config.app.ecsExporter
        ? {
            ecsExporterPort: 9779,
            ecsExporterTls: {
              caFile,
              serverName: `app.${stack}.showcase.internal`,
              basicAuth: {
                username: "prometheus",
                passwordFile: `${dir}/secrets/showcase-api-ecs-exporter.password`,
              },
            },
          }
        : {}),
      prometheusTls: { caFile, basicAuth: selfLogin },
      alertmanagerTls: {
        caFile,
        basicAuth: { username: "prometheus", passwordFile: `${dir}/secrets/alertmanager.password` },
      },
      ...(amp
        ? {
            remoteWrite: {
              url: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-prometheus-workspace/api/v1/remote_write",
              region: "us-east-1",
            },
          }
        : {}),
    });
    const files: Record<string, string> = {
      "prometheus.yml": prometheusYml,
      // Hashes only: the passwords reach the task as secret files.
      "web.yml": renderWebConfig(
        {
          tls: { certFile: `${dir}/tls/tls.crt`, keyFile: `${dir}/tls/tls.key` },
          users: {
            self: mockBcryptHash("prometheus-self-password"),
            grafana: mockBcryptHash("prometheus-grafana-password"),
          },
        },
        "Prometheus",
      ),
      "health-check-http.yml": renderHttpClientConfig(
        { caFile, basicAuth: selfLogin },
        "the health check of Prometheus",
      ),
    };
    for (const name of ruleNames) files[`rules/${name}`] = rules[name] ?? "";
    const hash = filesHash(files);
    const delivered = r
      .ofType("aws:s3/bucketObjectv2:BucketObjectv2")
      .filter((o) => o.name.startsWith("prometheus-"))
      .map((o) => [String(o.inputs["key"]), String(o.inputs["content"])]);
    expect(Object.fromEntries(delivered)).toEqual(
      Object.fromEntries(Object.entries(files).map(([path, content]) => [`${hash}/${path}`, content])),
    );
    const [init] = containersOf(r.one("aws:ecs/taskDefinition:TaskDefinition", "prometheus-task"));
    expect(init?.environment?.[0]?.value).toBe(`s3://prometheus-config-bucket/${hash}/`);
  });

  it("gives Grafana the generated dashboards with the stack's CloudWatch dimensions and the right data sources", () => {
    const expected = buildDashboards({
      thresholds: config.alertThresholds,
      ...(config.prometheus.storage.kind === StorageKind.Amp
        ? { prometheusPlugin: "grafana-amazonprometheus-datasource" }
        : {}),
      aws: {
        region: "us-east-1",
        clusterName: `showcase-monitoring-${stack}-1a2b3c4`,
        serviceName: "app-service-1a2b3c4",
        loadBalancer: "app/app-alb/0123456789abcdef",
        targetGroup: "targetgroup/app-tg/fedcba9876543210",
        dbInstanceId: "app-db-db1",
        ...(config.prometheus.storage.kind === StorageKind.Efs
          ? { prometheusFileSystemId: "prometheus-efs-id" }
          : {}),
        prometheusServiceName: "prometheus-service-1a2b3c4",
      },
    });
    const dashboards = r
      .ofType("grafana:oss/dashboard:Dashboard")
      .map((d) => JSON.parse(String(d.inputs["configJson"])) as unknown);
    expect(dashboards).toEqual(expected);
    const prometheus = r
      .ofType("grafana:oss/dataSource:DataSource")
      .find((d) => d.inputs["uid"] === "prometheus");
    if (config.prometheus.storage.kind === StorageKind.Amp) {
      expect(prometheus?.inputs["url"]).toBe(
        "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-prometheus-workspace/",
      );
      expect(String(prometheus?.inputs["jsonDataEncoded"])).toContain('"sigV4Auth":true');
    } else {
      expect(prometheus?.inputs["url"]).toBe(`https://prometheus.${stack}.showcase.internal:9090`);
    }
    expect(
      r
        .ofType("grafana:oss/dataSource:DataSource")
        .map((d) => d.inputs["uid"])
        .sort(),
    ).toEqual(["alertmanager", "cloudwatch", "prometheus"]);
    expect(JSON.parse(String(prometheus?.inputs["jsonDataEncoded"]))).toMatchObject({
      timeInterval: config.prometheus.scrapeInterval,
    });
  });

  it("alerts on RDS storage and IOPS through Grafana, into the stack's Alertmanager with Grafana's login", () => {
    const group = r.one("grafana:alerting/ruleGroup:RuleGroup", "grafana-alert-rules");
    const rules = group.inputs["rules"] as {
      name: string;
      labels: Record<string, string>;
      datas: { model: string }[];
    }[];
    expect(rules.map((rule) => rule.name)).toEqual(["RdsStorageLow", "RdsIopsSaturated"]);
    for (const rule of rules) {
      expect(rule.labels).toMatchObject({ env: config.environment });
      for (const model of rule.datas.map((q) => JSON.parse(q.model) as Record<string, unknown>)) {
        if (model["namespace"] === undefined) continue;
        expect(model).toMatchObject({
          region: "us-east-1",
          dimensions: { DBInstanceIdentifier: "app-db-db1" },
        });
      }
    }
    const [alertmanager] = reveal(
      r.one("grafana:alerting/contactPoint:ContactPoint", "grafana-alertmanager").inputs["alertmanagers"],
    ) as Record<string, unknown>[];
    expect(alertmanager).toEqual({
      url: `https://alertmanager.${stack}.showcase.internal:9093`,
      basicAuthUser: "grafana",
      basicAuthPassword: "generated-alertmanager-grafana-password",
    });
  });

  it("points every dashboard reference at a data source it creates, of that data source's type", () => {
    const created = new Map(
      r
        .ofType("grafana:oss/dataSource:DataSource")
        .map((d) => [String(d.inputs["uid"]), String(d.inputs["type"])]),
    );
    const seen: string[] = [];
    const visit = (node: unknown, variables: Record<string, string>): void => {
      if (Array.isArray(node)) return node.forEach((n) => visit(n, variables));
      if (typeof node !== "object" || node === null) return;
      const record = node as Record<string, unknown>;
      const ref = record["datasource"] as { type: string; uid: string } | undefined;
      if (ref !== undefined && ref.type !== "grafana") {
        // `${name}` is a data source variable, whose default is the uid the program provisions.
        const uid = /^\$\{(\w+)\}$/.exec(ref.uid)?.[1] ?? ref.uid;
        const resolved = variables[uid] ?? uid;
        expect(created.get(resolved), `${ref.type} ${ref.uid}`).toBe(ref.type);
        seen.push(ref.type);
      }
      Object.values(record).forEach((value) => visit(value, variables));
    };
    for (const d of r.ofType("grafana:oss/dashboard:Dashboard")) {
      const model = JSON.parse(String(d.inputs["configJson"])) as {
        templating: { list: { type: string; name: string; query: string; current: { value: string } }[] };
      };
      const variables: Record<string, string> = {};
      for (const v of model.templating.list.filter((v) => v.type === "datasource")) {
        expect(created.get(v.current.value), `variable ${v.name}`).toBe(v.query);
        variables[v.name] = v.current.value;
      }
      visit(model, variables);
    }
    const amp = config.prometheus.storage.kind === StorageKind.Amp;
    expect(seen).toContain(amp ? "grafana-amazonprometheus-datasource" : "prometheus");
    expect(seen).not.toContain(amp ? "prometheus" : "grafana-amazonprometheus-datasource");
  });

  it("tags everything taggable and parents everything but the platform to a component", () => {
    expect(untagged(r.resources)).toEqual([]);
    const platform = new Set([
      "awsx:ec2:Vpc",
      "aws:ecs/cluster:Cluster",
      "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
    ]);
    const orphans = r.resources.filter(
      (res) =>
        !res.type.startsWith("showcase-monitoring:index:") &&
        !platform.has(res.type) &&
        !res.urn.includes("showcase-monitoring:index:"),
    );
    expect(orphans.map((o) => `${o.type} ${o.name}`)).toEqual([]);
    expect(
      reveal(r.one("aws:ecs/cluster:Cluster", `showcase-monitoring-${stack}`).inputs["tags"]),
    ).toMatchObject({
      component: "platform",
      stack,
      "cost-center": `showcase-${stack}`,
    });
  });
});
