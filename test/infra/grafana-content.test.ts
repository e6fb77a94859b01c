// GrafanaContent on its own: the Grafana content of the stack in a Grafana we don't run (Amazon
// Managed Grafana, Grafana Cloud), through a provider of its own or the caller's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { GrafanaContentArgs } from "showcase-monitoring";
import { providerRules } from "../../components/grafana-alerting";
import { installMocks, isSecret, type Recorder, reveal, settle, valueOf } from "./harness";

const KEYS = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures", "grafana-jsondata-keys.json"), "utf8"),
) as Record<string, string[]>;

const dashboards = [
  { uid: "one", json: JSON.stringify({ uid: "one", title: "One" }) },
  { uid: "two", json: JSON.stringify({ uid: "two", title: "Two" }) },
];

async function deploy(args: Partial<GrafanaContentArgs>, withProvider = false) {
  const recorder = await installMocks({ stack: "test" });
  const grafana = await import("@pulumiverse/grafana");
  const { GrafanaContent } = await import("showcase-monitoring");
  const provider = withProvider
    ? new grafana.Provider("theirs", { url: "https://x.grafana.net", auth: "glsa_token" })
    : undefined;
  const content = new GrafanaContent(
    "content",
    { prometheus: { url: "https://prometheus.example.com" }, dashboards, ...args },
    provider === undefined ? {} : { providers: [provider] },
  );
  await settle(recorder);
  return { r: recorder, content };
}

const dataSources = (r: Recorder) => r.ofType("grafana:oss/dataSource:DataSource");

