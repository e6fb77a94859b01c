import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { AppService, AppServiceArgs } from "showcase-monitoring";
import { placement, publicSubnetIds } from "./fixtures";
import {
  containersOf,
  ingressRules,
  installMocks,
  isSecret,
  mockBcryptHash,
  policyOf,
  type Recorder,
  reveal,
  settle,
  subnetCidr,
  untagged,
  valueOf,
} from "./harness";

const ECS = {
  service: "aws:ecs/service:Service",
  task: "aws:ecs/taskDefinition:TaskDefinition",
};

const SERVICE_BUILD = { context: ".", dockerfile: "service/Dockerfile" };

async function deploy(args: Partial<AppServiceArgs>): Promise<Recorder> {
  const recorder = await installMocks({ stack: "test" });
  const { AppService } = await import("showcase-monitoring");
  const image = args.image === undefined ? { build: SERVICE_BUILD } : {};
  new AppService("app", { ...placement, publicSubnetIds, ...image, rds: {}, ...args });
  await settle(recorder);
  return recorder;
}

describe("AppService with its defaults (built image, RDS, HTTP only)", () => {
  let r: Recorder;
  beforeAll(async () => {
    r = await deploy({});
  });

  it("builds service/Dockerfile from the repository root into a scanned ECR repository", () => {
    expect(r.one("awsx:ecr:Image", "app-image").inputs).toMatchObject({
      context: ".",
      dockerfile: "service/Dockerfile",
      platform: "linux/amd64",
    });
    expect(r.one("aws:ecr/repository:Repository", "app-repo").inputs).toMatchObject({
      imageScanningConfiguration: { scanOnPush: true },
    });
    const app = containersOf(r.one(ECS.task, "app-task")).find((c) => c.name === "app");
    expect(app?.image).toMatch(/@sha256:[0-9a-f]{64}$/);
  });

  it("runs the service's contract: ports, drain, proxy trust, TLS to RDS, init process", () => {
    const app = containersOf(r.one(ECS.task, "app-task")).find((c) => c.name === "app");
    expect(Object.fromEntries((app?.environment ?? []).map((e) => [e.name, e.value]))).toEqual({
      PORT: "3000",
      METRICS_PORT: "9464",
      HOST: "0.0.0.0",
      LOG_LEVEL: "info",
      TRUST_PROXY: publicSubnetIds.map(subnetCidr).join(","),
      SHUTDOWN_TIMEOUT_MS: "20000",
      DATABASE_SSL: "verify-full",
      DATABASE_CA_CERT_FILE: "/etc/showcase/rds/ca-bundle.pem",
    });
    expect(app?.stopTimeout).toBe(30);
    expect(app?.linuxParameters?.initProcessEnabled).toBe(true);
    expect(app?.portMappings?.map((p) => p.containerPort)).toEqual([3000, 9464]);
  });

  it("verifies RDS's certificate: the init container fetches RDS's CA bundle before the app starts", () => {
    const [init, app] = containersOf(r.one(ECS.task, "app-task"));
    expect(init?.name).toBe("config-init");
    expect(init?.essential).toBe(false);
    const script = init?.command?.[0] ?? "";
    expect(script).toContain(
      "curl -fsS --retry 3 -o /config/rds/ca-bundle.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
    );
    expect(script).toContain('grep -q "BEGIN CERTIFICATE" /config/rds/ca-bundle.pem');
    expect(app?.dependsOn).toEqual([{ containerName: "config-init", condition: "SUCCESS" }]);
    expect(app?.mountPoints).toEqual([
      { sourceVolume: "config", containerPath: "/etc/showcase", readOnly: true },
    ]);
  });

  it("gives DATABASE_URL and the RDS-managed password only as ECS secrets", () => {
    const app = containersOf(r.one(ECS.task, "app-task")).find((c) => c.name === "app");
    const urlSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-database-url-AbCdEf";
    const rdsSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-app-db-XyZ123";
    expect(app?.secrets).toEqual([
      { name: "DATABASE_URL", valueFrom: urlSecret },
      { name: "DATABASE_PASSWORD", valueFrom: `${rdsSecret}:password::` },
    ]);
    const version = r.one("aws:secretsmanager/secretVersion:SecretVersion", "app-database-url");
    expect(isSecret(version.inputs["secretString"])).toBe(true);
    expect(reveal(version.inputs["secretString"])).toBe(
      "postgres://showcase@app-db.abc.us-east-1.rds.amazonaws.com:5432/showcase",
    );
    // The execution role reads exactly these two secrets.
    const policy = policyOf(r.one("aws:iam/rolePolicy:RolePolicy", "app-execution-secrets"));
    expect(policy.Statement).toEqual([
      { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [urlSecret, rdsSecret] },
    ]);
  });

  it("keeps RDS private, encrypted, with a managed password, reachable from the tasks only", () => {
    expect(r.one("aws:rds/instance:Instance", "app-db").inputs).toMatchObject({
      engine: "postgres",
      storageEncrypted: true,
      publiclyAccessible: false,
      manageMasterUserPassword: true,
      deletionProtection: true,
      vpcSecurityGroupIds: ["app-db-id"],
    });
    expect(r.one("aws:rds/instance:Instance", "app-db").inputs["password"]).toBeUndefined();
    expect(ingressRules(r.resources).filter((rule) => rule.securityGroupId === "app-db-id")).toEqual([
      { name: "app-db-from-tasks", securityGroupId: "app-db-id", port: 5432, from: "app-tasks-id" },
    ]);
  });

  it("opens 80 to the world on the ALB, the app port to the ALB only, and the metrics port to nobody", () => {
    expect(ingressRules(r.resources)).toEqual(
      expect.arrayContaining([
        { name: "app-alb-80-0", securityGroupId: "app-alb-id", port: 80, from: "0.0.0.0/0" },
        { name: "app-from-alb", securityGroupId: "app-tasks-id", port: 3000, from: "app-alb-id" },
      ]),
    );
    expect(ingressRules(r.resources).filter((rule) => rule.securityGroupId === "app-tasks-id")).toHaveLength(
      1,
    );
    expect(
      r.one("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "app-alb-to-targets").inputs,
    ).toMatchObject({ fromPort: 3000, toPort: 3000, referencedSecurityGroupId: "app-tasks-id" });
  });

  it("health-checks /ready and deregisters faster than the stop timeout", () => {
    const tg = r.one("aws:lb/targetGroup:TargetGroup", "app-tg").inputs;
    expect(tg).toMatchObject({
      targetType: "ip",
      port: 3000,
      healthCheck: { path: "/ready", matcher: "200" },
    });
    expect(tg["deregistrationDelay"]).toBeLessThan(30);
    expect(r.one("aws:lb/listener:Listener", "app-http").inputs).toMatchObject({
      port: 80,
      protocol: "HTTP",
      defaultActions: [{ type: "forward" }],
    });
  });

  it("runs private tasks with a circuit breaker, Cloud Map registration and autoscaling within 8", () => {
    const service = r.one(ECS.service, "app-service").inputs;
    expect(service).toMatchObject({
      launchType: "FARGATE",
      desiredCount: 2,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      networkConfiguration: {
        subnets: placement.privateSubnetIds,
        assignPublicIp: false,
        securityGroups: ["app-tasks-id"],
      },
      serviceRegistries: { registryArn: expect.stringContaining("app-discovery") as unknown },
      loadBalancers: [{ containerName: "app", containerPort: 3000 }],
    });
    expect(r.one("aws:servicediscovery/service:Service", "app-discovery").inputs).toMatchObject({
      name: "app",
      dnsConfig: { namespaceId: "ns-test", routingPolicy: "MULTIVALUE", dnsRecords: [{ type: "A" }] },
    });
    expect(r.one("aws:appautoscaling/target:Target", "app-scaling").inputs).toMatchObject({
      minCapacity: 2,
      maxCapacity: 4,
      resourceId: "service/test-cluster/app-service-1a2b3c4",
    });
    expect(r.one("aws:appautoscaling/policy:Policy", "app-scale-on-requests").inputs).toMatchObject({
      targetTrackingScalingPolicyConfiguration: {
        targetValue: 1000,
        predefinedMetricSpecification: {
          predefinedMetricType: "ALBRequestCountPerTarget",
          resourceLabel: "app/app-alb/0123456789abcdef/targetgroup/app-tg/fedcba9876543210",
        },
      },
    });
    expect(r.one("aws:appautoscaling/policy:Policy", "app-scale-on-cpu").inputs).toMatchObject({
      targetTrackingScalingPolicyConfiguration: {
        targetValue: 60,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
      },
    });
  });

  it("adds the ecs_exporter sidecar, not essential, on its own port", () => {
    const exporter = containersOf(r.one(ECS.task, "app-task")).find((c) => c.name === "ecs-exporter");
    expect(exporter).toMatchObject({ essential: false, portMappings: [{ containerPort: 9779 }] });
    expect(exporter?.image).toMatch(/^quay\.io\/prometheuscommunity\/ecs-exporter:v\d/);
  });

  it("tags everything taggable and parents every child to the component", () => {
    expect(untagged(r.resources)).toEqual([]);
    const children = r.resources.filter((res) => res.type !== "showcase-monitoring:index:AppService");
    expect(
      children.filter((c) => !c.urn.includes("showcase-monitoring:index:AppService$")).map((c) => c.name),
    ).toEqual([]);
  });
});

describe("AppService options", () => {
  it("serves HTTPS with the certificate, redirects HTTP and creates the DNS alias", async () => {
    const r = await deploy({
      https: {
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        hostname: "api.example.com",
        hostedZoneId: "Z123",
      },
    });
    expect(r.one("aws:lb/listener:Listener", "app-http").inputs).toMatchObject({
      defaultActions: [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ],
    });
    expect(r.one("aws:lb/listener:Listener", "app-https").inputs).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
      sslPolicy: expect.stringMatching(/^ELBSecurityPolicy-TLS13/) as unknown,
    });
    expect(r.one("aws:route53/record:Record", "app-dns").inputs).toMatchObject({
      name: "api.example.com",
      type: "A",
      zoneId: "Z123",
    });
    const world = ingressRules(r.resources).filter((rule) => rule.from === "0.0.0.0/0");
    expect(world.map((rule) => rule.port).sort()).toEqual([443, 80]);
  });

  it("uses a given image, an external database URL, a given security group, no sidecar", async () => {
    const r = await deploy({
      image: "example/app:1.2.3",
      rds: undefined,
      databaseUrl: "postgres://u:secret-password@db.example.com/app",
      securityGroupId: "sg-byo",
      ecsExporter: false,
      allowedCidrs: ["198.51.100.0/24"],
    });
    expect(r.ofType("awsx:ecr:Image")).toEqual([]);
    expect(r.ofType("aws:rds/instance:Instance")).toEqual([]);
    expect(r.ofType("aws:ec2/securityGroup:SecurityGroup").map((g) => g.name)).toEqual(["app-alb"]);
    const containers = containersOf(r.one(ECS.task, "app-task"));
    expect(containers.map((c) => c.name)).toEqual(["app"]);
    expect(containers[0]?.image).toBe("example/app:1.2.3");
    expect(containers[0]?.secrets?.map((s) => s.name)).toEqual(["DATABASE_URL"]);
    expect(JSON.stringify(containers)).not.toContain("secret-password");
    const version = r.one("aws:secretsmanager/secretVersion:SecretVersion", "app-database-url");
    expect(isSecret(version.inputs["secretString"])).toBe(true);
    expect(ingressRules(r.resources)).toEqual(
      expect.arrayContaining([
        { name: "app-alb-80-0", securityGroupId: "app-alb-id", port: 80, from: "198.51.100.0/24" },
        { name: "app-from-alb", securityGroupId: "sg-byo", port: 3000, from: "app-alb-id" },
      ]),
    );
  });

  it("serves another service: its ports, paths, variables, secrets, policies, sidecar, database name", async () => {
    const ssm = "arn:aws:ssm:us-east-1:123456789012:parameter/orders/api-key";
    const sm = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-token-AbCdEf:token::";
    const r = await deploy({
      image: "registry.example.com/orders:4.2.0",
      containerPort: 8080,
      metricsPort: 9100,
      metricsPath: "/internal/metrics",
      healthCheckPath: "/healthz",
      environment: { FEATURE_X: "on", LOG_LEVEL: "debug" },
      secrets: { API_KEY: ssm, TOKEN: sm },
      taskRolePolicies: { queue: '{"Version":"2012-10-17","Statement":[]}' },
      taskRolePolicyArns: ["arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"],
      sidecars: [
        {
          name: "proxy",
          image: "envoyproxy/envoy:v1.34.1",
          ports: [15000],
          command: ["--log-level", "warn"],
        },
      ],
      rds: { databaseName: "orders", username: "orders_app" },
      stopTimeoutSeconds: 60,
    });
    const containers = containersOf(r.one(ECS.task, "app-task"));
    expect(containers.map((c) => c.name)).toEqual(["config-init", "app", "ecs-exporter", "proxy"]);
    const app = containers[1];
    expect(app?.portMappings?.map((p) => p.containerPort)).toEqual([8080, 9100]);
    expect(Object.fromEntries((app?.environment ?? []).map((e) => [e.name, e.value]))).toMatchObject({
      PORT: "8080",
      METRICS_PORT: "9100",
      FEATURE_X: "on",
      LOG_LEVEL: "debug",
      SHUTDOWN_TIMEOUT_MS: "50000",
    });
    expect(app?.secrets?.map((s) => s.name).sort()).toEqual([
      "API_KEY",
      "DATABASE_PASSWORD",
      "DATABASE_URL",
      "TOKEN",
    ]);
    expect(app?.stopTimeout).toBe(60);
    expect(containers[3]).toMatchObject({
      image: "envoyproxy/envoy:v1.34.1",
      command: ["--log-level", "warn"],
    });
    expect(r.one("aws:lb/targetGroup:TargetGroup", "app-tg").inputs).toMatchObject({
      port: 8080,
      deregistrationDelay: 50,
      healthCheck: { path: "/healthz" },
    });
    expect(r.one("aws:rds/instance:Instance", "app-db").inputs).toMatchObject({
      dbName: "orders",
      username: "orders_app",
    });
    const reads = policyOf(r.one("aws:iam/rolePolicy:RolePolicy", "app-execution-secrets")).Statement;
    expect(reads.find((s) => s.Action.includes("ssm:GetParameters"))?.Resource).toEqual([ssm]);
    expect(reads.find((s) => s.Action.includes("secretsmanager:GetSecretValue"))?.Resource).toContain(
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-token-AbCdEf",
    );
    expect(r.one("aws:iam/rolePolicy:RolePolicy", "app-task-queue").inputs["policy"]).toContain("2012-10-17");
    expect(
      r.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "app-task-managed-0").inputs,
    ).toMatchObject({
      policyArn: "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess",
    });
  });

  it("runs without a database: no DATABASE_* variables, no RDS", async () => {
    const r = await deploy({ image: "example/static:1.0.0", rds: undefined });
    const [app] = containersOf(r.one(ECS.task, "app-task"));
    expect(JSON.stringify(app)).not.toContain("DATABASE_");
    expect(r.ofType("aws:rds/instance:Instance")).toEqual([]);
  });

  it("exposes its principal children", async () => {
    const recorder = await installMocks({ stack: "test" });
    const { AppService } = await import("showcase-monitoring");
    const app = new AppService("exposed", {
      ...placement,
      publicSubnetIds,
      image: "example/app:1.0.0",
      rds: {},
    });
    await settle(recorder);
    expect(await valueOf(app.service.urn)).toMatch(/aws:ecs\/service:Service::exposed-service$/);
    expect(await valueOf(app.taskDefinition.urn)).toMatch(/::exposed-task$/);
    expect(await valueOf(app.targetGroup.urn)).toMatch(/::exposed-tg$/);
    expect(app.listeners).toHaveLength(1);
    expect(app.database).toBeDefined();
    expect(await valueOf(app.discoveryName)).toBe("exposed.test.showcase.internal");
  });

  it("refuses bad arguments with a ResourceError naming the argument", async () => {
    const recorder = await installMocks({ stack: "test" });
    const pulumi = await import("@pulumi/pulumi");
    const { AppService } = await import("showcase-monitoring");
    const base = { ...placement, publicSubnetIds, image: "example/app:1.2.3" };
    const cases: [Partial<AppServiceArgs>, string][] = [
      [
        { maxCount: 1001 },
        "maxCount expected an integer between 1 and 1000 (Cloud Map discovery answers at most 1000 instances), got 1001",
      ],
      [
        { minCount: 3, maxCount: 2 },
        "minCount expected an integer between 1 and 2 (at most maxCount), got 3",
      ],
      [{ rds: {}, databaseUrl: "postgres://x" }, "rds and databaseUrl are exclusive: set at most one"],
      [{ build: SERVICE_BUILD }, "image or build: set exactly one of them"],
      [{ containerPort: 70000 }, "containerPort expected a TCP port (integer 1-65535), got 70000"],
      [{ healthCheckPath: "ready" }, 'healthCheckPath expected an HTTP path starting with "/", got "ready"'],
      [{ stopTimeoutSeconds: 200 }, "stopTimeoutSeconds expected an integer between 12 and 120"],
      [{ metricsPort: 9779 }, "ecsExporter needs port 9779, which the app uses"],
      [{ sidecars: [{ name: "app", image: "x/y:1.0" }] }, 'sidecars[0].name "app" is taken'],
      [
        { environment: { API_KEY: "x" }, secrets: { API_KEY: "arn:aws:ssm:us-east-1:1:parameter/k" } },
        "secrets and environment both set API_KEY",
      ],
    ];
    cases.forEach(([args, message], index) => {
      let error: unknown;
      try {
        new AppService(`bad${index}`, { ...base, ...args });
      } catch (caught) {
        error = caught;
      }
      expect(pulumi.ResourceError.isInstance(error), message).toBe(true);
      expect((error as Error).message).toContain(`bad${index}: ${message}`);
    });
    await settle(recorder);
  });
});

