// Each policy of the pack catches a deliberate defect in the dev stack's real resource set, with the
// text the CLI prints under the policy's line (its description, then the violation). Resource
// policies get the damaged resources (Analyze), stack policies the whole set (AnalyzeStack).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { add, container, copyOf, editContainers, find, ingressRule } from "./changes";
import { images } from "showcase-monitoring";
import {
  type ConfigFile,
  type PolicyInfo,
  PolicyPackProcess,
  readConfigFile,
  reconcileConfig,
  type Violation,
} from "./policy-engine";
import { collectResourceSet, type ResourceSet, type StackResource } from "./resource-set";

let pack: PolicyPackProcess;
let policies: PolicyInfo[];
let dev: ResourceSet;
const fileConfig = readConfigFile();

beforeAll(async () => {
  vi.resetModules();
  [pack, dev] = await Promise.all([PolicyPackProcess.start(), collectResourceSet("dev")]);
  policies = (await pack.info()).policies;
  await pack.configure(reconcileConfig(policies, fileConfig));
});
afterAll(async () => {
  await pack.stop();
});

async function withConfig(file: ConfigFile, run: () => Promise<void>): Promise<void> {
  await pack.configure(reconcileConfig(policies, file));
  try {
    await run();
  } finally {
    await pack.configure(reconcileConfig(policies, fileConfig));
  }
}

interface Seen {
  policy: string;
  level: string;
  resource: string;
  message: string;
}

async function violations(set: ResourceSet, analyzed: StackResource[]): Promise<Seen[]> {
  const found: Violation[] = await pack.analyze(set, analyzed);
  return found.map((v) => ({
    policy: v.policyName,
    level: v.enforcementLevel,
    resource: v.urn.split("::").pop() ?? "",
    message: v.message,
  }));
}

/** What the CLI shows for `policy` on `resource`: the policy's description, then `line`. */
function seen(policy: string, resource: string, line: string, level = "mandatory"): Seen {
  const description = policies.find((p) => p.name === policy)?.description;
  if (description === undefined) throw new Error(`the pack has no policy ${policy}`);
  return { policy, level, resource, message: `${description}\n${line}` };
}

