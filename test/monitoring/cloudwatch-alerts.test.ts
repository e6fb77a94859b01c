// The Grafana-managed alerts on CloudWatch (RDS storage and IOPS): their queries name metrics and
// dimensions CloudWatch publishes, their thresholds follow the instance, their labels reach the
// receivers our Prometheus alerts of the same severity reach (the real amtool says where), and
// each has a runbook.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildCloudWatchAlerts,
  CLOUDWATCH_ALERT_DEFAULTS,
  CLOUDWATCH_ALERT_NAMES,
  type CloudWatchAlertsInput,
} from "showcase-monitoring/monitoring";
import { problem } from "./support/cloudwatch-metrics";
import { removeTrees } from "./support/commands";
import { checked } from "./support/routes";

afterAll(removeTrees);

const RUNBOOK_DIR = join(import.meta.dirname, "../../docs/runbooks");
const INPUT: CloudWatchAlertsInput = {
  environment: "prod",
  region: "eu-west-1",
  runbookBaseUrl: "https://github.com/example/showcase/blob/main/docs/runbooks",
  rds: { dbInstanceIdentifier: "app-db-1", allocatedStorageGb: 50 },
};
const GIB = 1024 ** 3;

/** Each query's model, by refId. */
function models(
  rule: ReturnType<typeof buildCloudWatchAlerts>[number],
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    rule.data.map((q) => [q.refId ?? "", q.model as unknown as Record<string, unknown>]),
  );
}
const threshold = (rule: ReturnType<typeof buildCloudWatchAlerts>[number]) =>
  (models(rule)["C"] as { conditions: { evaluator: { type: string; params: number[] } }[] }).conditions[0]
    ?.evaluator;

describe("CloudWatch alerts", () => {
  const rules = buildCloudWatchAlerts(INPUT);
  const byName = Object.fromEntries(rules.map((r) => [r.title, r]));

  it("are the named alerts, each with its runbook, severity, env and a condition on C", () => {
    expect(rules.map((r) => r.title)).toEqual(Object.values(CLOUDWATCH_ALERT_NAMES));
    for (const rule of rules) {
      expect(rule.condition).toBe("C");
      expect(rule.for).toBe(CLOUDWATCH_ALERT_DEFAULTS.for);
      expect(rule.labels).toMatchObject({ env: "prod" });
      expect(rule.annotations?.["runbook_url"]).toBe(`${INPUT.runbookBaseUrl}/${rule.title}.md`);
      expect(existsSync(join(RUNBOOK_DIR, `${rule.title}.md`)), rule.title).toBe(true);
    }
    expect(byName["RdsStorageLow"]?.labels?.["severity"]).toBe("critical");
    expect(byName["RdsIopsSaturated"]?.labels?.["severity"]).toBe("warning");
  });

  it("query metrics CloudWatch publishes, with the instance's dimension, in the stack's region", () => {
    const queries = rules.flatMap((r) => r.data.filter((q) => q.datasourceUid === "cloudwatch"));
    expect(queries.length).toBe(3);
    for (const query of queries) {
      const model = query.model as unknown as {
        namespace: string;
        metricName: string;
        dimensions: Record<string, string>;
        statistic: string;
        region: string;
      };
      expect(problem(model), model.metricName).toBeUndefined();
      expect(model.dimensions).toEqual({ DBInstanceIdentifier: "app-db-1" });
      expect(model.region).toBe("eu-west-1");
    }
    // Everything else is a server-side expression over them.
    const rest = rules.flatMap((r) => r.data.filter((q) => q.datasourceUid !== "cloudwatch"));
    expect(new Set(rest.map((q) => q.datasourceUid))).toEqual(new Set(["__expr__"]));
  });

  it("fire below 10% of the first allocation free, and above 90% of the provisioned IOPS", () => {
    expect(threshold(byName["RdsStorageLow"]!)).toEqual({ type: "lt", params: [Math.round(0.1 * 50 * GIB)] });
    expect(threshold(byName["RdsIopsSaturated"]!)).toEqual({ type: "gt", params: [2700] });
    expect(models(byName["RdsIopsSaturated"]!)["A"]).toMatchObject({ type: "math", expression: "$R + $W" });
    const tuned = buildCloudWatchAlerts({
      ...INPUT,
      rds: { ...INPUT.rds, provisionedIops: 12000 },
      rdsIopsRatio: 0.8,
      rdsFreeStorageRatio: 0.2,
      for: "30m",
    });
    expect(threshold(tuned[0]!)).toEqual({ type: "lt", params: [Math.round(0.2 * 50 * GIB)] });
    expect(threshold(tuned[1]!)).toEqual({ type: "gt", params: [9600] });
    expect(tuned.map((r) => r.for)).toEqual(["30m", "30m"]);
  });

  it("reach the receivers of their severity, as Grafana sends them to Alertmanager", () => {
    const routes = checked({
      slack: { apiUrlFile: "/run/secrets/slack-url", channel: "#alerts" },
      pagerduty: { routingKeyFile: "/run/secrets/pagerduty-key" },
      email: {
        to: "oncall@example.com",
        from: "alertmanager@example.com",
        smarthost: "email-smtp.eu-west-1.amazonaws.com:587",
        username: "smtp-user",
        passwordFile: "/run/secrets/smtp-password",
      },
    });
    const receivers = { critical: ["pagerduty", "slack"], warning: ["slack", "email"] };
    for (const rule of rules) {
      const severity = rule.labels?.["severity"] as keyof typeof receivers;
      // Grafana adds the folder to the rule's labels.
      routes({ alertname: rule.title, ...rule.labels, grafana_folder: "Showcase" }, receivers[severity]);
    }
  });

  it.each([
    [{ environment: " " }, "environment"],
    [{ region: "" }, "region"],
    [{ rds: { dbInstanceIdentifier: "", allocatedStorageGb: 20 } }, "rds.dbInstanceIdentifier"],
    [{ rds: { dbInstanceIdentifier: "db", allocatedStorageGb: 0 } }, "rds.allocatedStorageGb"],
    [{ rdsIopsRatio: 1.5 }, "rdsIopsRatio"],
    [{ for: "15 minutes" }, "for"],
  ] as [Partial<CloudWatchAlertsInput>, string][])("refuse %j naming %s", (override, field) => {
    expect(() => buildCloudWatchAlerts({ ...INPUT, ...override })).toThrow(
      new RegExp(`^${field.replace(".", "\\.")}: `),
    );
  });
});
