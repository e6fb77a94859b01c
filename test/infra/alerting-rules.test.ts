import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { AlertingRulesArgs } from "showcase-monitoring";
import { filesHash } from "../../components/config-files";
import { renderAlertmanagerConfig, renderRuleFiles } from "showcase-monitoring/monitoring";
import type { RulesInput } from "showcase-monitoring/monitoring";
import { run, writeTree } from "../monitoring/support/commands";
import { placement } from "./fixtures";
import {
  containersOf,
  ingressRules,
  installMocks,
  isSecret,
  policyOf,
  type Recorder,
  reveal,
  settle,
  untagged,
  valueOf,
} from "./harness";

const rules: RulesInput = {
  environment: "test",
  slo: { availability: 0.995, latency: 0.99, latencyThresholdSeconds: 0.25 },
  runbookBaseUrl: "https://example.com/runbooks",
};
const SECRET = {
  slack: "https://hooks.slack.com/services/T/B/slack-secret",
  pagerduty: "pagerduty-secret-key",
  smtp: "smtp-secret-password",
};

async function deploy(args: Partial<AlertingRulesArgs>): Promise<Recorder> {
  const recorder = await installMocks({ stack: "test" });
  const { AlertingRules } = await import("showcase-monitoring");
  new AlertingRules("alertmanager", {
    ...placement,
    rules,
    receivers: {
      slack: { channel: "#alerts", webhookUrl: pulumi.secret(SECRET.slack) },
      pagerduty: { routingKey: pulumi.secret(SECRET.pagerduty) },
      email: {
        to: "oncall@example.com",
        from: "am@example.com",
        smarthost: "smtp.example.com:587",
        username: "am",
        password: pulumi.secret(SECRET.smtp),
      },
    },
    ...args,
  });
  await settle(recorder);
  return recorder;
}

