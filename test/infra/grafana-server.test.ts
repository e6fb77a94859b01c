import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { GrafanaServerArgs } from "showcase-monitoring";
import { buildDashboards } from "showcase-monitoring/monitoring";
import { placement, publicSubnetIds } from "./fixtures";
import {
  containersOf,
  ingressRules,
  installMocks,
  isSecret,
  type Recorder,
  reveal,
  settle,
  untagged,
  valueOf,
} from "./harness";

const dimensions = {
  region: "us-east-1",
  clusterName: "test-cluster",
  serviceName: "app-service",
  loadBalancer: "app/app-alb/1",
  targetGroup: "targetgroup/app-tg/2",
};
const https = {
  certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/g",
  hostname: "grafana.example.com",
  hostedZoneId: "Z9",
};

/** Grafana resource name → urns of what it explicitly depends on. */
type Dependencies = Map<string, pulumi.Resource[]>;

async function deploy(
  args: Partial<GrafanaServerArgs>,
): Promise<{ r: Recorder; dependencies: Dependencies }> {
  const recorder = await installMocks({ stack: "test" });
  const { GrafanaServer } = await import("showcase-monitoring");
  const { generatedDashboards } = await import("showcase-monitoring");
  const dependencies: Dependencies = new Map();
  new GrafanaServer(
    "grafana",
    {
      ...placement,
      publicSubnetIds,
      https,
      allowedCidrs: ["203.0.113.0/24"],
      upstreams: [
        { name: "prometheus", securityGroupId: "sg-prometheus", port: 9090 },
        { name: "alertmanager", securityGroupId: "sg-alertmanager", port: 9093 },
      ],
      prometheus: { url: "http://prometheus.test.showcase.internal:9090" },
      alertmanagerUrl: "http://alertmanager.test.showcase.internal:9093",
      cloudwatchRegion: "us-east-1",
      logGroupArns: ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app"],
      dashboards: generatedDashboards({}, dimensions),
      teams: { viewers: ["viewer@example.com"], editors: ["editor@example.com"] },
      ...args,
    },
    {
      // In-process transformations see each child's options: record what Grafana resources wait for.
      transformations: [
        (child) => {
          if (child.type.startsWith("grafana:") || child.type === "pulumi:providers:grafana") {
            dependencies.set(child.name, [child.opts.dependsOn ?? []].flat() as pulumi.Resource[]);
          }
          return undefined;
        },
      ],
    },
  );
  await settle(recorder);
  return { r: recorder, dependencies };
}