describe("GrafanaContent on an existing Grafana", () => {
  it("creates its own provider from url and auth, and the content through it", async () => {
    const { r, content } = await deploy({
      url: "https://example.grafana.net/",
      auth: "glsa_service_account_token",
      alertmanagerUrl: "https://alertmanager.example.com",
      cloudwatch: { region: "eu-west-1" },
      teams: { viewers: ["v@example.com"], editors: [] },
    });
    const [provider] = r.ofType("pulumi:providers:grafana");
    expect(provider?.inputs).toMatchObject({ url: "https://example.grafana.net/" });
    expect(reveal(provider?.inputs["auth"])).toBe("glsa_service_account_token");
    for (const res of r.resources.filter((x) => x.type.startsWith("grafana:"))) {
      expect(res.provider, res.name).toMatch(/::content-provider::/);
    }
    expect(
      dataSources(r)
        .map((d) => d.inputs["uid"])
        .sort(),
    ).toEqual(["alertmanager", "cloudwatch", "prometheus"]);
    expect(isSecret(provider?.inputs["auth"])).toBe(true);
    expect(content.dataSourceUids).toEqual(["prometheus", "alertmanager", "cloudwatch"]);
    expect(r.ofType("grafana:oss/dashboard:Dashboard")).toHaveLength(2);
    expect(await valueOf(content.dashboardUrls["two"] ?? content.folderUid)).toBe(
      "https://example.grafana.net/d/two",
    );
    expect(await valueOf(content.folderUid)).toBe("showcase");
  });

  it("uses the caller's provider, and only the data sources asked for", async () => {
    const { r, content } = await deploy({}, true);
    expect(r.ofType("pulumi:providers:grafana").map((p) => p.name)).toEqual(["theirs"]);
    for (const res of r.resources.filter((x) => x.type.startsWith("grafana:"))) {
      expect(res.provider, res.name).toMatch(/::theirs::/);
    }
    expect(dataSources(r).map((d) => d.inputs["uid"])).toEqual(["prometheus"]);
    expect(await valueOf(content.dashboardUrls["one"] ?? content.folderUid)).toBe("/d/one");
  });

  it("queries Amazon Managed Service for Prometheus through the AMP plugin with SigV4", async () => {
    const { r } = await deploy({
      prometheus: {
        url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/",
        amp: { region: "eu-west-1" },
      },
    });
    const [prometheus] = dataSources(r);
    expect(prometheus?.inputs["type"]).toBe("grafana-amazonprometheus-datasource");
    expect(JSON.parse(String(prometheus?.inputs["jsonDataEncoded"]))).toEqual({
      httpMethod: "POST",
      timeInterval: "15s",
      sigV4Auth: true,
      sigV4AuthType: "default",
      sigV4Region: "eu-west-1",
    });
  });

  it("writes only jsonData keys Grafana defines for each data source type", async () => {
    for (const amp of [false, true]) {
      const { r } = await deploy({
        prometheus: {
          url: "https://p.example.com",
          ...(amp ? { amp: { region: "eu-west-1" } } : { caCertPem: "ca-pem" }),
        },
        alertmanagerUrl: "https://am.example.com",
        alertmanagerAccess: { caCertPem: "ca-pem" },
        cloudwatch: { region: "eu-west-1" },
      });
      for (const source of dataSources(r)) {
        const type = String(source.inputs["type"]);
        const http = type === "cloudwatch" ? [] : (KEYS["httpClient"] ?? []);
        const known = [...(KEYS[type] ?? []), ...(KEYS["common"] ?? []), ...http];
        expect(KEYS[type], type).toBeDefined();
        const keys = Object.keys(JSON.parse(String(source.inputs["jsonDataEncoded"])) as object);
        expect(
          keys.filter((key) => !known.includes(key)),
          `${type} jsonData`,
        ).toEqual([]);
      }
    }
  });

  it("logs in to a server behind TLS: the user in the data source, password and CA only as secure JSON data", async () => {
    const ca = "-----BEGIN CERTIFICATE-----\ninternal-ca\n-----END CERTIFICATE-----\n";
    const { r } = await deploy({
      prometheus: {
        url: "https://prometheus.internal:9090",
        caCertPem: ca,
        basicAuth: { username: "grafana", password: pulumi.secret("prometheus-pass") },
      },
      alertmanagerUrl: "https://alertmanager.internal:9093",
      alertmanagerAccess: {
        caCertPem: ca,
        basicAuth: { username: "grafana", password: pulumi.secret("alertmanager-pass") },
      },
    });
    for (const [uid, password] of [
      ["prometheus", "prometheus-pass"],
      ["alertmanager", "alertmanager-pass"],
    ] as const) {
      const source = dataSources(r).find((d) => d.inputs["uid"] === uid);
      expect(source?.inputs, uid).toMatchObject({ basicAuthEnabled: true, basicAuthUsername: "grafana" });
      expect(JSON.parse(String(source?.inputs["jsonDataEncoded"])), uid).toMatchObject({
        tlsAuthWithCACert: true,
      });
      expect(isSecret(source?.inputs["secureJsonDataEncoded"]), uid).toBe(true);
      expect(JSON.parse(String(reveal(source?.inputs["secureJsonDataEncoded"])))).toEqual({
        basicAuthPassword: password,
        tlsCACert: ca,
      });
      expect(JSON.stringify(source?.inputs["jsonDataEncoded"])).not.toContain(password);
    }
    // Without access settings: no login, no secure JSON data.
    const { r: plain } = await deploy({ alertmanagerUrl: "https://alertmanager.internal:9093" });
    for (const source of dataSources(plain)) {
      expect(source.inputs["basicAuthEnabled"]).toBeUndefined();
      expect(source.inputs["secureJsonDataEncoded"]).toBeUndefined();
    }
  });

  it("evaluates alert rules in the folder and sends them to the Alertmanager with its login, the org's policy untouched", async () => {
    const { buildCloudWatchAlerts } = await import("showcase-monitoring/monitoring");
    const rules = buildCloudWatchAlerts({
      environment: "test",
      region: "eu-west-1",
      runbookBaseUrl: "https://example.com/runbooks",
      rds: { dbInstanceIdentifier: "db-1", allocatedStorageGb: 20 },
    });
    const { r } = await deploy({
      cloudwatch: { region: "eu-west-1" },
      alerting: {
        rules: rules.map((rule) => JSON.stringify(rule)),
        alertmanager: {
          url: "https://alertmanager.internal:9093",
          basicAuth: { username: "grafana", password: pulumi.secret("am-pass") },
        },
      },
    });
    const contact = r.one("grafana:alerting/contactPoint:ContactPoint", "content-alertmanager");
    expect(isSecret(contact.inputs["alertmanagers"])).toBe(true);
    const [alertmanager] = reveal(contact.inputs["alertmanagers"]) as Record<string, unknown>[];
    expect(alertmanager).toEqual({
      url: "https://alertmanager.internal:9093",
      basicAuthUser: "grafana",
      basicAuthPassword: "am-pass",
    });
    const group = r.one("grafana:alerting/ruleGroup:RuleGroup", "content-alert-rules");
    expect(group.inputs).toMatchObject({
      name: "showcase-cloudwatch",
      folderUid: "showcase",
      intervalSeconds: 60,
    });
    const provisioned = group.inputs["rules"] as {
      name: string;
      labels: Record<string, string>;
      datas: { refId: string; model: string }[];
      notificationSettings: { contactPoint: string };
    }[];
    expect(provisioned.map((rule) => rule.name)).toEqual(["RdsStorageLow", "RdsIopsSaturated"]);
    for (const [index, rule] of provisioned.entries()) {
      expect(rule.notificationSettings).toEqual({ contactPoint: "Stack Alertmanager" });
      expect(rule.labels).toEqual(rules[index]?.labels);
      // The models reach Grafana as the generator built them.
      expect(rule.datas.map((q) => JSON.parse(q.model) as unknown)).toEqual(
        rules[index]?.data.map((q) => JSON.parse(JSON.stringify(q.model)) as unknown),
      );
    }
    expect(r.ofType("grafana:alerting/notificationPolicy:NotificationPolicy")).toEqual([]);
  });

  it("refuses an alert rule on a data source it does not create, naming the rule", async () => {
    const { buildCloudWatchAlerts } = await import("showcase-monitoring/monitoring");
    const [rule] = buildCloudWatchAlerts({
      environment: "test",
      region: "eu-west-1",
      runbookBaseUrl: "https://example.com/runbooks",
      rds: { dbInstanceIdentifier: "db-1", allocatedStorageGb: 20 },
    });
    const json = JSON.stringify(rule);
    expect(providerRules("c4", [json], "Stack Alertmanager", ["prometheus", "cloudwatch"])).toHaveLength(1);
    expect(() => providerRules("c4", [json], "Stack Alertmanager", ["prometheus"])).toThrow(
      'c4: alerting.rules[0] (RdsStorageLow) queries data source "cloudwatch", which is not one of prometheus',
    );
  });

  it("refuses bad arguments naming them", async () => {
    const recorder = await installMocks({ stack: "test" });
    const { GrafanaContent } = await import("showcase-monitoring");
    const base = { prometheus: { url: "https://p.example.com" }, dashboards };
    expect(() => new GrafanaContent("c1", { ...base, auth: "token" })).toThrow("c1: auth needs url");
    expect(
      () => new GrafanaContent("c2", { ...base, prometheus: { url: "x", scrapeInterval: "1s1h" } }),
    ).toThrow(
      'c2: prometheus.scrapeInterval expected a Prometheus duration such as "30s" or "5m", got "1s1h"',
    );
    expect(() => new GrafanaContent("c3", { ...base, dashboards: [...dashboards, dashboards[0]!] })).toThrow(
      "c3: dashboards[2].uid one repeats",
    );
    await settle(recorder);
  });
});
