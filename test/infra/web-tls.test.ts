// PrometheusServer and AlertingRules with `tls`: HTTPS and basic auth on their APIs through their
// web config, passwords generated into Secrets Manager and delivered only as files, every client
// (self-scrape, health check, Prometheus → Alertmanager, the app's /metrics) over HTTPS with the CA.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { AlertingRulesArgs, PrometheusServerArgs } from "showcase-monitoring";
import { HEALTH_CHECK_COMMANDS } from "showcase-monitoring/monitoring";
import { placement, scrapeTargets } from "./fixtures";
import {
  containersOf,
  installMocks,
  isSecret,
  mockBcryptHash,
  policyOf,
  type Recorder,
  reveal,
  settle,
  valueOf,
} from "./harness";

const tls = {
  caCertPem: "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n",
  caPrivateKeyPem: pulumi.secret("ca-key"),
};
const TOKEN_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-metrics-token-AbCdEf";
const EXPORTER_PASSWORD_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-exporter-AbCdEf";
const AM_PASSWORD_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:am-prometheus-AbCdEf";

const baseArgs = (): PrometheusServerArgs => ({
  ...placement,
  environment: "test",
  app: {
    ...scrapeTargets.app,
    tls: {
      serverName: "app.test.showcase.internal",
      bearerTokenSecretArn: TOKEN_ARN,
      ecsExporterLogin: { username: "prometheus", passwordSecretArn: EXPORTER_PASSWORD_ARN },
    },
  },
  alertmanager: {
    ...scrapeTargets.alertmanager,
    login: { username: "prometheus", passwordSecretArn: AM_PASSWORD_ARN },
  },
  ruleFiles: { "a.rules.yml": "groups: []\n" },
  tls,
});

