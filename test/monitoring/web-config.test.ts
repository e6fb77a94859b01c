// TLS and authentication inside the stack, as the generators write it: the web config of
// Prometheus and Alertmanager passes `promtool check web-config` with a real certificate and a
// real bcrypt hash, and prometheus.yml with every client over HTTPS passes `promtool check config`
// with the files it names; bad input names its field and never echoes a password.
import { hashSync } from "bcryptjs";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  renderHttpClientConfig,
  renderPrometheusConfig,
  renderRuleFiles,
  renderWebConfig,
  type HttpClientInput,
  type PrometheusConfigInput,
} from "showcase-monitoring/monitoring";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createCa } from "../../tools/certificates";
import { monitoringProfile } from "../../tools/profiles";
import { removeTrees, run, writeTree } from "./support/commands";

afterAll(removeTrees);

interface Client {
  scheme?: string;
  tls_config?: { ca_file: string; server_name?: string };
  basic_auth?: { username: string; password_file: string };
  authorization?: { type: string; credentials_file: string };
}
type ScrapeConfig = Client & { job_name: string; relabel_configs?: { target_label: string }[] };
interface Config {
  alerting: { alertmanagers: Client[] };
  scrape_configs: ScrapeConfig[];
}

let dir: string;
let certFile: string;
let keyFile: string;
let caFile: string;
const HASH = hashSync("correct horse", 10);

beforeAll(async () => {
  dir = writeTree({ "secrets/alertmanager.password": "pw\n", "secrets/metrics.token": "token\n" });
  const ca = await createCa(dir, "web-config");
  const issued = await ca.issue(["DNS:prometheus.showcase.internal"]);
  ({ certFile, keyFile } = issued);
  caFile = ca.certFile;
});

const basic = (user: string): HttpClientInput => ({
  caFile,
  serverName: `${user}.showcase.internal`,
  basicAuth: { username: "prometheus", passwordFile: join(dir, "secrets/alertmanager.password") },
});
const bearer = (): HttpClientInput => ({
  caFile,
  serverName: "showcase-api.showcase.internal",
  bearerTokenFile: join(dir, "secrets/metrics.token"),
});

