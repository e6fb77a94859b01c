// prometheus.yml: promtool accepts it (with the rule files it names) for every profile and option,
// it scrapes what the brief lists, and bad input fails with the field's name.
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import {
  renderPrometheusConfig,
  renderRuleFiles,
  type PrometheusConfigInput,
} from "showcase-monitoring/monitoring";
import { monitoringProfile, STACK_NAMES } from "../../tools/profiles";
import { removeTrees, run, writeTree } from "./support/commands";

afterAll(removeTrees);

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[] }[];
  file_sd_configs?: { files: string[]; refresh_interval: string }[];
  relabel_configs?: { source_labels: string[]; regex: string; target_label: string; replacement: string }[];
}
interface Config {
  global: Record<string, unknown> & { external_labels: Record<string, string> };
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: ScrapeConfig[];
  remote_write?: { url: string; sigv4?: { region: string } }[];
}

const CLOUD: PrometheusConfigInput = monitoringProfile("prod").prometheus;

/** promtool check config on the config with the profile's rule files beside it. */
function promtoolCheck(config: string, rules: Record<string, string>) {
  const files: Record<string, string> = { "prometheus.yml": config };
  for (const [name, text] of Object.entries(rules)) files[`rules/${name}`] = text;
  return run("promtool", ["check", "config", "prometheus.yml"], writeTree(files));
}

const job = (config: Config, name: string) => config.scrape_configs.find((s) => s.job_name === name);

describe("prometheus.yml", () => {
  it.each(STACK_NAMES)("passes promtool check config with its rule files for the %s profile", (stack) => {
    const profile = monitoringProfile(stack);
    const rules = renderRuleFiles(profile.rules);
    const result = promtoolCheck(renderPrometheusConfig(profile.prometheus), rules);
    expect(result.status, result.output).toBe(0);
    for (const name of Object.keys(rules)) expect(result.output).toContain(`rules/${name}`);
  });

  it("scrapes the app by static targets locally, with short intervals", () => {
    const config = parse(renderPrometheusConfig(monitoringProfile("local").prometheus)) as Config;
    expect(config.global).toMatchObject({
      scrape_interval: "5s",
      scrape_timeout: "5s",
      evaluation_interval: "5s",
    });
    expect(config.global.external_labels).toEqual({ env: "local" });
    expect(job(config, "showcase-api")?.static_configs).toEqual([{ targets: ["127.0.0.1:9464"] }]);
    expect(job(config, "prometheus")?.static_configs).toEqual([{ targets: ["127.0.0.1:9090"] }]);
    expect(job(config, "alertmanager")?.static_configs).toEqual([{ targets: ["127.0.0.1:9093"] }]);
    expect(config.alerting.alertmanagers[0]?.static_configs).toEqual([{ targets: ["127.0.0.1:9093"] }]);
    expect(config.rule_files).toEqual(["rules/*.rules.yml"]);
  });

  it("reads the app's tasks from the Cloud Map discovery file in AWS, the ECS exporter on its port beside them", () => {
    const config = parse(
      renderPrometheusConfig({ ...CLOUD, appJob: "orders", ecsExporterPort: 9779 }),
    ) as Config;
    const files = [{ files: ["/etc/prometheus/discovery/showcase-api.json"], refresh_interval: "1m" }];
    expect(job(config, "orders")?.file_sd_configs).toEqual(files);
    expect(job(config, "orders")?.relabel_configs).toBeUndefined();
    expect(job(config, "ecs-exporter")?.file_sd_configs).toEqual(files);
    expect(job(config, "ecs-exporter")?.relabel_configs).toEqual([
      {
        source_labels: ["__address__"],
        regex: "(.+):\\d+",
        target_label: "__address__",
        replacement: "$1:9779",
      },
    ]);
    expect(config.global).toMatchObject({ scrape_interval: "15s", scrape_timeout: "10s" });
    expect(config.remote_write).toBeUndefined();
  });

  it("remote-writes to Amazon Managed Service for Prometheus with SigV4, and promtool accepts it", () => {
    const url = "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1234/api/v1/remote_write";
    const text = renderPrometheusConfig({
      ...CLOUD,
      remoteWrite: { url, region: "eu-west-1" },
      ecsExporterPort: 9779,
    });
    expect((parse(text) as Config).remote_write).toEqual([{ url, sigv4: { region: "eu-west-1" } }]);
    const result = promtoolCheck(text, renderRuleFiles(monitoringProfile("prod").rules));
    expect(result.status, result.output).toBe(0);
  });

  it("remote-writes unsigned only to this host (the local stack's receiver)", () => {
    const url = "http://127.0.0.1:9095/api/v1/write";
    const text = renderPrometheusConfig({ ...CLOUD, remoteWrite: { url } });
    expect((parse(text) as Config).remote_write).toEqual([{ url }]);
    const checked = promtoolCheck(text, renderRuleFiles(monitoringProfile("local").rules));
    expect(checked.status, checked.output).toBe(0);
    expect(() =>
      renderPrometheusConfig({
        ...CLOUD,
        remoteWrite: { url: "https://aps.example.com/api/v1/remote_write" },
      }),
    ).toThrow(/^remoteWrite\.url: expected a loopback URL without region, or region for SigV4/);
  });

  // The deployed Prometheus may be newer than the tested one; the generated files are held to what
  // the tested promtool knows, which rejects any field it does not (here ECS discovery, 3.8+).
  it("fails promtool check config when it uses a field newer than the tested Prometheus", () => {
    const config = parse(renderPrometheusConfig(CLOUD)) as Config;
    const app = job(config, "showcase-api");
    if (!app) throw new Error("no showcase-api job");
    Object.assign(app, { aws_sd_configs: [{ role: "ecs", region: "eu-west-1", cluster: "showcase" }] });
    const result = promtoolCheck(stringify(config), renderRuleFiles(monitoringProfile("prod").rules));
    expect(result.status, result.output).toBe(1);
    expect(result.output).toContain("field aws_sd_configs not found");
  });

  it.each([
    [{ app: { kind: "static", targets: [] } }, "app.targets"],
    [{ app: { kind: "static", targets: ["http://127.0.0.1:9464"] } }, "app.targets[0]"],
    [{ app: { kind: "file", files: [] } }, "app.files"],
    [{ app: { kind: "file", files: [" "] } }, "app.files[0]"],
    [{ scrapeInterval: "15" }, "scrapeInterval"],
    [{ evaluationInterval: "0s" }, "evaluationInterval"],
    [{ environment: "my env" }, "environment"],
    [{ alertmanagerTargets: [] }, "alertmanagerTargets"],
    [{ prometheusTarget: "localhost" }, "prometheusTarget"],
    [{ ruleFiles: [] }, "ruleFiles"],
    [{ ecsExporterPort: 0 }, "ecsExporterPort"],
    [
      { remoteWrite: { url: "http://aps.example.com/api/v1/remote_write", region: "eu-west-1" } },
      "remoteWrite.url",
    ],
    [
      { remoteWrite: { url: "https://aps.example.com/api/v1/remote_write", region: "Ireland" } },
      "remoteWrite.region",
    ],
  ] as [Partial<PrometheusConfigInput>, string][])("rejects %j naming %s", (override, field) => {
    const pattern = new RegExp(`^${field.replace(/[.[\]]/g, "\\$&")}: `);
    expect(() => renderPrometheusConfig({ ...CLOUD, ...override })).toThrow(pattern);
  });
});