describe("AlertingRules with every receiver", () => {
  let r: Recorder;
  beforeAll(async () => {
    r = await deploy({});
  });

  it("owns the generated rule files", async () => {
    const recorder = await installMocks({ stack: "test" });
    const { AlertingRules } = await import("showcase-monitoring");
    const component = new AlertingRules("a2", {
      ...placement,
      rules,
      receivers: { slack: { channel: "#a", webhookUrl: "x" } },
    });
    await settle(recorder);
    expect(component.ruleFiles).toEqual(renderRuleFiles(rules));
    expect(await valueOf(component.hostname)).toBe("a2.test.showcase.internal");
    expect(component.port).toBe(9093);
  });

  it("delivers exactly the generated alertmanager.yml, which names secret files and holds no secret", () => {
    const expected = renderAlertmanagerConfig({
      email: {
        to: "oncall@example.com",
        from: "am@example.com",
        smarthost: "smtp.example.com:587",
        username: "am",
        passwordFile: "/etc/alertmanager/config/secrets/smtp_password",
      },
      slack: { channel: "#alerts", apiUrlFile: "/etc/alertmanager/config/secrets/slack_api_url" },
      pagerduty: { routingKeyFile: "/etc/alertmanager/config/secrets/pagerduty_routing_key" },
    });
    const [object] = r.ofType("aws:s3/bucketObjectv2:BucketObjectv2");
    expect(object?.inputs["key"]).toBe(`${filesHash({ "alertmanager.yml": expected })}/alertmanager.yml`);
    expect(object?.inputs["content"]).toBe(expected);
    for (const secret of Object.values(SECRET)) expect(expected).not.toContain(secret);
  });

  it("keeps each receiver secret in Secrets Manager as a Pulumi secret", () => {
    const versions = r.ofType("aws:secretsmanager/secretVersion:SecretVersion");
    expect(versions.map((v) => v.name).sort()).toEqual([
      "alertmanager-pagerdutyRoutingKey",
      "alertmanager-slackWebhookUrl",
      "alertmanager-smtpPassword",
    ]);
    for (const version of versions) expect(isSecret(version.inputs["secretString"])).toBe(true);
    expect(versions.map((v) => reveal(v.inputs["secretString"])).sort()).toEqual(
      [SECRET.pagerduty, SECRET.slack, SECRET.smtp].sort(),
    );
  });

  it("writes the secrets to files in the init container, owner-only, and never into the task definition", () => {
    const task = r.one("aws:ecs/taskDefinition:TaskDefinition", "alertmanager-task");
    expect(isSecret(task.inputs["containerDefinitions"])).toBe(false);
    for (const secret of Object.values(SECRET))
      expect(String(task.inputs["containerDefinitions"])).not.toContain(secret);
    const [init, alertmanager] = containersOf(task);
    expect(init?.secrets?.map((s) => s.valueFrom).sort()).toEqual(
      ["pagerdutyRoutingKey", "slackWebhookUrl", "smtpPassword"].map(
        (key) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:alertmanager-${key}-AbCdEf`,
      ),
    );
    const script = init?.command?.[0] ?? "";
    expect(script).toContain("umask 077");
    expect(script).toContain("> /config/secrets/slack_api_url");
    expect(script).toContain("chown 65534 /config/secrets/slack_api_url");
    expect(alertmanager?.secrets ?? []).toEqual([]);
    expect(alertmanager?.mountPoints).toEqual([
      { sourceVolume: "config", containerPath: "/etc/alertmanager/config", readOnly: true },
    ]);
    expect(alertmanager?.command).toContain("--config.file=/etc/alertmanager/config/alertmanager.yml");
    expect(alertmanager?.image).toMatch(/^prom\/alertmanager:v0\.\d+\.\d+$/);
    const execution = policyOf(r.one("aws:iam/rolePolicy:RolePolicy", "alertmanager-execution-secrets"));
    expect(execution.Statement[0]?.Resource).toHaveLength(3);
  });

  it("is reachable by nobody until its clients open 9093, and runs as one instance", () => {
    expect(ingressRules(r.resources)).toEqual([]);
    expect(r.one("aws:ecs/service:Service", "alertmanager-service").inputs).toMatchObject({
      desiredCount: 1,
      deploymentMaximumPercent: 100,
      networkConfiguration: { assignPublicIp: false },
    });
    expect(r.one("aws:servicediscovery/service:Service", "alertmanager-discovery").inputs).toMatchObject({
      name: "alertmanager",
    });
  });

  it("tags everything taggable", () => {
    expect(untagged(r.resources)).toEqual([]);
  });
});

describe("AlertingRules with Slack only", () => {
  it("creates one secret and a config without the other receivers", async () => {
    const r = await deploy({
      receivers: {
        slack: { channel: "#dev", webhookUrl: pulumi.secret(SECRET.slack) },
        watchdogWebhookUrl: "https://hc-ping.com/x",
      },
    });
    expect(r.ofType("aws:secretsmanager/secret:Secret").map((s) => s.name)).toEqual([
      "alertmanager-slackWebhookUrl",
    ]);
    const config = String(r.ofType("aws:s3/bucketObjectv2:BucketObjectv2")[0]?.inputs["content"]);
    expect(config).toBe(
      renderAlertmanagerConfig({
        slack: { channel: "#dev", apiUrlFile: "/etc/alertmanager/config/secrets/slack_api_url" },
        watchdogWebhookUrl: "https://hc-ping.com/x",
      }),
    );
    expect(config).not.toContain("pagerduty_configs");
  });
});

describe("AlertingRules for more apps", () => {
  it("renders our app rules once more per extra job, the monitoring group once, and promtool accepts them all", async () => {
    const recorder = await installMocks({ stack: "test" });
    const { AlertingRules } = await import("showcase-monitoring");
    const component = new AlertingRules("more", {
      ...placement,
      rules,
      moreAppJobs: ["orders"],
      receivers: { slack: { channel: "#a", webhookUrl: "x" } },
    });
    await settle(recorder);
    const names = Object.keys(component.ruleFiles).sort();
    expect(names).toEqual(
      [
        ...Object.keys(renderRuleFiles(rules)),
        ...Object.keys(renderRuleFiles(rules))
          .filter((f) => f !== "monitoring.rules.yml")
          .map((f) => `orders.${f}`),
      ].sort(),
    );
    expect(component.ruleFiles["orders.http.rules.yml"]).toContain('job="orders"');
    const dir = writeTree(Object.fromEntries(names.map((n) => [n, component.ruleFiles[n] ?? ""])));
    const result = run("promtool", ["check", "rules", ...names], dir);
    expect(result.status, result.output).toBe(0);
  });
});
