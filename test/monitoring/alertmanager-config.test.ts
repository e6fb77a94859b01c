// alertmanager.yml: amtool accepts it for every profile and receiver combination, routes every
// severity and the Watchdog where the brief says (amtool config routes test), a real Alertmanager
// inhibits a warning under the same alert's critical, and secrets only appear as file paths.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderAlertmanagerConfig, type AlertmanagerInput } from "showcase-monitoring/monitoring";
import { monitoringProfile, STACK_NAMES } from "../../tools/profiles";
import { startAlertmanager, type RunningAlertmanager } from "./support/alertmanager";
import { checked } from "./support/routes";
import { removeTrees } from "./support/commands";

afterAll(removeTrees);

const EMAIL = {
  to: "oncall@example.com",
  from: "alertmanager@example.com",
  smarthost: "email-smtp.eu-west-1.amazonaws.com:587",
  username: "smtp-user",
  passwordFile: "/run/secrets/smtp-password",
};
const SLACK = { apiUrlFile: "/run/secrets/slack-url", channel: "#alerts" };
const PAGERDUTY = { routingKeyFile: "/run/secrets/pagerduty-key" };
const FULL: AlertmanagerInput = {
  email: EMAIL,
  slack: SLACK,
  pagerduty: PAGERDUTY,
  watchdogWebhookUrl: "https://heartbeat.example.com/ping/showcase",
};

const alert = (severity?: string, alertname = "ApiHighErrorRate") => ({
  alertname,
  env: "prod",
  job: "showcase-api",
  ...(severity ? { severity } : {}),
});

describe("alertmanager.yml", () => {
  it.each(STACK_NAMES)("passes amtool check-config for the %s profile", (stack) => {
    checked(monitoringProfile(stack).alertmanager);
  });

  it("routes every severity and the Watchdog with every receiver configured", () => {
    const routes = checked(FULL);
    routes(alert("critical"), ["pagerduty", "slack"]);
    routes(alert("warning"), ["slack", "email"]);
    routes(alert("info"), ["blackhole"]);
    routes(alert("info", "Watchdog"), ["watchdog"]);
    routes(alert(), ["slack", "email"]);
    routes(alert("unheard-of"), ["slack", "email"]);
  });

  it("sends every alert but the Watchdog to the extra webhook too", () => {
    const routes = checked({ ...FULL, webhookUrl: "http://127.0.0.1:9999/alerts" });
    routes(alert("critical"), ["webhook", "pagerduty", "slack"]);
    routes(alert("warning"), ["webhook", "slack", "email"]);
    routes(alert("info"), ["webhook", "blackhole"]);
    routes(alert("info", "Watchdog"), ["watchdog"]);
  });

  it.each([
    ["Slack only", { slack: SLACK }, ["slack"], ["slack"]],
    ["PagerDuty only", { pagerduty: PAGERDUTY }, ["pagerduty"], ["blackhole"]],
    ["email only: critical falls back to email", { email: EMAIL }, ["email"], ["email"]],
    ["PagerDuty and email", { pagerduty: PAGERDUTY, email: EMAIL }, ["pagerduty"], ["email"]],
    ["no receiver at all", {}, ["blackhole"], ["blackhole"]],
  ] as [string, AlertmanagerInput, string[], string[]][])(
    "stays valid and predictable with %s",
    (_, input, critical, warning) => {
      const routes = checked(input);
      routes(alert("critical"), critical);
      routes(alert("warning"), warning);
      routes(alert("info"), ["blackhole"]);
      routes(alert("info", "Watchdog"), ["watchdog"]);
    },
  );

  it("keeps every secret in a file: only *_file fields, never a key, URL or password inline", () => {
    const text = renderAlertmanagerConfig(FULL);
    const config = parse(text) as { global: Record<string, unknown>; receivers: Record<string, unknown>[] };
    expect(config.global.smtp_auth_password_file).toBe(EMAIL.passwordFile);
    expect(config.global.slack_api_url_file).toBe(SLACK.apiUrlFile);
    expect(text).toContain(`routing_key_file: ${PAGERDUTY.routingKeyFile}`);
    expect(text).not.toMatch(
      /\b(smtp_auth_password|slack_api_url|api_url|routing_key|service_key|auth_password):/,
    );
  });

  it.each([
    [{ slack: { ...SLACK, apiUrlFile: "secrets/slack" } }, "slack.apiUrlFile"],
    [{ pagerduty: { routingKeyFile: "" } }, "pagerduty.routingKeyFile"],
    [{ email: { ...EMAIL, to: "nobody" } }, "email.to"],
    [{ email: { ...EMAIL, smarthost: "smtp.example.com" } }, "email.smarthost"],
    [{ webhookUrl: "https://user:secret@hooks.example.com/x" }, "webhookUrl"],
    [{ watchdogWebhookUrl: "ftp://example.com" }, "watchdogWebhookUrl"],
    [{ repeatInterval: "4 hours" }, "repeatInterval"],
  ] as [AlertmanagerInput, string][])("rejects %j naming %s", (input, field) => {
    expect(() => renderAlertmanagerConfig(input)).toThrow(new RegExp(`^${field.replace(".", "\\.")}: `));
  });
});

describe("a real Alertmanager with the generated config", () => {
  let alertmanager: RunningAlertmanager;
  beforeAll(async () => {
    alertmanager = await startAlertmanager(renderAlertmanagerConfig(FULL));
  });
  afterAll(async () => {
    await alertmanager?.stop();
  });

  it("mutes a warning while the same alert is critical, and nothing else", async () => {
    const post = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { labels: { ...alert("critical", "AppTargetDown") } },
        { labels: { ...alert("warning", "AppTargetDown"), instance: "a:9464" } },
        { labels: { ...alert("warning", "AppCpuHigh"), instance: "a:9464" } },
        { labels: { ...alert("warning", "AppTargetDown"), env: "dev", instance: "a:9464" } },
      ]),
    });
    expect(post.status).toBe(200);
    const alerts = (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as {
      labels: Record<string, string>;
      status: { state: string };
    }[];
    const state = (name: string, severity: string, env = "prod") =>
      alerts.find(
        (a) => a.labels.alertname === name && a.labels.severity === severity && a.labels.env === env,
      )?.status.state;
    expect(state("AppTargetDown", "warning")).toBe("suppressed");
    expect(state("AppTargetDown", "critical")).toBe("active");
    expect(state("AppCpuHigh", "warning")).toBe("active");
    expect(state("AppTargetDown", "warning", "dev")).toBe("active");
  });
});