describe("web config", () => {
  it("passes promtool check web-config with a certificate, its key and bcrypt hashes", () => {
    const text = renderWebConfig(
      { tls: { certFile, keyFile }, users: { grafana: HASH, prometheus: HASH } },
      "Prometheus",
    );
    expect(parse(text)).toEqual({
      tls_server_config: { cert_file: certFile, key_file: keyFile, min_version: "TLS12" },
      basic_auth_users: { grafana: HASH, prometheus: HASH },
    });
    const path = join(dir, "web.yml");
    writeFileSync(path, text);
    const result = run("promtool", ["check", "web-config", path]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain("SUCCESS");
  });

  it("is refused by promtool when the key does not belong to the certificate", async () => {
    const other = await (await createCa(dir, "other")).issue(["DNS:other.internal"]);
    const path = join(dir, "mismatched.yml");
    writeFileSync(
      path,
      renderWebConfig({ tls: { certFile, keyFile: other.keyFile }, users: { a: HASH } }, "X"),
    );
    const result = run("promtool", ["check", "web-config", path]);
    expect(result.status, result.output).toBe(1);
    expect(result.output).toContain("private key does not match public key");
  });

  it("refuses a password where a hash belongs, without echoing it", () => {
    const render = () =>
      renderWebConfig({ tls: { certFile, keyFile }, users: { grafana: "hunter2-secret" } }, "X");
    expect(render).toThrow(/^users\.grafana: expected a bcrypt hash/);
    try {
      render();
    } catch (error) {
      expect((error as Error).message).not.toContain("hunter2-secret");
    }
  });

  it.each([
    [{ tls: { certFile: "/c.pem", keyFile: "/k.pem" }, users: {} }, "users"],
    [{ tls: { certFile: "/c.pem", keyFile: "/k.pem" }, users: { "a:b": HASH } }, "users"],
    [{ tls: { certFile: "c.pem", keyFile: "/k.pem" }, users: { a: HASH } }, "tls.certFile"],
    [{ users: { a: HASH } }, "tls"],
  ])("rejects %j naming %s", (input, field) => {
    expect(() => renderWebConfig(input as Parameters<typeof renderWebConfig>[0], "X")).toThrow(
      new RegExp(`^${field.replace(/\./g, "\\.")}: `),
    );
  });
});

describe("prometheus.yml over HTTPS", () => {
  const input = (): PrometheusConfigInput => ({
    ...monitoringProfile("prod").prometheus,
    ecsExporterPort: 9779,
    prometheusTls: basic("prometheus"),
    alertmanagerTls: basic("alertmanager"),
    appTls: bearer(),
    ecsExporterTls: bearer(),
    moreApps: [
      {
        job: "orders",
        app: { kind: "file", files: ["/etc/prometheus/discovery/orders.json"] },
        ecsExporter: true,
        tls: bearer(),
      },
    ],
  });

  const promtoolCheck = (config: PrometheusConfigInput) => {
    const files: Record<string, string> = { "prometheus.yml": renderPrometheusConfig(config) };
    for (const [name, text] of Object.entries(renderRuleFiles(monitoringProfile("prod").rules))) {
      files[`rules/${name}`] = text;
    }
    return run("promtool", ["check", "config", "prometheus.yml"], writeTree(files));
  };

  it("passes promtool check config with the CA, password and token files it names", () => {
    const result = promtoolCheck(input());
    expect(result.status, result.output).toBe(0);
  });

  it("fails promtool check config when a credential file is missing", () => {
    const absent = join(dir, "secrets/absent.token");
    const result = promtoolCheck({ ...input(), appTls: { ...bearer(), bearerTokenFile: absent } });
    expect(result.status, result.output).toBe(1);
    expect(result.output).toContain(absent);
  });

  it("sends every request with TLS verified by the CA and a credential", () => {
    const config = parse(renderPrometheusConfig(input())) as Config;
    const job = (name: string) => config.scrape_configs.find((s) => s.job_name === name);
    const password = { username: "prometheus", password_file: join(dir, "secrets/alertmanager.password") };
    const token = { type: "Bearer", credentials_file: join(dir, "secrets/metrics.token") };
    expect(job("prometheus")).toMatchObject({
      scheme: "https",
      tls_config: { ca_file: caFile, server_name: "prometheus.showcase.internal" },
      basic_auth: password,
    });
    expect(config.alerting.alertmanagers[0]).toMatchObject({
      scheme: "https",
      tls_config: { ca_file: caFile, server_name: "alertmanager.showcase.internal" },
      basic_auth: password,
    });
    expect(job("alertmanager")).toMatchObject({ scheme: "https", basic_auth: password });
    for (const name of ["showcase-api", "orders", "ecs-exporter-showcase-api"]) {
      expect(job(name), name).toMatchObject({
        scheme: "https",
        tls_config: { ca_file: caFile, server_name: "showcase-api.showcase.internal" },
        authorization: token,
      });
    }
    // The other app's exporters stay plain HTTP; all exporters keep the one job the rules read.
    expect(job("ecs-exporter-orders")?.scheme).toBeUndefined();
    for (const name of ["ecs-exporter-showcase-api", "ecs-exporter-orders"]) {
      expect(job(name)?.relabel_configs?.at(-1)).toEqual({
        target_label: "job",
        replacement: "ecs-exporter",
      });
    }
    expect(job("ecs-exporter")).toBeUndefined();
  });

  // Static inputs: the table is built before beforeAll makes the files (validation reads none).
  const TOKEN = { caFile: "/ca.pem", bearerTokenFile: "/metrics.token" };
  const PASSWORD = { username: "prometheus", passwordFile: "/password" };
  it.each([
    [{ appTls: { ...TOKEN, caFile: "ca.pem" } }, "appTls.caFile"],
    [{ appTls: { ...TOKEN, serverName: "not a name" } }, "appTls.serverName"],
    [{ prometheusTls: { ...TOKEN, basicAuth: PASSWORD } }, "prometheusTls.bearerTokenFile"],
    [
      { alertmanagerTls: { caFile: "/ca.pem", basicAuth: { ...PASSWORD, username: "a:b" } } },
      "alertmanagerTls.basicAuth.username",
    ],
    [
      { alertmanagerTls: { caFile: "/ca.pem", basicAuth: { ...PASSWORD, passwordFile: "p" } } },
      "alertmanagerTls.basicAuth.passwordFile",
    ],
    [{ ecsExporterPort: undefined, moreApps: [] }, "ecsExporterTls"],
  ] as [Partial<PrometheusConfigInput>, string][])("rejects %j naming %s", (override, field) => {
    const pattern = new RegExp(`^${field.replace(/[.[\]]/g, "\\$&")}: `);
    expect(() => renderPrometheusConfig({ ...input(), ...override })).toThrow(pattern);
  });
});

describe("HTTP client config of promtool and amtool", () => {
  it("holds the CA, the server name and the password file, not the password", () => {
    expect(parse(renderHttpClientConfig(basic("alertmanager"), "amtool against Alertmanager"))).toEqual({
      tls_config: { ca_file: caFile, server_name: "alertmanager.showcase.internal" },
      basic_auth: { username: "prometheus", password_file: join(dir, "secrets/alertmanager.password") },
    });
  });
});