describe("AppService with TLS inside the VPC", () => {
  let r: Recorder;
  let service: AppService;
  beforeAll(async () => {
    r = await installMocks({ stack: "test" });
    const { AppService } = await import("showcase-monitoring");
    service = new AppService("app", {
      ...placement,
      publicSubnetIds,
      rds: {},
      image: "example/app:1.2.3",
      tls: {
        caCertPem: "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n",
        caPrivateKeyPem: "ca-key",
      },
    });
    await settle(r);
  });

  it("serves HTTPS to the load balancer, health check included", () => {
    expect(r.one("aws:lb/targetGroup:TargetGroup", "app-tg").inputs).toMatchObject({
      protocol: "HTTPS",
      healthCheck: { protocol: "HTTPS", path: "/ready" },
    });
  });

  it("signs a certificate for the Cloud Map name and hands the service its files, never their contents", () => {
    expect(r.one("tls:index/certRequest:CertRequest", "app-tls-request").inputs).toMatchObject({
      dnsNames: ["app.test.showcase.internal"],
    });
    expect(r.one("tls:index/locallySignedCert:LocallySignedCert", "app-tls-cert").inputs).toMatchObject({
      allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
    });
    const [init, app] = containersOf(r.one(ECS.task, "app-task"));
    const env = Object.fromEntries((app?.environment ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      TLS_CERT_FILE: "/etc/showcase/tls/tls.crt",
      TLS_KEY_FILE: "/etc/showcase/tls/tls.key",
      METRICS_BEARER_TOKEN_FILE: "/etc/showcase/metrics/token",
    });
    expect(init?.secrets?.map((s) => s.name).sort()).toEqual([
      "SECRET_ECS_EXPORTER_WEB_YML",
      "SECRET_METRICS_TOKEN",
      "SECRET_TLS_CA_CRT",
      "SECRET_TLS_TLS_CRT",
      "SECRET_TLS_TLS_KEY",
    ]);
    expect(init?.command?.[0]).toContain("chown 1000 /config/tls/tls.key");
    // One secret per server: certificate, key and CA as its JSON keys.
    const bundle = r.one("aws:secretsmanager/secretVersion:SecretVersion", "app-tls");
    expect(isSecret(bundle.inputs["secretString"])).toBe(true);
    expect(Object.keys(JSON.parse(String(reveal(bundle.inputs["secretString"]))) as object)).toEqual([
      "cert",
      "key",
      "ca",
    ]);
    expect(init?.secrets?.find((s) => s.name === "SECRET_TLS_TLS_KEY")?.valueFrom).toBe(
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-tls-AbCdEf:key::",
    );
    // A renewed certificate changes the task definition: the tasks roll onto it.
    expect(init?.environment?.find((e) => e.name === "FILES_VERSION")?.value).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(containersOf(r.one(ECS.task, "app-task")))).not.toContain("PRIVATE KEY");
  });

  it("serves the ecs_exporter sidecar over HTTPS with the tasks' certificate and basic auth for the scraper", async () => {
    const containers = containersOf(r.one(ECS.task, "app-task"));
    const exporter = containers.find((c) => c.name === "ecs-exporter");
    expect(exporter).toMatchObject({
      // The app's user owns the key they share.
      user: "1000",
      command: ["--web.config.file=/etc/showcase/ecs-exporter/web.yml"],
      mountPoints: [{ sourceVolume: "config", containerPath: "/etc/showcase", readOnly: true }],
      dependsOn: [{ containerName: "config-init", condition: "SUCCESS" }],
    });
    const webConfig = r.one("aws:secretsmanager/secretVersion:SecretVersion", "app-ecs-exporter-web-config");
    expect(isSecret(webConfig.inputs["secretString"])).toBe(true);
    expect(parse(String(reveal(webConfig.inputs["secretString"])))).toEqual({
      tls_server_config: {
        cert_file: "/etc/showcase/tls/tls.crt",
        key_file: "/etc/showcase/tls/tls.key",
        min_version: "TLS12",
      },
      basic_auth_users: { prometheus: mockBcryptHash("app-ecs-exporter-password") },
    });
    const login = service.ecsExporterLogin;
    expect(login?.username).toBe("prometheus");
    expect(await valueOf(pulumi.output(login?.passwordSecretArn))).toBe(
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-ecs-exporter-password-AbCdEf",
    );
  });

  it("keeps the metrics token a generated secret the scraper can read", () => {
    const version = r.one("aws:secretsmanager/secretVersion:SecretVersion", "app-metrics-token");
    expect(isSecret(version.inputs["secretString"])).toBe(true);
    const reads = policyOf(r.one("aws:iam/rolePolicy:RolePolicy", "app-execution-secrets")).Statement;
    expect(JSON.stringify(reads)).toContain("app-metrics-token");
  });
});