describe("GrafanaServer", () => {
  let r: Recorder;
  let dependencies: Dependencies;
  beforeAll(async () => {
    ({ r, dependencies } = await deploy({}));
  });

  it("configures Grafana for HTTPS: root URL, secure cookies, no sign-up, no anonymous access, SQLite WAL", () => {
    const [grafana] = containersOf(r.one("aws:ecs/taskDefinition:TaskDefinition", "grafana-task"));
    const env = Object.fromEntries((grafana?.environment ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      GF_SERVER_ROOT_URL: "https://grafana.example.com/",
      GF_SECURITY_COOKIE_SECURE: "true",
      GF_USERS_ALLOW_SIGN_UP: "false",
      GF_AUTH_ANONYMOUS_ENABLED: "false",
      GF_DATABASE_TYPE: "sqlite3",
      GF_DATABASE_WAL: "true",
      GF_AWS_ALLOWED_AUTH_PROVIDERS: "default",
    });
    expect(grafana?.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
  });

  it("generates the admin password and a stable secret_key into Secrets Manager, given to Grafana as ECS secrets", () => {
    const task = r.one("aws:ecs/taskDefinition:TaskDefinition", "grafana-task");
    const [grafana] = containersOf(task);
    expect(grafana?.secrets).toEqual([
      {
        name: "GF_SECURITY_ADMIN_PASSWORD",
        valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:grafana-admin-password-AbCdEf",
      },
      {
        name: "GF_SECURITY_SECRET_KEY",
        valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:grafana-secret-key-AbCdEf",
      },
    ]);
    expect(isSecret(task.inputs["containerDefinitions"])).toBe(false);
    expect(String(task.inputs["containerDefinitions"])).not.toContain("generated-");
    for (const version of r.ofType("aws:secretsmanager/secretVersion:SecretVersion")) {
      expect(isSecret(version.inputs["secretString"])).toBe(true);
    }
    expect(
      r.one("random:index/randomPassword:RandomPassword", "grafana-admin-password").inputs,
    ).toMatchObject({ length: 32 });
  });

  it("keeps one writer on encrypted EFS owned by Grafana's uid, and waits until it is healthy", () => {
    expect(r.one("aws:ecs/service:Service", "grafana-service").inputs).toMatchObject({
      desiredCount: 1,
      deploymentMinimumHealthyPercent: 0,
      deploymentMaximumPercent: 100,
      waitForSteadyState: true,
      networkConfiguration: { assignPublicIp: false, subnets: placement.privateSubnetIds },
    });
    expect(r.one("aws:efs/fileSystem:FileSystem", "grafana-efs").inputs).toMatchObject({ encrypted: true });
    expect(r.one("aws:efs/accessPoint:AccessPoint", "grafana-efs").inputs).toMatchObject({
      posixUser: { uid: 472 },
    });
    expect(r.one("aws:lb/targetGroup:TargetGroup", "grafana-tg").inputs).toMatchObject({
      healthCheck: { path: "/api/health" },
    });
  });

  it("serves only HTTPS (HTTP redirects) to the allowed CIDRs and opens its upstreams' ports for itself", () => {
    expect(r.one("aws:lb/listener:Listener", "grafana-https").inputs).toMatchObject({
      port: 443,
      certificateArn: https.certificateArn,
    });
    expect(r.one("aws:lb/listener:Listener", "grafana-http").inputs).toMatchObject({
      defaultActions: [{ type: "redirect" }],
    });
    expect(ingressRules(r.resources)).toEqual(
      expect.arrayContaining([
        { name: "grafana-alb-80-0", securityGroupId: "grafana-alb-id", port: 80, from: "203.0.113.0/24" },
        { name: "grafana-alb-443-0", securityGroupId: "grafana-alb-id", port: 443, from: "203.0.113.0/24" },
        {
          name: "grafana-to-prometheus",
          securityGroupId: "sg-prometheus",
          port: 9090,
          from: "grafana-tasks-id",
        },
        {
          name: "grafana-to-alertmanager",
          securityGroupId: "sg-alertmanager",
          port: 9093,
          from: "grafana-tasks-id",
        },
      ]),
    );
    expect(ingressRules(r.resources).some((rule) => rule.from === "0.0.0.0/0")).toBe(false);
  });

  it("points a Grafana provider at its HTTPS URL with the generated admin password, as a secret", () => {
    const provider = r.one("pulumi:providers:grafana", "grafana-provider").inputs;
    expect(provider["url"]).toBe("https://grafana.example.com");
    expect(isSecret(provider["auth"])).toBe(true);
    expect(reveal(provider["auth"])).toBe("admin:generated-grafana-admin-password");
  });

  it("creates the three data sources with the uids the dashboards use", () => {
    const sources = Object.fromEntries(
      r.ofType("grafana:oss/dataSource:DataSource").map((d) => [String(d.inputs["uid"]), d.inputs]),
    );
    expect(Object.keys(sources).sort()).toEqual(["alertmanager", "cloudwatch", "prometheus"]);
    expect(sources["prometheus"]).toMatchObject({
      type: "prometheus",
      url: "http://prometheus.test.showcase.internal:9090",
      isDefault: true,
    });
    expect(JSON.parse(String(sources["prometheus"]?.["jsonDataEncoded"]))).toEqual({
      httpMethod: "POST",
      timeInterval: "15s",
    });
    expect(JSON.parse(String(sources["alertmanager"]?.["jsonDataEncoded"]))).toMatchObject({
      implementation: "prometheus",
    });
    expect(sources["alertmanager"]?.["url"]).toBe("http://alertmanager.test.showcase.internal:9093");
    expect(JSON.parse(String(sources["cloudwatch"]?.["jsonDataEncoded"]))).toEqual({
      authType: "default",
      defaultRegion: "us-east-1",
    });
  });

  it("creates exactly the generated dashboards, with their real CloudWatch dimensions, in the folder", () => {
    const expected = buildDashboards({ aws: dimensions });
    const dashboards = r.ofType("grafana:oss/dashboard:Dashboard");
    expect(dashboards.map((d) => JSON.parse(String(d.inputs["configJson"])) as unknown)).toEqual(expected);
    for (const dashboard of dashboards) expect(dashboard.inputs["folder"]).toBe("showcase");
    expect(r.one("grafana:oss/folder:Folder", "grafana-folder").inputs).toMatchObject({
      uid: "showcase",
      title: "Showcase",
    });
  });

  it("gives the Viewers team view and the Editors team edit on the folder", () => {
    expect(r.one("grafana:oss/team:Team", "grafana-viewers").inputs).toMatchObject({
      name: "Viewers",
      members: ["viewer@example.com"],
    });
    expect(r.one("grafana:oss/team:Team", "grafana-editors").inputs).toMatchObject({
      name: "Editors",
      members: ["editor@example.com"],
    });
    expect(r.one("grafana:oss/folderPermission:FolderPermission", "grafana-folder").inputs).toEqual({
      folderUid: "showcase",
      permissions: [
        { teamId: "grafana-viewers-id", permission: "View" },
        { teamId: "grafana-editors-id", permission: "Edit" },
      ],
    });
  });

  it("makes every Grafana resource wait for the ECS service (steady state) and the DNS record", async () => {
    // The provider waits for both; every Grafana resource goes through that provider.
    const urns = await Promise.all((dependencies.get("grafana-provider") ?? []).map((d) => valueOf(d.urn)));
    expect(urns.some((u) => u.endsWith("aws:ecs/service:Service::grafana-service"))).toBe(true);
    expect(urns.some((u) => u.endsWith("aws:route53/record:Record::grafana-dns"))).toBe(true);
    const inGrafana = r.resources.filter((res) => res.type.startsWith("grafana:"));
    expect(inGrafana.length).toBeGreaterThan(8);
    for (const res of inGrafana) {
      expect(res.provider, res.name).toMatch(/\$pulumi:providers:grafana::grafana-provider::/);
    }
  });

  it("grants CloudWatch read, Logs Insights on the given groups, and no AMP access", () => {
    const read = r.one("aws:iam/rolePolicy:RolePolicy", "grafana-task-read").inputs["policy"];
    const statements = (
      JSON.parse(String(reveal(read))) as { Statement: { Action: string[]; Resource: unknown }[] }
    ).Statement;
    const actions = statements.flatMap((s) => s.Action);
    expect(actions).toContain("cloudwatch:GetMetricData");
    expect(actions.some((a) => a.startsWith("aps:"))).toBe(false);
    expect(actions.some((a) => /Put|Delete|Create/.test(a))).toBe(false);
    expect(statements.find((s) => s.Action.includes("logs:StartQuery"))?.Resource).toEqual([
      "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:*",
    ]);
  });

  it("tags everything taggable", () => {
    expect(untagged(r.resources)).toEqual([]);
  });
});

describe("GrafanaServer with AMP", () => {
  it("queries the workspace with SigV4 through the task role", async () => {
    const { r } = await deploy({
      prometheus: {
        url: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/",
        amp: { region: "us-east-1" },
      },
      ampWorkspaceArn: "arn:aws:aps:us-east-1:123456789012:workspace/ws-1",
    });
    const prometheus = r
      .ofType("grafana:oss/dataSource:DataSource")
      .find((d) => d.inputs["uid"] === "prometheus");
    // The AMP plugin, not SigV4 on the core Prometheus data source (removed in Grafana 13).
    expect(prometheus?.inputs["type"]).toBe("grafana-amazonprometheus-datasource");
    expect(JSON.parse(String(prometheus?.inputs["jsonDataEncoded"]))).toMatchObject({
      sigV4Auth: true,
      sigV4AuthType: "default",
      sigV4Region: "us-east-1",
    });
    const [grafana] = containersOf(r.one("aws:ecs/taskDefinition:TaskDefinition", "grafana-task"));
    expect(grafana?.environment).toContainEqual({
      name: "GF_PLUGINS_PREINSTALL_SYNC",
      value: "grafana-amazonprometheus-datasource@3.2.0",
    });
    const read = String(reveal(r.one("aws:iam/rolePolicy:RolePolicy", "grafana-task-read").inputs["policy"]));
    expect(read).toContain("aps:QueryMetrics");
    expect(read).toContain("arn:aws:aps:us-east-1:123456789012:workspace/ws-1");
  });
});

describe("GrafanaServer with tls", () => {
  it("serves HTTPS to its load balancer with a certificate of the internal CA, written by an init container", async () => {
    const { r } = await deploy({
      tls: {
        caCertPem: "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n",
        caPrivateKeyPem: "ca-key",
      },
    });
    expect(r.one("aws:lb/targetGroup:TargetGroup", "grafana-tg").inputs).toMatchObject({
      protocol: "HTTPS",
      healthCheck: { protocol: "HTTPS", path: "/api/health" },
    });
    expect(r.one("tls:index/certRequest:CertRequest", "grafana-tls-request").inputs).toMatchObject({
      dnsNames: ["grafana.test.showcase.internal"],
    });
    const [init, grafana] = containersOf(r.one("aws:ecs/taskDefinition:TaskDefinition", "grafana-task"));
    expect(init?.name).toBe("config-init");
    expect(init?.secrets?.map((s) => s.name).sort()).toEqual([
      "SECRET_CA_CA_CRT",
      "SECRET_TLS_CA_CRT",
      "SECRET_TLS_TLS_CRT",
      "SECRET_TLS_TLS_KEY",
    ]);
    expect(init?.command?.[0]).toContain("chown 472 /config/tls/tls.key");
    const env = Object.fromEntries((grafana?.environment ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      GF_SERVER_PROTOCOL: "https",
      GF_SERVER_CERT_FILE: "/etc/grafana-files/tls/tls.crt",
      GF_SERVER_CERT_KEY: "/etc/grafana-files/tls/tls.key",
      // The internal CA, alone in its directory, trusted besides the image's public CAs.
      SSL_CERT_DIR: "/etc/grafana-files/ca",
    });
    expect(init?.command?.[0]).toContain("/config/ca/ca.crt");
    expect(grafana?.mountPoints).toContainEqual({
      sourceVolume: "config",
      containerPath: "/etc/grafana-files",
      readOnly: true,
    });
    expect(grafana?.dependsOn).toEqual([{ containerName: "config-init", condition: "SUCCESS" }]);
    expect(
      JSON.stringify(containersOf(r.one("aws:ecs/taskDefinition:TaskDefinition", "grafana-task"))),
    ).not.toContain("PRIVATE KEY");
  });
});