/** The S3 objects of the component: file path (below the hash) → content. */
function delivered(r: Recorder): Record<string, string> {
  return Object.fromEntries(
    r
      .ofType("aws:s3/bucketObjectv2:BucketObjectv2")
      .map((o) => [String(o.inputs["key"]).replace(/^[0-9a-f]{64}\//, ""), String(o.inputs["content"])]),
  );
}

/** The config init container, and the server's (named as the task). */
function secretsOf(r: Recorder, task: string) {
  const containers = containersOf(r.one("aws:ecs/taskDefinition:TaskDefinition", task));
  const init = containers.find((c) => c.name === "config-init");
  const main = containers.find((c) => `${c.name}-task` === task);
  return { init, main, script: init?.command?.[0] ?? "" };
}

describe("PrometheusServer with tls", () => {
  let r: Recorder;
  let server: { url: pulumi.Output<string>; grafanaLogin: unknown };
  beforeAll(async () => {
    r = await installMocks({ stack: "test" });
    const { PrometheusServer } = await import("showcase-monitoring");
    server = new PrometheusServer("prometheus", baseArgs());
    await settle(r);
  });

  it("serves HTTPS only, behind a web config of bcrypt hashes, with a certificate for its Cloud Map name and localhost", async () => {
    expect(await valueOf(server.url)).toBe("https://prometheus.test.showcase.internal:9090");
    expect(r.one("tls:index/certRequest:CertRequest", "prometheus-tls-request").inputs).toMatchObject({
      dnsNames: ["prometheus.test.showcase.internal", "localhost"],
    });
    const web = parse(delivered(r)["web.yml"] ?? "") as Record<string, unknown>;
    expect(web).toEqual({
      tls_server_config: {
        cert_file: "/etc/prometheus/config/tls/tls.crt",
        key_file: "/etc/prometheus/config/tls/tls.key",
        min_version: "TLS12",
      },
      basic_auth_users: {
        self: mockBcryptHash("prometheus-self-password"),
        grafana: mockBcryptHash("prometheus-grafana-password"),
      },
    });
    const { main } = secretsOf(r, "prometheus-task");
    expect(main?.command).toContain("--web.config.file=/etc/prometheus/config/web.yml");
    expect(main?.command).toContain("--web.external-url=https://prometheus.test.showcase.internal:9090");
  });

  it("keeps every password in Secrets Manager and out of the task definition and the config files", () => {
    const passwords = r
      .ofType("random:index/randomPassword:RandomPassword")
      .map((p) => `generated-${p.name}`);
    expect(passwords.sort()).toEqual([
      "generated-prometheus-grafana-password",
      "generated-prometheus-self-password",
    ]);
    for (const name of ["prometheus-self-password", "prometheus-grafana-password"]) {
      const version = r.one("aws:secretsmanager/secretVersion:SecretVersion", name);
      expect(isSecret(version.inputs["secretString"]), name).toBe(true);
    }
    const task = String(
      r.one("aws:ecs/taskDefinition:TaskDefinition", "prometheus-task").inputs["containerDefinitions"],
    );
    const files = JSON.stringify(delivered(r));
    for (const secret of [...passwords, "ca-key", "PRIVATE KEY"]) {
      expect(task).not.toContain(secret);
      expect(files).not.toContain(secret);
    }
  });

  it("writes certificate, key, CA, its own password and the clients' credentials as files in the init container", () => {
    const { init, main, script } = secretsOf(r, "prometheus-task");
    const arn = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`;
    expect(init?.secrets?.map((s) => s.valueFrom).sort()).toEqual(
      [
        // One secret holds the server's certificate, key and CA, a JSON key each.
        `${arn("prometheus-tls")}:cert::`,
        `${arn("prometheus-tls")}:key::`,
        `${arn("prometheus-tls")}:ca::`,
        arn("prometheus-self-password"),
        TOKEN_ARN,
        EXPORTER_PASSWORD_ARN,
        AM_PASSWORD_ARN,
      ].sort(),
    );
    for (const file of [
      "tls/tls.crt",
      "tls/tls.key",
      "tls/ca.crt",
      "secrets/self.password",
      "secrets/showcase-api-metrics-token",
      "secrets/showcase-api-ecs-exporter.password",
      "secrets/alertmanager.password",
    ]) {
      expect(script).toContain(`chown 65534 /config/${file}`);
    }
    expect(main?.secrets ?? []).toEqual([]);
    expect(main?.environment ?? []).toEqual([]);
    // Only the execution role reads the secrets, and only these.
    const reads = policyOf(r.one("aws:iam/rolePolicy:RolePolicy", "prometheus-execution-secrets")).Statement;
    expect(reads[0]?.Resource).toHaveLength(5);
  });

  it("scrapes the app, itself and Alertmanager over HTTPS with the CA and credential files", () => {
    const config = parse(delivered(r)["prometheus.yml"] ?? "") as {
      scrape_configs: {
        job_name: string;
        scheme?: string;
        tls_config?: object;
        authorization?: object;
        basic_auth?: object;
      }[];
      alerting: { alertmanagers: { scheme?: string; tls_config?: object; basic_auth?: object }[] };
    };
    const ca = "/etc/prometheus/config/tls/ca.crt";
    const job = (name: string) => config.scrape_configs.find((c) => c.job_name === name);
    expect(job("showcase-api")).toMatchObject({
      scheme: "https",
      tls_config: { ca_file: ca, server_name: "app.test.showcase.internal" },
      authorization: {
        type: "Bearer",
        credentials_file: "/etc/prometheus/config/secrets/showcase-api-metrics-token",
      },
    });
    // The sidecars: their own login, relabelled to the one exporter job the rules select.
    expect(job("ecs-exporter-showcase-api")).toMatchObject({
      scheme: "https",
      tls_config: { ca_file: ca, server_name: "app.test.showcase.internal" },
      basic_auth: {
        username: "prometheus",
        password_file: "/etc/prometheus/config/secrets/showcase-api-ecs-exporter.password",
      },
    });
    expect(job("prometheus")).toMatchObject({
      scheme: "https",
      tls_config: { ca_file: ca },
      basic_auth: { username: "self", password_file: "/etc/prometheus/config/secrets/self.password" },
    });
    expect(job("alertmanager")).toMatchObject({
      scheme: "https",
      basic_auth: {
        username: "prometheus",
        password_file: "/etc/prometheus/config/secrets/alertmanager.password",
      },
    });
    expect(config.alerting.alertmanagers[0]).toMatchObject({
      scheme: "https",
      tls_config: { ca_file: ca },
      basic_auth: { username: "prometheus" },
    });
  });

  it("health-checks with promtool over HTTPS as its own user, and rolls the task when the certificate renews", () => {
    const { init, main } = secretsOf(r, "prometheus-task");
    expect(main?.healthCheck?.command).toEqual([
      "CMD",
      ...HEALTH_CHECK_COMMANDS.prometheus(
        "https://localhost:9090",
        "/etc/prometheus/config/health-check-http.yml",
      ),
    ]);
    expect(parse(delivered(r)["health-check-http.yml"] ?? "")).toEqual({
      tls_config: { ca_file: "/etc/prometheus/config/tls/ca.crt" },
      basic_auth: { username: "self", password_file: "/etc/prometheus/config/secrets/self.password" },
    });
    expect(init?.environment?.find((e) => e.name === "FILES_VERSION")?.value).toMatch(/^[0-9a-f]{64}$/);
  });

  it("gives Grafana its login: the user name and the password as a Pulumi secret", async () => {
    const login = server.grafanaLogin as { username: string; password: pulumi.Output<string> };
    expect(login.username).toBe("grafana");
    expect(await valueOf(login.password)).toBe("generated-prometheus-grafana-password");
  });
});

describe("PrometheusServer without tls", () => {
  it("refuses targets that ask for TLS, naming the argument", async () => {
    const recorder = await installMocks({ stack: "test" });
    const { PrometheusServer } = await import("showcase-monitoring");
    const { tls: _tls, ...plain } = baseArgs();
    expect(() => new PrometheusServer("p1", plain)).toThrow(
      "p1: app.tls needs tls: the CA to verify the target against",
    );
    const { login: _login, ...alertmanager } = plain.alertmanager;
    expect(
      () =>
        new PrometheusServer("p2", {
          ...plain,
          app: { ...plain.app, tls: undefined },
          alertmanager: {
            ...alertmanager,
            login: { username: "prometheus", passwordSecretArn: AM_PASSWORD_ARN },
          },
        }),
    ).toThrow("p2: alertmanager.login needs tls");
    await settle(recorder);
  });
});

describe("AlertingRules with tls", () => {
  let r: Recorder;
  let alerting: { url: pulumi.Output<string>; prometheusLogin: unknown; grafanaLogin: unknown };
  beforeAll(async () => {
    r = await installMocks({ stack: "test" });
    const { AlertingRules } = await import("showcase-monitoring");
    const args: AlertingRulesArgs = {
      ...placement,
      rules: {
        environment: "test",
        slo: { availability: 0.995, latency: 0.99, latencyThresholdSeconds: 0.25 },
        runbookBaseUrl: "https://example.com/runbooks",
      },
      receivers: {
        slack: { channel: "#alerts", webhookUrl: pulumi.secret("https://hooks.slack.com/services/T/B/x") },
      },
      tls,
    };
    alerting = new AlertingRules("alertmanager", args);
    await settle(r);
  });

  it("serves HTTPS behind its web config, with a login each for itself, Prometheus and Grafana", async () => {
    expect(await valueOf(alerting.url)).toBe("https://alertmanager.test.showcase.internal:9093");
    const web = parse(delivered(r)["web.yml"] ?? "") as { basic_auth_users: Record<string, string> };
    expect(web.basic_auth_users).toEqual({
      self: mockBcryptHash("alertmanager-self-password"),
      prometheus: mockBcryptHash("alertmanager-prometheus-password"),
      grafana: mockBcryptHash("alertmanager-grafana-password"),
    });
    const { main, init, script } = secretsOf(r, "alertmanager-task");
    expect(main?.command).toContain("--web.config.file=/etc/alertmanager/config/web.yml");
    expect(main?.healthCheck?.command).toEqual([
      "CMD",
      ...HEALTH_CHECK_COMMANDS.alertmanager(
        "https://localhost:9093",
        "/etc/alertmanager/config/health-check-http.yml",
      ),
    ]);
    expect(init?.secrets).toHaveLength(5);
    expect(script).toContain("chown 65534 /config/secrets/self.password");
    expect(
      String(
        r.one("aws:ecs/taskDefinition:TaskDefinition", "alertmanager-task").inputs["containerDefinitions"],
      ),
    ).not.toContain("generated-");
  });

  it("hands Prometheus and Grafana their logins: a password secret and its Secrets Manager ARN", async () => {
    const prometheus = alerting.prometheusLogin as {
      username: string;
      passwordSecretArn: pulumi.Output<string>;
    };
    const grafana = alerting.grafanaLogin as { username: string; password: pulumi.Output<string> };
    expect(prometheus.username).toBe("prometheus");
    expect(await valueOf(prometheus.passwordSecretArn)).toBe(
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:alertmanager-prometheus-password-AbCdEf",
    );
    expect(grafana.username).toBe("grafana");
    expect(reveal(await valueOf(grafana.password))).toBe("generated-alertmanager-grafana-password");
  });
});
