// The whole local monitoring stack for real: PostgreSQL, the service, the tested Prometheus and
// Alertmanager (tools/monitoring-tools) with the generated configs (1 s intervals), traffic,
// faults, and a webhook receiver standing in for the on-call channels; the ecs_exporter's fixture
// output scraped as the sidecar is on AWS, and remote write to a second Prometheus. The service,
// Prometheus and Alertmanager speak only HTTPS and want a credential, as on AWS.
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  alertRules,
  buildDashboards,
  dashboardQueries,
  DEFAULT_APP_JOB,
  ECS_EXPORTER_JOB,
  HEALTH_CHECK_COMMANDS,
  resolveQuery,
} from "showcase-monitoring/monitoring";
import { createCa } from "../../tools/certificates";
import { exporterSnapshot } from "../../tools/ecs-exporter/stand-in";
import { httpsRequest } from "../../tools/https";
import { monitoringProfile } from "../../tools/profiles";
import { buildService, startLocalStack, type LocalStack } from "../../tools/local-stack";
import { freePort } from "../../tools/ports";
import { waitFor } from "../../tools/processes";
import { run } from "../monitoring/support/commands";
import { startTraffic, type Traffic } from "../../tools/traffic";
import { selectorProbes } from "./rule-selectors";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver";

const FOR = "10s";
let stack: LocalStack;
let webhook: WebhookReceiver;
let traffic: Traffic | undefined;

beforeAll(async () => {
  webhook = await startWebhookReceiver();
  await buildService();
  const local = monitoringProfile("local");
  const dir = mkdtempSync(join(tmpdir(), "showcase-e2e-"));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user and must reach its data folder
  stack = await startLocalStack({
    dir,
    ports: {
      app: await freePort(),
      metrics: await freePort(),
      prometheus: await freePort(),
      alertmanager: await freePort(),
      postgres: await freePort(),
      ecsExporter: await freePort(),
      remoteWrite: await freePort(),
    },
    profile: {
      ...local,
      prometheus: { ...local.prometheus, scrapeInterval: "1s", evaluationInterval: "1s" },
      rules: { ...local.rules, thresholds: { ...local.rules.thresholds, for: FOR } },
      alertmanager: {
        ...local.alertmanager,
        webhookUrl: webhook.url,
        watchdogWebhookUrl: webhook.url,
        groupWait: "1s",
        groupInterval: "2s",
        repeatInterval: "1h",
      },
    },
  });
  await stack.waitUntilHealthy(60_000);
  traffic = startTraffic(stack.urls.app, { caFile: stack.tls.caFile });
  // A minute of rate windows needs a few scrapes of traffic first.
  await waitFor(
    "traffic in Prometheus",
    async () => {
      const [sample] = await stack.prometheus.query(`sum(http_requests_total{job="${DEFAULT_APP_JOB}"})`);
      return sample && Number(sample.value[1]) > 200 ? true : undefined;
    },
    60_000,
  );
}, 240_000);

afterAll(async () => {
  await traffic?.stop();
  await stack?.stop();
  await webhook?.close();
});

/** Waits for Prometheus to fire `alertname` and the webhook to receive it; returns both delays. */
async function faultToNotification(alertname: string, faultAt: number) {
  const firing = await waitFor(
    `${alertname} firing in Prometheus`,
    async () => {
      const alerts = await stack.prometheus.alerts();
      return alerts.some((a) => a.labels.alertname === alertname && a.state === "firing")
        ? Date.now()
        : undefined;
    },
    180_000,
  );
  const delivered = await waitFor(
    `${alertname} delivered to the webhook`,
    () => Promise.resolve(webhook.firing(alertname, faultAt)),
    60_000,
  );
  const figures = {
    firingSeconds: (firing - faultAt) / 1000,
    deliveredSeconds: (delivered.receivedAt - faultAt) / 1000,
  };
  console.log(
    `[e2e] ${alertname}: fault → firing ${figures.firingSeconds.toFixed(1)} s, fault → notification ${figures.deliveredSeconds.toFixed(1)} s (for: ${FOR}, intervals 1 s)`,
  );
  return { ...figures, notification: delivered };
}