/** How the engine sends a value that is not known during a preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const tags = (component: string) => ({ project: "showcase-monitoring", stack: "dev", component });

describe("no-ingress-from-anywhere and service-ports-from-clients-only", () => {
  it("catch a task port opened to the internet", async () => {
    const set = copyOf(dev);
    const rule = ingressRule(
      set,
      "app-from-anywhere",
      find(set, "SecurityGroup", "app-tasks"),
      3000,
      "0.0.0.0/0",
      tags("app"),
    );
    expect(await violations(set, [rule])).toEqual([
      seen(
        "no-ingress-from-anywhere",
        "app-from-anywhere",
        "app-from-anywhere opens port 3000 of security group app-tasks (component app) to 0.0.0.0/0, but app-tasks belongs to no load balancer: only load balancers may accept traffic from anywhere.",
      ),
      seen(
        "service-ports-from-clients-only",
        "app-from-anywhere",
        "app-from-anywhere lets CIDR 0.0.0.0/0 reach port 3000 (the app and Grafana) of security group app-tasks (component app); its clients are: load-balancer.",
      ),
    ]);
  });

  it("catch a load balancer open to the internet beyond 80/443", async () => {
    const set = copyOf(dev);
    const rule = ingressRule(
      set,
      "app-alb-8080",
      find(set, "SecurityGroup", "app-alb"),
      8080,
      "::/0",
      tags("app"),
    );
    expect(await violations(set, [rule])).toEqual([
      seen(
        "no-ingress-from-anywhere",
        "app-alb-8080",
        "app-alb-8080 opens port 8080 of load balancer security group app-alb (component app) to ::/0; load balancers may accept traffic from anywhere on 80, 443 only.",
      ),
    ]);
  });

  it("catch Prometheus opened to a component and a CIDR that are not its clients, and accept the configured CIDR", async () => {
    const set = copyOf(dev);
    const prometheus = find(set, "SecurityGroup", "prometheus-tasks");
    const rules = [
      ingressRule(
        set,
        "app-to-prometheus",
        prometheus,
        9090,
        find(set, "SecurityGroup", "app-tasks"),
        tags("app"),
      ),
      ingressRule(set, "lab-to-prometheus", prometheus, 9090, "172.16.0.0/12", tags("prometheus")),
      ingressRule(set, "vpn-to-prometheus", prometheus, 9090, "10.100.0.0/16", tags("prometheus")),
    ];
    const clients = "its clients are: grafana, CIDR 10.100.0.0/16.";
    expect(await violations(set, rules)).toEqual([
      seen(
        "service-ports-from-clients-only",
        "app-to-prometheus",
        `app-to-prometheus lets security group app-tasks (component app) reach port 9090 (Prometheus) of security group prometheus-tasks (component prometheus); ${clients}`,
      ),
      seen(
        "service-ports-from-clients-only",
        "lab-to-prometheus",
        `lab-to-prometheus lets CIDR 172.16.0.0/12 reach port 9090 (Prometheus) of security group prometheus-tasks (component prometheus); ${clients}`,
      ),
    ]);
  });
});

describe("storage", () => {
  it("efs-encrypted catches an unencrypted file system and a mount without TLS", async () => {
    const set = copyOf(dev);
    const fileSystem = find(set, "FileSystem", "prometheus-efs");
    fileSystem.props["encrypted"] = false;
    const task = find(set, "TaskDefinition", "prometheus-task");
    const volumes = task.props["volumes"] as { efsVolumeConfiguration?: { transitEncryption: string } }[];
    for (const volume of volumes)
      if (volume.efsVolumeConfiguration) volume.efsVolumeConfiguration.transitEncryption = "DISABLED";
    expect(await violations(set, [fileSystem, task])).toEqual([
      seen(
        "efs-encrypted",
        "prometheus-efs",
        "EFS file system prometheus-efs is not encrypted at rest (encrypted is not true).",
      ),
      seen(
        "efs-encrypted",
        "prometheus-task",
        "Task definition prometheus-task mounts EFS volume data without encryption in transit (transitEncryption is not ENABLED).",
      ),
    ]);
  });

  it("rds-encrypted catches unencrypted storage", async () => {
    const set = copyOf(dev);
    const db = find(set, "Instance", "app-db");
    db.props["storageEncrypted"] = false;
    expect(await violations(set, [db])).toEqual([
      seen(
        "rds-encrypted",
        "app-db",
        "Database app-db does not encrypt its storage (storageEncrypted is not true).",
      ),
    ]);
  });

  it("rds-private catches a public endpoint", async () => {
    const set = copyOf(dev);
    const db = find(set, "Instance", "app-db");
    db.props["publiclyAccessible"] = true;
    expect(await violations(set, [db])).toEqual([
      seen("rds-private", "app-db", "Database app-db is publicly accessible (publiclyAccessible is true)."),
    ]);
  });

  it("s3-encrypted holds buckets and objects to the configured algorithms, S3's default included", async () => {
    const set = copyOf(dev);
    const prometheusBucket = find(set, "Bucket", "prometheus-config");
    add(
      set,
      {
        type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        name: "prometheus-config-sse",
        props: {
          bucket: "prometheus-config-bucket",
          rules: [
            {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/state" },
            },
          ],
        },
      },
      { bucket: [prometheusBucket] },
    );
    const objects = set.resources.filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2");
    expect(objects.length).toBeGreaterThanOrEqual(7);
    await withConfig({ ...fileConfig, "s3-encrypted": { algorithms: ["aws:kms"] } }, async () => {
      expect(await violations(set, [])).toEqual([
        seen(
          "s3-encrypted",
          "alertmanager-config",
          "Bucket alertmanager-config is encrypted by default with AES256 (S3's default: it has no encryption configuration), which is not allowed (allowed: aws:kms).",
        ),
        ...objects.map((o) =>
          seen(
            "s3-encrypted",
            o.name,
            `Object ${o.name} is written with serverSideEncryption AES256, which is not allowed (allowed: aws:kms).`,
          ),
        ),
      ]);
    });
  });
});

describe("listeners", () => {
  const allowed = () =>
    (
      policies.find((p) => p.name === "https-listener-tls-policy")?.configSchema?.properties["sslPolicies"]?.[
        "default"
      ] as string[]
    ).join(", ");

  it("https-listener-tls-policy catches an old policy and a missing one", async () => {
    const set = copyOf(dev);
    const app = find(set, "Listener", "app-https");
    app.props["sslPolicy"] = "ELBSecurityPolicy-TLS-1-1-2017-01";
    const grafana = find(set, "Listener", "grafana-https");
    delete grafana.props["sslPolicy"];
    expect(await violations(set, [app, grafana])).toEqual([
      seen(
        "https-listener-tls-policy",
        "app-https",
        `Listener app-https (HTTPS 443) uses ELBSecurityPolicy-TLS-1-1-2017-01; allowed: ${allowed()}.`,
      ),
      seen(
        "https-listener-tls-policy",
        "grafana-https",
        `Listener grafana-https (HTTPS 443) uses no sslPolicy, so ELB applies ELBSecurityPolicy-2016-08, which still accepts TLS 1.0; allowed: ${allowed()}.`,
      ),
    ]);
  });

  it("http-redirects-to-https catches an HTTP listener that forwards", async () => {
    const set = copyOf(dev);
    const http = find(set, "Listener", "app-http");
    http.props["defaultActions"] = [
      { type: "forward", targetGroupArn: "arn:aws:lb:us-east-1:123456789012:app-tg" },
    ];
    expect(await violations(set, [http])).toEqual([
      seen(
        "http-redirects-to-https",
        "app-http",
        "Listener app-http (HTTP 80) serves plain HTTP (default actions: forward) instead of redirecting to HTTPS.",
      ),
    ]);
  });
});

describe("TLS inside the VPC", () => {
  it("no-plain-http-inside-vpc catches a target group and containers that serve plain HTTP", async () => {
    const set = copyOf(dev);
    const group = find(set, "TargetGroup", "grafana-tg");
    group.props["protocol"] = "HTTP";
    group.props["healthCheck"] = { ...(group.props["healthCheck"] as object), protocol: "HTTP" };
    const prometheus = editContainers(set, "prometheus-task", (cs) => {
      const server = container(cs, "prometheus");
      server.command = server.command?.filter((arg) => !arg.startsWith("--web.config.file="));
    });
    const grafana = editContainers(set, "grafana-task", (cs) => {
      const server = container(cs, "grafana");
      server.environment = server.environment?.filter((e) => e.name !== "GF_SERVER_PROTOCOL");
    });
    let appImage = "";
    const app = editContainers(set, "app-task", (cs) => {
      const server = container(cs, "app");
      appImage = server.image;
      server.environment = server.environment?.filter((e) => e.name !== "TLS_CERT_FILE");
    });
    expect(await violations(set, [group, prometheus, grafana, app])).toEqual([
      seen(
        "no-plain-http-inside-vpc",
        "grafana-tg",
        "Target group grafana-tg forwards plain HTTP to its targets; set protocol HTTPS.",
      ),
      seen(
        "no-plain-http-inside-vpc",
        "grafana-tg",
        "Target group grafana-tg health-checks over plain HTTP; set healthCheck.protocol HTTPS.",
      ),
      seen(
        "no-plain-http-inside-vpc",
        "prometheus-task",
        `Task definition prometheus-task, container prometheus (${images.prometheus}) listens on 9090 without TLS: no --web.config.file, GF_SERVER_PROTOCOL=https or TLS_CERT_FILE.`,
      ),
      seen(
        "no-plain-http-inside-vpc",
        "grafana-task",
        `Task definition grafana-task, container grafana (${images.grafana}) listens on 3000 without TLS: no --web.config.file, GF_SERVER_PROTOCOL=https or TLS_CERT_FILE.`,
      ),
      seen(
        "no-plain-http-inside-vpc",
        "app-task",
        `Task definition app-task, container app (${appImage}) listens on 3000, 9464 without TLS: no --web.config.file, GF_SERVER_PROTOCOL=https or TLS_CERT_FILE.`,
      ),
    ]);
    // A container named in `exempt` may stay plain.
    await withConfig(
      { ...fileConfig, "no-plain-http-inside-vpc": { exempt: { prometheus: "a test" } } },
      async () => {
        expect((await violations(set, [prometheus])).map((v) => v.resource)).toEqual([]);
      },
    );
  });
});

describe("tasks", () => {
  it("no-secrets-in-task-environment catches secrets by name and by value, and never prints them", async () => {
    const set = copyOf(dev);
    const secrets = ["hunter2-grafana", "s3cr3t-db", "t0ken-not-a-path"];
    const grafana = editContainers(set, "grafana-task", (cs) =>
      container(cs, "grafana").environment?.push({ name: "GF_DATABASE_PASSWORD", value: secrets[0] ?? "" }),
    );
    const app = editContainers(set, "app-task", (cs) =>
      container(cs, "app").environment?.push({
        name: "DATABASE_URL",
        value: `postgres://showcase:${secrets[1] ?? ""}@db.internal:5432/showcase`,
      }),
    );
    // A `*_FILE` variable is a path only when it holds one: the token itself is caught.
    editContainers(set, "app-task", (cs) => {
      const file = container(cs, "app").environment?.find((e) => e.name === "METRICS_BEARER_TOKEN_FILE");
      if (file === undefined) throw new Error("the app has no METRICS_BEARER_TOKEN_FILE");
      file.value = secrets[2] ?? "";
    });
    const found = await violations(set, [grafana, app]);
    expect(found).toEqual([
      seen(
        "no-secrets-in-task-environment",
        "grafana-task",
        "Task definition grafana-task, container grafana: environment variable GF_DATABASE_PASSWORD is plain text in the task definition (its name says it holds a secret); pass it through `secrets`.",
      ),
      seen(
        "no-secrets-in-task-environment",
        "app-task",
        "Task definition app-task, container app: environment variable METRICS_BEARER_TOKEN_FILE is plain text in the task definition (its name says it holds a secret); pass it through `secrets`.",
      ),
      seen(
        "no-secrets-in-task-environment",
        "app-task",
        "Task definition app-task, container app: environment variable DATABASE_URL is plain text in the task definition (a URL with a password); pass it through `secrets`.",
      ),
    ]);
    for (const secret of secrets) expect(JSON.stringify(found)).not.toContain(secret);
  });

  it("images-pinned catches latest and untagged images, and digests only when configured", async () => {
    const set = copyOf(dev);
    const prometheus = editContainers(set, "prometheus-task", (cs) => {
      container(cs, "prometheus").image = "prom/prometheus:latest";
      container(cs, "config-init").image = "public.ecr.aws/aws-cli/aws-cli";
    });
    expect(await violations(set, [prometheus])).toEqual([
      seen(
        "images-pinned",
        "prometheus-task",
        'Task definition prometheus-task, container config-init: image "public.ecr.aws/aws-cli/aws-cli" is not pinned: it has no tag, so it runs whatever `latest` is when the task starts.',
      ),
      seen(
        "images-pinned",
        "prometheus-task",
        'Task definition prometheus-task, container prometheus: image "prom/prometheus:latest" is not pinned: its tag "latest" is not a release (a tag must match ^v?[0-9]+\\.[0-9]+\\.[0-9]+([-+._][0-9A-Za-z.-]+)?$).',
      ),
    ]);
    const tasks = dev.resources.filter((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition");
    await withConfig({ ...fileConfig, "images-pinned": { requireDigest: true } }, async () => {
      const tagged = (await violations(dev, tasks)).map((v) => v.message.split("\n")[1]);
      expect(tagged).toContain(
        `Task definition grafana-task, container grafana: image "${images.grafana}" is not pinned: it has no digest (requireDigest is on).`,
      );
      expect(tagged.some((line) => line?.includes("container app:"))).toBe(false);
      expect(tagged.length).toBe(9);
    });
  });

  it("grafana-no-anonymous-or-sign-up catches anonymous access on and sign-up left to defaults", async () => {
    const set = copyOf(dev);
    const task = editContainers(set, "grafana-task", (cs) => {
      const grafana = container(cs, "grafana");
      grafana.environment = (grafana.environment ?? [])
        .filter((e) => e.name !== "GF_USERS_ALLOW_SIGN_UP")
        .map((e) => (e.name === "GF_AUTH_ANONYMOUS_ENABLED" ? { ...e, value: "true" } : e));
    });
    expect(await violations(set, [task])).toEqual([
      seen(
        "grafana-no-anonymous-or-sign-up",
        "grafana-task",
        `Task definition grafana-task, container grafana (${images.grafana}): anonymous access is on (GF_AUTH_ANONYMOUS_ENABLED=true); set GF_AUTH_ANONYMOUS_ENABLED="false".`,
      ),
      seen(
        "grafana-no-anonymous-or-sign-up",
        "grafana-task",
        `Task definition grafana-task, container grafana (${images.grafana}): sign-up is not switched off explicitly (GF_USERS_ALLOW_SIGN_UP is unset); set GF_USERS_ALLOW_SIGN_UP="false".`,
      ),
    ]);
  });

  it("no-public-ip-on-tasks catches a service with public IPs", async () => {
    const set = copyOf(dev);
    const service = find(set, "aws:ecs/service:Service", "app-service");
    (service.props["networkConfiguration"] as Record<string, unknown>)["assignPublicIp"] = true;
    expect(await violations(set, [service])).toEqual([
      seen(
        "no-public-ip-on-tasks",
        "app-service",
        "ECS service app-service gives its tasks a public IP (assignPublicIp is true).",
      ),
    ]);
  });
});

describe("tags and logs", () => {
  it("tags-present catches a missing and a wrong tag, and skips resources that take no tags; the policies that read the component tag then flag the group's rules", async () => {
    const set = copyOf(dev);
    const tasks = find(set, "SecurityGroup", "app-tasks");
    delete (tasks.props["tags"] as Record<string, unknown>)["component"];
    const db = find(set, "SecurityGroup", "app-db");
    (db.props["tags"] as Record<string, unknown>)["stack"] = "prod";
    const mountTarget = find(set, "MountTarget", "grafana-efs-0");
    expect(mountTarget.props["tags"]).toBeUndefined();
    // Stack-level violations come in the order the resources were registered: compare as sets.
    const byResource = (a: Seen, b: Seen) =>
      `${a.policy} ${a.resource}`.localeCompare(`${b.policy} ${b.resource}`);
    expect((await violations(set, [tasks, db, mountTarget])).sort(byResource)).toEqual(
      [
        seen("tags-present", "app-tasks", "app-tasks lacks the tag component."),
        seen("tags-present", "app-db", "app-db has tag stack=prod, but belongs to stack dev."),
        seen(
          "service-ports-from-clients-only",
          "app-from-alb",
          "app-from-alb lets security group app-alb (component app) reach port 3000 (the app and Grafana) of security group app-tasks; its clients are: load-balancer.",
        ),
        seen(
          "service-ports-from-clients-only",
          "app-db-from-tasks",
          "app-db-from-tasks lets security group app-tasks reach port 5432 (PostgreSQL) of security group app-db (component app); its clients are: app.",
        ),
      ].sort(byResource),
    );
  });

  it("log-retention-set catches unlimited and too long retention", async () => {
    const set = copyOf(dev);
    const app = find(set, "LogGroup", "app-logs");
    delete app.props["retentionInDays"];
    const prometheus = find(set, "LogGroup", "prometheus-logs");
    prometheus.props["retentionInDays"] = 3653;
    expect(await violations(set, [app, prometheus])).toEqual([
      seen(
        "log-retention-set",
        "app-logs",
        "Log group app-logs keeps its logs forever (retentionInDays is not set).",
      ),
      seen(
        "log-retention-set",
        "prometheus-logs",
        "Log group prometheus-logs keeps its logs 3653 days; allowed: 7 to 400 days.",
      ),
    ]);
  });
});

describe("monitoring coverage (stack policies on the whole resource set)", () => {
  const prometheusYml = (set: ResourceSet) => find(set, "BucketObjectv2", "prometheus-config-prometheus.yml");
  const key = () => String(prometheusYml(dev).props["key"]);

  it("ecs-services-scraped reports Grafana once its exemption is gone", async () => {
    await withConfig({}, async () => {
      expect(await violations(dev, [])).toEqual([
        seen(
          "ecs-services-scraped",
          "grafana-service",
          `ECS service grafana-service (component grafana) answers at grafana.dev.showcase.internal, which no Prometheus configuration scrapes (${key()}).`,
        ),
      ]);
    });
  });

  it("ecs-services-scraped catches a service nobody discovers and one outside Cloud Map", async () => {
    const set = copyOf(dev);
    // Prometheus's discovery sidecar asks Cloud Map about another service than the app's.
    editContainers(set, "prometheus-task", (containers) => {
      const targets = container(containers, "cloud-map-discovery").environment?.find(
        (e) => e.name === "TARGETS",
      );
      if (targets === undefined) throw new Error("the discovery container names no TARGETS");
      targets.value = targets.value.replace(/^(\S+) app /, "$1 api ");
    });
    const alertmanager = find(set, "aws:ecs/service:Service", "alertmanager-service");
    delete alertmanager.props["serviceRegistries"];
    delete alertmanager.propertyDependencies["serviceRegistries"];
    const level = "advisory";
    expect(await violations(set, [])).toEqual([
      seen(
        "ecs-services-scraped",
        "alertmanager-service",
        "ECS service alertmanager-service (component alertmanager) is not registered in Cloud Map, so Prometheus cannot discover its tasks.",
        level,
      ),
      seen(
        "ecs-services-scraped",
        "app-service",
        `ECS service app-service (component app) answers at app.dev.showcase.internal, which no Prometheus configuration scrapes (${key()}).`,
        level,
      ),
    ]);
  });

  it("alerts-have-runbooks catches a missing and a foreign runbook URL, and a rule file that is not delivered", async () => {
    const set = copyOf(dev);
    const http = find(set, "BucketObjectv2", "prometheus-config-rules-http.rules.yml");
    const lines = String(http.props["content"]).split("\n");
    const first = lines.findIndex((l) => l.includes("runbook_url:"));
    const second = lines.findIndex((l, i) => i > first && l.includes("runbook_url:"));
    const alerts = lines
      .filter((l) => l.trim().startsWith("- alert:"))
      .map((l) => l.split("alert:")[1]?.trim());
    lines[second] = lines[second]?.replace(/https:\/\/\S+/, "http://wiki.example.com/alerts") ?? "";
    lines.splice(first, 1);
    http.props["content"] = lines.join("\n");
    set.resources = set.resources.filter((r) => r.name !== "prometheus-config-rules-slo.rules.yml");
    const pattern = String((fileConfig["alerts-have-runbooks"] as { urlPattern: string }).urlPattern);
    expect(await violations(set, [])).toEqual([
      seen("alerts-have-runbooks", http.name, `Alert ${alerts[0] ?? ""} in ${http.name} has no runbook_url.`),
      seen(
        "alerts-have-runbooks",
        http.name,
        `Alert ${alerts[1] ?? ""} in ${http.name} has runbook_url "http://wiki.example.com/alerts", which does not match ${pattern}.`,
      ),
      seen(
        "alerts-have-runbooks",
        "prometheus-config-prometheus.yml",
        "prometheus-config-prometheus.yml loads /etc/prometheus/config/rules/slo.rules.yml, but the stack delivers no rule file slo.rules.yml.",
      ),
    ]);
  });
});

describe("the pack's configuration", () => {
  it("sets enforcement levels per policy and for all of them", async () => {
    const set = copyOf(dev);
    const service = find(set, "aws:ecs/service:Service", "app-service");
    (service.props["networkConfiguration"] as Record<string, unknown>)["assignPublicIp"] = true;
    await withConfig({ ...fileConfig, all: "advisory" }, async () => {
      expect((await violations(set, [service])).map((v) => `${v.level} ${v.policy}`)).toEqual([
        "advisory no-public-ip-on-tasks",
      ]);
    });
    await withConfig({ ...fileConfig, "no-public-ip-on-tasks": "disabled" }, async () => {
      expect(await violations(set, [service])).toEqual([]);
    });
  });

  it("rejects a value its schema does not allow, naming the policy and the key", () => {
    expect(() => reconcileConfig(policies, { "log-retention-set": { minDays: "seven" } })).toThrow(
      "log-retention-set: /minDays must be integer",
    );
  });

  it("runs the stack policies in a first preview, when ids and computed properties are not known yet", async () => {
    const set = copyOf(dev);
    for (const r of set.resources) {
      // What the engine sends for a resource that is still to be created.
      if (r.type === "aws:ec2/securityGroup:SecurityGroup") r.props["ingress"] = UNKNOWN;
      if (r.type === "aws:s3/bucket:Bucket") r.props["serverSideEncryptionConfiguration"] = UNKNOWN;
      if (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
        r.props["securityGroupId"] = UNKNOWN;
        if ("referencedSecurityGroupId" in r.props) r.props["referencedSecurityGroupId"] = UNKNOWN;
      }
    }
    const rule = ingressRule(
      set,
      "app-from-anywhere",
      find(set, "SecurityGroup", "app-tasks"),
      3000,
      "0.0.0.0/0",
      tags("app"),
    );
    rule.props["securityGroupId"] = UNKNOWN;
    expect((await violations(set, [])).map((v) => `${v.level} ${v.policy} ${v.resource}`)).toEqual([
      "mandatory no-ingress-from-anywhere app-from-anywhere",
      "mandatory service-ports-from-clients-only app-from-anywhere",
    ]);
  });

  it("reports, instead of failing, the policies that cannot run on values unknown during preview", async () => {
    const set = copyOf(dev);
    const task = find(set, "TaskDefinition", "app-task");
    // An output that is not known yet (an image digest before the build) makes the JSON unknown.
    task.props["containerDefinitions"] = UNKNOWN;
    const found = await violations(set, [task]);
    expect(found.map((v) => `${v.level} ${v.policy}: ${v.message.split("\n").pop() ?? ""}`)).toEqual(
      [
        "no-plain-http-inside-vpc",
        "no-secrets-in-task-environment",
        "images-pinned",
        "grafana-no-anonymous-or-sign-up",
      ].map(
        (policy) =>
          `advisory ${policy}: can't run policy '${policy}' from policy pack 'showcase-monitoring@v0.1.0' during preview: string value at .containerDefinitions can't be known during preview`,
      ),
    );
  });
});