describe("the local monitoring stack", () => {
  it("scrapes every target and loads every rule group", async () => {
    const targets = await stack.prometheus.targets();
    expect(targets.map((t) => t.labels.job).sort()).toEqual(
      ["alertmanager", DEFAULT_APP_JOB, ECS_EXPORTER_JOB, "prometheus"].sort(),
    );
    expect(targets.every((t) => t.health === "up")).toBe(true);
    const groups = await stack.prometheus.ruleGroups();
    expect(groups.length).toBeGreaterThanOrEqual(5);
    expect(groups.flatMap((g) => g.rules).filter((r) => r.health === "err")).toEqual([]);
  });

  describe("over HTTPS with credentials only", () => {
    const SERVERS = [
      ["metrics", "service"],
      ["prometheus", "prometheus"],
      ["alertmanager", "alertmanager"],
    ] as const;
    const URLS = {
      metrics: () => stack.urls.metrics,
      prometheus: () => `${stack.urls.prometheus}/api/v1/status/buildinfo`,
      alertmanager: () => `${stack.urls.alertmanager}/api/v2/status`,
    };
    const url = (what: keyof typeof URLS) => URLS[what]();

    it.each(SERVERS)(
      "%s answers 401 without a credential and with a wrong one, 200 with the right one",
      async (what, server) => {
        const { caFile, credential } = stack.client(server);
        expect((await httpsRequest(url(what), { caFile })).status).toBe(401);
        const wrong =
          credential && "bearerToken" in credential
            ? { bearerToken: "wrong" }
            : { username: "operator", password: "wrong" };
        expect((await httpsRequest(url(what), { caFile, credential: wrong })).status).toBe(401);
        expect((await httpsRequest(url(what), { caFile, credential })).status).toBe(200);
      },
    );

    it.each(SERVERS)("%s refuses plain HTTP", async (what, server) => {
      const plain = url(what).replace("https:", "http:");
      const answer = httpsRequest(plain, { credential: stack.client(server).credential });
      if (server === "service") {
        // Node's TLS server drops a connection that does not start a handshake.
        await expect(answer).rejects.toThrow(/socket hang up|ECONNRESET/);
      } else {
        // Go's answers it in plain text, and serves nothing.
        expect(await answer).toMatchObject({
          status: 400,
          body: "Client sent an HTTP request to an HTTPS server.\n",
        });
      }
    });

    it("is not trusted by a client that trusts another CA", async () => {
      const stranger = await createCa(mkdtempSync(join(tmpdir(), "stranger-ca-")), "stranger");
      await expect(
        httpsRequest(`${stack.urls.prometheus}/-/ready`, { caFile: stranger.certFile }),
      ).rejects.toThrow(/unable to verify the first certificate|unable to get local issuer certificate/);
    });

    it("lets promtool and amtool in with the HTTP client configs npm run local writes", () => {
      const query = run("promtool", [
        "query",
        "instant",
        `--http.config.file=${stack.httpConfigFiles.prometheus}`,
        stack.urls.prometheus,
        `up{job="${DEFAULT_APP_JOB}"}`,
      ]);
      expect(query.status, query.output).toBe(0);
      expect(query.output).toMatch(/up\{.*job="showcase-api".*\} => 1 @/);
      const config = run("amtool", [
        "config",
        "show",
        `--alertmanager.url=${stack.urls.alertmanager}`,
        `--http.config.file=${stack.httpConfigFiles.alertmanager}`,
      ]);
      expect(config.status, config.output).toBe(0);
      expect(config.output).toContain("receiver: watchdog");
      // The components' health checks: the same commands, in their images, over HTTPS with a password.
      for (const server of ["prometheus", "alertmanager"] as const) {
        const [tool, ...args] = HEALTH_CHECK_COMMANDS[server](
          stack.urls[server],
          stack.httpConfigFiles[server],
        );
        const check = run(tool as "promtool" | "amtool", args);
        expect(check.status, check.output).toBe(0);
      }
      const denied = run("promtool", ["query", "instant", stack.urls.prometheus, "up"]);
      expect(denied.status, denied.output).not.toBe(0);
    });
  });

  it("delivers the always-firing Watchdog to the webhook", async () => {
    const watchdog = await waitFor(
      "Watchdog notification",
      () => Promise.resolve(webhook.firing("Watchdog", 0)),
      60_000,
    );
    expect(watchdog.receiver).toBe("watchdog");
    expect(watchdog.alerts[0]?.labels.severity).toBe("info");
  });

  it("fires ApiHighErrorRate and delivers it when the database goes down", async () => {
    const faultAt = Date.now();
    await stack.postgres.stop();
    try {
      const { notification } = await faultToNotification("ApiHighErrorRate", faultAt);
      const alert = notification.alerts.find((a) => a.labels.alertname === "ApiHighErrorRate");
      expect(alert?.labels).toMatchObject({ severity: "critical", job: DEFAULT_APP_JOB, env: "local" });
      expect(alert?.annotations.runbook_url).toMatch(/\/docs\/runbooks\/ApiHighErrorRate\.md$/);
      expect(alert?.annotations.description).toMatch(/% of API requests .* failed with a 5xx status/);
    } finally {
      await stack.postgres.start();
    }
    // The service recovers by itself once the database is back.
    await waitFor(
      "readiness after the database returns",
      async () =>
        (await httpsRequest(`${stack.urls.app}/ready`, stack.client("service"))).status === 200
          ? true
          : undefined,
      30_000,
    );
  });

  it("answers every Prometheus query of every dashboard with data", async () => {
    const queries = dashboardQueries(buildDashboards({}));
    expect(queries.length).toBeGreaterThan(40);
    const empty: string[] = [];
    for (const query of queries) {
      const expr = resolveQuery(query.expr, { job: DEFAULT_APP_JOB, rateInterval: "1m", range: "5m" });
      const result = await stack.prometheus.query(expr);
      if (result.length === 0) empty.push(`${query.dashboard} / ${query.panel} / ${query.refId}: ${expr}`);
    }
    expect(empty).toEqual([]);
  });

  it("scrapes, as the ecs-exporter job, every series of the pinned exporter's fixture output", async () => {
    const snapshot = exporterSnapshot();
    expect(snapshot.source.tag).toBe("v0.4.0");
    const missing: string[] = [];
    for (const family of snapshot.families) {
      for (const sample of family.samples) {
        const labels = Object.entries({ ...sample.labels, job: ECS_EXPORTER_JOB })
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(",");
        if ((await stack.prometheus.query(`${family.name}{${labels}}`)).length !== 1) {
          missing.push(`${family.name}{${labels}}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  // promtool test rules feeds the rules invented series: only the real binaries (and the
  // exporter's own output) show that the metrics and labels the alerts read are the ones exported.
  it("finds every Prometheus, Alertmanager and ecs_exporter series the alerts read, with the labels they keep", async () => {
    const probes = alertRules(monitoringProfile("local").rules)
      .flatMap(selectorProbes)
      .filter((p) => /^(prometheus|alertmanager|ecs)_/.test(p.metric));
    expect(probes.length).toBeGreaterThanOrEqual(20);
    const missing: string[] = [];
    for (const probe of probes) {
      const series = await stack.prometheus.query(probe.query);
      const complete = series.filter((s) => probe.labels.every((label) => s.metric[label] !== undefined));
      if (complete.length === 0) missing.push(`${probe.alert}: ${probe.query}`);
    }
    expect(missing).toEqual([]);
  });

  // Why SLO thresholds must be non-integer bucket bounds: the service writes le="1", and
  // Prometheus 3 stores it as "1.0", so a selector on le="1" finds nothing.
  it('stores the integer bucket bound le="1" as "1.0"', async () => {
    const exposition = (await httpsRequest(stack.urls.metrics, stack.client("service"))).body;
    expect(exposition).toMatch(/^http_request_duration_seconds_bucket\{[^}]*le="1"[^}]*\} /m);
    const bucket = (le: string) =>
      stack.prometheus.query(`http_request_duration_seconds_bucket{job="${DEFAULT_APP_JOB}",le="${le}"}`);
    expect((await bucket("1.0")).length).toBeGreaterThan(0);
    expect(await bucket("1")).toEqual([]);
    expect((await bucket("0.5")).length).toBeGreaterThan(0);
  });

  it("fires AppTargetDown and delivers it when the service stops", async () => {
    await traffic?.stop();
    traffic = undefined;
    const faultAt = Date.now();
    expect(await stack.stopService()).toBe(0);
    const { notification } = await faultToNotification("AppTargetDown", faultAt);
    const alert = notification.alerts.find((a) => a.labels.alertname === "AppTargetDown");
    expect(alert?.labels.job).toBe(DEFAULT_APP_JOB);
  });
});
